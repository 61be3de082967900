"""The import step: submissions from a folder or an LMS export, mapped to student ids, into ``submitted/``.

:func:`import_submissions` copies a folder or a zip export into ``downloaded/<assignment>/archive/`` and runs
nbgrader's ``zip_collect`` with :class:`RosterCollector`, which maps each file to a student id (a file-name
pattern and an optional roster CSV) and reports every file it could not map. The source is never changed.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin
from traitlets import Unicode

from dpdlab.grading.course import REPORTS, course_root, nbgrader, notebook_names

MESSAGES = {
    "no_source": "Nothing to import: {source} is neither a folder nor a .zip file.",
    "no_pattern_match": "{file}: the file name matches none of the patterns; rename it or pass --pattern.",
    "not_in_roster": "{file}: no student in the roster has {field} '{value}'.",
    "bad_student_id": "{file}: '{value}' is not a usable student id (letters, digits, . _ - @ only).",
    "not_notebook": "{file}: not a notebook (.ipynb); skipped.",
    "renamed": "{file}: taken as {notebook} for student {student} (the file name differed).",
    "bad_roster": "Roster {roster}: {problem}.",
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
    patterns = Unicode("", help="JSON list of regular expressions (default: dpdlab.grading.importing.PATTERNS).").tag(
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
            "--ZipCollectApp.collector_plugin=dpdlab.grading.importing.RosterCollector",
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

