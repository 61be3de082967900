"""The course website: `dpdlab site build` makes one static page per student notebook, with its charts
(including the first view of each widget) as inline SVG figures announced as images with their text
alternative, an index with the course map, no script and nothing loaded from the internet."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, chart_outputs, executed_student, ids, student_notebooks
from dpdlab import cli, site, svg

pytestmark = pytest.mark.notebooks


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The site, built by the command CI and `make site` run."""
    out = tmp_path_factory.mktemp("site") / "site"
    assert cli.main(["site", "build", "--out", str(out)]) == 0
    return out


def test_index_lists_every_notebook_with_a_link_to_its_page(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    links = [a["href"] for tag, a in tags(index) if tag == "a"]
    pages = json.loads((built / "pages.json").read_text())
    assert sorted(pages) == sorted(f"{p.stem}.html" for p in student_notebooks())
    assert [link for link in links if link in pages] == pages  # in course order


@pytest.mark.parametrize("path", student_notebooks(), ids=ids(student_notebooks()))
def test_every_notebook_has_a_page_with_its_charts_and_no_exercise_output(built, path):
    page = built / f"{path.stem}.html"
    assert page.is_file(), f"no page for {path.relative_to(ROOT)}"
    html = page.read_text(encoding="utf-8")
    found = tags(html)
    figures = [a for tag, a in found if tag == "figure" and "dpdlab-chart" in a.get("class", "")]
    images = [a for tag, a in found if tag == "img" and a.get("src", "").startswith("data:image/svg+xml")]
    expected = chart_outputs(executed_student(path), include_exercises=False)
    assert len(figures) + len(images) == len(expected), (
        f"{len(figures) + len(images)} charts on the page, {len(expected)} in the notebook")
    assert all(a.get("role") == "img" and a.get("aria-label", "").startswith("Chart: ") for a in figures)
    assert all(a.get("alt", "").startswith("Chart: ") for a in images)
    assert html.count("<svg") >= len(figures)
    assert '<html lang="en">' in html
    title = nbformat.read(path, as_version=4).metadata["dpdlab"]["title"]
    assert f"<title>{title}" in html.replace("&#39;", "'")
    # exercises are left for the reader: their stubs are shown, never their errors or check messages
    assert "NotImplementedError" in html
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html and "Traceback" not in html
    assert ": the visible checks pass. More checks run" not in html


@pytest.mark.parametrize("path", student_notebooks(), ids=ids(student_notebooks()))
def test_pages_load_no_script_and_nothing_from_outside(built, path):
    html = (built / f"{path.stem}.html").read_text(encoding="utf-8")
    found = tags(html)
    assert not [a for tag, a in found if tag == "script"], "a static page must not need JavaScript"
    external = [a.get("src") or a.get("href") for tag, a in found if tag in {"img", "link", "iframe", "embed", "source"}
                and re.match(r"(https?:)?//", a.get("src") or a.get("href") or "")]
    assert not external, f"loads from outside: {external}"
    assert "widget-view+json" not in html and "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_widgets_are_replaced_by_their_first_view_and_their_controls(built):
    pages = [(built / f"{p.stem}.html").read_text(encoding="utf-8") for p in student_notebooks()]
    notes = sum(page.count("Interactive in JupyterLab or on Binder") for page in pages)
    widgets = sum(1 for p in student_notebooks() for c in executed_student(p)["cells"]
                  if not site.is_exercise(c) for o in c.get("outputs", [])
                  if site.WIDGET_VIEW in o.get("data", {}) and svg.MIMETYPE not in o["data"])  # charts are no widgets
    assert widgets and notes == widgets


def test_the_language_of_every_page_is_a_parameter_of_the_build(built):
    assert '<html lang="en">' in (built / "index.html").read_text(encoding="utf-8")
    # another edition says its own language on each page
    assert '<html lang="es">' in site.index_html([], language="es")
    assert '<html lang="es">' in site.page_html(nbformat.v4.new_notebook(), "Prueba", language="es")


def test_a_failing_non_exercise_cell_stops_the_build():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0")])
    notebook.cells[0].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                                        traceback=[])]
    with pytest.raises(site.SiteError, match="demo.ipynb: cell 0 is not an exercise but failed"):
        site.static_notebook(notebook, "demo.ipynb")
