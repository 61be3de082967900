"""Seeded models of the ICJ case: a corpus of simulated posts, a baseline classifier and a judgment-day what-if.

Everything here is **simulated** and deliberately simple, so a student can read it.

*Volume.* The expected number of posts on day ``t`` is a small baseline plus a bump at each real procedural
date of the case (:data:`CASES`, from the fact table ``icj_case_procedure``)::

    volume(t) = base + sum_k peak_k * kernel_k(t)

where ``kernel_k`` is 1 during step ``k`` (one day, or the days of the hearings), rises as
``exp(-(start - t) / rise_days)`` before it and falls as ``exp(-(t - end) / decay_days)`` after it. The number of
posts on a day is Poisson with that mean.

*Posts.* Each post gets an account role (shares in :data:`ASSUMPTIONS`), a frame drawn from that role's frame mix
before or after judgment day (:data:`FRAME_MIX`), a language, an audience and a text filled in from a template
(:mod:`dpdlab.peru.text`). Interactions are ``account_reach * attention(t) * FRAME_REACH[frame]`` times
log-normal noise, with ``attention(t) = 1 + (volume(t) - base) / attention_scale``; the tone is the frame's mean
tone plus normal noise.

*Scores.* :func:`frame_scores` gives each frame's precision and recall with the course's own
:func:`dpdlab.infoops.analysis.precision_recall` (module 04), so the two notebooks score classifiers the same way.

*What-if.* :func:`plan_outcome` and :func:`tension_index` score a judgment-day plan of a few posts (timing, frame,
language) with fixed tables of weights (:data:`TIMING_ATTENTION`, :data:`TIMING_TENSION`, :data:`FRAME_TENSION`,
:data:`LANGUAGE_REACH`, :data:`LANGUAGE_TENSION`). The frame reach multipliers are the same as the corpus's.

*Who speaks.* The official accounts are **role accounts** tied to a side of the case ("Role account: government
information office, Peru's side (simulated)"); none stands for a real office or its holder. Their frame mixes
stay within what each government said publicly (sources in the datasheet): Peru's "option for peace" and "no
triumphalism", the joint declaration with Chile to respect the ruling, Chile's calls for calm and, in 2018,
Piñera's "saber ganar con magnanimidad", so none of them posts a triumphalist or nationalist frame; Bolivia's
side posts the claim to the sea, as its state-organised campaigns did. Escalating frames otherwise come from the
publics' accounts. The corpus shows what those lines look like; it cannot show whether they worked.
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from dpdlab.data import is_simulated
from dpdlab.infoops.analysis import precision_recall
from dpdlab.peru.datasets import CASE_IDS, FRAMES
from dpdlab.peru.text import (ACCOUNT_LABELS, COUNTRY_NAMES, MESSAGES, PLAN_AUDIENCES, SIMULATED_PREFIX, TEMPLATES,
                              TENSION_BANDS)

SEED = 20140127

# Real dates of each case (source keys refer to data/SOURCES.md; the same dates are in icj_case_procedure).
# peak = extra posts per day the model expects at that step (an assumption, not a published figure).
CASES = {
    "peru_2014": {
        "applicant": "Peru", "respondent": "Chile", "prefix": "pe",
        "judgment": "2014-01-27", "window": ("2012-11-19", "2014-02-24"),
        "anchors": (
            {"start": "2012-12-03", "end": "2012-12-14", "peak": 6.0, "stage": "hearing",
             "source": "un-unifeed-2012"},
            {"start": "2013-09-25", "end": "2013-09-25", "peak": 4.0, "stage": "court_notice",
             "source": "latercera-2013"},
            {"start": "2014-01-27", "end": "2014-01-27", "peak": 40.0, "stage": "judgment", "source": "asil-2014"},
        ),
    },
    "bolivia_2018": {
        "applicant": "Bolivia", "respondent": "Chile", "prefix": "bo",
        "judgment": "2018-10-01", "window": ("2018-03-05", "2018-10-29"),
        "anchors": (
            {"start": "2018-03-19", "end": "2018-03-28", "peak": 6.0, "stage": "hearing",
             "source": "wikizero-bolivia"},
            {"start": "2018-10-01", "end": "2018-10-01", "peak": 40.0, "stage": "judgment", "source": "asil-2018"},
        ),
    },
}

# Assumptions: not published figures (no daily post counts for these accounts were published).
ASSUMPTIONS = {
    "base_posts_per_day": 0.5,
    "rise_days": 2.0,
    "decay_days": 3.0,
    "attention_scale": 10.0,
    "noise_sigma": 0.7,  # log-normal noise on interactions (mean 1)
    "tone_sigma": 0.15,
    "repost_share": 0.22,
}
# Roles, not offices: the official accounts are role accounts of a side (labels in dpdlab.peru.text).
ROLES = ("applicant_office", "applicant_outreach", "respondent_office", "applicant_public", "respondent_public",
         "media")
ROLE_SHARE = {"applicant_office": 0.16, "applicant_outreach": 0.08, "respondent_office": 0.12,
              "applicant_public": 0.27, "respondent_public": 0.27, "media": 0.10}
ROLE_REACH = {"applicant_office": 120.0, "applicant_outreach": 200.0, "respondent_office": 120.0,
              "applicant_public": 15.0, "respondent_public": 15.0, "media": 80.0}
ROLE_GROUP = {"applicant_office": "applicant_official", "applicant_outreach": "applicant_official",
              "respondent_office": "respondent_official", "applicant_public": "applicant_public",
              "respondent_public": "respondent_public", "media": "media"}
ROLE_TYPE = {"applicant_office": "official", "applicant_outreach": "official", "respondent_office": "official",
             "applicant_public": "public", "respondent_public": "public", "media": "media"}
ENGLISH_SHARE = {"applicant_official": 0.30, "respondent_official": 0.25, "applicant_public": 0.05,
                 "respondent_public": 0.05, "media": 0.70}
# Share of Spanish posts addressed to the account's own public (the rest address the other party's public).
HOME_SHARE = {"applicant_official": 0.55, "respondent_official": 0.55, "applicant_public": 0.85,
              "respondent_public": 0.85, "media": 0.5}

# Frame mix per case, account group and phase, in the order of FRAMES:
# legal-explanatory, calming, triumphalist, nationalist, conciliatory.
# The official mixes keep to each government's documented public line (see the module's docstring and the
# datasheet): zero escalating frames for both sides in 2014 and for Chile's side in 2018.
FRAME_MIX = {
    "peru_2014": {
        "applicant_official": {"before": (.43, .32, 0, 0, .25), "after": (.38, .27, 0, 0, .35)},
        "respondent_official": {"before": (.50, .30, 0, 0, .20), "after": (.50, .30, 0, 0, .20)},
        "applicant_public": {"before": (.10, .15, .30, .30, .15), "after": (.10, .10, .40, .20, .20)},
        "respondent_public": {"before": (.10, .15, .10, .45, .20), "after": (.10, .15, .15, .40, .20)},
        "media": {"before": (.80, .20, 0, 0, 0), "after": (.80, .20, 0, 0, 0)},
    },
    "bolivia_2018": {
        "applicant_official": {"before": (.30, .05, 0, .60, .05), "after": (.22, .05, 0, .65, .08)},
        "respondent_official": {"before": (.70, .15, 0, 0, .15), "after": (.60, .15, 0, 0, .25)},
        "applicant_public": {"before": (.05, .05, .30, .50, .10), "after": (.05, .10, .02, .73, .10)},
        "respondent_public": {"before": (.10, .05, .20, .50, .15), "after": (.05, .05, .45, .35, .10)},
        "media": {"before": (.80, .20, 0, 0, 0), "after": (.80, .20, 0, 0, 0)},
    },
}
FRAME_REACH = {"legal-explanatory": 0.8, "calming": 0.9, "triumphalist": 1.5, "nationalist": 1.6,
               "conciliatory": 1.0}
REPLY_SHARE = {"legal-explanatory": 0.06, "calming": 0.06, "triumphalist": 0.12, "nationalist": 0.15,
               "conciliatory": 0.06}
FRAME_TONE = {"legal-explanatory": 0.1, "calming": 0.35, "triumphalist": -0.35, "nationalist": -0.65,
              "conciliatory": 0.6}
ESCALATING = ("triumphalist", "nationalist")

# --- the judgment-day what-if ------------------------------------------------------------------------------
TIMINGS = ("day_before", "before_reading", "at_reading", "with_addresses", "evening", "next_day")
# Hours after the start of the reading. 'with_addresses': the two presidents were to speak at similar hours,
# about 1 to 1.5 hours after the reading (source: gestion-2014).
TIMING_HOURS = {"day_before": -24.0, "before_reading": -2.0, "at_reading": 0.0, "with_addresses": 1.5,
                "evening": 8.0, "next_day": 24.0}
TIMING_ATTENTION = {"day_before": 1.5, "before_reading": 2.5, "at_reading": 5.0, "with_addresses": 4.5,
                    "evening": 3.0, "next_day": 1.5}
TIMING_TENSION = {"day_before": 1.3, "before_reading": 1.6, "at_reading": 1.4, "with_addresses": 1.0,
                  "evening": 0.9, "next_day": 0.7}
FRAME_TENSION = {"legal-explanatory": -0.2, "calming": -0.4, "triumphalist": 1.0, "nationalist": 1.2,
                 "conciliatory": -0.5}
LANGUAGES = ("es", "en")
LANGUAGE_REACH = {"es": 100.0, "en": 60.0}  # reach points of a post with appeal 1 on an ordinary day
LANGUAGE_TENSION = {"es": 1.0, "en": 0.5}  # the neighbour's public reads Spanish posts directly
SLOT_OVERLAP = 0.6  # each further post in the same time slot reaches 60% of the one before


def _check_case(case: str) -> dict:
    if case not in CASES:
        raise ValueError(MESSAGES["unknown_case"].format(case=case, known=", ".join(CASE_IDS)))
    return CASES[case]


def expected_volume(dates: Iterable, anchors: Sequence[dict], base: float, rise_days: float,
                    decay_days: float) -> np.ndarray:
    """Expected posts per day on ``dates``: ``base`` plus a bump of height ``peak`` at each anchor.

    Each anchor is a dict with ``start``, ``end`` (inclusive) and ``peak``. The bump is flat from start to end,
    rises exponentially (time constant ``rise_days``) before and decays (``decay_days``) after.
    """
    days = pd.DatetimeIndex(pd.to_datetime(list(dates)))
    volume = np.full(len(days), float(base))
    for anchor in anchors:
        before = (pd.Timestamp(anchor["start"]) - days).days.to_numpy().astype(float)
        after = (days - pd.Timestamp(anchor["end"])).days.to_numpy().astype(float)
        kernel = np.where(before > 0, np.exp(-before / rise_days),
                          np.where(after > 0, np.exp(-after / decay_days), 1.0))
        volume += anchor["peak"] * kernel
    return volume


def case_volume(case: str) -> pd.DataFrame:
    """Expected posts per day over the case's window (columns ``date`` and ``expected_posts``)."""
    spec = _check_case(case)
    a = ASSUMPTIONS
    dates = pd.date_range(*spec["window"], freq="D")
    volume = expected_volume(dates, spec["anchors"], a["base_posts_per_day"], a["rise_days"], a["decay_days"])
    return pd.DataFrame({"date": dates, "expected_posts": volume})


def _fill(template: str, language: str, own: str, other: str) -> str:
    names = COUNTRY_NAMES[language]
    return SIMULATED_PREFIX + template.format(self=names[own], other=names[other])


def _posts_of_case(case: str, rng: np.random.Generator) -> pd.DataFrame:
    spec = CASES[case]
    a = ASSUMPTIONS
    volume = case_volume(case)
    counts = rng.poisson(volume["expected_posts"].to_numpy())
    judgment = pd.Timestamp(spec["judgment"])
    parties = {"applicant": (spec["applicant"], spec["respondent"]),
               "respondent": (spec["respondent"], spec["applicant"])}
    rows = []
    shares = np.array([ROLE_SHARE[r] for r in ROLES])
    for date, expected, count in zip(volume["date"], volume["expected_posts"], counts):
        days = int((date - judgment).days)
        phase = "before" if days < 0 else "after"
        attention = 1 + (expected - a["base_posts_per_day"]) / a["attention_scale"]
        for _ in range(int(count)):
            role = ROLES[rng.choice(len(ROLES), p=shares)]
            group = ROLE_GROUP[role]
            frame = FRAMES[rng.choice(len(FRAMES), p=np.array(FRAME_MIX[case][group][phase]))]
            language = "en" if rng.random() < ENGLISH_SHARE[group] else "es"
            if role == "media":
                own, other = parties["applicant"] if rng.random() < 0.5 else parties["respondent"]
                country = "International"
            else:
                own, other = parties["applicant" if role.startswith("applicant") else "respondent"]
                country = own
            if language == "en":
                audience = "International"
            else:
                audience = own if rng.random() < HOME_SHARE[group] else other
            options = TEMPLATES[frame][language][phase]
            text = _fill(options[rng.integers(len(options))], language, own, other)
            noise = rng.lognormal(mean=-a["noise_sigma"] ** 2 / 2, sigma=a["noise_sigma"])
            interactions = int(np.rint(ROLE_REACH[role] * attention * FRAME_REACH[frame] * noise))
            reposts = int(np.rint(a["repost_share"] * interactions))
            replies = int(np.rint(REPLY_SHARE[frame] * interactions))
            tone = float(np.clip(FRAME_TONE[frame] + rng.normal(0, a["tone_sigma"]), -1, 1))
            rows.append({"case": case, "date": date, "days_from_judgment": days,
                         "account": ACCOUNT_LABELS[case][role], "account_type": ROLE_TYPE[role],
                         "account_country": country, "language": language, "audience_country": audience,
                         "frame": frame, "text": text, "likes": interactions - reposts - replies,
                         "reposts": reposts, "replies": replies, "tone": round(tone, 2) + 0.0, "simulated": True})
    frame = pd.DataFrame(rows)
    frame.insert(0, "post_id", [f"{spec['prefix']}-{n:04d}" for n in range(1, len(frame) + 1)])
    return frame


def generate_posts(seed: int = SEED) -> pd.DataFrame:
    """The bundled simulated corpus: both cases, one row per post (see the module's docstring)."""
    rng = np.random.default_rng(seed)
    return pd.concat([_posts_of_case(case, rng) for case in CASE_IDS], ignore_index=True)


def case_posts(posts: pd.DataFrame, case: str) -> pd.DataFrame:
    """The rows of ``posts`` that belong to ``case`` (``peru_2014`` or ``bolivia_2018``), re-indexed from 0."""
    _check_case(case)
    return posts[posts["case"] == case].reset_index(drop=True)


# --- a baseline classifier and its confusion table ---------------------------------------------------------

# One English keyword per frame: deliberately weak, to be beaten by the student's own classifier.
BASELINE_KEYWORDS = {"legal-explanatory": ("court",), "calming": ("calm",), "triumphalist": ("victory",),
                     "nationalist": ("never",), "conciliatory": ("together",)}
BASELINE_DEFAULT = "legal-explanatory"


def baseline_frames(texts: Iterable[str]) -> list[str]:
    """The baseline's frame for each text: the frame whose keyword occurs most often (lower-cased); ties go to
    the frame listed first in ``FRAMES``; a text with no keyword gets ``legal-explanatory``."""
    predicted = []
    for text in texts:
        lowered = str(text).lower()
        hits = [sum(lowered.count(k) for k in BASELINE_KEYWORDS[f]) for f in FRAMES]
        best = max(hits)
        predicted.append(FRAMES[hits.index(best)] if best > 0 else BASELINE_DEFAULT)
    return predicted


def _check_frames(values: Sequence, which: str) -> None:
    for position, value in enumerate(values):
        if value not in FRAMES:
            raise ValueError(MESSAGES["bad_frame"].format(which=which, position=position, value=value,
                                                          frames=", ".join(FRAMES)))


def _paired(labels: Iterable[str], predictions: Iterable[str]) -> tuple[bool, list[str], list[str]]:
    """Whether ``labels`` are simulated, and both as lists of known frames of the same length (else a
    ValueError that says which)."""
    simulated = is_simulated(labels)
    labels, predictions = list(labels), list(predictions)
    if len(labels) != len(predictions):
        raise ValueError(MESSAGES["bad_lengths"].format(labels=len(labels), predictions=len(predictions)))
    _check_frames(labels, "labels")
    _check_frames(predictions, "predictions")
    return simulated, labels, predictions


def confusion_table(labels: Iterable[str], predictions: Iterable[str]) -> pd.DataFrame:
    """Counts of (labelled frame, predicted frame) pairs: one row per labelled frame, one column per predicted
    frame, every frame present (zeros included). The diagonal holds the correct predictions. When the labels
    come from the simulated corpus, the row header says so."""
    simulated, labels, predictions = _paired(labels, predictions)
    position = {frame: n for n, frame in enumerate(FRAMES)}
    counts = np.zeros((len(FRAMES), len(FRAMES)), dtype="int64")
    np.add.at(counts, ([position[x] for x in labels], [position[x] for x in predictions]), 1)
    # the labels of the course's corpus come from the simulation: say so in the table's row header
    rows = MESSAGES["simulated_rows"] if simulated else MESSAGES["confusion_rows"]
    return pd.DataFrame(counts, index=pd.Index(FRAMES, name=rows),
                        columns=pd.Index(FRAMES, name=MESSAGES["confusion_columns"]))


def frame_scores(labels: Iterable[str], predictions: Iterable[str]) -> pd.DataFrame:
    """Precision and recall of ``predictions`` against ``labels``, one row per frame.

    For each frame, the posts predicted as that frame are the *flagged* set and the posts labelled with it the
    *truth*, both as positions in the two sequences, scored by :func:`dpdlab.infoops.analysis.precision_recall`
    (0.0 where nothing is predicted, or nothing labelled). Columns: posts labelled, posts predicted, correct,
    precision, recall. When the labels come from the simulated corpus, the index header says so.
    """
    simulated, labels, predictions = _paired(labels, predictions)
    rows = []
    for frame in FRAMES:
        flagged = {n for n, guess in enumerate(predictions) if guess == frame}
        truth = {n for n, label in enumerate(labels) if label == frame}
        precision, recall = precision_recall(flagged, truth)
        rows.append({"labelled": len(truth), "predicted": len(flagged), "correct": len(flagged & truth),
                     "precision": precision, "recall": recall})
    header = MESSAGES["simulated_rows"] if simulated else MESSAGES["confusion_rows"]
    return pd.DataFrame(rows, index=pd.Index(FRAMES, name=header)).rename(columns=MESSAGES["score_columns"])


# --- the judgment-day what-if -----------------------------------------------------------------------------

def _check_plan(plan: Sequence[dict]) -> None:
    if not plan:
        raise ValueError(MESSAGES["plan_empty"])
    allowed = {"timing": TIMINGS, "frame": FRAMES, "language": LANGUAGES}
    for n, post in enumerate(plan, start=1):
        for field, options in allowed.items():
            if field not in post:
                raise ValueError(MESSAGES["plan_missing"].format(n=n, field=field))
            if post[field] not in options:
                raise ValueError(MESSAGES["plan_bad_field"].format(n=n, field=field, value=post[field],
                                                                    allowed=", ".join(options)))


def plan_outcome(plan: Sequence[dict]) -> pd.DataFrame:
    """Score each post of a judgment-day plan (a list of dicts with ``timing``, ``frame``, ``language``).

    ``reach = LANGUAGE_REACH[language] * TIMING_ATTENTION[timing] * FRAME_REACH[frame] * SLOT_OVERLAP**k``, where
    ``k`` counts earlier posts of the plan in the same time slot; ``tension = FRAME_TENSION[frame] *
    TIMING_TENSION[timing] * LANGUAGE_TENSION[language]`` (negative values lower tension).
    """
    _check_plan(plan)
    rows, used = [], {}
    for n, post in enumerate(plan, start=1):
        timing, frame, language = post["timing"], post["frame"], post["language"]
        k = used.get(timing, 0)
        used[timing] = k + 1
        reach = LANGUAGE_REACH[language] * TIMING_ATTENTION[timing] * FRAME_REACH[frame] * SLOT_OVERLAP ** k
        tension = FRAME_TENSION[frame] * TIMING_TENSION[timing] * LANGUAGE_TENSION[language]
        rows.append({"post": n, "timing": timing, "hours": TIMING_HOURS[timing], "frame": frame,
                     "language": language, "audience": PLAN_AUDIENCES[language], "reach": reach,
                     "tension": tension})
    return pd.DataFrame(rows).rename_axis(columns=MESSAGES["model_axis"])


def tension_index(plan: Sequence[dict]) -> float:
    """The plan's tension indicator, 0-100: ``100 / (1 + exp(-sum of the posts' tension contributions))``.

    A day with no posts scores 50; escalating posts push it up, explaining and reassuring posts down.
    """
    return tension_from(plan_outcome(plan))


def tension_from(outcome: pd.DataFrame) -> float:
    """The tension indicator of a plan already scored by :func:`plan_outcome`."""
    return 100.0 / (1.0 + math.exp(-float(outcome["tension"].sum())))


def tension_band(index: float) -> str:
    """'low' (< 35), 'moderate' (< 65) or 'high'."""
    for band, upper in TENSION_BANDS:
        if index < upper:
            return band
    return TENSION_BANDS[-1][0]
