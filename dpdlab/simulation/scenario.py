"""The exercise's fictional world and its structure: states, roles, stages, menus, code words and rules.

Everything here is invented for teaching. Valdoria (the players' state), Marvenia (struck by an earthquake)
and Ostelia (its neighbour) are fictional states; every office named is a fictional office. Nothing in the
exercise speaks for a real government or a real person.

**Stages.** A prebrief (stage 0) and six injects, released at set minutes of a 90-minute class
(:data:`STAGES`). In class the facilitator releases each inject with a code word; the notebook compares the
word's SHA-256 fingerprint with :data:`RELEASE_FINGERPRINTS` and shows the inject when they match. The words
themselves are in the facilitation guide (``grading/facilitation/crisis_simulation.md``). The gate paces the
class; it is not a lock: the injects are also in the bundled dataset ``crisis_simulation_injects_simulated``.

**Decisions.** Each stage's decisions are named variables of the notebook (:data:`DECISIONS`), written as
literal values (numbers, text, lists, dicts, True/False), so that the autograder can read them as data and
the instructor's debrief can read them from a submitted notebook without running it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from dpdlab.simulation.text import (ELEMENTS, FRAMES, INJECTS, ROLE_DUTIES, ROLE_NAMES, STAGE_DECIDE, STAGE_SPEAKERS,
                                    STAGE_TITLES, TIMINGS)

ASSIGNMENT = "crisis_simulation"
MODES = ("self_paced", "class")


@dataclass(frozen=True)
class Stage:
    """One stage of the exercise: when it is released, the simulated time, what is decided, which rules."""

    number: int
    class_minute: int          # minute of a 90-minute session at which the facilitator releases it
    sim_hour: float            # simulated hours after the earthquake (T+h)
    decisions: tuple[str, ...]  # the notebook's variables decided at this stage
    rules: tuple[str, ...]     # the rules checked on those decisions (see dpdlab.simulation.rules)

    @property
    def clock(self) -> str:
        return "prebrief" if self.number == 0 else f"T+{self.sim_hour:g}h"


STAGES = (
    Stage(0, 0, 0, ("q0_team",), ()),
    Stage(1, 8, 0, ("q1_first_post",), ("R1", "R2", "R6", "R7")),
    Stage(2, 18, 2, ("q2_triage",), ("R3",)),
    Stage(3, 28, 5, ("q3_response", "q3_monitoring"), ("R1", "R2", "R4", "R5", "R6", "R7")),
    Stage(4, 38, 8, ("q4_ostelia",), ("R1", "R7", "R8")),
    Stage(5, 46, 10, ("q5_answer",), ("R1", "R2", "R5", "R7", "R9")),
    Stage(6, 54, 20, ("q6_correction",), ("R1", "R5", "R6", "R10")),
)
STAGE_NUMBERS = tuple(s.number for s in STAGES)
SUBMIT_MINUTE = 60   # teams check and submit
DEBRIEF_MINUTE = 65  # the hot wash runs to minute 90

ROLES = ("spokesperson", "consul", "ambassador", "legal_adviser")
OPTIONAL_ROLES = ("digital_analyst",)
LANGUAGES = ("es", "en", "pt")
ELEMENT_KEYS = tuple(ELEMENTS)
FRAME_KEYS = tuple(FRAMES)
OFF_LINE_FRAMES = ("rebuttal", "accusatory")  # what Valdoria's line of quiet diplomacy rules out (R7)
TIMING_KEYS = tuple(TIMINGS)
ORDERS = ("arrival", "priority")
DETECTOR_RULES = ("all", "any", "two_of_three")  # as in dpdlab.infoops.rule_detector

STAFF_BUDGET = 8
FIRST_POST_LIMIT = 60         # minutes after the earthquake (R2)
JOURNALIST_DEADLINE = 5       # minutes (R9)
CORRECTION_LIMIT = 120        # minutes after the facts arrive (R10)
LIFE_SAFETY_RECALL = 0.85     # share of the first six hours' life-and-safety requests in priority 1 (R3)
TRIAGE_WINDOW_MINUTES = 360   # the first six hours
VERIFIED_DEATHS = 3           # verified at T+20h (stage 6)
UNVERIFIED_FIGURE = 12        # the journalist's figure (stage 5)
FEES_CHARGED = 40             # nationals charged by the honorary consulate (stage 6)
POST_LIMIT = 280              # characters of a post
ANSWER_LIMIT = 600            # characters of the journalist's answer
MAX_RULES = 30
MAX_REPLY_POSTS = 3

CLAIM_HASHTAG = "#EmbajadaCobra"
CLAIM_TEXT = "#EmbajadaCobra La embajada de Valdoria cobra 400 pesos por cada asiento en los buses de evacuación"
PLACEHOLDER = "..."

# Each stage's code word is said aloud by the facilitator; only its fingerprint is here.
RELEASE_SALT = "crisis_simulation:"
RELEASE_FINGERPRINTS = {
    1: "15025412797b6c4b75b2a4401367c6ac8404e46fdfd7e08158cd6ff21e4570a5",
    2: "14e161feb9618d24c10b78e49a19e65f17c4ea5d999260059021ed03c58b4c30",
    3: "e9da945ce1d9f88bccaadbb528f0c90f72471b6d10a6eac88ef4282371c4d997",
    4: "d6aa8eec80c97f115b5406ab47a7714c92fe51f3593ccccefca1c99954cbd770",
    5: "d6a58a586695331887caf01a109bd53a901e9f0e1bbf8707441f12b464f22c89",
    6: "61d2fe7b41a080074b6a59be28acfc7882d3caf4f0224ed8d52c8a23e049b680",
}

# The keys of each decision and the kind of value each holds (checked by dpdlab.simulation.rules).
POST_KEYS = {"minutes_after": "int", "languages": "languages", "elements": "elements", "text": "post_text",
             "cleared_by": "roles"}
DECISIONS = {
    "q0_team": {"team_id": "team_id", "roles": "role_names"},
    "q1_first_post": POST_KEYS,
    "q2_triage": {"rules": "rules", "order": "order", "staff": "staff"},
    "q3_response": POST_KEYS,
    "q3_monitoring": {"monitor_staff": "monitors", "min_duplicate": "share", "min_synchrony": "share",
                      "min_burst": "burst", "rule": "detector_rule"},
    "q4_ostelia": {"call_first": "bool", "posts": "reply_posts", "cleared_by": "roles"},
    "q5_answer": {"speaker": "role", "minutes_after": "int", "elements": "elements", "text": "answer_text",
                  "cleared_by": "roles"},
    "q6_correction": {"issue": "bool", "minutes_after": "int", "languages": "correction_languages",
                      "elements": "elements",
                      "casualty_figure": "figure", "text": "correction_text", "cleared_by": "roles"},
}
DECISION_STAGE = {name: stage.number for stage in STAGES for name in stage.decisions}


def stage(number: int) -> Stage:
    """The :class:`Stage` numbered ``number`` (0 to 6)."""
    from dpdlab.simulation.text import MESSAGES

    for candidate in STAGES:
        if candidate.number == number and not isinstance(number, bool):
            return candidate
    raise ValueError(MESSAGES["bad_stage"].format(stages=", ".join(map(str, STAGE_NUMBERS)), stage=number))


def fingerprint(code_word: str) -> str:
    """The SHA-256 fingerprint of a code word as the facilitator says it (capitals and spaces do not count)."""
    return hashlib.sha256((RELEASE_SALT + "".join(str(code_word).split()).lower()).encode("utf-8")).hexdigest()


def is_release_word(number: int, code_word: str) -> bool:
    """True when ``code_word`` releases stage ``number``."""
    return RELEASE_FINGERPRINTS.get(number) == fingerprint(code_word)


def inject_numbers() -> dict[str, int | str]:
    """The figures the injects quote, counted in the simulated datasets (requests, claim posts) and the scenario."""
    from dpdlab.crises.model import generate_requests
    from dpdlab.simulation.model import CLAIM_WINDOW_END, generate_claim_posts
    from dpdlab.simulation.rules import quotes_claim

    requests = generate_requests()
    early = requests[requests["minute"] < 120]
    posts = generate_claim_posts()
    repeats = posts[(posts["minute"] < CLAIM_WINDOW_END) & posts["text"].map(quotes_claim)]
    return {"requests_2h": len(early), "urgent_2h": int((early["priority"] == 1).sum()),
            "requests_6h": int((requests["minute"] < TRIAGE_WINDOW_MINUTES).sum()), "claim": CLAIM_TEXT,
            "claim_posts": len(repeats), "claim_accounts": int(repeats["account_id"].nunique()),
            "figure": UNVERIFIED_FIGURE, "verified": VERIFIED_DEATHS, "fees": FEES_CHARGED}


def generate_injects() -> pd.DataFrame:
    """The bundled ``crisis_simulation_injects_simulated`` table: one row per stage, the inject's text with the
    figures of :func:`inject_numbers` filled in."""
    numbers = inject_numbers()
    rows = []
    for s in STAGES:
        rows.append({"stage": s.number, "class_minute": s.class_minute, "sim_hour": float(s.sim_hour),
                     "clock": s.clock, "title": STAGE_TITLES[s.number], "speaker": STAGE_SPEAKERS[s.number],
                     "inject": INJECTS[s.number].format(**numbers), "decide": STAGE_DECIDE[s.number],
                     "decisions": ";".join(s.decisions), "rules": ";".join(s.rules) or "none",
                     "release_fingerprint": RELEASE_FINGERPRINTS.get(s.number, "none"), "simulated": True})
    return pd.DataFrame(rows)


def roles_table() -> pd.DataFrame:
    """The roles, what each decides or clears."""
    from dpdlab.simulation.text import ROLE_COLUMNS

    keys = ROLES + OPTIONAL_ROLES
    return pd.DataFrame({"role": keys, "name": [ROLE_NAMES[k] for k in keys],
                         "duties": [ROLE_DUTIES[k] for k in keys]}).rename(columns=ROLE_COLUMNS)
