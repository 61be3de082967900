"""Every visible test failure tells the learner what to look at. Each student notebook is run as a learner
who skips every exercise (the check cells then meet undefined answers), and each kept partial submission
as one who got some wrong; every check cell that fails must end with a hint or a one-line ✗ message,
never a bare traceback. Notebooks and submissions are discovered."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, executed_student, ids, nbgrader_meta, student_notebooks
from dpdlab import site

pytestmark = pytest.mark.notebooks
PARTIALS = sorted((ROOT / "tests" / "submissions" / "partial").glob("*/*.ipynb"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failing_checks(notebook: dict) -> list[tuple[str, str]]:
    """(check cell's first line, its error text) for each check cell that failed."""
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code" and nbgrader_meta(cell).get("grade"):
            for output in cell.get("outputs", []):
                if output["output_type"] == "error":
                    text = ANSI.sub("", "\n".join(output.get("traceback", [])))
                    found.append((cell["source"].splitlines()[0], text))
    return found


def unhelpful(failures: list[tuple[str, str]]) -> list[str]:
    return [f"{first}\n{text[-600:]}" for first, text in failures
            if not (text.lstrip().startswith("✗") or "\nHint: " in text or text.startswith("Hint: "))]


@pytest.mark.parametrize("path", student_notebooks(), ids=ids(student_notebooks()))
def test_skipped_exercises_fail_their_checks_with_a_hint(path):
    failures = failing_checks(executed_student(path))
    assert failures, "the unanswered exercises' checks should fail"
    assert not unhelpful(failures), "\n\n".join(unhelpful(failures))


_partial_failures: dict[Path, list[tuple[str, str]]] = {}


def partial_failures(path: Path) -> list[tuple[str, str]]:
    if path not in _partial_failures:
        _partial_failures[path] = failing_checks(site.execute(path))
    return _partial_failures[path]


@pytest.mark.parametrize("path", PARTIALS, ids=ids(PARTIALS))
def test_wrong_answers_fail_their_checks_with_a_hint(path):
    # some wrong answers pass the visible checks and are caught only by hidden tests at grading time
    failures = partial_failures(path)
    assert not unhelpful(failures), "\n\n".join(unhelpful(failures))


def test_some_kept_wrong_answer_meets_a_one_line_check_failure():
    assert any(text.lstrip().startswith("✗") for path in PARTIALS for _, text in partial_failures(path))
