"""The autograding sandbox on its own: a tiny notebook run by nbclient in a SandboxedKernelManager.

(tests/test_hostile.py attacks it through the whole grading workflow, and compares with stock nbgrader.)
"""
from __future__ import annotations

import os
import socket

import nbformat
import pytest
from nbclient import NotebookClient

from dpdlab import paths
from dpdlab.grading import sandbox

pytestmark = pytest.mark.skipif(bool(sandbox.missing_tools()), reason="bubblewrap is not installed")


def run_in_sandbox(cells: list[str], cwd) -> list[str]:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True,
                   kernel_manager_class=sandbox.SandboxedKernelManager,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return ["".join(o.get("text", "") + o.get("ename", "") for o in c.outputs) for c in notebook.cells]


def test_the_command_shows_nothing_of_the_course_and_no_network(tmp_path):
    manager = sandbox.SandboxedKernelManager(kernel_name="python3")
    command = manager.sandbox_command(str(tmp_path))
    mounted = {command[i + 2] for i, a in enumerate(command) if a in ("--ro-bind", "--bind")}
    assert "--unshare-net" in command and "--clearenv" in command
    assert str(paths.course_dir()) not in mounted and str(paths.project_root()) not in mounted
    assert not any(str(paths.course_dir()) in m for m in mounted)
    assert str(tmp_path) in mounted and str(paths.data_dir()) in mounted


def test_kernel_runs_unprivileged_without_network_or_course_and_with_limits(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        out = run_in_sandbox([
            "import os, resource; print(os.getuid(), os.getcwd())",
            f"print(os.path.exists({str(paths.course_dir())!r}), os.path.exists({str(paths.data_dir())!r}))",
            f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3)",
            "print(resource.getrlimit(resource.RLIMIT_DATA)[0] // 2**20)",
            "open('answer.txt', 'w').write('ok'); print(open('answer.txt').read())",
            "from dpdlab import load_dataset; print(len(load_dataset('argentina_accounts')) > 0)",
        ], tmp_path)
    finally:
        listener.close()
    uid, cwd = out[0].split()
    # graded as root, the kernel runs as the sandbox's own unprivileged user
    assert uid == (str(sandbox.SandboxedKernelManager().uid) if os.geteuid() == 0 else str(os.geteuid()))
    assert cwd == str(tmp_path)
    assert out[1].split() == ["False", "True"]          # the course is not there; the data is
    assert "ConnectionRefusedError" in out[2] or "OSError" in out[2]
    assert out[3].strip() == str(sandbox.SandboxedKernelManager().memory_mb)
    assert out[4].strip() == "ok" and out[5].strip() == "True"


def test_the_working_folder_is_not_on_the_import_path(tmp_path):
    (tmp_path / "dpdlab.py").write_text("FAKE = True\n")
    out = run_in_sandbox([
        "import os, sys; print(os.getcwd() in sys.path, '' in sys.path)",
        "open('helper_written_by_student.py', 'w').write('X = 1')",
        "import helper_written_by_student",
        "import dpdlab; print(hasattr(dpdlab, 'FAKE'), dpdlab.__file__.endswith('__init__.py'))",
    ], tmp_path)
    assert out[0].split() == ["False", "False"]
    assert "ModuleNotFoundError" in out[2]
    assert out[3].split() == ["False", "True"]  # the course's package, not the file beside the notebook
