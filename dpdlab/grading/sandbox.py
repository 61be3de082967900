"""A sandbox for student code: the kernel nbgrader starts at autograde time runs inside bubblewrap.

nbgrader executes a submission with nbclient, which starts a Jupyter kernel with the grader's own rights:
student code could read the solutions in ``grading/source``, rewrite the gradebook, change other students'
files or reach the network (stack-notes, "Student code at autograde time runs with the grader's rights").
:class:`SandboxedKernelManager` starts the same ``ipykernel`` wrapped in ``bwrap`` (bubblewrap):

* **What it can see.** A new, empty root. Read-only: the system folders (``/usr``, ``/etc``, the ``/bin``
  and ``/lib`` links), the Python installation and virtual environment, the ``dpdlab`` package and the
  course data. Writable: only a scratch working folder of its own (made empty for each notebook, and
  deleted unread afterwards: whatever the code leaves there, links and FIFOs included, never reaches the
  grader) and a private ``/tmp`` of limited size. Nothing else of the machine exists in there: not the
  course directory (sources, gradebook, other students' folders, the autograded notebook), not the git
  checkout, not home folders. Imports come from the environment, never from the working folder
  (``PYTHONSAFEPATH``).
* **Who it runs as.** When the grader is root, the kernel drops to an unprivileged user id of its own
  (``uid``, default 64100) with no capabilities and ``no_new_privs``; file permissions then apply too.
  When the grader is not root (the grader account of a JupyterHub, deploy/), the sandbox is a user
  namespace of its own: the kernel is ``uid`` in there (the grader outside), with no capabilities,
  ``no_new_privs`` and no further user namespaces; the process cap then counts the sandbox's processes only.
* **What it can reach.** Its own network namespace: no interfaces but a loopback of its own, so neither
  the internet nor the host's ``127.0.0.1`` services. The grader talks to it through Unix sockets (the
  kernel's *IPC transport*) in a private folder that is bound into the sandbox.
* **How much it can use.** Resource limits set before the kernel starts: allocated memory (``memory_mb``),
  number of processes of the sandbox user (``max_processes``; stops fork bombs; as root, or without root
  in a user namespace, where Linux counts a user's processes per namespace), size of any file it
  writes (``max_file_mb``), open files; no core dumps. Private PID, IPC and UTS namespaces; it dies with
  the grader.

:meth:`SandboxedKernelManager.process_command` gives the same walls to another process: the checker, which
runs the tests apart from the student's code (:mod:`dpdlab.grading.checker`), runs in one too.

Configure it from ``nbgrader_config.py`` (``c.SandboxedKernelManager.memory_mb = 3072``...). It needs the
``bwrap`` program (Debian package ``bubblewrap``), and ``prlimit`` and ``setpriv`` (util-linux).
"""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode

from dpdlab import paths

MESSAGES = {
    "missing_tool": ("The autograding sandbox needs the program '{tool}', which is not installed. On Debian or "
                     "Ubuntu: apt-get install -y bubblewrap util-linux. (To grade without the sandbox, which "
                     "lets student code read the solutions, set c.DpdlabExecute.sandbox = False.)"),
}

# System folders the kernel may read. Symbolic links among them (``/bin -> usr/bin`` on merged-/usr systems)
# are recreated as links inside the sandbox.
SYSTEM_PATHS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Environment variables passed into the sandbox (all others are dropped: tokens, paths to the course...).
# The dpdlab package (the kernel imports it), read-only.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
KEPT_ENVIRONMENT = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "PYTHONHASHSEED")


def missing_tools() -> list[str]:
    """The programs the sandbox needs that are not on PATH (empty: it can run)."""
    return [tool for tool in ("bwrap", "prlimit", "setpriv") if shutil.which(tool) is None]


def user_namespaces() -> bool:
    """Whether bwrap can make a user namespace here without root (cached): the sandbox of a grader that is
    not root then gets a user id and a process cap of its own."""
    global _USER_NAMESPACES
    if _USER_NAMESPACES is None:
        try:
            probe = subprocess.run(["bwrap", "--unshare-user", "--ro-bind", "/", "/", "true"],
                                   capture_output=True, timeout=20)
            _USER_NAMESPACES = probe.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            _USER_NAMESPACES = False
    return _USER_NAMESPACES


_USER_NAMESPACES: bool | None = None


def python_paths() -> list[Path]:
    """Folders the kernel's Python needs: the installation, the virtual environment, their import paths.

    Import paths outside these (the grader's working folder, say) are left out on purpose: add them with
    ``readable_paths`` if a course really needs them.
    """
    prefixes = {Path(os.path.realpath(p)) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    prefixes.add(Path(os.path.realpath(sys.executable)).parent.parent)
    found = set(prefixes)
    for entry in [*sys.path, *site.getsitepackages()]:
        real = Path(os.path.realpath(entry)) if entry else None
        if real and real.is_dir() and (real.name in ("site-packages", "dist-packages")
                                       or any(p == real or p in real.parents for p in prefixes)):
            found.add(real)
    return _outermost(found)


def _outermost(folders) -> list[Path]:
    """Drop folders that lie inside another one of the list; drop the root itself."""
    ordered = sorted({Path(p) for p in folders if str(p) not in ("/", "")}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for folder in ordered:
        if not any(folder == k or k in folder.parents for k in kept):
            kept.append(folder)
    return kept


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs inside bubblewrap (see the module's documentation)."""

    memory_mb = Integer(
        2048, help="Memory the kernel process may allocate, in MiB (RLIMIT_DATA: heap and private writable "
                   "mappings; the address space cannot be capped, the chart renderer reserves tens of GB of it)."
    ).tag(config=True)
    max_processes = Integer(
        96, help="Most processes and threads the sandbox user may have (RLIMIT_NPROC; when the grader runs "
                  "as root, or without root in a user namespace: the kernel then has a user id of its "
                  "own).").tag(config=True)
    max_file_mb = Integer(64, help="Largest file the kernel may write, in MiB (RLIMIT_FSIZE).").tag(config=True)
    max_open_files = Integer(1024, help="Most open files (RLIMIT_NOFILE).").tag(config=True)
    tmp_mb = Integer(256, help="Size of the kernel's private /tmp, in MiB.").tag(config=True)
    uid = Integer(64100, help="User id the kernel runs as when the grader is root (without root: its id inside "
                              "the sandbox's user namespace).").tag(config=True)
    network = Bool(False, help="Let the kernel reach the network (it cannot by default).").tag(config=True)
    readable_paths = List(Unicode(), help="More folders the kernel may read.").tag(config=True)
    writable_paths = List(Unicode(), help="More folders the kernel may write to.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        missing = missing_tools()
        if missing:
            raise RuntimeError(MESSAGES["missing_tool"].format(tool=missing[0]))
        self._run_dir: Path | None = None

    def _prepare_run_dir(self) -> Path:
        """The kernel has no network, so it is reached through Unix sockets in a private folder."""
        if self._run_dir is None:
            self._run_dir = Path(tempfile.mkdtemp(prefix="dpdlab-kernel-"))
            if os.geteuid() == 0:
                os.chown(self._run_dir, self.uid, self.uid)
            self.transport = "ipc"
            self.ip = str(self._run_dir / "kernel-ipc")
            self.connection_file = str(self._run_dir / "kernel.json")
        return self._run_dir

    # -- the command line -------------------------------------------------------------------------------
    def sandbox_command(self, cwd: str | None) -> list[str]:
        """The bwrap/prlimit/setpriv prefix that the kernel's own command is appended to."""
        writable = [self._prepare_run_dir(), *map(Path, self.writable_paths)] + ([Path(cwd)] if cwd else [])
        # the kernel's imports come from the environment, never from its working folder
        return self.process_command(writable=writable, cwd=cwd, uid=self.uid, env={"PYTHONSAFEPATH": "1"})

    def process_command(self, writable: list[Path], cwd: str | None, uid: int,
                        env: dict[str, str] | None = None) -> list[str]:
        """A bwrap/prlimit/setpriv prefix for any process, with this sandbox's limits: read-only system,
        Python, package and data; ``writable`` folders; user id ``uid`` when the grader is root."""
        cmd = ["bwrap", "--new-session", "--die-with-parent", "--unshare-pid", "--unshare-ipc",
               "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox", "--clearenv"]
        if not self.network:
            cmd.append("--unshare-net")
        as_root = os.geteuid() == 0
        in_namespace = not as_root and user_namespaces()
        if in_namespace:  # not root: a user namespace of its own, where the process cap is the sandbox's
            cmd += ["--unshare-user", "--uid", str(uid), "--gid", str(uid), "--disable-userns"]
        for system in SYSTEM_PATHS:
            if os.path.islink(system):
                cmd += ["--symlink", os.readlink(system), system]
            elif os.path.isdir(system):
                cmd += ["--ro-bind", system, system]
        cmd += ["--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(self.tmp_mb * 2**20), "--tmpfs", "/tmp"]
        readable = [*python_paths(), paths.data_dir(), PACKAGE_DIR,
                    *map(Path, self.readable_paths)]
        readable = [p for p in _outermost(readable) if not any(str(p).startswith(s + "/") for s in SYSTEM_PATHS)]
        # bwrap would create the folders leading to a mount point as private (0700): the unprivileged
        # kernel could not pass through them. Create them traversable first.
        made: set[Path] = set()
        for folder in [*readable, *writable]:
            for parent in reversed(folder.parents):
                if parent in made or str(parent) in ("/", "/tmp"):
                    continue
                made.add(parent)
                cmd += ["--perms", "0755", "--dir", str(parent)]
        for folder in readable:
            cmd += ["--ro-bind", str(folder), str(folder)]
        for folder in writable:
            cmd += ["--bind", str(folder), str(folder)]
        if cwd:
            cmd += ["--chdir", str(cwd)]
        environment = {"HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
                       "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin",
                                                "/bin"]),
                       "DPDLAB_DATA": str(paths.data_dir()), "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
        environment |= {k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}
        for key, value in sorted(environment.items()):
            cmd += ["--setenv", key, value]
        limits = [f"--data={self.memory_mb * 2**20}", f"--fsize={self.max_file_mb * 2**20}",
                  f"--nofile={self.max_open_files}", "--core=0"]
        if as_root or in_namespace:
            limits.append(f"--nproc={self.max_processes}")
        cmd += ["--", "prlimit", *limits, "--"]
        if as_root:
            cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        return cmd

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        kernel = super().format_kernel_cmd(extra_arguments)
        cwd = (self._launch_args or {}).get("cwd")
        return self.sandbox_command(os.path.realpath(cwd) if cwd else None) + kernel

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if os.geteuid() == 0:  # the kernel, as the sandbox user, reads it (it holds the session key)
            os.chown(self.connection_file, self.uid, self.uid)

    async def _async_pre_start_kernel(self, **kw):
        self._prepare_run_dir()
        cwd = kw.get("cwd")
        if cwd and os.geteuid() == 0:
            # the kernel's working folder (a scratch folder of its own) must be writable by the sandbox user
            os.chown(cwd, self.uid, self.uid)
        # Signals would go to bwrap, not to the kernel: interrupt through the control channel instead.
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        # What student code writes to the process's own stdout/stderr (not to the notebook) is dropped.
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
