"""Importing the course: every package export resolves, and loading data does not import the heavy libraries
that only some modules use (each notebook's start-up time and memory depend on it)."""
from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

CASE_PACKAGES = ("argentina", "beyond", "crises", "foundations", "infoops", "niunamenos", "peru", "strategy")
HEAVY = ("scipy", "networkx")
# Imported by jsonschema >= 4.25 when installed; building its parsers takes most of a second (requirements.txt).
SLOW_FORMAT_CHECKER = "rfc3987_syntax"


@pytest.mark.parametrize("package_name", CASE_PACKAGES)
def test_every_export_of_a_package_resolves(package_name):
    package = importlib.import_module(f"dpdlab.{package_name}")
    assert package.__all__, f"dpdlab.{package_name} exports nothing"
    for name in package.__all__:
        assert getattr(package, name) is not None, f"dpdlab.{package_name}.{name}"
        assert name in dir(package)  # what tab completion in a notebook offers


def _modules_loaded_after(code: str, watched: tuple[str, ...] = HEAVY) -> set[str]:
    """Which of ``watched`` a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint(*[m for m in {watched!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_loading_every_dataset_imports_neither_scipy_nor_networkx():
    loaded = _modules_loaded_after("import dpdlab\nfor name in dpdlab.dataset_names(): dpdlab.load_dataset(name)")
    assert loaded == set()


def test_loading_a_dataset_imports_neither_the_simulation_nor_the_analyses():
    # The schemas name some of the models' values (roles, series): those live with the schemas, so that the
    # simulation, its rules and the analyses with their charts and widgets load when a notebook uses them.
    models = ("dpdlab.simulation.model", "dpdlab.simulation.rules", "dpdlab.strategy.analysis",
              "dpdlab.foundations.metrics")
    loading = "import dpdlab\ndpdlab.load_dataset('crisis_claim_accounts_simulated')"
    assert _modules_loaded_after(loading, models) == set()


def test_a_check_cell_records_progress_without_the_release_machinery():
    # Every check cell ends with passed(); the course map and the translation catalogues are the start page's.
    recorded = ("import contextlib, io\nfrom dpdlab import setup, passed\nsetup()\n"
                "with contextlib.redirect_stdout(io.StringIO()):\n    passed('q1_example')")
    assert _modules_loaded_after(recorded, ("dpdlab.progress", "dpdlab.release", "nbformat", "polib")) \
        == {"dpdlab.progress"}


def test_a_case_package_imports_its_libraries_when_first_used():
    assert _modules_loaded_after("from dpdlab import niunamenos") == set()
    assert _modules_loaded_after("from dpdlab import niunamenos\nniunamenos.fit_bass") == {"scipy"}  # the model
    assert _modules_loaded_after("from dpdlab import niunamenos\nniunamenos.bridges") == {"networkx"}  # analysis
    assert _modules_loaded_after("from dpdlab.foundations import networks") == {"networkx"}


def test_importing_altair_does_not_build_the_iri_parsers():
    # Altair first, as a student's own notebook may start: the kernel imports jsonschema before dpdlab.
    start = "import altair\nfrom dpdlab import setup\nsetup()"
    assert _modules_loaded_after(start, (SLOW_FORMAT_CHECKER, "jsonschema")) == {"jsonschema"}


def test_the_grading_processes_start_without_the_notebooks_libraries():
    # Each grading worker and checker starts once per autograde run: importing Altair, pandas and pandera
    # there cost every class about as much as grading a student (bench/autograde.py).
    start = "import dpdlab.grading.worker, dpdlab.grading.execute, dpdlab.grading.checker, dpdlab.grading.scheduler"
    assert _modules_loaded_after(start, ("altair", "pandas", "pandera", "ipywidgets", "anywidget")) == set()


def test_the_course_exports_still_load_on_first_use():
    assert _modules_loaded_after("import dpdlab", ("altair", "pandas", "dpdlab.charts")) == set()
    assert _modules_loaded_after("from dpdlab import described", ("altair", "dpdlab.charts")) == {"altair", "dpdlab.charts"}
