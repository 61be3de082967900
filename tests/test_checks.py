"""Self-checks: failing visible tests give a hint; undefined exercise names explain themselves."""
from __future__ import annotations

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell

from dpdlab import checks


def test_check_raises_with_question_and_hint():
    with pytest.raises(checks.CheckFailed) as caught:
        checks.check(False, "Filter the rows first.", "q2_x")
    assert str(caught.value) == "✗ q2_x: Filter the rows first."
    assert isinstance(caught.value, AssertionError)  # nbgrader and plain asserts treat it as a failure
    assert caught.value._render_traceback_() == ["✗ q2_x: Filter the rows first."]
    checks.check(True, "never shown", "q2_x")


@pytest.mark.parametrize("value, expected, ok", [
    (3, int, True), (np.int64(3), int, True), (True, int, False), (3.0, int, False), ("3", int, False),
    (2.5, float, True), (np.float64(2.5), float, True), (4, float, True), (None, float, False),
    ({}, dict, True), ([], dict, False), ([1], (list, tuple), True),
])
def test_check_type(value, expected, ok):
    if ok:
        checks.check_type(value, expected, "q")
    else:
        with pytest.raises(checks.CheckFailed, match="q should be"):
            checks.check_type(value, expected, "q")


def test_check_type_says_what_the_value_is():
    with pytest.raises(checks.CheckFailed, match=r"it is None \(nothing assigned yet\)\. Use int\(\)"):
        checks.check_type(None, int, "q1_n", "Use int().")


def test_check_close():
    checks.check_close(0.3333334, 1 / 3, "q", rel=1e-5)
    with pytest.raises(checks.CheckFailed, match="is 0.5"):
        checks.check_close(0.5, 1 / 3, "q")


def test_passed_prints_confirmation(capsys):
    checks.passed("q3_days")
    assert capsys.readouterr().out.startswith("✓ q3_days: the visible checks pass")


def test_name_hint_distinguishes_exercise_answers_from_other_names():
    assert "exercise" in checks.name_hint("q3_days_to_half")
    assert "NotImplementedError" in checks.name_hint("q12b_total")
    assert "cells above" in checks.name_hint("audience")


@pytest.fixture()
def shell():
    shell = InteractiveShell.instance()
    yield shell
    shell.set_custom_exc((), None)
    InteractiveShell.clear_instance()


def test_name_error_in_a_real_ipython_shell_gets_the_hint_and_still_fails(shell, capsys):
    assert checks.install_name_hints(shell)
    result = shell.run_cell("q7_answer + 1")
    assert isinstance(result.error_in_exec, NameError)  # the cell still fails (nbgrader scores it 0)
    out = capsys.readouterr()
    assert "Run the exercise cell that assigns it" in out.out + out.err


def test_check_failure_in_a_real_ipython_shell_shows_only_the_hint(shell, capsys):
    shell.run_cell("from dpdlab.checks import check")
    result = shell.run_cell("check(1 > 2, 'One is not more than two.', 'q1')")
    assert isinstance(result.error_in_exec, checks.CheckFailed)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "✗ q1: One is not more than two." in text
    assert "Traceback" not in text


def test_a_name_used_by_a_check_cell_is_tied_to_its_exercise():
    check_cell = 'check(callable(days_to_reach), "Define it.", "days_to_reach")\npassed("q3_days_to_half")'
    assert "part of your answer to `q3_days_to_half`" in checks.name_hint("days_to_reach", check_cell)
    assert "cells above" in checks.name_hint("days_to_reach", "days_to_reach(audience)")


def test_any_error_in_a_check_cell_gets_a_hint_and_check_failures_keep_their_one_line(shell, capsys):
    assert checks.install_hooks(shell)
    shell.run_cell("from dpdlab.checks import check, passed")
    result = shell.run_cell("answer = {}\ncheck(answer['a'] == 1, 'unused', 'q4_x')\npassed('q4_x')")
    assert isinstance(result.error_in_exec, KeyError)
    text = "".join(capsys.readouterr())
    assert "KeyError" in text and "the checks of `q4_x` stopped with this error" in text
    shell.run_cell("check(False, 'Sort the list.', 'q4_x')\npassed('q4_x')")
    text = "".join(capsys.readouterr())
    assert "✗ q4_x: Sort the list." in text and "Hint:" not in text and "Traceback" not in text
    shell.run_cell("1 / 0")  # an ordinary cell: an ordinary traceback, no hint
    text = "".join(capsys.readouterr())
    assert "ZeroDivisionError" in text and "Hint:" not in text


# --- the progress record ----------------------------------------------------------------------------------

@pytest.fixture()
def session(tmp_path, monkeypatch):
    """A learner's Jupyter session on a notebook, with the record in a temporary file."""
    record = tmp_path / "progress.json"
    monkeypatch.setenv("DPDLAB_PROGRESS", str(record))
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/learner/cases/demo_case.ipynb")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return record


def test_passing_checks_are_recorded_per_notebook_and_a_failing_check_cell_clears_them(session, shell, capsys):
    from dpdlab import progress

    checks.install_hooks(shell)
    shell.run_cell("from dpdlab.checks import check, passed\nx = 1")
    cell = "check(x == 1, 'x must be one', 'q1_x')\npassed('q1_x')"
    shell.run_cell(cell)
    assert set(progress.load(session)) == {"demo_case"} and set(progress.load(session)["demo_case"]) == {"q1_x"}
    shell.run_cell("x = 2")
    shell.run_cell(cell)
    assert progress.load(session) == {}
    capsys.readouterr()


@pytest.mark.parametrize("variable, value", [("NBGRADER_EXECUTION", "autograde"), ("JPY_SESSION_NAME", ""),
                                             ("DPDLAB_PROGRESS", "off")])
def test_nothing_is_recorded_while_grading_outside_a_session_or_when_turned_off(session, monkeypatch, variable, value, capsys):
    from dpdlab import progress

    monkeypatch.setenv(variable, value)
    checks.passed("q1_x")
    assert progress.record("q2_y", True) is False
    assert not session.exists()
    capsys.readouterr()


def test_a_damaged_or_unwritable_record_never_breaks_a_check(session, tmp_path, monkeypatch, capsys):
    from dpdlab import progress

    session.write_text("{not json")
    assert progress.load(session) == {}
    checks.passed("q1_x")  # overwrites the damaged file
    assert set(progress.load(session)["demo_case"]) == {"q1_x"}
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("DPDLAB_PROGRESS", str(blocker / "progress.json"))  # its folder is a file
    checks.passed("q1_x")
    assert progress.record("q1_x", True) is False
    capsys.readouterr()


def test_exercises_are_read_from_check_cells_with_their_points():
    from dpdlab import progress

    notebook = {"cells": [
        {"cell_type": "markdown", "source": 'passed("not_code")', "metadata": {}},
        {"cell_type": "code", "source": ["check(a)\n", "passed('q1_a')\n"], "metadata": {"nbgrader": {"points": 2}}},
        {"cell_type": "code", "source": "print('passed')", "metadata": {}},
        {"cell_type": "code", "source": 'passed("q2_b")', "metadata": {}},
    ]}
    assert progress.exercises_in(notebook) == [("q1_a", 2.0), ("q2_b", 0.0)]


def test_progress_table_and_view_show_what_passes_now(session):
    from dpdlab import progress

    exercises = progress.course_exercises()
    assert exercises and all(e.name.startswith("q") for e in exercises)
    first = exercises[0]
    progress.record(first.name, True, notebook=first.notebook)
    progress.record("q99_gone", True, notebook="a_notebook_no_longer_in_the_course")
    table = progress.progress_table()
    assert len(table) == len(exercises)
    passing = table[table["status"] == progress.MESSAGES["passing"]]
    assert list(passing["exercise"]) == [first.name]
    view = progress.progress_view(first.notebook)
    assert f"**1 of {sum(e.notebook == first.notebook for e in exercises)}**" in view.note
    assert str(session) in view.note
    assert set(view.figures["notebook"]) == {first.notebook}
