"""Team assignments: one submission per team, graded under the team's id, with a roster of its members.

In nbgrader a team is a student: its id (``team-a``) is the nbgrader student id under which one notebook is
submitted, autograded and graded by hand. The **teams roster** (a CSV the instructor keeps, never in git) says
who is in which team::

    team_id,member_id,name,role,login,lms_id,email
    team-a,s001,Ana Pérez,spokesperson,aperez,1001,
    team-a,s002,Bruno Silva,consul;ambassador,bsilva,1002,

``team_id``, ``member_id`` and ``name`` are required; ``role`` (roles separated by ``;``) and the LMS columns
``login``, ``lms_id`` and ``email`` are optional. A member belongs to one team.

* :func:`import_roster` turns it into a roster for ``dpdlab grade import``: each member's LMS identity maps to
  the team's id, so the notebook a member uploads for the team lands in ``submitted/<team id>/``; two members
  who both upload are both reported, never silently merged.
* :func:`register` adds each team id to the gradebook as an nbgrader student (so a team that does not submit
  shows as missing).
* :func:`member_grades` copies each team's grade to its members, one row per member.

The student ids the roster holds are checked like the import's (:data:`dpdlab.grading.importing.STUDENT_ID`).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from dpdlab.grading.course import course_id, course_root, db_url
from dpdlab.grading.importing import STUDENT_ID

REQUIRED = ("team_id", "member_id", "name")
OPTIONAL = ("role", "login", "lms_id", "email")
ROLE_SEPARATOR = ";"
MESSAGES = {
    "columns": "Teams roster {path}: it needs the columns {required}; it has {present}.",
    "bad_id": "Teams roster {path}, line {line}: {column} '{value}' is not a usable id (letters, digits, . _ - @).",
    "empty": "Teams roster {path}, line {line}: {column} is empty.",
    "twice": "Teams roster {path}, line {line}: member '{member}' is already in {team} (line {first}).",
    "role": "Teams roster {path}, line {line}: role '{role}' is not one of: {allowed}.",
    "no_rows": "Teams roster {path} lists no one.",
}


def read_teams(path: Path | str, roles: tuple[str, ...] | None = None) -> list[dict[str, str]]:
    """The rows of a teams roster, checked; ``roles`` (if given) are the allowed role keys.

    Raises ``ValueError`` naming the line of the first problem.
    """
    path = Path(path)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        present = [c.strip() for c in reader.fieldnames or []]
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    if not set(REQUIRED) <= set(present):
        raise ValueError(MESSAGES["columns"].format(path=path, required=", ".join(REQUIRED),
                                                    present=", ".join(present) or "none"))
    if not rows:
        raise ValueError(MESSAGES["no_rows"].format(path=path))
    seen: dict[str, tuple[str, int]] = {}
    for line, row in enumerate(rows, start=2):
        for column in ("team_id", "member_id"):
            if not STUDENT_ID.match(row[column]):
                raise ValueError(MESSAGES["bad_id"].format(path=path, line=line, column=column, value=row[column]))
        if not row["name"]:
            raise ValueError(MESSAGES["empty"].format(path=path, line=line, column="name"))
        if row["member_id"] in seen:
            team, first = seen[row["member_id"]]
            raise ValueError(MESSAGES["twice"].format(path=path, line=line, member=row["member_id"], team=team,
                                                      first=first))
        seen[row["member_id"]] = (row["team_id"], line)
        for role in member_roles(row):
            if roles is not None and role not in roles:
                raise ValueError(MESSAGES["role"].format(path=path, line=line, role=role, allowed=", ".join(roles)))
        for column in OPTIONAL:
            row.setdefault(column, "")
    return rows


def member_roles(row: dict[str, str]) -> list[str]:
    """The roles a roster row gives its member (several separated by ``;``)."""
    return [r.strip() for r in row.get("role", "").split(ROLE_SEPARATOR) if r.strip()]


def team_ids(teams: list[dict[str, str]]) -> list[str]:
    """The teams of a roster, in the order they first appear."""
    return list(dict.fromkeys(row["team_id"] for row in teams))


def members(teams: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """``{team id: [member rows]}``."""
    grouped: dict[str, list[dict[str, str]]] = {team: [] for team in team_ids(teams)}
    for row in teams:
        grouped[row["team_id"]].append(row)
    return grouped


def import_roster(teams: list[dict[str, str]]) -> list[dict[str, str]]:
    """A roster for ``dpdlab grade import``: each member's LMS identity (login, LMS id, email, name) mapped to
    the team id as ``student_id``."""
    return [{"student_id": row["team_id"], "login": row["login"], "lms_id": row["lms_id"], "email": row["email"],
             "name": row["name"]} for row in teams]


def write_import_roster(teams: list[dict[str, str]], to: Path | str) -> Path:
    """Write :func:`import_roster` to ``to`` as CSV and return the path."""
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    with open(to, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["student_id", "login", "lms_id", "email", "name"])
        writer.writeheader()
        writer.writerows(import_roster(teams))
    return to


def register(teams: list[dict[str, str]], course: Path | None = None) -> list[str]:
    """Add each team id to the course's gradebook as an nbgrader student, with ``nbgrader db student import``
    (safe to repeat); return the ids. The import file is kept as ``reports/teams-students.csv``."""
    from dpdlab.grading.course import REPORTS, nbgrader

    course = course_root(course)
    ids = team_ids(teams)
    students = Path(course) / REPORTS / "teams-students.csv"
    students.parent.mkdir(parents=True, exist_ok=True)
    with open(students, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email"])
        writer.writerows([team, "Team", team, ""] for team in ids)
    nbgrader(["db", "student", "import", str(students)], Path(course))
    return ids


def member_grades(assignment: str, teams: list[dict[str, str]], course: Path | None = None) -> pd.DataFrame:
    """Each member with their team's grade on ``assignment``: one row per member.

    Columns ``assignment``, ``team_id``, ``member_id``, ``name``, ``role``, ``status`` (``graded``,
    ``needs manual grading`` or ``missing``), ``score``, ``max_score`` (a missing team scores 0).
    """
    from nbgrader.api import Gradebook, MissingEntry

    course = course_root(course)
    results: dict[str, tuple[str, float, float]] = {}
    with Gradebook(db_url(course), course_id(course)) as gradebook:
        maximum = float(gradebook.find_assignment(assignment).max_score)
        for team in team_ids(teams):
            try:
                submission = gradebook.find_submission(assignment, team)
            except MissingEntry:
                results[team] = ("missing", 0.0, maximum)
                continue
            status = "needs manual grading" if submission.needs_manual_grade else "graded"
            results[team] = (status, float(submission.score), float(submission.max_score))
    rows = []
    for row in teams:
        status, score, top = results[row["team_id"]]
        rows.append({"assignment": assignment, "team_id": row["team_id"], "member_id": row["member_id"],
                     "name": row["name"], "role": ROLE_SEPARATOR.join(member_roles(row)), "status": status,
                     "score": score, "max_score": top})
    return pd.DataFrame(rows)
