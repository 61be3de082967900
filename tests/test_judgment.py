"""The course is a course in diplomacy first: in every module and case, at least 40 % of the autograded
points assess a diplomat's judgment on the evidence, and those points sit in hidden tests.

Every autograded test cell of a source notebook says what it assesses on its first line,
``# Assesses: judgment`` or ``# Assesses: method``. A judgment cell keeps its answer in a hidden test (so a
student cannot find it by cycling choices against the visible check) and explains the reasoning in
``# Why:`` lines, which the feedback shows (:mod:`dpdlab.grading.feedback`).

``python tests/test_judgment.py`` prints the points per notebook.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import COURSE, cell_text, nbgrader_meta, read_notebook
from dpdlab import release
from dpdlab.grading.feedback import WHY, hidden_range

# The start page and the primer teach the tools, not yet the judgment.
EXEMPT = {"00_start_here", "00a_python_pandas_primer"}
JUDGMENT_SHARE = 0.40
TAG = re.compile(r"#\s*Assesses:\s*(judgment|method)\s*$")


def autograded_tests(notebook: dict) -> list[dict]:
    """The autograded test cells (graded, not a solution, with points) of ``notebook``."""
    return [cell for cell in notebook["cells"]
            if cell["cell_type"] == "code" and nbgrader_meta(cell).get("grade")
            and not nbgrader_meta(cell).get("solution") and nbgrader_meta(cell).get("points", 0) > 0]


def assessed(cell: dict) -> str | None:
    """``judgment`` or ``method`` as the cell's first line says, or None when it does not say."""
    lines = cell_text(cell).splitlines()
    match = TAG.match(lines[0].strip()) if lines else None
    return match.group(1) if match else None


def points(assignment: str) -> dict[str, float]:
    """Autograded points of ``assignment`` by what they assess."""
    totals = {"judgment": 0.0, "method": 0.0}
    for path in sorted((COURSE / "source" / assignment).glob("*.ipynb")):
        for cell in autograded_tests(read_notebook(path)):
            totals[assessed(cell) or "method"] += float(nbgrader_meta(cell)["points"])
    return totals


ASSIGNMENTS = [a.id for a in release.manifest()]
GRADED = [a for a in ASSIGNMENTS if a not in EXEMPT]


def source_cells(assignment: str) -> list[tuple[str, dict]]:
    return [(nbgrader_meta(cell)["grade_id"], cell)
            for path in sorted((COURSE / "source" / assignment).glob("*.ipynb"))
            for cell in autograded_tests(read_notebook(path))]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_autograded_cell_says_what_it_assesses(assignment):
    untagged = [grade_id for grade_id, cell in source_cells(assignment) if assessed(cell) is None]
    assert not untagged, f"{assignment}: start these test cells with '# Assesses: judgment' or '# Assesses: method': {untagged}"


@pytest.mark.parametrize("assignment", GRADED)
def test_judgment_is_at_least_forty_percent_of_the_autograded_points(assignment):
    totals = points(assignment)
    whole = totals["judgment"] + totals["method"]
    assert whole > 0, f"{assignment} has no autograded points"
    assert totals["judgment"] / whole >= JUDGMENT_SHARE, (
        f"{assignment}: {totals['judgment']:g} of {whole:g} autograded points assess judgment")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_judgment_answers_sit_in_hidden_tests_and_feedback_explains_them(assignment):
    for grade_id, cell in source_cells(assignment):
        if assessed(cell) != "judgment":
            continue
        source = cell_text(cell)
        span = hidden_range(source)
        assert span is not None, f"{assignment} {grade_id}: a judgment answer is checked in a hidden test"
        hidden = source.splitlines()[span[0]:span[1] - 1]
        assert any(line.strip().startswith("assert") or "assert " in line for line in hidden), (
            f"{assignment} {grade_id}: the hidden test asserts nothing")
        assert any(line.strip().startswith(WHY) for line in hidden), (
            f"{assignment} {grade_id}: explain the reasoning in a '{WHY}' line of the hidden test")


def test_the_exempt_notebooks_are_in_the_course():
    # a renamed start page or primer must not silently escape the rule
    assert EXEMPT <= set(ASSIGNMENTS)


if __name__ == "__main__":
    print(f"{'notebook':45} {'judgment':>9} {'method':>7} {'share':>6}")
    for assignment in ASSIGNMENTS:
        totals = points(assignment)
        whole = totals["judgment"] + totals["method"]
        share = totals["judgment"] / whole if whole else 0.0
        print(f"{assignment:45} {totals['judgment']:9g} {totals['method']:7g} {share:6.0%}")
