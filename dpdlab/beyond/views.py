"""Charts, view functions and widgets of module 07 (beyond the feed: cyber, virtual and data diplomacy).

The view functions (:func:`incident_view`, :func:`security_view`) are plain functions of the widget values;
:func:`incident_explorer` and :func:`security_explorer` only wire controls to them.
"""
from __future__ import annotations

from collections import Counter

import altair as alt
import ipywidgets as w
import pandas as pd

from dpdlab.i18n import cached_per_edition
from dpdlab.beyond.analysis import ALL, KINDS, MEASURES, REGIONS, WAYS_IN, select_incidents, security_outcome
from dpdlab.beyond.text import (CONFIDENCE_NAMES, DURATION_NAMES, KIND_NAMES, MEASURE_NAMES, MESSAGES, REGION_NAMES,
                                WAY_IN_NAMES)
from dpdlab.charts import described, with_data
from dpdlab.data import is_bundled, provenance
from dpdlab.widgets import View, labelled, linked


def _incident_plot(incidents: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "date": incidents["date"].to_numpy(),
        "kind": [KIND_NAMES[k] for k in incidents["kind"]],
        "region": [REGION_NAMES[r] for r in incidents["region"]],
        "confirmation": [CONFIDENCE_NAMES[c] for c in incidents["confidence"]],
        "country": incidents["country"].to_numpy(), "target": incidents["target"].to_numpy(),
    })


@cached_per_edition  # built once: constructing Altair encodings costs more than the rest of a view
def _incidents_template() -> alt.Chart:
    confirmation = list(CONFIDENCE_NAMES.values())
    regions = list(REGION_NAMES.values())
    return alt.Chart().mark_point(size=120, strokeWidth=2).encode(
        x=alt.X("date:T", title=MESSAGES["incidents_x"], scale=alt.Scale(padding=10)),
        y=alt.Y("kind:N", title=None, sort=list(KIND_NAMES.values())),
        color=alt.Color("region:N", title=MESSAGES["incidents_color"], sort=regions),
        fill=alt.Fill("region:N", legend=None, sort=regions),
        shape=alt.Shape("confirmation:N", title=MESSAGES["incidents_shape"], sort=confirmation,
                        scale=alt.Scale(domain=confirmation, range=["circle", "diamond"])),
        fillOpacity=alt.FillOpacity("confirmation:N", legend=None, sort=confirmation,
                                    scale=alt.Scale(domain=confirmation, range=[1, 0])),
        tooltip=["date:T", "country:N", "target:N", "confirmation:N"],
    )


def _incidents_described(incidents: pd.DataFrame) -> alt.Chart:
    years = incidents["date"].dt.year
    kinds = Counter(incidents["kind"])
    top_kind, top_count = max(kinds.items(), key=lambda item: (item[1], item[0]))
    description = MESSAGES["incidents_description"].format(
        n=len(incidents), latam=sum(r == "Latin America" for r in incidents["region"]),
        partly=sum(c == "partly" for c in incidents["confidence"]), top_kind=KIND_NAMES[top_kind],
        top_count=top_count)
    return described(with_data(_incidents_template(), _incident_plot(incidents)),
                     MESSAGES["incidents_title"].format(first=years.min(), last=years.max()), description,
                     subtitle=_incidents_subtitle(incidents))


def _incidents_subtitle(incidents: pd.DataFrame) -> str:
    """The course's caveat on its own table; a user's table is named by its source instead."""
    if is_bundled(incidents, "trust_incidents") or not provenance(incidents):
        return MESSAGES["incidents_subtitle"]
    return MESSAGES["incidents_subtitle_own"].format(provenance=provenance(incidents))


def incidents_chart(incidents: pd.DataFrame) -> alt.Chart:
    """Dot chart of every incident by date and kind, coloured by region; partly confirmed ones hollow."""
    return _incidents_described(incidents.sort_values("date"))


def incident_view(incidents: pd.DataFrame, years: tuple[int, int] = (2010, 2022), kind: str = ALL,
                  region: str = ALL) -> View:
    """The incident explorer's view: the incidents of ``kind`` in ``region`` dated within ``years``.

    ``extra`` holds ``n`` (incidents shown), ``partly`` (of them only partly confirmed) and ``ids``.
    """
    first, last = years
    chosen = select_incidents(incidents, first, last, kind, region)
    labels = {"first": first, "last": last, "kind": KIND_NAMES.get(kind, MESSAGES["all"]),
              "region": REGION_NAMES.get(region, MESSAGES["all"])}
    if chosen.empty:
        raise ValueError(MESSAGES["no_incidents"].format(**labels))
    partly = sum(c == "partly" for c in chosen["confidence"])
    names = MESSAGES["incident_columns"]
    columns = {name: chosen[name].to_numpy() for name in names}
    columns["date"] = chosen["date"].dt.strftime("%Y-%m-%d").to_numpy()
    columns["kind"] = [KIND_NAMES[k] for k in chosen["kind"]]
    table = pd.DataFrame({names[name]: values for name, values in columns.items()})
    note = MESSAGES["incident_note"].format(n=len(chosen), partly=partly, **labels)
    return View(chart=_incidents_described(chosen), figures=table, note=note,
                extra={"n": len(chosen), "partly": partly, "ids": chosen["incident_id"].tolist()})


def incident_explorer(incidents: pd.DataFrame) -> w.VBox:
    """Widget: a range of years, a kind and a region; see the incidents and their sources."""
    years = incidents["date"].dt.year
    first, last = int(years.min()), int(years.max())
    controls = {
        "years": labelled(w.IntRangeSlider(value=(first, last), min=first, max=last), MESSAGES["incident_years"],
                          "26em"),
        "kind": labelled(w.Dropdown(options=[(MESSAGES["all"], ALL), *((KIND_NAMES[k], k) for k in KINDS)],
                                    value=ALL), MESSAGES["incident_kind"], "20em"),
        "region": labelled(w.Dropdown(options=[(MESSAGES["all"], ALL), *((REGION_NAMES[r], r) for r in REGIONS)],
                                      value=ALL), MESSAGES["incident_region"], "18em"),
    }
    return linked(lambda **values: incident_view(incidents, **values), controls)


@cached_per_edition
def _security_template() -> alt.Chart:
    names = list(DURATION_NAMES.values())
    return alt.Chart().mark_bar().encode(
        x=alt.X("hours:Q", title=MESSAGES["security_x"]),
        y=alt.Y("duration:N", title=None, sort=names),
        color=alt.Color("duration:N", legend=None, sort=names),
    )


def security_view(**measures: bool) -> View:
    """The security what-if's view: what the chosen measures (keyword ``True``) achieve in the model.

    ``extra`` holds the result of :func:`~dpdlab.beyond.analysis.security_outcome`.
    """
    outcome = security_outcome(name for name, on in measures.items() if on)
    closed = sum(outcome["closed"].values())
    plot = pd.DataFrame({"duration": [DURATION_NAMES[k] for k in DURATION_NAMES],
                         "hours": [outcome[k] for k in DURATION_NAMES]})
    figures = {"false_post": outcome["false_post"], "account_held": outcome["account_held"], "closed": closed,
               "ways": len(WAYS_IN)}
    chart = described(with_data(_security_template(), plot), MESSAGES["security_title"],
                      MESSAGES["security_description"].format(**figures), subtitle=MESSAGES["security_subtitle"])
    table = pd.DataFrame({MESSAGES["way_in"]: [WAY_IN_NAMES[way] for way in WAYS_IN],
                          MESSAGES["status"]: [MESSAGES["closed"] if outcome["closed"][way] else MESSAGES["open"]
                                               for way in WAYS_IN]})
    return View(chart=chart, figures=table, note=MESSAGES["security_note"].format(**figures), extra=outcome)


def security_explorer() -> w.VBox:
    """Widget: switch each of the six account-security measures on or off; see what the model says they do."""
    controls = {name: labelled(w.Checkbox(value=False), MEASURE_NAMES[name], "20em") for name in MEASURES}
    return linked(security_view, controls, columns=2)


def meetings_chart(meetings: pd.DataFrame) -> alt.Chart:
    """Timeline of the meetings by body and start date, coloured and shaped by format."""
    plot = meetings.assign(first=meetings["first_virtual"].fillna(False).astype(bool))
    plot["label"] = plot["first"].map({True: MESSAGES["meetings_first_label"], False: ""})
    order = plot.sort_values("start_date")["body"].drop_duplicates().tolist()
    base = alt.Chart(plot).encode(
        x=alt.X("start_date:T", title=MESSAGES["meetings_x"], axis=alt.Axis(format="%b %Y"),
                scale=alt.Scale(padding=20)),
        y=alt.Y("body:N", title=None, sort=order))
    points = base.mark_point(size=160, filled=True).encode(
        color=alt.Color("format:N", title=MESSAGES["meetings_color"]),
        shape=alt.Shape("format:N", title=MESSAGES["meetings_color"]),
        tooltip=["meeting:N", "start_date:T", "format:N", "level:N"],
    )
    labels = base.transform_filter("datum.first").mark_text(align="left", dx=10, color="#444").encode(text="label:N")
    chart = points + labels
    formats = meetings["format"].value_counts()
    description = MESSAGES["meetings_description"].format(
        n=len(meetings), video=int(formats.get("videoconference", 0)),
        recorded=int(formats.get("pre-recorded statements", 0)), in_person=int(formats.get("in person", 0)),
        first=int(plot["first"].sum()))
    own = bool(meetings.attrs.get("path")) and not is_bundled(meetings, "pandemic_meetings") and provenance(meetings)
    return described(chart, MESSAGES["meetings_title"], description,
                     subtitle=provenance(meetings) if own else MESSAGES["meetings_subtitle"])
