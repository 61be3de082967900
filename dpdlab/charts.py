"""Charts that render offline everywhere: JupyterLab, nbconvert HTML, nbgrader feedback, the website.

:func:`enable` registers and turns on the ``dpdlab`` Altair renderer. It converts each chart to a static
SVG in the kernel with ``vl-convert`` (no CDN, no JavaScript, no front-end extension), and adds the
chart's title and text description as the plain-text alternative. The same SVG also goes out inline in a
``text/html`` figure with ``role="img"`` and that text as its ``aria-label``: JupyterLab draws a bare SVG
output as an ``<img>`` without alternative text, which a screen reader cannot read, and prefers the HTML
version when there is one (so do nbconvert, nbgrader's feedback and the course website). Altair 6's ``mimetype`` renderer is
avoided on purpose: JupyterLab 4 does not know Vega-Lite 6 and papermill rejects its output.

:func:`described` is how course code makes a chart: every chart gets a title and a description, and the
theme uses the Okabe–Ito palette, which stays distinguishable under the common colour-vision deficiencies.
"""
from __future__ import annotations

import html
import itertools
import re
import secrets
import threading
from typing import Any

import altair as alt

RENDERER = "dpdlab"
THEME = "dpdlab"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with protan, deutan and tritan vision.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Colours with a fixed meaning across the course.
SIMULATED_NOTE = "simulated data"
MESSAGES = {
    "no_description": "Chart without a description. Add one with dpdlab.described(chart, title, description).",
    "alt_text": "Chart: {title}. {description}",
}

_svg_counter = itertools.count(1)
# Inline SVGs of several notebooks (several kernels) can share one JupyterLab page: ids must differ across
# kernels too, not only within one.
_SVG_PREFIX = f"dpd{secrets.token_hex(3)}"


def _vl_convert_version() -> str:
    from altair.utils.mimebundle import vl_version_for_vl_convert

    return vl_version_for_vl_convert()


def _title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    return str(title)


def alt_text(spec: dict[str, Any]) -> str:
    """The text alternative of a chart spec: its title and description."""
    description = spec.get("description") or MESSAGES["no_description"]
    return MESSAGES["alt_text"].format(title=_title_text(spec) or "untitled", description=description)


def _unique_ids(svg: str) -> str:
    """Prefix the SVG's element ids, so several charts inlined in one HTML page cannot clash."""
    prefix = f"{_SVG_PREFIX}-{next(_svg_counter)}-"
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{old}"', f'id="{prefix}{old}"')
        svg = svg.replace(f"url(#{old})", f"url(#{prefix}{old})")
        svg = svg.replace(f'href="#{old}"', f'href="#{prefix}{old}"')
    return svg


def to_svg(chart_or_spec: alt.TopLevelMixin | dict[str, Any]) -> str:
    """Render a chart (or its Vega-Lite dict) to a standalone SVG string, offline."""
    import vl_convert

    spec = chart_or_spec if isinstance(chart_or_spec, dict) else chart_or_spec.to_dict()
    svg = vl_convert.vegalite_to_svg(spec, vl_version=_vl_convert_version())
    description = spec.get("description")
    if description and "<desc>" not in svg:
        # Screen readers read <title>/<desc>; vl-convert puts the description only in aria-label.
        safe = description.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        svg = re.sub(r"(<svg[^>]*>)", rf"\1<desc>{safe}</desc>", svg, count=1)
    return _unique_ids(svg)


# Colours a chart may use besides the palette: greys (axes, grid, text, annotations) and no colour at all.
_NEUTRAL = {"none", "transparent", "white", "black", "currentcolor"}
_COLOUR_ATTRIBUTE = re.compile(r'\b(?:fill|stroke|stop-color|color)="([^"]+)"')


def _is_grey(colour: str) -> bool:
    value = colour.lower().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return len(value) == 6 and value[0:2] == value[2:4] == value[4:6]


def off_palette_colours(svg: str) -> set[str]:
    """Colours in a chart's SVG that are neither in :data:`PALETTE` nor neutral (greys, white, none)."""
    palette = {c.lower() for c in PALETTE}
    found = {c.strip() for c in _COLOUR_ATTRIBUTE.findall(svg)}
    return {c for c in found if c.lower() not in palette and c.lower() not in _NEUTRAL and not _is_grey(c)}


def accessibility_problems(data: dict[str, Any]) -> list[str]:
    """What keeps a chart output (a mimebundle with ``image/svg+xml``) from being accessible: a missing
    title or text description, no ``<desc>`` in the SVG, or colours outside the colour-blind-safe palette.
    Empty when all is well."""
    svg = data.get("image/svg+xml", "")
    svg = "".join(svg) if isinstance(svg, list) else svg
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    problems = []
    match = re.fullmatch(r"Chart: (.+?)\. (.+)", text.strip(), re.S)
    if not match or match.group(1) == "untitled":
        problems.append(f"no title in the text alternative {text[:80]!r}")
    if not match or MESSAGES["no_description"] in text:
        problems.append(f"no text description in {text[:80]!r}")
    desc = re.search(r"<desc>(.*?)</desc>", svg, re.S)
    if not desc or not desc.group(1).strip():
        problems.append("the SVG has no <desc> for screen readers")
    page = data.get("text/html")
    if page is not None:
        page = "".join(page) if isinstance(page, list) else page
        if 'role="img"' not in page or f'aria-label="{html.escape(text.strip(), quote=True)}"' not in page:
            problems.append("the HTML figure lacks role=img or the text alternative as its aria-label")
    colours = off_palette_colours(svg)
    if colours:
        problems.append(f"colours outside the colour-blind-safe palette: {sorted(colours)}")
    return problems


def figure_html(svg: str, alternative: str) -> str:
    """The chart as inline HTML: the SVG in a figure that screen readers announce as one image."""
    label = html.escape(alternative, quote=True)
    return f'<figure class="dpdlab-chart" role="img" aria-label="{label}" style="margin:0">{svg}</figure>'


def _render(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    svg, text = to_svg(spec), alt_text(spec)
    return {"text/html": figure_html(svg, text), "image/svg+xml": svg, "text/plain": text}


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 280},
            "range": {"category": list(PALETTE)},
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#444"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
            "mark": {"color": PALETTE[0]},
        }
    }


_warmed_up = threading.Event()


def _warm_up() -> None:
    """Start vl-convert's JavaScript engine (about half a second) before the first chart needs it."""
    try:
        to_svg({"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}})
    except Exception:  # pragma: no cover - the first real chart will report any problem itself
        pass


def enable() -> None:
    """Register and enable the offline SVG renderer and the course theme (idempotent).

    Also warms up the SVG converter in a background thread, while the student reads the first cells.
    """
    if not _warmed_up.is_set():
        _warmed_up.set()
        threading.Thread(target=_warm_up, name="dpdlab-svg-warm-up", daemon=True).start()
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(_theme)
    alt.theme.enable(THEME)


_SIMULATED_WORD = re.compile(r"\s*\(simulated\)|\bsimulated\s+|\bSIMULATED\s+|\bSimulated\s+")


def _without_simulated(text: str) -> str:
    """``text`` without the word "simulated" (a view of real data), its first letter kept upper case."""
    stripped = _SIMULATED_WORD.sub("", text)
    return stripped[:1].upper() + stripped[1:] if text[:1].isupper() else stripped


def described(chart: alt.TopLevelMixin, title: str, description: str,
              subtitle: str | None = None, data: Any = None) -> alt.TopLevelMixin:
    """Give ``chart`` a title (with optional subtitle) and a text description, and return it.

    The description is what a screen reader reads and what the text-only view shows: say what the chart
    shows and its main message in one or two sentences. ``data``, the table a view of the course's simulated
    data was drawn from: when it is known to be real (:func:`dpdlab.data.is_known_real`, a user's own file),
    the title and description drop the word "simulated" and the subtitle names the data's source instead.
    """
    if not title.strip() or not description.strip():
        raise ValueError("A course chart needs both a title and a description")
    if data is not None:
        from dpdlab.data import is_known_real, provenance  # late: the data layer's schemas import this module

        if is_known_real(data):
            title, description = _without_simulated(title), _without_simulated(description)
            subtitle = provenance(data) or None
    heading: Any = alt.Title(title, subtitle=subtitle) if subtitle else title
    return chart.properties(title=heading, description=description)


def with_data(template: alt.TopLevelMixin, data: Any) -> alt.TopLevelMixin:
    """A copy of ``template`` (a chart built once, without data) drawing ``data``.

    Building Altair encodings costs tens of milliseconds; a widget's view function can build its chart
    once (for example under ``functools.cache``) and give each call its own data this way, in well under
    a millisecond. The template itself is not changed.
    """
    chart = template.copy(deep=False)
    chart.data = data
    return chart
