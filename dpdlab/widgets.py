"""Widget plumbing: controls wired to a plain *view function*.

A view function takes the controls' values as keyword arguments and returns something displayable —
usually a :class:`View` (a chart, a line of text and a small table of figures). It knows nothing about
widgets, so it is unit-tested and benchmarked without a browser; :func:`linked` only wires it to the
controls. The view is drawn once when the widget is built, so a notebook run headless (papermill,
nbgrader) still shows it.

A view's chart is drawn in the browser by one :class:`~dpdlab.chartwidget.ChartWidget` per widget, kept for the
widget's life: on each change of the controls it receives the new chart and updates the drawn one in place
(new data and title, same view) instead of the kernel drawing a new picture. The output area shows that
chart's view, then the view's note and table.

The output area is filled by setting the ``Output`` widget's ``outputs`` from the kernel, not by capturing
with ``with output:``. Capturing makes headless runners (nbclient, used by papermill and nbgrader) echo
messages back on the kernel's shell channel while they wait for the cell's reply on it, which can stall
the run until a timeout (nbclient#312).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets
from IPython.core.formatters import format_display_data
from IPython.display import Markdown, display

from dpdlab.charts import validating
from dpdlab.chartwidget import ChartWidget, chart_widget
from dpdlab.svg import WIDGET_VIEW
from dpdlab.i18n import messages

MESSAGES = messages(__name__, {
    "error": "This view could not be drawn: {error}",
    # the accessible names of a range slider's two handles ({label} is the slider's visible label)
    "lower_end": "{label}, lower end",
    "upper_end": "{label}, upper end",
})
STATIC = Path(__file__).resolve().parent / "static"


class ControlNames(anywidget.AnyWidget):
    """Hidden, at the end of a linked widget's output area: in the browser it gives each control of the
    widget with no accessible name of its own (a slider's handle, above all) its visible label as its name
    (``static/names.js``). ipywidgets' ``description`` is shown as a label but does not name a slider for
    screen readers. It rides in the output area, which is redrawn with every change, so that the box keeps
    its children: the rows of controls, then the output area."""

    _esm = STATIC / "names.js"
    lower_end = traitlets.Unicode().tag(sync=True)
    upper_end = traitlets.Unicode().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        # the names in the kernel's edition, which is known only once the notebook's set-up has run
        super().__init__(lower_end=MESSAGES["lower_end"], upper_end=MESSAGES["upper_end"], **kwargs)


_NAMES: list[ControlNames] = []


def control_names() -> ControlNames:
    """The kernel's one :class:`ControlNames` (each linked widget shows a view of it): one model to set up
    in the browser, however many widgets a notebook has (anywidget gives a model two seconds to load)."""
    if not _NAMES or _NAMES[0].comm is None:  # none yet, or closed
        _NAMES[:] = [ControlNames()]
    return _NAMES[0]


@dataclass
class View:
    """What a widget shows: a chart, a table of figures, and a line of text (each optional)."""

    chart: Any = None
    figures: pd.DataFrame | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def parts(self) -> list[Any]:
        """The displayable parts, in the order they are shown."""
        parts: list[Any] = [self.chart] if self.chart is not None else []
        if self.note:
            parts.append(Markdown(self.note))
        if self.figures is not None:
            parts.append(self.figures)
        return parts

    def _ipython_display_(self) -> None:
        for part in self.parts():
            display(part)


def _is_chart(part: Any) -> bool:
    import altair as alt

    return isinstance(part, alt.TopLevelMixin)


# What a chart made by dpdlab.charts.with_data, with_window and described may change without changing its
# structure (of its parameters, only their values).
CONTENT = ("data", "title", "description", "params")


class ChartSlot:
    """Where one linked widget draws its charts: one :class:`~dpdlab.chartwidget.ChartWidget`, made at the
    first chart, that every later chart updates in place.

    A chart that shares every part but its data, title, description and parameters' values with the chart
    before it (one made from the same template by :func:`~dpdlab.charts.with_data`) is not turned into a
    spec again: only its data are, and the widget gets them with the new title, description and values. Any
    other chart is sent whole. A parameter named for one of ``controls`` (:func:`~dpdlab.charts.following`)
    is bound to that control, for the browser to follow it at once.
    """

    def __init__(self, controls: dict[str, w.ValueWidget] | None = None) -> None:
        self.widget: ChartWidget | None = None
        self._controls = controls or {}  # a chart parameter named for one of them follows it in the browser
        self._last: Any = None  # the chart drawn last, and the name of its top-level dataset
        self._data_name: str | None = None

    def output(self, chart: Any) -> dict[str, Any]:
        """An output dict that shows ``chart`` (an Altair chart) through this slot's widget."""
        if not self._update_content(chart):
            # the schema check (where charts are checked at all) runs on the first chart only
            spec = chart.to_dict(validate=self.widget is None and validating())
            if self.widget is None:
                self.widget = ChartWidget(spec, bindings=self._bindings(spec))
            else:
                self.widget.show(spec)
                self.widget.bindings = self._bindings(spec)
            self._data_name = self.widget.spec.get("data", {}).get("name") if isinstance(chart.data, pd.DataFrame) else None
        self._last = chart
        data, metadata = self.widget._repr_mimebundle_()
        return {"output_type": "display_data", "data": {**data, "text/plain": self.widget.alt}, "metadata": metadata}

    def _bindings(self, spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The chart's parameters that follow a control, with the control's model (and, for a selection
        control, its options' values: the browser knows a selection by its index)."""
        from dpdlab.charts import bound_parameter, bound_value

        names = {p.get("name") for p in spec.get("params", []) if isinstance(p, dict)}
        found = {}
        for control_name, control in self._controls.items():
            name = bound_parameter(control_name)
            if name in names:
                options = getattr(control, "_options_values", None)
                found[name] = {"model": f"IPY_MODEL_{control.model_id}",
                               "values": bound_value(list(options)) if options is not None else None}
        return found

    def _update_content(self, chart: Any) -> bool:
        """Send only ``chart``'s data, title, description and parameters' values, if that is all that differs
        from the last chart; ``False`` when the chart must be sent whole."""
        last = self._last
        if (last is None or type(chart) is not type(last) or chart._args or self._data_name is None
                or not isinstance(chart.data, pd.DataFrame) or chart._kwds.keys() != last._kwds.keys()
                or any(chart._kwds[k] is not last._kwds[k] for k in chart._kwds if k not in CONTENT)):
            return False
        title = _title_parts(chart._kwds.get("title"))
        if title is None or title[2] != _title_parts(last._kwds.get("title"))[2]:
            return False
        signals = _parameter_values(chart._kwds.get("params"))
        if signals is None or signals.keys() != (_parameter_values(last._kwds.get("params")) or {}).keys():
            return False
        import altair as alt

        values = alt.data_transformers.get()(chart.data)["values"]  # what to_dict would make of the data
        text, subtitle, _ = title
        description = chart._kwds.get("description")
        self.widget.show_content({**self.widget.datasets, self._data_name: values}, text, subtitle,
                                 description if isinstance(description, str) else "", signals)
        return True


def _parameter_values(params: Any) -> dict[str, Any] | None:
    """A chart's variable parameters' values by name (``{}``: none); ``None`` if one is not plain."""
    import altair as alt

    if params is alt.Undefined:
        return {}
    found = {}
    for param in params if isinstance(params, list) else [None]:
        parts = param.to_dict(validate=False) if hasattr(param, "to_dict") else None
        if not isinstance(parts, dict) or set(parts) != {"name", "value"}:
            return None
        found[parts["name"]] = parts["value"]
    return found


def _title_parts(title: Any) -> tuple[str, str, str] | None:
    """A chart's title as (text, subtitle, its shape: whether it has a subtitle, and its other properties);
    ``None`` if it is not plain text."""
    import json

    import altair as alt

    if isinstance(title, str):
        return title, "", "text"
    if title is alt.Undefined:
        return "", "", "none"
    if not isinstance(title, alt.Title):
        return None
    parts = title.to_dict(validate=False)
    text, subtitle = parts.pop("text", ""), parts.pop("subtitle", None)
    if not isinstance(text, str) or not isinstance(subtitle, (str, type(None))):
        return None
    return text, subtitle or "", json.dumps({**parts, "subtitle": subtitle is not None}, sort_keys=True)


def rendered(obj: Any, charts: ChartSlot | None = None) -> list[dict[str, Any]]:
    """``obj`` (a :class:`View` or anything displayable) as a list of notebook output dicts.

    With ``charts``, an Altair chart among the parts is drawn by that slot's widget, in place; without,
    each chart gets a widget of its own.
    """
    outputs = []
    for part in obj.parts() if isinstance(obj, View) else [obj]:
        if charts is not None and _is_chart(part):
            outputs.append(charts.output(part))
            continue
        data, metadata = format_display_data(part)
        outputs.append({"output_type": "display_data", "data": data, "metadata": metadata})
    return outputs


def chart_in(output: dict[str, Any]) -> ChartWidget | None:
    """The chart widget an output dict shows, if it shows one."""
    view = output.get("data", {}).get(WIDGET_VIEW)
    return chart_widget(view.get("model_id")) if isinstance(view, dict) else None


def _message(text: str) -> list[dict[str, Any]]:
    return [{"output_type": "stream", "name": "stdout", "text": text + "\n"}]


def linked(view: Callable[..., Any], controls: dict[str, w.ValueWidget],
           columns: int = 3) -> w.VBox:
    """A box with ``controls`` above an output area that shows ``view(**values)``.

    The output is redrawn whenever a control's value changes. An exception raised by the view is shown
    as a one-line message in the output area instead of breaking the widget.
    """
    output = w.Output()
    charts = ChartSlot(controls)
    names = [{"output_type": "display_data", "metadata": {},  # hidden: nothing to show as text either
              "data": {WIDGET_VIEW: control_names()._repr_mimebundle_()[0][WIDGET_VIEW], "text/plain": ""}}]

    def redraw(_change: Any = None) -> None:
        values = {name: control.value for name, control in controls.items()}
        try:
            output.outputs = (*rendered(view(**values), charts), *names)
        except Exception as error:  # the student should see why, and keep the controls working
            output.outputs = (*_message(MESSAGES["error"].format(error=error)), *names)

    for control in controls.values():
        control.observe(redraw, names="value")
    rows = [list(controls.values())[i:i + columns] for i in range(0, len(controls), columns)]
    redraw()
    # a row of controls wider than the notebook wraps instead of squeezing its sliders
    return w.VBox([*(w.HBox(row, layout=w.Layout(flex_flow="row wrap")) for row in rows), output])


SLIDERS = (w.IntSlider, w.FloatSlider, w.FloatLogSlider, w.IntRangeSlider, w.FloatRangeSlider, w.SelectionSlider,
           w.SelectionRangeSlider)
SLIDER_ROOM_EM = 13  # a slider's track and readout beside its label: below this the track vanishes


def labelled(control: w.ValueWidget, description: str, width: str = "22em") -> w.ValueWidget:
    """Give ``control`` a visible label that is not cut off, and return it. A slider is made wide enough for
    its label and a track that can still be dragged (a long label would otherwise leave it none)."""
    control.description = description
    control.style = {"description_width": "initial"}
    if isinstance(control, SLIDERS) and width.endswith("em"):
        # about half an em a character in JupyterLab's interface font
        width = f"{max(float(width[:-2]), round(len(description) / 2) + SLIDER_ROOM_EM):g}em"
    control.layout = w.Layout(width=width)
    return control
