"""Accessibility of what every student notebook shows: each chart (in cell outputs and in the output areas
of widgets) has a title and a text description, an SVG <title> and <desc>, and colours from the colour-blind-safe
palette; each widget control has a visible label. Notebooks of every edition are executed headless and
discovered; a translated edition's descriptions are read in its own language."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from conftest import chart_outputs, edition_of, edition_students, executed_student, ids, student_notebooks
from dpdlab import charts, described, i18n, setup, site

pytestmark = pytest.mark.notebooks
# Widget models that hold no value a learner sets, so need no label of their own.
NOT_CONTROLS = {"OutputModel", "HTMLModel", "HTMLMathModel", "LabelModel", "VBoxModel", "HBoxModel", "BoxModel",
                "GridBoxModel", "AccordionModel", "TabModel", "StackModel"}


def every_student() -> list:
    return student_notebooks() + edition_students()


@pytest.mark.parametrize("path", every_student(), ids=ids(every_student()))
def test_every_chart_has_a_title_a_description_and_palette_colours(path):
    with i18n.in_edition(edition_of(path)):
        problems = [f"{where}: {problem}" for where, data in chart_outputs(executed_student(path))
                    for problem in charts.accessibility_problems(data)]
    assert not problems, "\n".join(problems)


def controls(notebook: dict) -> list[dict]:
    """The states of the widget controls (models holding a value a learner sets) of an executed notebook."""
    return [m for m in site.widget_states(notebook).values()
            if m["model_name"] not in NOT_CONTROLS and m["state"].get("_model_module") == "@jupyter-widgets/controls"
            and ("value" in m["state"] or "index" in m["state"])]


@pytest.mark.parametrize("path", every_student(), ids=ids(every_student()))
def test_every_widget_control_has_a_label(path):
    unlabelled = [(m["model_name"], m["state"].get("_options_labels") or m["state"].get("value"))
                  for m in controls(executed_student(path)) if not str(m["state"].get("description", "")).strip()]
    assert not unlabelled, f"widget controls without a label (use dpdlab.widgets.labelled): {unlabelled}"


def test_the_walk_reaches_charts_in_cells_and_inside_widget_output_areas():
    found = [where for path in student_notebooks() for where, _ in chart_outputs(executed_student(path))]
    assert any("widget" not in w for w in found) and any("widget" in w for w in found)
    kinds = {m["model_name"] for path in student_notebooks() for m in controls(executed_student(path))}
    assert {"DropdownModel", "IntSliderModel"} <= kinds


def test_off_palette_colours_and_missing_descriptions_are_reported():
    setup()
    frame = pd.DataFrame({"x": [1, 2], "y": [2, 1]})
    plain = alt.Chart(frame).mark_line(color="#4c78a8").encode(x="x:Q", y="y:Q")  # Vega's default blue
    bundle = alt.renderers.get()(plain.to_dict())
    problems = charts.accessibility_problems(bundle)
    assert any("#4c78a8" in p for p in problems) and any("no text description" in p for p in problems)
    good = described(alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q"), "A title", "A description.")
    assert charts.accessibility_problems(alt.renderers.get()(good.to_dict())) == []
    assert charts.off_palette_colours('<path fill="#777777" stroke="#0072B2"/><g fill="#D55E00"/>') == set()


def test_a_translated_editions_descriptions_are_checked_in_its_language():
    setup()
    frame = pd.DataFrame({"x": [1, 2], "y": [2, 1]})
    chart = described(alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q"), "Un título", "Una descripción.")
    with i18n.in_edition("es"):
        bundle = alt.renderers.get()(chart.to_dict())
        assert bundle["text/plain"].startswith("Gráfico: Un título.")
        assert charts.accessibility_problems(bundle) == []
        english_form = {**bundle, "text/plain": "Chart: Un título. Una descripción."}
        assert any("no title" in p for p in charts.accessibility_problems(english_form))
