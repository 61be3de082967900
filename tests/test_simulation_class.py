"""A class plays the crisis simulation: four team notebooks go through the real nbgrader path as the instructor
runs it (teams roster, an LMS export imported with the teams' roster, sandboxed autograding), then the debrief
notebook runs on them with papermill, before and after grading, and shows every team; the members get their
team's grade. All on a throwaway copy of the course."""
from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import nbformat
import papermill
import pytest
from nbgrader.api import Gradebook

from dpdlab import svg

from conftest import COURSE, PAPERMILL, ROOT
from dpdlab import cli, grading, release
from dpdlab.grading.plan import answered
from dpdlab.simulation import debrief, scenario

pytestmark = pytest.mark.grading
A = scenario.ASSIGNMENT
NB = f"{A}.ipynb"
DEBRIEF = COURSE / "instructor" / "crisis_simulation_debrief.ipynb"
TEAMS = """team_id,member_id,name,role,login,lms_id,email
team-a,s01,Member A1,spokesperson;consul,mema1,2001,
team-a,s02,Member A2,ambassador;legal_adviser,mema2,2002,
team-b,s03,Member B1,spokesperson,memb1,2003,
team-b,s04,Member B2,consul,memb2,2004,
team-b,s05,Member B3,ambassador;legal_adviser,memb3,2005,
team-c,s06,Member C1,spokesperson,memc1,2006,
team-c,s07,Member C2,consul;ambassador;legal_adviser,memc2,2007,
team-d,s08,Member D1,spokesperson,memd1,2008,
team-d,s09,Member D2,consul,memd2,2009,
team-d,s10,Member D3,ambassador,memd3,2010,
team-d,s11,Member D4,legal_adviser,memd4,2011,
"""
FULL = 16.0  # autograded points: 7 for complete decisions, 9 for the rules


def solutions(source: dict) -> dict[str, str]:
    """The source's answer cells without their solution markers, by grade id."""
    found = {}
    for cell in source["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            found[meta["grade_id"]] = text.split("### BEGIN SOLUTION\n", 1)[1].split("### END SOLUTION", 1)[0]
    return found


def team_notebooks(course: Path) -> dict[str, dict]:
    """Four teams' notebooks, filled in as their scribes would (answers written over the release's cells)."""
    source = json.loads((course / "source" / A / NB).read_text(encoding="utf-8"))
    released = json.loads((course / "release" / A / NB).read_text(encoding="utf-8"))
    ref = solutions(source)

    def team(team_id: str, report: str = "", **changes: str | None) -> dict:
        answers = {key: value.replace('"team_id": "team-a"', f'"team_id": "{team_id}"') for key, value in ref.items()}
        answers.update(changes)
        notebook = answered(released, source, answers)
        if report:  # the after-action report, written after the class
            cells = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in notebook["cells"]}
            cells["aar-written"]["source"] = report
        return notebook

    return {
        # the reference team: every decision complete, every rule kept
        "team-a": team("team-a", report="**Timeline.** T+0:20 first post in three languages; the rest follows."),
        # a loud team: names accounts flagged by module 04's loose defaults without legal clearance (R6), and
        # rebuts Ostelia at once without calling (R7); its notebook says team-z (the debrief flags it)
        "team-b": team("team-z", **{
            "q3-answer": ref["q3-answer"].replace('"elements": ["the_fact", "actions_taken", "hotline"]',
                                                  '"elements": ["the_fact", "name_accounts"]')
                                         .replace('"rule": "all"', '"rule": "two_of_three"'),
            "q4-answer": ref["q4-answer"].replace('"call_first": True', '"call_first": False')
                                         .replace('{"timing": "after_call", "frame": "factual"',
                                                  '{"timing": "at_once", "frame": "rebuttal"')}),
        # a slow team: the first post after 90 minutes (R2), in order of arrival (R3); stages 5 and 6 skipped
        "team-c": team("team-c", **{
            "q1-answer": ref["q1-answer"].replace('"minutes_after": 20', '"minutes_after": 90'),
            "q2-answer": ref["q2-answer"].replace('"order": "priority"', '"order": "arrival"'),
            "q5-answer": None, "q6-answer": None}),
        # a cautious team: no correction at stage 6 (R10); a decision written as code, which the debrief
        # cannot read without running it
        "team-d": team("team-d", **{
            "q6-answer": ref["q6-answer"].replace('"issue": True', '"issue": False'),
            "q0-answer": ref["q0-answer"].replace('"team-a"', '"team-" + "d"')}),
    }


def lms_export(notebooks: dict[str, dict], path: Path) -> Path:
    """A Canvas export: one upload per team, by one of its members (login_userid_submissionid_file)."""
    uploader = {"team-a": ("mema2", 2002), "team-b": ("memb1", 2003), "team-c": ("memc2", 2007),
                "team-d": ("memd4", 2011)}
    with zipfile.ZipFile(path, "w") as archive:
        for number, (team, notebook) in enumerate(sorted(notebooks.items()), start=1):
            login, lms_id = uploader[team]
            archive.writestr(f"{login}_{lms_id}_{900 + number}_{NB}", json.dumps(notebook))
    return path


def run_debrief(course: Path, roster: Path, folder: str, out: Path) -> list[dict]:
    papermill.execute_notebook(str(DEBRIEF), str(out), cwd=str(DEBRIEF.parent), **PAPERMILL,
                               parameters={"course": str(course), "folder": folder, "roster": str(roster),
                                           "snapshot": str(course / "reports" / "crisis_simulation-in-class.json")})
    return nbformat.read(out, as_version=4).cells


def shown(cells: list, cell_id: str) -> str:
    """Everything the debrief's cell ``cell_id`` shows, as text (tables as their HTML)."""
    cell = next(c for c in cells if c.get("id") == cell_id)
    parts = []
    for output in cell.get("outputs", []):
        assert output.get("output_type") != "error", output
        data = output.get("data", {})
        parts.append(str(data.get("text/html", data.get("text/plain", ""))) + str(output.get("text", "")))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    course = release.copy_course(root / "course", assignments=[a for a in release.manifest() if a.id == A])
    roster = root / "teams.csv"
    roster.write_text(TEAMS, encoding="utf-8")
    environment = pytest.MonkeyPatch()
    environment.setenv("DPDLAB_COURSE", str(course))
    try:
        assert cli.main(["grade", "release", A]) == 0
        assert cli.main(["grade", "teams", "roster", str(roster)]) == 0
        notebooks = team_notebooks(course)
        export = lms_export(notebooks, root / "submissions.zip")
        import_roster = course / "reports" / "teams-import-roster.csv"
        assert cli.main(["grade", "import", A, str(export), "--roster", str(import_roster)]) == 0
        in_class = run_debrief(course, roster, "submitted", root / "debrief-in-class.ipynb")
        assert cli.main(["grade", "autograde", A, "--jobs", "2", "--no-progress"]) == 0
        after = run_debrief(course, roster, "autograded", root / "debrief-after.ipynb")
        grades = root / "member-grades.csv"
        assert cli.main(["grade", "teams", "grades", A, str(roster), "--to", str(grades)]) == 0
    finally:
        environment.undo()
    return {"course": course, "in_class": in_class, "after": after, "grades": grades}


def code_score(course: Path, team: str) -> float:
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        return gradebook.find_submission(A, team).code_score


def test_each_team_is_imported_under_its_id_and_autograded(played):
    course = played["course"]
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["team-a", "team-b", "team-c", "team-d"]
    scores = {team: code_score(course, team) for team in ("team-a", "team-b", "team-c", "team-d")}
    assert scores["team-a"] == FULL
    # team-b: the rules of stages 3 (R6) and 4 (R7) fail, 2 + 1 points
    assert scores["team-b"] == FULL - 3
    # team-c: stage 1's rules (1), stage 2's (2), stages 5 and 6 skipped (2 + 3)
    assert scores["team-c"] == FULL - 8
    # team-d: stage 6's rules (2); its team id written as code still grades (the grader runs it)
    assert scores["team-d"] == FULL - 2


def test_the_debrief_in_class_shows_every_team_before_any_grading(played):
    cells = played["in_class"]
    teams_table = shown(cells, "teams")
    assert "4 team notebook(s)" in teams_table and "SIMULATED" in teams_table
    assert "team_id &#x27;team-z&#x27; but was submitted as &#x27;team-b&#x27;" in teams_table or \
           "team_id 'team-z' but was submitted as 'team-b'" in teams_table
    assert "q0_team: not a literal value" in teams_table  # team-d's id written as code
    for cell_id in ("decisions", "texts", "rules", "outcomes"):
        text = shown(cells, cell_id)
        assert all(team in text for team in ("team-a", "team-b", "team-c", "team-d")), cell_id
    rules_table = shown(cells, "rules")
    assert "names accounts" in rules_table and "rebuttal" in rules_table and "order of arrival" in rules_table
    outcomes = shown(cells, "outcomes")
    assert "SIMULATED outcome" in outcomes and "not decided" in outcomes  # team-c skipped stages 5 and 6
    chart = next(c for c in cells if c.get("id") == "credibility")["outputs"][0]["data"]
    # a chart the browser draws (dpdlab.chartwidget), with the spec static pages draw as SVG (dpdlab.svg)
    assert "SIMULATED" in chart["text/plain"] and svg.MIMETYPE in chart
    assert "not graded yet" in shown(cells, "scores")
    assert "Kept the decisions seen now" in shown(cells, "changes")


def test_the_debrief_after_grading_adds_the_points_and_the_changes(played):
    cells = played["after"]
    scores = shown(cells, "scores")
    assert "q3-rules" in scores and "total" in scores
    assert all(team in scores for team in ("team-a", "team-b", "team-c", "team-d"))
    assert "Kept the decisions" not in shown(cells, "changes")  # the snapshot of the class is kept
    books = debrief.read_teams(played["course"], folder="autograded")
    assert books["team-a"].decisions["q3_monitoring"]["rule"] == "all"


def test_every_member_gets_the_team_grade(played):
    with open(played["grades"], newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == TEAMS.count("\n") - 1
    course = played["course"]
    for row in rows:
        with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
            expected = gradebook.find_submission(A, row["team_id"]).score
        assert float(row["score"]) == pytest.approx(expected)
    status = {r["team_id"]: r["status"] for r in rows}
    assert status["team-a"] == "needs manual grading"  # its after-action report waits for the instructor
    assert status["team-b"] == "graded"  # no report yet: nbgrader scores the untouched answer 0
    assert {r["member_id"] for r in rows if r["team_id"] == "team-d"} == {"s08", "s09", "s10", "s11"}


def test_the_debrief_notebook_is_an_instructors_notebook():
    notebook = json.loads(DEBRIEF.read_text(encoding="utf-8"))
    assert not any(c.get("outputs") for c in notebook["cells"] if c["cell_type"] == "code")
    assert any("parameters" in c["metadata"].get("tags", []) for c in notebook["cells"])
    assert re.search(r"never released", "".join(notebook["cells"][0]["source"]))
    assert not (ROOT / "cases" / DEBRIEF.name).exists() and not (ROOT / "course" / DEBRIEF.name).exists()
