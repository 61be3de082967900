"""The website shows the same headings as JupyterLab: for every student notebook, the headings on its page
equal the headings CommonMark gives for its Markdown cells.

JupyterLab renders Markdown by CommonMark's rules, under which an ATX heading needs a space after its ``#``
marks: ``#NiUnaMenos`` at the start of a line is a hashtag in a paragraph. The expected headings come from
mistune's default parser (already installed with nbconvert), which follows CommonMark's heading rules; the
page's come from the site's own renderer (``dpdlab.site.page_html``), read cell by cell from the HTML. The
notebooks need not be executed: headings live in Markdown cells, which the site renders as they are.
"""
from __future__ import annotations

from html.parser import HTMLParser

import mistune
import nbformat
import pytest

from conftest import ids, student_notebooks
from dpdlab import site

COMMONMARK = mistune.create_markdown(renderer=None)  # the token tree, no plugins: plain CommonMark blocks
HEADINGS = {f"h{n}" for n in range(1, 7)}


def _plain(tokens: list[dict]) -> str:
    """The text of inline tokens (emphasis, code, links flattened)."""
    parts = []
    for token in tokens:
        if "children" in token:
            parts.append(_plain(token["children"]))
        else:
            parts.append(token.get("raw", ""))
    return "".join(parts)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def commonmark_headings(source: str) -> list[tuple[int, str]]:
    """(level, text) of every heading CommonMark finds in a Markdown cell, in order (nested blocks included)."""
    found = []

    def walk(tokens):
        for token in tokens:
            if token["type"] == "heading":
                found.append((token["attrs"]["level"], _squeeze(_plain(token.get("children", [])))))
            elif "children" in token and token["type"] in {"block_quote", "list", "list_item", "block_text"}:
                walk(token["children"])

    walk(COMMONMARK(source))
    return found


class PageHeadings(HTMLParser):
    """Headings inside each Markdown cell of a site page: ``{cell id: [(level, text), ...]}``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: dict[str, list[tuple[int, str]]] = {}
        self._cell: str | None = None
        self._depth = 0  # open <div>s inside the current Markdown cell
        self._heading: tuple[int, list[str]] | None = None
        self._anchor = 0  # inside the heading's anchor link (the pilcrow), which is not heading text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            if self._cell is None and "jp-MarkdownCell" in (attrs.get("class") or "").split():
                self._cell = (attrs.get("id") or "").removeprefix("cell-id=")
                self.cells[self._cell] = []
                self._depth = 1
            elif self._cell is not None:
                self._depth += 1
        elif self._cell is not None and tag in HEADINGS:
            self._heading = (int(tag[1]), [])
        elif self._heading is not None and tag == "a" and "anchor-link" in (attrs.get("class") or ""):
            self._anchor += 1

    def handle_endtag(self, tag):
        if tag == "div" and self._cell is not None:
            self._depth -= 1
            if self._depth == 0:
                self._cell = None
        elif tag in HEADINGS and self._heading is not None:
            level, parts = self._heading
            self.cells[self._cell].append((level, _squeeze("".join(parts))))
            self._heading = None
        elif tag == "a" and self._anchor:
            self._anchor -= 1

    def handle_data(self, data):
        if self._heading is not None and not self._anchor:
            self._heading[1].append(data)


def site_headings(notebook: nbformat.NotebookNode) -> dict[str, list[tuple[int, str]]]:
    """Headings the site's page of ``notebook`` shows, per Markdown cell id."""
    parser = PageHeadings()
    parser.feed(site.page_html(site.static_notebook(notebook), "page"))
    return parser.cells


def mismatches(notebook: nbformat.NotebookNode) -> list[str]:
    shown = site_headings(notebook)
    problems = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        expected, page = commonmark_headings(cell.source), shown.get(cell.get("id"), [])
        if expected != page:
            problems.append(f"cell {cell.get('id')}: CommonMark {expected} but the site shows {page}")
    return problems


@pytest.mark.parametrize("path", student_notebooks(), ids=ids(student_notebooks()))
def test_the_site_shows_the_headings_jupyterlab_shows(path):
    notebook = nbformat.read(path, as_version=4)
    assert [c for c in notebook.cells if c.cell_type == "markdown"], "a notebook without Markdown cells"
    problems = mismatches(notebook)
    assert not problems, "\n".join(problems)


def test_a_hashtag_at_the_start_of_a_line_is_not_a_heading():
    source = ("# A real heading\n\nThe march went to Congress under\n#NiUnaMenos, and the next year under\n\n"
              "#VivasNosQueremos\n\n## A second *real* heading")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source, id="md")])
    expected = [(1, "A real heading"), (2, "A second real heading")]
    assert commonmark_headings(source) == expected
    assert site_headings(notebook) == {"md": expected}
    assert mismatches(notebook) == []


def test_a_heading_the_site_adds_is_reported():
    # nbconvert's stock renderer accepts '#' without a space (the classic notebook's rule): the comparison
    # must notice the extra heading it would put on the page
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("#NiUnaMenos\n", id="md")])
    parser = PageHeadings()
    parser.feed(HTMLExporter(template_name="lab").from_notebook_node(notebook)[0])
    assert parser.cells == {"md": [(1, "NiUnaMenos")]} and commonmark_headings("#NiUnaMenos\n") == []
