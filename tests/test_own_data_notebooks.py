"""Every notebook runs on a user's own files: its ``data_files`` parameter (papermill-settable) points the
notebook's loads at them, its checks compute what they expect from the data it loaded, and what it shows names
the files' source instead of calling them simulated.

The runs are declared in each source notebook's metadata, as its parameter sets are (discovered, not listed)::

    "dpdlab": {"own_data_runs": [{"data_files": {"internet_use": "tests/fixtures/byod/internet_users.csv"}}]}

Paths are relative to the project's root. The source notebook runs with its solutions and hidden tests, so a
check that compares with a figure of the bundled data fails here on a correct answer about other data.
The files under tests/fixtures/byod/ are TEST FIXTURES, not data (see their README.md).
"""
from __future__ import annotations

import json
import warnings

import pytest

from conftest import ROOT, source_notebooks
from dpdlab import data
from test_notebooks import error_cells, run

pytestmark = pytest.mark.notebooks


def own_data_runs() -> list:
    runs = []
    for path in source_notebooks():
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("dpdlab", {})
        for number, declared in enumerate(meta.get("own_data_runs", [])):
            runs.append(pytest.param(path, declared["data_files"], id=f"{path.stem}[{number}]"))
    return runs


def own_source(name: str, file: str) -> str:
    """What the course's views name as the source of a user's file (the loader's own answer)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        frame = data.load_dataset(name, ROOT / file)
    assert not data.is_simulated(frame), f"the fixture {file} should hold real rows"
    return frame.attrs["source"]


def outputs_text(notebook: dict) -> str:
    return "\n".join(json.dumps(cell.get("outputs", []), ensure_ascii=False)
                     for cell in notebook["cells"] if cell["cell_type"] == "code")


@pytest.mark.parametrize("path, data_files", own_data_runs())
def test_notebook_runs_on_own_files_and_names_their_source(path, data_files, tmp_path):
    files = {name: str(ROOT / file) for name, file in data_files.items()}
    executed = run(path, tmp_path / path.name, parameters={"data_files": files})
    failing = error_cells(executed)
    assert not failing, "".join(failing[0]["source"])[:400]
    shown = outputs_text(executed)
    for name, file in data_files.items():
        source = own_source(name, file)
        assert source in shown, f"no output of {path.stem} names the source of {file} ({source!r})"


def data_files_problems(notebook: dict) -> list[str]:
    """Why a notebook cannot be pointed at other files: no ``data_files`` parameter, or a load that ignores it."""
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    loads = [line.strip() for cell in code for line in cell.splitlines()
             if "load_dataset(" in line and not line.lstrip().startswith("#")]
    if not loads:
        return []
    parameters = ["".join(c["source"]) for c in notebook["cells"]
                  if "parameters" in c.get("metadata", {}).get("tags", [])]
    problems = [] if parameters and "data_files" in parameters[0] else ["no data_files in the parameters cell"]
    return problems + [f"ignores data_files: {line}" for line in loads if "data_files" not in line]


@pytest.mark.parametrize("path", source_notebooks(), ids=[p.stem for p in source_notebooks()])
def test_every_load_follows_the_data_files_parameter(path):
    problems = data_files_problems(json.loads(path.read_text(encoding="utf-8")))
    assert not problems, f"{path.stem}: " + "; ".join(problems)
