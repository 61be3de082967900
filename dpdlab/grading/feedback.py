"""The feedback step: each graded student's feedback page, with the hidden tests hidden.

:func:`feedback` runs ``nbgrader generate_feedback`` (and ``release_feedback`` to the exchange if asked).
:class:`HideHiddenTests` is the course's feedback preprocessor: it replaces the ``### BEGIN HIDDEN TESTS``
part of each test cell with one comment line and replaces the traceback of an error raised in that part
with one line saying a hidden test failed (the failing ``assert`` line would show the expected answer).
The reasoning an exercise assesses reaches the student all the same: comment lines that begin ``# Why:``
inside the hidden part are kept, so the feedback explains the answer whatever the student chose.
The student's text and outputs on the page are made inert by :mod:`dpdlab.grading.sanitize`.
"""
from __future__ import annotations

import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from dpdlab.grading.course import course_root, nbgrader

MESSAGES = {
    "hidden_placeholder": "# (hidden tests: {lines} line(s), not shown in feedback)",
    "hidden_failed": "A hidden test did not pass ({ename}). Check your answer against the exercise text.",
}
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
WHY = "# Why:"


def hidden_range(source: str) -> tuple[int, int] | None:
    """1-based first and last line of the hidden-tests region of ``source`` (None: it has none)."""
    lines = source.splitlines()
    begin = next((i for i, line in enumerate(lines) if line.strip() == HIDDEN_BEGIN), None)
    if begin is None:
        return None
    end = next((i for i, line in enumerate(lines) if i > begin and line.strip() == HIDDEN_END), len(lines) - 1)
    return begin + 1, end + 1


def hide_hidden_tests(source: str) -> str:
    """``source`` with its hidden-tests region replaced by one comment line and its ``# Why:`` lines."""
    span = hidden_range(source)
    if span is None:
        return source
    lines = source.splitlines()
    begin, end = span
    hidden = lines[begin:end - 1]
    reasons = [line.strip() for line in hidden if line.strip().startswith(WHY)]
    placeholder = MESSAGES["hidden_placeholder"].format(lines=len(hidden) - len(reasons))
    return "\n".join([*lines[:begin - 1], placeholder, *reasons, *lines[end:]])


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"(?:Cell In\s*\[\d*\]|<ipython-input-[^>]*>|<cell line: \d+>).*?line (\d+)")


def error_in_hidden_part(output: dict, span: tuple[int, int]) -> bool:
    """Whether an error output was raised in the hidden lines ``span`` of its cell (True when unsure)."""
    text = _ANSI.sub("", "\n".join(output.get("traceback", [])))
    lines = [int(n) for n in _CELL_LINE.findall(text)]
    if not lines:
        return output.get("ename") != "CheckFailed"
    return span[0] <= lines[0] <= span[1]


class HideHiddenTests(Preprocessor):
    """Feedback preprocessor: hide hidden-test source, and the tracebacks of failed hidden tests."""

    enabled = Bool(True, help="Hide hidden tests in feedback (False: show them, nbgrader's default).").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if not self.enabled or cell.cell_type != "code":
            return cell, resources
        span = hidden_range(cell.source)
        if span is None:
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and error_in_hidden_part(output, span):
                output["evalue"] = ""
                output["traceback"] = [MESSAGES["hidden_failed"].format(ename=output.get("ename", "Error"))]
        cell.source = hide_hidden_tests(cell.source)
        return cell, resources



def feedback(assignment: str, course: Path | None = None, exchange: bool = False,
             show_hidden_tests: bool = False) -> list[Path]:
    """Generate each graded student's feedback HTML (and release it to the exchange if asked)."""
    course = course_root(course)
    args = ["generate_feedback", assignment, "--force"]
    if show_hidden_tests:
        args.append("--HideHiddenTests.enabled=False")
    nbgrader(args, course)
    if exchange:
        nbgrader(["release_feedback", assignment], course)
    return sorted((course / "feedback").glob(f"*/{assignment}/*.html"))
