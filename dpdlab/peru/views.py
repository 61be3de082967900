"""Charts, views and widgets of the ICJ case.

View functions (``explore_posts``, ``judgment_day_plan``) are plain functions of the widget values; the widget
builders (``explorer``, ``plan_what_if``) only wire controls to them (see :mod:`dpdlab.widgets`).
"""
from __future__ import annotations

import functools

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from dpdlab.i18n import cached_per_edition, date_text
from dpdlab.charts import (PALETTE, choices, described, following, in_window, per_choice, window_scale, with_data,
                           with_window)
from dpdlab.data import is_bundled, mark_simulated, provenance
from dpdlab.peru.datasets import CASE_IDS, FRAMES, TONES
from dpdlab.peru.model import (CASES, ESCALATING, LANGUAGES, TIMINGS, _check_case, case_posts, plan_outcome,
                               tension_band, tension_from)
from dpdlab.peru.text import CASE_SHORT, CASE_TITLES, LANGUAGE_NAMES, MESSAGES, TIMING_NAMES
from dpdlab.widgets import View, labelled, linked

AXES = MESSAGES["axes"]
# Warm colours escalate, cool colours explain or reassure (Okabe-Ito, colour-blind safe).
FRAME_COLOURS = {"legal-explanatory": PALETTE[0], "calming": PALETTE[4], "triumphalist": PALETTE[1],
                 "nationalist": PALETTE[5], "conciliatory": PALETTE[2]}
_FRAME_SCALE = alt.Scale(domain=list(FRAMES), range=[FRAME_COLOURS[f] for f in FRAMES])
TONE_COLOURS = {"de-escalating": PALETTE[2], "neutral": PALETTE[0], "escalating": PALETTE[5],
                MESSAGES["tone_not_assessed"]: "#999999"}


def _day(value) -> str:
    return date_text(pd.Timestamp(value), "%d %b %Y")


def engagement(posts: pd.DataFrame) -> pd.Series:
    """Interactions of each post: likes + reposts + replies."""
    return posts["likes"] + posts["reposts"] + posts["replies"]


def phase(posts: pd.DataFrame) -> pd.Series:
    """'before' for posts before judgment day, 'after' for posts on or after it."""
    return posts["days_from_judgment"].ge(0).map({False: MESSAGES["phase_before"], True: MESSAGES["phase_after"]})


def case_view(posts: pd.DataFrame, case: str) -> View:
    """A note on the selected case: its title, corpus size, window and judgment day."""
    spec = _check_case(case)
    rows = case_posts(posts, case)
    other = next(c for c in CASE_IDS if c != case)
    note = MESSAGES["case_note"].format(title=CASE_TITLES[case], posts=len(rows), start=_day(rows["date"].min()),
                                        end=_day(rows["date"].max()), judgment=_day(spec["judgment"]), other=other)
    return View(note=note)


# --- fact tables -------------------------------------------------------------------------------------------

def communication_chart(events: pd.DataFrame) -> alt.Chart:
    """Dot chart of dated communication events by country, coloured by the course's reading of their tone."""
    dated = events[events["date"].notna()]
    data = dated.assign(tone_shown=dated["tone"].fillna(MESSAGES["tone_not_assessed"]),
                        exact=dated["date_precision"].isin(["day", "reported"]))
    domain = [*TONES, MESSAGES["tone_not_assessed"]]
    chart = alt.Chart(data).mark_point(size=110, filled=True, opacity=0.85).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(padding=14)),
        y=alt.Y("country:N", title=None),
        color=alt.Color("tone_shown:N", title=AXES["tone_legend"],
                        scale=alt.Scale(domain=domain, range=[TONE_COLOURS[t] for t in domain])),
        shape=alt.Shape("kind:N", title=AXES["kind"]),
    ).properties(height=alt.Step(40))
    counts = data["tone"].value_counts()
    own = bool(events.attrs.get("path")) and not is_bundled(events, "icj_case_communication")
    return described(chart, MESSAGES["communication_title"], MESSAGES["communication_description"].format(
        n=len(data), escalating=int(counts.get("escalating", 0)), de_escalating=int(counts.get("de-escalating", 0))),
        subtitle=(provenance(events) or None) if own else None)  # a user's file is named by its source


# --- the simulated corpus ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _event_rules(case: str, events: tuple) -> alt.LayerChart:
    marker = pd.DataFrame(list(events), columns=["date", "label"])
    rule = alt.Chart(marker).mark_rule(strokeDash=[4, 3], color="#444").encode(x="date:T")
    text = alt.Chart(marker.drop_duplicates("label")).mark_text(align="left", dx=3, dy=-4, color="#444",
                                                               angle=0).encode(
        x="date:T", y=alt.value(8), text="label:N")
    return rule + text


def volume_chart(posts: pd.DataFrame, procedure: pd.DataFrame, case: str) -> alt.LayerChart:
    """Simulated posts per day of ``case`` with dashed lines at the case's real procedural dates."""
    rows = case_posts(posts, case)
    start, end = CASES[case]["window"]
    days = pd.date_range(start, end, freq="D")
    daily = rows.groupby("date").size().reindex(days, fill_value=0).rename_axis("date").reset_index(name="posts")
    bars = alt.Chart(daily).mark_bar(width=2).encode(
        x=alt.X("date:T", title=None), y=alt.Y("posts:Q", title=AXES["posts_per_day"]))
    steps = procedure[(procedure["case"] == case) & procedure["date"].between(days[0], days[-1])
                      & (procedure["date_precision"] == "day")]
    events = tuple((d, MESSAGES["stage_names"][s]) for d, s in zip(steps["date"], steps["stage"]))
    peak = daily.loc[daily["posts"].idxmax()]
    description = MESSAGES["volume_description"].format(start=_day(start), end=_day(end), n=len(rows),
                                                        peak_day=_day(peak["date"]), peak=int(peak["posts"]))
    return described(bars + _event_rules(case, events), MESSAGES["volume_title"].format(case=CASE_SHORT[case]),
                     description, subtitle=MESSAGES["simulated_subtitle"], data=posts)


def _frame_rows(frame: np.ndarray, interactions: np.ndarray, tone: np.ndarray) -> list[dict]:
    rows = []
    for name in FRAMES:
        chosen = frame == name
        if chosen.any():
            rows.append({"frame": name, "posts": int(chosen.sum()),
                         "median_engagement": float(np.median(interactions[chosen])),
                         "mean_tone": round(float(tone[chosen].mean()), 2)})
    total = sum(r["posts"] for r in rows)
    for r in rows:
        r["share"] = round(r["posts"] / total, 3)
    return rows


_SUMMARY_ORDER = ["frame", "posts", "share", "median_engagement", "mean_tone"]


def frame_summary(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per frame present in ``posts``: posts, share of posts, median interactions and mean tone."""
    rows = _frame_rows(posts["frame"].to_numpy(dtype=object), engagement(posts).to_numpy(dtype=float),
                       posts["tone"].to_numpy(dtype=float))
    return _labelled(pd.DataFrame(rows, columns=_SUMMARY_ORDER).rename(columns=MESSAGES["summary_columns"]), posts)



@cached_per_edition  # built once: a move of the dates changes the window (drawn in the browser) and the title
def _explorer_template() -> alt.Chart:
    return in_window(alt.Chart().mark_bar().encode(
        x=alt.X("date:T", title=None, scale=window_scale("dates")), y=alt.Y("posts:Q", title=AXES["posts_per_day"]),
        color=alt.Color("frame:N", title=AXES["frame"], scale=_FRAME_SCALE)), "date", "dates")


def explore_posts(posts: pd.DataFrame, start, end, frames) -> View:
    """The explorer's view: posts between ``start`` and ``end`` (inclusive) whose frame is in ``frames``.

    Returns a :class:`~dpdlab.widgets.View` with a stacked bar chart of posts per day by frame, the
    :func:`frame_summary` table and the three most engaged posts. ``extra`` holds ``posts`` (the count) and
    ``top_frame``. Raises ``ValueError`` when no frame is chosen or the window holds no post.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start > end:
        start, end = end, start
    frames = [f for f in FRAMES if f in set(frames)]
    if not frames:
        raise ValueError(MESSAGES["explorer_no_frames"])
    labels = {"start": _day(start), "end": _day(end), "frames": ", ".join(frames)}
    # plain numpy arrays: a slider moves often, and pandas' per-call overhead would dominate
    dates = posts["date"].to_numpy()
    frame = posts["frame"].to_numpy(dtype=object)
    chosen = (dates >= start.to_datetime64()) & (dates <= end.to_datetime64()) & np.isin(frame, frames)
    n = int(chosen.sum())
    if not n:
        raise ValueError(MESSAGES["explorer_empty"].format(**labels))
    # every day of the chosen frames: the chart's window is drawn from the slider in the browser at once
    framed = np.isin(frame, frames)
    daily = pd.DataFrame({"date": dates[framed], "frame": frame[framed]}).value_counts().reset_index(name="posts")
    dates, frame = dates[chosen], frame[chosen]
    interactions = engagement(posts).to_numpy(dtype=float)[chosen]
    summary = _frame_rows(frame, interactions, posts["tone"].to_numpy(dtype=float)[chosen])
    counts = {r["frame"]: r["posts"] for r in summary}
    top = max(frames, key=lambda f: counts.get(f, 0))  # ties go to the frame listed first
    chart = described(with_window(with_data(_explorer_template(), daily), "dates", start, end),
                      MESSAGES["explorer_title"].format(**labels),
                      MESSAGES["explorer_description"].format(n=n, top=top, **labels),
                      subtitle=MESSAGES["simulated_subtitle"], data=posts)
    best = np.argsort(-interactions, kind="stable")[:3]
    accounts, texts = posts["account"].to_numpy()[chosen], posts["text"].to_numpy()[chosen]
    examples = "\n".join(MESSAGES["explorer_example"].format(
        account=accounts[i], date=_day(dates[i]), frame=frame[i], engagement=int(interactions[i]), text=texts[i])
        for i in best)
    note = MESSAGES["explorer_note"].format(n=n, examples=examples, **labels)
    table = _labelled(pd.DataFrame(summary, columns=_SUMMARY_ORDER).rename(columns=MESSAGES["summary_columns"]), posts)
    return View(chart=chart, figures=table, note=note, extra={"posts": n, "top_frame": top})


def explorer(posts: pd.DataFrame, days_before: int = 14) -> w.VBox:
    """Widget: a date window and a choice of frames over the simulated posts (calls :func:`explore_posts`).

    The window opens ``days_before`` days before judgment day and runs to the last post.
    """
    dates = pd.date_range(posts["date"].min(), posts["date"].max(), freq="D")
    options = [(date_text(d, "%d %b %Y"), d) for d in dates]
    judgment = (posts["date"] - pd.to_timedelta(posts["days_from_judgment"], unit="D")).iloc[0]
    first = int(dates.searchsorted(judgment - pd.Timedelta(days=days_before)))
    controls = {
        "dates": labelled(w.SelectionRangeSlider(options=options, index=(min(first, len(options) - 1),
                                                                          len(options) - 1)),
                          MESSAGES["explorer_dates"], width="40em"),
        "frames": labelled(w.SelectMultiple(options=list(FRAMES), value=tuple(FRAMES), rows=len(FRAMES)),
                           MESSAGES["explorer_frames"], width="22em"),
    }
    return linked(lambda dates, frames: explore_posts(posts, *dates, frames), controls, columns=2)


def _frame_audience_panel(data: pd.DataFrame, measure: str) -> tuple[alt.Chart, pd.Series]:
    values = engagement(data) if measure == "engagement" else data["tone"]
    framed = data.assign(value=values, phase=phase(data))
    means = framed.groupby(["audience_country", "frame", "phase"], as_index=False)["value"].mean()
    phases = [MESSAGES["phase_before"], MESSAGES["phase_after"]]
    chart = alt.Chart(means).mark_bar().encode(
        x=alt.X("frame:N", title=None, sort=list(FRAMES)),
        xOffset=alt.XOffset("phase:N", sort=phases),
        y=alt.Y("value:Q", title=MESSAGES["measure_axes"][measure]),
        color=alt.Color("phase:N", title=AXES["phase"], sort=phases, scale=alt.Scale(range=[PALETTE[4], PALETTE[0]])),
        column=alt.Column("audience_country:N", title=AXES["audience"]),
    ).properties(width=170, height=170)
    return chart, framed.groupby("phase")["value"].mean()


def frame_audience_chart(posts: pd.DataFrame, measures=("engagement", "tone")) -> alt.VConcatChart:
    """Mean interactions and/or mean tone by frame, audience and phase (before/after judgment day), one row of
    panels per measure. ``measures`` is a tuple of ``'engagement'`` and ``'tone'``."""
    measures = (measures,) if isinstance(measures, str) else tuple(measures)
    unknown = [m for m in measures if m not in MESSAGES["measure_names"]]
    if unknown or not measures:
        raise ValueError(MESSAGES["bad_measures"].format(allowed=", ".join(MESSAGES["measure_names"])))
    panels, sentences = [], []
    for measure in measures:
        chart, overall = _frame_audience_panel(posts, measure)
        panels.append(chart)
        sentences.append(MESSAGES["engagement_sentence"].format(
            measure=MESSAGES["measure_names"][measure], before=overall.get(MESSAGES["phase_before"], float("nan")),
            after=overall.get(MESSAGES["phase_after"], float("nan"))))
    description = MESSAGES["engagement_description"].format(sentences=" ".join(sentences))
    return described(alt.vconcat(*panels), MESSAGES["engagement_title"], description,
                     subtitle=MESSAGES["simulated_subtitle"], data=posts)


def case_comparison(posts: pd.DataFrame) -> pd.DataFrame:
    """Both cases side by side: official posts, share of escalating frames among them before and after
    judgment day, their mean tone after it, and how many more interactions escalating posts get."""
    rows = []
    for case in CASE_IDS:
        data = case_posts(posts, case)
        official = data[data["account_type"] == "official"]
        after = official["days_from_judgment"] >= 0
        escalating = official["frame"].isin(ESCALATING)
        all_escalating = data["frame"].isin(ESCALATING)
        interactions = engagement(data)
        rows.append({"case": CASE_SHORT[case], "official_posts": len(official),
                     "escalating_before": round(float(escalating[~after].mean()), 2),
                     "escalating_after": round(float(escalating[after].mean()), 2),
                     "tone_after": round(float(official.loc[after, "tone"].mean()), 2),
                     "engagement_ratio": round(float(interactions[all_escalating].mean()
                                                     / interactions[~all_escalating].mean()), 2)})
    return _labelled(pd.DataFrame(rows).rename(columns=MESSAGES["comparison_columns"]), posts)


# --- the judgment-day what-if ------------------------------------------------------------------------------

@cached_per_edition  # built once: a new plan changes the data and the title alone
def _plan_template() -> alt.HConcatChart:
    bars = alt.Chart(width=330, height=alt.Step(26)).transform_filter("datum.part == 'post'").mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("reach:Q", title=MESSAGES["reach_label"]),
        color=alt.Color("frame:N", title=AXES["frame"], scale=_FRAME_SCALE),
    )
    # grey, not a palette colour: beside the frame legend, a coloured gauge would read as one of the frames
    gauge = alt.Chart(width=180, height=alt.Step(26)).transform_filter("datum.part == 'gauge'").mark_bar(
        color="#555555").encode(
        x=alt.X("value:Q", title=MESSAGES["tension_label"], scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("what:N", title=None),
    )
    # the rows of the first post's chosen timing (dpdlab.charts.per_choice): a new choice is drawn at once
    return per_choice(alt.hconcat(bars, gauge), "timing_1")


def _plan_rows(plan: list[dict]) -> tuple[pd.DataFrame, list[dict], float]:
    """A plan's outcome, the rows its chart draws (posts, then the tension gauge) and its tension."""
    outcome = plan_outcome(plan)
    tension = tension_from(outcome)
    posts = outcome.to_dict("records")
    for row in posts:
        row.update(label=MESSAGES["plan_bar"].format(n=row["post"], timing=TIMING_NAMES[row["timing"]]), part="post")
    # one dataset for both panels (each keeps its own rows), so a new plan changes the data alone
    return outcome, [*posts, {"part": "gauge", "what": "tension", "value": tension}], tension


def judgment_day_plan(timing_1: str, frame_1: str, language_1: str, timing_2: str, frame_2: str, language_2: str,
                      timing_3: str, frame_3: str, language_3: str) -> View:
    """The what-if's view: a plan of three posts scored by the model (:func:`~dpdlab.peru.model.plan_outcome`).

    Returns a chart of each post's simulated reach next to the tension indicator, the per-post table and a note;
    ``extra`` holds ``reach`` (total), ``tension`` (0-100) and ``band``.
    """
    plan = [{"timing": timing_1, "frame": frame_1, "language": language_1},
            {"timing": timing_2, "frame": frame_2, "language": language_2},
            {"timing": timing_3, "frame": frame_3, "language": language_3}]
    # the chart holds the plan with each timing of the first post, and shows the chosen one's
    variants = {t: _plan_rows([{**plan[0], "timing": t}, *plan[1:]]) for t in TIMINGS}
    outcome, _, tension = variants[timing_1]
    band = tension_band(tension)
    reach = float(outcome["reach"].sum())
    plot = choices({t: rows for t, (_, rows, _) in variants.items()}, "timing_1")
    shown_band = MESSAGES["band_names"][band]
    chart = described(following(with_data(_plan_template(), plot), timing_1=timing_1),
                      MESSAGES["plan_title"].format(reach=reach, tension=tension, band=shown_band),
                      MESSAGES["plan_description"].format(n=len(plan), tension=tension, band=shown_band),
                      subtitle=MESSAGES["model_subtitle"])
    table = outcome.drop(columns=["hours"]).assign(
        timing=outcome["timing"].map(TIMING_NAMES), language=outcome["language"].map(LANGUAGE_NAMES),
        reach=outcome["reach"].round(0).astype(int), tension=outcome["tension"].round(2))
    note = MESSAGES["plan_note"].format(reach=reach, tension=tension, band=shown_band,
                                        advice=MESSAGES[f"plan_advice_{band}"])
    figures = table.rename(columns=MESSAGES["plan_columns"]).set_index(MESSAGES["plan_columns"]["post"])
    return View(chart=chart, figures=figures, note=note, extra={"reach": reach, "tension": tension, "band": band})


# The widget opens on a plan with a triumphalist post as the Court reads, for the student to improve.
DEFAULT_PLAN = (("at_reading", "triumphalist", "es"), ("with_addresses", "calming", "es"),
                ("evening", "conciliatory", "en"))


def plan_what_if(plan=DEFAULT_PLAN) -> w.VBox:
    """Widget: timing, frame and language of three judgment-day posts (calls :func:`judgment_day_plan`)."""
    controls = {}
    for n, (timing, frame, language) in enumerate(plan, start=1):
        controls[f"timing_{n}"] = labelled(
            w.Dropdown(options=[(TIMING_NAMES[t], t) for t in TIMINGS], value=timing),
            MESSAGES["plan_timing"].format(n=n), width="24em")
        controls[f"frame_{n}"] = labelled(w.Dropdown(options=list(FRAMES), value=frame), MESSAGES["plan_frame"],
                                          width="16em")
        controls[f"language_{n}"] = labelled(
            w.Dropdown(options=[(LANGUAGE_NAMES[x], x) for x in LANGUAGES], value=language),
            MESSAGES["plan_language"], width="13em")
    return linked(judgment_day_plan, controls, columns=3)


def _labelled(table: pd.DataFrame, source) -> pd.DataFrame:
    """``table`` with "SIMULATED posts" over its columns when ``source`` is simulated."""
    return mark_simulated(table, source, MESSAGES["simulated_axis"])
