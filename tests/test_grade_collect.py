"""`nbgrader collect` through the exchange: what students leave in inbound/ is hostile input.

The real `nbgrader collect` runs on a throwaway course whose exchange holds submission folders as
`nbgrader submit` writes them, then tampered with: a submission folder that is a link to the instructor's
sources, links to a root-only file and to a classmate's work, FIFOs, names nbgrader cannot parse, a
timestamp.txt that is not a time. The course's collect (dpdlab/grading/collect.py) copies regular files only,
logs each refusal, and collects the rest of the class; the same attacks are run under stock nbgrader to show
that they work there.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dpdlab import release

pytestmark = pytest.mark.grading
A = "argentina_account_handover"
NB = f"{A}.ipynb"
COURSE_ID = "dpd-latam"
TIME = "2026-03-01 10:00:00.000000 UTC"


def notebook_of(who: str) -> bytes:
    """A small notebook that says whose it is."""
    return json.dumps(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"# by {who}", id="by")])).encode()


def collect(course: Path, *args: str, stock: bool = False) -> subprocess.CompletedProcess:
    """The real ``nbgrader collect`` on ``course``, with a time limit: a FIFO must not make it hang."""
    env = {**os.environ, "DPDLAB_COURSE": str(course), "DPDLAB_EXCHANGE": str(course / "exchange"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    if stock:
        env["DPDLAB_STOCK_NBGRADER"] = "1"
    return subprocess.run([sys.executable, "-m", "nbgrader", "collect", A, *args], cwd=course, env=env,
                          check=False, capture_output=True, text=True, timeout=300)


def inbound_folder(course: Path, student: str, time: str = TIME, tail: str = "+x1") -> Path:
    """Where ``nbgrader submit`` puts a student's submission: inbound/<student>+<assignment>+<time>+<random>."""
    inbound = course / "exchange" / COURSE_ID / "inbound"
    inbound.mkdir(parents=True, exist_ok=True)
    return inbound / f"{student}+{A}+{time}{tail}"


def submit(course: Path, student: str, time: str = TIME, stamp: str | None = None) -> Path:
    """A submission as ``nbgrader submit`` writes it: the notebook and timestamp.txt."""
    folder = inbound_folder(course, student, time)
    folder.mkdir()
    (folder / NB).write_bytes(notebook_of(student))
    (folder / "timestamp.txt").write_text(time if stamp is None else stamp)
    return folder


def submitted(course: Path) -> dict[str, bytes]:
    return {str(p.relative_to(course / "submitted")): p.read_bytes()
            for p in sorted((course / "submitted").rglob("*")) if p.is_file()}


def outside(root: Path, course: Path) -> dict[str, tuple[int, bytes]]:
    """Every entry under ``root`` (links not followed) but submitted/ and nbgrader's own files."""
    skip = {course / "submitted", course / "gradebook.db", course / ".nbgrader.log"}
    found = {}
    for top, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if Path(top, d) not in skip]
        for name in dirs + files:
            path = Path(top, name)
            if path in skip:
                continue
            info = path.lstat()
            data = path.read_bytes() if stat.S_ISREG(info.st_mode) else b""
            found[str(path.relative_to(root))] = (info.st_mode, data)
    return found


@pytest.fixture
def course(tmp_path):
    return release.copy_course(tmp_path / "course", assignments=[a for a in release.manifest() if a.id == A])


@pytest.fixture
def canary(tmp_path):
    """A root-only file, and a home folder with it, that no collect may copy."""
    home = tmp_path / "root-home"
    home.mkdir()
    (home / "shadow").write_text("CANARY root-only\n")
    (home / "shadow").chmod(0o600)
    return home / "shadow"


def link_attacks(course: Path, canary: Path) -> None:
    """Submissions that point the grader at files it must not copy."""
    source = course / "source" / A
    submit(course, "alice")
    inbound_folder(course, "mallory").symlink_to(source)                  # the submission is the solutions
    inbound_folder(course, "oscar").symlink_to(canary.parent)             # ... or a root-only home folder
    eve = submit(course, "eve")
    (eve / NB).unlink()
    (eve / NB).symlink_to(canary)                                         # the notebook is a root-only file
    (eve / "answers.ipynb").symlink_to(source / NB)                       # a link to the solutions
    (eve / "alice").symlink_to(inbound_folder(course, "alice"))           # a classmate's submission


def test_links_in_inbound_are_not_followed(course, canary, tmp_path):
    link_attacks(course, canary)
    before = outside(tmp_path, course)
    result = collect(course)
    assert result.returncode == 0, result.stderr
    log = result.stderr
    source = course / "source" / A
    assert (f"Not collecting mallory's submission inbound/mallory+{A}+{TIME}+x1: 'mallory+{A}+{TIME}+x1' is a "
            f"symbolic link (to '{source}'); the grader does not follow links.") in log
    assert f"'oscar+{A}+{TIME}+x1' is a symbolic link (to '{canary.parent}')" in log
    for left_out in [f"'{NB}', a symbolic link (to '{canary}'): links are not followed",
                     f"'answers.ipynb', a symbolic link (to '{source / NB}')",
                     f"'alice', a symbolic link (to '{inbound_folder(course, 'alice')}')"]:
        assert f"Collecting eve's submission inbound/eve+{A}+{TIME}+x1 without {left_out}" in log
    assert submitted(course) == {f"alice/{A}/{NB}": notebook_of("alice"), f"alice/{A}/timestamp.txt": TIME.encode(),
                                 f"eve/{A}/timestamp.txt": TIME.encode()}
    assert outside(tmp_path, course) == before  # nothing written outside submitted/


def test_stock_collect_follows_those_links(course, canary):
    """The same attacks under stock nbgrader: solutions and the root-only file land in submitted/."""
    link_attacks(course, canary)
    result = collect(course, stock=True)
    assert result.returncode == 0, result.stderr
    copied = submitted(course)
    assert b"BEGIN SOLUTION" in copied[f"mallory/{A}/{NB}"]
    assert copied[f"oscar/{A}/shadow"] == canary.read_bytes()
    assert copied[f"eve/{A}/{NB}"] == canary.read_bytes()


def test_fifos_do_not_block_and_bad_names_do_not_stop_the_class(course):
    submit(course, "alice")
    os.mkfifo(inbound_folder(course, "frank"))                            # the submission is a FIFO
    gina = submit(course, "gina")
    os.mkfifo(gina / "extra.ipynb")                                       # a FIFO inside it
    inbound_folder(course, "zed", time="not-a-time").mkdir()
    inbound_folder(course, "").mkdir()                                    # no student: submitted/<assignment>
    result = collect(course)
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert f"Not collecting frank's submission inbound/frank+{A}+{TIME}+x1: 'frank+{A}+{TIME}+x1' is a FIFO " \
           "(named pipe), not a regular file; the grader does not open it." in log
    assert f"Collecting gina's submission inbound/gina+{A}+{TIME}+x1 without 'extra.ipynb', a FIFO (named pipe): " \
           "only regular files are collected" in log
    assert f"Not collecting inbound/zed+{A}+not-a-time+x1: 'not-a-time' is not a timestamp." in log
    assert f"Not collecting inbound/+{A}+{TIME}+x1: '' is not a student id." in log
    assert set(submitted(course)) == {f"{s}/{A}/{f}" for s in ("alice", "gina") for f in (NB, "timestamp.txt")}


def test_stock_collect_stops_the_class_at_one_bad_name(course):
    submit(course, "alice")
    inbound_folder(course, "zed", time="not-a-time").mkdir()
    result = collect(course, stock=True)
    assert result.returncode != 0 and "Unknown string format: not-a-time" in result.stderr
    assert not (course / "submitted").exists()


def test_a_timestamp_that_is_no_time_is_replaced_and_update_still_works(course):
    submit(course, "alice")
    submit(course, "mallory", stamp="yesterday, honest")
    result = collect(course)
    assert result.returncode == 0, result.stderr
    assert "mallory's timestamp.txt says 'yesterday, honest', which is not a timestamp; it is replaced" in result.stderr
    assert (course / "submitted" / "mallory" / A / "timestamp.txt").read_text() == TIME
    later = "2026-03-02 10:00:00.000000 UTC"
    submit(course, "alice", time=later)
    result = collect(course, "--update")
    assert result.returncode == 0, result.stderr
    assert (course / "submitted" / "alice" / A / "timestamp.txt").read_text() == later
