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
