"""A hostile submission opened in the nbgrader Formgrader, in a real browser: no script of the student's runs.

The Argentina case is answered correctly by a student whose written answer, added cells, outputs and roster
name carry every payload kind of tests/test_sanitize.py. Each payload, if it ran, would mark the page, rename
it, give the submission full marks through the Formgrader's API with the session's XSRF cookie and send the
source notebook (solutions, hidden tests) to a listener on 127.0.0.1 that this module starts. The submission
is graded for real (`nbgrader autograde`, sandboxed), then opened from JupyterLab's menu (Nbgrader ▸
Formgrader ▸ Manual Grading ▸ ... ▸ Submission #1) in Debian's Chromium three times, each on its own copy of
the graded course:

- with the course's configuration: nothing runs, nothing reaches the listener, the gradebook is unchanged,
  nbgrader's own page works (its scripts run under the page's policy) and the instructor's score and
  comment are saved;
- with the sanitiser turned off and the policy left on: still nothing runs (the policy blocks each payload,
  and the browser reports it), so one layer failing is not enough;
- with stock nbgrader (DPDLAB_STOCK_NBGRADER=1): the payloads run, rewrite the grades and send the hidden
  tests out, so the test can tell.

Pages the course makes without the Formgrader get the same look: a feedback page and a course website page
open with their policy, draw their charts and report no violation. Skipped where /usr/bin/chromium is missing.
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from conftest import ROOT, executed_student
from dpdlab import grading, site
from test_browser import ARTIFACTS, CHROMIUM, Watch, chromium, click_menu, jupyter_lab  # noqa: F401, F811 (a fixture)
from test_sanitize import A, NB, STUDENT, graded_course, js

pytestmark = [pytest.mark.browser, pytest.mark.grading,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                 "(apt-get install chromium; .ci/run installs it)")]
SANDBOX_UID = 64200  # the sandbox user of this module's autograde run: not one other modules use
SETTLE_S = 4  # how long the page is left open for a payload's requests to land
SCORE, COMMENT = "4", "Clear protocol; the archive step needs an owner."
# Records every securitypolicyviolation event in every frame (added by the browser, outside the page's policy).
RECORD_VIOLATIONS = """window.__dpdViolations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__dpdViolations.push(e.effectiveDirective + " " + (e.blockedURI || "inline")));"""


class Listener:
    """An HTTP listener on 127.0.0.1 (ephemeral port) that records each request's path and body."""

    def __init__(self):
        received = self.received = []

        class Record(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                received.append((self.path, self.rfile.read(length).decode("utf-8", "replace")))
                self.send_response(204)
                self.end_headers()

            do_GET = do_POST = do_PUT = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, listener) -> Path:
    """The hostile submission, graded; the student's roster name is a payload too (nbgrader's Formgrader
    template writes names into the page unescaped)."""
    course = graded_course(tmp_path_factory.mktemp("formgrader-xss"), listener.port, SANDBOX_UID)
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        gradebook.update_or_create_student(STUDENT, last_name="Hostile",
                                           first_name=f'<img src=x onerror="{js("student-name", listener.port)}">')
    return course


def grades(course: Path) -> dict[str, tuple]:
    """``{cell: (auto score, manual score, extra credit)}`` of the hostile submission, and its comments."""
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        notebook = gradebook.find_submission_notebook(A, A, STUDENT)
        scores = {g.name: (g.auto_score, g.manual_score, g.extra_credit) for g in notebook.grades}
        scores.update({f"{c.name} comment": (c.manual_comment,) for c in notebook.comments})
        return scores


@contextmanager
def formgrader_submission(chromium, course: Path, log: str, stock: bool = False):
    """JupyterLab started in ``course`` (as the instructor guide says), the Formgrader opened from its menu and
    clicked through to the hostile submission. Yields the Watch and the submission's frame."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DPDLAB_COURSE", str(course))
        env.setenv("DPDLAB_EXCHANGE", str(course / "exchange"))
        env.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        if stock:
            env.setenv("DPDLAB_STOCK_NBGRADER", "1")
        (course / "exchange").mkdir(exist_ok=True)
        command = [str(Path(sys.executable).parent / "jupyter"), "lab"]
        with jupyter_lab(command, course, course.parent / "lab", f"{log}.log") as (base, token):
            watch = Watch(chromium)
            watch.context.add_init_script(RECORD_VIOLATIONS)
            page = watch.page
            try:
                page.goto(f"{base}/lab?token={token}&reset")
                click_menu(page, "Nbgrader", "nbgrader:open-formgrader")
                frame = page.frame_locator("iframe").first
                frame.locator("a[href$='/formgrader/gradebook']").first.click()  # Manual Grading
                frame.locator(f"a[href$='/formgrader/gradebook/{A}']").first.click()  # the assignment
                frame.locator(f"a[href$='/formgrader/gradebook/{A}/{A}']").first.click()  # its notebook
                frame.locator("a", has_text="Submission #1").first.click()
                frame.locator("input#q6-written").wait_for()
                submission = next(f for f in page.frames if "/formgrader/submissions/" in f.url)
                # nbgrader's page has loaded its grades (under stock nbgrader, the student's <base> sends that
                # request to the listener: the page has only loaded)
                poll(submission, "document.readyState === 'complete'" if stock else
                     "!!(window.formgrader && formgrader.grades && formgrader.grades.loaded)")
                time.sleep(SETTLE_S)
                yield watch, submission
            finally:
                page.screenshot(path=ARTIFACTS / f"{log}.png", full_page=True)
                watch.close()


def poll(frame, expression: str, timeout: float = 60) -> None:
    """Wait until ``expression`` is true in ``frame`` (evaluated by the browser's debugger, which the page's
    policy does not govern; Playwright's wait_for_function would need 'unsafe-eval')."""
    deadline = time.monotonic() + timeout
    while not frame.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {timeout} s: {expression}"
        time.sleep(0.2)


def ran(watch, submission) -> dict:
    """What the student's payloads left in the browser (their marks in the submission's frame and in
    JupyterLab's page, the frame's title) and the policy violations the frame reported."""
    return {"marks": (submission.evaluate("window.__dpdPwned || []"), watch.page.evaluate("window.__dpdPwned || []")),
            "title": submission.title(), "violations": submission.evaluate("window.__dpdViolations")}


def copy_of(graded: Path, tmp_path: Path) -> Path:
    """A copy of the graded course (gradebook included), for one test to open and change."""
    return Path(shutil.copytree(graded, tmp_path / "course"))


def test_no_student_script_runs_and_the_instructor_can_still_grade(chromium, graded, listener, tmp_path):
    course = copy_of(graded, tmp_path)
    before = grades(course)
    listener.received.clear()
    with formgrader_submission(chromium, course, "formgrader-xss") as (watch, submission):
        seen = ran(watch, submission)
        assert seen["marks"] == ([], []) and seen["title"] == A, seen
        assert grades(course) == before, "the gradebook changed while the page was open"
        assert submission.evaluate("formgrader.loaded") is True  # nbgrader's page set itself up
        assert seen["violations"] == [], seen["violations"]  # nbgrader's own page runs within its policy
        assert submission.locator("#notebook-container figure.dpdlab-chart-image img").count() >= 4
        # the instructor grades the written answer as usual: a score and a comment, each saved on change
        submission.locator("input#q6-written").fill(SCORE)
        submission.locator("input#q6-written").press("Tab")
        submission.locator("textarea#q6-written-comment").fill(COMMENT)
        submission.locator("textarea#q6-written-comment").press("Tab")
        deadline = time.monotonic() + 20
        while grades(course)["q6-written"][1] != float(SCORE) or grades(course)["q6-written comment"] != (COMMENT,):
            assert time.monotonic() < deadline, f"the instructor's grade was not saved: {grades(course)}"
            time.sleep(0.25)
        # nbgrader's inline onclick handlers (allowed by their hashes) show the student's name: as text
        submission.locator("span.glyphicon-eye-open.name-hidden").click()
        shown = submission.locator("a.name-shown")
        shown.wait_for(state="visible")
        assert shown.inner_text().startswith("Hostile, <img src=x onerror=")
        errors = list(watch.console)
        outside = list(watch.outside)
        seen = ran(watch, submission)
    assert seen["marks"] == ([], []) and seen["violations"] == [], seen
    after = grades(course)
    assert {k: v for k, v in after.items() if not k.startswith("q6-written")} == \
        {k: v for k, v in before.items() if not k.startswith("q6-written")}
    assert not listener.received, listener.received
    assert not outside, outside
    assert not [e for e in errors if "Failed to load resource" not in e], errors  # a payload's <img src="x">


def test_the_policy_alone_blocks_every_payload_when_the_sanitiser_is_off(chromium, graded, listener, tmp_path):
    course = copy_of(graded, tmp_path)
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write("\nc.SanitizeStudentContent.enabled = False\nc.SanitizedMarkdown.enabled = False\n")
    before = grades(course)
    listener.received.clear()
    with formgrader_submission(chromium, course, "formgrader-xss-policy-only") as (watch, submission):
        seen = ran(watch, submission)
        live = submission.locator("#notebook-container script, #notebook-container [onerror]").count()
        loaded = submission.evaluate("formgrader.loaded")
    assert live > 0, "the sanitiser was meant to be off: the payloads should be in the page"
    assert seen["marks"] == ([], []) and seen["title"] == A, seen
    assert grades(course) == before
    assert not [path for path, _ in listener.received if "dpd-meta-refresh" not in path], listener.received
    directives = {v.split()[0] for v in seen["violations"]}
    assert {"script-src-elem", "script-src-attr", "style-src-elem", "base-uri"} <= directives, seen["violations"]
    assert loaded is True


def test_stock_nbgrader_runs_the_payloads(chromium, graded, listener, tmp_path):
    course = copy_of(graded, tmp_path)
    before = grades(course)
    listener.received.clear()
    with formgrader_submission(chromium, course, "formgrader-xss-stock", stock=True) as (watch, submission):
        seen = ran(watch, submission)
    assert "dpd-script" in seen["marks"][0] and seen["title"].startswith("PWNED"), seen
    rewritten = {k: v for k, v in grades(course).items() if v != before[k]}
    assert rewritten and all(v[2] == 9 for v in rewritten.values()), rewritten  # through the Formgrader's API
    stolen = [body for path, body in listener.received if path.startswith("/source-")]
    assert stolen and "BEGIN HIDDEN TESTS" in stolen[0], [p for p, _ in listener.received]


@contextmanager
def served(folder: Path):
    """``folder`` served over HTTP on 127.0.0.1 (as a student or the course's host would open its pages)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietFiles, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_feedback_and_website_pages_work_under_their_policy(chromium, graded, tmp_path):
    course = copy_of(graded, tmp_path)
    feedback = grading.feedback(A, course=course)
    student = next(p for p in feedback if p.parts[-3] == STUDENT)
    website = course / "site.html"
    case = ROOT / "cases" / NB
    website.write_text(site.page_html(site.static_notebook(executed_student(case), str(case)), "site page"),
                       encoding="utf-8")
    for path, charts in ((student, "figure.dpdlab-chart-image img"), (website, "figure.dpdlab-chart svg")):
        watch = Watch(chromium)
        watch.context.add_init_script(RECORD_VIOLATIONS)
        page = watch.page
        try:
            with served(course) as base:
                page.goto(f"{base}/{path.relative_to(course).as_posix()}")
                page.wait_for_timeout(1000)
                drawn = page.locator(charts).evaluate_all(
                    "els => els.map(e => (e.naturalWidth || e.getBoundingClientRect().width) > 0)")
                violations = page.evaluate("window.__dpdViolations")
                marks = page.evaluate("window.__dpdPwned || []")
                page.screenshot(path=ARTIFACTS / f"policy-{path.stem}.png")
                outside = list(watch.outside)
        finally:
            watch.close()
        assert not outside, outside
        assert drawn and all(drawn), (path, drawn)
        assert not marks
        # the feedback template's bootstrap stylesheet names glyph fonts that are not in a feedback folder
        assert not [v for v in violations if not v.startswith("font-src")], (path, violations)
