"""Slider to updated chart, as the student sees it: JupyterLab in Debian's Chromium, set up as the browser
tests set it up (tests/test_browser.py), runs each case notebook; then, for every widget, one control is moved
many times, one step at a time, and each move is timed in the page from the input event (the key press on a
slider's handle, the change of a menu) to the moment the chart's new marks are in the DOM (a
MutationObserver sees the chart's SVG differ from what it was before the move).

The control moved is the widget's first slider (its last handle), or its first menu when it has no slider.
Printed by bench/run.py; also usable alone: python bench/browser.py [--moves N] [--only TEXT].
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_browser as lab  # noqa: E402  (the browser tests' set-up: server, flags, waiting for cells)

CHART_SVG = ["figure.dpdlab-chart svg.marks", "figure.dpdlab-chart svg"]  # the chart's own SVG, not an icon
MISS_MS = 5_000  # a move whose chart has not changed by then counts as a miss
PAUSE_S = 0.3  # between moves, so each starts with the kernel idle

# Installed before a move: resolves with the milliseconds from the input event to the chart's new marks.
ARM = """([box, selectors, miss]) => {
  const svgOf = () => selectors.map((s) => box.querySelector(s)).find((svg) => svg) || null;
  const signature = () => { const svg = svgOf(); return svg ? svg.innerHTML : null; };
  const before = signature();
  window.__dpdMove = new Promise((resolve) => {
    let started = null;
    const onInput = (event) => { if (started === null) started = event.timeStamp; };
    for (const type of ["keydown", "change"]) box.addEventListener(type, onInput, {capture: true, once: true});
    const observer = new MutationObserver(() => {
      const now = performance.now();
      if (started === null) return;
      const current = signature();
      if (current !== null && current !== before) { observer.disconnect(); clearTimeout(timer); resolve(now - started); }
    });
    observer.observe(box, {subtree: true, childList: true, attributes: true, characterData: true});
    const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, miss);
  });
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def _slider_step(handle, direction: int) -> int:
    """The direction to press next: ``direction``, unless the handle is already at that end."""
    now, low, high = (handle.get_attribute(a) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    try:
        now, low, high = float(now), float(low), float(high)
    except (TypeError, ValueError):
        return direction
    if direction > 0 and now >= high:
        return -1
    if direction < 0 and now <= low:
        return 1
    return direction


def measure_widget(page, box, moves: int) -> tuple[str, list[float], int]:
    """Move ``box``'s main control ``moves`` times; return what was moved, the latencies (ms) and the misses."""
    sliders = box.locator(".widget-slider")
    menus = box.locator(".widget-dropdown select")
    if sliders.count():
        handles = sliders.first.locator(".noUi-handle")
        handle = handles.nth(handles.count() - 1)
        label = f"slider '{sliders.first.locator('.widget-label').first.inner_text().strip()}'"
    else:
        menu = menus.first
        values = menu.locator("option").evaluate_all("os => os.map(o => o.value)")
        label = f"menu '{box.locator('.widget-dropdown .widget-label').first.inner_text().strip()}'"
    latencies, misses, direction = [], 0, 1
    for move in range(moves):
        if move and move % 5 == 0:
            direction = -direction
        page.evaluate(ARM, [box.element_handle(), CHART_SVG, MISS_MS])
        if sliders.count():
            direction = _slider_step(handle, direction)
            handle.press("ArrowRight" if direction > 0 else "ArrowLeft")
        else:
            current = menu.input_value()
            menu.select_option(next(v for v in values[move % len(values):] + values if v != current))
        took = page.evaluate("() => window.__dpdMove")
        if took is None:
            misses += 1
        else:
            latencies.append(took)
        time.sleep(PAUSE_S)
        lab.wait_idle(page, f"after move {move}")
    return label, latencies, misses


def case_notebooks(only: str = "") -> list[Path]:
    return [p for p in sorted((ROOT / "cases").glob("*.ipynb")) if only in p.stem]


def measure(moves: int = 40, only: str = "") -> list[dict]:
    """Per widget of each case notebook: p50, p95 and max latency (ms) over ``moves`` moves."""
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="dpdlab-bench-lab-") as tmp, \
            lab.jupyter_lab(lab.readme_command(), ROOT, Path(tmp), "bench-jupyterlab.log") as (base, token), \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(lab.CHROMIUM), args=lab.CHROMIUM_FLAGS)
        try:
            for path in case_notebooks(only):
                watch = lab.Watch(browser)
                page = watch.page
                try:
                    lab.open_notebook(page, base, token, path)
                    lab.run_every_cell(page)
                    boxes = page.locator(f"{lab.PANEL} .jp-OutputArea-output > .widget-vbox")
                    for i in range(boxes.count()):
                        box = boxes.nth(i)
                        box.scroll_into_view_if_needed()
                        control, latencies, misses = measure_widget(page, box, moves)
                        rows.append({"widget": f"{path.stem} widget {i}", "control": control, "moves": moves,
                                     "misses": misses, "p50_ms": percentile(latencies, 50),
                                     "p95_ms": percentile(latencies, 95),
                                     "max_ms": max(latencies) if latencies else float("nan")})
                finally:
                    watch.close()
        finally:
            browser.close()
    return rows


def print_rows(rows: list[dict], goal_ms: float) -> None:
    print(f"\nIn the browser: input event to the chart's new marks in the DOM (JupyterLab in Chromium)")
    print(f"{'widget':36} {'control':38} {'moves':>5} {'miss':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'goal':>5}")
    for r in rows:
        print(f"{r['widget']:36} {r['control'][:38]:38} {r['moves']:5d} {r['misses']:4d} {r['p50_ms']:7.1f} "
              f"{r['p95_ms']:7.1f} {r['max_ms']:7.1f} {goal_ms:5.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=40, help="moves of each widget's control")
    parser.add_argument("--only", default="", metavar="TEXT", help="only the case notebooks whose name contains TEXT")
    args = parser.parse_args(argv)
    print_rows(measure(args.moves, args.only), 50.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
