"""The test plan of every source notebook, and the checker that runs tests apart from the student's code.

dpdlab.grading.plan reads which names each test cell takes from the student (answers) and which from the
notebook's own cells (context), and keeps only the statements that compute the context. The checker runs
a test on answers given as data; here its student functions are served by a plain Python stand-in for
the student's kernel, so these tests need no sandbox (tests/test_hostile.py runs the real thing).
"""
from __future__ import annotations

import asyncio
import json
import warnings

import pytest

from conftest import COURSE, ROOT, edition_sources, read_notebook, source_notebooks
from dpdlab.grading import checker, plan, transfer


def code_cell(source: str, **nbgrader) -> dict:
    meta = {"nbgrader": {"grade_id": nbgrader.pop("grade_id"), **nbgrader}} if nbgrader else {}
    return {"cell_type": "code", "source": source, "metadata": meta, "outputs": []}


TOY = {"cells": [
    code_cell("import pandas as pd\nfrom dpdlab import setup, check, passed\nsetup()", grade_id="setup", locked=True),
    code_cell("table = pd.DataFrame({'x': [1, 2, 3]})\nchart = make_chart(table)\ntable.head()"),
    code_cell("### BEGIN SOLUTION\nq1_total = int(table['x'].sum())\ndef double(v):\n    return 2 * v\n"
              "### END SOLUTION", grade_id="q1-answer", solution=True),
    code_cell("check(isinstance(q1_total, int), 'a whole number', 'q1_total')\npassed('q1_total')\n"
              "### BEGIN HIDDEN TESTS\nassert q1_total == table['x'].sum()\nassert double(21) == 42\n"
              "### END HIDDEN TESTS", grade_id="q1-check", grade=True, points=1),
    code_cell("table = table.assign(y=table['x'] * 10)\nunused = 1"),
    code_cell("### BEGIN SOLUTION\nq2_rows = list(table['y'])\n### END SOLUTION", grade_id="q2-answer", solution=True),
    code_cell("assert q2_rows == list(table['y'])", grade_id="q2-check", grade=True, points=1),
]}


def test_the_plan_separates_answers_from_the_notebooks_own_data():
    found = plan.grading_plan(TOY)
    assert found.problems == []
    q1, q2 = found.tests["q1-check"], found.tests["q2-check"]
    assert q1.answers == ["double", "q1_total"]
    assert set(q1.context) == {"check", "passed", "table"}
    # only what the tests read: no setup(), no chart, no preview
    assert q1.setup == ["import pandas as pd", "from dpdlab import setup, check, passed",
                        "table = pd.DataFrame({'x': [1, 2, 3]})"]
    assert q2.answers == ["q2_rows"] and q2.setup == ["table = table.assign(y=table['x'] * 10)"]


def test_a_notebook_cell_that_computes_data_from_an_answer_is_reported():
    broken = {"cells": [*TOY["cells"][:3], code_cell("table = table[table['x'] < q1_total]"),
                        code_cell("assert len(table) == 2", grade_id="q9-check", grade=True, points=1)]}
    assert any("'q1_total', an exercise answer" in p for p in plan.grading_plan(broken).problems)


def test_the_context_is_loaded_from_the_files_the_source_notebooks_data_files_names():
    """An instructor grades a cohort on other files by setting ``data_files`` in the source notebook: the tables
    the checker's tests compare with are loaded from those files (never from anything a submission names)."""
    from dpdlab import data

    module = "06_strategy_institutions_digital_divide"
    source = read_notebook(COURSE / "source" / module / f"{module}.ipynb")
    fixture = ROOT / "tests" / "fixtures" / "byod" / "internet_users.csv"
    [parameters] = [c for c in source["cells"] if "parameters" in c["metadata"].get("tags", [])]
    text = "".join(parameters["source"])
    assert "data_files = {}" in text
    parameters["source"] = text.replace("data_files = {}", f"data_files = {{'internet_use_share': {str(fixture)!r}}}")
    found = plan.grading_plan(source)
    assert found.problems == []
    statements = [statement for test in found.tests.values() for statement in test.setup]
    assert any(s.startswith("data_files = ") and str(fixture) in s for s in statements)
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        for statement in statements:
            exec(statement, namespace)
    assert namespace["internet"].attrs["path"] == str(fixture) and not data.is_simulated(namespace["internet"])
    assert namespace["campaign"].attrs["path"] == str(data.dataset_path("campaign_funnel_simulated"))  # not named


@pytest.mark.parametrize("path", source_notebooks() + edition_sources(), ids=lambda p: p.parent.name)
def test_every_source_notebook_has_a_plan_without_problems(path):
    found = plan.grading_plan(read_notebook(path))
    assert found.problems == []
    assert found.tests and all(t.answers for t in found.tests.values())


class Kernel:
    """Stands in for the student's kernel: a namespace whose functions the checker may call."""

    def __init__(self, namespace: dict):
        self.namespace = namespace
        self.calls: list[str] = []

    async def call(self, name: str, payload: str) -> tuple[bool, str]:
        self.calls.append(name)
        original = transfer._user_namespace
        transfer._user_namespace = lambda: self.namespace
        try:
            return True, transfer.call(name, payload)
        finally:
            transfer._user_namespace = original

    def answers(self, names: list[str]) -> dict:
        return {n: transfer.describe_answer(self.namespace, n) for n in names}


def run(kernel: Kernel, grade_id: str, fresh: bool = True) -> list[dict]:
    found = plan.grading_plan(TOY)
    tests = [{"grade_id": t.grade_id, "setup": t.setup, "context": t.context} for t in found.tests.values()]
    test = found.tests[grade_id]
    client = checker.client([])
    return asyncio.run(client.run_test(checker.plan_key(tests), tests, {"grade_id": grade_id, "code": test.code},
                                       kernel.answers(test.answers), fresh, 1, kernel.call, timeout=60))


def errors(outputs: list[dict]) -> list[dict]:
    return [o for o in outputs if o["output_type"] == "error"]


def test_a_right_answer_passes_and_a_student_function_is_called_in_the_kernel():
    kernel = Kernel({"q1_total": 6, "double": lambda v: 2 * v})
    outputs = run(kernel, "q1-check")
    assert errors(outputs) == [] and "✓ q1_total" in outputs[0]["text"]
    assert kernel.calls == ["double"]


def test_a_wrong_answer_fails_on_the_hidden_test_with_its_line():
    outputs = run(Kernel({"q1_total": 7, "double": lambda v: 2 * v}), "q1-check")
    [error] = errors(outputs)
    assert error["ename"] == "AssertionError" and any("line 4" in line for line in error["traceback"])


def test_an_answer_that_equals_anything_is_judged_by_its_data():
    class Yes(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__

    assert errors(run(Kernel({"q1_total": Yes(0), "double": lambda v: 2 * v}), "q1-check"))


def test_a_missing_answer_fails_with_the_exercise_hint():
    [error] = errors(run(Kernel({}), "q1-check"))
    assert error["ename"] == "NameError" and "is the answer to an exercise" in error["traceback"][-1]


def test_an_unreadable_answer_fails_with_its_type():
    [error] = errors(run(Kernel({"q1_total": object(), "double": lambda v: 2 * v}), "q1-check"))
    assert error["ename"] == "UngradableAnswer" and "of type object" in error["evalue"]


def test_an_exception_in_a_student_function_is_raised_in_the_test_as_its_own_type():
    def double(v):
        raise ValueError("no")

    [error] = errors(run(Kernel({"q1_total": 6, "double": double}), "q1-check"))
    assert error["ename"] == "ValueError" and error["evalue"] == "no"


def test_the_context_comes_from_the_source_not_from_the_student():
    # the student's kernel has its own `table`; the checker never asks for it
    kernel = Kernel({"q1_total": 100, "table": {"x": [100]}, "double": lambda v: 2 * v})
    assert errors(run(kernel, "q1-check"))
    assert not errors(run(Kernel({"q2_rows": [10, 20, 30]}), "q2-check"))


def test_the_checker_runs_as_its_own_process_and_survives_a_student_function_that_never_returns(monkeypatch):
    def forever(v):
        while True:
            pass

    async def never(name, payload):
        await asyncio.sleep(3600)

    monkeypatch.setattr(checker, "CALL_GRACE", 0)
    found = plan.grading_plan(TOY)
    tests = [{"grade_id": t.grade_id, "setup": t.setup, "context": t.context} for t in found.tests.values()]
    test = found.tests["q1-check"]
    kernel = Kernel({"q1_total": 6, "double": forever})
    client = checker.client([])
    outputs = asyncio.run(client.run_test(checker.plan_key(tests), tests, {"grade_id": "q1-check", "code": test.code},
                                          kernel.answers(test.answers), True, 1, never, timeout=2))
    [error] = errors(outputs)
    assert error["ename"] == "CheckerStopped" and "longer than" in error["evalue"]
    assert not errors(run(Kernel({"q1_total": 6, "double": lambda v: 2 * v}), "q1-check"))  # restarted


def test_checker_messages_are_json():
    assert json.loads(json.dumps(checker.MESSAGES))
