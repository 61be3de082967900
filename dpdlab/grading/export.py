"""The export step: grades to CSV with ``nbgrader export``, and each submission's grading report beside it."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from dpdlab.grading.course import REPORTS, course_root, nbgrader


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
