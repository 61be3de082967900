"""Hostile and broken submissions, graded by `dpdlab grade autograde` with the sandbox, once per module.

Every kind of submission in KINDS is graded or rejected with a specific message; the rest of the class is
graded; the gradebook stays intact; the original files are never changed. The attacks on the sandbox (read
the solutions, write the gradebook or a classmate's files, reach the network, skip a test) are run a second
time under stock nbgrader without the sandbox, to show that each attack works there: the protection is real.

Resource attacks cap themselves first if nothing capped them (and the fork bomb refuses to run as root), so
a broken sandbox cannot take the machine down. The network attack targets only a listener on 127.0.0.1
that this module starts.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from conftest import PAPERMILL, ROOT
from dpdlab import grading, release, svg

pytestmark = pytest.mark.grading
A = "argentina_account_handover"
NB = f"{A}.ipynb"
# autograded points of the assignment (q1 1, q2 1, q3 2, q4 1, q5 2, q6r 2), read from its source so they follow it
FULL = float(sum(cell["metadata"]["nbgrader"].get("points", 0)
                 for cell in json.loads((ROOT / "grading" / "source" / A / NB).read_text(encoding="utf-8"))["cells"]
                 if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("grade")
                 and not cell["metadata"]["nbgrader"].get("solution")))
TIMEOUT = 20  # seconds per cell in these tests (the endless loops cost this much)
BUDGET = 60  # seconds one submission may take in these tests (the slow student's cells pass it)


class Listener:
    """A TCP listener on 127.0.0.1 (ephemeral port) that records what it receives."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    self.received.append(connection.recv(1024))
                except OSError:
                    self.received.append(b"")

    def close(self):
        self.running = False
        self.thread.join(timeout=5)
        self.server.close()


# -- attack payloads (added to a cell after the student's correct answer) ---------------------------------
def read_solutions(course: Path) -> str:
    return (f"import glob\n_found = []\n"
            f"for _p in glob.glob(r'{course}/source/*/*.ipynb') + glob.glob('../../../source/*/*.ipynb'):\n"
            f"    try:\n        _found.append('BEGIN SOLUTION' in open(_p).read())\n"
            f"    except OSError as _e:\n        _found.append(type(_e).__name__)\n"
            f"print('ATTACK-READ', _found)")


def write_gradebook(course: Path) -> str:
    return (f"import os, sqlite3\n_hits = []\n"
            f"for _p in [r'{course}/gradebook.db', '../../../gradebook.db']:\n"
            f"    if not os.path.exists(_p):\n        _hits.append('absent'); continue\n"
            f"    try:\n        _c = sqlite3.connect(_p)\n"
            f"        _c.execute('CREATE TABLE IF NOT EXISTS pwned (who TEXT)')\n"
            f"        _c.execute(\"INSERT INTO pwned VALUES ('x')\"); _c.commit(); _c.close(); _hits.append('written')\n"
            f"    except Exception as _e:\n        _hits.append(type(_e).__name__)\n"
            f"print('ATTACK-DB', _hits)")


def write_classmates(course: Path) -> str:
    return (f"import glob\n_hits = []\n"
            f"for _p in glob.glob(r'{course}/submitted/*/*/*.ipynb') + glob.glob('../../../submitted/*/*/*.ipynb')"
            f" + glob.glob('../../*/*/*.ipynb'):\n"
            f"    if 'writes_classmates' in _p: continue\n"
            f"    try:\n        open(_p, 'a').write(' ')\n        _hits.append('written')\n"
            f"    except OSError as _e:\n        _hits.append(type(_e).__name__)\n"
            f"print('ATTACK-FILES', _hits)")


def network(port: int) -> str:
    return ("import socket\ntry:\n"
            f"    _s = socket.create_connection(('127.0.0.1', {port}), timeout=3); _s.sendall(b'ATTACK-NET'); _s.close()\n"
            "    print('ATTACK-NET sent')\nexcept OSError as _e:\n    print('ATTACK-NET blocked', type(_e).__name__)")


MEMORY_BOMB = """import resource
_soft, _hard = resource.getrlimit(resource.RLIMIT_DATA)
if _soft == resource.RLIM_INFINITY:  # nothing capped this process: cap it before the bomb
    resource.setrlimit(resource.RLIMIT_DATA, (2 * 2**30, _hard))
def _fill_memory():
    blocks = []
    try:
        while True:
            blocks.append(b"x" * (64 * 2**20))
    finally:  # give the memory back, so what follows depends on the grader alone, not on what is left free
        blocks.clear()
_fill_memory()"""

FORK_BOMB = """import os, subprocess, sys, time
if os.getuid() == 0:
    raise RuntimeError("not sandboxed (running as root): the fork bomb refuses to run")
_bomb = ("import os, time\\nend = time.time() + 12\\nwhile time.time() < end:\\n"
         "    try:\\n        os.fork()\\n    except OSError:\\n        time.sleep(0.05)\\n")
subprocess.Popen([sys.executable, "-c", _bomb])
_capped = None
for _ in range(20):  # look for the cap for up to 10 s (the bomb grows more slowly on a busy machine)
    time.sleep(0.5)
    try:
        subprocess.run(["true"])
    except OSError as _e:
        _capped = type(_e).__name__
        break
print("FORK-BOMB: capped:" if _capped else "FORK-BOMB: still room for a process", _capped or "")
time.sleep(13)"""

OUTPUT_FLOOD = "for _ in range(100):\n    print('x' * (2**20 - 1))"  # 100 MB


# -- what student code leaves in its working folder, for the root-run steps after it (section 1) ----------
def link_in_place_of_notebook(target: Path) -> str:
    """Replace the notebook being graded (under stock nbgrader, the kernel's working folder holds it) by a
    link: whatever writes the graded notebook back then writes through the link."""
    return f"import os\nif os.path.lexists({NB!r}):\n    os.remove({NB!r})\nos.symlink({str(target)!r}, {NB!r})"


def link_named(name: str, target: Path) -> str:
    return f"import os\nos.symlink({str(target)!r}, {name!r})"


FIFOS = "import os\nos.mkfifo('pipe')\nos.mkfifo('pipe.ipynb')"


# -- code that changes how later cells run, in the student's own kernel (section 3) ------------------------
INPUT_TRANSFORMER = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])'
AST_TRANSFORMER = """import ast
class _Nothing(ast.NodeTransformer):
    def visit_Module(self, node):
        node.body = [ast.Pass()]
        return node
get_ipython().ast_transformers.append(_Nothing())"""
SHOW_CELLS = "get_ipython().events.register('pre_run_cell', lambda info: print('SEEN:', info.raw_cell))"
# answers a hidden test by evaluating it before the cell runs: `assert q1_x == <expected>` gives q1_x
ANSWER_FROM_HIDDEN = """import re
def _answer_from_hidden(info):
    for _line in info.raw_cell.splitlines():
        _found = re.match(r"assert (q\\d+_\\w+) == (.+)$", _line)
        if _found:
            try:
                get_ipython().user_ns[_found.group(1)] = eval(_found.group(2), get_ipython().user_ns)
            except Exception:
                pass
get_ipython().events.register('pre_run_cell', _answer_from_hidden)"""
# no-op check helpers, and answers that equal anything (and pass the type checks)
EQUALS_ANYTHING = """class _Yes(dict):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
class _YesInt(int):
    __hash__ = int.__hash__
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __lt__(self, other):
        return True
    def __gt__(self, other):
        return True
import dpdlab, dpdlab.checks
check = check_type = check_close = passed = dpdlab.checks.check = dpdlab.check = lambda *args, **kwargs: None
q1_account_kinds = _Yes()
q2_audience_to_rebuild = _YesInt(0)"""
# the kernel runs nothing from now on, so no later cell can fail
PATCHED_KERNEL = """_shell = get_ipython()
_original_run_cell = _shell.run_cell
def _run_nothing(raw_cell, *args, **kwargs):
    kwargs.pop("transformed_cell", None)
    kwargs.pop("preprocessing_exc_tuple", None)
    return _original_run_cell("pass", *args, **kwargs)
_shell.run_cell = _run_nothing"""
# modules named like the ones the notebook imports, beside an untouched notebook: importing the fake pandas
# makes every later cell `pass` (the kernel's working folder comes first on its import path under stock
# nbgrader); the fake course package would do the same from its setup()
FAKE_PANDAS = """from IPython import get_ipython
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
"""
FAKE_DPDLAB = """def setup():
    from IPython import get_ipython
    get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
def load_dataset(*args, **kwargs):
    return None
check = check_type = check_close = passed = lambda *args, **kwargs: None
argentina = None
"""
# a hidden test's own line, to look for in what the student's code could print
HIDDEN_LINE = 'dict(zip(accounts["handle"], accounts["kind"]))'


# -- building the submissions ----------------------------------------------------------------------------
def cell_index(notebook: dict, grade_id: str) -> int:
    return next(i for i, c in enumerate(notebook["cells"])
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def with_code(notebook: dict, grade_id: str, code: str, before: bool = False) -> dict:
    notebook = json.loads(json.dumps(notebook))
    cell = notebook["cells"][cell_index(notebook, grade_id)]
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = f"{code}\n{source}" if before else f"{source}\n{code}"
    return notebook


def dumps(notebook: dict) -> bytes:
    return json.dumps(notebook, indent=1).encode("utf-8")


def build_kinds(course: Path, port: int, canaries: dict[str, Path]) -> dict[str, bytes]:
    released = json.loads((course / "release" / A / NB).read_text(encoding="utf-8"))
    source = json.loads((course / "source" / A / NB).read_text(encoding="utf-8"))
    good = grading.answered(released, source)
    kinds: dict[str, bytes] = {"reference": dumps(good), "victim": dumps(good)}
    kinds["malformed_json"] = dumps(good)[:-200]
    kinds["empty_file"] = b""
    kinds["non_utf8"] = b"\xff\xfe" + "{ 'cells': [] }".encode("utf-16-le")
    kinds["not_a_notebook"] = b'{"cells": "none", "nbformat": 4}'
    kinds["infinite_loop"] = dumps(with_code(good, "q1-answer", "while True:\n    pass", before=True))
    kinds["ignores_interrupt"] = dumps(with_code(
        good, "q1-answer", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        before=True))
    kinds["memory_bomb"] = dumps(with_code(good, "q1-answer", MEMORY_BOMB, before=True))
    kinds["fork_bomb"] = dumps(with_code(good, "q5-answer", FORK_BOMB))
    kinds["sys_exit"] = dumps(with_code(good, "q1-answer", "import sys\nsys.exit()", before=True))
    kinds["os_exit"] = dumps(with_code(good, "q3-answer", "import os\nos._exit(1)", before=True))
    kinds["output_flood"] = dumps(with_code(good, "q1-answer", OUTPUT_FLOOD))

    deleted = json.loads(json.dumps(good))
    del deleted["cells"][cell_index(deleted, "q1-check")]
    kinds["deleted_grade_cell"] = dumps(deleted)
    duplicated = json.loads(json.dumps(good))
    copy = json.loads(json.dumps(duplicated["cells"][cell_index(duplicated, "q2-check")]))
    copy["id"] = "q2-check-copy"
    duplicated["cells"].insert(cell_index(duplicated, "q2-check") + 1, copy)
    kinds["duplicated_grade_cell"] = dumps(duplicated)
    reordered = json.loads(json.dumps(good))
    test = reordered["cells"].pop(cell_index(reordered, "q1-check"))
    reordered["cells"].insert(cell_index(reordered, "q1-answer"), test)
    kinds["reordered_cells"] = dumps(reordered)
    retyped = json.loads(json.dumps(good))
    cell = retyped["cells"][cell_index(retyped, "q2-check")]
    cell["cell_type"] = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    kinds["cell_type_changed"] = dumps(retyped)
    edited = with_code(good, "q2-answer", "q2_audience_to_rebuild = 1")
    edited["cells"][cell_index(edited, "q2-check")]["source"] = "pass  # all good"
    kinds["edited_tests"] = dumps(edited)
    renamed = json.loads(json.dumps(good))
    for number, cell in enumerate(renamed["cells"]):
        cell["id"] = f"changed-{number}"
    renamed["cells"][cell_index(renamed, "q1-check")]["metadata"]["nbgrader"]["grade_id"] = "q1-check-mine"
    kinds["changed_cell_ids"] = dumps(renamed)
    skipped = with_code(good, "q1-answer", "q1_account_kinds = {}")
    skipped["cells"][cell_index(skipped, "q1-check")]["metadata"]["tags"] = ["skip-execution"]
    kinds["skip_execution_tag"] = dumps(skipped)
    kinds["network"] = dumps(with_code(good, "q1-answer", network(port)))
    kinds["read_solutions"] = dumps(with_code(good, "q1-answer", read_solutions(course)))
    kinds["writes_gradebook"] = dumps(with_code(good, "q1-answer", write_gradebook(course)))
    kinds["writes_classmates"] = dumps(with_code(good, "q1-answer", write_classmates(course)))
    # section 1: links and FIFOs left in the working folder
    kinds["link_named_like_notebook"] = dumps(with_code(good, "q5-answer",
                                                        link_in_place_of_notebook(canaries["overwrite"])))
    kinds["link_to_gradebook"] = dumps(with_code(good, "q5-answer", link_in_place_of_notebook(course / "gradebook.db")))
    kinds["link_to_root_only_file"] = dumps(with_code(good, "q5-answer", link_named("secret.txt", canaries["secret"])))
    kinds["fifo_in_working_folder"] = dumps(with_code(good, "q5-answer", FIFOS))
    # section 2: what lies beside the notebook (the files are added by EXTRAS)
    kinds["shadowing_modules"] = dumps(released)
    kinds["submitted_notebook_link"] = dumps(released)
    kinds["submitted_extra_link"] = dumps(good)
    kinds["submitted_fifo"] = dumps(good)
    # section 3: code that changes how later cells run
    blank = json.loads(json.dumps(released))
    kinds["input_transformer"] = dumps(with_code(blank, "q1-answer", INPUT_TRANSFORMER, before=True))
    kinds["ast_transformer"] = dumps(with_code(blank, "q1-answer", AST_TRANSFORMER, before=True))
    kinds["events_show_hidden"] = dumps(with_code(good, "q1-answer", SHOW_CELLS, before=True))
    kinds["events_answer_from_hidden"] = dumps(with_code(blank, "q1-answer", ANSWER_FROM_HIDDEN, before=True))
    kinds["equals_anything"] = dumps(with_code(blank, "q1-answer", EQUALS_ANYTHING, before=True))
    kinds["patched_kernel"] = dumps(with_code(blank, "q1-answer", PATCHED_KERNEL, before=True))
    # section 5: a student who holds a worker with waits just under the cell limit
    slow = good
    for number in range(1, 6):
        slow = with_code(slow, f"q{number}-answer", f"import time\ntime.sleep({TIMEOUT - 2})", before=True)
    kinds["holds_the_worker"] = dumps(slow)
    return kinds


def add_extras(course: Path, canaries: dict[str, Path], kinds: list[str]) -> None:
    """Files beside some students' notebooks in submitted/: modules named like the course's, a notebook
    that is a link to the instructor's source, a link to a root-only file, a FIFO."""
    folder = lambda student: course / "submitted" / student / A  # noqa: E731
    if "shadowing_modules" in kinds:
        (folder("shadowing_modules") / "pandas.py").write_text(FAKE_PANDAS)
        (folder("shadowing_modules") / "dpdlab.py").write_text(FAKE_DPDLAB)
    if "submitted_notebook_link" in kinds:
        (folder("submitted_notebook_link") / NB).unlink()
        (folder("submitted_notebook_link") / NB).symlink_to(course / "source" / A / NB)
    if "submitted_extra_link" in kinds:
        (folder("submitted_extra_link") / "secret.txt").symlink_to(canaries["secret"])
    if "submitted_fifo" in kinds:
        os.mkfifo(folder("submitted_fifo") / "pipe")


def make_canaries(root: Path) -> dict[str, Path]:
    """Root-only files outside the course that attacks point links at (never real system files)."""
    folder = root / "canaries"
    folder.mkdir()
    made = {}
    for name, text in (("secret", "root-only secret\n"), ("overwrite", "must stay as it is\n")):
        path = folder / f"{name}.txt"
        path.write_text(text)
        path.chmod(0o600)
        made[name] = path
    return made


# What each kind must come to: status, autograded score (None: not graded), words the message must contain.
EXPECTED = {
    "reference": ("graded", FULL, ""),
    "victim": ("graded", FULL, ""),
    "malformed_json": ("rejected", None, "not valid JSON"),
    "empty_file": ("rejected", None, "file is empty"),
    "non_utf8": ("rejected", None, "not UTF-8"),
    "not_a_notebook": ("rejected", None, "not a Jupyter notebook"),
    "infinite_loop": ("graded", FULL - 1, "was interrupted"),
    "ignores_interrupt": ("graded", 0.0, "did not respond to an interrupt"),
    "memory_bomb": ("graded", FULL - 1, "ran out of memory"),  # the kernel survives: only that answer is lost
    "fork_bomb": ("graded", FULL, ""),
    "sys_exit": ("graded", FULL - 1, "sys.exit()"),
    "os_exit": ("graded", 2.0, "kernel stopped"),
    "output_flood": ("graded", FULL, "Output truncated"),
    "deleted_grade_cell": ("graded", FULL, "'q1-check' was deleted"),
    "duplicated_grade_cell": ("graded", FULL, "'q2-check' appears 2 times"),
    "reordered_cells": ("graded", FULL - 1, "out of order"),
    "cell_type_changed": ("graded", FULL, "changed from code to markdown"),
    "edited_tests": ("graded", FULL - 1, "'q2-check' was edited"),
    "changed_cell_ids": ("graded", FULL, "cell id(s) differ"),
    "skip_execution_tag": ("graded", FULL - 1, "skip-execution"),
    "network": ("graded", FULL, ""),
    "read_solutions": ("graded", FULL, ""),
    "writes_gradebook": ("graded", FULL, ""),
    "writes_classmates": ("graded", FULL, ""),
    "link_named_like_notebook": ("graded", FULL, f"a symbolic link '{NB}'"),
    "link_to_gradebook": ("graded", FULL, f"a symbolic link '{NB}'"),
    "link_to_root_only_file": ("graded", FULL, "a symbolic link 'secret.txt'"),
    "fifo_in_working_folder": ("graded", FULL, "a FIFO (named pipe) 'pipe'"),
    "shadowing_modules": ("graded", 0.0, "(dpdlab.py, pandas.py) are kept in submitted/"),
    "submitted_notebook_link": ("rejected", None, "is a symbolic link"),
    "submitted_extra_link": ("graded", FULL, "'submitted/submitted_extra_link/%s/secret.txt' is a symbolic link" % A),
    "submitted_fifo": ("graded", FULL, "is a FIFO (named pipe)"),
    "input_transformer": ("graded", 0.0, ""),
    "ast_transformer": ("graded", 0.0, ""),
    "events_show_hidden": ("graded", FULL, ""),
    "events_answer_from_hidden": ("graded", 0.0, ""),
    "equals_anything": ("graded", 0.0, ""),
    "patched_kernel": ("graded", 0.0, ""),
    "holds_the_worker": ("graded", None, f"time budget of {BUDGET} seconds"),
}
ATTACKS = ["read_solutions", "writes_gradebook", "writes_classmates", "network", "skip_execution_tag"]
# Attacks on the steps around the kernel and on the kernel's namespace, also run under stock nbgrader to
# show they work there (the link to the gradebook and the FIFOs are left out: they would break its run).
AROUND = ["link_named_like_notebook", "link_to_root_only_file", "shadowing_modules", "submitted_notebook_link",
          "submitted_extra_link", "input_transformer", "ast_transformer", "events_show_hidden",
          "events_answer_from_hidden", "equals_anything", "patched_kernel"]


LATE = {"victim"}  # submitted a day after the due date (for the class analytics)


def submit(course: Path, kinds: dict[str, bytes]) -> dict[str, str]:
    digests = {}
    for student, content in kinds.items():
        folder = course / "submitted" / student / A
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NB).write_bytes(content)
        day = "02" if student in LATE else "01"
        (folder / "timestamp.txt").write_text(f"2026-03-{day} 10:00:00.000000 UTC")
        digests[student] = hashlib.sha256(content).hexdigest()
    return digests


def outputs_text(course: Path, student: str, grade_id: str) -> str:
    notebook = json.loads((course / "autograded" / student / A / NB).read_text(encoding="utf-8"))
    cell = notebook["cells"][cell_index(notebook, grade_id)]
    def text(value) -> str:
        return "".join(value) if isinstance(value, list) else str(value or "")

    return "".join(text(o.get("text")) + text(o.get("evalue")) for o in cell.get("outputs", []))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    course = release.copy_course(root / "course", assignments=[a for a in release.manifest() if a.id == A])
    grading.release_assignment(A, course)
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        gradebook.update_or_create_assignment(A, duedate=datetime(2026, 3, 1, 12, 0))
        gradebook.update_or_create_student("absent")  # on the roster, never submitted
    canaries = make_canaries(root)
    listener = Listener()
    try:
        kinds = build_kinds(course, listener.port, canaries)
        digests = submit(course, kinds)
        add_extras(course, canaries, list(kinds))
        results = {r.student: r for r in grading.autograde(A, course=course, jobs=2, timeout=TIMEOUT,
                                                          budget=BUDGET, progress=False)}
    finally:
        listener.close()
    return {"course": course, "results": results, "digests": digests, "received": listener.received,
            "canaries": canaries}


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    """The sandbox attacks graded by stock nbgrader (no sandbox, no dpdlab preprocessors)."""
    root = tmp_path_factory.mktemp("stock")
    course = release.copy_course(root / "course", assignments=[a for a in release.manifest() if a.id == A])
    release.run_nbgrader(["generate_assignment", A, "--force"], course)
    canaries = make_canaries(root)
    listener = Listener()
    try:
        kinds = build_kinds(course, listener.port, canaries)
        digests = submit(course, {k: kinds[k] for k in [*ATTACKS, *AROUND, "victim"]})
        add_extras(course, canaries, AROUND)
        release.run_nbgrader(["autograde", A, "--Execute.timeout=60"], course, check=False,
                             env={"DPDLAB_STOCK_NBGRADER": "1"})
    finally:
        listener.close()
    return {"course": course, "digests": digests, "received": listener.received, "canaries": canaries}


def auto_score(course: Path, student: str, grade_id: str | None = None) -> float | None:
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        if grade_id:
            return gradebook.find_grade(grade_id, A, A, student).auto_score
        return gradebook.find_submission(A, student).code_score


# -- every kind -----------------------------------------------------------------------------------------
def test_there_are_at_least_fifteen_kinds_besides_the_good_ones():
    assert len(set(EXPECTED) - {"reference", "victim"}) >= 15


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_kind_is_graded_or_rejected_with_a_specific_message(hostile, kind):
    status, score, words = EXPECTED[kind]
    result = hostile["results"][kind]
    text = " | ".join(result.messages)
    assert result.status == status, f"{kind}: {result.status}: {text}"
    assert words in text, f"{kind}: expected '{words}' in: {text}"
    if status == "graded" and score is not None:
        assert result.score == score, f"{kind}: score {result.score}, expected {score}; {text}"
    elif status != "graded":
        assert result.score is None


def test_rejections_are_reported_in_the_export(hostile):
    grades, report = grading.export(course=hostile["course"])
    rows = report.read_text(encoding="utf-8")
    for kind, (status, _, words) in EXPECTED.items():
        if status == "rejected":
            assert f"{kind},rejected" in rows and words in rows
    assert "reference" in grades.read_text(encoding="utf-8")


def test_gradebook_is_intact_and_holds_every_graded_student(hostile):
    course = hostile["course"]
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "pwned" not in tables
    graded = [k for k, (status, _, _) in EXPECTED.items() if status == "graded"]
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        submitted = {s.student.id for s in gradebook.assignment_submissions(A)}
    assert set(graded) <= submitted


def test_original_submissions_are_never_modified_or_lost(hostile):
    course = hostile["course"]
    for student, digest in hostile["digests"].items():
        path = course / "submitted" / student / A / NB
        if path.is_symlink():  # submitted as a link to the instructor's source: still that link
            assert path.readlink() == course / "source" / A / NB
            continue
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, student


def test_output_flood_is_capped_in_the_graded_notebook(hostile):
    path = hostile["course"] / "autograded" / "output_flood" / A / NB
    assert path.stat().st_size < 5 * 2**20


def test_kernel_death_leaves_later_tests_at_zero_not_full_marks(hostile):
    course = hostile["course"]
    assert auto_score(course, "os_exit", "q1-check") == 1.0
    for test in ("q3-check", "q4-check", "q5-check"):
        assert auto_score(course, "os_exit", test) == 0.0


def test_fork_bomb_hit_the_process_cap(hostile):
    assert "FORK-BOMB: capped" in outputs_text(hostile["course"], "fork_bomb", "q5-answer")


# -- the sandbox: each attack fails here, and works under stock nbgrader ----------------------------------
def test_student_code_cannot_read_the_solutions(hostile, stock):
    assert "ATTACK-READ []" in outputs_text(hostile["course"], "read_solutions", "q1-answer")
    assert "ATTACK-READ [True" in outputs_text(stock["course"], "read_solutions", "q1-answer")


def test_student_code_cannot_write_the_gradebook(hostile, stock):
    assert "written" not in outputs_text(hostile["course"], "writes_gradebook", "q1-answer")
    assert "'written'" in outputs_text(stock["course"], "writes_gradebook", "q1-answer")
    with sqlite3.connect(stock["course"] / "gradebook.db") as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name='pwned'").fetchone()[0] == 1


def test_student_code_cannot_write_other_students_files(hostile, stock):
    assert "ATTACK-FILES []" in outputs_text(hostile["course"], "writes_classmates", "q1-answer")
    assert "'written'" in outputs_text(stock["course"], "writes_classmates", "q1-answer")
    victim = stock["course"] / "submitted" / "victim" / A / NB
    assert hashlib.sha256(victim.read_bytes()).hexdigest() != stock["digests"]["victim"]


def test_student_code_cannot_reach_the_network(hostile, stock):
    assert "ATTACK-NET blocked" in outputs_text(hostile["course"], "network", "q1-answer")
    assert b"ATTACK-NET" not in b"".join(hostile["received"])
    assert "ATTACK-NET sent" in outputs_text(stock["course"], "network", "q1-answer")
    assert b"ATTACK-NET" in b"".join(stock["received"])


def test_a_skip_execution_tag_cannot_win_a_test(hostile, stock):
    assert auto_score(hostile["course"], "skip_execution_tag", "q1-check") == 0.0
    assert auto_score(stock["course"], "skip_execution_tag", "q1-check") == 1.0  # stock skips the test


def test_rerunning_autograde_is_idempotent(hostile):
    course = hostile["course"]
    before = {k: auto_score(course, k) for k, (s, _, _) in EXPECTED.items() if s == "graded"}
    again = {r.student: r for r in grading.autograde(A, course=course, jobs=2, timeout=TIMEOUT, progress=False)}
    assert {again[k].status for k in before} == {"skipped"}
    assert {k: auto_score(course, k) for k in before} == before
    report = json.loads((course / "reports" / f"autograde-{A}.json").read_text(encoding="utf-8"))
    assert {r["student"]: r["status"] for r in report["results"]}["infinite_loop"] == "graded"


# -- section 1: what student code leaves behind is never followed, opened or copied as root ---------------
LEFT_BEHIND = ["link_named_like_notebook", "link_to_gradebook", "link_to_root_only_file", "fifo_in_working_folder",
               "submitted_extra_link", "submitted_fifo"]


def all_outputs_text(course: Path, student: str) -> str:
    """Every text in every output of the student's graded notebook (streams, errors, display data)."""
    def texts(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return ["".join(value)] if all(isinstance(v, str) for v in value) else [t for v in value for t in texts(v)]
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        return []

    notebook = json.loads((course / "autograded" / student / A / NB).read_text(encoding="utf-8"))
    return "\n".join(t for c in notebook["cells"] if c["cell_type"] == "code" for t in texts(c.get("outputs", [])))


def test_links_and_fifos_left_by_student_code_are_not_followed(hostile):
    canaries = hostile["canaries"]
    assert canaries["overwrite"].read_text() == "must stay as it is\n"
    assert canaries["secret"].read_text() == "root-only secret\n"
    assert canaries["secret"].stat().st_mode & 0o777 == 0o600
    for student in LEFT_BEHIND:
        folder = hostile["course"] / "autograded" / student / A
        entries = {p.name: p for p in folder.iterdir()}
        assert set(entries) <= {NB, "timestamp.txt"}, (student, sorted(entries))
        assert all(p.is_file() and not p.is_symlink() for p in entries.values()), student
        assert "root-only secret" not in all_outputs_text(hostile["course"], student)


def test_under_stock_nbgrader_the_same_links_are_followed(stock):
    canaries = stock["canaries"]
    assert canaries["overwrite"].read_text().startswith("{")  # the graded notebook went through the link
    assert canaries["secret"].stat().st_mode & 0o777 != 0o600  # nbgrader's chmod went through the link
    copied = stock["course"] / "autograded" / "submitted_extra_link" / A / "secret.txt"
    assert copied.read_text() == "root-only secret\n"  # copied beside the graded notebook


# -- section 2: only the notebook is graded --------------------------------------------------------------
def test_modules_beside_the_notebook_are_kept_but_not_imported(hostile, stock):
    kept = hostile["course"] / "submitted" / "shadowing_modules" / A
    assert (kept / "dpdlab.py").read_text() == FAKE_DPDLAB  # kept for the instructor to look at
    assert auto_score(hostile["course"], "shadowing_modules") == 0.0
    assert auto_score(stock["course"], "shadowing_modules") == FULL  # stock imported the fake pandas


def test_a_notebook_that_is_a_link_is_not_graded(hostile, stock):
    assert hostile["results"]["submitted_notebook_link"].status == "rejected"
    assert auto_score(stock["course"], "submitted_notebook_link") == FULL  # stock graded the instructor's source


# -- section 3: a test's result does not depend on what student code did to the interpreter ---------------
@pytest.mark.parametrize("kind", ["input_transformer", "ast_transformer", "events_answer_from_hidden",
                                  "equals_anything", "patched_kernel"])
def test_code_that_changes_how_later_cells_run_wins_nothing(hostile, stock, kind):
    assert auto_score(hostile["course"], kind) == 0.0
    assert auto_score(stock["course"], kind) > 0.0, kind  # in the student's kernel, the attack pays


def test_hidden_tests_never_reach_the_students_kernel(hostile, stock):
    seen = all_outputs_text(hostile["course"], "events_show_hidden")
    assert "SEEN:" in seen  # the hook ran: it printed every cell it was given
    assert HIDDEN_LINE not in seen and "BEGIN HIDDEN TESTS" not in seen
    assert HIDDEN_LINE in all_outputs_text(stock["course"], "events_show_hidden")


# -- section 5: a slow student is stopped at the budget and reported --------------------------------------
def test_a_student_who_holds_the_worker_is_stopped_at_the_budget_and_reported(hostile):
    result = hostile["results"]["holds_the_worker"]
    assert result.score < FULL and f"used up its total time budget of {BUDGET} seconds" in " | ".join(result.messages)
    assert result.seconds < BUDGET + 30  # the rest of the class did not wait for the whole notebook


def test_a_submission_far_slower_than_the_class_is_reported():
    from dpdlab.grading import scheduler

    assert "13 times the class median of 5 s" in scheduler.slow_message(65.0, 5.0, 120)
    assert scheduler.slow_message(20.0, 2.0, 120) == ""  # ten times the median, but under half a minute
    assert scheduler.slow_message(40.0, 10.0, 120) == ""  # four times the median
    assert scheduler.slow_message(40.0, None, 900) == ""  # nothing graded yet to compare with


def test_the_budget_follows_the_class_but_never_falls_below_the_floor():
    from dpdlab.grading import scheduler

    budget = scheduler.TimeBudget(limit=900)
    assert budget.next() == 900  # nothing graded yet: the notebook limit
    for seconds in (4.0, 5.0, 6.0):
        budget.record(seconds)
    assert budget.next() == scheduler.BUDGET_FLOOR  # 10 x 5 s is below the floor
    for seconds in (40.0, 50.0, 60.0, 70.0):
        budget.record(seconds)
    assert budget.next() == 400  # 10 x the median (40 s)
    assert scheduler.TimeBudget(limit=900, fixed=60).next() == 60


# -- feedback and class analytics on the graded class ----------------------------------------------------
def test_feedback_hides_hidden_tests_and_shows_charts(hostile, stock):
    course = hostile["course"]
    pages = grading.feedback(A, course=course)
    assert len(pages) == sum(1 for status, _, _ in EXPECTED.values() if status == "graded")
    html = (course / "feedback" / "reference" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in html and "hidden tests:" in html
    assert html.count("data:image/svg+xml") + html.count("<svg ") >= 2  # static charts
    assert "cdn.jsdelivr.net" not in html
    # stock nbgrader shows them: that is what the preprocessor removes
    release.run_nbgrader(["generate_feedback", A, "--student=victim"], stock["course"],
                         env={"DPDLAB_STOCK_NBGRADER": "1"})
    stock_html = (stock["course"] / "feedback" / "victim" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" in stock_html


def test_class_analytics_notebook_runs_on_the_graded_class(hostile, tmp_path):
    import nbformat
    import papermill

    notebook = ROOT / "grading" / "analytics" / "class_analytics.ipynb"
    out = tmp_path / "class_analytics.ipynb"
    papermill.execute_notebook(str(notebook), str(out), cwd=str(notebook.parent),
                               parameters={"gradebook": str(hostile["course"] / "gradebook.db")}, **PAPERMILL)
    cells = nbformat.read(out, as_version=4).cells
    charts = sum(svg.MIMETYPE in o.get("data", {}) for c in cells if c.cell_type == "code" for o in c.outputs)
    assert charts >= 4
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + o.get("text", "")
                     for c in cells if c.cell_type == "code" for o in c.outputs)
    assert "argentina_account_handover" in text
    from dpdlab import analytics

    book = analytics.load(hostile["course"] / "gradebook.db")
    counts = analytics.status_counts(book, A).set_index("status")["students"].to_dict()
    assert counts["late"] == 1 and counts["missing"] == 1 + sum(s == "rejected" for s, _, _ in EXPECTED.values())
    assert analytics.failed_tests(book, A)["cell"].iloc[0] == "q1-check"
