"""Module 01, "From Vienna to the timeline": the milestones timeline and the sorting of activities.

The view functions (:func:`milestones_view`, :func:`activity_view`) are plain functions of the widgets'
values; :func:`milestones_explorer` and :func:`activity_explorer` only wire controls to them.
"""
from __future__ import annotations


import altair as alt
import ipywidgets as w
import pandas as pd

from dpdlab.i18n import cached_per_edition
from dpdlab.charts import described, with_data
from dpdlab.foundations.datasets import FUNCTIONS, MILESTONE_KINDS, SPHERES
from dpdlab.foundations.text import PRACTICE as MESSAGES
from dpdlab.widgets import View, labelled, linked

SCOPES = ("all", "global", "latin_america")


def select_milestones(milestones: pd.DataFrame, scope: str = "all", start: int | None = None,
                      end: int | None = None) -> pd.DataFrame:
    """The milestones of ``scope`` ('all', 'global' or 'latin_america') dated between the years ``start``
    and ``end`` (inclusive), in date order."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    rows = milestones if scope == "all" else milestones[milestones["scope"] == scope]
    years = rows["date"].dt.year
    if start is not None:
        rows = rows[years >= start]
        years = rows["date"].dt.year
    if end is not None:
        rows = rows[years <= end]
    return rows.sort_values("date", kind="stable")


@cached_per_edition  # built once: a move of the explorer's controls changes the data and the title alone
def _timeline_template() -> alt.LayerChart:
    base = alt.Chart().encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(padding=16)),
        y=alt.Y("scope_name:N", title=None),
        color=alt.Color("kind:N", title="kind of milestone", scale=alt.Scale(domain=list(MILESTONE_KINDS))),
        shape=alt.Shape("kind:N", title="kind of milestone", scale=alt.Scale(domain=list(MILESTONE_KINDS))),
    )
    exact = base.transform_filter("datum.exact").mark_point(size=110, filled=True, opacity=0.9)
    rough = base.transform_filter("!datum.exact").mark_point(size=110, filled=False, strokeWidth=2.5)
    return (exact + rough).properties(height=alt.Step(50))


def timeline_chart(rows: pd.DataFrame, title: str, description: str) -> alt.LayerChart:
    """Dot chart of milestones: one row per scope, coloured and shaped by kind, hollow if the date is rough."""
    data = rows.assign(exact=rows["date_precision"] == "day",
                       scope_name=rows["scope"].map(MESSAGES["scope_names"]))
    return described(with_data(_timeline_template(), data), title, description)


def milestones_view(milestones: pd.DataFrame, scope: str = "all", years: tuple[int, int] = (2006, 2020)) -> View:
    """The timeline explorer's view: milestones of ``scope`` between the two ``years``, with counts by kind."""
    start, end = sorted(int(y) for y in years)
    rows = select_milestones(milestones, scope, start, end)
    if rows.empty:
        raise ValueError(MESSAGES["timeline_empty"].format(start=start, end=end))
    labels = {"scope": MESSAGES["scope_names"][scope], "start": start, "end": end, "n": len(rows)}
    chart = timeline_chart(rows, MESSAGES["timeline_title"].format(**labels),
                           MESSAGES["timeline_description"].format(**labels))
    counts = rows["kind"].value_counts().rename_axis("kind").reset_index(name="count")
    latam = int((rows["scope"] == "latin_america").sum())
    note = MESSAGES["timeline_note"].format(n=len(rows), start=start, end=end, latam=latam, world=len(rows) - latam)
    return View(chart=chart, note=note, figures=counts.rename(columns=MESSAGES["kind_columns"]),
                extra={"n": len(rows), "latin_america": latam, "ids": list(rows["milestone_id"])})


def milestones_explorer(milestones: pd.DataFrame, scope: str = "all") -> w.VBox:
    """Widget: choose global, Latin American or both, and a range of years; see the timeline."""
    first, last = int(milestones["date"].dt.year.min()), int(milestones["date"].dt.year.max())
    controls = {
        "scope": labelled(w.ToggleButtons(options=[(MESSAGES["scope_names"][s], s) for s in SCOPES], value=scope),
                          MESSAGES["scope_label"], width="auto"),
        "years": labelled(w.IntRangeSlider(value=(first, last), min=first, max=last, step=1),
                          MESSAGES["years_label"], width="34em"),
    }
    return linked(lambda scope, years: milestones_view(milestones, scope, years), controls, columns=1)


def activity_view(activities: pd.DataFrame, activity_id: str) -> View:
    """The sorting explorer's view: one activity with the course's reading and why."""
    match = activities[activities["activity_id"] == activity_id]
    if match.empty:
        raise ValueError(MESSAGES["activity_unknown"].format(activity_id=activity_id,
                                                             known=", ".join(activities["activity_id"])))
    row = match.iloc[0]
    year = MESSAGES["activity_undated"] if pd.isna(row["year"]) else int(row["year"])
    end = "" if pd.isna(row["end"]) else MESSAGES["activity_end"].format(end=row["end"])
    clear = bool(row["clear_cut"])
    note = MESSAGES["activity_card"].format(
        actor=row["actor"], country=row["country"], year=year, activity=row["activity"], channel=row["channel"],
        end=end, sphere=row["sphere"], function=row["function"], reading=row["reading"],
        kind=MESSAGES["clear_cut"] if clear else MESSAGES["borderline"])
    names = MESSAGES["card_rows"]
    table = pd.DataFrame({"question": [names["sphere"], names["function"], names["end"], names["clear_cut"]],
                          "reading": [row["sphere"], row["function"], "" if pd.isna(row["end"]) else row["end"],
                                      "yes" if clear else "no"]})
    return View(note=note, figures=table.rename(columns=MESSAGES["card_columns"]),
                extra={"sphere": row["sphere"], "function": row["function"], "clear_cut": clear})


def activity_explorer(activities: pd.DataFrame, activity_id: str | None = None) -> w.VBox:
    """Widget: choose an activity; see the course's reading of its sphere and function, and why."""
    ids = list(activities["activity_id"])
    first = activity_id if activity_id in ids else ids[0]  # another table need not hold the course's example
    controls = {"activity_id": labelled(w.Dropdown(options=ids, value=first),
                                        MESSAGES["activity_label"], width="30em")}
    return linked(lambda activity_id: activity_view(activities, activity_id), controls, columns=1)


def function_counts(activities: pd.DataFrame) -> pd.DataFrame:
    """Activities counted by channel and function (every function listed, zeros included)."""
    index = pd.MultiIndex.from_product([["digital", "offline"], list(FUNCTIONS)], names=["channel", "function"])
    counts = activities.groupby(["channel", "function"]).size().reindex(index, fill_value=0)
    return counts.reset_index(name="count")


def listening_or_dissemination_share(activities: pd.DataFrame, channel: str = "digital") -> float:
    """Share of ``channel``'s activities whose function is listening or dissemination (Bradshaw's tally)."""
    rows = activities[activities["channel"] == channel]
    if rows.empty:
        raise ValueError(f"No activities with channel {channel!r}")
    return float(rows["function"].isin(["listening", "dissemination"]).mean())


def functions_chart(activities: pd.DataFrame) -> alt.Chart:
    """Static chart: the course's reading of the activities, by channel and function."""
    counts = function_counts(activities)
    chart = alt.Chart(counts).mark_bar().encode(
        y=alt.Y("channel:N", title=None),
        x=alt.X("count:Q", title="activities in the course's list"),
        color=alt.Color("function:N", title="function", scale=alt.Scale(domain=list(FUNCTIONS))),
        order=alt.Order("function:N"),
    )
    return described(chart, MESSAGES["shares_title"], MESSAGES["shares_description"].format(
        n=len(activities), digital_share=listening_or_dissemination_share(activities, "digital"),
        offline_share=listening_or_dissemination_share(activities, "offline")))


__all__ = ["FUNCTIONS", "SPHERES", "activity_explorer", "activity_view", "function_counts", "functions_chart",
           "listening_or_dissemination_share", "milestones_explorer", "milestones_view", "select_milestones",
           "timeline_chart"]
