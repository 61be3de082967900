"""The instructor's semester loop, on top of nbgrader: release, import, autograde, feedback, export.

Every step runs nbgrader's own commands or API on the course directory (``DPDLAB_COURSE``, default
``grading/``) and is safe to run again:

``release``   ``nbgrader generate_assignment`` (and ``release_assignment`` to the exchange if asked).
``import``    copies a folder or an LMS zip export into ``downloaded/<assignment>/archive/`` and runs
              ``nbgrader zip_collect`` with :class:`RosterCollector`, which maps file names to student ids
              (a file-name pattern and an optional roster CSV) and reports every file it could not map.
``autograde`` grades the class in parallel: each worker process takes the next student from a shared queue,
              checks the submission (:func:`inspect_submission`: unreadable files are rejected with a
              specific message, damaged structure is reported or repaired in a copy), and runs nbgrader's
              autograde on it in its own copy of the course (its own copy of the gradebook, so SQLite never
              sees two writers). The results are merged into the course's gradebook through nbgrader's
              ``Gradebook`` API by this process alone. Student code runs in the sandbox
              (:mod:`dpdlab.sandbox`).
``feedback``  ``nbgrader generate_feedback`` (hidden tests hidden, charts as static images) and
              ``release_feedback`` to the exchange if asked.
``export``    ``nbgrader export`` to a CSV, plus ``grading-report.csv``: each submission's status and messages.

Original submissions are never written to: workers grade copies, and the sandbox cannot see ``submitted/``.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin
from traitlets import Unicode

from dpdlab import paths, release

MESSAGES = {
    # import
    "no_source": "Nothing to import: {source} is neither a folder nor a .zip file.",
    "no_pattern_match": "{file}: the file name matches none of the patterns; rename it or pass --pattern.",
    "not_in_roster": "{file}: no student in the roster has {field} '{value}'.",
    "bad_student_id": "{file}: '{value}' is not a usable student id (letters, digits, . _ - @ only).",
    "not_notebook": "{file}: not a notebook (.ipynb); skipped.",
    "renamed": "{file}: taken as {notebook} for student {student} (the file name differed).",
    "bad_roster": "Roster {roster}: {problem}.",
    # inspection
    "empty": "Rejected: the file is empty (0 bytes). Ask the student to submit again.",
    "too_large": "Rejected: the file is {mb:.0f} MB, more than the {limit} MB limit. Ask for the notebook "
                 "with outputs cleared (Edit > Clear Outputs of All Cells).",
    "not_utf8": "Rejected: the file is not UTF-8 text (invalid byte 0x{byte:02x} at offset {offset}). It is "
                "probably not a notebook, or was damaged in transfer.",
    "not_json": "Rejected: the file is not valid JSON ({error}; line {line}, column {column}). The notebook "
                "was damaged, e.g. edited in a text editor. Ask for a fresh copy.",
    "not_notebook_json": "Rejected: valid JSON but not a Jupyter notebook ({problem}).",
    "not_readable": "Rejected: nbformat cannot read this notebook: {error}",
    "missing_notebook": "Rejected: no {notebook} in the submission (files: {files}).",
    "deleted": "Grade cell '{id}' was deleted; nbgrader restores it from the release and grades it.",
    "duplicated": "Grade cell '{id}' appears {n} times; the first copy is graded, the others run as plain cells.",
    "reordered": "Graded cells are out of order ('{later}' comes before '{earlier}'); the notebook runs in the "
                 "submitted order, which may fail tests.",
    "type_changed": "Cell '{id}' was changed from {was} to {now}; nbgrader changes it back.",
    "edited": "Test cell '{id}' was edited; nbgrader restores the original before grading.",
    "unknown_id": "Cell '{id}' carries a grade id that is not in the assignment; it is graded as a plain cell.",
    "cell_ids": "{n} cell id(s) differ from the release (harmless: nbgrader matches cells by grade id).",
    "skip_tag": "Cell '{id}' is tagged 'skip-execution'; every cell runs anyway.",
    # autograde
    "graded": "graded",
    "already": "already graded (use --force to grade again)",
    "worker_died": "The grading process stopped while grading this submission (exit code {code}); it was "
                   "not graded. Its other classmates were graded.",
    "nbgrader_failed": "nbgrader could not grade this submission: {error}",
    "no_assignment": "Assignment '{assignment}' is not in the gradebook: run `dpdlab grade release {assignment}` "
                     "first.",
    "no_submissions": "No submissions for '{assignment}' in {folder}.",
    "summary": "{assignment}: {graded} graded, {rejected} rejected, {failed} failed, {skipped} skipped "
               "({seconds:.0f} s, {jobs} worker(s)).",
}

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$")
# LMS export file names, tried in order (named groups: student_id, or lms_id / login / name to look up in
# the roster; file_id = the notebook's file name; optional timestamp).
PATTERNS = {
    # Canvas: login[_LATE]_userid_submissionid_filename.ipynb
    "canvas": r"^(?P<login>[A-Za-z0-9.@-]+?)(?:_LATE)?_(?P<lms_id>\d+)_\d+_(?P<file_id>.+\.ipynb)$",
    # Moodle: Full Name_userid_assignsubmission_file_filename.ipynb
    "moodle": r"^(?P<name>[^_]+)_(?P<lms_id>\d+)_assignsubmission_file_(?P<file_id>.+\.ipynb)$",
    # a folder per student: <student_id>/<notebook>.ipynb
    "folders": r"^(?P<student_id>[^/]+)/(?P<file_id>[^/]+\.ipynb)$",
    # <student_id>__<notebook>.ipynb (or one dash/underscore)
    "plain": r"^(?P<student_id>[A-Za-z0-9.@-]+)(?:__|_|-)(?P<file_id>[^/]+\.ipynb)$",
}
MAX_SUBMISSION_MB = 50
REPORTS = "reports"


# ---------------------------------------------------------------------------------------------------------
# Course paths and nbgrader
# ---------------------------------------------------------------------------------------------------------
def course_root(course: Path | None = None) -> Path:
    return Path(course) if course else paths.course_dir()


def exchange_root(course: Path | None = None) -> Path:
    if course is None or os.environ.get("DPDLAB_EXCHANGE"):
        return paths.exchange_dir() if course is None else Path(os.environ["DPDLAB_EXCHANGE"])
    return Path(course) / "exchange"


def db_url(course: Path) -> str:
    return f"sqlite:///{course / 'gradebook.db'}"


def course_id(course: Path) -> str:
    """The course id set in the course's ``nbgrader_config.py``."""
    text = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    found = re.search(r"course_id\s*=\s*['\"]([^'\"]+)['\"]", text)
    return found.group(1) if found else "default_course"


def nbgrader(args: list[str], course: Path, check: bool = True, env: dict | None = None):
    return release.run_nbgrader(args, course, check=check, exchange=exchange_root(course), env=env)


def notebook_names(course: Path, assignment: str) -> list[str]:
    """The notebooks of ``assignment`` (file names), from its source folder."""
    names = sorted(p.name for p in (course / "source" / assignment).glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"No notebooks in {course / 'source' / assignment}")
    return names


# ---------------------------------------------------------------------------------------------------------
# Release
# ---------------------------------------------------------------------------------------------------------
def release_assignment(assignment: str, course: Path | None = None, exchange: bool = False) -> list[str]:
    """Generate the student version (and copy it to the exchange if ``exchange``); safe to repeat."""
    course = course_root(course)
    nbgrader(["generate_assignment", assignment, "--force"], course)
    lines = [f"released {assignment} to {course / 'release' / assignment}"]
    if exchange:
        nbgrader(["release_assignment", assignment, "--force"], course)
        lines.append(f"copied to the exchange {exchange_root(course)}")
    return lines


# ---------------------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------------------
def read_roster(roster: Path) -> list[dict[str, str]]:
    """Rows of a roster CSV: a ``student_id`` column, and any of ``lms_id``, ``login``, ``name``, ``email``,
    ``first_name``, ``last_name``."""
    with open(roster, newline="", encoding="utf-8-sig") as handle:
        rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
    if not rows or "student_id" not in rows[0]:
        raise ValueError(MESSAGES["bad_roster"].format(roster=roster, problem="it needs a 'student_id' column"))
    for number, row in enumerate(rows, start=2):
        if not STUDENT_ID.match(row["student_id"]):
            raise ValueError(MESSAGES["bad_roster"].format(
                roster=roster, problem=f"line {number}: '{row['student_id']}' is not a usable student id"))
    return rows


def match_file(relative: str, patterns: list[str], roster: list[dict] | None,
               notebooks: list[str]) -> tuple[dict | None, str]:
    """Map one file (path relative to the import folder) to ``{student_id, file_id, timestamp?}``.

    Returns the mapping (None if it cannot be mapped) and a message ('' when nothing to say).
    """
    name = relative.replace(os.sep, "/")
    if not name.endswith(".ipynb"):
        return None, MESSAGES["not_notebook"].format(file=name)
    groups = None
    for pattern in patterns:
        for candidate in (name, name.rsplit("/", 1)[-1]):
            found = re.match(pattern, candidate)
            if found:
                groups = {k: v for k, v in found.groupdict().items() if v is not None}
                break
        if groups:
            break
    if not groups:
        return None, MESSAGES["no_pattern_match"].format(file=name)
    student = groups.get("student_id")
    if roster is not None:
        student = None
        for key in ("student_id", "lms_id", "login", "email", "name"):
            if key in groups:
                value = groups[key]
                hits = [r for r in roster if r.get(key, "").lower() == value.lower()]
                if hits:
                    student = hits[0]["student_id"]
                    break
        if student is None:
            key = next(k for k in ("student_id", "lms_id", "login", "email", "name") if k in groups)
            return None, MESSAGES["not_in_roster"].format(file=name, field=key, value=groups[key])
    elif student is None:
        student = groups.get("login") or groups.get("lms_id") or groups.get("name", "")
    if not STUDENT_ID.match(student or ""):
        return None, MESSAGES["bad_student_id"].format(file=name, value=student)
    file_id = groups["file_id"].rsplit("/", 1)[-1]
    note = ""
    if file_id not in notebooks and len(notebooks) == 1:
        # "handover (1).ipynb", "handover-2.ipynb": the LMS or the student renamed the only notebook
        note = MESSAGES["renamed"].format(file=name, notebook=notebooks[0], student=student)
        file_id = notebooks[0]
    result = {"student_id": student, "file_id": file_id}
    if "timestamp" in groups:
        result["timestamp"] = groups["timestamp"]
    return result, note


class RosterCollector(FileNameCollectorPlugin):
    """nbgrader ``zip_collect`` plugin: maps each file with :func:`match_file` and records what it did."""

    roster = Unicode("", help="Roster CSV (student_id plus lms_id/login/name/email columns).").tag(config=True)
    patterns = Unicode("", help="JSON list of regular expressions (default: dpdlab.grader.PATTERNS).").tag(
        config=True)
    report = Unicode("", help="Where to write the JSON report of mapped and unmapped files.").tag(config=True)
    notebooks = Unicode("[]", help="JSON list of the assignment's notebook file names.").tag(config=True)
    root = Unicode("", help="The extracted folder (file names are matched relative to it).").tag(config=True)

    def collect(self, submitted_file: str):
        patterns = json.loads(self.patterns) if self.patterns else list(PATTERNS.values())
        roster = read_roster(Path(self.roster)) if self.roster else None
        relative = os.path.relpath(submitted_file, self.root) if self.root else os.path.basename(submitted_file)
        info, note = match_file(relative, patterns, roster, json.loads(self.notebooks))
        self._record({"file": relative.replace(os.sep, "/"), "mapped": info, "message": note})
        return info

    def _record(self, entry: dict) -> None:
        if not self.report:
            return
        path = Path(self.report)
        entries = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        entries.append(entry)
        path.write_text(json.dumps(entries, indent=1), encoding="utf-8")


@dataclass
class ImportReport:
    mapped: dict[str, list[str]] = field(default_factory=dict)   # student -> files
    unmapped: list[str] = field(default_factory=list)            # messages
    notes: list[str] = field(default_factory=list)


def import_submissions(assignment: str, source: Path, course: Path | None = None, roster: Path | None = None,
                       patterns: list[str] | None = None) -> ImportReport:
    """Copy a folder or zip of submissions into the course with nbgrader's ``zip_collect``.

    The source is never changed. Files are matched to students by ``patterns`` (default: Canvas, Moodle,
    a folder per student, ``<id>__<notebook>``) and looked up in ``roster`` when given. Running it again
    with the same input gives the same result; a newer file replaces an older one.
    """
    course = course_root(course)
    source = Path(source)
    if roster is not None:
        read_roster(roster)  # fail early, with the line at fault
    archive = course / "downloaded" / assignment / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        target = archive / source.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
        root_name = source.name
    elif source.is_file() and zipfile.is_zipfile(source):
        shutil.copy2(source, archive / source.name)
        root_name = source.stem
    else:
        raise FileNotFoundError(MESSAGES["no_source"].format(source=source))
    extracted = course / "downloaded" / assignment / "extracted"
    report_path = course / REPORTS / f"import-{assignment}.json"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.unlink(missing_ok=True)
    # only this import's files: the archive keeps every import, zip_collect would take them all
    keep = {source.name}
    staging = course / "downloaded" / assignment / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for item in archive.iterdir():
        if item.name in keep:
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, staging / item.name)
    args = ["zip_collect", assignment, "--force",
            f"--ZipCollectApp.archive_directory={staging.relative_to(course / 'downloaded' / assignment)}",
            "--ZipCollectApp.collector_plugin=dpdlab.grader.RosterCollector",
            f"--RosterCollector.report={report_path}",
            f"--RosterCollector.root={extracted / root_name}",
            f"--RosterCollector.notebooks={json.dumps(notebook_names(course, assignment))}"]
    if roster is not None:
        args.append(f"--RosterCollector.roster={Path(roster).resolve()}")
    if patterns:
        args.append(f"--RosterCollector.patterns={json.dumps(patterns)}")
    nbgrader(args, course)
    shutil.rmtree(staging, ignore_errors=True)
    report = ImportReport()
    for entry in json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else []:
        if entry["mapped"]:
            report.mapped.setdefault(entry["mapped"]["student_id"], []).append(entry["file"])
            if entry["message"]:
                report.notes.append(entry["message"])
        else:
            report.unmapped.append(entry["message"])
    return report


# ---------------------------------------------------------------------------------------------------------
# Inspection of a submission before grading
# ---------------------------------------------------------------------------------------------------------
def _nbgrader_meta(cell: dict) -> dict:
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    return meta.get("nbgrader", {}) if isinstance(meta, dict) and isinstance(meta.get("nbgrader"), dict) else {}


def _source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def inspect_submission(path: Path, release_notebook: dict, source_notebook: dict | None = None
                       ) -> tuple[bool, list[str], dict | None]:
    """Check a submitted notebook against its release before nbgrader sees it.

    Returns ``(accepted, messages, repaired)``. Files nbgrader cannot read are rejected with a message that
    says what is wrong and where; damage nbgrader repairs or grades around (deleted, duplicated, reordered,
    edited or retyped grade cells, changed ids, skip tags) is accepted and reported. Two kinds of damage
    make nbgrader 0.9 stop with a KeyError (a second copy of a grade cell, a grade id not in the
    assignment): ``repaired`` is then a copy of the notebook in which those cells are plain cells (the
    original file is not touched); otherwise it is None. A test cell counts as edited
    when it matches neither the release nor the instructor's ``source_notebook``.
    """
    import nbformat

    data = path.read_bytes()
    if not data.strip():
        return False, [MESSAGES["empty"]], None
    if len(data) > MAX_SUBMISSION_MB * 2**20:
        return False, [MESSAGES["too_large"].format(mb=len(data) / 2**20, limit=MAX_SUBMISSION_MB)], None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return False, [MESSAGES["not_utf8"].format(byte=data[error.start], offset=error.start)], None
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        return False, [MESSAGES["not_json"].format(error=error.msg, line=error.lineno, column=error.colno)], None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return False, [MESSAGES["not_notebook_json"].format(problem="no list of 'cells'")], None
    if notebook.get("nbformat") != 4:
        return False, [MESSAGES["not_notebook_json"].format(problem=f"nbformat {notebook.get('nbformat')!r}, "
                                                                     f"expected 4")], None
    try:
        nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises several kinds
        return False, [MESSAGES["not_readable"].format(error=str(error).splitlines()[0][:300])], None

    messages = []
    expected = [c for c in release_notebook["cells"] if _nbgrader_meta(c).get("grade_id")]
    by_id = {_nbgrader_meta(c)["grade_id"]: c for c in expected}
    order = [_nbgrader_meta(c)["grade_id"] for c in expected]
    originals = {_nbgrader_meta(c).get("grade_id"): _source(c).strip() for c in (source_notebook or {}).get("cells", [])}
    seen: dict[str, int] = {}
    submitted_order = []
    plain = []  # cells whose nbgrader metadata must go
    for cell in notebook["cells"]:
        grade_id = _nbgrader_meta(cell).get("grade_id")
        if "skip-execution" in (cell.get("metadata", {}).get("tags") or []):
            messages.append(MESSAGES["skip_tag"].format(id=grade_id or cell.get("id", "?")))
        if not grade_id:
            continue
        if grade_id not in by_id:
            messages.append(MESSAGES["unknown_id"].format(id=grade_id))
            plain.append(cell)
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        if seen[grade_id] > 1:
            plain.append(cell)
            continue
        submitted_order.append(grade_id)
        original = by_id[grade_id]
        if cell.get("cell_type") != original["cell_type"]:
            messages.append(MESSAGES["type_changed"].format(id=grade_id, was=original["cell_type"],
                                                            now=cell.get("cell_type")))
        elif _nbgrader_meta(original).get("locked") and _nbgrader_meta(original).get("grade") \
                and _source(cell).strip() not in (_source(original).strip(), originals.get(grade_id)):
            messages.append(MESSAGES["edited"].format(id=grade_id))
    for grade_id in order:
        if grade_id not in seen:
            messages.append(MESSAGES["deleted"].format(id=grade_id))
        elif seen[grade_id] > 1:
            messages.append(MESSAGES["duplicated"].format(id=grade_id, n=seen[grade_id]))
    ranks = [order.index(g) for g in submitted_order]
    for (a, rank_a), (b, rank_b) in zip(zip(submitted_order, ranks), zip(submitted_order[1:], ranks[1:])):
        if rank_b < rank_a:
            messages.append(MESSAGES["reordered"].format(later=a, earlier=b))
            break
    release_ids = {c.get("id") for c in release_notebook["cells"]}
    changed = sum(1 for c in notebook["cells"] if _nbgrader_meta(c).get("grade_id") in by_id
                  and c.get("id") not in release_ids)
    if changed:
        messages.append(MESSAGES["cell_ids"].format(n=changed))
    for cell in plain:
        del cell["metadata"]["nbgrader"]
    return True, messages, notebook if plain else None


# ---------------------------------------------------------------------------------------------------------
# Autograde, in parallel
# ---------------------------------------------------------------------------------------------------------
@dataclass
class Result:
    """What happened to one student's submission."""

    student: str
    status: str                     # graded | rejected | failed | skipped
    messages: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0


def submitted_students(course: Path, assignment: str) -> list[str]:
    folder = course / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file (the backup API, not a file copy that could catch a write)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def graded_students(course: Path, assignment: str) -> set[str]:
    """Students with an autograded folder and a submission in the gradebook for ``assignment``."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course), course_id(course)) as gradebook:
        in_book = {s.student.id for s in gradebook.assignment_submissions(assignment)}
    return {s for s in in_book if (course / "autograded" / s / assignment).is_dir()}


def merge_submissions(worker: Path, course: Path, assignment: str, students: list[str]) -> None:
    """Copy ``students``' autograde results from a worker's gradebook into the course's, with nbgrader's
    ``Gradebook`` API: student, submission (timestamp), late penalties, auto scores, auto comments.

    Manual scores already in the course's gradebook are kept (and the cell flagged for review), as
    nbgrader's own autograde does.
    """
    from nbgrader.api import Gradebook

    if not students:
        return
    cid = course_id(course)
    with warnings.catch_warnings(), Gradebook(db_url(worker), cid) as src, Gradebook(db_url(course), cid) as dst:
        # nbgrader's cosmetic SAWarning when a submission is first created (see stack-notes)
        warnings.simplefilter("ignore")
        for student in students:
            student_row = src.find_student(student)
            known = {k: getattr(student_row, k) for k in ("first_name", "last_name", "email", "lms_user_id")
                     if getattr(student_row, k) is not None}
            dst.update_or_create_student(student, **known)
            submission = src.find_submission(assignment, student)
            dst.update_or_create_submission(assignment, student, timestamp=submission.timestamp)
            for notebook in submission.notebooks:
                target = dst.find_submission_notebook(notebook.name, assignment, student)
                target.late_submission_penalty = notebook.late_submission_penalty
                for grade in notebook.grades:
                    row = dst.find_grade(grade.name, notebook.name, assignment, student)
                    row.auto_score = grade.auto_score
                    row.needs_manual_grade = grade.needs_manual_grade or row.manual_score is not None
                for comment in notebook.comments:
                    row = dst.find_comment(comment.name, notebook.name, assignment, student)
                    row.auto_comment = comment.auto_comment
            dst.db.commit()


def _scores(course: Path, assignment: str, students: list[str]) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    wanted = set(students)
    with Gradebook(db_url(course), course_id(course)) as gradebook:
        return {s.student.id: (s.code_score, s.max_code_score) for s in gradebook.assignment_submissions(assignment)
                if s.student.id in wanted}


def _prepare_worker(course: Path, work: Path, assignment: str) -> None:
    """A private copy of the course for one worker: config, source, release and a snapshot of the gradebook."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copy2(course / "nbgrader_config.py", work / "nbgrader_config.py")
    for folder in ("source", "release"):
        shutil.copytree(course / folder / assignment, work / folder / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _copy_database(course / "gradebook.db", work / "gradebook.db")


class _Worker:
    """A ``python -m dpdlab.grader worker`` process: reads student ids on stdin, grades each in its own
    course copy, answers one JSON line per student."""

    def __init__(self, index: int, work: Path, assignment: str, options: list[str]):
        self.index, self.work, self.assignment, self.options = index, work, assignment, options
        self.process: subprocess.Popen | None = None
        self.done: list[dict] = []

    def start(self) -> None:
        env = {**os.environ, "DPDLAB_COURSE": str(self.work), "DPDLAB_EXCHANGE": str(self.work / "exchange"),
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
        command = [sys.executable, "-m", "dpdlab.grader", "worker", self.assignment, *self.options,
                   f"--uid-offset={self.index}"]
        self.process = subprocess.Popen(command, cwd=self.work, env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def grade(self, student: str, stall_seconds: int) -> dict:
        """Send one student; wait for the answer. A dead or stalled process fails that student only."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        watchdog = threading.Timer(stall_seconds, self.process.kill)
        watchdog.start()
        try:
            self.process.stdin.write(student + "\n")
            self.process.stdin.flush()
            for line in self.process.stdout:
                if line.startswith("{"):
                    entry = json.loads(line)
                    if entry.get("student") == student:
                        return entry
        except (BrokenPipeError, OSError):
            pass
        finally:
            watchdog.cancel()
        code = self.process.wait()
        self.process = None
        return {"student": student, "status": "failed", "messages": [MESSAGES["worker_died"].format(code=code)]}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


def default_jobs() -> int:
    """Parallel workers when none are asked for: one more than the machine's cores. A worker spends part of
    each student waiting (its kernel starting, gradebook writes); the extra one keeps the cores busy then.
    On 2 cores, 100 submissions: 3 workers graded 1.83x faster than stock serial nbgrader, 2 workers 1.70x
    (bench/autograde.py)."""
    return (os.cpu_count() or 1) + 1


def autograde(assignment: str, course: Path | None = None, jobs: int | None = None, force: bool = False,
              students: list[str] | None = None, timeout: int | None = None, sandbox: bool = True,
              progress: bool = True, stall_seconds: int = 1800) -> list[Result]:
    """Autograde the class (or ``students``) with ``jobs`` parallel workers (default: :func:`default_jobs`);
    return one Result per student.

    Already graded students are skipped unless ``force``. ``timeout`` overrides the per-cell time limit.
    Workers take the next student from a shared queue, so a slow submission does not hold the others up.
    A report is written to ``<course>/reports/autograde-<assignment>.json``.
    """
    from nbgrader.api import Gradebook, MissingEntry

    course = course_root(course).resolve()
    began = time.monotonic()
    with Gradebook(db_url(course), course_id(course)) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(MESSAGES["no_assignment"].format(assignment=assignment)) from None
    chosen = [s for s in submitted_students(course, assignment) if students is None or s in students]
    if not chosen:
        raise FileNotFoundError(MESSAGES["no_submissions"].format(assignment=assignment,
                                                                  folder=course / "submitted"))
    if any(not (course / "release" / assignment / n).exists() for n in notebook_names(course, assignment)):
        nbgrader(["generate_assignment", assignment, "--force"], course)
    done = set() if force else graded_students(course, assignment)
    results = {s: Result(s, "skipped", [MESSAGES["already"]]) if s in done else Result(s, "pending")
               for s in chosen}
    to_grade = [s for s in chosen if s not in done]
    # largest submissions first: the long ones start early and the queue ends with short ones
    to_grade.sort(key=lambda s: -sum(p.stat().st_size for p in (course / "submitted" / s / assignment).glob("*")))
    jobs = max(1, min(jobs or default_jobs(), len(to_grade) or 1))
    options = [f"--timeout={timeout}"] if timeout else []
    if not sandbox:
        options.append("--no-sandbox")
    work_root = course / ".dpdlab-work" / assignment
    workers = []
    if to_grade:
        for index in range(jobs):
            _prepare_worker(course, work_root / f"worker-{index}", assignment)
            workers.append(_Worker(index, work_root / f"worker-{index}", assignment, options))
    queue = list(reversed(to_grade))
    lock = threading.Lock()
    bar = _progress(len(to_grade), progress, assignment)

    def run(worker: _Worker) -> None:
        while True:
            with lock:
                if not queue:
                    break
                student = queue.pop()
            # the worker grades a copy: the original submission stays as it is
            shutil.copytree(course / "submitted" / student / assignment,
                            worker.work / "submitted" / student / assignment, dirs_exist_ok=True)
            entry = worker.grade(student, stall_seconds)
            worker.done.append(entry)
            with lock:
                bar.update(1)
        worker.stop()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bar.close()

    # merge, in this process only: one writer for the course's gradebook
    for worker in workers:
        graded = [e["student"] for e in worker.done if e["status"] == "graded"]
        merge_submissions(worker.work, course, assignment, graded)
        for student in graded:
            source = worker.work / "autograded" / student / assignment
            target = course / "autograded" / student / assignment
            staging = target.with_name(target.name + ".new")
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(source, staging)
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
        for entry in worker.done:
            result = results[entry["student"]]
            result.status = entry["status"]
            result.messages += entry.get("messages", [])
            result.seconds = entry.get("seconds", 0.0)
    shutil.rmtree(work_root, ignore_errors=True)
    rejected = [r.student for r in results.values() if r.status == "rejected"]
    if rejected:  # on the class list, with no submission: exports and analytics show them as missing
        with Gradebook(db_url(course), course_id(course)) as gradebook:
            for student in rejected:
                gradebook.update_or_create_student(student)
    scores = _scores(course, assignment, [r.student for r in results.values() if r.status in ("graded", "skipped")])
    for result in results.values():
        if result.student in scores and result.status in ("graded", "skipped"):
            result.score, result.max_score = scores[result.student]
    ordered = [results[s] for s in chosen]
    _write_report(course, assignment, ordered, jobs, time.monotonic() - began)
    return ordered


def _progress(total: int, enabled: bool, assignment: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"autograding {assignment}", unit="student", disable=not enabled or total == 0,
                file=sys.stderr)


def _write_report(course: Path, assignment: str, results: list[Result], jobs: int, seconds: float) -> Path:
    folder = course / REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"autograde-{assignment}.json"
    previous = {}
    if path.exists():
        previous = {r["student"]: r for r in json.loads(path.read_text(encoding="utf-8"))["results"]}
    for result in results:
        if result.status == "skipped" and result.student in previous:
            continue  # keep what the grading run said
        previous[result.student] = asdict(result)
    path.write_text(json.dumps({"assignment": assignment, "jobs": jobs, "seconds": round(seconds, 1),
                                "results": sorted(previous.values(), key=lambda r: r["student"])}, indent=1),
                    encoding="utf-8")
    return path


def summary(assignment: str, results: list[Result], jobs: int | None = None, seconds: float = 0.0) -> str:
    counts = {k: sum(r.status == k for r in results) for k in ("graded", "rejected", "failed", "skipped")}
    return MESSAGES["summary"].format(assignment=assignment, seconds=seconds, jobs=jobs or "-", **counts)


# ---------------------------------------------------------------------------------------------------------
# The worker process
# ---------------------------------------------------------------------------------------------------------
def _check(assignment: str, student: str) -> tuple[bool, list[str]]:
    """Inspect a student's submission in this (worker) course copy; write repaired copies in place."""
    folder = Path("submitted") / student / assignment
    accepted, messages = True, []
    for name in notebook_names(Path("."), assignment):
        path = folder / name
        if not path.exists():
            files = ", ".join(sorted(p.name for p in folder.iterdir() if p.name != "timestamp.txt")) or "none"
            return False, [MESSAGES["missing_notebook"].format(notebook=name, files=files)]
        release_nb = json.loads((Path("release") / assignment / name).read_text(encoding="utf-8"))
        source_nb = json.loads((Path("source") / assignment / name).read_text(encoding="utf-8"))
        ok, notes, repaired = inspect_submission(path, release_nb, source_nb)
        messages += notes
        accepted &= ok
        if ok and repaired is not None:  # a copy: this is the worker's course, not the original
            path.write_text(json.dumps(repaired, indent=1), encoding="utf-8")
    return accepted, messages


def _worker(argv: list[str]) -> int:
    """Read student ids on stdin; check and grade each with nbgrader's own app; one JSON line each."""
    import argparse

    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    from dpdlab import autograde as pp

    parser = argparse.ArgumentParser()
    parser.add_argument("assignment")
    parser.add_argument("--timeout", type=int)
    parser.add_argument("--no-sandbox", action="store_true")
    parser.add_argument("--uid-offset", type=int, default=0)
    args = parser.parse_args(argv)
    extra = [f"--SandboxedKernelManager.uid={64100 + args.uid_offset}"]
    if args.timeout:
        extra.append(f"--Execute.timeout={args.timeout}")
    if args.no_sandbox:
        extra.append("--DpdlabExecute.sandbox=False")
    # nbgrader's autograde app, configured once (config file, course directory); then its Autograde
    # converter once per student, as `nbgrader autograde --student ID --force` would run it
    buffer = io.StringIO()
    app = AutogradeApp()
    app.initialize(["--force", *extra])
    app.init_logging(logging.StreamHandler, [buffer], color=False, subapps=True)
    app.coursedir.assignment_id = args.assignment
    for line in sys.stdin:
        student = line.strip()
        if not student:
            continue
        began = time.monotonic()
        accepted, messages = _check(args.assignment, student)
        if not accepted:
            print(json.dumps({"student": student, "status": "rejected", "messages": messages, "seconds": 0.0}),
                  flush=True)
            continue
        buffer.seek(0)
        buffer.truncate()
        pp.EVENTS.clear()
        status = "graded"
        app.coursedir.student_id = student
        try:
            Autograde(coursedir=app.coursedir, parent=app).start()
        except NbGraderException:  # nbgrader logged why
            status = "failed"
        except Exception as error:  # nbgrader stops on some damage (e.g. metadata it cannot read)
            status = "failed"
            buffer.write(f"[Autograde | ERROR] {type(error).__name__}: {error}\n")
        log = buffer.getvalue()
        if not (Path("autograded") / student / args.assignment).is_dir():
            status = "failed"
        messages += list(dict.fromkeys(pp.EVENTS))
        if status == "failed":
            messages.append(MESSAGES["nbgrader_failed"].format(error=_first_error(log)))
        print(json.dumps({"student": student, "status": status, "messages": messages,
                          "seconds": round(time.monotonic() - began, 2)}), flush=True)
    return 0


def _first_error(log: str) -> str:
    """The most telling error of an nbgrader log: the exception line of its last traceback, if any."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    exceptions = [line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception|Exit)\b.*", line)]
    if exceptions:
        return exceptions[-1][:500]
    errors = [line.split("ERROR]", 1)[-1].strip() for line in lines if "ERROR]" in line]
    useful = [e for e in errors if e and not e.startswith(("There was an error processing", "Please see"))]
    return (useful or errors or lines[-1:] or ["no log"])[-1][:500]


def answered(release_notebook: dict, source_notebook: dict, answers: dict[str, str | None] | None = None) -> dict:
    """A released notebook with answers filled in, as a student would submit it (for self-checks, tests and
    benchmarks): each solution cell gets ``answers[grade_id]`` if given, else the instructor's solution
    from ``source_notebook`` (``None`` keeps the release's stub)."""
    import copy

    solutions = {}
    for cell in source_notebook["cells"]:
        meta = _nbgrader_meta(cell)
        if meta.get("solution") and cell["cell_type"] == "code":
            lines = _source(cell).splitlines()
            solutions[meta["grade_id"]] = "\n".join(l for l in lines if "### BEGIN SOLUTION" not in l
                                                    and "### END SOLUTION" not in l)
    notebook = copy.deepcopy(release_notebook)
    answers = answers or {}
    for cell in notebook["cells"]:
        grade_id = _nbgrader_meta(cell).get("grade_id")
        if grade_id in solutions:
            chosen = answers.get(grade_id, solutions[grade_id])
            if chosen is not None:
                cell["source"] = chosen
    return notebook


# ---------------------------------------------------------------------------------------------------------
# Feedback and export
# ---------------------------------------------------------------------------------------------------------
def feedback(assignment: str, course: Path | None = None, exchange: bool = False,
             show_hidden_tests: bool = False) -> list[Path]:
    """Generate each graded student's feedback HTML (and release it to the exchange if asked)."""
    course = course_root(course)
    args = ["generate_feedback", assignment, "--force"]
    if show_hidden_tests:
        args.append("--HideHiddenTests.enabled=False")
    nbgrader(args, course)
    if exchange:
        nbgrader(["release_feedback", assignment], course)
    return sorted((course / "feedback").glob(f"*/{assignment}/*.html"))


def export(course: Path | None = None, to: Path | None = None) -> tuple[Path, Path]:
    """``nbgrader export`` to ``to`` (default ``<course>/grades.csv``), and ``grading-report.csv`` beside it
    with each autograded submission's status and messages."""
    course = course_root(course)
    to = Path(to or course / "grades.csv").resolve()
    nbgrader(["export", f"--to={to}"], course)
    report = to.with_name("grading-report.csv")
    with open(report, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "student_id", "status", "score", "max_score", "messages"])
        for path in sorted((course / REPORTS).glob("autograde-*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for r in data["results"]:
                writer.writerow([data["assignment"], r["student"], r["status"], r["score"], r["max_score"],
                                 " | ".join(r["messages"])])
    return to, report


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        sys.exit(_worker(sys.argv[2:]))
    sys.exit("usage: python -m dpdlab.grader worker ASSIGNMENT [options]  (student ids on stdin)")
