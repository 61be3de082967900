"""What a source notebook holds for grading: its solution cells, its test cells and the rest.

At autograde time the tests run in the checker (:mod:`dpdlab.grading.checker`), never in the student's
kernel. :func:`grading_plan` reads the instructor's *source* notebook (never the submission) and says, for
each test cell:

* its code (visible and hidden tests);
* its **answers**: the names it reads that the exercise cells bind (``q1_…``, a function the student
  writes), which the grader asks the student's kernel for;
* its **context**: the names it reads that the notebook's own cells bind (the datasets, the modules), and
  the statements of those cells that compute them. The checker runs these itself, from the source, so the
  expected values never come from anything student code could change.

Only the statements a test needs are kept (a backward slice over the notebook's top-level statements):
charts, widgets and ``setup()`` bind nothing a test reads, so the checker does not pay for them. A
statement is kept when it binds a name that is needed, or may change one in place (an assignment to an
item or attribute, a method called on it for its effect, except as a cell's last expression, which
Jupyter shows); the reference round trip in the tests proves the slice enough for each notebook.

:func:`answered` fills a released notebook with answers, as a student would submit it (for self-checks,
tests and benchmarks).
"""
from __future__ import annotations

import ast
import builtins
import copy
from dataclasses import dataclass, field

from dpdlab.grading.inspection import cell_source, nbgrader_meta

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
MESSAGES = {
    "unparsable": "Cell '{cell}' of the source is not valid Python ({error}); the checker cannot use it.",
    "unbound": "Test cell '{cell}' reads '{name}', which no cell before it binds.",
    "needs_answer": ("Cell '{cell}' computes '{needed}', which test cell '{test}' reads, from '{name}', an "
                     "exercise answer: the checker can only rebuild what the notebook's own cells compute."),
}


@dataclass
class TestCell:
    """One test cell of a notebook, as the checker runs it."""

    grade_id: str
    code: str
    answers: list[str]
    context: list[str]
    # the notebook's own statements to run (in order) after the previous test cell's and before this one
    setup: list[str] = field(default_factory=list)


@dataclass
class GradingPlan:
    """The test cells of a source notebook, in order, and what was found wrong with it."""

    tests: dict[str, TestCell]
    problems: list[str]


@dataclass
class _Statement:
    code: str
    binds: set[str]      # names this statement (re)binds
    mutates: set[str]    # names whose object it may change in place
    uses: set[str]       # names it reads
    cell: str


def is_test_cell(cell: dict) -> bool:
    """An autograded test cell: code, graded, not an answer cell."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_solution_cell(cell: dict) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("solution"))


def _names_in_target(target: ast.AST, binds: set[str], mutates: set[str]) -> None:
    if isinstance(target, ast.Name):
        binds.add(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _names_in_target(element, binds, mutates)
    elif isinstance(target, ast.Starred):
        _names_in_target(target.value, binds, mutates)
    elif isinstance(target, (ast.Attribute, ast.Subscript)):
        root = target.value
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name):
            mutates.add(root.id)


def _effects(node: ast.AST) -> tuple[set[str], set[str], set[str]]:
    """Names a statement binds, may change in place, and reads (nested code included, conservatively)."""
    binds: set[str] = set()
    mutates: set[str] = set()
    uses: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target in (child.targets if isinstance(child, ast.Assign) else [child.target]):
                _names_in_target(target, binds, mutates)
            if isinstance(child, ast.AugAssign) and isinstance(child.target, ast.Name):
                mutates.add(child.target.id)  # x += 1 reads x too
        elif isinstance(child, (ast.For, ast.AsyncFor, ast.comprehension)):
            _names_in_target(child.target, binds, mutates)
        elif isinstance(child, ast.withitem) and child.optional_vars is not None:
            _names_in_target(child.optional_vars, binds, mutates)
        elif isinstance(child, ast.NamedExpr):
            _names_in_target(child.target, binds, mutates)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            for alias in child.names:
                binds.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(child.name)
        elif isinstance(child, ast.Delete):
            for target in child.targets:
                _names_in_target(target, binds, mutates)
        elif isinstance(child, ast.Expr) and isinstance(child.value, ast.Call) \
                and isinstance(child.value.func, ast.Attribute) and (
                    isinstance(child.value.func.value, ast.Name)
                    or any(k.arg == "inplace" for k in child.value.keywords)):
            # a method called for its effect may change its object (graph.add_edge, frame.drop(inplace=True));
            # a chained expression (frame[...].head()) only shows something
            _names_in_target(child.value.func, set(), mutates)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            uses.add(child.id)
    return binds, mutates, uses


def _shown_only(node: ast.AST) -> bool:
    """A bare expression with no ``inplace=`` argument: as a cell's last line, it is there to be shown."""
    return isinstance(node, ast.Expr) and not any(
        isinstance(child, ast.keyword) and child.arg == "inplace" for child in ast.walk(node))


def _code_without_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS)


def _read_names(code: str) -> tuple[set[str], set[str]]:
    """Names a test cell reads that it does not bind itself, and the names it binds."""
    tree = ast.parse(code)
    binds, _, uses = _effects(tree)
    for node in ast.walk(tree):  # arguments of functions and lambdas defined in the test
        if isinstance(node, ast.arg):
            binds.add(node.arg)
    return uses - binds - set(dir(builtins)), binds


def grading_plan(source_notebook: dict) -> GradingPlan:
    """The :class:`GradingPlan` of an nbgrader source notebook (see the module's documentation)."""
    problems: list[str] = []
    sequence: list[tuple[str, object]] = []  # ("statement", _Statement) | ("test", TestCell)
    binder: dict[str, str] = {}              # name -> "context" | "student": who bound it last
    solution_names: set[str] = set()
    imported: set[str] = set()
    for cell in source_notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        name = nbgrader_meta(cell).get("grade_id") or cell.get("id") or "?"
        source = cell_source(cell)
        try:
            if is_solution_cell(cell):
                binds, _, _ = _effects(ast.parse(_code_without_markers(source)))
                solution_names |= binds
                binder.update(dict.fromkeys(binds, "student"))
                continue
            if is_test_cell(cell):
                reads, _ = _read_names(source)
                answers = sorted(n for n in reads if binder.get(n) == "student")
                context = sorted(n for n in reads if binder.get(n) != "student")
                problems += [MESSAGES["unbound"].format(cell=name, name=n) for n in context if n not in binder]
                sequence.append(("test", TestCell(name, source, answers, context)))
                continue
            tree = ast.parse(source)
        except SyntaxError as error:
            problems.append(MESSAGES["unparsable"].format(cell=name, error=error.msg))
            continue
        for position, node in enumerate(tree.body):
            binds, mutates, uses = _effects(node)
            if position == len(tree.body) - 1 and _shown_only(node):
                mutates = set()  # a cell's last expression is what Jupyter shows (a table's head, a chart)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imported |= binds
            else:
                imported -= binds
            mutates -= imported  # calling a module's functions does not change the module
            code = ast.get_source_segment(source, node) or ast.unparse(node)
            sequence.append(("statement", _Statement(code, binds, mutates, uses, name)))
            binder.update(dict.fromkeys(binds, "context"))
    _slice(sequence, solution_names, problems)
    tests = {item.grade_id: item for kind, item in sequence if kind == "test"}
    return GradingPlan(tests, problems)


def _slice(sequence: list, solution_names: set[str], problems: list[str]) -> None:
    """Keep, for each test, the statements before it that compute what it (or a later test) reads."""
    needed: dict[str, str] = {}  # name -> the test that needs it (for messages)
    kept: list[bool] = [False] * len(sequence)
    for position in range(len(sequence) - 1, -1, -1):
        kind, item = sequence[position]
        if kind == "test":
            for name in item.context:
                needed.setdefault(name, item.grade_id)
            continue
        touched = (item.binds | item.mutates) & set(needed)
        if not touched:
            continue
        kept[position] = True
        test = needed[next(iter(sorted(touched)))]
        for name in item.binds - item.mutates - item.uses:
            needed.pop(name, None)
        for name in item.uses:
            if name in solution_names and name not in item.binds:
                problems.append(MESSAGES["needs_answer"].format(cell=item.cell, needed=sorted(touched)[0],
                                                                test=test, name=name))
            needed.setdefault(name, test)
    pending: list[str] = []
    for position, (kind, item) in enumerate(sequence):
        if kind == "statement" and kept[position]:
            pending.append(item.code)
        elif kind == "test":
            item.setup, pending = pending, []


def answered(release_notebook: dict, source_notebook: dict, answers: dict[str, str | None] | None = None) -> dict:
    """A released notebook with answers filled in, as a student would submit it (for self-checks, tests and
    benchmarks): each solution cell gets ``answers[grade_id]`` if given, else the instructor's solution
    from ``source_notebook`` (``None`` keeps the release's stub)."""
    solutions = {nbgrader_meta(cell)["grade_id"]: _code_without_markers(cell_source(cell))
                 for cell in source_notebook["cells"]
                 if nbgrader_meta(cell).get("solution") and cell["cell_type"] == "code"}
    notebook = copy.deepcopy(release_notebook)
    answers = answers or {}
    for cell in notebook["cells"]:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in solutions:
            chosen = answers.get(grade_id, solutions[grade_id])
            if chosen is not None:
                cell["source"] = chosen
    return notebook
