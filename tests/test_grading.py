"""The grading round trip with the real nbgrader and a real gradebook, on a throwaway copy of the course.

Three students per assignment: "reference" submits the instructor's source (full autograded marks),
"blank" submits the release untouched (0), "partial" submits a kept, partly correct notebook from
tests/submissions/partial/ (the score it deserves). Each translated edition is graded the same way; its
"partial" is the kept English one as a student of the edition would have written it (the edition's text and
set-up cell, the same answers), and scores what its English twin scores.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

import nbformat

from conftest import COURSE, ROOT
from dpdlab import release, svg
from dpdlab.i18n import english_assignment

pytestmark = pytest.mark.grading
PARTIALS = ROOT / "tests" / "submissions" / "partial"
# Autograded points each kept partial submission deserves, by assignment.
EXPECTED_PARTIAL = {
    # q1 right (1), q2 a Series instead of a number (0), q3 right with nsmallest (1), q4 skipped (0),
    # q5 right with groupby (1), q6 sums instead of means (0), q7 counted from the wrong meeting, caught by
    # the hidden test (0), q8 returns 0 instead of None for a missing year (0)
    "00a_python_pandas_primer": 3.0,
    # q1 right (1), q2 wrong value (0), q3 right (2), q4 calls the simulated days to half a sourced figure,
    # caught by the hidden test (0), q5 right (2), q6 (the region's leaders' accounts) skipped (0)
    "argentina_account_handover": 5.0,
    # q1 right (1), q2 counts non-formal responses (0), q3 right (2), q4 skipped (0), q5 right (2), q6 a list
    # instead of a dict (0), q7 the organisers' figure stated as fact (0), q8 the first three and the last three
    # right (1 + 1) and "imitation everywhere" taken as supported (0)
    "ni_una_menos": 7.0,
    # q1 right (2), q2 wrong: the second mean times 57 instead of 56 (0), q3 statement "a" (0), q4 skipped (0),
    # q5 right (1), q5b (the real leaders' tables) skipped (0), q7 one measure misread (0), q8 "a" (0),
    # q9 skipped (0), q10 right (1)
    "02_measuring_digital_presence": 4.0,
    # q1 right (1), q2 wrong (0: a wrong margin, and only points 1-3 of the five the votes table now has),
    # q3 skipped (0), q4 right with other keywords (3), q5 precision and recall swapped for the crisis watch and
    # the public count (0), q6 a Series instead of a DataFrame (0), q7 right (2), q8 ranks plan E, which
    # breaks the line, among the acceptable ones (0)
    "peru_icj_campaign": 6.0,
    # q1 right (1), q2 Cuba counted as disclosed (0), q3 right (1), q4 precision and recall swapped (0),
    # q5 right, another rule (3), q6 skipped (0), q7 the report's rule right (1) and the queue's wrong (0),
    # q9 right (1), q10 wrong (0), q11 skipped (0)
    "04_misinformation_information_operations": 7.0,
    # q1 the Peru strategy counted as law (0), q2 right (1), q3 the 2010 share instead of the latest, caught by
    # the hidden test (0), q4 right (1), q5 right (1), q6 the arrangement without rules ranked second (0), q7 wrong
    # type (0), q8 skipped (0), q10 right (1), q11 a survey that agrees with the claim (0), q12 skipped (0)
    "06_strategy_institutions_digital_divide": 4.0,
    # q1 right (1), q2 an unsupported reading, caught by the hidden test (0), q3 right (2), q4 skipped (0),
    # q5 a list instead of a set (0), q6 the first three verdicts right (1) and the last three wrong (0),
    # q8 right (1), q9 the overview's "digital embassy" (0), q10 skipped (0)
    "07_cyber_virtual_data_diplomacy": 5.0,
    # q0 right (1); q1 complete (1) but posted at 90 minutes, breaking R2 (0); q2 complete (1) but in order of
    # arrival, breaking R3 (0); q3 skipped (0, 0); q4 right (1, 1); q5 minutes as text, incomplete (0, 0);
    # q6 skipped (0, 0)
    "crisis_simulation": 5.0,
}


def submit(course: Path, student: str, assignment: str, notebooks: dict[str, Path]) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in notebooks.items():
        shutil.copyfile(path, folder / name)
    (folder / "timestamp.txt").write_text("2026-01-15 10:00:00.000000 UTC")


def edition_partial(english: Path, edition_release: Path, out: Path) -> Path:
    """The kept English partial submission ``english`` as an edition's student would have handed it in: the
    edition's text and set-up cell (from its release), the student's answers and everything else unchanged."""
    submitted, released = nbformat.read(english, as_version=4), nbformat.read(edition_release, as_version=4)
    theirs = {c.id: c for c in released.cells}
    for cell in submitted.cells:
        twin = theirs.get(cell.id)
        if twin is None or cell.metadata.get("nbgrader", {}).get("solution"):
            continue  # the student's own cells and answers
        if cell.cell_type == "markdown" or "setup(" in twin.source:
            cell.source = twin.source
    submitted.metadata["dpdlab"] = released.metadata["dpdlab"]
    nbformat.write(submitted, out)
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = release.copy_course(tmp_path_factory.mktemp("grading") / "course", assignments=release.all_assignments())
    assignments = release.all_assignments(course)
    twins = tmp_path_factory.mktemp("edition-partials")
    for a in assignments:
        release.run_nbgrader(["generate_assignment", a.id, "--force"], course)
        names = [p.name for p in a.notebooks(course)]
        submit(course, "reference", a.id, {n: a.source_dir(course) / n for n in names})
        submit(course, "blank", a.id, {n: course / "release" / a.id / n for n in names})
        kept = PARTIALS / english_assignment(a.id)
        if kept.is_dir() and kept.name == a.id:
            submit(course, "partial", a.id, {n: kept / n for n in names})
        elif kept.is_dir():  # an edition's assignment
            (twins / a.id).mkdir()
            submit(course, "partial", a.id, {n: edition_partial(kept / n, course / "release" / a.id / n,
                                                                twins / a.id / n) for n in names})
        release.run_nbgrader(["autograde", a.id, "--force"], course)
    return course, assignments


def scores(course: Path, assignment: str, student: str):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="dpd-latam") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return submission.code_score, submission.max_code_score, submission.needs_manual_grade


def test_every_assignment_has_autograded_points(graded):
    course, assignments = graded
    for a in assignments:
        _, maximum, _ = scores(course, a.id, "reference")
        assert maximum > 0


def test_reference_solution_scores_full_autograded_marks(graded):
    course, assignments = graded
    for a in assignments:
        score, maximum, needs_manual = scores(course, a.id, "reference")
        assert score == maximum, a.id
        assert needs_manual  # its written answers wait for a person


def test_blank_release_scores_zero(graded):
    course, assignments = graded
    for a in assignments:
        score, maximum, _ = scores(course, a.id, "blank")
        assert score == 0 and maximum > 0, a.id


def test_partial_submission_scores_what_it_should(graded):
    course, assignments = graded
    checked = 0
    for a in assignments:
        if english_assignment(a.id) in EXPECTED_PARTIAL:
            score, _, _ = scores(course, a.id, "partial")
            assert score == EXPECTED_PARTIAL[english_assignment(a.id)], a.id
            checked += 1
    assert checked == len(EXPECTED_PARTIAL) * (1 + len(release.editions()))


def test_submitted_files_are_not_modified_by_grading(graded):
    course, _ = graded
    for a in EXPECTED_PARTIAL:
        for kept in (PARTIALS / a).glob("*.ipynb"):
            assert (course / "submitted" / "partial" / a / kept.name).read_bytes() == kept.read_bytes()


def test_feedback_shows_charts_offline(graded):
    course, assignments = graded
    a = next(a for a in assignments if a.id == "argentina_account_handover")
    release.run_nbgrader(["generate_feedback", a.id, "--force"], course)
    html = (course / "feedback" / "reference" / a.id / f"{a.id}.html").read_text(encoding="utf-8")
    graded_notebook = json.loads((course / "autograded" / "reference" / a.id / f"{a.id}.ipynb").read_text())
    # the kernel drew nothing: its charts are Vega-Lite specs, drawn as SVG when the feedback page is made
    charts = sum(svg.MIMETYPE in o.get("data", {}) for c in graded_notebook["cells"] for o in c.get("outputs", []))
    assert charts >= 2  # the timeline and the audience chart at least
    # the feedback page shows them as images (data URIs): static, no JavaScript, no CDN
    assert html.count("data:image/svg+xml") + html.count("<svg ") >= charts
    assert "cdn.jsdelivr.net/npm/vega" not in html


@pytest.mark.parametrize("source", sorted((COURSE / "source").glob("*/*.ipynb")), ids=lambda p: p.stem)
def test_nbgrader_validate_passes_on_the_reference(source, tmp_path):
    course = release.copy_course(tmp_path / "course", assignments=release.all_assignments())
    result = release.run_nbgrader(["validate", str(course / "source" / source.parent.name / source.name)],
                                  course, check=False)
    assert result.returncode == 0 and "Success! Your notebook passes all the tests." in result.stdout, \
        result.stdout[-2000:] + result.stderr[-2000:]


def test_nbgrader_validate_reports_an_unanswered_release(graded):
    course, _ = graded
    blank = course / "release" / "argentina_account_handover" / "argentina_account_handover.ipynb"
    result = release.run_nbgrader(["validate", str(blank)], course, check=False)
    assert "NotImplementedError" in result.stdout or "failed" in result.stdout.lower()
