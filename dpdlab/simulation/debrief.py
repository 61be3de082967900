"""The instructor's debrief: every team's decisions, rules and simulated outcomes side by side.

A team's notebook is read, never run. Its decisions are literal values in code cells (``q1_first_post =
{...}``), so :func:`decisions_from_notebook` parses the cells with :mod:`ast` and keeps the last literal
assigned to each decision name, with :func:`ast.literal_eval`: nothing a team wrote is executed, imported or
rendered as HTML. A decision that is not a literal (it calls a function, names a variable) is reported as
unreadable. The notebooks are read as regular files beneath the course folder, never through a link, with a
size limit (:func:`dpdlab.grading.files.read_beneath`).

Then the rules (:func:`dpdlab.simulation.rules.breaches`) and the model (:func:`dpdlab.simulation.model.reaction`)
run in the instructor's kernel on those values, exactly as in the team's notebook. Teams may submit twice: in
class for the hot wash, and later with the after-action report; :func:`freeze` keeps the decisions seen in
class and :func:`changes_since` lists what a team changed afterwards.

Notebook: ``grading/instructor/crisis_simulation_debrief.ipynb`` (never released to students).
"""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dpdlab.simulation import model, rules, scenario
from dpdlab.simulation.text import RULES, VIEWS
from dpdlab.i18n import messages

MAX_NOTEBOOK_MB = 20
MAX_CELL_CHARS = 50_000
DEBRIEF_MESSAGES = messages(f"{__name__}.DEBRIEF_MESSAGES", {
    "not_literal": "{name}: not a literal value (it runs code); write it as numbers, text, lists and dicts",
    "unparsable": "cell {cell}: not valid Python, skipped",
    "unreadable_file": "{team}: the notebook could not be read ({why})",
    "wrong_team": "the notebook says team_id '{said}' but was submitted as '{team}'",
    "columns": {"team": "team", "on_roster": "on the roster", "submitted": "submitted", "members": "members",
                "notebook_team_id": "team id in the notebook", "problems": "problems reading it"},
    "decisions_axis": "decision (teams' choices, SIMULATED exercise)",
    "breaches_axis": "rules broken (SIMULATED exercise)",
    "outcomes_axis": "SIMULATED outcome (model assumptions, not findings)",
    "texts_axis": "what the team wrote (SIMULATED exercise)",
    "scores_axis": "autograded points per test cell",
    "changes_axis": "changed since the class",
    "kept": "kept",
    "not_graded": "not graded yet",
})


@dataclass
class TeamNotebook:
    """What one team's submission holds: its decisions (literal values), and what could not be read."""

    team: str
    decisions: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def notebook_team_id(self) -> str | None:
        team = self.decisions.get("q0_team")
        return team.get("team_id") if isinstance(team, dict) and isinstance(team.get("team_id"), str) else None


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def decisions_from_notebook(notebook: dict) -> tuple[dict[str, Any], list[str]]:
    """The decisions assigned as literals in ``notebook``'s code cells (the last assignment of each name
    wins, as when the cells run in order), and the problems met; nothing is executed."""
    found: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    problems = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _cell_source(cell)[:MAX_CELL_CHARS]
        if not any(name in source for name in scenario.DECISIONS):
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            problems.append(DEBRIEF_MESSAGES["unparsable"].format(cell=index))
            continue
        for node in tree.body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in scenario.DECISIONS):
                continue
            name = node.targets[0].id
            try:
                found[name] = ast.literal_eval(node.value)
                unreadable.pop(name, None)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                found.pop(name, None)
                unreadable[name] = DEBRIEF_MESSAGES["not_literal"].format(name=name)
    return found, problems + list(unreadable.values())


def read_team(course: Path, team: str, assignment: str = scenario.ASSIGNMENT,
              folder: str = "submitted") -> TeamNotebook:
    """Team ``team``'s notebook in ``<course>/<folder>/<team>/<assignment>/`` (a regular file, no link)."""
    from dpdlab.grading.files import read_beneath

    relative = Path(folder) / team / assignment / f"{assignment}.ipynb"
    try:
        notebook = json.loads(read_beneath(Path(course), relative, limit_mb=MAX_NOTEBOOK_MB).decode("utf-8"))
        if not isinstance(notebook, dict):
            raise ValueError("not a notebook")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        return TeamNotebook(team, problems=[DEBRIEF_MESSAGES["unreadable_file"].format(team=team, why=error)])
    decisions, problems = decisions_from_notebook(notebook)
    result = TeamNotebook(team, decisions, problems)
    said = result.notebook_team_id
    if said is not None and said != team:
        result.problems.append(DEBRIEF_MESSAGES["wrong_team"].format(said=said, team=team))
    return result


def read_teams(course: Path, teams: list[str] | None = None, assignment: str = scenario.ASSIGNMENT,
               folder: str = "submitted") -> dict[str, TeamNotebook]:
    """Every team's notebook in ``<course>/<folder>/`` (or only ``teams``), by team id, sorted."""
    from dpdlab.grading.files import entries_beneath

    if teams is None:
        try:
            teams = sorted(e.name for e in entries_beneath(Path(course), folder) if e.kind == "folder")
        except OSError:
            teams = []
    return {team: read_team(Path(course), team, assignment, folder) for team in sorted(teams)}


# --- side by side ------------------------------------------------------------------------------------------

def roster_check(notebooks: dict[str, TeamNotebook], roster: list[dict[str, str]] | None = None) -> pd.DataFrame:
    """One row per team on the roster or in the submissions: on the roster, submitted, its members, the team id
    the notebook gives, and the problems met reading it."""
    from dpdlab.grading.teams import members

    grouped = members(roster) if roster else {}
    names = DEBRIEF_MESSAGES["columns"]
    rows = []
    for team in sorted(set(grouped) | set(notebooks)):
        book = notebooks.get(team)
        rows.append({names["team"]: team, names["on_roster"]: team in grouped, names["submitted"]: book is not None,
                     names["members"]: ", ".join(r["name"] for r in grouped.get(team, [])),
                     names["notebook_team_id"]: (book.notebook_team_id if book else None) or "",
                     names["problems"]: "; ".join(book.problems) if book else ""})
    return pd.DataFrame(rows)


def _cell(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def decisions_side_by_side(notebooks: dict[str, TeamNotebook], texts: bool = False) -> pd.DataFrame:
    """One row per decision key, one column per team (text fields left out unless ``texts``)."""
    rows = {}
    for name, keys in scenario.DECISIONS.items():
        for key in keys:
            if (key == "text") != texts:
                continue
            label = f"{VIEWS['decision_names'][name]}: {key}"
            rows[label] = {}
            for team, book in notebooks.items():
                value = book.decisions.get(name)
                known = isinstance(value, dict) and key in value
                rows[label][team] = _cell(value[key], 400 if texts else 120) if known else VIEWS["not_decided"]
    axis = DEBRIEF_MESSAGES["texts_axis" if texts else "decisions_axis"]
    return pd.DataFrame(rows).T.rename_axis(index=axis)


def breaches_side_by_side(notebooks: dict[str, TeamNotebook]) -> pd.DataFrame:
    """One row per rule, one column per team: what broke it ('kept' when nothing did), stages not decided left
    out."""
    table = {}
    for team, book in notebooks.items():
        found = rules.all_breaches(book.decisions)
        table[team] = {f"{rule} {RULES[rule][0]}": "; ".join(b.message for b in found if b.rule == rule)
                       or DEBRIEF_MESSAGES["kept"] for rule in RULES}
    return pd.DataFrame(table).rename_axis(index=DEBRIEF_MESSAGES["breaches_axis"])


def _shown(key: str, value: Any) -> str:
    if value is None:
        return VIEWS["not_decided"]
    if isinstance(value, bool):
        return VIEWS["yes"] if value else VIEWS["no"]
    if key in ("reach_share", "urgent_recall", "precision", "recall"):
        return f"{value:.0%}"
    if key == "crossing":
        return VIEWS["crossing_short"][value]
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


def outcomes_side_by_side(notebooks: dict[str, TeamNotebook]) -> pd.DataFrame:
    """One row per simulated outcome, one column per team (labelled SIMULATED)."""
    measures = VIEWS["outcome_measures"]
    table = {}
    for team, book in notebooks.items():
        summary = model.outcome_summary(book.decisions)
        table[team] = {measures[key]: _shown(key, summary[key]) for key in measures}
    return pd.DataFrame(table).rename_axis(index=DEBRIEF_MESSAGES["outcomes_axis"])


def scores_side_by_side(gradebook: Path, notebooks: dict[str, TeamNotebook],
                        assignment: str = scenario.ASSIGNMENT) -> pd.DataFrame:
    """Autograded points per test cell and team, from the gradebook (empty when nothing is graded yet)."""
    from dpdlab import analytics

    if not Path(gradebook).exists():
        return pd.DataFrame().rename_axis(index=DEBRIEF_MESSAGES["not_graded"])
    book = analytics.load(gradebook)
    grades = book.grades
    grades = grades[(grades["assignment"] == assignment) & (grades["kind"] == "test")
                    & grades["student"].isin(list(notebooks))]
    if grades.empty:
        return pd.DataFrame().rename_axis(index=DEBRIEF_MESSAGES["not_graded"])
    order = list(dict.fromkeys(grades["cell"]))
    table = grades.pivot_table(index="cell", columns="student", values="score", aggfunc="sum").reindex(order)
    table.loc["total"] = table.sum()
    return table.rename_axis(index=DEBRIEF_MESSAGES["scores_axis"], columns=None)


# --- in class, then after -------------------------------------------------------------------------------------

def freeze(notebooks: dict[str, TeamNotebook], path: Path | str) -> bool:
    """Keep the decisions seen now in ``path`` (JSON), unless it exists; True when it was written."""
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({team: book.decisions for team, book in notebooks.items()}, indent=1,
                               ensure_ascii=False, default=repr), encoding="utf-8")
    return True


def changes_since(notebooks: dict[str, TeamNotebook], path: Path | str) -> pd.DataFrame:
    """The decisions each team changed since :func:`freeze` wrote ``path``: rows team and decision."""
    kept = json.loads(Path(path).read_text(encoding="utf-8")) if Path(path).exists() else {}
    rows = []
    for team, book in notebooks.items():
        before = kept.get(team, {})
        now = json.loads(json.dumps(book.decisions, default=repr))  # the same form as the frozen copy
        for name in scenario.DECISIONS:
            if before.get(name) != now.get(name):
                rows.append({"team": team, "decision": VIEWS["decision_names"][name],
                             "in class": _cell(before.get(name, VIEWS["not_decided"])),
                             "now": _cell(now.get(name, VIEWS["not_decided"]))})
    return pd.DataFrame(rows, columns=["team", "decision", "in class", "now"]).rename_axis(
        columns=DEBRIEF_MESSAGES["changes_axis"])
