"""The import step: submissions from a folder or an LMS export, mapped to student ids, into ``submitted/``.

What students upload is hostile input, and so are the names they give their files. :func:`import_submissions`

1. unpacks the folder or the export (zip, tar, tar.gz) safely with :mod:`dpdlab.grading.archives`: regular
   files only, no links, no ``..``, within size limits; what it leaves out is reported;
2. decides once, from the whole listing, how the export is laid out (Canvas, Moodle, a folder per student,
   ``<id>__<notebook>``), and takes each file's student only from the part the LMS wrote (Canvas's prefix,
   Moodle's folder or prefix, the student's folder), never from the part of the name the student chose;
3. keeps one file per student and notebook: of two that collide, the newer by the LMS's timestamp, or
   neither when there is none (each reported, naming the other), so that one student's files never stop
   the import of the class;
4. hands only those files to nbgrader's ``zip_collect``, whose :class:`PlannedCollector` maps them as
   decided.

The source is never changed; the import can be run again and gives the same result.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin
from nbgrader.utils import parse_utc
from traitlets import Unicode

from dpdlab.grading import archives
from dpdlab.grading.course import REPORTS, course_root, nbgrader, notebook_names

MESSAGES = {
    "no_source": "Nothing to import: {source} is neither a folder nor a zip or tar archive.",
    "no_pattern_match": "{file}: the file name matches none of the patterns; rename it or pass --pattern.",
    "off_layout": "{file}: not laid out like the rest of this export ({layout}: {shape}); not imported. Rename it "
                  "or pass --pattern.",
    "not_in_roster": "{file}: no student in the roster has {field} '{value}'.",
    "ambiguous": "{file}: the roster has more than one student with {field} '{value}' ({students}); not imported.",
    "disagree": "{file}: the roster's columns name different students ({detail}); not imported.",
    "bad_student_id": "{file}: '{value}' is not a usable student id (letters, digits, . _ - @ only).",
    "bad_timestamp": "{file}: the timestamp '{value}' is not a date and time; not imported.",
    "not_notebook": "{file}: not a notebook (.ipynb); skipped.",
    "renamed": "{file}: taken as {notebook} for student {student} (the file name differed).",
    "conflict": "{file}: {student}'s {notebook} also comes from {others}; none of them is imported (no LMS "
                "timestamp says which is newer). Keep one and import again.",
    "older": "{file}: {student}'s {notebook} also comes from {newer}, which is newer; this one is not imported.",
    "inside": "every file of the export is in the folder '{top}'; the names below are inside it.",
    "bad_roster": "Roster {roster}: {problem}.",
}

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$")
# LMS export layouts, matched against a file's path inside the export ("/" between folders). Named groups:
# student_id, or lms_id / login / name to look up in the roster; file_id, the notebook's file name;
# optional timestamp. Each puts the identity only in what the LMS writes, before the file's own name.
PATTERNS = {
    # Canvas, flat: login[_LATE]_userid_submissionid_filename.ipynb
    "canvas": r"^(?P<login>[^_/]+?)(?:_LATE)?_(?P<lms_id>\d+)_\d+_(?P<file_id>[^/]+\.ipynb)$",
    # Moodle: a folder per student, Full Name_userid_assignsubmission_file_/filename.ipynb, or the same flat
    "moodle": r"^(?P<name>[^_/]+)_(?P<lms_id>\d+)_assignsubmission_file_/?(?P<file_id>[^/]+\.ipynb)$",
    # a folder per student: <student_id>/<notebook>.ipynb
    "folders": r"^(?P<student_id>[^/]+)/(?P<file_id>[^/]+\.ipynb)$",
    # <student_id>__<notebook>.ipynb (or one dash/underscore)
    "plain": r"^(?P<student_id>[A-Za-z0-9.@-]+)(?:__|_|-)(?P<file_id>[^/]+\.ipynb)$",
}
SHAPES = {"canvas": "login[_LATE]_userid_submissionid_file.ipynb",
          "moodle": "Full Name_userid_assignsubmission_file_/file.ipynb",
          "folders": "<student id>/file.ipynb", "plain": "<student id>__file.ipynb"}
IDENTITY = ("student_id", "lms_id", "login", "email", "name")   # the groups that say who a file is from


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
    """Map one file (its path inside the export) to ``{student_id, file_id, timestamp?}``.

    The first pattern that matches the whole path decides (never the file name alone: that part is the
    student's). Returns the mapping (None if it cannot be mapped) and a message ('' when nothing to say).
    """
    name = relative.replace(os.sep, "/")
    if not name.endswith(".ipynb"):
        return None, MESSAGES["not_notebook"].format(file=name)
    groups = next(({k: v for k, v in found.groupdict().items() if v is not None}
                   for found in (re.match(pattern, name) for pattern in patterns) if found), None)
    if not groups:
        return None, MESSAGES["no_pattern_match"].format(file=name)
    if roster is not None:
        student, problem = lookup(groups, roster, name)
        if problem:
            return None, problem
    else:
        student = groups.get("student_id") or groups.get("login") or groups.get("lms_id") or groups.get("name", "")
    if not STUDENT_ID.match(student or ""):
        return None, MESSAGES["bad_student_id"].format(file=name, value=student)
    if "timestamp" in groups and not _parse_time(groups["timestamp"]):
        return None, MESSAGES["bad_timestamp"].format(file=name, value=groups["timestamp"])
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


def lookup(groups: dict[str, str], roster: list[dict], name: str) -> tuple[str | None, str]:
    """The roster's student for a match's identity groups, or None and why not.

    Every group the roster knows a value of must point at the same one student: a login of one student
    with the LMS id of another is refused, and so is a name two students share when nothing else decides.
    """
    found = {}
    for key in IDENTITY:
        if key in groups:
            hits = {row["student_id"] for row in roster if row.get(key, "").lower() == groups[key].lower()}
            if hits:
                found[key] = hits
    if not found:
        key = next(k for k in IDENTITY if k in groups)
        return None, MESSAGES["not_in_roster"].format(file=name, field=key, value=groups[key])
    common = set.intersection(*found.values())
    if len(common) == 1:
        return common.pop(), ""
    if common:
        key = next(iter(found))
        return None, MESSAGES["ambiguous"].format(file=name, field=key, value=groups[key],
                                                  students=", ".join(sorted(common)))
    detail = "; ".join(f"{key} '{groups[key]}': {', '.join(sorted(hits))}" for key, hits in found.items())
    return None, MESSAGES["disagree"].format(file=name, detail=detail)


def choose_layout(files: list[str]) -> tuple[str, str]:
    """The layout of an export, from its whole listing: ``(top folder to look inside, PATTERNS key)``.

    The layout that fits the most notebooks wins (Canvas, then Moodle, a folder per student, plain, on a
    tie). When every file sits in one folder, the layouts are also tried inside it (a re-zipped export).
    Students cannot sway this: in an LMS export every top-level name is written by the LMS.
    """
    notebooks = [f for f in files if f.endswith(".ipynb")]
    tops = {f.split("/", 1)[0] for f in files}
    prefixes = [""] + ([f"{tops.pop()}/"] if len(tops) == 1 and all("/" in f for f in files) else [])
    best, score = ("", "canvas"), 0
    for layout, pattern in PATTERNS.items():
        for prefix in prefixes:
            fits = sum(1 for f in notebooks if f.startswith(prefix) and re.match(pattern, f[len(prefix):]))
            if fits > score:
                best, score = (prefix, layout), fits
    return best


@dataclass
class Plan:
    """What an import takes: at most one file per student and notebook, and why the others are left."""

    top: str                                                    # the folder the files are inside ("" or "x/")
    files: dict[str, dict] = field(default_factory=dict)        # path inside top -> {student_id, file_id, ...}
    unmapped: list[str] = field(default_factory=list)           # messages
    notes: list[str] = field(default_factory=list)


def plan_import(files: list[str], roster: list[dict] | None, notebooks: list[str],
                patterns: list[str] | None = None) -> Plan:
    """Decide what to import from an export's listing (paths with "/").

    The layout is chosen once for the whole export; ``patterns`` replace the built-in layouts, each tried
    on every file. Paths in the plan and its messages are inside the folder ``Plan.top``.
    """
    top, layout = ("", None) if patterns else choose_layout(files)
    plan, mapped, notes = Plan(top), {}, {}
    if top:
        plan.notes.append(MESSAGES["inside"].format(top=top))
    for file in sorted(f[len(top):] for f in files):
        info, message = match_file(file, patterns or [PATTERNS[layout]], roster, notebooks)
        if info is None and layout and file.endswith(".ipynb") and not re.match(PATTERNS[layout], file):
            message = MESSAGES["off_layout"].format(file=file, layout=layout, shape=SHAPES[layout])
        if info is None:
            plan.unmapped.append(message)
        else:
            mapped[file], notes[file] = info, message
    plan.files, refused, superseded = resolve_conflicts(mapped)
    plan.unmapped += refused
    plan.notes += [note for file, note in notes.items() if note and file in plan.files] + superseded
    return plan


def resolve_conflicts(mapped: dict[str, dict]) -> tuple[dict[str, dict], list[str], list[str]]:
    """At most one file per student and notebook: the newest by timestamp, else none.

    Returns the files kept, the messages of files refused (each naming the others) and notes on the older
    files left out for a newer one.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for file, info in mapped.items():
        groups.setdefault((info["student_id"], info["file_id"]), []).append(file)
    chosen, refused, superseded = {}, [], []
    for (student, notebook), files in groups.items():
        if len(files) == 1:
            chosen[files[0]] = mapped[files[0]]
            continue
        times = {f: _parse_time(mapped[f].get("timestamp", "")) for f in files}
        newest = max(files, key=lambda f: times[f] or datetime.min)
        unique = all(times.values()) and sum(times[f] == times[newest] for f in files) == 1
        for file in files:
            others = ", ".join(f for f in files if f != file)
            if not unique:
                refused.append(MESSAGES["conflict"].format(file=file, student=student, notebook=notebook,
                                                           others=others))
            elif file == newest:
                chosen[file] = mapped[file]
            else:
                superseded.append(MESSAGES["older"].format(file=file, student=student, notebook=notebook,
                                                           newer=newest))
    return chosen, refused, superseded


def _parse_time(value: str):
    """The UTC time ``value`` says, or None if it is not one."""
    try:
        return parse_utc(value) if value else None
    except (ValueError, OverflowError):
        return None


class PlannedCollector(FileNameCollectorPlugin):
    """nbgrader ``zip_collect`` plugin: maps each file as :func:`plan_import` decided, nothing else."""

    plan = Unicode("", help="JSON file: {path relative to root: {student_id, file_id, timestamp?}}.").tag(config=True)
    root = Unicode("", help="The extracted folder (the plan's paths are relative to it).").tag(config=True)

    def collect(self, submitted_file: str):
        """The planned mapping of one extracted file; None (skipped) for any file not in the plan."""
        plan = json.loads(Path(self.plan).read_text(encoding="utf-8"))
        return plan.get(os.path.relpath(submitted_file, self.root).replace(os.sep, "/"))


@dataclass
class ImportReport:
    """What an import did: who was imported from which files, and every file or entry it left out."""

    mapped: dict[str, list[str]] = field(default_factory=dict)   # student -> files
    unmapped: list[str] = field(default_factory=list)            # messages
    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)             # entries of the export left out, with why


def import_submissions(assignment: str, source: Path, course: Path | None = None, roster: Path | None = None,
                       patterns: list[str] | None = None, limits: archives.Limits = archives.LIMITS) -> ImportReport:
    """Import a folder or an LMS export (zip, tar, tar.gz) of submissions with nbgrader's ``zip_collect``.

    The source is never changed. Files are matched to students by the export's layout (Canvas, Moodle, a
    folder per student, ``<id>__<notebook>``) or by ``patterns``, and looked up in ``roster`` when given.
    An export over ``limits`` raises :class:`~dpdlab.grading.archives.ArchiveRefused` and imports nothing.
    Running it again with the same input gives the same result; a newer file replaces an older one.
    """
    course = course_root(course)
    source = Path(source).resolve()  # the instructor's own path; below it no link is followed
    rows = read_roster(roster) if roster is not None else None  # fail early, with the line at fault
    if not (source.is_dir() or archives.is_archive(source)):
        raise FileNotFoundError(MESSAGES["no_source"].format(source=source))
    work = course / "downloaded" / assignment
    root, refused = _unpack(source, work, limits)
    files = sorted(str(p.relative_to(root)).replace(os.sep, "/") for p in root.rglob("*") if p.is_file())
    plan = plan_import(files, rows, notebook_names(course, assignment), patterns)
    _collect(assignment, course, work, root / plan.top, plan.files)
    report = ImportReport(unmapped=plan.unmapped, notes=plan.notes, refused=refused)
    for file, info in sorted(plan.files.items()):
        report.mapped.setdefault(info["student_id"], []).append(file)
    report_path = course / REPORTS / f"import-{assignment}.json"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(report.__dict__, indent=1), encoding="utf-8")
    return report


def _unpack(source: Path, work: Path, limits: archives.Limits) -> tuple[Path, list[str]]:
    """Unpack ``source`` safely; a copy of it is kept in ``archive/``. Returns the tree and what was left out.

    A folder's safe copy is both the kept copy and the tree; an archive is copied only once it unpacked.
    """
    if source.is_dir():
        root = work / "archive" / source.name
        return root, archives.unpack(source, root, limits)
    root = work / "unpacked"
    refused = archives.unpack(source, root, limits)
    kept = work / "archive" / source.name
    kept.parent.mkdir(parents=True, exist_ok=True)
    archives.remove(kept)
    shutil.copyfile(source, kept)
    return root, refused


def _collect(assignment: str, course: Path, work: Path, root: Path, plan: dict[str, dict]) -> None:
    """Run ``zip_collect`` on the planned files only, staged from ``root`` (a tree of our own)."""
    staging, plan_path = work / "staging", work / "plan.json"
    archives.remove(staging)
    for file in plan:
        (staging / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / file, staging / file)
    plan_path.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    if plan:
        nbgrader(["zip_collect", assignment, "--force", "--ZipCollectApp.archive_directory=staging",
                  "--ZipCollectApp.collector_plugin=dpdlab.grading.importing.PlannedCollector",
                  f"--PlannedCollector.plan={plan_path}", f"--PlannedCollector.root={work / 'extracted'}"], course)
    archives.remove(staging)
