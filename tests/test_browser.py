"""What a learner sees, in a real browser: JupyterLab started with the README's command, driven by Debian's
Chromium through Playwright.

For every student notebook (discovered): run every cell (Run All, then on from each
exercise a learner skips, as Run ▸ Run Selected Cell and All Below does), then check that

- only exercise cells fail, and each failing check says what to look at (a hint or a ✗ line);
- every widget is a real control: moving each slider, changing each menu and each toggle redraws its view;
- every chart is drawn (SVG), as many as a headless run of the notebook makes;
- nothing is requested from anywhere but 127.0.0.1 (any other request is blocked and fails the test), no
  "Error displaying widget" appears and the browser console logs no error.

Accessibility (WCAG 2.0/2.1 A and AA, measured by axe-core from js/node_modules, injected into the page):
in the same run-all pass, the notebook area of each notebook after its cells have run, and every page
of the course website (built as `dpdlab site build` builds it, served on 127.0.0.1). A violation is the
course's when its element lies in a cell's output (where the course's widgets and charts are) or in a page
the course writes; any such violation fails. Violations of JupyterLab's own interface or of a library are
listed in tests/a11y_allowlist.toml with the reason and the upstream issue; an entry that matches nothing
fails too, so the list only shrinks. Every page's results go to test-artifacts/a11y/ (`python bench/a11y.py`
prints them as a table).

The nbgrader Formgrader, opened from JupyterLab's menu in a copy of the course directory, lists every
assignment of grading/manifest.toml. Screenshots go to test-artifacts/browser/. Skipped (with the reason)
only where /usr/bin/chromium is missing; `.ci/run` installs it.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, chart_outputs, edition_of, executed_student, ids, nbgrader_meta, student_notebooks
from dpdlab import release, site, svg
from test_translation import english_sentences

CHROMIUM = Path("/usr/bin/chromium")
# Flags that work for Debian's Chromium, headless, as root, with no network but the loopback.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 90_000  # for one notebook's cells to run, or JupyterLab to load, on a busy 2-core machine
AXE = ROOT / "js" / "node_modules" / "axe-core" / "axe.min.js"  # installed by `npm ci --prefix js` (.ci/run)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.0 and 2.1, levels A and AA
A11Y_ARTIFACTS = ROOT / "test-artifacts" / "a11y"
ALLOWLIST = Path(__file__).resolve().parent / "a11y_allowlist.toml"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                 "(apt-get install chromium; .ci/run installs it)")]


# a translated edition's start page and one of its cases, driven as the English ones are
EDITION_DRIVEN = [ROOT / "course" / "es" / "00_start_here.ipynb", ROOT / "cases" / "es" / "argentina_account_handover.ipynb"]
# how a failing check and a chart's text alternative begin, in each edition
HINT_MARKS = {"en": ("Hint:", "✗"), "es": ("Pista:", "✗")}
CHART_LABEL = {"en": "Chart: ", "es": "Gráfico: "}


def driven_notebooks() -> list[Path]:
    """Every student notebook: the start page, the primer, the modules and the cases; and the Spanish
    edition's start page and Argentina case."""
    return student_notebooks() + EDITION_DRIVEN


def page_name(path: Path) -> str:
    """The name of a notebook's page in the accessibility reports and the allow-list."""
    edition = edition_of(path)
    return f"lab-{path.stem}" if edition == "en" else f"lab-{edition}-{path.stem}"


def readme_command() -> list[str]:
    """The README's command that opens the course (the part after the last ``&&``), as arguments, with the
    program taken from this environment."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(l for l in readme.splitlines() if "jupyter lab" in l and "&&" in l)
    command = shlex.split(line.split("&&")[-1])
    assert command[0].endswith("/jupyter"), command
    return [str(Path(sys.executable).parent / "jupyter"), *command[1:]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def jupyter_lab(command: list[str], cwd: Path, workdir: Path, log_name: str):
    """Run ``command`` (a ``jupyter lab`` command) on a free loopback port with a token; yield the base URL
    and the token. Settings and workspaces live in ``workdir``, so the learner's own are not touched."""
    settings = workdir / "settings"
    # every cell in the DOM; no "Select Kernel" dialog if the kernel list loads late on a busy machine; and
    # no autosave, so that a notebook the test runs is never written back into the checkout
    for plugin, values in {"notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
                           "docmanager-extension/plugin": {"autosave": False},
                           "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False}}.items():
        target = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    full = [*command[:2], *root_flag, *command[2:], "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}"]
    env = {k: v for k, v in os.environ.items() if k not in {"JPY_SESSION_NAME", "NBGRADER_EXECUTION"}}
    env.update(JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"),
               DPDLAB_PROGRESS=str(workdir / "progress.json"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / log_name
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(full, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited ({server.returncode}): {shlex.join(full)}\n"
                                f"{log_path.read_text()[-3000:]}")
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"JupyterLab did not answer within 90 s; see {log_path}")
                    time.sleep(0.25)
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on the course, started the way the README says."""
    with jupyter_lab(readme_command(), ROOT, tmp_path_factory.mktemp("lab"), "jupyterlab.log") as server:
        yield server


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Watch:
    """A browser page that blocks and records every request not to the loopback, and records console
    errors and uncaught page errors."""

    def __init__(self, chromium, bypass_csp: bool = False):
        # the site's pages forbid every script: axe-core can only be injected with their policy bypassed
        self.context = chromium.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=bypass_csp)
        self.outside: list[str] = []
        self.console: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def close(self):
        self.context.close()


# --- accessibility: axe-core in the page ----------------------------------------------------------------

@functools.cache
def axe_script() -> str:
    """axe-core's code, from the npm packages of js/ (never fetched while testing)."""
    if not AXE.exists():
        reason = f"{AXE.relative_to(ROOT)} is missing: run `npm ci --prefix js` (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


# Runs axe on ``scope`` (a CSS selector; the whole document if empty) and returns its violations, each node
# with its owner: "course" for an element in a cell's output area (outputs, the course's widgets and charts)
# or anywhere on a page the course writes, otherwise "jupyterlab".
AXE_RUN = """async ([scope, tags, coursePage]) => {
  const context = scope ? document.querySelector(scope) : document;
  const result = await axe.run(context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
                                         elementRef: true});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(" ") : t).join(" "),
      html: n.html.slice(0, 300),
      summary: (n.failureSummary || "").slice(0, 400),
      owner: coursePage || (n.element && n.element.closest(".jp-OutputArea-output")) ? "course" : "jupyterlab",
    })),
  }));
}"""


@functools.cache
def allowlist() -> list[dict]:
    """The violations the course is not responsible for (tests/a11y_allowlist.toml)."""
    entries = tomllib.loads(ALLOWLIST.read_text(encoding="utf-8")).get("allow", [])
    for entry in entries:
        missing = {"rule", "target", "owner", "reason", "upstream"} - set(entry)
        assert not missing, f"{ALLOWLIST.name}: an entry lacks {missing}: {entry}"
        assert entry["owner"] != "course", f"{ALLOWLIST.name}: the course's own violations are fixed, not listed: {entry}"
    return entries


MATCHED: dict[int, int] = {}  # allow-list entry index -> nodes it matched in this test run
AUDITED: set[str] = set()  # pages audited in this test run


def allowed(node: dict, rule: str, kind: str) -> int | None:
    """The index of the allow-list entry that covers this violation node, if any."""
    for index, entry in enumerate(allowlist()):
        if (entry["rule"] == rule and entry["owner"] == node["owner"] and entry.get("pages", kind) == kind
                and re.search(entry["target"], node["target"]) and re.search(entry.get("html", ""), node["html"])):
            return index
    return None


def audit(page, name: str, kind: str, scope: str = "") -> list[str]:
    """Run axe-core on the page (inside ``scope``); record every violation in test-artifacts/a11y/<name>.json
    and return the ones no allow-list entry covers, one line each."""
    page.add_script_tag(content=axe_script())
    violations = page.evaluate(AXE_RUN, [scope, AXE_TAGS, kind == "site"])
    failures = []
    for violation in violations:
        for node in violation["nodes"]:
            index = allowed(node, violation["rule"], kind)
            node["allowed"] = index is not None
            if index is None:
                failures.append(f"{violation['rule']} ({violation['impact']}, {node['owner']}): {node['target']}\n"
                                f"    {node['html'][:160]}\n    {node['summary'][:240]}")
            else:
                MATCHED[index] = MATCHED.get(index, 0) + 1
    AUDITED.add(name)
    A11Y_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (A11Y_ARTIFACTS / f"{name}.json").write_text(json.dumps({"page": name, "kind": kind, "violations": violations},
                                                             indent=1), encoding="utf-8")
    return failures


def click_menu(page, menu: str, command: str) -> None:
    page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile(f"^{menu}$")).click()
    page.locator(f"li.lm-Menu-item[data-command='{command}']").click()


IDLE = """() => {
  const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
  if (!panel) return false;
  const indicator = panel.querySelector(".jp-Notebook-ExecutionIndicator");
  const running = Array.from(panel.querySelectorAll(".jp-CodeCell .jp-InputPrompt"))
    .some(p => p.textContent.includes("*"));
  return indicator && indicator.getAttribute("data-status") === "idle" && !running;
}"""


def prompts(page) -> list[str]:
    return [p.strip() for p in page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt").all_inner_texts()]


def wait_idle(page, what: str) -> None:
    """Wait until the kernel is idle and no cell is queued or running; say what was awaited if it never is."""
    try:
        page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
    except Exception as error:  # playwright's TimeoutError
        dialogs = page.locator(".jp-Dialog").all_inner_texts()
        raise AssertionError(f"{what}: cells still running after {TIMEOUT_MS / 1000:.0f} s; prompts "
                             f"{prompts(page)}; dialogs {dialogs}") from error


def run_every_cell(page) -> int:
    """Run All, then go on past each cell that stopped the run (a skipped exercise) with Run Selected Cell
    and All Below, until every code cell has run. Returns how many runs it took."""
    click_menu(page, "Run", "runmenu:run-all")
    runs = 1
    total = len(prompts(page))
    while True:
        wait_idle(page, f"run {runs}")
        pending = [i for i, p in enumerate(prompts(page)) if not re.fullmatch(r"\[\d+\]:", p)]
        if not pending:
            return runs
        assert runs <= total, f"cells {pending} still not run after {runs} runs"
        cell = page.locator(f"{PANEL} .jp-CodeCell").nth(pending[0])
        cell.locator(".jp-InputPrompt").click()
        click_menu(page, "Run", "notebook:run-all-below")
        runs += 1
        try:
            page.wait_for_function("([cell]) => !/^\\[ \\]:$/.test(cell.querySelector('.jp-InputPrompt').textContent.trim())",
                                   arg=[cell.element_handle()], timeout=TIMEOUT_MS)
        except Exception as error:  # playwright's TimeoutError
            raise AssertionError(f"Run Selected Cell and All Below did not start at cell {pending[0]}; "
                                 f"prompts {prompts(page)}") from error


def cell_errors(page) -> list[str]:
    """For each code cell, the text of its error output ('' if none)."""
    return page.locator(f"{PANEL} .jp-CodeCell").evaluate_all("""cells => cells.map(c =>
        Array.from(c.querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"))
             .map(e => e.textContent).join("\\n"))""")


def shown_in_language(page, errors: list[str]) -> dict[str, list[str]]:
    """What the page shows of the package's texts: the widgets' labels, the charts' text alternatives and the
    failing checks' hints."""
    labels = page.locator(f"{PANEL} .widget-label, {PANEL} .widget-dropdown option").evaluate_all(
        "els => els.map(e => e.textContent.trim()).filter(t => t)")
    charts = page.locator(f"{PANEL} figure.dpdlab-chart").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    hints = [line for error in errors if error for line in error.splitlines() if line.startswith(("✗", "Pista:"))]
    return {"labels": labels, "charts": charts, "hints": hints}


def drawn_charts(page) -> list[bool]:
    """For each chart on the page (cells and widget output areas; a figure the chart widget draws in the
    browser, or an SVG output drawn as an image): is it drawn, with marks and a size, and labelled?"""
    return page.locator(f"{PANEL} figure.dpdlab-chart, {PANEL} [data-mime-type='image/svg+xml']").evaluate_all("""els => els.map(e => {
        const img = e.querySelector("img");
        if (img) return img.complete && img.naturalWidth > 0 && img.naturalHeight > 0;
        const svg = e.querySelector("svg.marks") || e.querySelector("svg");
        // a figure is announced as one image, labelled with the chart's title and description
        const announced = !e.matches("figure") || (e.getAttribute("role") === "img"
            && /^(Chart|Gráfico): .+\\. .+/s.test(e.getAttribute("aria-label") || ""));
        return !!svg && svg.getBoundingClientRect().width > 0 && !!svg.querySelector("path, line, rect, text")
            && announced;
    })""")


SETTLED = """([el, quiet]) => {
  const html = el.innerHTML, now = performance.now();
  if (el.__dpdLast !== html) { el.__dpdLast = html; el.__dpdSince = now; return false; }
  return now - el.__dpdSince > quiet;
}"""


def settle(page, output) -> str:
    """Wait until a widget's output area has stopped changing (a slider drag sends several values, each
    redrawn in turn); return its content."""
    page.wait_for_function(SETTLED, arg=[output.element_handle(), 800], polling=100, timeout=30_000)
    return output.inner_html()


def wait_for_redraw(page, output, before: str, what: str) -> None:
    try:
        page.wait_for_function("([el, before]) => el.innerHTML !== before", arg=[output.element_handle(), before],
                               polling=100, timeout=30_000)
    except Exception as error:  # playwright's TimeoutError
        raise AssertionError(f"{what} did not redraw its view") from error
    settle(page, output)


def drag(page, handle, track) -> str:
    """Drag a slider's handle a quarter of the track towards the track's middle; return the new readout."""
    handle.scroll_into_view_if_needed()
    knob, rail = handle.bounding_box(), track.bounding_box()
    x, y = knob["x"] + knob["width"] / 2, knob["y"] + knob["height"] / 2
    step = rail["width"] / 4 * (1 if x < rail["x"] + rail["width"] / 2 else -1)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + step, y, steps=4)
    page.mouse.up()


def move_controls(page, box, label: str) -> list[str]:
    """Change every control of one widget (``box``) in turn, as a person would, and check its view is
    redrawn each time. Returns what was moved."""
    output = box.locator(":scope > .widget-output")
    assert output.count() == 1, f"{label}: no output area under the controls (build widgets with dpdlab.widgets.linked)"
    moved = []

    def change(what: str, act) -> None:
        before = settle(page, output)
        act()
        wait_for_redraw(page, output, before, f"{label}: {what}")
        moved.append(what)

    menus = box.locator(".widget-dropdown select, .widget-select select")
    for i in range(menus.count()):
        menu = menus.nth(i)
        values = menu.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = menu.input_value()
        other = next((v for v in values if v != current), None)
        if other is None:
            continue
        change(f"menu {i}", lambda: menu.select_option(other))
    sliders = box.locator(".widget-slider")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        handles = slider.locator(".noUi-handle")
        for j in range(handles.count()):
            readout = slider.locator(".widget-readout")
            shown = readout.inner_text() if readout.count() else ""

            def slide(handle=handles.nth(j), track=slider.locator(".noUi-target")):
                drag(page, handle, track)
                if readout.count():
                    assert readout.inner_text() != shown, f"{label}: dragging slider {i} did not move it"

            change(f"slider {i}.{j}", slide)
    toggles = box.locator(".widget-toggle-buttons")
    for i in range(toggles.count()):
        change(f"toggle buttons {i}", toggles.nth(i).locator("button:not(.mod-active)").first.click)
    singles = box.locator("button.widget-toggle-button:not(.widget-toggle-buttons button)")
    for i in range(singles.count()):
        change(f"toggle button {i}", singles.nth(i).click)
    ticks = box.locator(".widget-checkbox input[type=checkbox]")
    for i in range(ticks.count()):
        change(f"checkbox {i}", ticks.nth(i).click)
    radios = box.locator(".widget-radio-box")
    for i in range(radios.count()):
        change(f"radio buttons {i}", radios.nth(i).locator("input[type=radio]:not(:checked)").first.click)
    return moved


# Every element of a widget's controls a learner acts on (a slider's handles, menus, buttons, boxes to tick);
# each must be reachable with Tab: not disabled, not taken out of the tab order.
CONTROL_PARTS = (".noUi-handle, .widget-dropdown select, .widget-select select, .widget-toggle-buttons button, "
                 "button.widget-toggle-button, .widget-checkbox input, .widget-radio-box input, .widget-text input")
UNREACHABLE = """parts => parts.filter(e => e.disabled || e.tabIndex < 0 || e.getAttribute("aria-disabled") === "true")
                         .map(e => e.outerHTML.slice(0, 160))"""
# The what-if widget driven with keys only: the case notebook and the widget's index among its widgets.
KEYBOARD_CASE, KEYBOARD_WIDGET = "argentina_account_handover", 1
CHART_MARKS = "figure.dpdlab-chart svg.marks"


def unreachable_by_tab(box) -> list[str]:
    """The parts of a widget's controls that Tab cannot reach."""
    return box.locator(CONTROL_PARTS).evaluate_all(UNREACHABLE)


def press_tab_until(page, box, selector: str, limit: int = 12):
    """Press Tab until the focus is on an element of ``box`` matching ``selector``; return that element."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("() => document.activeElement")
        if box.evaluate("(box, [el, sel]) => box.contains(el) && el.matches(sel)", [focused, selector]):
            return focused
    raise AssertionError(f"{limit} presses of Tab did not reach {selector}")


def drive_with_keys(page, box, label: str) -> list[str]:
    """Operate a what-if widget with the keyboard alone: from its first control, Tab to its first slider and
    press the arrow keys, then Shift+Tab back to a policy button and press Space; after each, the marks of
    its chart must have changed. Returns what was done."""
    output = box.locator(":scope > .widget-output")
    marks = box.locator(CHART_MARKS).first
    done = []

    def by_keys(what: str, keys) -> None:
        settle(page, output)
        before = marks.inner_html()
        keys()
        try:
            page.wait_for_function("([el, before]) => el.innerHTML !== before",
                                   arg=[marks.element_handle(), before], polling=100, timeout=30_000)
        except Exception as error:  # playwright's TimeoutError
            raise AssertionError(f"{label}: {what} did not change the chart's marks") from error
        done.append(what)

    # the starting point: the widget's first control has the focus, as after tabbing into the widget
    box.locator(CONTROL_PARTS).first.focus()
    handle = press_tab_until(page, box, ".noUi-handle")
    name = handle.evaluate("el => el.getAttribute('aria-label') || ''")
    assert name, f"{label}: the slider reached by Tab has no accessible name"

    def arrows():
        for _ in range(5):
            page.keyboard.press("ArrowRight")

    by_keys(f"Tab to slider '{name}', ArrowRight x5", arrows)

    def back_to_a_policy():
        for _ in range(8):
            page.keyboard.press("Shift+Tab")
            if page.evaluate("() => document.activeElement.matches('.widget-toggle-buttons button:not(.mod-active)')"):
                page.keyboard.press("Space")
                return
        raise AssertionError(f"{label}: Shift+Tab did not reach another policy button")

    by_keys("Shift+Tab to another policy, Space", back_to_a_policy)
    return done


def open_notebook(page, base: str, token: str, path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    page.goto(f"{base}/lab/workspaces/t{secrets.token_hex(4)}/tree/{relative}?token={token}&reset")
    page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(state="attached")
    page.locator(f"{PANEL} .jp-CodeCell").first.wait_for()
    # the kernel has started and is connected ("Python 3 (ipykernel) | Idle" in the status bar)
    page.locator(".jp-StatusBar-TextItem").filter(has_text=re.compile(r"\| Idle$")).first.wait_for()


@pytest.mark.parametrize("path", driven_notebooks(), ids=ids(driven_notebooks()))
def test_notebook_runs_in_jupyterlab_with_live_widgets_and_charts_and_nothing_from_outside(lab, chromium, path):
    base, token = lab
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    headless = executed_student(path)
    expected_charts = len(chart_outputs(headless, include_exercises=False))
    expected_widgets = sum(site.WIDGET_VIEW in o.get("data", {}) and svg.MIMETYPE not in o["data"]  # not a chart
                           for c in headless["cells"] if c["cell_type"] == "code" and not site.is_exercise(c)
                           for o in c.get("outputs", []))
    watch = Watch(chromium)
    page, stem, edition = watch.page, path.stem, edition_of(path)
    started = time.monotonic()
    try:
        open_notebook(page, base, token, path)
        runs = run_every_cell(page)
        page.screenshot(path=ARTIFACTS / f"{page_name(path)}-after-run.png")

        assert len(prompts(page)) == len(code)
        errors = cell_errors(page)
        for cell, error in zip(code, errors):
            meta = nbgrader_meta(cell)
            source = "".join(cell["source"])[:200]
            if not error:
                continue
            assert meta.get("solution") or meta.get("grade"), f"a non-exercise cell failed:\n{source}\n{error[-800:]}"
            if meta.get("grade"):
                assert any(mark in error for mark in HINT_MARKS[edition]), (
                    f"a failing check says nothing to act on:\n{error[-800:]}")
        assert any(errors), "the unanswered exercises should fail; did the cells run?"
        if edition != "en":  # what the package shows is in the edition's language, as the page shows it
            shown = shown_in_language(page, errors)
            assert (shown["labels"] or not expected_widgets) and (shown["charts"] or not expected_charts), shown
            assert all(label.startswith(CHART_LABEL[edition]) for label in shown["charts"]), shown["charts"]
            english = [s for text in shown["labels"] + shown["charts"] + shown["hints"] for s in english_sentences(text)]
            assert not english, f"English on the {edition} page: {english[:10]}"

        assert page.get_by_text("Error displaying widget").count() == 0
        boxes = page.locator(f"{PANEL} .jp-OutputArea-output > .widget-vbox")
        assert boxes.count() == expected_widgets

        drawn = drawn_charts(page)
        assert len(drawn) == expected_charts and all(drawn), f"charts drawn: {drawn}, expected {expected_charts}"
        # the notebook area as a learner has it once every cell has run: cells, outputs, widgets, charts
        inaccessible = audit(page, page_name(path), "lab", f"{PANEL} .jp-Notebook")
        for i in range(boxes.count()):
            assert not unreachable_by_tab(boxes.nth(i)), f"{stem} widget {i}: controls Tab cannot reach"
        if stem == KEYBOARD_CASE and edition == "en":
            keys = drive_with_keys(page, boxes.nth(KEYBOARD_WIDGET), f"{stem} widget {KEYBOARD_WIDGET}")
            print(f"{stem} widget {KEYBOARD_WIDGET} driven with keys only: {'; '.join(keys)}")

        moved = []
        for i in range(boxes.count()):
            box = boxes.nth(i)
            changes = move_controls(page, box, f"{stem} widget {i}")
            assert changes, f"{stem} widget {i} has no control the test could move"
            moved.extend(changes)
            box.screenshot(path=ARTIFACTS / f"{page_name(path)}-widget-{i}.png")
        assert page.get_by_text("Error displaying widget").count() == 0
        assert page.get_by_text("This view could not be drawn").count() == 0
        assert all(drawn_charts(page))
        print(f"{stem}: {runs} runs, {expected_charts} charts, {len(moved)} controls moved "
              f"({', '.join(moved) or 'none'}), {time.monotonic() - started:.1f} s")
    finally:
        page.screenshot(path=ARTIFACTS / f"{page_name(path)}-end.png")
        outside, console = list(watch.outside), list(watch.console)
        watch.close()
    assert not outside, f"requests to outside 127.0.0.1 (blocked): {outside}"
    assert not console, f"browser console errors: {console}"
    assert not inaccessible, f"{stem}: WCAG 2.1 AA violations (axe-core) not in {ALLOWLIST.name}:\n" + "\n".join(inaccessible)


# Sets window.__dpdMarks: it resolves with the ms from the key press to the chart's new marks in ``box``
# (null: none within ``wait``).
MARKS_CHANGE = """([box, wait]) => { window.__dpdMarks = new Promise((resolve) => {
  const marks = () => box.querySelector("figure.dpdlab-chart svg")?.innerHTML ?? null;
  const before = marks();
  let pressed = null;
  box.addEventListener("keydown", (event) => { pressed = event.timeStamp; }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const now = performance.now(), current = marks();
    if (pressed !== null && current !== null && current !== before) { observer.disconnect(); resolve(now - pressed); }
  });
  observer.observe(box, {subtree: true, childList: true, attributes: true, characterData: true});
  setTimeout(() => { observer.disconnect(); resolve(null); }, wait);
}); }"""
BUSY = f"() => document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator')?.dataset.status === 'busy'"


def test_a_date_window_follows_its_slider_in_the_page_while_the_kernel_is_busy(lab, chromium):
    """The Argentina explorer's chart draws its date window in the page (dpdlab.charts.in_window): a move of
    the slider redraws it while the kernel is still busy with another cell, so without the kernel."""
    base, token = lab
    watch = Watch(chromium)
    page = watch.page
    try:
        open_notebook(page, base, token, ROOT / "cases" / "argentina_account_handover.ipynb")
        run_every_cell(page)
        box = page.locator(f"{PANEL} .jp-OutputArea-output > .widget-vbox").first
        handles = box.locator(".widget-slider").first.locator(".noUi-handle")
        handle = handles.nth(handles.count() - 1)
        # a cell that keeps the kernel busy, run as a student runs one
        page.locator(f"{PANEL} .jp-Cell").last.locator(".jp-InputPrompt").click()
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.type("import time; time.sleep(8)")
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(BUSY, timeout=10_000)
        box.scroll_into_view_if_needed()
        page.evaluate(MARKS_CHANGE, [box.element_handle(), 4000])
        handle.press("ArrowLeft")
        took = page.evaluate("() => window.__dpdMarks")
        busy = page.evaluate(BUSY)
        page.screenshot(path=ARTIFACTS / "lab-window-in-page.png")
        wait_idle(page, "the sleeping cell")
    finally:
        watch.close()
    assert took is not None, "the chart did not redraw while the kernel was busy"
    assert busy, "the kernel was no longer busy: the test proves nothing"


def test_the_spanish_edition_opens_in_jupyterlabs_spanish_interface(chromium, tmp_path):
    """With the pinned Spanish language pack and the settings `make lab-es` starts JupyterLab with
    (dpdlab/lab_settings/es: what Settings ▸ Language ▸ Español writes), JupyterLab's own menus are Spanish
    around the Spanish start page."""
    workdir = tmp_path / "lab"
    shutil.copytree(ROOT / "dpdlab" / "lab_settings" / "es", workdir / "settings")
    assert "lab_settings/es/. $(LAB_ES)" in (ROOT / "Makefile").read_text(encoding="utf-8")  # what make lab-es copies
    with jupyter_lab(readme_command(), ROOT, workdir, "jupyterlab-es.log") as (base, token):
        watch = Watch(chromium)
        page = watch.page
        try:
            relative = "course/es/00_start_here.ipynb"
            page.goto(f"{base}/lab/workspaces/es/tree/{relative}?token={token}&reset")
            page.locator(f"{PANEL} .jp-CodeCell").first.wait_for()
            menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            heading = page.locator(f"{PANEL} .jp-MarkdownOutput h1").first.inner_text()
        finally:
            page.screenshot(path=ARTIFACTS / "lab-es-interface.png")
            outside = list(watch.outside)
            watch.close()
    assert {"Archivo", "Editar", "Ver"} <= set(menus), menus
    assert heading.startswith("Empiece aquí"), heading
    assert not outside, f"requests to outside 127.0.0.1 (blocked): {outside}"


def test_formgrader_lists_every_assignment_of_the_manifest(chromium, tmp_path, monkeypatch):
    # as the instructor guide says: `jupyter lab` from the course directory (here a throwaway copy of it)
    course = release.copy_course(tmp_path / "course")
    monkeypatch.setenv("DPDLAB_COURSE", str(course))
    monkeypatch.setenv("DPDLAB_EXCHANGE", str(course / "exchange"))
    (course / "exchange").mkdir()
    # the guide has the instructor activate the environment first: nbgrader runs `alembic` by name
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    command = [str(Path(sys.executable).parent / "jupyter"), "lab"]
    with jupyter_lab(command, course, tmp_path / "lab", "formgrader.log") as (base, token):
        watch = Watch(chromium)
        page = watch.page
        try:
            page.goto(f"{base}/lab?token={token}&reset")
            click_menu(page, "Nbgrader", "nbgrader:open-formgrader")
            frame = page.frame_locator("iframe").first
            for assignment in release.manifest(course):
                frame.get_by_text(assignment.id, exact=True).first.wait_for()
        finally:
            page.screenshot(path=ARTIFACTS / "formgrader.png")
            outside = list(watch.outside)
            watch.close()
    assert not outside, f"requests to outside 127.0.0.1 (blocked): {outside}"


def test_start_page_marks_an_exercise_as_passing_once_its_checks_pass(lab, chromium, tmp_path):
    """A learner answers the start page's first exercise; its check cell shows ✓ and the progress table on
    the same page then lists it as passing (read from the record the check wrote)."""
    base, token = lab
    path = ROOT / "course" / "00_start_here.ipynb"
    student = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = json.loads((ROOT / "grading" / "source" / "00_start_here" / path.name).read_text(encoding="utf-8"))["cells"]
    code_ids = [c.get("id") for c in student if c["cell_type"] == "code"]
    answer = next(c for c in source if nbgrader_meta(c).get("solution") and c["cell_type"] == "code")
    exercise = re.search(r"^(q\d+\w*)\s*=", "".join(answer["source"]), re.M).group(1)
    solution = "\n".join(l for l in "".join(answer["source"]).splitlines() if "### " not in l)
    watch = Watch(chromium)
    page = watch.page
    try:
        open_notebook(page, base, token, path)
        run_every_cell(page)
        cell = page.locator(f"{PANEL} .jp-CodeCell").nth(code_ids.index(answer.get("id")))
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(solution)
        page.keyboard.press("Shift+Enter")  # the answer cell, then the check cell under it
        page.keyboard.press("Shift+Enter")
        check_cell = page.locator(f"{PANEL} .jp-CodeCell").nth(code_ids.index(answer.get("id")) + 1)
        check_cell.locator(".jp-OutputArea-output").filter(has_text=f"✓ {exercise}").wait_for()
        wait_idle(page, "after the answer and its check")

        progress = page.locator(f"{PANEL} .jp-OutputArea-output > .widget-vbox").filter(has_text="visible checks").first
        output = progress.locator(":scope > .widget-output")
        menu = progress.locator(".widget-dropdown select")
        before = settle(page, output)
        menu.select_option(label=path.stem)
        wait_for_redraw(page, output, before, "progress menu")
        row = output.locator("tr").filter(has_text=exercise)
        assert "✓ pass" in row.inner_text()
        progress.screenshot(path=ARTIFACTS / "progress-after-answer.png")
    finally:
        page.screenshot(path=ARTIFACTS / "progress-end.png")
        outside, console = list(watch.outside), list(watch.console)
        watch.close()
    assert not outside and not console, (outside, console)


def site_pages() -> list[str]:
    """Every page the website writes: the course map and one page per student notebook."""
    return ["index", *(p.stem for p in student_notebooks())]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def website(tmp_path_factory):
    """The course website, built as `dpdlab site build` builds it (from the executed notebooks the tests share),
    served on 127.0.0.1; yields its base URL."""
    out = tmp_path_factory.mktemp("site") / "site"
    site.build(out, executed={p.relative_to(ROOT): executed_student(p) for p in student_notebooks()})
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("name", site_pages())
def test_website_page_meets_wcag_21_aa(website, chromium, name):
    watch = Watch(chromium, bypass_csp=True)
    page = watch.page
    try:
        page.goto(f"{website}/{name}.html")
        language = page.evaluate("document.documentElement.lang")
        failures = audit(page, f"site-{name}", "site")
    finally:
        outside = list(watch.outside)
        watch.close()
    assert not outside, f"requests to outside 127.0.0.1 (blocked): {outside}"
    assert language == "en", f"{name}.html: <html lang={language!r}>"
    assert not failures, f"{name}.html: WCAG 2.1 AA violations (axe-core) not in {ALLOWLIST.name}:\n" + "\n".join(failures)


def test_every_allowlist_entry_still_matches_a_violation():
    """An allow-list entry that matched nothing in a full run is stale: the list only shrinks."""
    expected = {page_name(p) for p in driven_notebooks()} | {f"site-{n}" for n in site_pages()}
    if not expected <= AUDITED:
        pytest.skip(f"only {len(AUDITED & expected)} of {len(expected)} pages were audited in this run")
    stale = [entry for index, entry in enumerate(allowlist()) if not MATCHED.get(index)]
    assert not stale, f"{ALLOWLIST.name}: entries that matched no violation (remove them): {stale}"
