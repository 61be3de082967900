"""Self-checks: visible tests that tell a student what to look at, not just ``AssertionError``.

A test cell in a notebook calls :func:`check` (or one of its variants) for each property of an answer.
When a property fails, the student sees one short line with the exercise, what is wrong and a hint; the
cell still fails, so nbgrader scores it as failed. When every check in a cell passes, :func:`passed`
prints a confirmation.

:func:`install_name_hints` makes a ``NameError`` for an exercise variable (``q3_…``) explain that the
exercise cell has not been run yet.
"""
from __future__ import annotations

import math
import re
from numbers import Integral, Real
from typing import Any

# Every message a student may see, in one place (for the Spanish edition).
MESSAGES = {
    "failed": "✗ {question}: {hint}",
    "passed": "✓ {question}: the visible checks pass. More checks run when your work is graded.",
    "type": "{question} should be {expected}, but it is {actual}.",
    "close": "{question} is {value}, which is not what the data give.",
    "name_exercise": ("Hint: `{name}` is the answer to an exercise. Run the exercise cell that assigns it "
                      "(replace `raise NotImplementedError()` with your code first), then run this cell "
                      "again."),
    "name_other": ("Hint: `{name}` is defined in an earlier cell. Run the cells above in order "
                   "(menu Run ▸ Run All Above Selected Cell), then this one again."),
}
_EXERCISE_NAME = re.compile(r"^q\d+[a-z]?_")


class CheckFailed(AssertionError):
    """A visible check that did not hold; its message is the hint shown to the student."""

    def __init__(self, question: str, hint: str):
        self.question = question
        self.hint = hint
        super().__init__(MESSAGES["failed"].format(question=question, hint=hint))

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: the student needs the hint, not our call stack.
        return [str(self)]


def check(condition: Any, hint: str, question: str = "This answer") -> None:
    """Fail with ``hint`` unless ``condition`` is true."""
    if not condition:
        raise CheckFailed(question, hint)


def _type_name(value: Any) -> str:
    if value is None:
        return "None (nothing assigned yet)"
    return f"a {type(value).__name__}"


_EXPECTED = {int: "a whole number (int)", float: "a number", str: "text (str)", dict: "a dict",
             list: "a list", bool: "True or False"}


def check_type(value: Any, expected: type | tuple[type, ...], question: str, hint: str = "") -> None:
    """Fail unless ``value`` is of the ``expected`` type(s); numpy numbers count as Python numbers."""
    expected_types = expected if isinstance(expected, tuple) else (expected,)
    ok = False
    for kind in expected_types:
        if kind is int:
            ok |= isinstance(value, Integral) and not isinstance(value, bool)
        elif kind is float:
            ok |= isinstance(value, Real) and not isinstance(value, bool)
        else:
            ok |= isinstance(value, kind)
    if not ok:
        wanted = " or ".join(_EXPECTED.get(k, k.__name__) for k in expected_types)
        message = MESSAGES["type"].format(question=question, expected=wanted, actual=_type_name(value))
        raise CheckFailed(question, f"{message} {hint}".strip())


def check_close(value: Any, expected: float, question: str, hint: str = "", rel: float = 1e-6,
                abs_tol: float = 1e-9) -> None:
    """Fail unless the number ``value`` is within ``rel``/``abs_tol`` of ``expected``."""
    check_type(value, float, question)
    if not math.isclose(float(value), float(expected), rel_tol=rel, abs_tol=abs_tol):
        message = MESSAGES["close"].format(question=question, value=value)
        raise CheckFailed(question, f"{message} {hint}".strip())


def passed(question: str) -> None:
    """Print the confirmation that the visible checks of ``question`` pass."""
    print(MESSAGES["passed"].format(question=question))


def name_hint(name: str) -> str:
    """The hint shown for an undefined ``name``."""
    key = "name_exercise" if _EXERCISE_NAME.match(name) else "name_other"
    return MESSAGES[key].format(name=name)


def install_name_hints(shell: Any = None) -> bool:
    """Make IPython add :func:`name_hint` to every ``NameError``. Returns False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency of every kernel
            return False
        shell = get_ipython()
    if shell is None:
        return False

    def show_with_hint(self, etype, value, tb, tb_offset=None):
        stb = self.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        name = getattr(value, "name", None)
        if name:
            stb = [*stb, name_hint(name)]
        self._showtraceback(etype, value, stb)
        return stb

    shell.set_custom_exc((NameError,), show_with_hint)
    return True
