"""Student text in pages: what the feedback pages and the Formgrader's submission view show of a submission.

A submission is hostile HTML as much as it is code. Its markdown answers may hold raw HTML, and its code
can emit any output (``display(HTML(...))``, SVG with script, JavaScript, widget views). nbconvert puts
both into the page as they are, so without this module a ``<script>`` in a written answer runs in the
Formgrader with the instructor's session. Three layers make it inert, for every nbconvert
``HTMLExporter`` built from the nbgrader configuration (``dpdlab.grading.config`` wires them in):

- :class:`SanitizedMarkdown`, the ``markdown2html`` filter: nbconvert's own rendering, then
  :func:`clean_html` (Ammonia, through ``nh3``). Markdown cells, text/markdown outputs and the
  instructor's comments all pass through it.
- :class:`SanitizeStudentContent`, a preprocessor: cleans raw cells and code outputs (:func:`clean_output`),
  shows every chart (an ``image/svg+xml`` output: :class:`dpdlab.export.ChartsToSVG` draws the course's
  charts from their specs just before) as an ``<img>`` with its text alternative (:func:`chart_figure`),
  and drops the notebook's widget state.
- :func:`with_policy`, through the page template ``templates/dpdlab_page.html.j2``: a
  Content-Security-Policy in the page itself. Feedback pages run no script at all; the Formgrader's page
  runs nbgrader's own scripts alone (a nonce per page), so an injected script stays blocked even if the
  sanitiser missed it.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import html
import re
import secrets
from pathlib import Path
from urllib.parse import unquote

import markupsafe
import nbformat
import nh3
from bs4 import BeautifulSoup
from jinja2 import pass_context
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor
from nbconvert.utils.base import NbConvertBase
from pygments.token import STANDARD_TYPES
from traitlets import Bool

MESSAGES = {
    "dropped_output": "[Output not shown: {mimetypes} could run code in this page. Open the live notebook "
                      "in JupyterLab to see it.]",
    "chart_without_text": "Chart without a text description.",
}

# The page template: nbgrader's own page (feedback or Formgrader), with the policy added (see with_policy).
PAGE_TEMPLATE = Path(__file__).resolve().parent / "templates" / "dpdlab_page.html.j2"

CHART = "image/svg+xml"
# Kept as they are: the template escapes text, and writes images as data: URIs of the base64 data.
INERT_OUTPUTS = {"text/plain", "image/png", "image/jpeg"}
# Charts made by dpdlab.charts say "Chart: <title>. <description>" in text/plain (charts.MESSAGES["alt_text"]).
CHART_TEXT = re.compile(r"Chart: (?P<title>.+?)\. (?P<description>.+)", re.S)

# -- the HTML policy ---------------------------------------------------------------------------------------
# Ammonia's default tags (text formatting, tables, lists, figures, images, links) without image maps, whose
# areas are links of their own; no script, style, iframe, object, embed, form, input, meta, base, link, svg.
TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area"}
ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"lang", "title"},
    # the ids nbconvert gives headings (prefixed, see ID_PREFIX), and markdown's table alignment (a style
    # attribute that keeps text-align alone)
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "th": nh3.ALLOWED_ATTRIBUTES["th"] | {"style"},
    "td": nh3.ALLOWED_ATTRIBUTES["td"] | {"style"},
}
# Classes that style code and tables; any other class could borrow the page's own look (a fake navigation
# bar, a hidden or fixed block), so it is dropped.
CLASSES = {"span": {name for name in STANDARD_TYPES.values() if name}, "div": {"highlight"},
           "table": {"dataframe"}}
STYLE_PROPERTIES = {"text-align"}
LINK_SCHEMES = ("http:", "https:", "mailto:")  # relative links could open a student's own file as a page
RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.I)
# Prefix of every id the student's HTML keeps, so it cannot take the name of one of the page's own
# elements (the Formgrader finds its score inputs by id) or of a global of its scripts.
ID_PREFIX = "user-content-"
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _compact(url: str) -> str:
    """``url`` as a browser reads its scheme: without spaces, tabs, newlines and control characters."""
    return _INVISIBLE.sub("", url).lower()


def _relative_path(url: str) -> bool:
    """Whether ``url`` is a plain relative path below the page's folder (a file beside the notebook)."""
    compact = unquote(_compact(url))  # a browser reads %2e%2e as ..
    return bool(compact) and ":" not in compact.split("/", 1)[0] and not compact.startswith(("/", "\\")) \
        and ".." not in re.split(r"[/\\]", compact)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Which URLs survive: links to http(s) and mailto addresses (they open in a new tab), images as raster
    data: URIs or files beside the notebook. ``None`` drops the attribute."""
    if attribute == "href":
        return value if _compact(value).startswith(LINK_SCHEMES) else None
    if attribute == "src":
        return value if RASTER_DATA.fullmatch(value.strip()) or _relative_path(value) else None
    return value


_CLEANER = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, attribute_filter=_filter_attribute,
                       url_schemes={"http", "https", "mailto", "data"}, allowed_classes=CLASSES,
                       filter_style_properties=STYLE_PROPERTIES, link_rel="noopener noreferrer",
                       set_tag_attribute_values={"a": {"target": "_blank"}}, id_prefix=ID_PREFIX,
                       strip_comments=True)


def clean_html(fragment: str) -> str:
    """``fragment`` (untrusted HTML) reduced to inert formatting: no script, no event handler, no active
    URL, no element that loads, embeds, submits or restyles anything (Ammonia, through nh3)."""
    return _CLEANER.clean(_text(fragment))


def _text(value) -> str:
    """An nbformat string field (a string, or a list of lines) as one string."""
    return "".join(value) if isinstance(value, list) else str(value or "")


# -- outputs -----------------------------------------------------------------------------------------------
def chart_figure(svg: str, text: str) -> str:
    """A chart as an image: the SVG loaded through ``<img>`` (where it cannot run script), ``text`` as its
    alternative text, and the chart's description as a visible caption."""
    alternative = text.strip() or MESSAGES["chart_without_text"]
    match = CHART_TEXT.fullmatch(alternative)
    caption = match.group("description") if match else alternative
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<figure class="dpdlab-chart-image" style="margin:0">'
            f'<img src="data:{CHART};base64,{encoded}" alt="{html.escape(alternative, quote=True)}" '
            f'style="max-width:100%">'
            f'<figcaption>{html.escape(caption)}</figcaption></figure>')


def _image_metadata(metadata: dict) -> dict:
    """The display metadata nbconvert's templates write into an ``<img>`` tag, checked: sizes as numbers
    (the template writes them unquoted), the alternative text as a string; file names and the rest dropped."""
    kept = {}
    for key in ("width", "height"):
        value = metadata.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            kept[key] = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            kept[key] = int(value)
    if isinstance(metadata.get("alt"), str):
        kept["alt"] = metadata["alt"]
    if metadata.get("unconfined") is True:
        kept["unconfined"] = True
    return kept


def clean_bundle(data: dict) -> dict:
    """A mimebundle with only what a page may show: text and raster images as they are, HTML and markdown
    cleaned (markdown becomes HTML), a chart as an image; everything else (JavaScript, widget views, and
    any type not named here) dropped, with a line saying so when nothing else is left."""
    if CHART in data:
        text = _text(data.get("text/plain"))
        return {"text/html": chart_figure(_text(data[CHART]), text), CHART: _text(data[CHART]), "text/plain": text}
    kept = {mime: value for mime, value in data.items() if mime in INERT_OUTPUTS}
    if "text/html" in data:
        kept["text/html"] = clean_html(data["text/html"])
    elif "text/markdown" in data:
        kept["text/html"] = clean_html(markdown2html_mistune(_text(data["text/markdown"])))
    dropped = sorted(set(data) - set(kept) - {"text/html", "text/markdown"})
    if dropped and not kept:
        kept["text/plain"] = MESSAGES["dropped_output"].format(mimetypes=", ".join(dropped))
    return kept


def clean_output(output: dict) -> dict:
    """One code cell output fit for a page (stream and error text is escaped by the template itself)."""
    if "data" not in output:
        return output
    output["data"] = clean_bundle(dict(output["data"]))
    metadata = output.get("metadata", {})
    output["metadata"] = {mime: _image_metadata(metadata[mime]) for mime in ("image/png", "image/jpeg")
                          if mime in output["data"] and isinstance(metadata.get(mime), dict)}
    return output


# Per-submission values nbgrader's Formgrader template writes into its page without escaping them.
FORMGRADER_NAMES = ("student", "first_name", "last_name", "notebook_path")


class SanitizeStudentContent(Preprocessor):
    """Make a notebook's raw cells and code outputs inert before a page is made of it (markdown cells are
    cleaned at render time by :class:`SanitizedMarkdown`). Running it again changes nothing."""

    enabled = Bool(True, help="Clean student content in HTML pages (False: nbgrader's default, live HTML)."
                   ).tag(config=True)

    def preprocess(self, nb, resources):
        if not self.enabled:
            return nb, resources
        # a widget state makes nbconvert's templates load a widget manager from a CDN
        nb.metadata.pop("widgets", None)
        for key in FORMGRADER_NAMES:
            if isinstance(resources.get(key), str):
                resources[key] = markupsafe.escape(resources[key])  # a Markup is not escaped twice
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "raw":
            cell.source = clean_html(cell.source)
        elif cell.cell_type == "code":
            cell.outputs = [clean_output(output) for output in cell.get("outputs", [])]
            if not isinstance(cell.get("execution_count"), int):
                cell.execution_count = None
        return cell, resources


@pass_context  # Jinja hands the template context (the cell, with its attachments) to the filter's call
class SanitizedMarkdown(NbConvertBase):
    """The ``markdown2html`` filter of a page: the exporter's own markdown rendering, then :func:`clean_html`."""

    enabled = Bool(True, help="Clean the HTML rendered from markdown (False: nbgrader's default, live HTML)."
                   ).tag(config=True)

    def __call__(self, context, source: str) -> str:
        exporter = self.parent
        if hasattr(exporter, "markdown2html"):
            rendered = exporter.markdown2html(context, source)
        else:  # not an HTMLExporter: nbconvert's plain rendering
            rendered = markdown2html_mistune(source)
        return clean_html(rendered) if self.enabled else rendered


# -- the page's Content-Security-Policy --------------------------------------------------------------------
# Feedback pages need no script at all; styles are inline (nbconvert's and bootstrap's), images data: URIs
# (charts, plots) or files beside the page.
FEEDBACK_POLICY = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                   "font-src data:; base-uri 'none'; form-action 'none'")
# The Formgrader's page loads its scripts, styles and fonts from the server, has inline scripts with this
# submission's ids, two inline onclick handlers, and talks to the server's API. MathJax, which nbgrader
# would load from a CDN, is not allowed: the server's own script files and inline scripts alone.
FORMGRADER_POLICY = ("default-src 'none'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
                     "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                     "form-action 'none'")
# nbgrader's formgrade.js expects the MathJax object the CDN would have made; without it the page stops
# before its keyboard shortcuts are set up. Math then shows as its TeX source.
MATHJAX_STAND_IN = "window.MathJax = window.MathJax || {Hub: {Startup: {signal: {Interest: function () {}}}}};"


def frame_notebook(nb) -> nbformat.NotebookNode:
    """An empty notebook: the page nbgrader's template makes of it is the page's frame alone."""
    return nbformat.v4.new_notebook()


def frame_resources(resources):
    """``resources`` without the student's names and paths, for rendering the page's frame."""
    neutral = copy.copy(resources)
    for key in FORMGRADER_NAMES:
        if key in neutral:
            neutral[key] = ""
    return neutral


def _script_key(script) -> tuple:
    return script.get("src"), script.get("type"), script.string or ""


def _from_server(script) -> bool:
    """An inline script, or a script file from the server itself (a path, no scheme or host)."""
    src = script.get("src")
    return src is None or (src.startswith("/") and not src.startswith("//"))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _add_policy(soup: BeautifulSoup, policy: str) -> None:
    """Put a Content-Security-Policy meta element at the start of the page's head (after its charset)."""
    meta = soup.new_tag("meta", attrs={"http-equiv": "Content-Security-Policy", "content": policy})
    head = soup.head
    if head is None:  # a meta element before any content starts the head the parser implies
        soup.insert(0, meta)
        return
    first = head.find(True)
    if first is not None and first.name == "meta" and first.has_attr("charset"):
        first.insert_after(meta)
    else:
        head.insert(0, meta)


def with_policy(page: str, frame: str, resources) -> str:
    """``page`` with a Content-Security-Policy that allows nbgrader's own scripts alone: those of ``frame``
    (the same page rendered without the notebook's cells and the student's names). In the Formgrader
    (``resources`` of a submission) the ones from the server itself get a nonce made for this page and its
    inline handlers their hashes; a feedback page allows no script. nbgrader's scripts the policy would
    block (MathJax from a CDN; on a feedback page, all) are taken out of the page."""
    soup = BeautifulSoup(page, "html.parser")
    framing = BeautifulSoup(frame, "html.parser")
    formgrader = "submission_id" in resources
    own = {_script_key(s): formgrader and _from_server(s) for s in framing.find_all("script")}
    nonce = secrets.token_urlsafe(18)
    for script in [s for s in soup.find_all("script") if _script_key(s) in own]:
        if own[_script_key(script)]:
            script["nonce"] = nonce
        else:
            script.decompose()
    if not formgrader:
        _add_policy(soup, FEEDBACK_POLICY)
        return str(soup)
    stand_in = soup.new_tag("script", attrs={"nonce": nonce})
    stand_in.string = MATHJAX_STAND_IN
    (soup.head or soup).append(stand_in)
    handlers = sorted({value for tag in framing.find_all(True) for name, value in tag.attrs.items()
                       if name.startswith("on") and isinstance(value, str)})
    sources = [f"'nonce-{nonce}'", *(["'unsafe-hashes'", *map(_sha256, handlers)] if handlers else [])]
    _add_policy(soup, FORMGRADER_POLICY.format(scripts=" ".join(sources)))
    return str(soup)


# The filters the page template uses (c.HTMLExporter.filters).
FILTERS = {
    "markdown2html": SanitizedMarkdown,
    "dpdlab_frame_notebook": frame_notebook,
    "dpdlab_frame_resources": frame_resources,
    "dpdlab_with_policy": with_policy,
}
