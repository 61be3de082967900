"""A learner's progress: which exercises' visible checks currently pass, remembered across notebooks.

When every visible check of an exercise passes, its check cell ends with ``passed("q1_name")``, which
records the exercise as passing. When a check cell fails, the hook that :func:`dpdlab.setup` installs
(:func:`dpdlab.checks.install_hooks`) clears that exercise's record, so the record says what passes *now*.
The start page reads the record and every notebook's list of exercises and shows a table of them
(:func:`progress_widget`).

Where the record lives
    ``DPDLAB_PROGRESS`` if set (a path to a JSON file), otherwise ``~/.dpdlab/progress.json``.
    ``DPDLAB_PROGRESS=off`` turns recording off.

When it is written
    Only in a notebook a person runs in Jupyter: the Jupyter server starts each notebook's kernel with
    ``JPY_SESSION_NAME`` (the notebook's path), and the record is keyed by that notebook's name. Nothing is
    written while nbgrader autogrades or validates (it sets ``NBGRADER_EXECUTION``), nor under papermill,
    nbclient or pytest, whose kernels have no notebook session. So grading and the tests never change a
    learner's progress, and the progress never changes a grade: it is a convenience, not a record of marks.

The file is small: ``{"version": 1, "passed": {"<notebook name>": {"<exercise>": "<ISO time>"}}}``. A
missing, unreadable or damaged file counts as "nothing passed yet"; writing never breaks a check cell.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as w
import pandas as pd

from dpdlab import paths
from dpdlab.widgets import View, labelled, linked
from dpdlab.i18n import messages

ENV_PATH = "DPDLAB_PROGRESS"
OFF = "off"
VERSION = 1
# The visible checks of an exercise end with this call; its argument names the exercise.
PASSED_CALL = re.compile(r"""\bpassed\(\s*["']([A-Za-z_]\w*)["']\s*\)""")

MESSAGES = messages(__name__, {
    "all": "all notebooks",
    "label": "Notebook",
    "columns": {"notebook": "notebook", "exercise": "exercise", "points": "points", "status": "visible checks"},
    "passing": "✓ pass",
    "not_yet": "not yet",
    "summary": ("The visible checks of **{passing} of {total}** exercises pass ({points_passing:g} of "
                "{points_total:g} self-checked points){scope}. Written answers are graded by a person and "
                "are not listed."),
    "scope": " in {notebook}",
    "where": "Your progress is kept in `{path}`; change the menu or re-run the cell to refresh it.",
    "where_off": "Recording is off (DPDLAB_PROGRESS=off), so nothing is marked as passing.",
})


@dataclass(frozen=True)
class Exercise:
    """A self-checked exercise: the notebook it is in, its name (``q1_…``) and its points."""

    notebook: str  # the notebook's name without .ipynb, e.g. "argentina_account_handover"
    title: str
    name: str
    points: float


def progress_path() -> Path | None:
    """The file the record is kept in, or None if recording is turned off."""
    value = os.environ.get(ENV_PATH, "").strip()
    if value.lower() == OFF:
        return None
    return Path(value).expanduser() if value else Path.home() / ".dpdlab" / "progress.json"


def session_notebook() -> str | None:
    """The name of the notebook this kernel runs, when a person runs it in Jupyter; None otherwise
    (grading, papermill, nbclient, plain Python)."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return None
    session = os.environ.get("JPY_SESSION_NAME", "").strip()
    return Path(session).stem if session.endswith(".ipynb") else None


def load(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The record: for each notebook name, the exercises that pass and when. Empty if there is none."""
    path = path or progress_path()
    if path is None or not path.is_file():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        passed = content.get("passed", {}) if isinstance(content, dict) else {}
        return {str(nb): {str(q): str(t) for q, t in qs.items()} for nb, qs in passed.items()
                if isinstance(qs, dict)}
    except (OSError, ValueError, AttributeError):
        return {}  # a damaged file must not stop the start page


def record(exercise: str, passing: bool, notebook: str | None = None, path: Path | None = None) -> bool:
    """Mark ``exercise`` of ``notebook`` (default: this kernel's notebook) as passing or not.

    Returns True if the record was written. Does nothing (False) outside a person's Jupyter session,
    while grading, or with recording turned off; never raises for a file it cannot write.
    """
    notebook = notebook or session_notebook()
    path = path or progress_path()
    if notebook is None or path is None:
        return False
    current = load(path)
    entries = current.setdefault(notebook, {})
    if passing:
        entries[exercise] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    elif entries.pop(exercise, None) is None:
        return False  # nothing to clear
    if not entries:
        current.pop(notebook)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         prefix=".progress-", suffix=".tmp") as handle:
            json.dump({"version": VERSION, "passed": current}, handle, indent=1, sort_keys=True)
        os.replace(handle.name, path)  # atomic: two notebooks saving at once cannot leave half a file
    except OSError:
        return False
    return True


def exercises_in(notebook: dict) -> list[tuple[str, float]]:
    """The self-checked exercises of a notebook (as a dict): ``(name, points)`` of each check cell that
    ends with ``passed("name")``, in order."""
    found = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        points = float(cell.get("metadata", {}).get("nbgrader", {}).get("points", 0) or 0)
        found.extend((name, points) for name in PASSED_CALL.findall(source))
    return found


def course_exercises() -> list[Exercise]:
    """Every self-checked exercise of the course, in course order (read from the nbgrader sources that
    the student notebooks are generated from, like the course map; the kernel's edition's, for its titles)."""
    # Here, not at the top: every check cell's passed() imports this module to record, and the release
    # manifest brings nbformat, polib and the translation machinery (2-4 MB in a kernel) that only this table needs.
    from dpdlab import release
    from dpdlab.i18n import edition

    course = paths.course_dir()
    found = []
    for assignment in release.edition_manifest(edition(), course):
        for source in assignment.notebooks(course):
            notebook = json.loads(source.read_text(encoding="utf-8"))
            title = notebook.get("metadata", {}).get("dpdlab", {}).get("title", source.stem)
            found.extend(Exercise(source.stem, title, name, points) for name, points in exercises_in(notebook))
    return found


def progress_table(notebook: str | None = None, record_: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """One row per self-checked exercise (of ``notebook``, or of the whole course): notebook, exercise,
    points and whether its visible checks pass according to the record."""
    done = load() if record_ is None else record_
    rows = [{"notebook": e.notebook, "exercise": e.name, "points": e.points,
             "status": MESSAGES["passing"] if e.name in done.get(e.notebook, {}) else MESSAGES["not_yet"]}
            for e in course_exercises() if notebook in (None, e.notebook)]
    return pd.DataFrame(rows, columns=["notebook", "exercise", "points", "status"])


def progress_view(notebook: str | None = None) -> View:
    """The start page's view: a summary line and the table of exercises × passing, read afresh."""
    notebook = notebook or None  # the menu's "all notebooks" is ""
    table = progress_table(notebook)
    passing = table["status"] == MESSAGES["passing"]
    scope = MESSAGES["scope"].format(notebook=f"`{notebook}`") if notebook else ""
    summary = MESSAGES["summary"].format(passing=int(passing.sum()), total=len(table), scope=scope,
                                         points_passing=float(table.loc[passing, "points"].sum()),
                                         points_total=float(table["points"].sum()))
    path = progress_path()
    where = MESSAGES["where"].format(path=_shown(path)) if path else MESSAGES["where_off"]
    return View(note=f"{summary}  \n{where}", figures=table.rename(columns=MESSAGES["columns"]))


def _shown(path: Path) -> str:
    """``path`` as a learner would type it: ``~/…`` inside the home folder."""
    try:
        return "~/" + path.resolve().relative_to(Path.home().resolve()).as_posix()
    except ValueError:
        return str(path)


def progress_widget() -> w.VBox:
    """Widget: pick a notebook (or all) and see which of its exercises' visible checks pass."""
    notebooks = list(dict.fromkeys(e.notebook for e in course_exercises()))
    options = [(MESSAGES["all"], ""), *((name, name) for name in notebooks)]
    control = labelled(w.Dropdown(options=options, value=""), MESSAGES["label"], "30em")
    return linked(progress_view, {"notebook": control})
