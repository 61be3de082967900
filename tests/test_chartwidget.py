"""Charts are drawn in the browser: the kernel sends a chart's spec to a widget, never draws it and never loads
vl-convert; a widget's chart is updated in place; the Vega libraries that draw it ship inside the package, are
what the pinned versions build, and load with nothing from outside the machine. Static SVG is drawn out of the
kernel, in a worker with limits (a spec in a submission is student input)."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import textwrap

import altair as alt
import ipywidgets as w
import nbformat
import pandas as pd
import pytest

from dpdlab import chartwidget, described, export, setup, svg, widgets
from dpdlab.chartwidget import ChartWidget, join, split
from dpdlab.widgets import View, linked

STATIC = chartwidget.STATIC
JS = chartwidget.STATIC.parent.parent / "js"
NODE = shutil.which("node")


def line_chart(values, title="A title", description="A description."):
    frame = pd.DataFrame({"day": list(range(len(values))), "value": values})
    return described(alt.Chart(frame).mark_line().encode(x="day:Q", y="value:Q"), title, description,
                     subtitle="simulated data")


# --- the kernel side ------------------------------------------------------------------------------------------

def test_a_chart_output_is_its_spec_its_text_and_a_widget_view_drawn_in_the_browser():
    setup()
    chart = line_chart([1, 3, 2])
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {svg.WIDGET_VIEW, svg.MIMETYPE, "text/plain"}
    assert bundle["text/plain"] == "Chart: A title. A description."
    assert bundle[svg.MIMETYPE]["description"] == "A description."
    widget = chartwidget.chart_widget(bundle[svg.WIDGET_VIEW]["model_id"])
    assert isinstance(widget, ChartWidget) and widget.alt == bundle["text/plain"]
    spec, drawn = bundle[svg.MIMETYPE], widget.vega_lite  # the same chart, its dataset renamed
    # the stored spec writes its rows as one JSON text, which Vega reads into the same rows (svg.compact)
    assert [json.loads(rows) for rows in spec["datasets"].values()] == list(drawn["datasets"].values())
    assert spec == svg.compact(chart.to_dict()) and spec["data"]["format"] == {"type": "json"}
    rest = lambda s: {k: v for k, v in s.items() if k not in ("data", "datasets")}  # noqa: E731
    assert rest(drawn) == rest(spec)
    assert "<svg" not in json.dumps(bundle) and "<script" not in json.dumps(bundle)


def _without_ids(drawn: str) -> str:
    """An SVG without the ids that differ from one drawing to the next (its prefix, gradients, clips)."""
    return re.sub(r"(gradient|clip)(_?)\d+", r"\1\2N", re.sub(r"dpd[0-9a-f]+-\d+-", "", drawn))


@pytest.mark.parametrize("build", [
    lambda frame: alt.Chart(frame).mark_line().encode(x="day:T", y="value:Q", color="group:N"),
    lambda frame: alt.layer(alt.Chart(frame).mark_bar().encode(x="group:N", y="sum(value):Q"),
                            alt.Chart(frame.head(2)).mark_rule().encode(y="value:Q")),
    lambda frame: alt.Chart(frame).mark_point().encode(x="value:Q", y="label:N").transform_lookup(
        lookup="group", from_=alt.LookupData(data=frame.drop_duplicates("group").rename(columns={"value": "v"}),
                                             key="group", fields=["v"])),
], ids=["dates", "layers", "lookup"])
def test_a_stored_spec_writes_its_rows_as_json_text_and_draws_the_same_chart(build):
    frame = pd.DataFrame({"day": pd.to_datetime(["2015-06-03", "2015-06-04", "2015-06-05"]), "value": [1.5, None, 3.0],
                          "group": ["a", "b", "a"], "label": ["x", "y", None]})
    spec = build(frame).to_dict()
    stored = svg.compact(spec)
    assert stored != spec and all(isinstance(rows, str) for rows in stored["datasets"].values())
    assert {name: json.loads(rows) for name, rows in stored["datasets"].items()} == spec["datasets"]
    assert _without_ids(svg.to_svg(stored)) == _without_ids(svg.to_svg(spec))
    if "data" in spec:  # a reference with a format of its own: left as it is
        own_format = {**spec, "data": {**spec["data"], "format": {"parse": {"value": "number"}}}}
        assert svg.compact(own_format) == own_format


def test_split_and_join_are_inverse_and_name_datasets_by_position():
    spec = line_chart([1, 2]).to_dict()
    structure, content = split(spec)
    assert list(content["datasets"]) == ["dpdlab-0"] and "datasets" not in structure
    assert content["title"] == "A title" and content["subtitle"] == "simulated data"
    assert structure["title"] == {"text": "", "subtitle": ""} and "description" not in structure
    assert join(structure, content) == {**spec, "datasets": content["datasets"], "data": {"name": "dpdlab-0"}}
    assert split(line_chart([5, 6, 7], "Other", "Other.").to_dict())[0] == structure  # same structure


def test_show_sends_only_the_content_when_the_structure_is_the_same():
    widget = ChartWidget(line_chart([1, 2]).to_dict())
    changes = []
    widget.observe(lambda change: changes.append(change["name"]), names=["spec", "datasets", "title", "description"])
    widget.show(line_chart([4, 5, 6], "Second", "Second one.").to_dict())
    assert "spec" not in changes and {"datasets", "title", "description"} <= set(changes)
    assert widget.alt == "Chart: Second. Second one."
    widget.show(line_chart([4, 5, 6]).properties(width=200).to_dict())
    assert "spec" in changes  # a new structure is drawn anew


def test_one_library_widget_holds_the_bundle_for_every_chart():
    first, second = ChartWidget(line_chart([1]).to_dict()), ChartWidget(line_chart([2]).to_dict())
    assert first._library is second._library is chartwidget.library()
    manifest = json.loads((STATIC / "vega.json").read_text())
    assert first._library_digest == manifest["sha256"] == hashlib.sha256(first._library.code()).hexdigest()


def test_the_library_code_is_sent_when_asked_and_is_not_widget_state(monkeypatch):
    """The bundle (over a megabyte) would otherwise be written into every executed notebook's widget state."""
    shown = ChartWidget(line_chart([1]).to_dict())
    holder = shown._library
    assert "code" not in holder.get_state() and len(json.dumps(holder.get_state())) < 1000
    sent = []
    monkeypatch.setattr(holder, "send", lambda content, buffers=None: sent.append((content, buffers)))
    holder._handle_custom_msg({"request": "something else"}, [])
    assert sent == []
    holder._handle_custom_msg({"request": "code"}, [])
    [(content, buffers)] = sent
    assert content == {"code": holder.digest} and hashlib.sha256(buffers[0]).hexdigest() == holder.digest


def test_a_linked_widget_updates_one_chart_in_place():
    slider = w.IntSlider(value=2, min=1, max=9)
    box = linked(lambda n: View(chart=line_chart(list(range(n)), f"{n} points", "Rising."), note=f"n = {n}"),
                 {"n": slider})
    output = box.children[-1]
    first = widgets.chart_in(output.outputs[0])
    assert first is not None and first.title == "2 points" and len(first.datasets["dpdlab-0"]) == 2
    assert output.outputs[0]["data"]["text/plain"] == "Chart: 2 points. Rising."
    slider.value = 5
    assert widgets.chart_in(output.outputs[0]) is first  # the same widget, updated
    assert first.title == "5 points" and len(first.datasets["dpdlab-0"]) == 5
    assert output.outputs[1]["data"]["text/markdown"] == "n = 5"


def test_the_kernel_never_loads_vl_convert():
    code = textwrap.dedent("""
        import sys
        from dpdlab import setup, argentina, load_dataset
        setup()
        audience = load_dataset("argentina_audience_simulated")
        argentina.audience_chart(audience)._repr_mimebundle_()
        box = argentina.explorer(audience)
        box.children[0].children[1].index = (3, 40)
        print("vl_convert" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- the bundle -----------------------------------------------------------------------------------------------

def test_the_committed_bundle_matches_its_manifest_and_the_pinned_versions():
    manifest = json.loads((STATIC / "vega.json").read_text())
    code = (STATIC / manifest["file"]).read_bytes()
    assert hashlib.sha256(code).hexdigest() == manifest["sha256"] and len(code) == manifest["bytes"]
    pins = json.loads((JS / "package.json").read_text())["dependencies"]
    assert manifest["pinned"] == pins and all(manifest["bundled"][name] == version for name, version in pins.items())
    locked: dict[str, set[str]] = {}  # name -> versions in the lock file (nested copies included)
    for where, package in json.loads((JS / "package-lock.json").read_text())["packages"].items():
        if "node_modules/" in where:
            locked.setdefault(where.rsplit("node_modules/", 1)[1], set()).add(package["version"])
    for name, version in manifest["bundled"].items():  # every bundled package is a locked one
        assert version in locked[name], name
    licences = (STATIC / "vega.LICENSES.txt").read_text()
    assert all(f"== {name} {version} " in licences for name, version in manifest["bundled"].items())


@pytest.mark.skipif(not (JS / "node_modules" / "esbuild").exists(),
                    reason="js/node_modules is not installed (`npm ci --prefix js`); .ci/run installs it")
def test_the_committed_bundle_is_what_the_pinned_versions_build():
    result = subprocess.run(["node", str(JS / "build.mjs"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_bundle_loads_offline_and_draws_a_course_chart(tmp_path):
    """Node has no page to fetch anything for: the bundle imports alone and draws a course chart's spec."""
    from dpdlab import argentina, load_dataset

    setup()
    spec = argentina.audience_chart(load_dataset("argentina_audience_simulated")).to_dict()
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    script = tmp_path / "draw.mjs"
    script.write_text(textwrap.dedent(f"""
        import {{ readFileSync }} from "node:fs";
        const {{ vega, vegaLite }} = await import({json.dumps((STATIC / "vega.js").as_uri())});
        const spec = JSON.parse(readFileSync({json.dumps(str(tmp_path / "spec.json"))}, "utf8"));
        const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), {{ renderer: "none" }});
        console.log(await view.toSVG());
    """))
    result = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    drawn = result.stdout
    assert drawn.startswith("<svg") and "SIMULATED" in drawn and drawn.count("<path") > 3


# --- static SVG, out of the kernel ------------------------------------------------------------------------------

def test_the_worker_draws_a_spec_with_its_description():
    with svg.SvgWorker() as worker:
        drawn = worker.draw(line_chart([1, 2, 3]).to_dict())
    assert drawn.startswith("<svg") and "<desc>A description.</desc>" in drawn


@pytest.mark.parametrize("spec, why", [
    ({"data": {"url": "http://127.0.0.1:9/data.csv"}, "mark": "point"}, "URL"),
    ({"data": {"values": [{"x": 1}]}, "layer": [{"data": {"url": "data.csv"}, "mark": "point"}]}, "URL"),
    ({"data": {"values": [{"x": "a" * 6_000_000}]}, "mark": "point"}, "larger"),
    ("<svg/>", "JSON object"),
])
def test_the_worker_refuses_specs_outside_its_limits(spec, why):
    with pytest.raises(svg.ChartError, match=why):
        svg.SvgWorker().draw(spec)


def test_a_slow_spec_is_stopped_and_the_worker_starts_again():
    slow = {"data": {"sequence": {"start": 0, "stop": 3_000_000}}, "mark": "point",
            "encoding": {"x": {"field": "data", "type": "quantitative"}}}
    with svg.SvgWorker(timeout=0.5) as worker:
        with pytest.raises(svg.ChartError, match="not drawn within"):
            worker.draw(slow)
        worker.timeout = 30
        assert worker.draw(line_chart([1, 2]).to_dict()).startswith("<svg")


def test_charts_to_svg_gives_each_chart_output_its_static_figure():
    setup()
    good = line_chart([1, 2])._repr_mimebundle_()
    hostile = {svg.MIMETYPE: {"data": {"url": "http://127.0.0.1:9/x.csv"}, "mark": "point"},
               "text/plain": "Chart: Hostile. It loads data from elsewhere."}
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart", outputs=[
        nbformat.v4.new_output("display_data", data=good), nbformat.v4.new_output("display_data", data=hostile),
        nbformat.v4.new_output("stream", text="plain")])])
    page, _ = export.ChartsToSVG().preprocess(notebook, {})
    drawn, refused, stream = page.cells[0].outputs
    assert set(drawn.data) == {"image/svg+xml", "text/html", "text/plain"}
    assert drawn.data["text/html"].startswith('<figure class="dpdlab-chart" role="img" aria-label="Chart: A title.')
    assert refused.data == {"text/plain": "Chart: Hostile. It loads data from elsewhere."}
    assert stream.text == "plain"
    again, _ = export.ChartsToSVG().preprocess(page, {})  # nothing left to draw
    assert again.cells[0].outputs[0].data == drawn.data


def test_the_schema_check_runs_in_the_tests_and_not_in_a_learners_kernel(monkeypatch):
    from dpdlab import charts

    setup()
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    chart.width = "very wide"  # not a width Vega-Lite knows; only the schema check says so
    assert charts.validating()  # tests/conftest.py turns it on, for the kernels the tests start too
    assert charts._display(chart) == {}  # refused: Altair's traceback is shown instead
    monkeypatch.delenv("DPDLAB_VALIDATE_CHARTS")
    assert svg.MIMETYPE in charts._display(chart)


def _templated(values, title, subtitle="simulated data"):
    from dpdlab.charts import with_data

    layer = alt.layer(alt.Chart().mark_line().encode(x="day:Q", y="value:Q"),
                      alt.Chart(pd.DataFrame({"day": [1]})).mark_rule().encode(x="day:Q"))
    return described(with_data(_TEMPLATE.setdefault("layer", layer),
                               pd.DataFrame({"day": list(range(len(values))), "value": values})),
                     title, f"{len(values)} values.", subtitle=subtitle)


_TEMPLATE: dict = {}


def test_a_chart_from_the_same_template_sends_its_data_alone_and_matches_a_whole_spec():
    from dpdlab.widgets import ChartSlot

    slot, whole = ChartSlot(), ChartSlot()
    slot.output(_templated([1, 2], "First"))
    spec = slot.widget.spec
    changes = []
    slot.widget.observe(lambda change: changes.append(change["name"]), names=["spec", "datasets", "title"])
    second = _templated([3, 1, 2], "Second")
    slot.output(second)
    assert "spec" not in changes and {"datasets", "title"} <= set(changes)  # the fast path
    whole.output(second)  # the same chart, sent whole
    for name in ("spec", "datasets", "title", "subtitle", "description", "alt"):
        assert getattr(slot.widget, name) == getattr(whole.widget, name), name
    assert slot.widget.spec == spec and slot.widget.alt == "Chart: Second. 3 values."
    slot.output(_templated([5], "No subtitle", subtitle=None))  # another structure: sent whole
    assert "spec" in changes and "subtitle" not in slot.widget.spec["title"]


def test_the_quick_data_conversion_gives_exactly_what_altair_gives():
    import numpy as np
    from altair.utils.data import limit_rows
    from altair.utils.data import to_values as altair_to_values

    from dpdlab import charts, dataset_names, load_dataset

    odd = pd.DataFrame({"when": pd.to_datetime(["2016-01-01 10:00:00.5", None, "2016-01-02 00:00:00.0"]),
                        "share": [1.5, np.nan, np.inf], "n": [1, 2, 3], "flag": [True, False, True],
                        "name": ["a", None, "c"], "mixed": [[1], {"a": 1}, "x"],
                        "count": pd.array([1, None, 3], dtype="Int64"), "ok": pd.array([True, None, False], "boolean"),
                        "day": pd.to_datetime(["2016-01-01", None, "2016-02-01"]),
                        "kind": pd.Categorical(["x", "y", None])})  # a dtype left to Altair
    frames = [load_dataset(name) for name in dataset_names()] + [odd, odd.iloc[:0], odd.drop(columns="kind")]
    for frame in frames:
        assert json.dumps(charts.to_values(frame)) == json.dumps(altair_to_values(limit_rows(frame, max_rows=5000)))
    setup()
    assert alt.data_transformers.active == charts.TRANSFORMER


def test_a_slider_with_a_long_label_keeps_a_track_and_rows_of_controls_wrap():
    """A long label would squeeze a slider's track to nothing (a click then sets NaN) in a fixed width."""
    long = widgets.labelled(w.FloatSlider(), "Platform users who see the campaign", width="26em")
    short = widgets.labelled(w.IntSlider(), "Day", width="22em")
    menu = widgets.labelled(w.Dropdown(options=[1, 2]), "Platform users who see the campaign", width="16em")
    assert long.layout.width == f"{round(35 / 2) + widgets.SLIDER_ROOM_EM}em" and short.layout.width == "22em"
    assert menu.layout.width == "16em"  # a menu has no track to lose
    box = linked(lambda n: View(note=f"n = {n}"), {"n": w.IntSlider(value=1)})
    assert all(row.layout.flex_flow == "row wrap" for row in box.children[:-1])


def test_a_window_drawn_in_the_browser_is_content_bound_to_its_slider():
    """A chart made with in_window/with_window in a linked widget: its window's value travels as content
    (a move sends no new spec), and the widget names the slider whose index the browser maps to dates."""
    from dpdlab.charts import bound_parameter, in_window, with_data, with_window

    days = pd.date_range("2015-12-01", periods=6)
    frame = pd.DataFrame({"date": days, "value": range(6)})
    template = in_window(alt.Chart().mark_point().encode(x="date:T", y="value:Q"), "date", "dates")

    def view(dates):
        return View(chart=described(with_window(with_data(template, frame), "dates", *dates), "Window", "Values."))

    slider = w.SelectionRangeSlider(options=[(str(d.date()), d) for d in days], index=(0, 5))
    box = linked(view, {"dates": slider})
    chart = widgets.chart_in(box.children[-1].outputs[0])
    name = bound_parameter("dates")
    assert chart.bindings == {name: {"model": f"IPY_MODEL_{slider.model_id}",
                                     "values": [d.isoformat() for d in days]}}
    assert chart.signals == {name: [days[0].isoformat(), days[5].isoformat()]}
    assert chart.spec["params"] == [{"name": name, "value": None}]  # the value is not structure
    changes = []
    chart.observe(lambda change: changes.append(change["name"]), names=["spec", "signals", "datasets"])
    slider.index = (1, 3)
    assert "spec" not in changes and "signals" in changes
    assert chart.signals[name] == [days[1].isoformat(), days[3].isoformat()]
    # what a static page draws: the window the parameter holds
    spec = chart.vega_lite
    assert spec["params"] == [{"name": name, "value": [days[1].isoformat(), days[3].isoformat()]}]
    assert split(spec)[0] == chart.spec and join(*split(spec)) == spec
    points = svg.to_svg(spec).count('aria-roledescription="point"')
    assert points == 3, points  # 2 to 4 December
