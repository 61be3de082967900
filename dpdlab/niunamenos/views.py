"""Charts, views and widgets of the Ni Una Menos case.

View functions (``bass_by_eye``, ``country_report``) are plain functions of their inputs; the widget
builder :func:`fit_by_eye` only wires controls to one of them (see :mod:`dpdlab.widgets`).
"""
from __future__ import annotations


import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from dpdlab.i18n import cached_per_edition, date_text
from dpdlab.charts import bound_parameter, described, following, with_data
from dpdlab.data import is_bundled, mark_simulated, provenance
from dpdlab.niunamenos import analysis, model
from dpdlab.niunamenos.datasets import MARCH_KINDS
from dpdlab.niunamenos.text import FORMAL_KINDS, KIND_NAMES, MESSAGES
from dpdlab.widgets import View, labelled, linked



def _facts_subtitle(*tables: tuple[pd.DataFrame, str], base: str | None = None, keep_base: bool = False) -> str:
    """The subtitle of a chart of the case's fact tables, given as ``(table, dataset name)`` pairs: the
    course's line (``base``, default: reported facts with sources in data/SOURCES.md) when every table is
    the course's own; otherwise the source of each user's file, then ``base`` if some table is the course's
    (or ``keep_base``)."""
    base = MESSAGES["facts_subtitle"] if base is None else base
    own = [t for t, name in tables if getattr(t, "attrs", {}).get("path") and not is_bundled(t, name)]
    named = list(dict.fromkeys(provenance(t) for t in own if provenance(t)))
    if not named:
        return base
    return "; ".join(named + ([base] if keep_base or len(own) < len(tables) else []))


def _marches(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["kind"].isin(MARCH_KINDS)]


# --- simulated activity -----------------------------------------------------------------------------------

def adoption_chart(hashtags: pd.DataFrame) -> alt.Chart:
    """Static chart: each country's simulated running total of accounts that have used the hashtag."""
    weekly = hashtags[hashtags["date"].dt.day_of_week == 6]  # one point a week keeps the chart light
    last = hashtags[hashtags["date"] == hashtags["date"].max()].sort_values("adopters", ascending=False)
    order = list(last["country"])
    chart = alt.Chart(weekly).mark_line(interpolate="step-after").encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("adopters:Q", title=MESSAGES["adopters_axis"]),
        color=alt.Color("country:N", title=None, sort=order),
    )
    description = MESSAGES["adoption_description"].format(
        start=date_text(hashtags["date"].min(), "%d %b %Y"), end=date_text(hashtags["date"].max(), "%d %b %Y"),
        top_country=order[0], top=int(last["adopters"].iloc[0]))
    return described(chart, MESSAGES["adoption_title"], description,
                     subtitle=MESSAGES["simulated_subtitle"], data=hashtags)


def activity_chart(hashtags: pd.DataFrame, events: pd.DataFrame, country: str) -> alt.LayerChart:
    """Static chart: a country's simulated daily posts, with its march days marked."""
    rows = hashtags[hashtags["country"] == country]
    if rows.empty:
        raise ValueError(MESSAGES["report_unknown"].format(country=country,
                                                           known=", ".join(sorted(hashtags["country"].unique()))))
    marches = _marches(events)
    marches = marches[marches["country"] == country]
    line = alt.Chart(rows).mark_line(strokeWidth=1.5).encode(
        x=alt.X("date:T", title=None), y=alt.Y("posts:Q", title=MESSAGES["posts_axis"]))
    rules = alt.Chart(marches[["date"]]).mark_rule(strokeDash=[4, 3], color="#444").encode(x="date:T")
    peak = rows.loc[rows["posts"].idxmax()]
    description = MESSAGES["activity_description"].format(
        country=country, start=date_text(rows["date"].min(), "%d %b %Y"), end=date_text(rows["date"].max(), "%d %b %Y"),
        n=len(marches), peak=date_text(peak["date"], "%d %b %Y"), posts=int(peak["posts"]))
    return described(line + rules, MESSAGES["activity_title"].format(country=country), description,
                     subtitle=MESSAGES["simulated_subtitle"], data=rows)


# --- fitting a Bass curve by eye ------------------------------------------------------------------------------

@cached_per_edition  # built once: a slider move changes the data and the title alone
def _fit_template() -> alt.LayerChart:
    colour = alt.Color("series:N", title=None, sort=[MESSAGES["fit_observed"], MESSAGES["fit_model"]])
    x = alt.X("t:Q", title=MESSAGES["fit_axis_t"])
    y = alt.Y("adopters:Q", title=MESSAGES["adopters_axis"])
    dots = alt.Chart().transform_filter(alt.datum.series == MESSAGES["fit_observed"]).mark_point(
        size=18, filled=True).encode(x=x, y=y, color=colour)
    # the Bass curve m * F(t), computed in the chart from the sliders' p, q and m (dpdlab.charts.following):
    # a move redraws it in the browser at once
    p, q, m = (bound_parameter(name) for name in ("p", "q", "m"))
    decay = f"exp(-({p} + {q}) * max(datum.t, 0))"
    line = alt.Chart().transform_filter(alt.datum.series == MESSAGES["fit_model"]).transform_calculate(
        adopters=f"{m} * (1 - {decay}) / (1 + ({q} / {p}) * {decay})").mark_line(
        strokeWidth=2.5).encode(x=x, y=y, color=colour)
    return alt.layer(dots, line)


def bass_by_eye(curve: pd.DataFrame, p: float, q: float, m: float, country: str = "") -> View:
    """The by-eye view: a first wave's simulated adopters (``curve`` from ``adoption_curve``) against the
    Bass curve with ``p``, ``q``, ``m``. Figures: RMSE, R², the curve's peak day, last observed value."""
    t = curve["t"].to_numpy()
    quality = model.fit_quality(t, curve["adopters"], p, q, m)
    peak = model.bass_peak_time(p, q)
    fitted = model.bass_cumulative(t, p, q, m)
    plot = pd.DataFrame({"t": np.concatenate([t, t]),
                         "adopters": np.concatenate([curve["adopters"].to_numpy(dtype=float), fitted]),
                         "series": [MESSAGES["fit_observed"]] * len(t) + [MESSAGES["fit_model"]] * len(t)})
    labels = {"country": country or "the country", "p": p, "q": q, "m": m, "days": len(t), **quality}
    chart = described(following(with_data(_fit_template(), plot), p=p, q=q, m=m), MESSAGES["fit_title"].format(**labels),
                      MESSAGES["fit_description"].format(**labels), subtitle=MESSAGES["simulated_subtitle"], data=curve)
    figures = {"rmse": round(quality["rmse"], 1), "r2": round(quality["r2"], 4), "peak_day": round(peak, 1),
               "last_observed": int(curve["adopters"].iloc[-1])}
    names = MESSAGES["fit_figures"]
    table = _labelled(pd.DataFrame({"figure": [names[k] for k in figures],
                                    "value": [f"{v:,}" for v in figures.values()]}), curve)
    return View(chart=chart, figures=table, note=MESSAGES["fit_note"].format(peak=peak, **quality), extra=figures)



def fit_by_eye(hashtags: pd.DataFrame, country: str = "Argentina") -> w.VBox:
    """Widget: choose a country and move p, q and m until the Bass curve follows its first wave."""
    countries = sorted(hashtags["country"].unique())
    curves = {c: model.adoption_curve(hashtags, c) for c in countries}
    controls = {
        "country": labelled(w.Dropdown(options=countries, value=country), MESSAGES["widget_country"], "16em"),
        "p": labelled(w.FloatLogSlider(value=0.01, base=10, min=-5, max=-1, step=0.05, readout_format=".5f"),
                      MESSAGES["widget_p"], "26em"),
        "q": labelled(w.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.01, readout_format=".2f"),
                      MESSAGES["widget_q"], "26em"),
        "m": labelled(w.IntSlider(value=100_000, min=5_000, max=500_000, step=5_000), MESSAGES["widget_m"], "26em"),
    }
    return linked(lambda country, p, q, m: bass_by_eye(curves[country], p, q, m, country), controls, columns=2)


# --- timing, network and policies (facts) ------------------------------------------------------------------

def timing_table(events: pd.DataFrame, policies: pd.DataFrame, kinds: tuple[str, ...] = FORMAL_KINDS) -> pd.DataFrame:
    """One row per country that marched: its first march and first formal response, in days after the
    movement's first march (``days_to_response`` is empty where the table has no dated response)."""
    first = analysis.first_marches(events)
    responses = analysis.first_responses(policies, kinds).set_index("jurisdiction")
    start = first["date"].iloc[0]
    table = first.rename(columns={"date": "first_march", "days_after_first": "days_to_march"})
    table["first_response"] = table["country"].map(responses["date"])
    table["response"] = table["country"].map(responses["policy_id"])
    table["days_to_response"] = (table["first_response"] - start).dt.days.astype("Int64")
    return table[["country", "first_march", "days_to_march", "response", "first_response", "days_to_response"]]


def timing_chart(events: pd.DataFrame, policies: pd.DataFrame) -> alt.LayerChart:
    """Dot chart: days from the first march to each country's first march and first formal response."""
    table = timing_table(events, policies)
    long = pd.concat([
        table[["country", "days_to_march"]].rename(columns={"days_to_march": "days"}).assign(
            step=MESSAGES["timing_first_march"]),
        table[["country", "days_to_response"]].dropna().rename(columns={"days_to_response": "days"}).assign(
            step=MESSAGES["timing_first_response"]),
    ], ignore_index=True)
    long["days"] = long["days"].astype(int)
    order = list(table["country"])
    steps = [MESSAGES["timing_first_march"], MESSAGES["timing_first_response"]]
    chart = alt.Chart(long).mark_point(size=120, filled=True).encode(
        x=alt.X("days:Q", title=MESSAGES["timing_axis"]),
        y=alt.Y("country:N", title=None, sort=order),
        color=alt.Color("step:N", title=None, scale=alt.Scale(domain=steps)),
        shape=alt.Shape("step:N", title=None, scale=alt.Scale(domain=steps, range=["circle", "square"])),
    ).properties(height=alt.Step(28))
    description = MESSAGES["timing_description"].format(marched=len(table),
                                                        responded=int(table["days_to_response"].notna().sum()))
    return described(chart, MESSAGES["timing_title"], description,
                     subtitle=_facts_subtitle((events, "niunamenos_events"), (policies, "niunamenos_policies")))


def network_chart(links: pd.DataFrame, events: pd.DataFrame, rule: str = "most_recent") -> alt.LayerChart:
    """The diffusion network drawn over time: a dot per country's first march, a line per link."""
    first = analysis.first_marches(events).set_index("country")["date"]
    order = list(first.index)
    segments = links.assign(leader_date=links["leader"].map(first), follower_date=links["follower"].map(first),
                            via=links["via"].map(MESSAGES["network_via"]))
    lines = alt.Chart(segments).mark_rule(strokeWidth=2).encode(
        x=alt.X("leader_date:T", title=None), x2="follower_date:T",
        y=alt.Y("leader:N", sort=order, title=None), y2="follower:N",
        color=alt.Color("via:N", title=None), strokeDash=alt.StrokeDash("via:N", legend=None))
    dots = alt.Chart(first.reset_index()).mark_point(size=110, filled=True, color="#000").encode(
        x="date:T", y=alt.Y("country:N", sort=order))
    chart = (lines + dots).properties(height=alt.Step(30))
    return described(chart, MESSAGES["network_title"],
                     MESSAGES["network_description"].format(rule=rule, n=len(links), origin=order[0]),
                     subtitle=_facts_subtitle((events, "niunamenos_events"), base=MESSAGES["network_subtitle"],
                                              keep_base=True))


def policy_chart(policies: pd.DataFrame, start=None) -> alt.LayerChart:
    """Dot chart of dated policy steps (optionally from ``start``), one row per jurisdiction."""
    data = policies if start is None else policies[policies["date"] >= pd.Timestamp(start)]
    data = data.assign(exact=data["date_precision"] == "day", kind_name=data["kind"].map(KIND_NAMES))
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(padding=16)),
        y=alt.Y("jurisdiction:N", title=None),
        color=alt.Color("kind_name:N", title="kind"),
        shape=alt.Shape("kind_name:N", title="kind"),
    )
    exact = base.transform_filter("datum.exact").mark_point(size=110, filled=True, opacity=0.9)
    inexact = base.transform_filter("!datum.exact").mark_point(size=110, filled=False, strokeWidth=2.5)
    chart = (exact + inexact).properties(height=alt.Step(34))
    return described(chart, MESSAGES["policy_title"].format(start=data["date"].min().year, end=data["date"].max().year),
                     MESSAGES["policy_description"].format(n=len(data)),
                     subtitle=_facts_subtitle((policies, "niunamenos_policies")))


def register_chart(register: pd.DataFrame) -> alt.Chart:
    """Bar chart of the register's victims per year (aggregate counts). Titled as Argentina's national
    register only when ``register`` is the course's own file; a user's register is named by its source."""
    chart = alt.Chart(register).mark_bar().encode(
        x=alt.X("year:O", title=None), y=alt.Y("victims:Q", title=MESSAGES["register_axis"]))
    pairs = ", ".join(f"{int(r.year)}: {int(r.victims)}" for r in register.itertuples())
    if is_bundled(register, "niunamenos_femicide_register"):
        return described(chart.properties(width=280), MESSAGES["register_title"],
                         MESSAGES["register_description"].format(pairs=pairs), subtitle=MESSAGES["facts_subtitle"])
    return described(chart.properties(width=280), MESSAGES["register_title_own"],
                     MESSAGES["register_description_own"].format(pairs=pairs),
                     subtitle=provenance(register) or MESSAGES["facts_subtitle"])


# --- crowds: offline turnout against online volume ------------------------------------------------------------

def crowd_chart(crowds: pd.DataFrame, events: pd.DataFrame) -> alt.LayerChart:
    """Range chart of the crowd estimates, one row per estimate, coloured by the kind of estimator."""
    data = crowds.merge(events[["event_id", "country", "date"]], on="event_id")
    data = data.assign(label=data["country"] + " " + data["date"].dt.strftime("%Y-%m-%d") + " · " + data["area"],
                       high=data["crowd_high"].astype("Float64"))
    order = list(data.sort_values(["date", "crowd_low"])["label"])
    base = alt.Chart(data).encode(y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
                                  color=alt.Color("estimator_kind:N", title="estimator"))
    ranges = base.transform_filter("isValid(datum.high)").mark_rule(strokeWidth=6, opacity=0.8).encode(
        x=alt.X("crowd_low:Q", title=MESSAGES["crowd_axis"], scale=alt.Scale(type="log")), x2="high:Q")
    lows = base.mark_point(size=70, filled=True).encode(x=alt.X("crowd_low:Q", scale=alt.Scale(type="log")))
    chart = (ranges + lows).properties(height=alt.Step(26))
    return described(chart, MESSAGES["crowd_title"],
                     MESSAGES["crowd_description"].format(n=len(data), marches=data["event_id"].nunique()),
                     subtitle=_facts_subtitle((crowds, "niunamenos_crowd_estimates"), (events, "niunamenos_events")))


def online_offline(hashtags: pd.DataFrame, crowds: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per crowd estimate: the simulated posts in that country on the march day, the reported
    crowd, and posts per person at both ends of the estimate (``posts_per_person_low`` uses the high
    crowd figure, so it is empty when the estimate is open-ended)."""
    table = crowds.merge(events[["event_id", "country", "date"]], on="event_id", how="left")
    if table["date"].isna().any():
        missing = ", ".join(table.loc[table["date"].isna(), "event_id"])
        raise ValueError(f"Crowd estimates refer to events that are not in the events table: {missing}")
    posts = hashtags.set_index(["country", "date"])["posts"]
    table["posts"] = [int(posts.get((c, d), 0)) for c, d in zip(table["country"], table["date"])]
    table["posts_per_person_high"] = table["posts"] / table["crowd_low"].astype(float)
    table["posts_per_person_low"] = table["posts"] / table["crowd_high"].astype("Float64")
    return _labelled(table[["estimate_id", "country", "date", "area", "estimator_kind", "posts", "crowd_low",
                            "crowd_high", "posts_per_person_low", "posts_per_person_high"]], hashtags)


def online_offline_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Each crowd estimate as a horizontal range against the simulated posts on its march day."""
    data = table.assign(high=table["crowd_high"].astype("Float64"))
    base = alt.Chart(data).encode(y=alt.Y("posts:Q", title=MESSAGES["posts_axis"], scale=alt.Scale(type="log")),
                                  color=alt.Color("country:N", title=None))
    x = alt.X("crowd_low:Q", title=MESSAGES["crowd_axis"], scale=alt.Scale(type="log"))
    ranges = base.transform_filter("isValid(datum.high)").mark_rule(strokeWidth=4).encode(x=x, x2="high:Q")
    lows = base.mark_point(size=80, filled=True).encode(x=x, shape=alt.Shape("estimator_kind:N", title="estimator"))
    return described(ranges + lows, MESSAGES["online_title"], MESSAGES["online_description"],
                     subtitle=MESSAGES["simulated_subtitle"], data=table)


# --- the country report (the papermill parameter) -------------------------------------------------------------

def country_report(country: str, events: pd.DataFrame, crowds: pd.DataFrame, policies: pd.DataFrame,
                   hashtags: pd.DataFrame) -> View:
    """One country's report: its marches, crowds, first formal response, place in the diffusion network
    and the Bass fit of its (simulated) first wave. Raises ``ValueError`` for a country without data."""
    first = analysis.first_marches(events).set_index("country")
    if country not in first.index or country not in set(hashtags["country"]):
        raise ValueError(MESSAGES["report_unknown"].format(country=country, known=", ".join(sorted(first.index))))
    marches = _marches(events)
    own = crowds.merge(marches[["event_id", "country"]], on="event_id")
    own = own[own["country"] == country]
    crowd_text = "; ".join(MESSAGES["report_crowd"].format(wording=r.wording, area=r.area, estimator=r.estimator)
                           for r in own.itertuples()) or MESSAGES["report_no_crowds"]
    timing = timing_table(events, policies).set_index("country").loc[country]
    if pd.isna(timing["response"]):
        response_text = MESSAGES["report_no_response"]
    else:
        step = policies.set_index("policy_id").loc[timing["response"]]
        response_text = MESSAGES["report_response"].format(
            instrument=step["instrument"], kind=KIND_NAMES[step["kind"]], date=date_text(step["date"], "%d %b %Y"),
            days=int(timing["days_to_response"]))
    links = analysis.diffusion_links(events)
    leaders = ", ".join(links.loc[links["follower"] == country, "leader"]) or MESSAGES["report_none"]
    bridge = analysis.bridges(analysis.diffusion_network(links)).set_index("country")["betweenness"].get(country, 0.0)
    curve = model.adoption_curve(hashtags, country)
    fit = model.fit_bass(curve["t"], curve["adopters"])
    figures = {"first_march": date_text(first.loc[country, "date"], "%d %b %Y"),
               "days_march": int(first.loc[country, "days_after_first"]),
               "marches": int((marches["country"] == country).sum()), "p": fit["p"], "q": fit["q"],
               "m": fit["m"], "bridge": float(bridge)}
    note = MESSAGES["report_note"].format(country=country, first_march=figures["first_march"],
                                          days_march=figures["days_march"], n_marches=figures["marches"],
                                          crowds=crowd_text, response=response_text, leaders=leaders,
                                          bridge=figures["bridge"], p=fit["p"], q=fit["q"], m=fit["m"])
    note = " ".join([note, *model.bass_checks(fit)])
    names = MESSAGES["report_figure_names"]
    shown = {**figures, "p": f"{fit['p']:.5f}", "q": f"{fit['q']:.3f}", "m": f"{fit['m']:,.0f}",
             "bridge": f"{figures['bridge']:g}"}
    table = _labelled(pd.DataFrame({"figure": [names[k] for k in shown], "value": [str(v) for v in shown.values()]}),
                      hashtags)
    return View(chart=activity_chart(hashtags, events, country), figures=table, note=note, extra=figures)


def _labelled(table: pd.DataFrame, source) -> pd.DataFrame:
    """``table`` with "SIMULATED hashtag data" over its columns when ``source`` is simulated."""
    return mark_simulated(table, source, MESSAGES["simulated_axis"])
