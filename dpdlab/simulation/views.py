"""What the crisis simulation shows: the scenario, the injects (released by code word or by completed
decisions), the simulated reaction after each stage, the what-if of the reply to Ostelia, the timeline and the
scorecard.

Every view reads the team's decisions by name from a mapping, the notebook's ``globals()``: a stage not decided
yet is shown as such, so every later cell still runs. Nothing here raises on a missing or incomplete decision.
View functions return a :class:`~dpdlab.widgets.View`; the one widget (:func:`reply_what_if`) only wires
controls to :func:`reply_view`.
"""
from __future__ import annotations

import functools
from typing import Any, Mapping

import altair as alt
import ipywidgets as w
import pandas as pd

from dpdlab.charts import PALETTE, choices, described, following, per_choice, with_data
from dpdlab.data import load_dataset
from dpdlab.i18n import ENGLISH, cached_per_edition, edition
from dpdlab.simulation import model, rules, scenario
from dpdlab.simulation.text import (CREDIBILITY_REASONS, ELEMENT_COLUMNS, ELEMENTS, FRAMES, INJECTS, LANGUAGE_NAMES,
                                    MESSAGES, RULE_COLUMNS, RULES, STAGE_DECIDE, STAGE_SPEAKERS, STAGE_TITLES,
                                    STATE_COLUMNS, STATES, TIMINGS, VIEWS)
from dpdlab.widgets import View, labelled, linked

FRAME_COLOURS = {"factual": PALETTE[0], "calming": PALETTE[4], "conciliatory": PALETTE[2], "rebuttal": PALETTE[1],
                 "accusatory": PALETTE[5]}
_FRAME_SCALE = alt.Scale(domain=list(FRAMES), range=[FRAME_COLOURS[f] for f in FRAMES])


def decisions_in(namespace: Mapping[str, Any] | None) -> dict[str, Any]:
    """The decision variables (:data:`~dpdlab.simulation.scenario.DECISIONS`) found in ``namespace``."""
    namespace = namespace or {}
    return {name: namespace[name] for name in scenario.DECISIONS if name in namespace}


# --- the scenario ----------------------------------------------------------------------------------------

def scenario_table() -> pd.DataFrame:
    """The three fictional states and their part in the exercise."""
    return pd.DataFrame({"state": list(STATES), "role": list(STATES.values())}).rename(columns=STATE_COLUMNS)


def rules_table() -> pd.DataFrame:
    """The rules of the exercise, what each asks and what it is grounded in."""
    table = pd.DataFrame([{"rule": key, "title": title, "text": text, "source": source}
                          for key, (title, text, source) in RULES.items()]).rename(columns=RULE_COLUMNS)
    return table.rename_axis(columns=VIEWS["rules_rows"])


def elements_table() -> pd.DataFrame:
    """The menu of elements a post or an answer may contain."""
    return pd.DataFrame({"element": list(ELEMENTS), "meaning": list(ELEMENTS.values())}).rename(
        columns=ELEMENT_COLUMNS)


def inject_table() -> pd.DataFrame:
    """The stages of the exercise with their class minute and simulated time (the facilitator's plan)."""
    from dpdlab.simulation.text import INJECT_COLUMNS

    injects = load_dataset("crisis_simulation_injects_simulated")
    return injects[list(INJECT_COLUMNS)].rename(columns=INJECT_COLUMNS).rename_axis(columns=VIEWS["inject_rows"])


# --- injects ---------------------------------------------------------------------------------------------

@cached_per_edition
def _injects() -> dict[int, dict[str, Any]]:
    """Each stage's inject: the bundled table's rows; in a translated edition, the same rows written from the
    edition's texts (the table holds the English)."""
    frame = load_dataset("crisis_simulation_injects_simulated")
    rows = {int(row["stage"]): row for row in frame.to_dict("records")}
    if edition() != ENGLISH:
        numbers = _inject_numbers()
        for number, row in rows.items():
            rows[number] = {**row, "title": STAGE_TITLES[number], "speaker": STAGE_SPEAKERS[number],
                            "inject": INJECTS[number].format(**numbers), "decide": STAGE_DECIDE[number]}
    return rows


@functools.cache
def _inject_numbers() -> dict[str, Any]:
    return scenario.inject_numbers()  # seeded: the same figures every time


def _inject_text(number: int) -> str:
    row = _injects()[number]
    if number == 0:
        header = MESSAGES["inject_prebrief"].format(speaker=row["speaker"])
    else:
        header = MESSAGES["inject_header"].format(stage=number, clock=row["clock"], title=row["title"],
                                                  speaker=row["speaker"])
    return f"{header}\n\n> {row['inject']}\n\n{MESSAGES['inject_decide'].format(decide=row['decide'])}"


def show_inject(stage: int, mode: str = "self_paced", code_word: str = "",
                answers: Mapping[str, Any] | None = None) -> View:
    """The inject of ``stage`` if it is released, else a line saying how to release it.

    In ``"class"`` mode a stage is released by its code word (said by the facilitator); in ``"self_paced"``
    mode by completing the previous stage's decisions (read from ``answers``, the notebook's ``globals()``).
    The prebrief and stage 1 are always open in self-paced mode. Never raises for a stage not yet released.
    """
    if mode not in scenario.MODES:
        raise ValueError(MESSAGES["bad_mode"].format(mode=mode))
    number = scenario.stage(stage).number
    if number == 0:
        return View(note=_inject_text(0))
    if mode == "class":
        word = "".join(str(code_word).split())
        if not word:
            return View(note=MESSAGES["inject_locked_class"].format(stage=number))
        if not scenario.is_release_word(number, word):
            return View(note=MESSAGES["inject_wrong_word"].format(word=word[:40], stage=number))
        return View(note=_inject_text(number))
    if number > 1:
        previous = scenario.stage(number - 1)
        done, problem = rules.complete(decisions_in(answers), previous.decisions)
        if not done:
            return View(note=MESSAGES["inject_locked_self"].format(stage=number, previous=previous.number,
                                                                   problem=problem))
    return View(note=_inject_text(number))


# --- the reaction after each stage ---------------------------------------------------------------------------

def _languages(codes) -> str:
    return ", ".join(LANGUAGE_NAMES[c] for c in codes)


def _triage_chart(outcome: dict, triage: Mapping[str, Any]) -> alt.Chart:
    queue = outcome["backlog"].assign(hour=lambda t: t["minute"] / 60)
    chart = alt.Chart(queue).mark_line(point=True, color=PALETTE[0]).encode(
        x=alt.X("hour:Q", title=VIEWS["triage_x"]), y=alt.Y("waiting:Q", title=VIEWS["triage_y"]))
    description = VIEWS["triage_description"].format(staff=triage["staff"], order=VIEWS["order_names"][triage["order"]],
                                                     median=outcome["p1_median_wait"], p90=outcome["p1_p90_wait"],
                                                     recall=outcome["urgent_recall"])
    return described(chart, VIEWS["triage_title"], description)


def _claim_chart(outcome: dict) -> alt.Chart:
    names = VIEWS["claim_series"]
    long = outcome["curve"].melt(id_vars="hour", value_vars=["unanswered", "answered"], var_name="series",
                                 value_name="views")
    long["series"] = long["series"].map(names)
    chart = alt.Chart(long).mark_line().encode(
        x=alt.X("hour:Q", title=VIEWS["claim_x"]), y=alt.Y("views:Q", title=VIEWS["claim_y"]),
        color=alt.Color("series:N", title=VIEWS["claim_legend"],
                        scale=alt.Scale(domain=list(names.values()), range=[PALETTE[5], PALETTE[0]])),
        strokeDash=alt.StrokeDash("series:N", legend=None))
    description = VIEWS["claim_description"].format(unanswered=outcome["claim_views_unanswered"],
                                                    answered=outcome["claim_views"], hours=outcome["respond_at"])
    return described(chart, VIEWS["claim_title"], description)


@cached_per_edition  # built once: a new reply changes the data and the title alone
def _reply_template() -> alt.HConcatChart:
    bars = alt.Chart(width=330, height=alt.Step(26)).transform_filter("datum.part == 'post'").mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("reach:Q", title=VIEWS["tension_reach"]),
        color=alt.Color("frame:N", title=VIEWS["tension_frame"], scale=_FRAME_SCALE))
    gauge = alt.Chart(width=180, height=alt.Step(26)).transform_filter("datum.part == 'gauge'").mark_bar(
        color="#555555").encode(
        x=alt.X("value:Q", title=VIEWS["tension_gauge"], scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("what:N", title=None))
    # the rows of the first post's chosen timing (dpdlab.charts.per_choice): a new choice is drawn at once
    return per_choice(alt.hconcat(bars, gauge), "timing_1")


def _reply_rows(outcome: dict) -> list[dict]:
    """The rows a reply's chart draws: its posts, then the tension gauge (one dataset for both panels)."""
    posts = outcome["posts"].to_dict("records")
    for row in posts:
        row.update(label=VIEWS["tension_bar"].format(n=row["post"], timing=TIMINGS[row["timing"]]), part="post")
    return [*posts, {"part": "gauge", "what": "tension", "value": outcome["tension"]}]


def _reply_chart(outcome: dict, call_first: bool, variants: Mapping[str, dict] | None = None) -> alt.TopLevelMixin:
    """The reply's chart; ``variants``, the outcomes of the same reply with each timing of its first post,
    lets the browser draw another timing at once (the chart holds them all and shows the chosen one's)."""
    timing = str(outcome["posts"]["timing"].iloc[0])
    rows = {t: _reply_rows(o) for t, o in (variants or {timing: outcome}).items()}
    crossing = VIEWS["crossing"][outcome["band"]]
    call = VIEWS["call_yes"] if call_first else VIEWS["call_no"]
    description = VIEWS["tension_description"].format(posts=len(outcome["posts"]), tension=outcome["tension"],
                                                      band=VIEWS["band_names"][outcome["band"]],
                                                      baseline=outcome["baseline_tension"],
                                                      crossing=f"{call} {crossing}")
    title = VIEWS["tension_title"].format(reach=outcome["reach"], tension=outcome["tension"],
                                          band=VIEWS["band_names"][outcome["band"]])
    chart = following(with_data(_reply_template(), choices(rows, "timing_1")), timing_1=timing)
    return described(chart, title, description)


def show_reaction(stage: int, answers: Mapping[str, Any] | None = None) -> View:
    """The simulated reaction after ``stage`` (1 to 6) to the decisions in ``answers`` (the notebook's
    ``globals()``); a line saying what is still to do when the stage is not decided."""
    s = scenario.stage(stage)
    decisions = decisions_in(answers)
    done, problem = rules.complete(decisions, s.decisions)
    if not done or s.number == 0:
        names = "`, `".join(s.decisions)
        return View(note=MESSAGES["not_decided"].format(stage=s.number, names=names, problem=problem))
    reaction = model.reaction(decisions)
    outcome = reaction[s.number]
    header = MESSAGES["reaction_header"].format(stage=s.number)
    if s.number == 1:
        post = decisions["q1_first_post"]
        note = VIEWS["reach_note"].format(minutes=post["minutes_after"], languages=_languages(post["languages"]),
                                          reach=outcome["reach_share"], left=outcome["attention_left"],
                                          coverage=outcome["coverage"])
        return View(note=f"{header} {note}", figures=_credibility_rows(decisions, upto=1))
    if s.number == 2:
        figures = pd.DataFrame({"figure": [VIEWS["outcome_measures"][k] for k in
                                           ("urgent_recall", "p1_median_wait", "p1_p90_wait", "backlog_6h")],
                                "value": [f"{outcome['urgent_recall']:.0%}", f"{outcome['p1_median_wait']:.0f}",
                                          f"{outcome['p1_p90_wait']:.0f}", f"{outcome['backlog_6h']}"]})
        return View(chart=_triage_chart(outcome, decisions["q2_triage"]), note=header,
                    figures=figures.rename_axis(columns=VIEWS["outcome_rows"]))
    if s.number == 3:
        if outcome["ran"]:
            named = VIEWS["named_yes"] if outcome["named"] else VIEWS["named_no"]
            detector = VIEWS["detector_note"].format(flagged=outcome["flagged"], precision=outcome["precision"],
                                                     recall=outcome["recall"], wrong=outcome["wrongly_flagged"],
                                                     named=named)
        else:
            detector = VIEWS["no_detector"]
        return View(chart=_claim_chart(outcome), note=f"{header} {detector}",
                    figures=_credibility_rows(decisions, upto=3, since=3))
    if s.number == 4:
        return View(chart=_reply_chart(outcome, decisions["q4_ostelia"]["call_first"]), note=header)
    if s.number == 5:
        quoted = VIEWS["answer_quoted"] if outcome["answered_in_time"] else VIEWS["answer_missing"]
        note = VIEWS["answer_note"].format(minutes=outcome["minutes"], quoted=quoted,
                                           credibility=outcome["credibility"])
        return View(note=f"{header} {note}", figures=_credibility_rows(decisions, upto=5, since=5))
    issued = (VIEWS["correction_yes"].format(minutes=outcome["correction_minutes"]) if outcome["issued"]
              else VIEWS["correction_no"])
    note = VIEWS["correction_note"].format(issued=issued, credibility=outcome["credibility"])
    return View(note=f"{header} {note}", figures=_credibility_rows(decisions, upto=6, since=6))


def _credibility_rows(decisions: Mapping[str, Any], upto: int = 6, since: int = 0) -> pd.DataFrame:
    changes = model.credibility_changes(decisions)
    shown = changes[(changes["stage"] <= upto) & (changes["stage"] >= since)].copy()
    shown["reason"] = [CREDIBILITY_REASONS[r].format(count=c) for r, c in zip(shown["reason"], shown["count"])]
    table = shown[["stage", "reason", "points", "total"]].rename(columns=VIEWS["credibility_columns"])
    return table.reset_index(drop=True).rename_axis(columns=VIEWS["credibility_rows"])


# --- the what-if of stage 4 -----------------------------------------------------------------------------------

def reply_view(call_first: bool, timing_1: str, frame_1: str, language_1: str, timing_2: str, frame_2: str,
               language_2: str) -> View:
    """The what-if's view: a reply of two posts to Ostelia, scored by :func:`~dpdlab.simulation.model.reply_outcome`."""
    reply = {"call_first": bool(call_first),
             "posts": [{"timing": timing_1, "frame": frame_1, "language": language_1},
                       {"timing": timing_2, "frame": frame_2, "language": language_2}]}
    first, second = reply["posts"]
    variants = {t: model.reply_outcome({**reply, "posts": [{**first, "timing": t}, second]}) for t in TIMINGS}
    outcome = variants[timing_1]
    return View(chart=_reply_chart(outcome, reply["call_first"], variants),
                extra={"tension": outcome["tension"], "reach": outcome["reach"], "band": outcome["band"]})


DEFAULT_REPLY = (("at_once", "rebuttal", "es"), ("evening", "factual", "en"))


def reply_what_if(posts=DEFAULT_REPLY, call_first: bool = False) -> w.VBox:
    """Widget: call Ostelia first or not, and the timing, frame and language of two posts (calls :func:`reply_view`)."""
    controls: dict[str, w.ValueWidget] = {
        "call_first": labelled(w.Checkbox(value=call_first), VIEWS["whatif_call"], width="16em")}
    for n, (timing, frame, language) in enumerate(posts, start=1):
        controls[f"timing_{n}"] = labelled(w.Dropdown(options=[(TIMINGS[t], t) for t in TIMINGS], value=timing),
                                           VIEWS["whatif_timing"].format(n=n), width="30em")
        controls[f"frame_{n}"] = labelled(w.Dropdown(options=list(FRAMES), value=frame), VIEWS["whatif_frame"],
                                          width="16em")
        controls[f"language_{n}"] = labelled(
            w.Dropdown(options=[(LANGUAGE_NAMES[x], x) for x in scenario.LANGUAGES], value=language),
            VIEWS["whatif_language"], width="14em")
    return linked(reply_view, controls, columns=3)


# --- the whole exercise ----------------------------------------------------------------------------------------

def _short(value: Any, limit: int = 160) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit - 1] + "…"


def timeline(answers: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The team's decisions, one row per decision and key, in stage order (a decision not made says so)."""
    decisions = decisions_in(answers)
    rows = []
    for s in scenario.STAGES:
        for name in s.decisions:
            value = decisions.get(name)
            if not isinstance(value, dict):
                rows.append({"stage": s.number, "clock": s.clock, "decision": VIEWS["decision_names"][name],
                             "value": VIEWS["not_decided"]})
                continue
            for key in scenario.DECISIONS[name]:
                rows.append({"stage": s.number, "clock": s.clock,
                             "decision": f"{VIEWS['decision_names'][name]}: {key}",
                             "value": _short(value.get(key, VIEWS["not_decided"]))})
    return pd.DataFrame(rows).rename(columns=VIEWS["timeline_columns"]).rename_axis(columns=VIEWS["timeline_rows"])


def credibility_chart(teams: Mapping[str, Mapping[str, Any]]) -> alt.Chart:
    """Line chart of the simulated credibility after each stage, one line per team (``{team: decisions}``)."""
    rows = []
    for team, decisions in teams.items():
        by_stage = model.credibility_by_stage(model.credibility_changes(decisions))
        decided = [s.number for s in scenario.STAGES[1:] if rules.complete(decisions, s.decisions)[0]]
        rows += [{"team": team, "stage": n, "credibility": float(by_stage.loc[n])} for n in decided]
    table = pd.DataFrame(rows, columns=["team", "stage", "credibility"])
    finals = "; ".join(f"{team} {group['credibility'].iloc[-1]:.0f}"
                       for team, group in table.groupby("team", sort=False))
    chart = alt.Chart(table).mark_line(point=True).encode(
        x=alt.X("stage:O", title=VIEWS["credibility_x"]),
        y=alt.Y("credibility:Q", title=VIEWS["credibility_y"], scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("team:N", title=VIEWS["credibility_team"]))
    description = VIEWS["credibility_description"].format(who=", ".join(teams) or VIEWS["none"],
                                                          final=finals or VIEWS["none"])
    return described(chart, VIEWS["credibility_title"], description)


def scorecard(answers: Mapping[str, Any] | None = None) -> View:
    """The team's simulated credibility after each stage, and every change with its reason."""
    decisions = decisions_in(answers)
    return View(chart=credibility_chart({VIEWS["your_team"]: decisions}),
                figures=_credibility_rows(decisions))


def hot_wash(answers: Mapping[str, Any] | None = None, mode: str = "self_paced") -> View:
    """Self-paced: the rules the team's decisions broke. In class the facilitator's debrief shows them."""
    if mode not in scenario.MODES:
        raise ValueError(MESSAGES["bad_mode"].format(mode=mode))
    if mode == "class":
        return View(note=MESSAGES["hot_wash_class"])
    found = rules.all_breaches(decisions_in(answers))
    if not found:
        return View(note=f"{MESSAGES['hot_wash_title']}\n\n{MESSAGES['hot_wash_none']}")
    table = pd.DataFrame([{"stage": b.stage, "rule": b.rule, "title": RULES[b.rule][0], "what": b.message}
                          for b in found]).rename_axis(columns=VIEWS["rules_rows"])
    return View(note=MESSAGES["hot_wash_title"], figures=table)


def claim_features() -> pd.DataFrame:
    """Module 04's three signals of coordination for each account that posted before T+5h (simulated, without
    the ground truth: the team decides, as an embassy would, without knowing which accounts are coordinated)."""
    accounts = load_dataset("crisis_claim_accounts_simulated")
    posts = load_dataset("crisis_claim_posts_simulated")
    features = model.claim_signals(accounts, posts)
    features = features[features["posts"] > 0].sort_values("duplicate_share", ascending=False, ignore_index=True)
    # narrow enough for the notebook: a table wider than its output area cannot be scrolled with the keyboard
    # in JupyterLab (the axis name and each account's label say the rows are simulated)
    return features.drop(columns="simulated").rename_axis(columns=VIEWS["features_rows"])
