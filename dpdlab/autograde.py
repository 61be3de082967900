"""nbgrader preprocessors of the course: safe execution at autograde time, and feedback without hidden tests.

``grading/nbgrader_config.py`` calls :func:`configure`, so plain ``nbgrader autograde`` and
``nbgrader generate_feedback`` use them too, not only ``dpdlab grade``.

:class:`DpdlabExecute` replaces nbgrader's ``Execute`` step:

* the kernel runs in the sandbox of :mod:`dpdlab.sandbox` (``c.DpdlabExecute.sandbox = False`` to turn off);
* output is capped per cell (``max_output_kb``), so a flood of prints cannot exhaust the grader's memory;
  errors are always kept, so a flood cannot hide a failed test;
* a notebook has a total time budget (``notebook_timeout``) on top of nbgrader's per-cell
  ``Execute.timeout``;
* if the kernel dies (``os._exit``, a crash) or stops answering (it ignores the interrupt), every cell not
  yet run gets an error output saying why, so its tests score zero and the submission is still graded;
* cells tagged ``skip-execution`` run anyway (nbclient would skip them, and a skipped test cell has no
  error, which nbgrader scores as full marks).

:class:`HideHiddenTests` is a feedback preprocessor: it replaces the ``### BEGIN HIDDEN TESTS`` part of each
test cell with one comment line and replaces the traceback of an error raised in that part with one line
saying a hidden test failed (the failing ``assert`` line would show the expected answer).
"""
from __future__ import annotations

import json
import re
import time
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

MESSAGES = {
    "truncated": "\n[dpdlab grader] Output truncated: this cell printed more than {kb} KB.\n",
    "kernel_died": "The Python kernel stopped while running this notebook (the code called os._exit(), "
                   "crashed, or ran out of memory), so this cell was not run.",
    "unresponsive": "The Python kernel did not respond to an interrupt after the {seconds}-second limit of a "
                    "cell, so it was stopped and this cell was not run.",
    "deadline": "The notebook used up its total time budget of {seconds} seconds, so this cell was not run.",
    "timed_out": "Cell {cell} ran longer than {seconds} s and was interrupted (an endless loop?).",
    "error_MemoryError": "Cell {cell} ran out of memory (MemoryError at the sandbox's memory limit).",
    "error_SystemExit": "Cell {cell} called sys.exit() or exit(); the kernel went on with the next cell.",
    "hidden_placeholder": "# (hidden tests: {lines} line(s), not shown in feedback)",
    "hidden_failed": "A hidden test did not pass ({ename}). Check your answer against the exercise text.",
}
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"

# What happened to the notebooks executed in this process, for the worker's report (see dpdlab.grader).
EVENTS: list[str] = []


class DpdlabExecute(Execute):
    """nbgrader's Execute with a sandboxed kernel, an output cap, a notebook deadline and no skipped cells."""

    sandbox = Bool(True, help="Run the kernel inside the bubblewrap sandbox (dpdlab.sandbox).").tag(config=True)
    max_output_kb = Integer(1024, help="Most output kept per cell, in KB.").tag(config=True)
    notebook_timeout = Integer(900, help="Total seconds a notebook may run.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.sandbox:
            from dpdlab.sandbox import SandboxedKernelManager

            self.kernel_manager_class = SandboxedKernelManager
        else:
            self.kernel_manager_class = AsyncKernelManager
        # a tag no student can guess: nbclient skips cells carrying skip_cells_with_tag
        self.skip_cells_with_tag = f"dpdlab-never-{uuid.uuid4().hex}"

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._stopped: str | None = None
        self._output_bytes: dict[int, int] = {}
        return super().preprocess(nb, resources, km)

    # -- time ------------------------------------------------------------------------------------------
    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        remaining = max(1, int(self._deadline - time.monotonic()))
        return remaining if timeout is None else min(timeout, remaining)

    async def _stop_kernel(self, reason: str) -> None:
        self._stopped = reason
        EVENTS.append(reason)
        try:
            if self.km is not None:
                await ensure_async(self.km.shutdown_kernel(now=True))
        except Exception:  # already gone
            pass

    def _not_run(self, cell):
        cell.outputs = [new_output("error", ename="NotRun", evalue=self._stopped, traceback=[self._stopped])]
        cell.execution_count = None
        return cell

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell
        if self._stopped is None and time.monotonic() >= self._deadline:
            await self._stop_kernel(MESSAGES["deadline"].format(seconds=self.notebook_timeout))
        if self._stopped is not None:
            return self._not_run(cell)
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"#{cell_index + 1}"
            for output in cell.outputs:
                key = f"error_{output.get('ename')}" if output.get("output_type") == "error" else ""
                if key in MESSAGES:
                    EVENTS.append(MESSAGES[key].format(cell=name))
            return cell
        except DeadKernelError:
            await self._stop_kernel(MESSAGES["kernel_died"])
        except CellTimeoutError:
            # the interrupt sent at the time limit was not honoured: the kernel is stuck
            await self._stop_kernel(MESSAGES["unresponsive"].format(seconds=self._get_timeout(cell)))
        return self._not_run(cell)

    execute_cell = run_sync(async_execute_cell)

    async def _async_handle_timeout(self, timeout, cell=None):
        name = (cell.metadata.get("nbgrader", {}).get("grade_id") if cell is not None else None) or "?"
        EVENTS.append(MESSAGES["timed_out"].format(cell=name, seconds=timeout))
        return await super()._async_handle_timeout(timeout, cell)

    async def _async_cleanup_kernel(self):
        try:
            await super()._async_cleanup_kernel()
        except Exception:  # the kernel was stopped on purpose
            if self._stopped is None:
                raise

    # -- output ----------------------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        limit = self.max_output_kb * 1024
        size = len(json.dumps(msg.get("content", {}), default=str))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if msg["msg_type"] == "error":
            content = msg["content"]
            if size > limit:  # keep the error (it decides the grade), not its megabytes
                content["evalue"] = str(content.get("evalue", ""))[:1000]
                content["traceback"] = [str(line)[:1000] for line in content.get("traceback", [])[-20:]]
            return super().output(outs, msg, display_id, cell_index)
        if used + size <= limit:
            return super().output(outs, msg, display_id, cell_index)
        if used <= limit:  # first output over the limit: say so once
            EVENTS.append(MESSAGES["truncated"].format(kb=self.max_output_kb).strip())
            outs.append(new_output("stream", name="stdout", text=MESSAGES["truncated"].format(kb=self.max_output_kb)))
        return None


def hidden_range(source: str) -> tuple[int, int] | None:
    """1-based first and last line of the hidden-tests region of ``source`` (None: it has none)."""
    lines = source.splitlines()
    begin = next((i for i, line in enumerate(lines) if line.strip() == HIDDEN_BEGIN), None)
    if begin is None:
        return None
    end = next((i for i, line in enumerate(lines) if i > begin and line.strip() == HIDDEN_END), len(lines) - 1)
    return begin + 1, end + 1


def hide_hidden_tests(source: str) -> str:
    """``source`` with its hidden-tests region replaced by one comment line."""
    span = hidden_range(source)
    if span is None:
        return source
    lines = source.splitlines()
    begin, end = span
    placeholder = MESSAGES["hidden_placeholder"].format(lines=end - begin - 1)
    return "\n".join([*lines[:begin - 1], placeholder, *lines[end:]])


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


def configure(c) -> None:
    """Install the course's preprocessors in an nbgrader config ``c`` (called by nbgrader_config.py)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, GetGrades, IgnorePattern,
                                        LimitOutput, SaveAutoGrades)

    # nbgrader's own autograde pipeline, with DpdlabExecute in place of Execute
    c.Autograde.autograde_preprocessors = [DpdlabExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                           SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    # nbgrader's own feedback pipeline, with hidden tests taken out first
    c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
