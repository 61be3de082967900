"""Charts drawn in the browser: a widget that holds a Vega-Lite spec, drawn by the Vega libraries in the page.

The kernel never draws a chart. :class:`ChartWidget` (an anywidget) syncs the chart's spec to the browser,
where ``static/chart.js`` draws it as SVG with the Vega, Vega-Lite and vega-embed versions that vl-convert
uses for the static SVG (``static/vega.js``, built by ``js/build.mjs``). The libraries' code reaches the
page once per kernel, from one :class:`VegaLibrary` widget that sends it when asked, and no request leaves
the machine.

A chart is split into its *structure* (the spec without its data, title, description and parameters'
values) and its *content*. :meth:`ChartWidget.show` sends only what changed: when a widget's view function
returns a chart of the same structure, the browser replaces the data and the title of the drawn view in place
instead of drawing it anew.

A chart parameter can follow a control of its linked widget in the browser itself (``bindings``: see
:func:`dpdlab.charts.in_window`): moving the control changes the drawn view at once, without waiting for the
kernel, whose answer (the same view, with its new title and figures) follows.
"""
from __future__ import annotations

import functools
import json
import uuid
import weakref
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets
import traitlets

from dpdlab.i18n import messages

STATIC = Path(__file__).resolve().parent / "static"
# The widget state's name for a chart's model in saved notebooks (anywidget's ``_anywidget_id``).
ANYWIDGET_ID = "dpdlab.chartwidget.ChartWidget"
DATASET_PREFIX = "dpdlab-"  # Vega-Lite names its own datasets data_0, source_0...: these cannot clash
MESSAGES = messages(__name__, {
    # the accessible name of the button that opens a chart's menu (vega-embed's, beside the chart)
    "menu_label": "Save the chart as an image",
})


class VegaLibrary(ipywidgets.Widget):
    """The Vega libraries of the kernel's charts, which every chart refers to.

    Only their digest is the widget's state. The code (``static/vega.js``, more than a megabyte) goes to a
    page that asks for it, once, in a custom message: a widget's state is written into every executed
    notebook (papermill's and nbgrader's, at every save), and a page without a kernel could not use it.
    """

    digest = traitlets.Unicode().tag(sync=True)

    def __init__(self, file: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._file = file
        self.on_msg(self._answer)

    def code(self) -> bytes:
        """The libraries' code, as the page imports it."""
        return self._file.read_bytes()

    def _answer(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("request") == "code":
            self.send({"code": self.digest}, buffers=[self.code()])


@functools.cache
def library() -> VegaLibrary:
    """The kernel's one :class:`VegaLibrary` (made at the first chart)."""
    manifest = json.loads((STATIC / "vega.json").read_text(encoding="utf-8"))
    return VegaLibrary(STATIC / manifest["file"], digest=manifest["sha256"])


def _rename_datasets(node: Any, names: dict[str, str]) -> Any:
    """``node`` with every ``{"name": old}`` under a ``data`` key renamed to ``names[old]``."""
    if isinstance(node, dict):
        renamed = {}
        for key, value in node.items():
            if key == "data" and isinstance(value, dict) and value.get("name") in names:
                value = {**value, "name": names[value["name"]]}
            renamed[key] = _rename_datasets(value, names)
        return renamed
    if isinstance(node, list):
        return [_rename_datasets(item, names) for item in node]
    return node


def split(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Vega-Lite spec as ``(structure, content)``.

    ``content`` holds the datasets (renamed ``dpdlab-0``, ``dpdlab-1``... in order, so two charts of the same
    structure but other data have the same names), the title, the subtitle and the description. The
    structure keeps the title's other properties, and whether there is a title and a subtitle at all.
    """
    spec = dict(spec)
    datasets = spec.pop("datasets", {}) or {}
    names = {old: f"{DATASET_PREFIX}{number}" for number, old in enumerate(datasets)}
    structure = _rename_datasets(spec, names)
    content: dict[str, Any] = {"datasets": {names[old]: rows for old, rows in datasets.items()},
                               "title": "", "subtitle": "", "description": str(structure.pop("description", "") or ""),
                               "signals": {}}
    if isinstance(structure.get("params"), list):  # a parameter's value is content, its name structure
        params = []
        for param in structure["params"]:
            if isinstance(param, dict) and "value" in param and "select" not in param:
                content["signals"][param["name"]] = param["value"]
                param = {**param, "value": None}
            params.append(param)
        structure["params"] = params
    title = structure.get("title")
    if title is not None:
        title = dict(title) if isinstance(title, dict) else {"text": title}
        for key in ("text", "subtitle"):
            if key in title:
                value = title[key]
                content["title" if key == "text" else key] = " ".join(value) if isinstance(value, list) else str(value)
                title[key] = ""
        structure["title"] = title
    return structure, content


def join(structure: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    """The Vega-Lite spec that :func:`split` took apart (what a chart widget's saved state draws)."""
    spec = dict(structure)
    if isinstance(spec.get("title"), dict):
        title = dict(spec["title"])
        title["text"] = content.get("title", "")
        if "subtitle" in title:
            title["subtitle"] = content.get("subtitle", "")
        spec["title"] = title
    if content.get("description"):
        spec["description"] = content["description"]
    if content.get("datasets"):
        spec["datasets"] = content["datasets"]
    signals = content.get("signals") or {}
    if isinstance(spec.get("params"), list) and signals:
        spec["params"] = [{**p, "value": signals[p["name"]]} if isinstance(p, dict) and p.get("name") in signals else p
                          for p in spec["params"]]
    return spec


def _traits(spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A chart widget's traits for ``spec``, and the key of its structure."""
    from dpdlab.svg import alt_text

    structure, content = split(spec)
    return json.dumps(structure, sort_keys=True, default=str), {
        "spec": structure, "datasets": content["datasets"], "title": content["title"],
        "subtitle": content["subtitle"], "description": content["description"], "signals": content["signals"],
        "alt": alt_text(spec)}


class ChartWidget(anywidget.AnyWidget):
    """A Vega-Lite chart drawn in the browser; :meth:`show` changes what it draws, in place where it can."""

    _esm = STATIC / "chart.js"
    _library = traitlets.Instance(VegaLibrary).tag(sync=True, **ipywidgets.widget_serialization)
    _library_digest = traitlets.Unicode().tag(sync=True)
    # names the model in the page: the chart's views share one drawing (see static/chart.js)
    _chart_id = traitlets.Unicode().tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    datasets = traitlets.Dict().tag(sync=True)
    title = traitlets.Unicode().tag(sync=True)
    subtitle = traitlets.Unicode().tag(sync=True)
    description = traitlets.Unicode().tag(sync=True)
    signals = traitlets.Dict().tag(sync=True)  # the parameters' values, by name
    # parameter name -> {"model": "IPY_MODEL_<control>", "values": the options' values (a selection control)}
    bindings = traitlets.Dict().tag(sync=True)
    alt = traitlets.Unicode().tag(sync=True)  # the text alternative: "Chart: <title>. <description>"
    menu_label = traitlets.Unicode().tag(sync=True)  # set at each chart, in the kernel's edition

    def __init__(self, spec: dict[str, Any] | None = None, **kwargs: Any) -> None:
        shared = library()
        key, traits = _traits(spec) if spec is not None else ("", {})
        # the first spec goes with the widget's opening message: the browser draws it once, at once
        super().__init__(_library=shared, _library_digest=shared.digest, _chart_id=uuid.uuid4().hex,
                         menu_label=MESSAGES["menu_label"], **traits, **kwargs)
        self._structure = key
        _CHARTS[self.model_id] = self

    def show(self, spec: dict[str, Any]) -> None:
        """Draw ``spec`` (a Vega-Lite dict): its data, title and description only, if its structure is the
        one already drawn."""
        key, traits = _traits(spec)
        if key == self._structure:
            del traits["spec"]
        self._structure = key
        with self.hold_sync():
            for name, value in traits.items():
                setattr(self, name, value)

    def show_content(self, datasets: dict[str, list], title: str, subtitle: str, description: str,
                     signals: dict[str, Any] | None = None) -> None:
        """Draw new data, title, description and parameters' values in the structure already drawn (the
        caller knows it is the same, see :class:`dpdlab.widgets.ChartSlot`)."""
        from dpdlab.svg import MESSAGES

        alt = MESSAGES["alt_text"].format(title=title or MESSAGES["untitled"],
                                          description=description or MESSAGES["no_description"])
        with self.hold_sync():
            self.datasets, self.title, self.subtitle, self.description, self.alt = (
                datasets, title, subtitle, description, alt)
            if signals is not None:
                self.signals = signals

    @property
    def vega_lite(self) -> dict[str, Any]:
        """The Vega-Lite spec this widget draws."""
        return join(self.spec, {"datasets": self.datasets, "title": self.title, "subtitle": self.subtitle,
                                "description": self.description, "signals": self.signals})


_CHARTS: weakref.WeakValueDictionary[str, ChartWidget] = weakref.WeakValueDictionary()


def chart_widget(model_id: str | None) -> ChartWidget | None:
    """The live chart widget with this model id, if there is one in this process."""
    return _CHARTS.get(model_id) if model_id else None


def spec_of_state(state: dict[str, Any]) -> dict[str, Any] | None:
    """The Vega-Lite spec a saved chart widget state draws, or ``None`` if ``state`` is not a chart's."""
    if state.get("_anywidget_id") != ANYWIDGET_ID or not isinstance(state.get("spec"), dict):
        return None
    return join(state["spec"], state)
