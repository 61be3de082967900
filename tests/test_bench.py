"""The benchmark still runs: its widget cases call the current view functions, and its notebook probe reports
the kernel's peak memory. Figures are printed by `make bench`, never asserted here."""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import nbformat
import pytest

from dpdlab import paths, release


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", paths.project_root() / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_widget_case_runs_and_is_measured(bench):
    rows = bench.latency(calls=3)
    names = [r["callback"] for r in rows]
    assert len(names) == len(set(names)) >= 15
    for row in rows:
        assert row["calls"] == 3 and math.isfinite(row["p95_ms"]) and row["p95_ms"] >= row["p50_ms"] >= 0


def test_notebook_probe_reports_the_kernel_peak_memory(bench, tmp_path):
    bare = bench.probe([nbformat.v4.new_code_cell("print(1)")], tmp_path, "bare")
    startup = bench.probe([nbformat.v4.new_code_cell(bench.STARTUP_CELL)], tmp_path, "startup")
    bare_s, bare_mb = bench.timed_run(bare, tmp_path, repeats=1)
    startup_s, startup_mb = bench.timed_run(startup, tmp_path, repeats=1)
    assert bare_s > 0 and 20 < bare_mb < startup_mb  # pandas and Altair weigh something


def test_the_floors_keep_every_cell_and_only_the_set_up_cells_work(bench):
    path = bench.notebooks("ni_una")[0]
    cells = nbformat.read(path, as_version=4).cells
    emptied, set_up = bench.floors(cells)
    assert len(emptied) == len(set_up) == len(cells)
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    for i, (cell, empty, kept) in enumerate(zip(cells, emptied, set_up)):
        assert empty.cell_type == kept.cell_type == cell.cell_type
        if cell.cell_type != "code":
            assert empty.source == kept.source == cell.source
        else:
            assert empty.source == "pass" and kept.source == (cell.source if i == first_code else "pass")
    assert "setup(" in set_up[first_code].source and "curve_fit" in set_up[first_code].source


def test_rounds_run_every_probe_each_round_and_report_medians(bench, tmp_path):
    bare = bench.probe([nbformat.v4.new_code_cell("print(1)")], tmp_path, "bare")
    slow = bench.probe([nbformat.v4.new_code_cell("import time; time.sleep(3)")], tmp_path, "slow")
    timed = bench.timed_rounds({"bare": (bare, tmp_path), "slow": (slow, tmp_path)}, repeats=2)
    assert set(timed) == {"bare", "slow"}
    assert timed["slow"][0] > timed["bare"][0] + 2 and timed["bare"][1] > 20  # the sleep is measured, whatever the load


def test_only_selects_notebooks_by_name_and_refuses_a_name_that_matches_none(bench, capsys):
    assert [p.stem for p in bench.notebooks("peru")] == ["peru_icj_campaign"]
    assert len(bench.notebooks()) == len([p for a in release.manifest() for p in a.notebooks(paths.course_dir())])
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--only", "no-such-notebook"])
    assert stopped.value.code == 2
    assert "no notebook name contains 'no-such-notebook'" in capsys.readouterr().err


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is not installed")
def test_the_browser_measurement_times_moves_of_a_case_widget():
    spec = importlib.util.spec_from_file_location("bench_browser", paths.project_root() / "bench" / "browser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.measure(moves=3, only="ni_una")
    assert [r["widget"] for r in rows] == ["ni_una_menos widget 0"] and rows[0]["control"].startswith("slider")
    assert rows[0]["misses"] == 0 and 0 < rows[0]["p50_ms"] <= rows[0]["p95_ms"] <= rows[0]["max_ms"]
