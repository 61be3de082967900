"""Shared fixtures: the project's paths and discovery of every notebook."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dpdlab import paths, release

# Every chart the tests make, in this process and in the kernels it starts, is checked against Vega-Lite's
# schema (a learner's kernel skips the check: dpdlab.charts.validating).
os.environ["DPDLAB_VALIDATE_CHARTS"] = "1"

ROOT = paths.project_root()
# How the tests run a notebook with papermill. Its kernel is stopped at once when the last cell is done: in
# ipykernel 7.4 a graceful shutdown stalls about 2.5 s in some runs, 6 of 24 bare papermill runs (the control
# thread flushes output to the IOPub thread the main thread has already stopped); the outputs are complete.
PAPERMILL = {"kernel_name": "python3", "progress_bar": False, "shutdown_kernel": "immediate"}
COURSE = paths.course_dir()


def source_notebooks() -> list[Path]:
    """Every English nbgrader source notebook (the authored ones), discovered in the folders the manifest lists."""
    listed = {a.id for a in release.manifest()}
    return sorted(p for p in (COURSE / "source").glob("*/*.ipynb") if p.parent.name in listed)


def student_notebooks() -> list[Path]:
    """Every committed English student notebook in the folders the manifest releases to."""
    folders = sorted({a.destination for a in release.manifest()})
    return sorted(p for folder in folders for p in (ROOT / folder).glob("*.ipynb"))


def edition_sources() -> list[Path]:
    """Every translated edition's nbgrader source notebook (generated from an English one and a catalogue)."""
    english = set(source_notebooks())
    return sorted(p for p in (COURSE / "source").glob("*/*.ipynb") if p not in english)


def edition_students() -> list[Path]:
    """Every committed student notebook of a translated edition (``course/es/``, ``cases/es/``...)."""
    folders = sorted({a.destination for a in release.all_assignments()} - {a.destination for a in release.manifest()})
    return sorted(p for folder in folders for p in (ROOT / folder).glob("*.ipynb"))


def edition_of(path: Path) -> str:
    """The language of the edition a notebook belongs to (``"en"`` for the English sources and notebooks)."""
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("dpdlab", {}).get("edition", "en")


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def ids(paths_: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths_]


# `make test` spreads the modules over the machine's cores (pytest-xdist, --dist loadscope). A module runs
# whole on one worker, so its module-scoped fixtures are built once. Modules that start sandboxed kernels
# share one worker: the sandbox's user ids, and so its per-user process cap, are the same in every run.
# Modules that reuse the session's executed student notebooks share another. The JupyterHub term
# (test_hub, a few minutes) has a worker of its own while it runs. The long groups go first.
GROUPS = {"test_grading": "sandbox", "test_hostile": "sandbox", "test_sandbox": "sandbox",
          "test_simulation_class": "sandbox",
          "test_accessibility": "executed", "test_site": "executed", "test_browser": "executed",
          "test_simulated_labels": "executed", "test_edition_output": "executed", "test_hub": "hub"}
GROUP_ORDER = ["sandbox", "hub", "executed"]


def module_group(nodeid: str) -> str:
    """The group of the test ``nodeid`` (``tests/test_x.py::...``): its module's name, or a shared group."""
    module = nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
    return GROUPS.get(module, module)


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        group = module_group(item.nodeid)
        return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)

    items.sort(key=rank)  # stable: within a group, the collection order stays


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``--dist loadscope``, a scope is a module group (see GROUPS), not a single module."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return module_group(nodeid)

    return ModuleGroupScheduling(config, log)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# Student notebooks executed headless once per test session (as a learner who skips the exercises runs
# them), shared by the accessibility, website and browser tests.
_EXECUTED: dict[Path, dict] = {}


def executed_student(path: Path) -> dict:
    """``path`` (a student notebook) executed with its widgets' state; cached for the session."""
    from dpdlab import site

    relative = path.relative_to(ROOT)
    if relative not in _EXECUTED:
        _EXECUTED[relative] = site.execute(path)
    return _EXECUTED[relative]


def chart_outputs(notebook: dict, include_exercises: bool = True) -> list[tuple[str, dict]]:
    """Every chart of an executed notebook, in cell outputs (a Vega-Lite spec output) and in the output areas
    of its widgets (a view of a chart widget, whose spec is in the saved widget state): ``(where, bundle)``
    with the spec under ``svg.MIMETYPE`` and the text alternative under ``text/plain``."""
    from dpdlab import chartwidget, site, svg

    states = site.widget_states(notebook)
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code" or (not include_exercises and site.is_exercise(cell)):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if svg.MIMETYPE in data:
                found.append((f"cell {index}", data))
            elif site.WIDGET_VIEW in data:
                for name, state in site.widget_models(data[site.WIDGET_VIEW]["model_id"], states):
                    for inner in state.get("outputs", []) if name == "OutputModel" else []:
                        view = inner.get("data", {}).get(site.WIDGET_VIEW)
                        chart = states.get(view["model_id"], {}).get("state", {}) if view else {}
                        spec = chartwidget.spec_of_state(chart)
                        if spec is not None:
                            found.append((f"cell {index}, widget output",
                                          {svg.MIMETYPE: spec, "text/plain": inner["data"].get("text/plain", "")}))
    return found
