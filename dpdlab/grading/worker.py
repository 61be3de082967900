"""The worker process: ``python -m dpdlab.grading.worker ASSIGNMENT`` grades one student after another.

It reads student ids on standard input, in its own copy of the course (the current folder). For each it
inspects the submission (:mod:`dpdlab.grading.inspection`) and runs nbgrader's own ``Autograde`` converter on
it, whose execution step hands the student's code to the sandbox (:mod:`dpdlab.grading.execute`). It answers
one JSON line per student: status, messages and seconds.
"""
from __future__ import annotations

import io
import json
import logging
import re
import shutil
import sys
import time
from pathlib import Path

from dpdlab.grading import files
from dpdlab.grading.course import notebook_names
from dpdlab.grading.inspection import MAX_SUBMISSION_MB, inspect_submission
from dpdlab.grading.inspection import MESSAGES as INSPECTION_MESSAGES

MESSAGES = {
    "nbgrader_failed": "nbgrader could not grade this submission: {error}",
    "extra_files": ("Files beside the notebook ({names}) are kept in submitted/ for the instructor to look at; "
                    "they are not used in grading."),
    "not_taken": "Not taken for grading: {problem}",
}
TIMESTAMP = "timestamp.txt"
# What grading takes of a submission besides its notebooks: the time, and the secret nbgrader's exchange
# writes at submit (release_feedback names each student's feedback page after it).
KEPT_FILES = (TIMESTAMP, "submission_secret.txt")


def stage_submission(course: Path, work: Path, student: str, assignment: str) -> tuple[bool, list[str]]:
    """Copy what grading needs of a student's submission into a worker's course copy: the assignment's
    notebooks, the timestamp and the exchange's submission secret, as regular files, never through a link.
    Anything else in the submission (extra files, links, FIFOs) stays where it is, with a message; a notebook
    that is not a regular file is rejected (:mod:`dpdlab.grading.files`)."""
    notebooks = notebook_names(course, assignment)
    relative = Path("submitted") / student / assignment
    target = work / relative
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    messages: list[str] = []
    try:
        entries = files.entries_beneath(course, relative)
    except files.UnsafeFile as problem:
        return False, [MESSAGES["not_taken"].format(problem=problem)]
    extra = []
    for entry in entries:
        if entry.name not in notebooks and entry.name not in KEPT_FILES:
            if entry.kind in ("file", "folder"):
                extra.append(entry.name)
            else:
                messages.append(MESSAGES["not_taken"].format(problem=_describe(entry, relative)))
            continue
        try:
            data = files.read_beneath(course, relative / entry.name, limit_mb=MAX_SUBMISSION_MB + 1)
        except files.UnsafeFile as problem:
            if entry.name in notebooks:
                return False, [*messages, INSPECTION_MESSAGES["unsafe"].format(problem=problem)]
            messages.append(MESSAGES["not_taken"].format(problem=problem))
            continue
        files.write_new(target / entry.name, data)
    if extra:
        messages.insert(0, MESSAGES["extra_files"].format(names=", ".join(extra[:10])
                                                          + (", ..." if len(extra) > 10 else "")))
    return True, messages


def _describe(entry: files.Entry, folder: Path) -> str:
    path = f"{folder.as_posix()}/{entry.name}"
    if entry.kind == "link":
        return files.MESSAGES["link"].format(path=path, target=entry.target)
    return files.MESSAGES["special"].format(path=path, kind=entry.kind)


def _check(assignment: str, student: str) -> tuple[bool, list[str]]:
    """Inspect a student's submission in this (worker) course copy; write repaired copies in place."""
    folder = Path("submitted") / student / assignment
    accepted, messages = True, []
    for name in notebook_names(Path("."), assignment):
        path = folder / name
        if not path.exists():
            files = ", ".join(sorted(p.name for p in folder.iterdir() if p.name != "timestamp.txt")) or "none"
            return False, [INSPECTION_MESSAGES["missing_notebook"].format(notebook=name, files=files)]
        release_nb = json.loads((Path("release") / assignment / name).read_text(encoding="utf-8"))
        source_nb = json.loads((Path("source") / assignment / name).read_text(encoding="utf-8"))
        ok, notes, repaired = inspect_submission(path, release_nb, source_nb)
        messages += notes
        accepted &= ok
        if ok and repaired is not None:  # a copy: this is the worker's course, not the original
            path.write_text(json.dumps(repaired, indent=1), encoding="utf-8")
    return accepted, messages


def main(argv: list[str]) -> int:
    """Read students on stdin (JSON lines: ``student`` and an optional time ``budget`` in seconds); check and
    grade each with nbgrader's own app; answer one JSON line each."""
    import argparse

    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    from dpdlab.grading import execute

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
    _throwaway_gradebook()
    # nbgrader's autograde app, configured once (config file, course directory); then its Autograde
    # converter once per student, as `nbgrader autograde --student ID --force` would run it
    buffer = io.StringIO()
    app = AutogradeApp()
    app.initialize(["--force", *extra])
    app.init_logging(logging.StreamHandler, [buffer], color=False, subapps=True)
    app.coursedir.assignment_id = args.assignment
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        student = request["student"]
        if request.get("budget"):  # this student's time budget (the scheduler's, from the class so far)
            app.config.DpdlabExecute.notebook_timeout = int(request["budget"])
        began = time.monotonic()
        accepted, messages = _check(args.assignment, student)
        if not accepted:
            print(json.dumps({"student": student, "status": "rejected", "messages": messages, "seconds": 0.0}),
                  flush=True)
            continue
        buffer.seek(0)
        buffer.truncate()
        execute.EVENTS.clear()
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
        messages += list(dict.fromkeys(execute.EVENTS))
        if status == "failed":
            messages.append(MESSAGES["nbgrader_failed"].format(error=_first_error(log)))
        print(json.dumps({"student": student, "status": status, "messages": messages,
                          "seconds": round(time.monotonic() - began, 2)}), flush=True)
    return 0


def _throwaway_gradebook() -> None:
    """Let SQLite skip waiting for the disk in this process: the worker's gradebook is a copy that the
    scheduler merges into the course's (which keeps SQLite's usual durability); nbgrader commits a few dozen
    times per student."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _no_fsync(connection, record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def _first_error(log: str) -> str:
    """The most telling error of an nbgrader log: the exception line of its last traceback, if any."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    exceptions = [line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception|Exit)\b.*", line)]
    if exceptions:
        return exceptions[-1][:500]
    errors = [line.split("ERROR]", 1)[-1].strip() for line in lines if "ERROR]" in line]
    useful = [e for e in errors if e and not e.startswith(("There was an error processing", "Please see"))]
    return (useful or errors or lines[-1:] or ["no log"])[-1][:500]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
