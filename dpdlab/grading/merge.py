"""The merge step: a worker's results into the course, by the one process that writes the course's gradebook.

Each worker grades in its own copy of the course, with its own copy of the gradebook (so SQLite never sees
two writers). :func:`merge_submissions` copies the scores into the course's gradebook through nbgrader's
``Gradebook`` API; :func:`merge_autograded` moves the graded notebooks into the course's ``autograded/``.
"""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from dpdlab.grading import files
from dpdlab.grading.course import course_id, db_url


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



def merge_autograded(worker: Path, course: Path, assignment: str, students: list[str]) -> None:
    """Replace each of ``students``' ``autograded/<student>/<assignment>`` in the course by the worker's:
    the regular files only, read without following links (:mod:`dpdlab.grading.files`)."""
    for student in students:
        relative = Path("autograded") / student / assignment
        target = course / relative
        staging = target.with_name(target.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for entry in files.entries_beneath(worker, relative):
            if entry.kind == "file":
                files.write_new(staging / entry.name, files.read_beneath(worker, relative / entry.name))
        if target.is_symlink():
            target.unlink()
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
