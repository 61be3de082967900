"""papermill runs every notebook end to end: sources without any error, student versions with errors only in
exercise cells, and every parameter set a notebook declares. Notebooks are discovered, not listed."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import papermill as pm
import pytest

from conftest import (PAPERMILL, ROOT, cell_text, edition_sources, edition_students, ids, nbgrader_meta,
                      source_notebooks, student_notebooks)
from dpdlab import svg

pytestmark = pytest.mark.notebooks
TIMEOUT = 180  # seconds per cell; a hang fails the test instead of blocking the suite


def run(path: Path, output: Path, parameters: dict | None = None, allow_errors: bool = False) -> dict:
    """Execute ``path`` with papermill the way CI does; return the executed notebook as a dict."""
    try:
        pm.execute_notebook(str(path), str(output), parameters=parameters or {}, cwd=str(path.parent),
                            execution_timeout=TIMEOUT, allow_errors=allow_errors, **PAPERMILL)
    except pm.PapermillExecutionError:
        if not allow_errors:
            raise
    return json.loads(output.read_text(encoding="utf-8"))


def error_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if c["cell_type"] == "code"
            and any(o["output_type"] == "error" for o in c.get("outputs", []))]


_executed: dict[Path, dict] = {}
# every edition's notebooks run as the English ones do: their code is the same but for the set-up cell
SOURCES = source_notebooks() + edition_sources()
STUDENTS = student_notebooks() + edition_students()


@pytest.mark.parametrize("path", SOURCES, ids=ids(SOURCES))
def test_source_notebook_runs_without_error(path, tmp_path):
    executed = run(path, tmp_path / path.name)
    assert not error_cells(executed)
    _executed[path] = executed


def _parameter_runs():
    runs = []
    for path in source_notebooks():
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("dpdlab", {})
        for number, parameters in enumerate(meta.get("test_parameters", [])):
            runs.append(pytest.param(path, parameters, id=f"{path.stem}[{number}]"))
    return runs


@pytest.mark.parametrize("path, parameters", _parameter_runs())
def test_source_notebook_runs_with_declared_parameters(path, parameters, tmp_path):
    executed = run(path, tmp_path / path.name, parameters=parameters)
    assert not error_cells(executed)
    injected = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1
    for name, value in parameters.items():
        assert f"{name} = {value!r}".replace("'", '"') in cell_text(injected[0]).replace("'", '"')


@pytest.mark.parametrize("path", STUDENTS, ids=ids(STUDENTS))
def test_student_notebook_fails_only_in_exercise_cells(path, tmp_path):
    executed = run(path, tmp_path / path.name, allow_errors=True)
    answer_cells = [c for c in executed["cells"] if nbgrader_meta(c).get("solution") and c["cell_type"] == "code"]
    failing = error_cells(executed)
    for cell in failing:
        meta = nbgrader_meta(cell)
        assert meta.get("solution") or meta.get("grade"), (
            f"a non-exercise cell fails when exercises are skipped:\n{cell_text(cell)[:300]}")
    # every unanswered exercise fails with the stub's NotImplementedError, so the stubs really are there
    for cell in answer_cells:
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert errors and errors[0]["ename"] == "NotImplementedError"


def exported_html(executed: dict, folder: Path) -> str:
    """``executed`` exported as a learner exports it: ``jupyter nbconvert --to html``, with the configuration
    the course's package installs (which draws each chart as static SVG, out of the kernel)."""
    path = folder / "exported.ipynb"
    path.write_text(json.dumps(executed), encoding="utf-8")
    subprocess.run([str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--to", "html", str(path)],
                   check=True, capture_output=True, timeout=TIMEOUT)
    return path.with_suffix(".html").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", source_notebooks(), ids=ids(source_notebooks()))
def test_exported_html_shows_charts_without_network(path, tmp_path):
    executed = _executed.get(path) or run(path, tmp_path / path.name)
    html = exported_html(executed, tmp_path)
    charts = sum(1 for c in executed["cells"] for o in c.get("outputs", []) if svg.MIMETYPE in o.get("data", {}))
    # each chart is an inline-SVG figure announced as one image with its text alternative (the kernel drew none)
    figures = [tag for tag in re.findall(r"<figure\b[^>]*>(?=<svg\b)", html) if 'class="dpdlab-chart"' in tag]
    assert len(figures) == charts
    assert all('role="img"' in tag and re.search(r'aria-label="Chart: [^"]+"', tag) for tag in figures)
    assert "cdn.jsdelivr.net/npm/vega" not in html
