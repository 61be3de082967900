"""Course grades by the components and weights of the teaching guide (grading/teaching_guide.md, "Assessment").

Every graded cell of the course's source notebooks belongs to one component:

* ``concept_checks``: the autograded cells under a *Concept check* heading (each module's short quiz);
* ``exercises``: every other autograded cell of the modules and cases;
* ``written``: the manually graded answers, scored with the rubrics in ``grading/rubrics/``;
* ``simulation``: every graded cell of the crisis simulation, which a team hands in under its team id;
* ``practice``: the start page and the primer, which the guide counts towards participation, not the grade.

:func:`cell_components` reads the components from the sources. :func:`course_grades` takes the gradebook's
table of scores per cell (:func:`dpdlab.analytics.load`), adds up for each student and component the points
earned over the points possible in the assignments set, copies each team's simulation points to its members,
and weights the shares. Participation is the instructor's own record, passed in as a share per student.
"""
from __future__ import annotations

import json
import numbers
import re
from pathlib import Path

import pandas as pd

from dpdlab import paths, release
from dpdlab.i18n import messages

COMPONENTS = ("exercises", "concept_checks", "written", "simulation", "participation")
WEIGHTS = {"exercises": 0.25, "concept_checks": 0.10, "written": 0.35, "simulation": 0.15, "participation": 0.15}
SIMULATION = frozenset({"crisis_simulation"})
PRACTICE = frozenset({"00_start_here", "00a_python_pandas_primer"})
# the heading of a module's quiz, in each edition
CONCEPT_CHECK = re.compile(r"concept check\b|comprobación de conceptos\b", re.I)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")

MESSAGES = messages(__name__, {
    "weights": "The weights must be numbers of at least 0 for the components {known}; got {got}.",
    "no_points": ("No assignment set has points in the component '{component}', which has a weight of {weight:g}. "
                  "Pass weights without it (for example weights={{..., '{component}': 0}})."),
    "no_participation": ("The participation weight is {weight:g} but no participation was given: pass "
                         "participation={{student: share between 0 and 1}}, or a weight of 0."),
    "bad_participation": "Participation of '{student}' is {value!r}; a share must be between 0 and 1.",
    "teams_columns": "The teams table needs the columns team_id and member_id; it has {columns}.",
})


def _headings_and_cells(notebook: dict):
    """Each cell of a notebook with the headings open above it: ``(cell, [(level, text), ...])``."""
    open_headings: list[tuple[int, str]] = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        text = source if isinstance(source, str) else "".join(source)
        if cell.get("cell_type") == "markdown":
            fenced = False
            for line in text.splitlines():
                if line.lstrip().startswith(("```", "~~~")):
                    fenced = not fenced
                    continue
                match = None if fenced else HEADING.match(line)
                if match:
                    level = len(match.group(1))
                    open_headings = [h for h in open_headings if h[0] < level] + [(level, match.group(2))]
        yield cell, list(open_headings)


def component_of(assignment: str, cell: dict, headings: list[tuple[int, str]]) -> str:
    """The component of one graded cell, given its assignment (of any edition) and the headings above it."""
    from dpdlab.i18n import english_assignment

    assignment = english_assignment(assignment)
    if assignment in PRACTICE:
        return "practice"
    if assignment in SIMULATION:
        return "simulation"
    if cell.get("cell_type") == "markdown":
        return "written"
    if any(CONCEPT_CHECK.match(re.sub(r"[*_`]", "", text).strip()) for _, text in headings):
        return "concept_checks"
    return "exercises"


def cell_components(course: Path | None = None) -> pd.DataFrame:
    """Every graded cell of every edition's source notebooks: ``assignment, notebook, cell, component, points``
    (``notebook`` as nbgrader names it, the file name without ``.ipynb``; ``cell`` is the grade id)."""
    course = course or paths.course_dir()
    rows = []
    for assignment in release.all_assignments(course):
        for path in assignment.notebooks(course):
            notebook = json.loads(path.read_text(encoding="utf-8"))
            for cell, headings in _headings_and_cells(notebook):
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if meta.get("grade"):
                    rows.append({"assignment": assignment.id, "notebook": path.stem, "cell": meta["grade_id"],
                                 "component": component_of(assignment.id, cell, headings),
                                 "points": float(meta.get("points", 0))})
    return pd.DataFrame(rows, columns=["assignment", "notebook", "cell", "component", "points"])


def _check_teams(teams: pd.DataFrame | None) -> None:
    if teams is not None and not {"team_id", "member_id"} <= set(teams.columns):
        raise ValueError(MESSAGES["teams_columns"].format(columns=", ".join(map(str, teams.columns))))


def _member_rows(grades: pd.DataFrame, teams: pd.DataFrame | None) -> pd.DataFrame:
    """The grades table with each team's rows copied to its members (and the team's own rows gone)."""
    _check_teams(teams)
    if teams is None:
        return grades
    pairs = teams[["team_id", "member_id"]].astype(str)
    team_rows = grades[grades["student"].isin(pairs["team_id"])]
    copied = team_rows.merge(pairs, left_on="student", right_on="team_id").drop(columns=["student", "team_id"])
    copied = copied.rename(columns={"member_id": "student"})
    return pd.concat([grades[~grades["student"].isin(pairs["team_id"])], copied], ignore_index=True)


def component_shares(grades: pd.DataFrame, components: pd.DataFrame, students: list[str],
                     assignments: list[str] | None = None, teams: pd.DataFrame | None = None,
                     leave_out: list[tuple[str, str]] | None = None) -> pd.DataFrame:
    """Per student (the index) and component: points earned, points possible and their share.

    ``grades`` is :func:`dpdlab.analytics.load`'s ``grades`` table; ``components`` is :func:`cell_components`'s.
    Only the cells of ``assignments`` (default: every assignment in ``grades``) count. A student who handed in
    nothing earns 0 of the points possible; a cell not graded yet earns 0 and is counted in ``ungraded``.
    ``leave_out`` lists ``(assignment, grade id)`` pairs of cells that were not set: they count neither way.
    Cells the sources no longer have are sorted by their kind (``test``: exercises, ``written``: written).
    """
    grades = _member_rows(grades, teams)
    assignments = sorted(set(grades["assignment"])) if assignments is None else list(assignments)
    dropped = set(leave_out or ())
    keep = [(a, c) not in dropped for a, c in zip(components["assignment"], components["cell"])]
    set_cells = components[components["assignment"].isin(assignments) & pd.Series(keep, index=components.index)]
    kept_grades = [(a, c) not in dropped for a, c in zip(grades["assignment"], grades["cell"])]
    grades = grades[pd.Series(kept_grades, index=grades.index, dtype=bool)]
    possible = set_cells.groupby("component")["points"].sum()
    rows = grades[grades["assignment"].isin(assignments) & grades["student"].isin(students)]
    rows = rows.merge(set_cells[["assignment", "notebook", "cell", "component"]],
                      on=["assignment", "notebook", "cell"], how="left")
    fallback = rows["kind"].map({"test": "exercises", "written": "written"})
    rows["component"] = rows["component"].fillna(fallback)
    earned = rows.groupby(["student", "component"])["score"].sum(min_count=0).unstack(fill_value=0.0)
    ungraded = rows[rows["score"].isna()].groupby("student").size()
    table = pd.DataFrame(index=pd.Index(sorted(students), name="student"))
    for component in ("exercises", "concept_checks", "written", "simulation"):
        top = float(possible.get(component, 0.0))
        got = earned[component] if component in earned else pd.Series(dtype=float)
        table[f"{component}_earned"] = got.reindex(table.index, fill_value=0.0).astype(float)
        table[f"{component}_possible"] = top
        table[f"{component}_share"] = table[f"{component}_earned"] / top if top else float("nan")
    table["ungraded"] = ungraded.reindex(table.index, fill_value=0).astype(int)
    return table


def course_grades(book, weights: dict[str, float] | None = None, *, course: Path | None = None,
                  assignments: list[str] | None = None, leave_out: list[tuple[str, str]] | None = None,
                  teams: pd.DataFrame | None = None,
                  participation: dict[str, float] | pd.Series | None = None) -> pd.DataFrame:
    """Each student's share per component and weighted grade (0–100), from a gradebook read with
    :func:`dpdlab.analytics.load`.

    ``weights`` maps components (:data:`COMPONENTS`) to weights (default :data:`WEIGHTS`; they need not add up
    to 1). ``assignments`` limits the grade to the assignments set (default: every assignment in the gradebook),
    and ``leave_out`` drops the cells of exercises that were not set, as ``(assignment, grade id)`` pairs.
    ``teams`` is the teams roster (columns ``team_id`` and ``member_id``): each team's simulation points go to
    its members, and the team ids are not listed as students. ``participation`` maps each student to a share
    between 0 and 1 (missing students get 0). A component with a weight and no points possible raises
    ``ValueError``: leave it out of ``weights`` instead.
    """
    weights = dict(WEIGHTS if weights is None else weights)
    if set(weights) - set(COMPONENTS) or any(isinstance(v, bool) or not isinstance(v, numbers.Real) or v < 0
                                             for v in weights.values()):
        raise ValueError(MESSAGES["weights"].format(known=", ".join(COMPONENTS), got=weights))
    _check_teams(teams)
    team_ids = set() if teams is None else set(teams["team_id"].astype(str))
    members = set() if teams is None else set(teams["member_id"].astype(str))
    students = sorted((set(book.submissions["student"]) | members) - team_ids)
    table = component_shares(book.grades, cell_components(course), students, assignments, teams, leave_out)
    for component, weight in weights.items():
        if component != "participation" and weight > 0 and not table[f"{component}_possible"].max():
            raise ValueError(MESSAGES["no_points"].format(component=component, weight=weight))
    if weights.get("participation", 0) > 0:
        if participation is None:
            raise ValueError(MESSAGES["no_participation"].format(weight=weights["participation"]))
        shares = pd.Series(participation, dtype=object)
        for student, value in shares.items():
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
                raise ValueError(MESSAGES["bad_participation"].format(student=student, value=value))
        table["participation_share"] = shares.astype(float).reindex(table.index, fill_value=0.0)
    total = sum(weights.values())
    grade = sum(table[f"{c}_share"] * w for c, w in weights.items() if w > 0)
    table["grade"] = (100 * grade / total).round(1) if total else float("nan")
    return table
