"""The sandbox hand-off: nbgrader's ``Execute`` step, replaced by :class:`DpdlabExecute`.

* the kernel runs in the sandbox of :mod:`dpdlab.grading.sandbox` (``c.DpdlabExecute.sandbox = False`` to
  turn it off);
* output is capped per cell (``max_output_kb``), so a flood of prints cannot exhaust the grader's memory;
  errors are always kept, so a flood cannot hide a failed test;
* a notebook has a total time budget (``notebook_timeout``) on top of nbgrader's per-cell
  ``Execute.timeout``;
* if the kernel dies (``os._exit``, a crash) or stops answering (it ignores the interrupt), every cell not
  yet run gets an error output saying why, so its tests score zero and the submission is still graded;
* cells tagged ``skip-execution`` run anyway (nbclient would skip them, and a skipped test cell has no
  error, which nbgrader scores as full marks);
* **test cells never run in the student's kernel** (``isolate_tests``): at each test cell the answers the
  test reads are taken from the kernel as plain data, and the test runs in the checker
  (:mod:`dpdlab.grading.checker`), a process of its own, on the notebook's data computed there from the
  instructor's source (:mod:`dpdlab.grading.plan`). A student function is called in the kernel on the
  test's inputs, and only its result comes back. The test's source, hidden tests included, never enters
  the kernel; hooks, transformers or patched helpers there cannot see or change it;
* the kernel works in a **scratch folder** of its own, not in nbgrader's ``autograded/`` folder: whatever
  the student's code leaves there (links, FIFOs, modules named like the course's) is reported by name and
  deleted unread, so nothing the grader later writes, copies or changes as root was made by student code.
"""
from __future__ import annotations

import ast
import json
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from dpdlab.grading import checker, files
from dpdlab.grading.plan import grading_plan, is_test_cell

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
    "left_behind": ("The code left {what} in its working folder; the grader does not follow, open or keep "
                    "anything student code creates."),
    "no_source": "The source notebook {path} is missing, so the tests cannot be run apart from the student's "
                 "code: this cell is not passed. Run `dpdlab grade release` again.",
    "unknown_test": "Test cell '{cell}' is not in the source notebook; it is not passed.",
    "ungradable": "Test cell '{cell}': {problem}",
    "capture_failed": "the answers could not be read from the kernel ({why})",
    "call_timeout": "it ran longer than {seconds} s and was interrupted",
}
# The checker's user id is the kernel's plus this (kernels use 64100 and up, one per worker).
CHECKER_UID_OFFSET = 1000
# How long an interrupted kernel gets to answer before it is stopped, in seconds.
INTERRUPT_GRACE = 5
TRANSFER = "__import__('dpdlab.grading.transfer', fromlist=['capture'])"

# What happened to the notebooks executed in this process, for the worker's report (see dpdlab.grading.worker).
EVENTS: list[str] = []
# Source notebooks' plans, by (path, modification time, size).
_PLANS: dict[tuple, object] = {}


class DpdlabExecute(Execute):
    """nbgrader's Execute with a sandboxed kernel in a scratch folder, tests run in the checker, an output cap,
    a notebook deadline and no skipped cells (see the module's documentation)."""

    sandbox = Bool(True, help="Run the kernel inside the bubblewrap sandbox (dpdlab.grading.sandbox).").tag(config=True)
    isolate_tests = Bool(True, help="Run test cells in the checker, apart from the student's code (False: in the "
                                    "student's kernel, as stock nbgrader does).").tag(config=True)
    max_output_kb = Integer(1024, help="Most output kept per cell, in KB.").tag(config=True)
    notebook_timeout = Integer(900, help="Total seconds a notebook may run (dpdlab grade autograde may give a "
                                         "submission less: its time budget).").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.sandbox:
            from dpdlab.grading.sandbox import SandboxedKernelManager

            self.kernel_manager_class = SandboxedKernelManager
        else:
            self.kernel_manager_class = AsyncKernelManager
        # a tag no student can guess: nbclient skips cells carrying skip_cells_with_tag
        self.skip_cells_with_tag = f"dpdlab-never-{uuid.uuid4().hex}"

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._stopped: str | None = None
        self._output_bytes: dict[int, int] = {}
        resources = resources if resources is not None else {}
        self._tests, self._plan_key, self._plan_error = self._load_plan(resources)
        self._checker = checker.client(self._checker_command()) if self._tests else None
        if self._checker is not None:
            self._checker.warm(self._plan_key, self._plan_tests())
        self._fresh, self._count = True, 0
        # the kernel works in an empty scratch folder; what it leaves there is reported, then deleted unread
        scratch = Path(tempfile.mkdtemp(prefix="dpdlab-run-"))
        metadata = resources.setdefault("metadata", {})
        kept_path = metadata.get("path")
        metadata["path"] = str(scratch)
        try:
            return super().preprocess(nb, resources, km)
        finally:
            metadata["path"] = kept_path
            self._report_left_behind(scratch)
            shutil.rmtree(scratch, ignore_errors=True)

    # -- the test plan ----------------------------------------------------------------------------------
    def _load_plan(self, resources: dict):
        """The test cells of this notebook's source, as the checker runs them (None: tests run in the
        kernel, as stock nbgrader does)."""
        if not self.isolate_tests:
            return None, "", ""
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        path = Path(coursedir.format_path(coursedir.source_directory, ".", info.get("assignment", "?"))) \
            / f"{info.get('notebook', '?')}.ipynb"
        try:
            stamp = path.stat()
            key = (str(path), stamp.st_mtime_ns, stamp.st_size)
            if key not in _PLANS:  # the same source for every student of the class
                _PLANS[key] = grading_plan(json.loads(path.read_text(encoding="utf-8")))
            plan = _PLANS[key]
        except (OSError, ValueError):
            return {}, "", MESSAGES["no_source"].format(path=path)
        return plan.tests, checker.plan_key(self._plan_tests(plan.tests)), ""

    def _plan_tests(self, tests: dict | None = None) -> list[dict]:
        """The plan as the checker receives it: each test's id, set-up code and context names."""
        tests = self._tests if tests is None else tests
        return [{"grade_id": t.grade_id, "setup": t.setup, "context": t.context} for t in tests.values()]

    def _checker_command(self) -> list[str]:
        if not self.sandbox:
            return []
        from dpdlab.grading.sandbox import SandboxedKernelManager

        manager = SandboxedKernelManager(config=self.config)
        # a user id of its own (never a kernel's: those count from uid up), no writable folder but its /tmp
        return manager.process_command(writable=[], cwd=None, uid=manager.uid + CHECKER_UID_OFFSET)

    def _report_left_behind(self, scratch: Path) -> None:
        try:
            found = files.left_behind(scratch)
        except OSError:
            return
        described = [f"a symbolic link '{e.name}' (to '{e.target}')" if e.kind == "link" else f"a {e.kind} '{e.name}'"
                     for e in found]
        if described:
            EVENTS.append(MESSAGES["left_behind"].format(what=", ".join(described)))

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
        if self._tests is not None and is_test_cell(cell):
            return await self._run_test(cell)
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

    # -- test cells, in the checker ----------------------------------------------------------------------
    def _failed(self, cell, message: str):
        cell.outputs = [new_output("error", ename="NotGraded", evalue=message, traceback=[message])]
        return cell

    async def _run_test(self, cell):
        """Run a test cell in the checker, on the answers the student's kernel holds now."""
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
        if self._plan_error:
            return self._failed(cell, self._plan_error)
        test = self._tests.get(grade_id)
        if test is None:
            return self._failed(cell, MESSAGES["unknown_test"].format(cell=grade_id))
        timeout = self._get_timeout(cell)
        ok, captured = await self._in_kernel(f"{TRANSFER}.capture({test.answers!r})", timeout)
        if not ok:
            if self._stopped is not None:
                return self._not_run(cell)
            return self._failed(cell, MESSAGES["ungradable"].format(
                cell=grade_id, problem=MESSAGES["capture_failed"].format(why=captured)))
        try:
            answers = json.loads(captured)
            if not isinstance(answers, dict):
                raise ValueError("not an object")
        except ValueError as error:
            return self._failed(cell, MESSAGES["ungradable"].format(
                cell=grade_id, problem=MESSAGES["capture_failed"].format(why=error)))
        answers = {name: answers.get(name, {"$t": "undefined"}) for name in test.answers}
        for name, answer in answers.items():
            if isinstance(answer, dict) and answer.get("$t") == "unsupported":
                EVENTS.append(MESSAGES["ungradable"].format(cell=grade_id, problem=f"{name} is {answer.get('why')}"))
        self._count += 1
        outputs = await self._checker.run_test(
            self._plan_key, self._plan_tests(), {"grade_id": grade_id, "code": test.code}, answers, self._fresh, self._count,
            lambda function, payload: self._call_in_kernel(function, payload, timeout), timeout)
        self._fresh = False
        if self._stopped is not None:  # the kernel died during a call: this test is not passed
            return self._not_run(cell)
        cell.outputs = [new_output(**{k: v for k, v in o.items() if k != "output_type"},
                                   output_type=o["output_type"]) for o in outputs]
        cell.execution_count = self._count
        return cell

    async def _call_in_kernel(self, function: str, payload: str, timeout: float) -> tuple[bool, str]:
        return await self._in_kernel(f"{TRANSFER}.call({function!r}, {payload!r})", timeout)

    async def _in_kernel(self, expression: str, timeout: float) -> tuple[bool, str]:
        """Evaluate ``expression`` (which returns a text) in the student's kernel, silently: no cell, no
        history, no output. Returns ``(True, text)``, or ``(False, why)``; stops the kernel if it dies or
        does not answer an interrupt."""
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"r": expression},
                                 allow_stdin=False)
        deadline, interrupted = time.monotonic() + timeout, False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if interrupted:
                    await self._stop_kernel(MESSAGES["unresponsive"].format(seconds=timeout))
                    return False, self._stopped
                await ensure_async(self.km.interrupt_kernel())
                interrupted, deadline = True, time.monotonic() + INTERRUPT_GRACE
                continue
            try:
                reply = await ensure_async(self.kc.shell_channel.get_msg(timeout=min(remaining, 1.0)))
            except Exception:  # nothing yet (queue.Empty): is the kernel still there?
                if not await ensure_async(self.km.is_alive()):
                    await self._stop_kernel(MESSAGES["kernel_died"])
                    return False, self._stopped
                continue
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if interrupted:
                return False, MESSAGES["call_timeout"].format(seconds=timeout)
            content = reply.get("content", {})
            result = content.get("user_expressions", {}).get("r", {})
            if content.get("status") != "ok" or result.get("status") != "ok":
                failed = result if result.get("status") == "error" else content
                return False, f"{failed.get('ename', 'error')}: {str(failed.get('evalue', ''))[:300]}"
            return _literal_text(result.get("data", {}).get("text/plain", ""))

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


def _literal_text(shown: str) -> tuple[bool, str]:
    """The text a kernel showed as a Python string literal (``repr``), read without evaluating anything."""
    try:
        value = ast.literal_eval(shown)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return False, "the kernel sent something that is not a text"
    return (True, value) if isinstance(value, str) else (False, "the kernel sent something that is not a text")
