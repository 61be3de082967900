"""Charts that render offline everywhere: JupyterLab, nbconvert HTML, nbgrader feedback, the website.

:func:`enable` registers and turns on the ``dpdlab`` Altair renderer. The kernel draws nothing: a chart's
output is its Vega-Lite spec (:data:`~dpdlab.svg.MIMETYPE`), its text alternative (title and description)
and a :class:`~dpdlab.chartwidget.ChartWidget` view, which JupyterLab draws in the browser with the Vega
libraries that ship inside this package (no CDN). Out of the kernel, :mod:`dpdlab.svg` draws the same spec
as static SVG where a page needs one (the website, nbconvert's HTML, feedback and the Formgrader; see
:mod:`dpdlab.export`). Altair 6's ``mimetype`` renderer alone is not enough: JupyterLab 4 does not know
Vega-Lite 6.

:func:`described` is how course code makes a chart: every chart gets a title and a description, and the
theme uses the Okabe–Ito palette, which stays distinguishable under the common colour-vision deficiencies.
"""
from __future__ import annotations

import html
import os
import re
from typing import Any

import altair as alt

from dpdlab import i18n
from dpdlab import svg as _svg

RENDERER = "dpdlab"
THEME = "dpdlab"
TRANSFORMER = "dpdlab"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with protan, deutan and tritan vision.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TEXT_COLOUR = "#222222"  # titles, axis and legend text (contrast 15.9:1 on white)
# Colours with a fixed meaning across the course.
SIMULATED_NOTE = "simulated data"
MESSAGES = _svg.MESSAGES
alt_text = _svg.alt_text
figure_html = _svg.figure_html


def to_svg(chart_or_spec: alt.TopLevelMixin | dict[str, Any]) -> str:
    """Render a chart (or its Vega-Lite dict) to a standalone SVG string, offline, in this process (with
    vl-convert: for pages and tests, never needed in a notebook's kernel)."""
    spec = chart_or_spec if isinstance(chart_or_spec, dict) else chart_or_spec.to_dict()
    return _svg.to_svg(spec)


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
    """What keeps a chart output (a mimebundle with ``image/svg+xml``, or with the chart's Vega-Lite spec,
    which is then drawn here) from being accessible: a missing title or text description, no ``<title>`` or
    ``<desc>`` in the SVG, or colours outside the colour-blind-safe palette. Empty when all is well."""
    if "image/svg+xml" not in data and _svg.MIMETYPE in data:
        data = {**data, "image/svg+xml": _svg.to_svg(data[_svg.MIMETYPE])}
    svg = data.get("image/svg+xml", "")
    svg = "".join(svg) if isinstance(svg, list) else svg
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    problems = []
    before, _, rest = _svg.MESSAGES["alt_text"].partition("{title}")
    between = rest.partition("{description}")[0]  # the text alternative's form, in the kernel's edition
    match = re.fullmatch(f"{re.escape(before)}(.+?){re.escape(between)}(.+)", text.strip(), re.S)
    if not match or match.group(1) == _svg.MESSAGES["untitled"]:
        problems.append(f"no title in the text alternative {text[:80]!r}")
    if not match or MESSAGES["no_description"] in text:
        problems.append(f"no text description in {text[:80]!r}")
    desc = re.search(r"<desc>(.*?)</desc>", svg, re.S)
    if not desc or not desc.group(1).strip():
        problems.append("the SVG has no <desc> for screen readers")
    svg_title = re.search(r"<title>(.*?)</title>", svg, re.S)
    if not svg_title or not svg_title.group(1).strip():
        problems.append("the SVG has no <title> for screen readers")
    page = data.get("text/html")
    if page is not None:
        page = "".join(page) if isinstance(page, list) else page
        if 'role="img"' not in page or f'aria-label="{html.escape(text.strip(), quote=True)}"' not in page:
            problems.append("the HTML figure lacks role=img or the text alternative as its aria-label")
    colours = off_palette_colours(svg)
    if colours:
        problems.append(f"colours outside the colour-blind-safe palette: {sorted(colours)}")
    return problems


def _render(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    """The renderer: the chart as a widget drawn in the browser, its spec (for static pages made later) and
    its text alternative."""
    from dpdlab.chartwidget import ChartWidget

    bundle, _metadata = ChartWidget(spec)._repr_mimebundle_()
    # the stored spec writes its rows as JSON text: see dpdlab.svg.compact
    return {_svg.WIDGET_VIEW: bundle[_svg.WIDGET_VIEW], _svg.MIMETYPE: _svg.compact(spec), "text/plain": alt_text(spec)}


def _theme() -> alt.theme.ThemeConfig:
    # a translated edition names months and days in its language on time axes (English is Vega's default)
    locale = {"locale": {"time": i18n.time_locale()}} if i18n.edition() != i18n.ENGLISH else {}
    return {
        "config": {
            **locale,
            "view": {"continuousWidth": 560, "continuousHeight": 280},
            "range": {"category": list(PALETTE)},
            # every text in near-black or dark grey on white: contrast 9.7:1 or more (WCAG AA asks 4.5:1)
            "title": {"fontSize": 15, "anchor": "start", "color": TEXT_COLOUR, "subtitleFontSize": 12,
                      "subtitleColor": "#444"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
            "mark": {"color": PALETTE[0]},
        }
    }


def _column_values(column) -> list[Any] | None:
    """A column's values as Altair's ``sanitize_pandas_dataframe`` leaves them, for the plain dtypes the
    course uses; ``None`` for any other dtype (Altair then converts the whole frame itself)."""
    import numpy as np

    kind, name = column.dtype.kind, str(column.dtype)
    if name in ("bool", "object") or (kind in "iu" and name == column.dtype.name.lower()):
        return column.tolist()  # Python bools and ints; objects as they are, as Altair leaves them
    if kind == "f" and name.startswith("float"):
        values = column.to_numpy()
        bad = ~np.isfinite(values)
        return [None if b else v for v, b in zip(values.tolist(), bad.tolist())] if bad.any() else values.tolist()
    if name in ("str", "string", "boolean", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32",
                "UInt64", "Float32", "Float64"):  # nullable dtypes: a missing value is None
        missing = column.isna().to_numpy()
        return [None if m else v for v, m in zip(column.tolist(), missing.tolist())]
    if kind == "M" and getattr(column.dtype, "tz", None) is None:
        values, missing = column.to_numpy(), column.isna().to_numpy()
        whole = values.astype("datetime64[s]")
        if (whole == values).all():  # whole seconds: numpy writes what Timestamp.isoformat() does
            text = np.datetime_as_string(whole, unit="s").tolist()
        else:
            text = [v.isoformat() for v in column.tolist()]
        return ["" if m else t for t, m in zip(text, missing.tolist())]
    return None


def to_values(data: Any) -> dict[str, Any]:
    """Altair's default data transformer (at most 5,000 rows, then ``to_values``) with a quicker path for a
    plain DataFrame: the same values, made column by column in plain Python, in a fraction of the time (a
    widget's data are converted on every move of a control)."""
    import pandas as pd
    from altair.utils.data import limit_rows
    from altair.utils.data import to_values as altair_to_values

    data = limit_rows(data, max_rows=5000)  # raises MaxRowsError as Altair does; may wrap the frame
    native = getattr(data, "to_native", None)
    frame = native() if callable(native) else data
    if (isinstance(frame, pd.DataFrame) and type(frame.columns) is pd.Index and not isinstance(frame.index, pd.MultiIndex)
            and all(isinstance(name, str) for name in frame.columns) and frame.columns.is_unique):
        columns = []
        for name in frame.columns:
            values = _column_values(frame[name])
            if values is None:
                return altair_to_values(data)
            columns.append(values)
        names = list(frame.columns)
        return {"values": [dict(zip(names, row)) for row in zip(*columns)] if names else [{} for _ in range(len(frame))]}
    return altair_to_values(data)


def _transform(data: Any = None) -> Any:
    """The course's data transformer: :func:`to_values` (called without data, the transformer itself)."""
    return to_values if data is None else to_values(data)


def validating() -> bool:
    """Whether charts are checked against Vega-Lite's schema when they are made and shown.

    In the course's tests (which set ``DPDLAB_VALIDATE_CHARTS=1``, and so every chart of every notebook is
    checked there), yes; in a learner's kernel, no: the check costs tens of milliseconds a chart and a slider
    move, and finds nothing the tests have not.
    """
    return os.environ.get("DPDLAB_VALIDATE_CHARTS") == "1"


def _display(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """How IPython shows an Altair chart: as Altair's own display does, with the schema check only where
    :func:`validating`."""
    try:
        spec = chart.to_dict(validate=validating(), context={"pre_transform": False})
    except Exception:  # as Altair does: the traceback in the output, not an error from the display machinery
        alt.utils.display_traceback(in_ipython=True)
        return {}
    return _render(spec)


def enable() -> None:
    """Register and enable the course's renderer (charts drawn in the browser) and theme (idempotent)."""
    # Registering again replaces the same entry. Asking the registries for their names() instead would read
    # the entry points of every installed distribution, three times: 60-150 ms of every notebook's start.
    alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)
    alt.theme.register(THEME, enable=False)(_theme)
    alt.theme.enable(THEME)
    alt.data_transformers.register(TRANSFORMER, _transform)
    alt.data_transformers.enable(TRANSFORMER)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.mimebundle_formatter.for_type(alt.TopLevelMixin, _display)


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
        from dpdlab.data import is_known_real, provenance  # late: a chart without data needs no data layer

        if is_known_real(data):
            title, description = _without_simulated(title), _without_simulated(description)
            subtitle = provenance(data) or None
    heading: Any = alt.Title(title, subtitle=subtitle) if subtitle else title
    if validating():  # what properties() checks
        chart.validate_property("title", heading)
        chart.validate_property("description", description)
    return _shallow_copy(chart, title=heading, description=description)


def _shallow_copy(chart: alt.TopLevelMixin, **changes: Any) -> alt.TopLevelMixin:
    """A copy of ``chart`` with ``changes`` to its top-level properties, sharing everything else with it.

    Altair's own ``copy(deep=False)`` builds the chart anew, and a layered or concatenated chart then
    deep-copies its parts; sharing them is what lets a widget see that two charts differ only in their data,
    title and description (:class:`dpdlab.widgets.ChartSlot`), and costs nothing.
    """
    copy = object.__new__(type(chart))
    object.__setattr__(copy, "_args", chart._args)
    object.__setattr__(copy, "_kwds", {**chart._kwds, **changes})
    return copy


def with_data(template: alt.TopLevelMixin, data: Any) -> alt.TopLevelMixin:
    """A copy of ``template`` (a chart built once, without data) drawing ``data``.

    Building Altair encodings costs tens of milliseconds; a widget's view function can build its chart
    once (for example under ``functools.cache``) and give each call its own data this way, in well under
    a millisecond. The template itself is not changed. A linked widget then sends the browser the new data
    (and title) alone, without turning the whole chart into a spec again (:class:`dpdlab.widgets.ChartSlot`).
    """
    return _shallow_copy(template, data=data)


BOUND_PREFIX = "dpdlab_"  # a chart parameter named dpdlab_<control> follows that control of a linked widget


def bound_parameter(control: str) -> str:
    """The name of the chart parameter that follows the control ``control`` of a linked widget."""
    return f"{BOUND_PREFIX}{control}"


def in_window(template: alt.Chart | alt.LayerChart, field: str, control: str) -> alt.Chart | alt.LayerChart:
    """``template`` (a chart built once, or a layer of such charts) showing only the rows whose temporal
    ``field`` lies in a date window: the parameter of ``control`` (see :func:`with_window`).

    In a widget made by :func:`dpdlab.widgets.linked`, the window follows that control (a range of dates)
    in the browser itself: a move redraws the chart at once, before the kernel's answer (its title and
    figures) arrives. Static pages draw the window the parameter's value holds.
    """
    name, value = bound_parameter(control), f"toDate(datum[{field!r}])"
    return _filtered(template, f"{value} >= toDate({name}[0]) && {value} <= toDate({name}[1])")


def window_scale(control: str, pad_hours: float = 12) -> alt.Scale:
    """A temporal scale whose domain is the date window of ``control`` (see :func:`in_window`), widened by
    ``pad_hours`` on each side so that a day's bar at either edge is drawn whole. The axis then follows every
    move of the control in the browser, onto a day without data too: a scale drawn from the data would not
    change there, and the chart would seem not to answer until the kernel's new title arrived."""
    name, pad = bound_parameter(control), round(pad_hours * 3_600_000)
    return alt.Scale(domain=alt.ExprRef(expr=f"[toDate({name}[0]) - {pad}, toDate({name}[1]) + {pad}]"))


def _filtered(template: alt.TopLevelMixin, test: str) -> alt.TopLevelMixin:
    """``template`` with the filter ``test`` on each of its charts (the parts of a layer or a concatenation,
    which keeps no top-level property of its own)."""
    if isinstance(template, alt.LayerChart):
        return alt.layer(*(_filtered(part, test) for part in template.layer))
    if isinstance(template, alt.HConcatChart):
        return alt.hconcat(*(_filtered(part, test) for part in template.hconcat))
    if isinstance(template, alt.VConcatChart):
        return alt.vconcat(*(_filtered(part, test) for part in template.vconcat))
    return template.transform_filter(test)


def per_choice(template: alt.TopLevelMixin, control: str) -> alt.TopLevelMixin:
    """``template`` showing only the rows made for the current choice of the menu ``control``: the data hold
    rows for every choice (:func:`choices`), and the browser shows another choice's at once when the menu
    changes, before the kernel's answer arrives."""
    name = bound_parameter(control)
    return _filtered(template, f"datum[{name!r}] == {name}")


def choices(rows: dict[Any, list[dict]], control: str) -> Any:
    """One table of the rows to draw for each choice of the menu ``control`` (``{choice: [row, ...]}``), each
    row marked with its choice (for :func:`per_choice`)."""
    import pandas as pd

    name = bound_parameter(control)
    return pd.DataFrame([{**row, name: bound_value(choice)} for choice, some in rows.items() for row in some])


def following(chart: alt.TopLevelMixin, **values: Any) -> alt.TopLevelMixin:
    """A copy of ``chart`` with a parameter for each control named in ``values``, holding its value.

    The chart's expressions read the parameter (``dpdlab_<control>``, see :func:`bound_parameter`); in a
    widget made by :func:`dpdlab.widgets.linked` it follows the control in the browser itself, so a move
    redraws the chart at once, before the kernel's answer (its title and figures) arrives.
    """
    params = [alt.param(name=bound_parameter(control), value=bound_value(value)).param
              for control, value in values.items()]
    return _shallow_copy(chart, params=params)


def with_window(chart: alt.TopLevelMixin, control: str, start: Any, end: Any) -> alt.TopLevelMixin:
    """A copy of ``chart`` (made with :func:`in_window`) whose window runs from ``start`` to ``end``."""
    return following(chart, **{control: [start, end]})


def bound_value(value: Any) -> Any:
    """A control's value as a chart parameter holds it (dates as ISO text)."""
    import numpy as np
    import pandas as pd

    if isinstance(value, (list, tuple)):
        return [bound_value(v) for v in value]
    if hasattr(value, "isoformat") or isinstance(value, np.datetime64):  # a date, a datetime, a Timestamp
        return pd.Timestamp(value).isoformat()
    return value
