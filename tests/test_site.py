"""The course website: `dpdlab site build` makes one static page per student notebook of each edition, with
its charts (including the first view of each widget) as inline SVG figures announced as images with their
text alternative; a page per document and datasheet; a front page per edition with the course map; a language
switch on every page; links between pages that lead somewhere; no script and nothing loaded from the internet."""
from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, chart_outputs, edition_of, edition_students, executed_student, ids, student_notebooks
from dpdlab import i18n, site, svg

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


def site_students() -> list[Path]:
    """Every student notebook the site shows: the English edition's, then the translated editions'."""
    return student_notebooks() + edition_students()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The site, built by the function `dpdlab site build` (`make site`) calls, from the session's executed
    student notebooks (the command executes them itself)."""
    out = tmp_path_factory.mktemp("site") / "site"
    executed = {path.relative_to(ROOT): executed_student(path) for path in site_students()}
    assert site.build(out, executed) == out / "index.html"
    return out


def page_of(path: Path) -> str:
    """The site page of a student notebook (relative to the site's root)."""
    relative = path.relative_to(ROOT)
    return site.site_path(site.english_file(relative), edition_of(path))


def all_pages(built: Path) -> list[Path]:
    return sorted(built.rglob("*.html"))


def test_each_edition_has_a_front_page_listing_its_notebooks_documents_and_datasheets(built):
    listing = json.loads((built / "pages.json").read_text())
    assert sorted(listing) == ["en", "es"]
    for language, front in (("en", "index.html"), ("es", "es/index.html")):
        index = (built / front).read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in index
        links = [posixpath.normpath(posixpath.join(posixpath.dirname(front), a["href"])) for tag, a in tags(index)
                 if tag == "a"]
        notebooks = [page_of(p) for p in site_students() if edition_of(p) == language]
        assert sorted(n for n in listing[language] if n in notebooks) == sorted(notebooks)
        assert [link for link in links if link in listing[language]] == listing[language]  # in course order
        prefix = "" if language == "en" else "es/"
        assert {f"{prefix}glossary.html", f"{prefix}reading_list.html", f"{prefix}data/argentina_accounts.html"} <= set(links)


@pytest.mark.parametrize("path", site_students(), ids=ids(site_students()))
def test_every_notebook_has_a_page_with_its_charts_and_no_exercise_output(built, path):
    page = built / page_of(path)
    assert page.is_file(), f"no page for {path.relative_to(ROOT)}"
    html = page.read_text(encoding="utf-8")
    found = tags(html)
    language = edition_of(path)
    with i18n.in_edition(language):
        chart_label = svg.MESSAGES["alt_text"].split("{", 1)[0]
    figures = [a for tag, a in found if tag == "figure" and "dpdlab-chart" in a.get("class", "")]
    images = [a for tag, a in found if tag == "img" and a.get("src", "").startswith("data:image/svg+xml")]
    expected = chart_outputs(executed_student(path), include_exercises=False)
    assert len(figures) + len(images) == len(expected), (
        f"{len(figures) + len(images)} charts on the page, {len(expected)} in the notebook")
    assert all(a.get("role") == "img" and a.get("aria-label", "").startswith(chart_label) for a in figures)
    assert all(a.get("alt", "").startswith(chart_label) for a in images)
    assert html.count("<svg") >= len(figures)
    assert f'<html lang="{language}">' in html
    title = nbformat.read(path, as_version=4).metadata["dpdlab"]["title"]
    assert f"<title>{title}" in html.replace("&#39;", "'")
    # exercises are left for the reader: their stubs are shown, never their errors or check messages
    assert "NotImplementedError" in html
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html and "Traceback" not in html
    assert ": the visible checks pass. More checks run" not in html


def test_pages_load_no_script_and_nothing_from_outside(built):
    for page in all_pages(built):
        html = page.read_text(encoding="utf-8")
        found = tags(html)
        assert not [a for tag, a in found if tag == "script"], f"{page.name}: a static page must not need JavaScript"
        external = [a.get("src") or a.get("href") for tag, a in found
                    if tag in {"img", "link", "iframe", "embed", "source"}
                    and re.match(r"(https?:)?//", a.get("src") or a.get("href") or "")]
        assert not external, f"{page.name} loads from outside: {external}"
        assert "widget-view+json" not in html and "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_every_link_between_pages_leads_to_a_page_and_an_anchor_on_it(built):
    pages = {page.relative_to(built).as_posix(): page.read_text(encoding="utf-8") for page in all_pages(built)}
    anchors = {name: {a["id"] for _, a in tags(html) if "id" in a} for name, html in pages.items()}
    broken = []
    for name, html in pages.items():
        for tag, attributes in tags(html):
            href = attributes.get("href", "") if tag == "a" else ""
            if not href or re.match(r"^([a-z][a-z0-9+.-]*:|//)", href, re.I):
                continue
            path, _, anchor = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            if target not in pages:
                broken.append(f"{name}: {href} (no such page)")
            elif anchor and anchor not in anchors[target]:
                broken.append(f"{name}: {href} (no such section)")
    assert not broken, "\n".join(broken)


def test_every_page_links_to_the_same_page_in_the_other_edition(built):
    checked = 0
    for page in all_pages(built):
        name = page.relative_to(built).as_posix()
        html = page.read_text(encoding="utf-8")
        switches = [a for tag, a in tags(html) if tag == "a" and a.get("hreflang")]
        assert switches, f"{name} has no language switch"
        for switch in switches:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), switch["href"]))
            other = (built / target).read_text(encoding="utf-8")
            assert f'<html lang="{switch["hreflang"]}">' in other, (name, switch)
            counterpart = name.removeprefix("es/") if switch["hreflang"] == "en" else f"es/{name}"
            if (built / counterpart).is_file():
                assert target == counterpart, (name, target)
                checked += 1
    assert checked >= 2 * len(student_notebooks())


def test_the_spanish_pages_speak_spanish_around_the_notebooks(built):
    html = (built / "es" / page_of(edition_students()[0]).removeprefix("es/")).read_text(encoding="utf-8")
    with i18n.in_edition("es"):
        back, switch = site.MESSAGES["back"], site.MESSAGES["switch_label"]
    assert back != site.MESSAGES["back"] and f">{back}</a>" in html and f'aria-label="{switch}"' in html
    index = (built / "es" / "index.html").read_text(encoding="utf-8")
    assert "Course map" not in index and "The datasets" not in index
    binder_links = [a["href"] for tag, a in tags(index) if tag == "a" and "mybinder.org" in a.get("href", "")]
    assert binder_links and all("labpath=course%2Fes%2F00_start_here.ipynb" in link for link in binder_links)


def test_widgets_are_replaced_by_their_first_view_and_their_controls(built):
    for language in ("en", "es"):
        with i18n.in_edition(language):
            note = site.MESSAGES["widget_note_no_controls"].split("*")[1]
        students = [p for p in site_students() if edition_of(p) == language]
        pages = [(built / page_of(p)).read_text(encoding="utf-8") for p in students]
        notes = sum(page.count(note) for page in pages)
        widgets = sum(1 for p in students for c in executed_student(p)["cells"]
                      if not site.is_exercise(c) for o in c.get("outputs", [])
                      if site.WIDGET_VIEW in o.get("data", {}) and svg.MIMETYPE not in o["data"])  # charts are no widgets
        assert widgets and notes == widgets, language


def test_the_language_of_every_page_is_its_editions(built):
    assert '<html lang="en">' in (built / "index.html").read_text(encoding="utf-8")
    assert all('<html lang="es">' in page.read_text(encoding="utf-8") for page in (built / "es").rglob("*.html"))
    assert '<html lang="es">' in site.page_html(nbformat.v4.new_notebook(), "Prueba", language="es")


def test_a_failing_non_exercise_cell_stops_the_build():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0")])
    notebook.cells[0].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                                        traceback=[])]
    with pytest.raises(site.SiteError, match="demo.ipynb: cell 0 is not an exercise but failed"):
        site.static_notebook(notebook, "demo.ipynb")
