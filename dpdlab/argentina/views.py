"""Charts, views and widgets of the Argentina account-handover case.

View functions (``explore_audience``, ``handover_what_if``) are plain functions of the widget values; the
widget builders only wire controls to them (see :mod:`dpdlab.widgets`).
"""
from __future__ import annotations


import altair as alt
import ipywidgets as w
import pandas as pd

from dpdlab.i18n import cached_per_edition, date_text
from dpdlab.argentina.model import CALIBRATION, HANDOVER_DAY, POLICIES, simulate_handover
from dpdlab.argentina.text import MESSAGES, POLICY_NAMES, POLICY_RECORD
from dpdlab.charts import bound_parameter, described, following, in_window, with_data, with_window
from dpdlab.data import mark_simulated, provenance
from dpdlab.widgets import View, labelled, linked



@cached_per_edition  # built once: constructing Altair encodings costs more than the rest of a view
def _handover_marks() -> tuple[alt.Chart, alt.Chart]:
    """The dashed rule on handover day and its label, each with its own one-row data."""
    marker = pd.DataFrame({"date": [pd.Timestamp(HANDOVER_DAY)], "label": [MESSAGES["handover_label"]]})
    rule = alt.Chart(marker).mark_rule(strokeDash=[4, 3], color="#444").encode(x="date:T")
    text = alt.Chart(marker).mark_text(align="left", dx=4, dy=-6, color="#444").encode(
        x="date:T", y=alt.value(8), text="label:N")
    return rule, text


@cached_per_edition
def _handover_rule() -> alt.LayerChart:
    rule, text = _handover_marks()
    return rule + text


@cached_per_edition  # built once: a move of the dates changes the window (drawn in the browser) and the title
def _explorer_template() -> alt.LayerChart:
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=8)).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("followers:Q", title=MESSAGES["followers_axis"], scale=alt.Scale(zero=False)),
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=[MESSAGES["status_official"], MESSAGES["status_not_official"]])),
    )
    # the handover's rule shows when the window holds handover day
    return in_window(alt.layer(line, *_handover_marks()), "date", "dates")


def explore_audience(audience: pd.DataFrame, account: str, start, end) -> View:
    """The explorer's view: ``account``'s simulated followers between ``start`` and ``end`` (inclusive).

    Returns a :class:`~dpdlab.widgets.View` with a line chart and the figures first, last, change,
    change in % and days as the official account. Raises ``ValueError`` if the window is empty.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start > end:
        start, end = end, start
    rows = audience[(audience["account"] == account) & audience["date"].between(start, end)]
    labels = {"account": account, "start": date_text(start, "%d %b %Y"), "end": date_text(end, "%d %b %Y")}
    if rows.empty:
        raise ValueError(MESSAGES["explorer_empty"].format(**labels))
    first, last = int(rows["followers"].iloc[0]), int(rows["followers"].iloc[-1])
    figures = {
        "first": first,
        "last": last,
        "change": last - first,
        "change_pct": round(100 * (last - first) / first, 1) if first else float("nan"),
        "official_days": int(rows["official"].sum()),
    }
    names = MESSAGES["figure_names"]
    shown = [f"{first:,}", f"{last:,}", f"{last - first:+,}", f"{figures['change_pct']:+.1f}",
             str(figures["official_days"])]
    table = mark_simulated(pd.DataFrame({"figure": [names[k] for k in figures], "value": shown}).set_index("figure"),
                           audience, MESSAGES["simulated_axis"])
    # every day of the account: the chart's window is drawn from the slider in the browser at once
    days = audience[audience["account"] == account]
    plot = days.assign(status=days["official"].map({True: MESSAGES["status_official"],
                                                    False: MESSAGES["status_not_official"]}))
    chart = described(with_window(with_data(_explorer_template(), plot), "dates", start, end),
                      MESSAGES["explorer_title"].format(**labels),
                      MESSAGES["explorer_description"].format(**labels, **figures),
                      subtitle=MESSAGES["simulated_subtitle"], data=rows)
    return View(chart=chart, figures=table, extra=figures)


def explorer(audience: pd.DataFrame, account: str = "@CasaRosadaAR") -> w.VBox:
    """Widget: choose an account and a date range; see its simulated followers and figures."""
    dates = sorted(audience["date"].unique())
    options = [(date_text(pd.Timestamp(d), "%d %b %Y"), pd.Timestamp(d)) for d in dates]
    controls = {
        "account": labelled(w.Dropdown(options=sorted(audience["account"].unique()), value=account),
                            MESSAGES["explorer_account"], width="18em"),
        "dates": labelled(w.SelectionRangeSlider(options=options, index=(0, len(options) - 1)),
                          MESSAGES["explorer_dates"], width="40em"),
    }
    return linked(lambda account, dates: explore_audience(audience, account, *dates), controls, columns=2)


def policy_comparison(horizon_days: int = 90, unfollow_share: float = 0.05) -> pd.DataFrame:
    """One row per handover policy: simulated followers and share kept after ``horizon_days``."""
    old = CALIBRATION["old_account"]["followers"]
    rows = []
    for policy in POLICIES:
        end = simulate_handover(policy, horizon_days, old, unfollow_share).iloc[-1]
        record, clean = POLICY_RECORD[policy]
        rows.append({"policy": POLICY_NAMES[policy], "followers": int(end["followers"]),
                     "share_kept": round(float(end["share_kept"]), 3), "record": record,
                     "clean_timeline": clean})
    return pd.DataFrame(rows).rename(columns=MESSAGES["whatif_columns"]).rename_axis(columns=MESSAGES["model_axis"])


WHAT_IF_MAX_DAYS = 365  # the horizon slider's end: the chart holds every day up to it


@cached_per_edition  # built once: a move of the horizon is drawn in the browser, the title comes from the kernel
def _what_if_template() -> alt.Chart:
    # the days up to the horizon slider's value (dpdlab.charts.following): a move redraws them at once
    return alt.Chart().transform_filter(f"datum.day <= {bound_parameter('horizon_days')}").mark_line().encode(
        x=alt.X("day:Q", title=MESSAGES["whatif_x_axis"]),
        y=alt.Y("followers:Q", title=MESSAGES["whatif_y_axis"]),
        color=alt.Color("policy:N", title=None, sort=list(POLICY_NAMES.values())),
        # transfer and archive-and-mirror keep the same audience: dash one so both stay visible
        strokeDash=alt.StrokeDash("policy:N", legend=None, scale=alt.Scale(
            domain=list(POLICY_NAMES.values()), range=[[1, 0], [8, 5], [1, 0]])),
        size=alt.Size("chosen:N", legend=None, scale=alt.Scale(domain=[False, True], range=[1.5, 4])),
    )


def handover_what_if(policy: str, horizon_days: int = 90, unfollow_share: float = 0.05) -> View:
    """The what-if's view: the three policies' simulated official audiences, ``policy`` highlighted."""
    old = CALIBRATION["old_account"]["followers"]
    # every day to the slider's end (a simulation's first days do not depend on its horizon); the chart
    # shows those up to ``horizon_days``
    longest = max(horizon_days, WHAT_IF_MAX_DAYS)
    curves = pd.concat([simulate_handover(p, longest, old, unfollow_share).assign(policy=POLICY_NAMES[p])
                        for p in POLICIES], ignore_index=True)
    chosen = POLICY_NAMES[policy]
    share = float(curves.loc[(curves["policy"] == chosen) & (curves["day"] == horizon_days), "share_kept"].iloc[0])
    curves["chosen"] = curves["policy"] == chosen
    chart = described(following(with_data(_what_if_template(), curves), horizon_days=horizon_days),
                      MESSAGES["whatif_title"].format(horizon=horizon_days),
                      MESSAGES["whatif_description"].format(horizon=horizon_days, policy=chosen, share=share),
                      subtitle=MESSAGES["model_subtitle"])
    record, clean = POLICY_RECORD[policy]
    note = MESSAGES["whatif_note"].format(policy=chosen, share=share, horizon=horizon_days, record=record,
                                          clean=clean)
    table = policy_comparison(horizon_days, unfollow_share).set_index(MESSAGES["whatif_columns"]["policy"])
    return View(chart=chart, figures=table, note=note, extra={"share_kept": share})


def what_if(policy: str = "start_afresh") -> w.VBox:
    """Widget: choose a handover policy, a horizon and the share of followers who leave."""
    controls = {
        "policy": labelled(w.ToggleButtons(options=[(POLICY_NAMES[p], p) for p in POLICIES], value=policy),
                           MESSAGES["whatif_policy"], width="auto"),
        # wide enough that the track, not just the label, gets room (a few pixels of track cannot be dragged)
        "horizon_days": labelled(w.IntSlider(value=90, min=7, max=WHAT_IF_MAX_DAYS, step=1), MESSAGES["whatif_horizon"],
                                 width="36em"),
        "unfollow_share": labelled(w.FloatSlider(value=0.05, min=0.0, max=0.3, step=0.01, readout_format=".0%"),
                                   MESSAGES["whatif_unfollow"], width="42em"),
    }
    controls["policy"].style.button_width = "auto"  # show each policy's whole name, not "Transfer the acco…"
    return linked(handover_what_if, controls, columns=1)


def institutional_accounts(audience: pd.DataFrame) -> list[str]:
    """The accounts of ``audience`` that were the official account on at least one day, in the order they
    first appear (for the bundled series: the old and the new Casa Rosada account)."""
    official = audience[audience["official"].fillna(False).astype(bool)].sort_values("date")
    return list(dict.fromkeys(official["account"]))


def audience_chart(audience: pd.DataFrame, accounts: list[str] | None = None) -> alt.Chart:
    """Static chart: the daily followers of ``accounts`` (default: every account that was the official one on
    some day, :func:`institutional_accounts`), with the handover day marked when it falls in the series.

    The subtitle says SIMULATED for the course's series and names the source of a real one.
    """
    accounts = list(accounts) if accounts is not None else institutional_accounts(audience)
    shown = audience[audience["account"].isin(accounts)]
    if shown.empty:
        raise ValueError(MESSAGES["audience_empty"].format(accounts=", ".join(accounts) or "-"))
    chart = alt.Chart(shown).mark_line().encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("followers:Q", title=MESSAGES["followers_axis"]),
        color=alt.Color("account:N", title=None, sort=accounts),
    )
    last = shown.sort_values("date").groupby("account").tail(1).set_index("account")
    ends = "; ".join(MESSAGES["audience_end"].format(account=name, followers=int(last.loc[name, "followers"]),
                                                     date=date_text(last.loc[name, "date"], "%d %b %Y"))
                     for name in accounts if name in last.index)
    description = MESSAGES["audience_description"].format(accounts=", ".join(accounts), ends=ends)
    if shown["date"].min() <= pd.Timestamp(HANDOVER_DAY) <= shown["date"].max():
        chart = chart + _handover_rule()
    return described(chart, MESSAGES["audience_title"], description, subtitle=MESSAGES["simulated_subtitle"],
                     data=audience)


def leader_accounts(leaders: pd.DataFrame, platform: str = "twitter") -> pd.DataFrame:
    """Per country of ``leaders`` (a table like ``latam_leader_accounts_2014``): whether the replication data
    record a personal and an institutional account on ``platform`` (``"twitter"`` or ``"facebook"``), and which
    of four cases that is (both, personal only, institutional only, none)."""
    personal = leaders[f"{platform}_personal"].notna()
    institutional = leaders[f"{platform}_institutional"].notna()
    cases = MESSAGES["account_cases"]
    case = [cases["both"] if p and i else cases["personal"] if p else cases["institutional"] if i else cases["none"]
            for p, i in zip(personal, institutional)]
    table = pd.DataFrame({"country": leaders["country"], "leader": leaders["leader"], "office": leaders["office"],
                          "personal": personal, "institutional": institutional, "accounts": case})
    table.attrs = dict(leaders.attrs)
    return table.reset_index(drop=True)


def leader_accounts_chart(leaders: pd.DataFrame) -> alt.Chart:
    """Grid chart: one row per country, one column per platform and kind of account, filled where the data
    record an account. The subtitle names the data's source (SIMULATED if the table is)."""
    rows = []
    for platform in ("twitter", "facebook"):
        for kind in ("personal", "institutional"):
            column = f"{platform}_{kind}"
            rows.append(pd.DataFrame({"country": leaders["country"], "account": MESSAGES["grid_columns"][column],
                                      "handle": leaders[column].fillna(MESSAGES["no_account"]),
                                      "recorded": leaders[column].notna().map(MESSAGES["recorded"])}))
    grid = pd.concat(rows, ignore_index=True)
    chart = alt.Chart(grid).mark_rect(stroke="white").encode(
        x=alt.X("account:N", title=None, sort=list(MESSAGES["grid_columns"].values()), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("country:N", title=None),
        color=alt.Color("recorded:N", title=None, scale=alt.Scale(domain=list(MESSAGES["recorded"].values()),
                                                                  range=["#0072B2", "#E8E8E8"])),
        tooltip=["country:N", "account:N", "handle:N"],
    ).properties(height=alt.Step(18))
    twitter = leader_accounts(leaders, "twitter")["accounts"].value_counts()
    description = MESSAGES["grid_description"].format(
        n=len(leaders), both=int(twitter.get(MESSAGES["account_cases"]["both"], 0)),
        personal=int(twitter.get(MESSAGES["account_cases"]["personal"], 0)))
    return described(chart, MESSAGES["grid_title"], description, subtitle=provenance(leaders) or None)


def timeline_chart(events: pd.DataFrame, start=None, end=None) -> alt.Chart:
    """Dot chart of dated events (optionally between ``start`` and ``end``), one row per country.

    Dots are hollow where the date is approximate or only a month or year.
    """
    data = events.assign(exact=events["date_precision"] == "day")
    if start is not None:
        data = data[data["date"] >= pd.Timestamp(start)]
    if end is not None:
        data = data[data["date"] <= pd.Timestamp(end)]
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(padding=16)),
        y=alt.Y("country:N", title=None),
        color=alt.Color("category:N", title="kind of event"),
        shape=alt.Shape("category:N", title="kind of event"),
    )
    exact = base.transform_filter("datum.exact").mark_point(size=110, filled=True, opacity=0.9)
    inexact = base.transform_filter("!datum.exact").mark_point(size=110, filled=False, strokeWidth=2.5)
    chart = (exact + inexact).properties(height=alt.Step(36))
    start, end = data["date"].min().year, data["date"].max().year
    return described(chart, MESSAGES["timeline_title"].format(start=start, end=end),
                     MESSAGES["timeline_description"].format(n=len(data)))
