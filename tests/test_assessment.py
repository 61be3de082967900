"""Course grades by component: a made-up course whose graded cells and scores are known, and the real sources."""
from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from conftest import COURSE
from dpdlab import assessment
from dpdlab.analytics import Gradebook


def graded(cell, grade_id: str, points: float, *, manual: bool = False):
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": points, "solution": manual,
                                 "locked": not manual, "schema_version": 3}
    return cell


@pytest.fixture()
def course(tmp_path):
    """m1: exercise t1 (2), concept checks c1 (1) and c2 (1), written w1 (4); the simulation: s1 (3), aar (6);
    the start page: p1 (1)."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    notebooks = {
        "m1": [md("# Module"), md("## A claim"), graded(code("check(q1)"), "t1", 2),
               graded(md("answer", ), "w1", 4, manual=True),
               md("## Concept check\n\nThree questions."), md("### Question 1"), graded(code("check(c1)"), "c1", 1),
               graded(code("check(c2)"), "c2", 1), md("## Keypoints")],
        "crisis_simulation": [md("# Simulation"), graded(code("check(d1)"), "s1", 3),
                              graded(md("report"), "aar", 6, manual=True)],
        "00_start_here": [md("# Start"), graded(code("check(p)"), "p1", 1)],
    }
    lines = []
    for name, cells in notebooks.items():
        folder = tmp_path / "source" / name
        folder.mkdir(parents=True)
        nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / f"{name}.ipynb")
        lines.append(f'[[assignment]]\nid = "{name}"\ndestination = "course"\n')
    (tmp_path / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    return tmp_path


def row(assignment, student, cell, kind, score, top):
    return {"assignment": assignment, "student": student, "notebook": assignment, "cell": cell, "kind": kind,
            "score": score, "max_score": top}


@pytest.fixture()
def book():
    # ann: everything; bob: t1 1 of 2, c1 only, w1 not graded yet; cid handed in nothing; team-a's simulation
    # (ann and bob) has 2 of 3 and 3 of 6.
    rows = [row("m1", "ann", "t1", "test", 2, 2), row("m1", "ann", "c1", "test", 1, 1),
            row("m1", "ann", "c2", "test", 1, 1), row("m1", "ann", "w1", "written", 4, 4),
            row("m1", "bob", "t1", "test", 1, 2), row("m1", "bob", "c1", "test", 1, 1),
            row("m1", "bob", "c2", "test", 0, 1), row("m1", "bob", "w1", "written", float("nan"), 4),
            row("crisis_simulation", "team-a", "s1", "test", 2, 3),
            row("crisis_simulation", "team-a", "aar", "written", 3, 6),
            row("00_start_here", "ann", "p1", "test", 1, 1)]
    students = ["ann", "bob", "cid", "team-a"]
    subs = pd.DataFrame([{"assignment": "m1", "student": s, "status": "on time", "timestamp": pd.NaT,
                          "duedate": pd.NaT, "hours_late": 0.0, "score": 0.0, "max_score": 4.0} for s in students])
    return Gradebook(pd.DataFrame(rows), subs)


TEAMS = pd.DataFrame({"team_id": ["team-a", "team-a"], "member_id": ["ann", "bob"]})


def test_each_graded_cell_gets_its_component(course):
    table = assessment.cell_components(course).set_index("cell")
    assert table["component"].to_dict() == {"t1": "exercises", "w1": "written", "c1": "concept_checks",
                                            "c2": "concept_checks", "s1": "simulation", "aar": "simulation",
                                            "p1": "practice"}
    assert table.loc["w1", "points"] == 4 and table.loc["c1", "notebook"] == "m1"


def test_shares_count_missing_work_as_zero_and_give_teams_points_to_members(course, book):
    shares = assessment.component_shares(book.grades, assessment.cell_components(course), ["ann", "bob", "cid"],
                                         teams=TEAMS)
    assert shares.loc["ann", ["exercises_share", "concept_checks_share", "written_share"]].tolist() == [1, 1, 1]
    assert shares.loc["bob", "exercises_share"] == 0.5 and shares.loc["bob", "concept_checks_share"] == 0.5
    assert shares.loc["bob", "written_share"] == 0 and shares.loc["bob", "ungraded"] == 1
    assert shares.loc["cid"].filter(like="_earned").sum() == 0 and shares.loc["cid", "written_possible"] == 4
    assert shares.loc["ann", "simulation_share"] == shares.loc["bob", "simulation_share"] == pytest.approx(5 / 9)
    assert shares.loc["cid", "simulation_share"] == 0


def test_course_grades_weight_the_shares(course, book):
    grades = assessment.course_grades(book, course=course, teams=TEAMS,
                                      participation={"ann": 1.0, "bob": 0.5, "cid": 0.0})
    assert list(grades.index) == ["ann", "bob", "cid"]  # the team is not a student
    w = assessment.WEIGHTS
    ann = 100 * (w["exercises"] + w["concept_checks"] + w["written"] + w["simulation"] * 5 / 9 + w["participation"])
    bob = 100 * (w["exercises"] / 2 + w["concept_checks"] / 2 + w["simulation"] * 5 / 9 + w["participation"] / 2)
    assert grades.loc["ann", "grade"] == pytest.approx(ann, abs=0.05)
    assert grades.loc["bob", "grade"] == pytest.approx(bob, abs=0.05)
    assert grades.loc["cid", "grade"] == 0
    only = assessment.course_grades(book, {"exercises": 1, "written": 1}, course=course, assignments=["m1"])
    assert only.loc["ann", "grade"] == 100 and only.loc["bob", "grade"] == 25
    # t1 was not set: bob's exercises share has nothing to count, his concept checks still do
    dropped = assessment.course_grades(book, {"exercises": 0, "concept_checks": 1}, course=course,
                                       assignments=["m1"], leave_out=[("m1", "t1")])
    assert dropped.loc["bob", "exercises_possible"] == 0 and dropped.loc["bob", "grade"] == 50


def test_what_cannot_be_computed_is_named(course, book):
    with pytest.raises(ValueError, match="no participation was given"):
        assessment.course_grades(book, course=course, teams=TEAMS)
    with pytest.raises(ValueError, match="'simulation'"):
        assessment.course_grades(book, {"simulation": 1}, course=course, assignments=["m1"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        assessment.course_grades(book, {"participation": 1}, course=course, participation={"ann": 80})
    with pytest.raises(ValueError, match="components"):
        assessment.course_grades(book, {"homework": 1}, course=course)
    with pytest.raises(ValueError, match="team_id and member_id"):
        assessment.course_grades(book, {"exercises": 1}, course=course, teams=pd.DataFrame({"team": ["x"]}))


def test_the_real_sources_sort_into_the_components():
    table = assessment.cell_components(COURSE)
    for source in sorted((COURSE / "source").glob("*/*.ipynb")):
        text = source.read_text(encoding="utf-8")
        if '"## Concept check' in text:  # a module's quiz: its graded cells are found as concept checks
            rows = table[table["notebook"] == source.stem]
            assert rows.loc[rows["component"] == "concept_checks", "points"].sum() > 0, source.name
    assert set(table["component"]) <= {"exercises", "concept_checks", "written", "simulation", "practice"}
    written = table[table["component"] == "written"]
    assert ("argentina_account_handover", "q6-written") in set(zip(written["assignment"], written["cell"]))
    assert set(table.loc[table["assignment"] == "00_start_here", "component"]) == {"practice"}
