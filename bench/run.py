"""Benchmarks of the course, measured in one run and printed as tables. Nothing here passes or fails.

1. Each notebook's papermill run time (papermill in a fresh process, as CI and instructors run it, the kernel
   stopped once the last cell is done: see ``PAPERMILL_RUN``) divided by a bare-kernel notebook's
   (``print(1)``) run time, so the figure does not depend on how fast the machine is. Goal: ratio <= 2.0.
2. Each widget view function's latency on the bundled data, p50 and p95 over many calls with varied
   inputs, and separately what the kernel then does with its chart for the browser: the chart's spec
   (``to_dict`` without schema check) handed to the widget's chart, which sends what changed. Goal: p95 <= 30 ms.
3. The kernel's peak resident memory (VmHWM) at the end of each notebook. Goal: <= 200 MB.
4. Slider to updated chart as the student sees it, in JupyterLab in Chromium (bench/browser.py): from the
   input event to the chart's new marks in the DOM, over many moves of each case widget. Goal: p95 <= 50 ms.
   Skipped without /usr/bin/chromium or with --no-browser.

A reference row, "course start-up", runs only what every notebook pays before its own work: the imports,
``setup()`` and one small chart. Its ratio and memory are the floor under every notebook's figures.

Two floors per notebook say how much of its ratio its own work could ever remove: "cells" runs the notebook's
cells with every code cell emptied (``pass``): the kernel, and papermill saving the whole notebook as each cell
starts and ends, for that many cells; "set-up" keeps the set-up cell as it is (the libraries the notebook
imports, ``setup()``). What lies above the set-up floor is the notebook's own work.

Every probe runs once per round, the bare kernel first, so that a change of the machine's load during a run
falls on every figure alike; each figure is the median of its rounds. The machine's load averages are printed
with the tables: compare figures within one run.

Usage: python bench/run.py [--repeats N] [--calls N] [--moves N] [--only TEXT] [--no-browser]. Results also
go to bench/results/latest.json.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from dpdlab import paths, release
from dpdlab.chartwidget import ChartWidget

VIEWS_DIR = Path(__file__).resolve().parent / "views"
GOALS = {"ratio": 2.0, "p95_ms": 30.0, "peak_mb": 200.0, "browser_p95_ms": 50.0}
PEAK_MARK = "DPDLAB_PEAK_KB"
# VmHWM is the peak of this process image; ru_maxrss would also count the parent's memory at fork time.
PEAK_CELL = (f"_hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
             f"print('{PEAK_MARK}', _hwm.split()[1])")


# What the papermill command runs (a fresh process, the notebook executed and saved as each cell starts and
# ends), but with the kernel stopped at once after the last cell: in ipykernel 7.4 a graceful shutdown stalls
# about 2.5 s in some runs at random, 6 of 24 bare ones (its control thread flushes to the IOPub thread already
# stopped), which would swamp the differences measured here. The test suite and the site builder stop it so too.
PAPERMILL_RUN = ("import sys, papermill\n"
                 "papermill.execute_notebook(sys.argv[1], sys.argv[2], cwd=sys.argv[3], kernel_name='python3',\n"
                 "                           progress_bar=False, shutdown_kernel='immediate')")


STARTUP_CELL = ("import pandas as pd\n"
                "from dpdlab import setup, load_dataset, check, check_type, passed\n"
                "setup()\n"
                "import altair as alt\n"
                "from dpdlab import described\n"
                "described(alt.Chart(pd.DataFrame({'x': [1]})).mark_point().encode(x='x:Q'), 'First', 'One point.')")


def notebooks(only: str = "") -> list[Path]:
    """Every notebook the course runs: the English nbgrader sources (student versions, and every edition's,
    execute the same code); with ``only``, those whose name contains it."""
    return sorted(p for a in release.manifest() for p in a.notebooks(paths.course_dir()) if only in p.stem)


def probe(cells: list, workdir: Path, name: str) -> Path:
    """A copy of a notebook with a final cell that prints the kernel's peak memory."""
    notebook = nbformat.v4.new_notebook(cells=[*cells, nbformat.v4.new_code_cell(PEAK_CELL)])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    path = workdir / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def floors(cells: list) -> tuple[list, list]:
    """The cells of a notebook without its work: every code cell ``pass``; and the same with the set-up cell
    (the first code cell) kept as it is."""
    emptied = [nbformat.v4.new_code_cell("pass", metadata=c.metadata) if c.cell_type == "code" else c
               for c in cells]
    set_up = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    return emptied, [*emptied[:set_up], cells[set_up], *emptied[set_up + 1:]]


def papermill_run(path: Path, cwd: Path) -> tuple[float, int]:
    """One papermill run of ``path``: wall time (s) and the kernel's peak memory (kB)."""
    output = path.with_suffix(".out.ipynb")
    command = [sys.executable, "-c", PAPERMILL_RUN, str(path), str(output), str(cwd)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    last = nbformat.read(output, as_version=4).cells[-1]
    text = "".join(o.get("text", "") for o in last.outputs)
    return seconds, int(text.split(PEAK_MARK)[1].split()[0])


def timed_rounds(probes: dict[str, tuple[Path, Path]], repeats: int) -> dict[str, tuple[float, float]]:
    """Each probe (name: notebook, working directory) run once per round, in order, for ``repeats`` rounds:
    its median wall time (s) and its kernel's peak memory (MB)."""
    seconds: dict[str, list[float]] = {name: [] for name in probes}
    peak_kb = dict.fromkeys(probes, 0)
    for _ in range(repeats):
        for name, (path, cwd) in probes.items():
            elapsed, peak = papermill_run(path, cwd)
            seconds[name].append(elapsed)
            peak_kb[name] = max(peak_kb[name], peak)
    return {name: (statistics.median(seconds[name]), peak_kb[name] / 1024) for name in probes}


def timed_run(path: Path, cwd: Path, repeats: int) -> tuple[float, float]:
    """Median papermill wall time (s) and the kernel's peak memory (MB) of ``path``."""
    return timed_rounds({"run": (path, cwd)}, repeats)["run"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def view_cases(rng: random.Random) -> dict:
    """The widget view functions, each with a generator of valid, varied inputs (see bench/views/)."""
    found = {}
    for module_file in sorted(VIEWS_DIR.glob("*.py")):
        if module_file.name == "__init__.py":
            continue
        spec = importlib.util.spec_from_file_location(f"bench_views_{module_file.stem}", module_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.update(module.cases(rng))
    return found


def latency(calls: int) -> list[dict]:
    rng = random.Random(20151210)
    rows = []
    for name, call in view_cases(rng).items():
        call()  # warm-up: first-call imports are not what a student feels on every slider move
        compute, handing, widget = [], [], None
        for _ in range(calls):
            start = time.perf_counter()
            view = call()
            compute.append((time.perf_counter() - start) * 1000)
            chart = getattr(view, "chart", None)
            if chart is not None:  # what a linked widget does with the chart (dpdlab.widgets.ChartSlot)
                start = time.perf_counter()
                spec = chart.to_dict(validate=False)
                if widget is None:
                    widget = ChartWidget(spec)
                else:
                    widget.show(spec)
                handing.append((time.perf_counter() - start) * 1000)
        row = {"callback": name, "calls": calls, "p50_ms": percentile(compute, 50),
               "p95_ms": percentile(compute, 95)}
        if handing:
            row |= {"chart_p50_ms": percentile(handing, 50), "chart_p95_ms": percentile(handing, 95)}
        rows.append(row)
    return rows


def load() -> str:
    return "load averages " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="papermill runs per notebook (median)")
    parser.add_argument("--calls", type=int, default=200, help="calls per widget view function")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="measure only the notebooks whose name contains TEXT (the references always run)")
    parser.add_argument("--moves", type=int, default=40, help="moves of each case widget in the browser")
    parser.add_argument("--no-browser", action="store_true", help="skip the measurement in JupyterLab and Chromium")
    args = parser.parse_args(argv)
    measured = notebooks(args.only)
    if not measured:
        parser.error(f"no notebook name contains {args.only!r}; the names are: "
                     + ", ".join(p.stem for p in notebooks()))

    results: dict = {"goals": GOALS, "load_before": os.getloadavg()}
    print(f"start: {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="dpdlab-bench-") as tmp:
        workdir = Path(tmp)
        probes = {"bare": (probe([nbformat.v4.new_code_cell("print(1)")], workdir, "bare_kernel"), workdir),
                  "startup": (probe([nbformat.v4.new_code_cell(STARTUP_CELL)], workdir, "startup"), workdir)}
        for path in measured:
            cells = nbformat.read(path, as_version=4).cells
            emptied, set_up = floors(cells)
            probes[path.stem] = (probe(cells, workdir, path.stem), path.parent)
            probes[f"{path.stem}:cells"] = (probe(emptied, workdir, f"{path.stem}.cells"), path.parent)
            probes[f"{path.stem}:set-up"] = (probe(set_up, workdir, f"{path.stem}.set-up"), path.parent)
        timed = timed_rounds(probes, args.repeats)
        (bare_s, bare_mb), (startup_s, startup_mb) = timed["bare"], timed["startup"]
        results["bare_kernel"] = {"seconds": bare_s, "peak_mb": bare_mb}
        results["course_startup"] = {"seconds": startup_s, "ratio": startup_s / bare_s, "peak_mb": startup_mb}
        rows = []
        for path in measured:
            seconds, peak_mb = timed[path.stem]
            rows.append({"notebook": str(path.relative_to(paths.project_root())), "seconds": seconds,
                         "ratio": seconds / bare_s, "peak_mb": peak_mb,
                         "cells_floor": timed[f"{path.stem}:cells"][0] / bare_s,
                         "set_up_floor": timed[f"{path.stem}:set-up"][0] / bare_s,
                         "set_up_peak_mb": timed[f"{path.stem}:set-up"][1]})
        results["notebooks"] = rows
    results["callbacks"] = latency(args.calls)
    browser = None
    if not args.no_browser and Path("/usr/bin/chromium").exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import browser as browser_bench

        cases = browser_bench.case_notebooks(args.only)
        browser = browser_bench.measure(args.moves, args.only) if cases else []
        results["browser"] = browser
    results["load_after"] = os.getloadavg()

    print(f"\nNotebooks (median of {args.repeats} papermill runs; bare kernel {bare_s:.2f} s, {bare_mb:.0f} MB; "
          f"{load()})")
    print("(floors: the same cells with every code cell `pass`; and with the set-up cell kept; as ratios)")
    print(f"{'notebook':44} {'seconds':>8} {'ratio':>6} {'goal':>5} {'cells':>6} {'set-up':>6} "
          f"{'peak MB':>8} {'set-up MB':>9} {'goal':>5}")
    print(f"{'(reference) start-up: imports, setup(), chart':44} {startup_s:8.2f} {startup_s / bare_s:6.2f} "
          f"{GOALS['ratio']:5.1f} {'':6} {'':6} {startup_mb:8.0f} {'':9} {GOALS['peak_mb']:5.0f}")
    for r in rows:
        print(f"{Path(r['notebook']).stem:44} {r['seconds']:8.2f} {r['ratio']:6.2f} {GOALS['ratio']:5.1f} "
              f"{r['cells_floor']:6.2f} {r['set_up_floor']:6.2f} {r['peak_mb']:8.0f} {r['set_up_peak_mb']:9.0f} "
              f"{GOALS['peak_mb']:5.0f}")
    print(f"\nWidget view functions ({args.calls} calls each, varied inputs; chart = its spec handed to the "
          f"widget's chart, what the kernel does for the browser)")
    print(f"{'callback':32} {'p50 ms':>8} {'p95 ms':>8} {'goal':>5} {'chart p50':>9} {'chart p95':>9}")
    for r in results["callbacks"]:
        print(f"{r['callback']:32} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {GOALS['p95_ms']:5.0f} "
              f"{r.get('chart_p50_ms', float('nan')):9.1f} {r.get('chart_p95_ms', float('nan')):9.1f}")
    if browser is not None:
        browser_bench.print_rows(browser, GOALS["browser_p95_ms"])
    print(f"\nend: {load()}")

    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
