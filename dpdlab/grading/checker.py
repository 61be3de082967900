"""The checker: the process in which a notebook's tests run at autograde time, apart from the student's code.

nbgrader runs test cells in the student's own kernel, where a student's earlier cell can rewrite later
cells, watch them run, replace the check helpers or hand back objects that equal anything. The course runs
them here instead, as PrairieLearn's Python grader does:

* the **context** a test reads (the datasets, the modules) is computed here, from the instructor's source
  notebook (:mod:`dpdlab.grading.plan`), once per notebook, and each student's tests get fresh copies;
* the student's **answers** arrive as plain data (:mod:`dpdlab.grading.transfer`); a function the student
  wrote arrives as a :class:`StudentFunction`, which calls it in the student's kernel and brings the
  result back as data;
* the test's source, the hidden tests included, never leaves this process; only its outputs do (printed
  hints, and the error of a failed test), for nbgrader to score.

``python -m dpdlab.grading.checker`` speaks JSON lines on its standard input and output; the grader's end
is :class:`CheckerClient`, which :mod:`dpdlab.grading.execute` uses:

``{"op": "prepare", "key", "tests": [{"grade_id", "setup": [code], "context": [names]}]}`` → ``prepared``
``{"op": "test", "key", "grade_id", "code", "answers", "fresh", "count"}`` → zero or more
``{"op": "call", "function", "payload"}`` (each answered by ``{"op": "returned", "reply"}`` or
``{"op": "call_failed", "message"}``), then ``{"op": "result", "outputs": [...]}``.
"""
from __future__ import annotations

import asyncio
import atexit
import builtins
import contextlib
import copy
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import traceback
import types
from typing import Any, Awaitable, Callable

from dpdlab.grading import transfer

MESSAGES = {
    "ungradable": "{name} is {why}.",
    "call_failed": "Calling your function {name}() did not finish: {message}",
    "call_result": "The result of your function {name}() is {why}.",
    "context_failed": "Cell '{cell}': the statement `{code}` failed in the checker: {error}",
    "student_error": "{type}: {message}",
    "checker_stopped": "The grader's checker stopped while checking this cell ({why}); the cell is not passed.",
    "checker_slow": "the checks took longer than {seconds} s",
    "checker_gone": "it ended unexpectedly",
}
# Exceptions a student's function may raise that are rebuilt as themselves (a test may expect ValueError).
_REBUILT = {name: kind for name, kind in vars(builtins).items()
            if isinstance(kind, type) and issubclass(kind, Exception) and not issubclass(kind, Warning)}
OUTPUT_LIMIT = 256 * 1024  # characters of printed output kept per test
CALL_GRACE = 10  # seconds a call to the student's kernel may outlast the test's limit (its own interrupt)


class UngradableAnswer(Exception):
    """An answer the grader cannot read (an unsupported type, malformed data)."""


class StudentError(Exception):
    """An exception raised by the student's function that is not one of Python's own."""


class Channel:
    """The checker's end of the pipe to the grader: one JSON object per line."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    def send(self, message: dict) -> None:
        self.writer.write(json.dumps(message) + "\n")
        self.writer.flush()

    def receive(self) -> dict | None:
        line = self.reader.readline()
        return json.loads(line) if line else None


class StudentFunction:
    """Stands for a function the student wrote: calling it calls it in the student's kernel."""

    def __init__(self, name: str, channel: Channel):
        self.__name__ = self.name = name
        self._channel = channel

    def __repr__(self) -> str:
        return f"<your function {self.name}>"

    def __call__(self, *args, **kwargs):
        payload = transfer.dumps({"args": list(args), "kwargs": dict(kwargs)})
        self._channel.send({"op": "call", "function": self.name, "payload": payload})
        message = self._channel.receive()
        if message is None:
            raise SystemExit(0)  # the grader went away
        if message.get("op") != "returned":
            raise StudentError(MESSAGES["call_failed"].format(name=self.name, message=message.get("message", "")))
        try:
            reply = json.loads(message["reply"]) if len(message["reply"]) <= transfer.LIMIT_BYTES else None
            if not isinstance(reply, dict):
                raise transfer.Malformed("not an object")
            raised, unsupported = reply.get("raised"), reply.get("unsupported")
            if raised is None and unsupported is None:
                value = transfer.decode(reply["value"])
                after_args, after_kwargs = transfer.decode(reply["args"]), transfer.decode(reply["kwargs"])
        except (transfer.Malformed, KeyError, TypeError, ValueError) as problem:
            raise UngradableAnswer(MESSAGES["call_result"].format(name=self.name, why=str(problem))) from None
        if raised is not None:
            raise _rebuilt(raised)
        if unsupported is not None:
            raise UngradableAnswer(MESSAGES["call_result"].format(name=self.name, why=str(unsupported)[:500]))
        for before, after in zip(args, after_args):
            _write_back(before, after)
        for key, before in kwargs.items():
            if isinstance(after_kwargs, dict) and key in after_kwargs:
                _write_back(before, after_kwargs[key])
        return value


def _rebuilt(raised: Any) -> Exception:
    """The exception a student's function raised, rebuilt from its type name and message (never more)."""
    if not isinstance(raised, dict):
        return StudentError("an exception")
    name, message = str(raised.get("type", "Exception"))[:100], str(raised.get("message", ""))[:2000]
    kind = _REBUILT.get(name)
    if kind is not None:
        return kind(message)
    return StudentError(MESSAGES["student_error"].format(type=name, message=message))


def _write_back(before: Any, after: Any) -> None:
    """Carry what a student's function did to a mutable argument back onto the checker's object."""
    try:
        if type(before) is list and isinstance(after, list):
            before[:] = after
        elif type(before) is dict and isinstance(after, dict):
            before.clear()
            before.update(after)
        elif type(before) is set and isinstance(after, set):
            before.clear()
            before.update(after)
        elif hasattr(before, "add_edges_from") and hasattr(after, "edges") and type(before) is type(after):
            before.clear()
            before.graph.update(after.graph)
            before.add_nodes_from(after.nodes(data=True))
            before.add_edges_from(after.edges(data=True))
    except Exception:  # noqa: BLE001 - a value that cannot take the change keeps its own
        pass


def _fresh_copy(value: Any) -> Any:
    """A copy of a context value for one student's tests (modules, functions and classes are shared)."""
    if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)):
        return value
    if hasattr(value, "copy") and type(value).__module__.split(".")[0] in ("pandas", "networkx", "numpy"):
        try:
            return value.copy()
        except Exception:  # noqa: BLE001
            return value
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - not copyable: shared, as in the notebook itself
        return value


def _error_output(error: BaseException, code: str, filename: str, count: int) -> dict:
    """An nbformat error output, with the test's own lines as IPython would show them."""
    from dpdlab.checks import CheckFailed, error_hint

    name = type(error).__name__
    if isinstance(error, CheckFailed):
        return {"output_type": "error", "ename": name, "evalue": str(error), "traceback": [str(error)]}
    lines = code.splitlines()
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    trace = ["-" * 75, f"{name}                              Traceback (most recent call last)"]
    for frame in frames:
        text = lines[frame.lineno - 1] if frame.lineno and 0 < frame.lineno <= len(lines) else ""
        trace.append(f"Cell In[{count}], line {frame.lineno}\n---> {frame.lineno} {text}")
    trace.append(f"{name}: {error}")
    hint = error_hint(error, code)
    if hint:
        trace.append(hint)
    return {"output_type": "error", "ename": name, "evalue": str(error), "traceback": trace}


class Checker:
    """The state of one checker process: the prepared notebooks and the current student's namespace."""

    def __init__(self, channel: Channel):
        self.channel = channel
        self.snapshots: dict[str, dict[str, dict[str, Any]]] = {}
        self.namespace: dict[str, Any] = {}

    def prepare(self, key: str, tests: list[dict]) -> list[str]:
        """Run a notebook's context statements once, and keep what each test reads."""
        problems: list[str] = []
        namespace: dict[str, Any] = {"__builtins__": builtins, "__name__": "__main__"}
        snapshots: dict[str, dict[str, Any]] = {}
        for test in tests:
            for code in test["setup"]:
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        exec(compile(code, f"<context of {test['grade_id']}>", "exec"), namespace)  # noqa: S102
                except Exception as error:  # noqa: BLE001 - the instructor's notebook: report, go on
                    first = code.splitlines()[0][:80] if code else ""
                    problems.append(MESSAGES["context_failed"].format(cell=test["grade_id"], code=first,
                                                                      error=f"{type(error).__name__}: {error}"))
            snapshots[test["grade_id"]] = {n: namespace[n] for n in test["context"] if n in namespace}
        self.snapshots[key] = snapshots
        return problems

    def test(self, request: dict) -> list[dict]:
        """Run one test cell on the answers given; return its outputs."""
        if request.get("fresh") or not self.namespace:
            self.namespace = {"__builtins__": builtins, "__name__": "__main__"}
        namespace = self.namespace
        for name, value in self.snapshots.get(request["key"], {}).get(request["grade_id"], {}).items():
            namespace[name] = _fresh_copy(value)
        code, count = request["code"], int(request.get("count") or 1)
        filename = f"<test {request['grade_id']}>"
        printed = io.StringIO()
        error = None
        try:
            self._bind_answers(request.get("answers", {}))
            compiled = compile(code, filename, "exec")
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                exec(compiled, namespace)  # noqa: S102 - the instructor's test, on the answers as data
        except Exception as raised:  # noqa: BLE001 - every failure is the test's result
            error = raised
        outputs = []
        text = printed.getvalue()
        if text:
            outputs.append({"output_type": "stream", "name": "stdout", "text": text[:OUTPUT_LIMIT]})
        if error is not None:
            outputs.append(_error_output(error, code, filename, count))
        return outputs

    def _bind_answers(self, answers: dict) -> None:
        for name, answer in answers.items():
            kind = answer.get("$t") if isinstance(answer, dict) else None
            self.namespace.pop(name, None)
            if kind == "value":
                try:
                    self.namespace[name] = transfer.loads(answer.get("json"))
                except transfer.Malformed as problem:
                    raise UngradableAnswer(MESSAGES["ungradable"].format(name=name, why=problem)) from None
            elif kind == "function":
                self.namespace[name] = StudentFunction(name, self.channel)
            elif kind == "unsupported":
                raise UngradableAnswer(MESSAGES["ungradable"].format(name=name, why=str(answer.get("why"))[:500]))
            elif kind != "undefined":
                raise UngradableAnswer(MESSAGES["ungradable"].format(name=name, why="sent in a form the grader "
                                                                                 "does not know"))

    def serve(self) -> None:
        while True:
            message = self.channel.receive()
            if message is None:
                return
            if message.get("op") == "prepare":
                self.channel.send({"op": "prepared", "problems": self.prepare(message["key"], message["tests"])})
            elif message.get("op") == "test":
                self.channel.send({"op": "result", "outputs": self.test(message)})


class CheckerClient:
    """The grader's end of a checker process: started when first needed, restarted if it stops.

    ``command`` is the prefix that confines it (the sandbox's :meth:`process_command`), or empty. One client
    serves every notebook a grading process runs, so the checker starts and imports once, and each
    notebook's context is computed once (``prepare``), not once per student.
    """

    def __init__(self, command: list[str]):
        self.command = command
        self.process: subprocess.Popen | None = None
        self.prepared: set[str] = set()
        self.unanswered = 0  # "prepare" messages sent whose "prepared" reply is not read yet

    def _start(self) -> None:
        self.stop()
        self.process = subprocess.Popen([*self.command, sys.executable, "-m", "dpdlab.grading.checker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True, encoding="utf-8", bufsize=1, cwd="/")
        self.prepared = set()
        self.unanswered = 0

    def _prepare(self, plan_key: str, tests: list[dict]) -> None:
        """Start the checker if it is not running and send it the notebook's plan, without waiting."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        if plan_key not in self.prepared:
            self._send({"op": "prepare", "key": plan_key, "tests": tests})
            self.prepared.add(plan_key)
            self.unanswered += 1

    def warm(self, plan_key: str, tests: list[dict]) -> None:
        """Start and prepare the checker now, so that its start-up overlaps the student's kernel's."""
        try:
            self._prepare(plan_key, tests)
        except (BrokenPipeError, OSError):
            self.stop()  # run_test starts it again and says so if it cannot

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def _send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def _receive(self) -> dict | None:
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    async def _next(self, deadline: float) -> dict:
        """The checker's next message, or an error output's reason if it stops or takes too long."""
        try:
            message = await asyncio.wait_for(asyncio.to_thread(self._receive),
                                             timeout=max(0.1, deadline - time.monotonic()))
        except (asyncio.TimeoutError, TimeoutError):
            self.stop()
            raise CheckerStopped(MESSAGES["checker_slow"].format(seconds=round(deadline - self._began)))
        except (OSError, ValueError):
            message = None
        if message is None:
            self.stop()
            raise CheckerStopped(MESSAGES["checker_gone"])
        return message

    async def run_test(self, plan_key: str, tests: list[dict], test: dict, answers: dict, fresh: bool,
                       count: int, call: Callable[[str, str], Awaitable[tuple[bool, str]]],
                       timeout: float) -> list[dict]:
        """Run one test cell in the checker and return its outputs. ``tests`` is the notebook's plan (sent
        once per checker); ``call(function, payload)`` runs a student function in the student's kernel."""
        self._began = time.monotonic()
        deadline = self._began + timeout
        try:
            self._prepare(plan_key, tests)
            while self.unanswered:  # computing a context: once per notebook per checker
                await self._next(deadline + 120)
                self.unanswered -= 1
            self._send({"op": "test", "key": plan_key, "grade_id": test["grade_id"], "code": test["code"],
                        "answers": answers, "fresh": fresh, "count": count})
            while True:
                message = await self._next(deadline)
                if message.get("op") == "result":
                    return list(message.get("outputs", []))
                if message.get("op") == "call":
                    # the call bounds itself (the kernel is interrupted at the cell's limit); this is the backstop
                    ok, reply = await asyncio.wait_for(
                        call(str(message.get("function")), str(message.get("payload"))),
                        timeout=max(0.1, deadline - time.monotonic()) + CALL_GRACE)
                    self._send({"op": "returned", "reply": reply} if ok else {"op": "call_failed", "message": reply})
        except (asyncio.TimeoutError, TimeoutError):
            self.stop()
            why = MESSAGES["checker_stopped"].format(why=MESSAGES["checker_slow"].format(seconds=round(timeout)))
            return [{"output_type": "error", "ename": "CheckerStopped", "evalue": why, "traceback": [why]}]
        except CheckerStopped as stopped:
            why = MESSAGES["checker_stopped"].format(why=stopped)
            return [{"output_type": "error", "ename": "CheckerStopped", "evalue": why, "traceback": [why]}]
        except (BrokenPipeError, OSError):
            self.stop()
            why = MESSAGES["checker_stopped"].format(why=MESSAGES["checker_gone"])
            return [{"output_type": "error", "ename": "CheckerStopped", "evalue": why, "traceback": [why]}]


class CheckerStopped(Exception):
    """The checker ended or took too long; the message says which."""


_CLIENTS: dict[tuple[str, ...], CheckerClient] = {}


def client(command: list[str]) -> CheckerClient:
    """The checker client of this process for ``command`` (one per confinement, reused across notebooks)."""
    key = tuple(command)
    if key not in _CLIENTS:
        _CLIENTS[key] = CheckerClient(command)
        atexit.register(_CLIENTS[key].stop)
    return _CLIENTS[key]


def plan_key(tests: list[dict]) -> str:
    """A key for a notebook's plan: the same source notebook is prepared once per checker."""
    return hashlib.sha256(json.dumps(tests, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def main() -> int:
    # The protocol keeps the process's own standard streams; anything else that writes to them (a library,
    # a stray print in a context cell) goes to standard error instead.
    reader = os.fdopen(os.dup(0), "r", encoding="utf-8")
    writer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    os.environ.setdefault("DPDLAB_PROGRESS", "off")
    Checker(Channel(reader, writer)).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
