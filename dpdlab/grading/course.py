"""The nbgrader course directory: where its parts are, how nbgrader is run on it, what its gradebook holds.

Every step of the semester loop works on one course directory (``DPDLAB_COURSE``, default ``grading/``)
with nbgrader's own commands or its ``Gradebook`` API. This module also holds the release step, which is
nbgrader's ``generate_assignment`` (and ``release_assignment`` to the exchange) and nothing more.
"""
from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from dpdlab import paths, release

# Where the steps write their reports (import and autograde), inside the course directory.
REPORTS = "reports"


def course_root(course: Path | None = None) -> Path:
    """The course directory: ``course`` if given, else ``DPDLAB_COURSE`` (default ``grading/``)."""
    return Path(course) if course else paths.course_dir()


def exchange_root(course: Path | None = None) -> Path:
    """nbgrader's exchange for ``course``: ``DPDLAB_EXCHANGE`` if set, else ``<course>/exchange``."""
    if course is None or os.environ.get("DPDLAB_EXCHANGE"):
        return paths.exchange_dir() if course is None else Path(os.environ["DPDLAB_EXCHANGE"])
    return Path(course) / "exchange"


def db_url(course: Path) -> str:
    """The SQLAlchemy address of the course's gradebook."""
    return f"sqlite:///{Path(course) / 'gradebook.db'}"


def course_id(course: Path) -> str:
    """The course id set in the course's ``nbgrader_config.py``."""
    text = (Path(course) / "nbgrader_config.py").read_text(encoding="utf-8")
    found = re.search(r"course_id\s*=\s*['\"]([^'\"]+)['\"]", text)
    return found.group(1) if found else "default_course"


def nbgrader(args: list[str], course: Path, check: bool = True, env: dict | None = None):
    """Run ``nbgrader ARGS`` on ``course`` (see :func:`dpdlab.release.run_nbgrader`)."""
    return release.run_nbgrader(args, course, check=check, exchange=exchange_root(course), env=env)


def notebook_names(course: Path, assignment: str) -> list[str]:
    """The notebooks of ``assignment`` (file names), from its source folder."""
    names = sorted(p.name for p in (Path(course) / "source" / assignment).glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"No notebooks in {Path(course) / 'source' / assignment}")
    return names


def submitted_students(course: Path, assignment: str) -> list[str]:
    """Students with a folder for ``assignment`` in ``submitted/`` (real folders only, never links)."""
    folder = Path(course) / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if not p.is_symlink() and not (p / assignment).is_symlink() and (p / assignment).is_dir())


def graded_students(course: Path, assignment: str) -> set[str]:
    """Students with an autograded folder and a submission in the gradebook for ``assignment``."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course), course_id(course)) as gradebook:
        in_book = {s.student.id for s in gradebook.assignment_submissions(assignment)}
    return {s for s in in_book if (Path(course) / "autograded" / s / assignment).is_dir()}


def autograded_scores(course: Path, assignment: str, students: list[str]) -> dict[str, tuple[float, float]]:
    """``{student: (autograded score, autograded maximum)}`` for ``students`` in the gradebook."""
    from nbgrader.api import Gradebook

    wanted = set(students)
    with Gradebook(db_url(course), course_id(course)) as gradebook:
        return {s.student.id: (s.code_score, s.max_code_score) for s in gradebook.assignment_submissions(assignment)
                if s.student.id in wanted}


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file (the backup API, not a file copy that could catch a write)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def release_assignment(assignment: str, course: Path | None = None, exchange: bool = False) -> list[str]:
    """Generate the student version (and copy it to the exchange if ``exchange``); safe to repeat."""
    course = course_root(course)
    nbgrader(["generate_assignment", assignment, "--force"], course)
    lines = [f"released {assignment} to {course / 'release' / assignment}"]
    if exchange:
        nbgrader(["release_assignment", assignment, "--force"], course)
        lines.append(f"copied to the exchange {exchange_root(course)}")
    return lines
