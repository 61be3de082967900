"""The course as a static website, built offline with nbconvert: ``dpdlab site build`` (``make site``).

Each student notebook (in course order, from the manifest) is executed headless with nbclient, as a
learner who skips the exercises would run it, and becomes one HTML page:

- reading, demonstration and set-up cells keep their outputs; exercise cells (answer stubs and check
  cells) are shown without outputs, since on the site nobody has answered them;
- charts are static SVG drawn here, out of the kernel, from each chart's Vega-Lite spec
  (:class:`dpdlab.export.ChartsToSVG`), inlined in the page as figures that screen readers announce as one
  image with the chart's title and description;
- a widget cannot run on a static page, so each widget is replaced by what it showed first (the contents
  of its output area, charts included) and a line naming its controls and their starting values;
- the page loads no script: the template drops nbconvert's require.js, MathJax, Mermaid and widget
  manager, which would come from a CDN; a Content-Security-Policy (:data:`POLICY`) says so to the browser.

- Markdown is rendered with CommonMark's rule for headings, as JupyterLab renders it: a line such as
  ``#NiUnaMenos`` (no space after the ``#``) is a hashtag in a paragraph, not a heading. nbconvert's own
  parser accepts ``#`` without a space, as the classic notebook did, so the site replaces that one rule
  (:class:`CommonMarkHeadings`, :class:`SiteExporter`).

``index.html`` holds the course map with a link to every page, then the glossary, reading list and readings
map and every dataset's datasheet, each a page too. The English edition is at the top of the site, each
translated edition in a folder of its own (``es/``) with its own notebooks and documents, and every page links
to the same page in the other editions. A link between files of the course leads to the file's page (and the
section it names). A non-exercise cell that fails stops the build with the notebook and cell named: a broken
notebook must not publish quietly.
"""
from __future__ import annotations

import copy
import html
import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import pass_context
from mistune.block_parser import BlockParser
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath, MathBlockParser

from dpdlab import binder, chartwidget, course, export, i18n, paths, release, svg
from dpdlab.i18n import messages
from dpdlab.translation import relinked

TEMPLATE_DIR = Path(__file__).resolve().parent / "site_templates"
TEMPLATE = "dpdlab_site"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CONTROL_NAMES_ID = "dpdlab.widgets.ControlNames"  # anywidget's _anywidget_id of that widget's model
EXECUTION_TIMEOUT = 180  # seconds per cell
LANGUAGE = "en"  # the edition's language (ISO 639-1), as <html lang> says it on every page
# What the site's pages may load: nothing but their own inline styles and data: images and fonts (nbconvert
# inlines its stylesheets and theme; charts are inline SVG). No script, no frame, no form, nothing from a server.
POLICY = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
          "base-uri 'none'; form-action 'none'")

MESSAGES = messages(__name__, {
    "site_title": "Digital Public Diplomacy in Latin America",
    "widget_note": ("*Interactive in JupyterLab or on Binder* — controls: {controls}. This page shows the "
                    "view they open on."),
    "widget_note_no_controls": "*Interactive in JupyterLab or on Binder*. This page shows its first view.",
    "index_intro": ("An open course in Jupyter notebooks. These pages show each notebook with the outputs of its "
                    "reading and demonstration cells; the exercises are left for you to answer. Charts are "
                    "static images, and each widget shows its first view. To run the code, move the widgets "
                    "and check your answers, open the notebooks in JupyterLab or on Binder."),
    "binder_link": "Run the course on Binder",
    "map_heading": "Course map",
    "back": "Course map",
    "switch_label": "Other languages",
    "site_navigation": "Course",
    "documents_heading": "Glossary and readings",
    "datasheets_heading": "The datasets' datasheets",
    "cell_failed": "{notebook}: cell {index} is not an exercise but failed ({ename}: {evalue}); fix the notebook "
                   "before publishing the site",
})


class SiteError(RuntimeError):
    """The site could not be built; the message names the notebook and what went wrong."""


def execute(path: Path, timeout: int = EXECUTION_TIMEOUT) -> nbformat.NotebookNode:
    """Run every cell of the notebook at ``path`` headless (errors allowed, as when a learner skips the
    exercises), in its own folder, keeping the widgets' state; return the executed notebook."""
    notebook = nbformat.read(path, as_version=4)
    # The kernel is stopped at once after the last cell: ipykernel 7.4's graceful shutdown sometimes stalls
    # for seconds (its control thread flushes to an IOPub thread already stopped); the outputs are complete.
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                            store_widget_state=True, resources={"metadata": {"path": str(path.parent)}},
                            shutdown_kernel="immediate")
    client.execute()
    return notebook


def is_exercise(cell: dict) -> bool:
    """True for an exercise's answer cell or check cell (nbgrader solution or grade cells)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("solution") or meta.get("grade"))


def widget_states(notebook: dict) -> dict[str, dict]:
    """The saved state of every widget model in an executed notebook, by model id."""
    saved = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})
    return saved.get("state", {})


def _references(state: Any) -> list[str]:
    """Model ids a widget state refers to (``"IPY_MODEL_<id>"`` strings, e.g. its children)."""
    if isinstance(state, str):
        return [state[len("IPY_MODEL_"):]] if state.startswith("IPY_MODEL_") else []
    if isinstance(state, dict):
        return [ref for value in state.values() for ref in _references(value)]
    if isinstance(state, list):
        return [ref for value in state for ref in _references(value)]
    return []


def widget_models(model_id: str, states: dict[str, dict]) -> list[tuple[str, dict]]:
    """The widget ``model_id`` and every widget it contains, depth first: ``(model name, state)``."""
    found, todo, seen = [], [model_id], set()
    while todo:
        current = todo.pop(0)
        if current in seen or current not in states:
            continue
        seen.add(current)
        model = states[current]
        found.append((model.get("model_name", ""), model.get("state", {})))
        todo[:0] = [ref for ref in _references(model.get("state", {})) if ref not in seen]
    return found


def _control_value(state: dict) -> str:
    labels = state.get("_options_labels")
    index = state.get("index")
    if labels is not None and index is not None:
        indices = index if isinstance(index, list) else [index]
        return " – ".join(str(labels[i]) for i in indices if i is not None and 0 <= i < len(labels))
    value = state.get("value")
    if isinstance(value, list):
        return " – ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _static_output(output: dict, states: dict[str, dict]) -> nbformat.NotebookNode:
    """An output of a widget's output area as a static page shows it: a view of a chart widget becomes the
    chart's spec (drawn as SVG later), anything else stays as it is."""
    view = output.get("data", {}).get(WIDGET_VIEW)
    state = states.get(view.get("model_id"), {}).get("state", {}) if isinstance(view, dict) else {}
    spec = chartwidget.spec_of_state(state)
    if spec is None:
        return nbformat.from_dict(output)
    return nbformat.v4.new_output("display_data", data={svg.MIMETYPE: spec, "text/plain": state.get("alt", "")})


def static_widget(view: dict, states: dict[str, dict]) -> list[dict]:
    """The outputs a static page shows for a widget view output: a line naming the controls, then what
    its output areas showed when the widget was built."""
    models = widget_models(view[WIDGET_VIEW]["model_id"], states)
    controls = [f"{s['description']} = {_control_value(s)}" for name, s in models
                if s.get("description") and s.get("_model_module") == "@jupyter-widgets/controls"]
    note = (MESSAGES["widget_note"].format(controls="; ".join(f"**{c}**" for c in controls)) if controls
            else MESSAGES["widget_note_no_controls"])
    outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": note, "text/plain": note})]
    for name, state in models:
        if name == "OutputModel":
            outputs.extend(_static_output(o, states) for o in state.get("outputs", []) if not _names_controls(o, states))
    return outputs


def _names_controls(output: dict, states: dict[str, dict]) -> bool:
    """Whether an output of a widget's output area is the hidden widget that names the widget's controls in
    the browser (:class:`dpdlab.widgets.ControlNames`): a static page has no controls to name."""
    view = output.get("data", {}).get(WIDGET_VIEW)
    state = states.get(view.get("model_id"), {}).get("state", {}) if isinstance(view, dict) else {}
    return state.get("_anywidget_id") == CONTROL_NAMES_ID


def static_notebook(executed: dict, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of an executed notebook fit for a static page: exercise cells without outputs, widgets
    replaced by their first view, no widget state (which would pull in a widget manager from a CDN)."""
    page = nbformat.from_dict(copy.deepcopy(executed))
    states = widget_states(page)
    page.metadata.pop("widgets", None)
    for index, cell in enumerate(page.cells):
        if cell.cell_type != "code":
            continue
        if is_exercise(cell):
            cell.outputs, cell.execution_count = [], None
            continue
        outputs = []
        for output in cell.outputs:
            if output.output_type == "error":
                raise SiteError(MESSAGES["cell_failed"].format(notebook=name, index=index, ename=output.ename,
                                                               evalue=output.evalue))
            if WIDGET_VIEW in output.get("data", {}) and svg.MIMETYPE not in output.data:  # a chart is no widget
                outputs.extend(static_widget(output.data, states))
            else:
                outputs.append(output)
        cell.outputs = outputs
    return page


# mistune names the rule "atx_heading" from 3.0.2 on, "axt_heading" before
_ATX = "atx_heading" if "atx_heading" in BlockParser.SPECIFICATION else "axt_heading"


class CommonMarkHeadings(MathBlockParser):
    """nbconvert's block parser (math kept whole) with mistune's CommonMark rule for ATX headings restored:
    a heading needs a space (or the end of the line) after its ``#`` marks."""

    SPECIFICATION = {**MathBlockParser.SPECIFICATION, _ATX: BlockParser.SPECIFICATION[_ATX]}


class SiteExporter(HTMLExporter):
    """nbconvert's HTML exporter, rendering Markdown with :class:`CommonMarkHeadings`."""

    @pass_context
    def markdown2html(self, context, source):
        """Markdown to HTML, as nbconvert does it (attachments, anchor links), with CommonMark headings."""
        cell = context.get("cell", {})
        renderer = IPythonRenderer(
            escape=False, attachments=cell.get("attachments", {}), embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text, exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options)
        return MarkdownWithMath(renderer=renderer, block=CommonMarkHeadings()).render(source)


def _exporter(language: str = LANGUAGE) -> HTMLExporter:
    return SiteExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATE_DIR)], language_code=language)


def page_html(page: nbformat.NotebookNode, title: str, language: str = LANGUAGE, home: str = "index.html",
              switch: list[dict] | None = None) -> str:
    """One notebook page as standalone HTML (no script; charts drawn as inline SVG), in ``language`` (the
    page's ``<html lang>``, an ISO 639-1 code). ``home`` is the link back to the edition's course map and
    ``switch`` the links to the page in the other editions (``href``, ``language``, ``name``)."""
    page, _ = export.ChartsToSVG().preprocess(page, {})
    resources = {"metadata": {"name": title},
                 "dpdlab": {"back": MESSAGES["back"], "home": home, "binder": binder_link(language),
                            "binder_text": MESSAGES["binder_link"], "navigation": MESSAGES["site_navigation"],
                            "policy": POLICY, "switch": switch or [], "switch_label": MESSAGES["switch_label"]}}
    body, _ = _exporter(language).from_notebook_node(page, resources=resources)
    return body


def binder_link(language: str | None = None) -> str:
    """The Binder link that opens the start page of the edition ``language`` (default: the kernel's)."""
    language = language or i18n.edition()
    start = Path(binder.START_PAGE)
    page = start if language == LANGUAGE else start.parent / language / start.name
    try:
        return binder.binder_url(page.as_posix())
    except (OSError, ValueError):  # no pyproject.toml beside an installed copy: no Binder link
        return ""


def _switch_html(switch: list[dict]) -> str:
    links = " ".join(f'<a href="{html.escape(s["href"], quote=True)}" hreflang="{html.escape(s["language"], quote=True)}" '
                     f'lang="{html.escape(s["language"], quote=True)}">{html.escape(s["name"])}</a>' for s in switch)
    return f'<nav aria-label="{html.escape(MESSAGES["switch_label"], quote=True)}"><p>{links}</p></nav>' if links else ""


def index_html(pages: list[tuple[str, dict]], language: str = LANGUAGE, documents: list[tuple[str, str]] = (),
               datasheets: list[tuple[str, str]] = (), switch: list[dict] | None = None) -> str:
    """The site's front page, in ``language``: the course map, each notebook linked to its page; then the
    course's documents and the datasets' datasheets (``(href, title)`` each), and the links to the other
    editions' front pages."""
    columns = course.MESSAGES["map_columns"]
    rows = []
    for filename, meta in pages:
        minutes = sum(meta.get("minutes", {}).values())
        rows.append(f"<tr><td><a href=\"{html.escape(filename)}\">{html.escape(meta.get('title', filename))}</a></td>"
                    f"<td>{html.escape(meta.get('topic', ''))}</td><td>{minutes}</td>"
                    f"<td>{html.escape(meta.get('seed_reading', ''))}</td></tr>")
    link = binder_link(language)
    binder_line = f'<p><a href="{html.escape(link)}">{MESSAGES["binder_link"]}</a></p>' if link else ""
    head = "".join(f"<th scope=\"col\">{html.escape(columns[k])}</th>" for k in ("title", "topic", "minutes", "seed_reading"))

    def listed(heading: str, links: list[tuple[str, str]]) -> str:
        if not links:
            return ""
        items = "\n".join(f'<li><a href="{html.escape(href, quote=True)}">{html.escape(title)}</a></li>' for href, title in links)
        return f"<h2>{html.escape(heading)}</h2>\n<ul>\n{items}\n</ul>"

    return f"""<!DOCTYPE html>
<html lang="{html.escape(language, quote=True)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(POLICY, quote=True)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(MESSAGES["site_title"])}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid #ccc; }}
a {{ color: #0057a0; text-decoration: underline; }}
</style>
</head>
<body>
{_switch_html(switch or [])}
<main>
<h1>{html.escape(MESSAGES["site_title"])}</h1>
<p>{html.escape(MESSAGES["index_intro"])}</p>
{binder_line}
<h2>{html.escape(MESSAGES["map_heading"])}</h2>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
{listed(MESSAGES["documents_heading"], list(documents))}
{listed(MESSAGES["datasheets_heading"], list(datasheets))}
</main>
</body>
</html>
"""


def default_out() -> Path:
    return paths.project_root() / "build" / "site"


# The course's documents a learner reads beside the notebooks (paths from the project root, English); each
# edition shows its own where it translates them. The datasets' datasheets and the sources' list come after.
DOCUMENTS = ("course/glossary.md", "course/reading_list.md", "course/readings_map.md")
SOURCES = Path("data") / "SOURCES.md"


def editions() -> list[tuple[str, str]]:
    """``(language, the language's own name)`` of every edition, English first."""
    return [(LANGUAGE, "English")] + [(e.language, e.name) for e in release.editions()]


def english_file(path: Path) -> Path:
    """The English file an edition's file translates (``course/es/glossary.md`` -> ``course/glossary.md``)."""
    languages = {language for language, _ in editions()}
    return path.parent.parent / path.name if path.parent.name in languages else path


def site_path(english: Path, language: str) -> str:
    """Where the page of an English file (or of its translation in ``language``) is on the site: one folder
    per edition beside the English pages, the datasheets in a ``data`` folder of their own."""
    name = f"{english.stem}.html"
    inner = f"data/{name}" if english.parent == Path("data") else name
    return inner if language == LANGUAGE else f"{language}/{inner}"


def published(language: str) -> dict[Path, Path]:
    """The files the site shows in the edition ``language``: English file -> the edition's own file (paths
    from the project root), in the order of the front page: notebooks, documents, datasheets. A file the
    edition does not translate is left out (its pages link to the English page)."""
    from dpdlab import data, translation

    root = paths.project_root()
    with i18n.in_edition(language):
        files = [relative for relative, _ in course.notebook_metadata()]
    documents = [Path(d) for d in DOCUMENTS] + [Path("data") / f"{name}.md" for name in data.dataset_names()]
    if language == LANGUAGE:
        files += documents + [SOURCES]
    else:
        edition = next(e for e in release.editions() if e.language == language)
        files += [t for d in documents if (root / (t := translation.edition_document(d, edition))).is_file()]
    return {english_file(f): f for f in files}


def _relative(target: str, page: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def site_links(files: dict[str, dict[Path, Path]]) -> dict[Path, str]:
    """Every published file (an edition's own or English) -> its page on the site."""
    return {file: site_path(english, language) for language, pages in files.items() for english, file in pages.items()}


def _relinked_page(page: nbformat.NotebookNode, source: Path, page_path: str, links: dict[Path, str]) -> None:
    """Point the links of ``page`` (Markdown cells and Markdown outputs) that lead to a published file at
    that file's page; ``source`` is the file the page is made from."""
    def move(target: str) -> str:
        resolved = Path(posixpath.normpath((source.parent / target).as_posix()))
        return _relative(links[resolved], page_path) if resolved in links else target

    for cell in page.cells:
        if cell.cell_type == "markdown":
            cell.source = relinked(cell.source, move)
        for output in cell.get("outputs", []):
            if "text/markdown" in output.get("data", {}):
                output.data["text/markdown"] = relinked("".join(output.data["text/markdown"]), move)


class _HeadingIds(HTMLParser):
    """The ``id`` of every heading element of an HTML page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        value = dict(attrs).get("id") if re.fullmatch(r"h[1-6]", tag) else None
        if value:
            self.ids.append(value)


def heading_anchors(notebook: Path | nbformat.NotebookNode) -> list[str]:
    """The anchors of a notebook's headings, in order, as its page (and JupyterLab) names them: what a link
    to one of its sections (``nb.ipynb#Anchor``) ends with."""
    if isinstance(notebook, Path):
        notebook = nbformat.read(notebook, as_version=4)
    markdown = nbformat.v4.new_notebook(cells=[c for c in notebook.cells if c.cell_type == "markdown"])
    body, _ = _exporter().from_notebook_node(markdown, resources={"dpdlab": {"switch": []}})
    parser = _HeadingIds()
    parser.feed(body)
    return parser.ids


def document_page(path: Path) -> tuple[nbformat.NotebookNode, str]:
    """A Markdown document as a one-cell notebook for :func:`page_html`, with its title (its first heading)."""
    text = path.read_text(encoding="utf-8")
    title = next((line.lstrip("#").strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)]), title


def _switch(english: Path | None, language: str, page_path: str, files: dict[str, dict[Path, Path]]) -> list[dict]:
    """The links of a page to the same page in each other edition (to that edition's front page where it
    has no such page; ``english`` None: the front page itself)."""
    front = Path("index.html")
    return [{"href": _relative(site_path(english if english in files[other] else front, other), page_path),
             "language": other, "name": name} for other, name in editions() if other != language]


def _write_edition(out: Path, language: str, files: dict[str, dict[Path, Path]], links: dict[Path, str],
                   executed: dict[Path, dict]) -> list[str]:
    """Write one edition's pages and front page; return its pages in the front page's order."""
    root = paths.project_root()
    metadata = dict(course.notebook_metadata())
    entries: dict[str, list] = {"notebooks": [], "documents": [], "datasheets": []}
    for english, file in files[language].items():
        page_path = site_path(english, language)
        if file in metadata:
            page = static_notebook(executed.get(file) or execute(root / file), str(file))
            title = metadata[file].get("title", file.stem)
            entries["notebooks"].append((page_path, metadata[file]))
        else:
            page, title = document_page(root / file)
            entries["datasheets" if english.parent == Path("data") else "documents"].append((page_path, title))
        _relinked_page(page, file, page_path, links)
        home = _relative(site_path(Path("index.html"), language), page_path)
        target = out / page_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html(page, title, language, home, _switch(english, language, page_path, files)),
                          encoding="utf-8")
    index_path = site_path(Path("index.html"), language)
    listed = {kind: [(_relative(href, index_path), item) for href, item in pairs] for kind, pairs in entries.items()}
    (out / index_path).write_text(index_html(listed["notebooks"], language, listed["documents"], listed["datasheets"],
                                             _switch(None, language, index_path, files)), encoding="utf-8")
    return [href for pairs in entries.values() for href, _ in pairs]


def build(out: Path | None = None, executed: dict[Path, dict] | None = None) -> Path:
    """Build the site into ``out`` (default ``build/site``) and return the path of its ``index.html``. The
    English edition is at the top, each translated edition in a folder named by its language (``es/``), and
    every page links to the same page in the other editions.

    ``executed`` may map a student notebook's path (relative to the project root) to an already executed
    copy of it, to save running it again (the tests do this); any other notebook is executed here.
    """
    out = Path(out) if out else default_out()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = {language: published(language) for language, _ in editions()}
    links = site_links(files)
    listing = {}
    for language in files:
        with i18n.in_edition(language):
            listing[language] = _write_edition(out, language, files, links, executed or {})
    (out / "pages.json").write_text(json.dumps(listing, indent=1), encoding="utf-8")
    return out / "index.html"
