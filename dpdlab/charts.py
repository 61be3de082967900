"""Charts that render offline everywhere: JupyterLab, nbconvert HTML, nbgrader feedback, the website.

:func:`enable` registers and turns on the ``dpdlab`` Altair renderer. It converts each chart to a static
SVG in the kernel with ``vl-convert`` (no CDN, no JavaScript, no front-end extension), and adds the
chart's title and text description as the plain-text alternative. Altair 6's ``mimetype`` renderer is
avoided on purpose: JupyterLab 4 does not know Vega-Lite 6 and papermill rejects its output.

:func:`described` is how course code makes a chart: every chart gets a title and a description, and the
theme uses the Okabe–Ito palette, which stays distinguishable under the common colour-vision deficiencies.
"""
from __future__ import annotations

import itertools
import re
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
    prefix = f"dpd{next(_svg_counter)}-"
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


def _render(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    return {"image/svg+xml": to_svg(spec), "text/plain": alt_text(spec)}


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


def described(chart: alt.TopLevelMixin, title: str, description: str,
              subtitle: str | None = None) -> alt.TopLevelMixin:
    """Give ``chart`` a title (with optional subtitle) and a text description, and return it.

    The description is what a screen reader reads and what the text-only view shows: say what the chart
    shows and its main message in one or two sentences.
    """
    if not title.strip() or not description.strip():
        raise ValueError("A course chart needs both a title and a description")
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
