"""Self-checks: visible tests that tell a student what to look at, not just ``AssertionError``.

A test cell in a notebook calls :func:`check` (or one of its variants) for each property of an answer.
When a property fails, the student sees one short line with the exercise, what is wrong and a hint; the
cell still fails, so nbgrader scores it as failed. When every check in a cell passes, :func:`passed`
prints a confirmation and records the exercise as passing (see :mod:`dpdlab.progress`).

:func:`install_hooks` (called by ``dpdlab.setup()``) makes every error a student can meet in a check cell
say what to look at: a ``NameError`` for an exercise variable (``q3_…``) explains that the exercise cell
has not been run yet; any other error raised while a check cell tries the answer (a ``KeyError`` inside the
student's function, say) gets a hint pointing at the answer cell. A failing check cell also clears its
exercise from the progress record, so the start page shows what passes *now*.
"""
from __future__ import annotations

import math
import re
import weakref
from numbers import Integral, Real
from typing import Any

from dpdlab.i18n import check_text, messages

# Every message a student may see, in one place (for the Spanish edition).
MESSAGES = messages(__name__, {
    "failed": "✗ {question}: {hint}",
    "passed": "✓ {question}: the visible checks pass. More checks run when your work is graded.",
    "type": "{question} should be {expected}, but it is {actual}.",
    "close": "{question} is {value}, which is not what the data give.",
    "name_exercise": ("Hint: `{name}` is the answer to an exercise. Run the exercise cell that assigns it "
                      "(replace `raise NotImplementedError()` with your code first), then run this cell "
                      "again."),
    "name_other": ("Hint: `{name}` is defined in an earlier cell. Run the cells above in order "
                   "(menu Run ▸ Run All Above Selected Cell), then this one again."),
    "name_in_check": ("Hint: `{name}` is part of your answer to `{question}`. Run the exercise cell above "
                      "this check (replace `raise NotImplementedError()` with your code first), then run "
                      "this cell again."),
    "check_error": ("Hint: the checks of `{question}` stopped with this error while trying your answer. Look "
                    "at your code in the exercise cell above: the last line of the error names what went "
                    "wrong (a misspelt column, a value of the wrong kind…). Fix it, run that cell, then this "
                    "one again."),
    "this_answer": "This answer",
    "nothing_assigned": "None (nothing assigned yet)",
    "a_kind": "a {kind}",
    "or": " or ",  # between the types check_type accepts
    # what check_type asks for, by the type's name
    "expected": {"int": "a whole number (int)", "float": "a number", "str": "text (str)", "dict": "a dict",
                 "list": "a list", "bool": "True or False"},
})
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


def _text(english: str, values: dict[str, Any]) -> str:
    """A hint or question from a notebook, in the kernel's edition, filled with ``values``."""
    text = check_text(english)
    return text.format(**values) if values else text


def check(condition: Any, hint: str, question: str | None = None, **values: Any) -> None:
    """Fail with ``hint`` unless ``condition`` is true. ``hint`` and ``question`` are shown in the notebook's
    edition; ``values`` fill their ``{name}`` fields (write ``check(ok, "{n} rows", n=len(t))``, not an
    f-string, so that the text can be translated)."""
    if not condition:
        raise CheckFailed(_text(question, values) if question else MESSAGES["this_answer"], _text(hint, values))


def _type_name(value: Any) -> str:
    if value is None:
        return MESSAGES["nothing_assigned"]
    return MESSAGES["a_kind"].format(kind=type(value).__name__)


def check_type(value: Any, expected: type | tuple[type, ...], question: str, hint: str = "", **values: Any) -> None:
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
        wanted = MESSAGES["or"].join(MESSAGES["expected"].get(k.__name__, k.__name__) for k in expected_types)
        question = _text(question, values)
        message = MESSAGES["type"].format(question=question, expected=wanted, actual=_type_name(value))
        raise CheckFailed(question, f"{message} {_text(hint, values) if hint else ''}".strip())


def check_close(value: Any, expected: float, question: str, hint: str = "", rel: float = 1e-6,
                abs_tol: float = 1e-9, **values: Any) -> None:
    """Fail unless the number ``value`` is within ``rel``/``abs_tol`` of ``expected``."""
    check_type(value, float, question, **values)
    if not math.isclose(float(value), float(expected), rel_tol=rel, abs_tol=abs_tol):
        question = _text(question, values)
        message = MESSAGES["close"].format(question=question, value=value)
        raise CheckFailed(question, f"{message} {_text(hint, values) if hint else ''}".strip())


def passed(question: str) -> None:
    """Print the confirmation that the visible checks of ``question`` pass, and record it as passing
    (only in a learner's own Jupyter session; see :mod:`dpdlab.progress`)."""
    from dpdlab import progress

    print(MESSAGES["passed"].format(question=check_text(question)))
    progress.record(question, True)  # under its English name: the record is the same in every edition


def checked_exercises(cell_source: str) -> list[str]:
    """The exercises whose visible checks ``cell_source`` confirms with ``passed("…")`` (empty for a cell
    that is not a check cell)."""
    from dpdlab.progress import PASSED_CALL

    return PASSED_CALL.findall(cell_source or "")


def name_hint(name: str, cell_source: str = "") -> str:
    """The hint shown for an undefined ``name`` (``cell_source``: the cell that raised it, if known)."""
    if _EXERCISE_NAME.match(name):
        return MESSAGES["name_exercise"].format(name=name)
    questions = checked_exercises(cell_source)
    if questions:  # a check cell uses it: it is something the exercise asks for, like a function
        return MESSAGES["name_in_check"].format(name=name, question=questions[-1])
    return MESSAGES["name_other"].format(name=name)


def error_hint(error: BaseException, cell_source: str = "") -> str | None:
    """The hint added under ``error`` raised by a cell with ``cell_source``; None if it needs none."""
    name = getattr(error, "name", None)
    if isinstance(error, NameError) and name:
        return name_hint(name, cell_source)
    if isinstance(error, CheckFailed):
        return None  # its message is the hint
    questions = checked_exercises(cell_source)
    if questions:
        return MESSAGES["check_error"].format(question=questions[-1])
    return None


# Shells already set up, with the source of the cell each is running (IPython's hooks know the cell
# before and after it runs, not while its error is shown).
_running: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def _shell_or_none(shell: Any) -> Any:
    if shell is not None:
        return shell
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of every kernel
        return None
    return get_ipython()


def install_hooks(shell: Any = None) -> bool:
    """Set up IPython (idempotent) so that errors explain themselves and check cells keep the progress
    record current:

    - every error gets :func:`error_hint` under it (a ``CheckFailed`` still shows only its one line);
    - a check cell that fails clears its exercise from the progress record.

    Returns False outside IPython.
    """
    shell = _shell_or_none(shell)
    if shell is None:
        return False
    if shell in _running:
        return True
    _running[shell] = ""

    def before(info: Any) -> None:
        _running[shell] = getattr(info, "raw_cell", "") or ""

    def after(result: Any) -> None:
        from dpdlab import progress

        if result.error_in_exec is not None or result.error_before_exec is not None:
            source = getattr(result.info, "raw_cell", "") or ""
            for question in checked_exercises(source):
                progress.record(question, False)

    def show_with_hint(self, etype, value, tb, tb_offset=None):
        if hasattr(value, "_render_traceback_"):
            stb = value._render_traceback_()
        else:
            stb = self.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        hint = error_hint(value, _running.get(self, ""))
        if hint:
            stb = [*stb, hint]
        self._showtraceback(etype, value, stb)
        return stb

    shell.events.register("pre_run_cell", before)
    shell.events.register("post_run_cell", after)
    shell.set_custom_exc((Exception,), show_with_hint)
    return True


def install_name_hints(shell: Any = None) -> bool:
    """Former name of :func:`install_hooks`, kept for notebooks and code that call it."""
    return install_hooks(shell)
