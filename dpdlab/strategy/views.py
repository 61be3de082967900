"""Charts, view functions and widgets of module 06 (strategy, institutions and the digital divide).

The view functions (:func:`reach_view`, :func:`clearance_view`) are plain functions of the widget values;
:func:`reach_explorer` and :func:`clearance_explorer` only wire controls to them.
"""
from __future__ import annotations


import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from dpdlab.i18n import cached_per_edition
from dpdlab.charts import described, with_data
from dpdlab.data import is_bundled, provenance
from dpdlab.strategy.analysis import (SNAPSHOT, _series_rows, aggregates_in, attention_caught, default_series,
                                      latest_share, places_in, reach_funnel)
from dpdlab.strategy.text import MESSAGES, STAGE_NAMES
from dpdlab.widgets import View, labelled, linked


def internet_chart(internet: pd.DataFrame, series: str | None = None, first_year: int | None = None,
                   aggregates=()) -> alt.Chart:
    """Dot chart of each place's ``first_year`` value and its latest value in ``series``.

    Any table of the internet-use shape works: ``series`` defaults to :func:`default_series` (the course's
    snapshot when present), ``first_year`` to 2010 when the series has it, else its earliest year; places
    without a ``first_year`` value are left out. The subtitle names the data's source
    (:func:`dpdlab.data.provenance`) unless the table is the course's own file.
    """
    series, snap = _series_rows(internet, series)
    years = sorted(snap["year"].unique())
    first_year = (2010 if 2010 in years else int(years[0])) if first_year is None else first_year
    first = snap[snap["year"] == first_year].set_index("country")["internet_users_pct"]
    latest = snap.sort_values("year").groupby("country").last()
    if first.empty:
        raise ValueError(MESSAGES["internet_no_year"].format(series=series, year=first_year))
    first_label = str(first_year)
    rows = []
    for country in first.index:
        rows.append({"country": country, "when": first_label, "pct": first[country]})
        rows.append({"country": country, "when": MESSAGES["internet_latest"],
                     "pct": latest.loc[country, "internet_users_pct"]})
    plot = pd.DataFrame(rows)
    order = latest.loc[first.index, "internet_users_pct"].sort_values(ascending=False).index.tolist()
    base = alt.Chart(plot).encode(y=alt.Y("country:N", title=None, sort=order))
    rule = base.mark_line(color="#999").encode(x="pct:Q", detail="country:N")
    dots = base.mark_point(filled=True, size=80).encode(
        x=alt.X("pct:Q", title=MESSAGES["internet_x"], scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("when:N", title=None, sort=[first_label, MESSAGES["internet_latest"]]),
        shape=alt.Shape("when:N", legend=None, sort=[first_label, MESSAGES["internet_latest"]]),
    )
    shown = latest.loc[first.index, "internet_users_pct"]
    grouped = set(aggregates_in(internet, aggregates))
    countries = shown[~shown.index.isin(grouped)]
    countries = countries if len(countries) else shown
    extremes = dict(low_country=countries.idxmin(), low=countries.min(), high_country=countries.idxmax(),
                    high=countries.max())
    if is_bundled(internet, "internet_use_share") and series == SNAPSHOT and first_year == 2010:
        description = MESSAGES["internet_description"].format(n=len(countries), **extremes)
        return described(rule + dots, MESSAGES["internet_title"], description, subtitle=MESSAGES["internet_subtitle"])
    description = MESSAGES["internet_description_own"].format(
        n=len(countries), aggregates=len(shown) - len(countries), first=first_year, **extremes)
    subtitle = MESSAGES["internet_subtitle_own"].format(series=series, provenance=provenance(internet) or "")
    return described(rule + dots, MESSAGES["internet_title_own"].format(first=first_year), description,
                     subtitle=subtitle.rstrip("; "))


@cached_per_edition  # built once: constructing Altair encodings costs more than the rest of a view
def _reach_template() -> alt.Chart:
    return alt.Chart().mark_bar().encode(
        x=alt.X("people:Q", title=MESSAGES["reach_x"]),
        y=alt.Y("stage:N", title=None, sort=list(STAGE_NAMES.values())),
        color=alt.Color("stage:N", legend=None, sort=list(STAGE_NAMES.values())),
    )


def reach_view(internet: pd.DataFrame, country: str, audience: float = 100_000, platform_share: float = 0.6,
               see_share: float = 0.1, series: str | None = None) -> View:
    """The reach explorer's view: the campaign funnel for ``country``, with its latest value in ``series``
    (default: :func:`default_series`, the course's snapshot when the table holds it).

    ``extra`` holds ``year``, ``pct``, ``online``, ``platform``, ``seen`` and ``offline`` (people).
    """
    series = default_series(internet) if series is None else series
    year, pct = latest_share(internet, country, series=series)
    funnel = reach_funnel(audience, pct, platform_share, see_share)
    people = funnel["people"].tolist()
    figures = {"online": people[1], "platform": people[2], "seen": people[3], "offline": audience - people[1]}
    plot = funnel.assign(stage=funnel["stage"].map(STAGE_NAMES))
    chart = with_data(_reach_template(), plot)
    labels = {"country": country, "audience": audience, "year": year, "pct": pct}
    if series == SNAPSHOT and (is_bundled(internet, "internet_use_share") or not provenance(internet)):
        subtitle = MESSAGES["reach_subtitle"].format(year=year)
    else:
        subtitle = MESSAGES["reach_subtitle_own"].format(year=year, series=series,
                                                         provenance=provenance(internet) or series)
    chart = described(chart, MESSAGES["reach_title"].format(country=country),
                      MESSAGES["reach_description"].format(**labels, **figures), subtitle=subtitle)
    share = figures["seen"] / audience if audience else 0.0
    note = MESSAGES["reach_note"].format(**labels, seen=figures["seen"], share=share, offline=figures["offline"])
    names = MESSAGES["reach_figures"]
    table = pd.DataFrame({MESSAGES["figure"]: [names[k] for k in figures],
                          MESSAGES["value"]: [f"{v:,.0f}" for v in figures.values()]})
    return View(chart=chart, figures=table, note=note, extra={"year": year, "pct": pct, **figures})


def reach_explorer(internet: pd.DataFrame, country: str | None = None, series: str | None = None,
                   aggregates=()) -> w.VBox:
    """Widget: a country, an audience and two assumed shares; see who a digital campaign reaches.

    The countries offered are the table's own in ``series`` (default: :func:`default_series`), without its
    aggregates (:func:`aggregates_in`); ``country`` is the one shown first (default: the first offered).
    """
    series = default_series(internet) if series is None else series
    countries = places_in(internet, series, aggregates)
    if not countries:
        raise ValueError(MESSAGES["reach_no_places"].format(series=series))
    if country is None or country not in countries:
        if country is not None:
            raise ValueError(MESSAGES["reach_unknown"].format(country=country, series=series,
                                                              known=", ".join(countries)))
        country = countries[0]
    controls = {
        "country": labelled(w.Dropdown(options=countries, value=country), MESSAGES["reach_country"], "16em"),
        "audience": labelled(w.IntSlider(value=100_000, min=10_000, max=1_000_000, step=10_000),
                             MESSAGES["reach_audience"], "26em"),
        "platform_share": labelled(w.FloatSlider(value=0.6, min=0.05, max=1, step=0.05, readout_format=".0%"),
                                   MESSAGES["reach_platform"], "26em"),
        "see_share": labelled(w.FloatSlider(value=0.1, min=0.01, max=1, step=0.01, readout_format=".0%"),
                              MESSAGES["reach_see"], "26em"),
    }
    return linked(lambda **values: reach_view(internet, series=series, **values), controls, columns=2)


@cached_per_edition
def _clearance_template() -> alt.LayerChart:
    x = alt.X("hour:Q", title=MESSAGES["clearance_x"])
    y = alt.Y("share:Q", title=MESSAGES["clearance_y"], axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    line = alt.Chart().transform_filter("datum.kind == 'curve'").mark_line().encode(x=x, y=y)
    point = alt.Chart().transform_filter("datum.kind == 'cleared'").mark_point(
        filled=True, size=140, color="#D55E00").encode(x=x, y=y)
    return alt.layer(line, point)


def clearance_view(steps: int = 3, hours_per_step: float = 4.0, half_life_hours: float = 10.0) -> View:
    """The clearance explorer's view: the share of attention left after ``steps`` approvals.

    ``extra`` holds ``delay`` (hours) and ``share``.
    """
    delay = steps * hours_per_step
    share = attention_caught(steps, hours_per_step, half_life_hours)
    horizon = max(48.0, delay * 1.5)
    hours = np.linspace(0, horizon, 97)
    plot = pd.DataFrame({"hour": [*hours, delay], "share": [*(0.5 ** (hours / half_life_hours)), share],
                         "kind": ["curve"] * len(hours) + ["cleared"]})
    chart = described(with_data(_clearance_template(), plot), MESSAGES["clearance_title"].format(steps=steps, hours=hours_per_step),
                      MESSAGES["clearance_description"].format(half_life=half_life_hours, delay=delay, share=share),
                      subtitle=MESSAGES["clearance_subtitle"])
    names = MESSAGES["clearance_figures"]
    table = pd.DataFrame({MESSAGES["figure"]: [names["delay"], names["share"]],
                          MESSAGES["value"]: [f"{delay:g}", f"{share:.1%}"]})
    return View(chart=chart, figures=table, note=MESSAGES["clearance_note"].format(delay=delay, share=share),
                extra={"delay": delay, "share": share})


def clearance_explorer() -> w.VBox:
    """Widget: approval steps, hours per step and the half-life of attention."""
    controls = {
        "steps": labelled(w.IntSlider(value=3, min=0, max=8), MESSAGES["clearance_steps"]),
        "hours_per_step": labelled(w.FloatSlider(value=4, min=0.5, max=24, step=0.5), MESSAGES["clearance_hours"]),
        "half_life_hours": labelled(w.FloatSlider(value=10, min=2, max=48, step=1), MESSAGES["clearance_half_life"]),
    }
    return linked(clearance_view, controls)
