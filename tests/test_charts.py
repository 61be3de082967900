"""Charts have a text alternative and the course theme; drawn offline as SVG, they are described."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest

from dpdlab import charts, described, i18n, setup, svg


@pytest.fixture()
def simple_chart():
    frame = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2], "group": ["a", "b", "a"]})
    chart = alt.Chart(frame).mark_line(point=True).encode(x="x:Q", y="y:Q", color="group:N")
    return described(chart, "A test chart", "Line chart of y against x for two groups.")


def test_setup_enables_the_offline_renderer_and_theme():
    setup()
    assert alt.renderers.active == charts.RENDERER
    assert alt.theme.active == charts.THEME


def test_chart_output_is_its_spec_and_text_alternative_and_its_static_drawing_is_described(simple_chart):
    setup()
    bundle = simple_chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    # the kernel draws nothing: a widget view (drawn in the browser), the spec and the text alternative
    assert set(bundle) == {svg.WIDGET_VIEW, svg.MIMETYPE, "text/plain"}
    assert bundle["text/plain"] == "Chart: A test chart. Line chart of y against x for two groups."
    drawn = charts.to_svg(bundle[svg.MIMETYPE])  # what pages show, drawn out of the kernel
    assert drawn.lstrip().startswith("<svg") and "<script" not in drawn and "cdn" not in drawn.lower()
    assert "<desc>Line chart of y against x for two groups.</desc>" in drawn
    figure = charts.figure_html(drawn, bundle["text/plain"])
    assert 'role="img" aria-label="Chart: A test chart. Line chart of y against x for two groups."' in figure


def test_theme_uses_the_colour_blind_safe_palette(simple_chart):
    setup()
    svg = charts.to_svg(simple_chart)
    assert charts.PALETTE[0].lower() in svg.lower() and charts.PALETTE[1].lower() in svg.lower()


def test_svg_ids_are_unique_across_charts():
    # Vega names clip paths "clip1", "clip2"… in every SVG: inlined twice in one page they would clash.
    frame = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})
    clipped = alt.Chart(frame).mark_line(clip=True).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[1.5, 3])), y="y:Q")
    first, second = charts.to_svg(clipped), charts.to_svg(clipped)
    ids_first = set(re.findall(r'id="([^"]+)"', first))
    ids_second = set(re.findall(r'id="([^"]+)"', second))
    assert ids_first and ids_second and not ids_first & ids_second
    refs = re.findall(r"url\(#([^)]+)\)", first)
    assert refs and set(refs) <= ids_first  # references were renamed with their targets


def test_described_requires_title_and_description():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    with pytest.raises(ValueError):
        described(chart, "Title", " ")
    spec = described(chart, "Title", "Text", subtitle="Sub").to_dict()
    assert spec["title"] == {"text": "Title", "subtitle": "Sub"} and spec["description"] == "Text"


def test_chart_without_description_gets_a_visible_reminder():
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    assert "Add one with dpdlab.described" in charts.alt_text(spec)


def test_time_axes_name_months_in_the_editions_language():
    frame = pd.DataFrame({"day": pd.date_range("2015-01-01", periods=6, freq="MS"), "posts": range(6)})
    chart = described(alt.Chart(frame).mark_line().encode(x="day:T", y="posts:Q"), "Posts", "Posts per month.")
    labels = {}
    setup()
    for language in ("en", "es"):
        with i18n.in_edition(language):
            labels[language] = set(re.findall(r">([^<>]+)</text>", charts.to_svg(chart)))
    assert {"February", "March"} <= labels["en"] and not {"febrero", "marzo"} & labels["en"]
    assert {"febrero", "marzo"} <= labels["es"] and not {"February", "March"} & labels["es"]
