"""Charts, view functions and widgets of module 05 (crises, disasters and humanitarian digital diplomacy).

The view functions (:func:`attention_view`, :func:`triage_view`) are plain functions of the widget values;
:func:`attention_explorer` and :func:`triage_simulator` only wire controls to them.
"""
from __future__ import annotations


import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from dpdlab.i18n import cached_per_edition
from dpdlab.charts import described, with_data
from dpdlab.crises.analysis import (backlog, decay_checks, fit_decay, half_life_by_window, queue_checks,
                                   serve_queue, triage_checks, triage_priorities, wait_summary)
from dpdlab.crises.text import DECAY_NOTES, MESSAGES, TRIAGE_NAMES
from dpdlab.data import is_simulated, provenance
from dpdlab.widgets import View, labelled, linked


def hashtag_figures_chart(figures: pd.DataFrame) -> alt.Chart:
    """Bar chart of the published impressions of the Mexico 2017 hashtags."""
    tags = figures[figures["measure"] == "hashtag impressions"].copy()
    tags["millions"] = tags["value"] / 1e6
    chart = alt.Chart(tags).mark_bar().encode(
        x=alt.X("millions:Q", title=MESSAGES["figures_axis"]),
        y=alt.Y("hashtag:N", title=None, sort="-x"),
        color=alt.Color("hashtag:N", legend=None),
    )
    parts = "; ".join(f"{h} {v / 1e6:.1f} million" for h, v in zip(tags["hashtag"], tags["value"]))
    return described(chart, MESSAGES["figures_title"],
                     MESSAGES["figures_description"].format(parts=parts, total=tags["value"].sum()))


@cached_per_edition  # built once per measure and scale: Altair encodings cost more than the rest of a view
def _attention_template(measure: str, log_scale: bool, simulated: bool = True) -> alt.Chart:
    observed = MESSAGES["attention_observed"] if simulated else MESSAGES["attention_observed_real"]
    lines = [observed, MESSAGES["attention_fitted"]]
    y_title = MESSAGES["attention_y"] if simulated else MESSAGES["attention_y_real"]
    return alt.Chart().mark_line().encode(
        x=alt.X("hour:Q", title=MESSAGES["attention_x"]),
        y=alt.Y("value:Q", title=y_title.format(measure=measure),
                scale=alt.Scale(type="log") if log_scale else alt.Scale()),
        color=alt.Color("line:N", title=None, sort=lines),
        strokeDash=alt.StrokeDash("line:N", legend=None, sort=lines),
    )


def attention_view(attention: pd.DataFrame, series: str, fit_from: int = 6, fit_to: int = 120,
                   log_scale: bool = True) -> View:
    """The attention explorer's view: one series, with a decay fitted between ``fit_from`` and ``fit_to``
    (hours, inclusive), on counts (zero hours kept, see :func:`~dpdlab.crises.analysis.fit_decay`).
    ``extra`` holds ``half_life`` (NaN if no decay fits), ``first_day_share``, ``peak_hour``, ``total``,
    ``by_window`` (the half-life of fits from the peak to several ends,
    :func:`~dpdlab.crises.analysis.half_life_by_window`) and ``checks`` (the notes of
    :func:`~dpdlab.crises.analysis.decay_checks`, also shown under the note). The chart says SIMULATED when ``attention`` is simulated; otherwise it calls
    the series observed and names its source."""
    rows = attention[attention["series"] == series]
    if rows.empty:
        raise ValueError(f"No series called {series!r}; choose one of {', '.join(attention['series'].unique())}")
    start, end = sorted((int(fit_from), int(fit_to)))
    hours = rows["hour"].to_numpy()
    values = rows["value"].to_numpy(dtype=float)
    window = (hours >= start) & (hours <= end)
    measure = rows["measure"].iloc[0]
    figures = {"half_life": float("nan"), "first_day_share": float(values[hours < 24].sum() / values.sum()),
               "peak_hour": int(hours[values.argmax()]), "total": float(values.sum())}
    simulated = is_simulated(rows)
    observed = MESSAGES["attention_observed"] if simulated else MESSAGES["attention_observed_real"]
    plot = pd.DataFrame({"hour": hours, "value": values, "line": observed})
    labels = {"series": series, "measure": measure, "hours": len(rows), "start": start, "end": end,
              "kind": MESSAGES["kind_simulated"] if simulated else MESSAGES["kind_real"]}
    source = provenance(rows)
    closing = MESSAGES["closing_simulated"] if simulated else (source or MESSAGES["kind_real"]) + "."
    try:
        fit = fit_decay(hours[window], values[window])
    except ValueError as error:
        fit, note = None, MESSAGES["attention_note_nofit"].format(error=error)
        description = MESSAGES["attention_description_nofit"].format(**labels)
    else:
        figures["half_life"] = fit["half_life"]
        fitted = pd.DataFrame({"hour": hours[window], "value": fit["a"] * np.exp(-fit["rate"] * hours[window]),
                               "line": MESSAGES["attention_fitted"]})
        plot = pd.concat([plot, fitted], ignore_index=True)
        note = MESSAGES["attention_note"].format(half_life=fit["half_life"], share=figures["first_day_share"],
                                                 days=round(len(rows) / 24, 1), closing=closing)
        description = MESSAGES["attention_description"].format(**labels, half_life=fit["half_life"])
    plot = plot[plot["value"] > 0] if log_scale else plot
    subtitle = MESSAGES["simulated_subtitle"] if simulated else MESSAGES["real_subtitle"].format(source=source)
    chart = described(with_data(_attention_template(measure, bool(log_scale), simulated), plot),
                      MESSAGES["attention_title"].format(**labels), description, subtitle=subtitle)
    by_window = half_life_by_window(hours, values)
    checks = decay_checks(hours, values, start, end)
    pairs = ", ".join(f"to hour {r.fit_to:g}: {r.half_life:.1f} h" for r in by_window.dropna().itertuples())
    note = " ".join([note, *checks, *([DECAY_NOTES["by_window"].format(pairs=pairs)] if pairs else [])])
    names = MESSAGES["attention_figures"]
    shown = [f"{figures['half_life']:.1f}", f"{figures['first_day_share']:.0%}", str(figures["peak_hour"]),
             f"{figures['total']:,.0f}"]
    table = pd.DataFrame({MESSAGES["figure"]: [names[k] for k in figures],
                          MESSAGES["value"] if simulated else MESSAGES["value_real"]: shown})
    return View(chart=chart, figures=table, note=note, extra={**figures, "by_window": by_window, "checks": checks})


def attention_explorer(attention: pd.DataFrame, series: str = "#Rebsamen") -> w.VBox:
    """Widget: choose a series and the hours to fit; see the series, the fitted decay and its half-life."""
    controls = {
        "series": labelled(w.Dropdown(options=list(dict.fromkeys(attention["series"])), value=series),
                           MESSAGES["attention_series"], "20em"),
        "fit": labelled(w.IntRangeSlider(value=(6, 120), min=0, max=int(attention["hour"].max())),
                        MESSAGES["attention_fit"], "30em"),
        "log_scale": labelled(w.Checkbox(value=True), MESSAGES["attention_log"], "14em"),
    }
    return linked(lambda series, fit, log_scale: attention_view(attention, series, *fit, log_scale), controls)


@cached_per_edition
def _triage_template() -> alt.Chart:
    return alt.Chart().mark_area(opacity=0.6, line=True).encode(
        x=alt.X("hour:Q", title=MESSAGES["triage_x"]),
        y=alt.Y("waiting:Q", title=MESSAGES["triage_y"]),
    )


def triage_view(requests: pd.DataFrame, staff: int = 3, minutes_each: float = 6.0, mode: str = "keywords") -> View:
    """The triage simulator's view: how long requests wait with ``staff`` people, ``minutes_each`` minutes per
    request and a triage ``mode`` (``"none"``, ``"keywords"`` or ``"perfect"``).

    ``extra`` holds ``median`` and ``p90`` (waits of true priority-1 requests, minutes), ``median_2`` (priority
    2), ``peak`` (largest backlog) and ``checks``: notes of :func:`~dpdlab.crises.analysis.triage_checks` and
    :func:`~dpdlab.crises.analysis.queue_checks` (languages without rules, arrivals too coarse for the queue),
    also shown under the note.
    """
    priorities, order = triage_priorities(requests, mode)
    arrivals = requests["minute"].to_numpy()
    waits = serve_queue(arrivals, priorities, staff, minutes_each, order)
    truth = requests["priority"].to_numpy()
    urgent, missing = wait_summary(waits, truth, 1), wait_summary(waits, truth, 2)
    queue = backlog(arrivals, waits, every=30.0)
    queue["hour"] = queue["minute"] / 60
    figures = {"median": urgent["median"], "p90": urgent["p90"], "median_2": missing["median"],
               "peak": int(queue["waiting"].max())}
    labels = {"staff": staff, "minutes": minutes_each, "mode": TRIAGE_NAMES[mode]}
    chart = described(with_data(_triage_template(), queue), MESSAGES["triage_title"].format(mode=TRIAGE_NAMES[mode]),
                      MESSAGES["triage_description"].format(**labels, median=figures["median"], p90=figures["p90"]),
                      subtitle=MESSAGES["requests_subtitle"], data=requests)
    checks = (triage_checks(requests) if mode == "keywords" else []) + queue_checks(arrivals, minutes_each)
    note = " ".join([MESSAGES["triage_note"].format(mode=TRIAGE_NAMES[mode], **figures), *checks])
    names = MESSAGES["triage_figures"]
    table = pd.DataFrame({MESSAGES["figure"]: [names[k] for k in figures],
                          MESSAGES["value"]: [f"{v:.0f}" for v in figures.values()]})
    return View(chart=chart, figures=table, note=note, extra={**figures, "checks": checks})


def triage_simulator(requests: pd.DataFrame) -> w.VBox:
    """Widget: staff, minutes per request and triage mode; see the backlog and how long urgent requests wait."""
    controls = {
        "staff": labelled(w.IntSlider(value=3, min=1, max=10), MESSAGES["triage_staff"]),
        "minutes_each": labelled(w.IntSlider(value=6, min=1, max=20), MESSAGES["triage_minutes"]),
        "mode": labelled(w.ToggleButtons(options=[(v, k) for k, v in TRIAGE_NAMES.items()], value="keywords"),
                         MESSAGES["triage_mode"], width="auto"),
    }
    return linked(lambda staff, minutes_each, mode: triage_view(requests, staff, minutes_each, mode), controls,
                  columns=2)
