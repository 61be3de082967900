"""Every table, chart, text or widget view of simulated values that a student sees says "simulated".

The student notebooks are executed headless once per session (``conftest.executed_student``), as a learner
who skips the exercises runs them, and their outputs are walked.

**Which outputs show simulated values** is read from each notebook's own code, cell by cell, in order
(:func:`simulated_cells`):

* a *simulated source* is a call ``load_dataset("<name>_simulated")`` (the course's simulated datasets end
  in ``_simulated``), or a call to a *model function*: a ``dpdlab`` function defined in a
  ``dpdlab.<package>.model`` module (the seeded models live there), or a ``dpdlab`` function whose code calls
  one or names a simulated dataset of the catalog, directly or through other ``dpdlab`` functions (read from
  its bytecode, :func:`is_model_function`);
* a name becomes *simulated* when it is assigned (``=``, ``+=``, ``for``, ``with``) from an expression that
  contains a simulated source or a simulated name; ``table["x"] = …`` and ``table.x = …`` count as
  assignments to ``table``;
* a cell whose code contains a simulated source or a simulated name shows simulated values, so **every**
  output it displays must carry the mark.

**The mark** is the word "simulated", in any case, where the student sees it (:func:`visible_text`): for a
chart, its text alternative (title and description, which is also what a screen reader reads); for a table,
its HTML with the tags stripped (headers, axis names, cells); for Markdown, text and printed output, the
text. A widget is checked output by output, in the output area it shows when the notebook opens.

Exercise cells (answers and checks) are left out: what they show depends on the student's answer.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import re
import types
from functools import lru_cache

import pytest

from conftest import cell_text, executed_student, ids, student_notebooks
from dpdlab import site, svg

pytestmark = pytest.mark.notebooks

MARK = re.compile(r"simulated", re.IGNORECASE)
SIMULATED_DATASET = re.compile(r"^[a-z0-9_]+_simulated$")
LOADERS = {"load_dataset"}


@lru_cache(maxsize=1)
def simulated_datasets() -> frozenset[str]:
    """Names of the course's simulated datasets, from its catalog."""
    from dpdlab import data

    return frozenset(name for name, spec in data.catalog().items() if spec.simulated)


# --- which dpdlab functions are models ----------------------------------------------------------------------

def _code_objects(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _is_dpdlab(obj) -> bool:
    return (getattr(obj, "__module__", "") or "").split(".")[0] == "dpdlab"


@lru_cache(maxsize=None)
def _model_function(fn) -> bool:
    """Memoised core of :func:`is_model_function` (functions are hashable)."""
    module = fn.__module__ or ""
    if module.split(".")[-1] == "model":
        return True
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    names, strings = set(), set()
    for part in _code_objects(code):
        names.update(part.co_names)
        strings.update(c for c in part.co_consts if isinstance(c, str))
    if strings & simulated_datasets():  # e.g. load_dataset("crisis_attention_simulated") inside a helper
        return True
    scope = fn.__globals__
    for name in names:
        target = scope.get(name)
        candidates = [target]
        if isinstance(target, types.ModuleType) and target.__name__.split(".")[0] == "dpdlab":
            candidates = [getattr(target, other, None) for other in names]  # module.function(...)
        for candidate in candidates:
            candidate = inspect.unwrap(candidate) if callable(candidate) else candidate
            if (isinstance(candidate, types.FunctionType) and candidate is not fn and _is_dpdlab(candidate)
                    and _model_function(candidate)):
                return True
    return False


def is_model_function(obj) -> bool:
    """True for a dpdlab function whose result comes from one of the course's seeded models."""
    if not callable(obj):
        return False
    obj = inspect.unwrap(obj)
    return isinstance(obj, types.FunctionType) and _is_dpdlab(obj) and _model_function(obj)


# --- which cells show simulated values ------------------------------------------------------------------------

def _imports(tree: ast.AST, namespace: dict) -> None:
    """Bind the names a cell imports, so calls like ``peru.plan_outcome`` can be resolved."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                try:
                    module = importlib.import_module(alias.name)
                except ImportError:
                    continue
                if alias.asname:
                    namespace[alias.asname] = module
                else:
                    namespace[alias.name.split(".")[0]] = importlib.import_module(alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                continue
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if value is None:
                    try:
                        value = importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        continue
                namespace[alias.asname or alias.name] = value


def _resolve(node: ast.AST, namespace: dict):
    """The object a call's function expression names (``f``, ``pkg.f``, ``pkg.sub.f``), or None."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, namespace)
        return getattr(base, node.attr, None) if isinstance(base, types.ModuleType) else None
    return None


def _is_source(node: ast.AST, namespace: dict) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if name in LOADERS:
        arguments = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "name")]
        return any(isinstance(a, ast.Constant) and isinstance(a.value, str) and SIMULATED_DATASET.match(a.value)
                   for a in arguments)
    return is_model_function(_resolve(node.func, namespace))


def _mentions(node: ast.AST, tainted: set[str], namespace: dict) -> bool:
    """True when ``node`` contains a simulated name or a simulated source."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id in tainted:
            return True
        if _is_source(part, namespace):
            return True
    return False


def _target_names(target: ast.AST) -> set[str]:
    """The names an assignment target binds or changes (``df["x"] = …`` changes ``df``)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_target_names(t) for t in target.elts)) if target.elts else set()
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, (ast.Subscript, ast.Attribute)):
        return _target_names(target.value)
    return set()


def _assignments(tree: ast.AST):
    """(targets, value) of every assignment-like statement in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            yield node.targets, node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            yield [node.target], node.value
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            yield [node.target], node.iter
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    yield [item.optional_vars], item.context_expr
        elif isinstance(node, ast.NamedExpr):
            yield [node.target], node.value


def simulated_cells(notebook: dict) -> set[int]:
    """Indices of the non-exercise code cells whose outputs show simulated values (see the module's doc)."""
    namespace: dict = {}
    tainted: set[str] = set()
    found = set()
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse(cell_text(cell))
        except SyntaxError:  # an exercise stub or IPython magic: nothing to follow
            continue
        _imports(tree, namespace)
        changed = True
        while changed:  # names tainted late in a cell can taint earlier-listed assignments of it
            changed = False
            for targets, value in _assignments(tree):
                if _mentions(value, tainted, namespace):
                    names = set().union(*(_target_names(t) for t in targets)) - tainted
                    if names:
                        tainted |= names
                        changed = True
        if not site.is_exercise(cell) and _mentions(tree, tainted, namespace):
            found.add(index)
    return found


# --- what the student sees --------------------------------------------------------------------------------------

def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def visible_text(output: dict) -> tuple[str, str]:
    """(kind, text the student sees) of one output: a chart's text alternative, a table's HTML without tags,
    Markdown, printed or plain text."""
    if output.get("output_type") == "stream":
        return "printed text", _joined(output.get("text", ""))
    data = output.get("data", {})
    if set(data) <= {site.WIDGET_VIEW, "text/plain"} and not _joined(data.get("text/plain", "")).strip():
        return "other", ""  # a widget view with no text: the hidden one that names a widget's controls
    # a chart: its static SVG, its Vega-Lite spec, or (in a widget's output area) a view of its chart widget
    if "image/svg+xml" in data or svg.MIMETYPE in data or site.WIDGET_VIEW in data:
        return "chart", _joined(data.get("text/plain", ""))
    if "text/html" in data:
        return "table or HTML", re.sub(r"<[^>]+>", " ", _joined(data["text/html"]))
    if "text/markdown" in data:
        return "Markdown", _joined(data["text/markdown"])
    if "text/plain" in data:
        return "text", _joined(data["text/plain"])
    return "other", ""


def shown_outputs(notebook: dict, index: int):
    """(where, output) of everything cell ``index`` shows, widget output areas included."""
    states = site.widget_states(notebook)
    for output in notebook["cells"][index].get("outputs", []):
        if output.get("output_type") == "error":
            continue
        data = output.get("data", {})
        if site.WIDGET_VIEW in data and svg.MIMETYPE not in data:  # a widget, not a chart
            for name, state in site.widget_models(data[site.WIDGET_VIEW]["model_id"], states):
                if name == "OutputModel":
                    for inner in state.get("outputs", []):
                        yield "widget output area", inner
        elif data or output.get("output_type") == "stream":
            yield "output", output


def unlabelled(notebook: dict) -> list[str]:
    """Every output of simulated values in ``notebook`` that does not say "simulated"."""
    problems = []
    for index in sorted(simulated_cells(notebook)):
        cell = notebook["cells"][index]
        for where, output in shown_outputs(notebook, index):
            kind, text = visible_text(output)
            if kind != "other" and not MARK.search(text):
                snippet = " ".join(text.split())[:100]
                problems.append(f"cell {index} (id {cell.get('id')}), {where}, {kind}: {snippet!r}")
    return problems


@pytest.mark.parametrize("path", student_notebooks(), ids=ids(student_notebooks()))
def test_every_output_of_simulated_values_says_so(path):
    problems = unlabelled(executed_student(path))
    assert not problems, "outputs of simulated values without the word 'simulated':\n" + "\n".join(problems)


# --- the rules themselves, on small notebooks whose answer is known ---------------------------------------------

def _notebook(*cells: tuple[str, list[dict]]) -> dict:
    return {"metadata": {}, "cells": [{"cell_type": "code", "id": f"c{n}", "metadata": {}, "source": source,
                                       "outputs": outputs} for n, (source, outputs) in enumerate(cells)]}


def _table(html: str) -> dict:
    return {"output_type": "execute_result", "data": {"text/html": html, "text/plain": html}}


def test_names_computed_from_a_simulated_dataset_are_followed_across_cells():
    notebook = _notebook(
        ("from dpdlab import load_dataset\nfacts = load_dataset('icj_case_votes')", []),
        ("raw = load_dataset('icj_case_posts_simulated')\nposts = raw[raw['case'] == 'peru_2014']", []),
        ("posts['n'] = 1\nsummary = posts.groupby('frame').size()", []),
        ("summary", [_table("<table><tr><td>calming</td><td>3</td></tr></table>")]),
        ("facts", [_table("<table><tr><td>15</td></tr></table>")]),
        ("summary.rename('SIMULATED posts')", [_table("<table><tr><th>SIMULATED posts</th></tr></table>")]),
    )
    assert simulated_cells(notebook) == {1, 2, 3, 5}
    problems = unlabelled(notebook)
    assert len(problems) == 1 and "cell 3 (id c3)" in problems[0]


def test_model_functions_are_found_through_the_code_that_calls_them():
    from dpdlab import argentina, niunamenos, peru

    assert is_model_function(peru.plan_outcome)  # defined in dpdlab.peru.model
    assert is_model_function(peru.plan_what_if)  # a widget whose view calls the model
    assert is_model_function(argentina.what_if)
    assert is_model_function(niunamenos.wave_table)
    assert not is_model_function(peru.communication_chart)  # a view of a fact table
    assert not is_model_function(niunamenos.diffusion_links)  # a rule applied to real dates
    from dpdlab import course

    assert not is_model_function(course.dataset_browser)  # opens on a real dataset; says "simulated" when one is
    notebook = _notebook(("from dpdlab import peru\nplan = [{'timing': 'evening'}]\nperu.plan_outcome(plan)",
                          [_table("<table><tr><td>evening</td></tr></table>")]))
    assert simulated_cells(notebook) == {0} and len(unlabelled(notebook)) == 1


def test_chart_marks_are_read_from_the_text_alternative():
    chart = {"output_type": "display_data",
             "data": {"image/svg+xml": "<svg><text>SIMULATED</text></svg>", "text/plain": "Chart: Posts. Bars."}}
    assert visible_text(chart) == ("chart", "Chart: Posts. Bars.")
    assert not MARK.search(visible_text(chart)[1])
