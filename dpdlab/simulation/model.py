"""The crisis simulation's seeded models: the accounts that spread the false claim, and the simulated public
and diplomatic reaction to a team's decisions.

Everything this module produces is **simulated**, in a fictional setting (see :mod:`dpdlab.simulation.scenario`).
Every team faces the same world: the random parts are drawn once, from :data:`SEED`, into the bundled
datasets, so teams differ only by their decisions, and the same decisions always give the same reaction.
The weights below are the model's **assumptions**, chosen to make the trade-offs of the course's readings
visible; they are not findings, and nothing here was calibrated to a real crisis.

**The claim's network** (:func:`simulate_claim_network`). From T+3h, accounts post that the embassy charges for
evacuation seats. A coordinated operation (most of its accounts opened a few days before the earthquake, a
few older) posts scripted variants within minutes of a few "go" times. Worried Valdorians share the claim,
many word for word and soon after a burst they saw; some opened their accounts that morning to reach the
consulate. Journalists, outlets and other citizens ask whether it is true. Module 04's detector
(:func:`dpdlab.infoops.account_features`, :func:`dpdlab.infoops.rule_detector`) runs on these posts.

**The reaction** (:func:`reaction`), stage by stage:

1. *First post*: ``reach = attention_left(delay, half_life) × coverage(languages)``, with module 05's
   :func:`~dpdlab.crises.analysis.attention_left` and the language shares of module 05's simulated request
   stream (Spanish 0.7, English 0.2, Portuguese 0.1).
2. *Triage*: the team's keyword rules (:func:`~dpdlab.crises.analysis.keyword_triage`) and queue
   (:func:`~dpdlab.crises.analysis.serve_queue`, 8 minutes a request) on the first six hours of module 05's
   ``consular_requests_simulated``.
3. *Claim*: cumulative views follow a logistic curve from T+3h; after the response at time ``r`` the views
   still to come are cut by an effect ``E``:
   ``views(t) = V(t)`` before ``r`` and ``V(r) + (V(t) − V(r)) × (1 − E)`` after, with
   ``E = min(0.9, content × coverage × 2^(−delay/2h) + monitors + takedown)``: the content effect is larger
   when the fact comes first and smaller when the claim is quoted; each monitor answers replies; naming and
   reporting the flagged accounts removes part of the operation's share of the spread (its recall).
4. *Ostelia*: the ICJ case's what-if arithmetic (:func:`dpdlab.peru.model.tension_from`): each post adds
   ``FRAME_TENSION × TIMING_TENSION × LANGUAGE_TENSION``; the minister's statement adds
   :data:`STATEMENT_TENSION`; a call before posting subtracts :data:`CALL_TENSION` (half of it when a post
   goes out before the call). ``tension = 100 / (1 + exp(−sum))``; reach as in the ICJ case.
5. and 6. *Credibility*: a table of assumed points (:data:`CREDIBILITY_POINTS`) built on the CDC's crisis
   communication principles (be first, be right, be credible, show empathy, promote action) and the
   Debunking Handbook (lead with the fact, do not repeat the myth); it starts at 35 and stays within 0–100.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
import pandas as pd

from dpdlab.infoops.model import account_and_post_tables
from dpdlab.simulation import rules, scenario
from dpdlab.simulation.datasets import ROLES

SEED = 20260740  # drawn once: every team's world is the same
CLAIM_START_MINUTE = 180  # T+3h
CLAIM_WINDOW_END = 300    # T+5h: the inject; the detector sees the posts before it
# Module 04's synchrony signal, set for this denser stream: a 3-minute bin is busy with 6 accounts or more.
DETECTOR_WINDOW_MINUTES = 3
DETECTOR_MIN_ACCOUNTS = 6

# Assumptions, not findings.
NETWORK_ASSUMPTIONS = {
    "operation_new": 24,                  # operation accounts opened in a burst before the earthquake
    "operation_new_days_before": (3, 6),
    "operation_old": 4,                   # older operation accounts (bought or repurposed)
    "worried": 70,                        # Valdorians who share the claim in worry
    "worried_opened_today": 18,           # of them, accounts opened on the day of the earthquake
    "journalists": 6,
    "outlets": 3,
    "citizens": 12,                       # others who ask whether it is true
    "go_times": 6,                        # the operation's bursts between T+3h and T+5h
    "go_jitter_minutes": 4,
    "join_probability": (0.45, 0.9),      # each operation account's chance of joining a burst
    "operation_filler_mean": 1.0,         # ordinary-looking posts per operation account (Poisson mean)
    "worried_copy_share": 0.35,           # worried shares that copy the claim word for word
    "worried_after_burst_share": 0.5,     # worried shares that follow a burst (exponential delay)
    "worried_delay_minutes": 12.0,
}
ASSUMPTIONS = {
    "attention_half_life_hours": 2.0,     # nationals' attention to the embassy's first word (module 05's form)
    "minutes_per_request": 8.0,           # reading, answering and logging one consular request in a crisis
    "claim_potential_views": 300_000,
    "claim_midpoint_hours": 7.0,
    "claim_spread_hours": 1.2,
    "content_effect": {"fact_first": 0.55, "other": 0.2},
    "quote_effect": -0.15,                # quoting the claim spreads it (a backfire the Debunking Handbook warns of)
    "response_delay_half_life_hours": 2.0,
    "monitor_effect": 0.15,               # at most, from answering replies: 0.15 × (1 − exp(−monitors / 3))
    "takedown_effect": 0.5,               # share of the operation's further spread removed when it is reported
    "max_effect": 0.9,
    "no_response_minutes": 600,           # a response later than this counts as none
}
# Stage 4, after the ICJ what-if (dpdlab.peru.model): weights of frames, timings and languages.
FRAME_REACH = {"factual": 0.9, "calming": 0.9, "conciliatory": 1.0, "rebuttal": 1.4, "accusatory": 1.6}
FRAME_TENSION = {"factual": -0.2, "calming": -0.3, "conciliatory": -0.5, "rebuttal": 0.7, "accusatory": 1.2}
TIMING_HOURS = {"at_once": 8.0, "after_call": 9.0, "evening": 12.0, "next_morning": 20.0}
TIMING_ATTENTION = {"at_once": 4.0, "after_call": 3.5, "evening": 2.5, "next_morning": 1.2}
TIMING_TENSION = {"at_once": 1.4, "after_call": 1.0, "evening": 0.9, "next_morning": 0.7}
LANGUAGE_REACH = {"es": 100.0, "en": 60.0, "pt": 20.0}
LANGUAGE_TENSION = {"es": 1.0, "en": 0.5, "pt": 0.3}  # Ostelia's public reads Spanish posts directly
STATEMENT_TENSION = 1.0  # the minister's statement alone: 73 out of 100
CALL_TENSION = 0.8
SLOT_OVERLAP = 0.6       # as in the ICJ what-if

# Credibility: points per reason (keys of dpdlab.simulation.text.CREDIBILITY_REASONS). Assumed weights.
CREDIBILITY_START = 35.0
CREDIBILITY_POINTS = {
    "first_fast": 10, "first_ok": 5, "first_slow": -10, "figure_unverified": -15, "action": 4, "empathy": 3,
    "unknowns": 4, "fact_first": 8, "quoted_claim": -8, "slow_response": -6, "named_wrongly": -3,
    "blame": -6, "tension_high": -5, "answered": 5, "missed": -8, "no_comment": -6, "corrected_fast": 12,
    "corrected_late": 3, "not_corrected": -20, "figure_verified": 2,
}
NAMED_WRONGLY_CAP = 5  # at most five worried nationals are counted against a team


# --- the claim's network ---------------------------------------------------------------------------------

_SCRIPTS = [scenario.CLAIM_TEXT,
            "#EmbajadaCobra Valdoria cobra por los asientos de evacuación. Si no pagas, te quedas",
            "Nos abandonan y encima cobran: 400 pesos por asiento en los buses #EmbajadaCobra"]
_FILLER = ["Fuerza Marvenia", "Qué tragedia, todos unidos", "Oremos por la capital", "Terrible lo que pasa hoy",
           "Ánimo a todos los afectados", "No puedo dejar de ver los videos"]
_WORRIED = {
    "es": ["¿Es verdad que la embajada cobra por los asientos? Mi {who} está {where}",
           "Alguien sabe si hay que pagar el bus de evacuación? Mi {who} está {where}",
           "¿Cobran los buses de la embajada? Necesito sacar a mi {who}, que está {where}",
           "Embajada, ¿cuánto cuesta el bus? Mi {who} sigue {where}",
           "Leo que cobran por evacuar. ¿Alguien lo confirma? Mi {who} está {where}",
           "Por favor confirmen si el bus es gratis, mi {who} está {where}"],
    "en": ["Is it true the embassy charges for evacuation seats? My {who_en} is {where_en}",
           "Do we have to pay for the embassy bus? My {who_en} is {where_en}"],
    "pt": ["É verdade que a embaixada cobra pelos assentos? Meu {who_pt} está {where_pt}"],
}
_WHO = {"es": ["hermana", "hijo", "madre", "padre", "esposo", "tía", "amiga", "abuelo", "prima", "sobrino",
               "novia", "cuñado"],
        "en": ["sister", "son", "mother", "father", "husband", "friend"], "pt": ["irmão", "filho", "pai", "tio"]}
_WHERE = {"es": ["en el centro", "en el hotel", "cerca de la plaza", "en el hospital", "en la terminal",
                 "en casa de amigos", "en el barrio viejo", "sin batería", "en un albergue", "en la universidad"],
          "en": ["in the old town", "at a hotel", "near the square", "at the hospital", "in a shelter"],
          "pt": ["no centro", "num hotel", "no hospital", "num abrigo"]}
_JOURNALISTS = ["Circula que la embajada de Valdoria cobra por los buses de evacuación. Pedimos su versión",
                "Consultamos a la embajada de Valdoria sobre los mensajes que dicen que cobra por evacuar",
                "Reports claim Valdoria's embassy charges for evacuation seats; we have asked the embassy",
                "Verificando: ¿cobra la embajada de Valdoria por los asientos? Aún sin respuesta oficial",
                "Viral posts say Valdorian evacuees must pay for seats. No confirmation so far",
                "Mensajes en redes acusan a la embajada de Valdoria de cobrar por evacuar. Seguimos el tema"]
_OUTLETS = ["EN VIVO: sismo en Marvenia, lo que sabemos", "Evacuación de extranjeros: los buses salen hacia Ostelia",
            "Cifras oficiales aún no disponibles tras el sismo"]
_CITIZENS = ["¿Alguien sabe si es cierto lo de la embajada y los buses?", "No compartan sin confirmar, por favor",
             "¿Hay fuente oficial sobre lo de los asientos?", "Esto de los buses pagados suena raro",
             "¿Dónde está el comunicado de la embajada?", "Ojalá aclaren lo de los buses pronto",
             "Antes de reenviar: ¿quién dice que cobran?", "Mi vecino fue en el bus y no pagó nada, creo",
             "Que la embajada aclare ya lo de los asientos", "Cuidado con las cadenas en días así",
             "¿Alguien tiene el número de la embajada?", "Tanta desinformación no ayuda a nadie"]


def _vary(script: str, rng: np.random.Generator) -> str:
    """A script as one operation account posts it: same words, small surface changes."""
    text = script
    roll = rng.random()
    if roll < 0.25:
        text = text.upper()
    elif roll < 0.45:
        text = text.lower()
    if rng.random() < 0.4:
        text += str(rng.choice(["!", "!!", " 😡", " .", "!!!"]))
    return text


def simulate_claim_network(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The simulated accounts and posts that spread the false claim (see the module's documentation).

    Returns ``(accounts, posts)``; minutes count from the earthquake (T+0).
    """
    rng = np.random.default_rng(seed)
    a = NETWORK_ASSUMPTIONS
    accounts: list[dict] = []

    def add(n: int, role: str, created: np.ndarray, followers: np.ndarray, operation: bool) -> list[int]:
        start = len(accounts)
        for i in range(n):
            accounts.append({"role": role, "created_days_before": int(created[i]), "followers": int(followers[i]),
                             "in_operation": operation})
        return list(range(start, start + n))

    low, high = a["operation_new_days_before"]
    kinds = rng.choice(["national", "citizen"], size=a["operation_new"] + a["operation_old"], p=[0.6, 0.4])
    operation = []
    for i in range(a["operation_new"]):
        operation += add(1, str(kinds[i]), rng.integers(low, high + 1, 1), rng.lognormal(3.0, 0.7, 1).round(), True)
    for i in range(a["operation_old"]):
        operation += add(1, str(kinds[a["operation_new"] + i]), rng.integers(120, 2500, 1),
                         rng.lognormal(4.5, 0.8, 1).round(), True)
    today = a["worried_opened_today"]
    worried_roles = rng.choice(["national", "relative"], size=a["worried"], p=[0.55, 0.45])
    worried = []
    for i in range(a["worried"]):
        created = np.zeros(1, dtype=int) if i < today else rng.integers(30, 3000, 1)
        followers = rng.lognormal(1.5, 0.8, 1).round() if i < today else rng.lognormal(5.0, 1.1, 1).round()
        worried += add(1, str(worried_roles[i]), created, followers, False)
    journalists = add(a["journalists"], "journalist", rng.integers(200, 4000, a["journalists"]),
                      rng.lognormal(8.0, 0.8, a["journalists"]).round(), False)
    outlets = add(a["outlets"], "outlet", rng.integers(1000, 5000, a["outlets"]),
                  rng.lognormal(11.0, 0.6, a["outlets"]).round(), False)
    citizens = add(a["citizens"], "citizen", rng.integers(60, 4000, a["citizens"]),
                   rng.lognormal(5.0, 1.0, a["citizens"]).round(), False)

    posts: list[tuple[int, int, str, str]] = [(operation[0], CLAIM_START_MINUTE, "es", scenario.CLAIM_TEXT)]
    go_times = np.sort(rng.choice(np.arange(CLAIM_START_MINUTE + 2, CLAIM_WINDOW_END - 6), size=a["go_times"],
                                  replace=False))
    eagerness = rng.uniform(*a["join_probability"], size=len(operation))
    for go in go_times:
        script = str(rng.choice(_SCRIPTS))
        for i, p in zip(operation, eagerness):
            if rng.random() < p:
                posts.append((i, int(go + rng.integers(0, a["go_jitter_minutes"] + 1)), "es", _vary(script, rng)))
    for i in operation:
        for _ in range(rng.poisson(a["operation_filler_mean"])):
            posts.append((i, int(rng.integers(CLAIM_START_MINUTE - 120, CLAIM_WINDOW_END)), "es",
                          str(rng.choice(_FILLER))))
    for i in worried:
        for _ in range(1 + rng.poisson(0.4)):
            if rng.random() < a["worried_after_burst_share"]:
                minute = int(rng.choice(go_times) + rng.exponential(a["worried_delay_minutes"]))
            else:
                minute = int(rng.integers(CLAIM_START_MINUTE + 5, CLAIM_WINDOW_END))
            if rng.random() < a["worried_copy_share"]:
                language, text = "es", scenario.CLAIM_TEXT
            else:
                language = str(rng.choice(["es", "en", "pt"], p=[0.75, 0.15, 0.1]))
                text = str(rng.choice(_WORRIED[language])).format(
                    who=rng.choice(_WHO["es"]), who_en=rng.choice(_WHO["en"]), who_pt=rng.choice(_WHO["pt"]),
                    where=rng.choice(_WHERE["es"]), where_en=rng.choice(_WHERE["en"]),
                    where_pt=rng.choice(_WHERE["pt"]))
            posts.append((i, min(minute, CLAIM_WINDOW_END - 1), language, text))
    for n, i in enumerate(journalists):
        text = _JOURNALISTS[n % len(_JOURNALISTS)]
        posts.append((i, int(rng.integers(220, CLAIM_WINDOW_END)), "en" if text.isascii() else "es", text))
    for n, i in enumerate(outlets):
        posts.append((i, int(rng.integers(CLAIM_START_MINUTE - 100, CLAIM_WINDOW_END)), "es", _OUTLETS[n]))
    for n, i in enumerate(citizens):
        posts.append((i, int(rng.integers(CLAIM_START_MINUTE + 10, CLAIM_WINDOW_END)), "es",
                      _CITIZENS[n % len(_CITIZENS)]))

    return account_and_post_tables(accounts, posts, rng, ROLES, account_id="c-{:03d}", post_id="cp-{:04d}")


def generate_claim_accounts(seed: int = SEED) -> pd.DataFrame:
    """The bundled ``crisis_claim_accounts_simulated`` table."""
    return simulate_claim_network(seed)[0]


def generate_claim_posts(seed: int = SEED) -> pd.DataFrame:
    """The bundled ``crisis_claim_posts_simulated`` table."""
    return simulate_claim_network(seed)[1]


# --- the reaction, stage by stage --------------------------------------------------------------------------

def language_coverage(languages) -> float:
    """Share of the nationals who write to the consulate in ``languages`` (module 05's simulated stream)."""
    from dpdlab.crises.model import REQUEST_ASSUMPTIONS

    shares = REQUEST_ASSUMPTIONS["languages"]
    return float(sum(shares[x] for x in set(languages) if x in shares))


def first_post_outcome(post: Mapping[str, Any]) -> dict[str, float]:
    """Stage 1: the share of nationals' attention the first post reaches (see the module's documentation)."""
    from dpdlab.crises.analysis import attention_left

    left = attention_left(post["minutes_after"] / 60, ASSUMPTIONS["attention_half_life_hours"])
    coverage = language_coverage(post["languages"])
    return {"first_post_minutes": int(post["minutes_after"]), "attention_left": left, "coverage": coverage,
            "reach_share": left * coverage}


def _early_requests() -> pd.DataFrame:
    from dpdlab.data import load_dataset

    requests = load_dataset("consular_requests_simulated")
    return requests[requests["minute"] < scenario.TRIAGE_WINDOW_MINUTES].reset_index(drop=True)


def triage_outcome(triage: Mapping[str, Any], requests: pd.DataFrame | None = None) -> dict[str, Any]:
    """Stage 2: the team's rules and queue on the first six hours of requests.

    Returns the recall and precision of priority 1, the median and 90th-percentile waits of true
    life-and-safety requests (minutes), the backlog every 15 minutes (``backlog``, a table) and at T+6h.
    """
    from dpdlab.crises.analysis import backlog, keyword_triage, serve_queue, triage_scores, wait_summary

    requests = _early_requests() if requests is None else requests
    rules_ = [(int(p), list(words)) for p, words in triage["rules"]]
    predicted = keyword_triage(list(requests["text"]), rules_)
    scores = triage_scores(predicted, requests["priority"], level=1)
    waits = serve_queue(requests["minute"], predicted, int(triage["staff"]), ASSUMPTIONS["minutes_per_request"],
                        triage["order"])
    urgent = wait_summary(waits, requests["priority"], level=1)
    queue = backlog(requests["minute"], waits, every=15.0, until=float(scenario.TRIAGE_WINDOW_MINUTES))
    return {"urgent_recall": scores["recall"], "urgent_precision": scores["precision"],
            "p1_median_wait": urgent["median"], "p1_p90_wait": urgent["p90"],
            "backlog_6h": int(queue["waiting"].iloc[-1]), "peak_backlog": int(queue["waiting"].max()),
            "backlog": queue}


def detector_outcome(monitoring: Mapping[str, Any], accounts: pd.DataFrame | None = None,
                     posts: pd.DataFrame | None = None) -> dict[str, Any]:
    """Stage 3: module 04's detector with the team's thresholds on the claim's accounts, posts before T+5h.

    With no monitor, nobody runs it and nothing is flagged.
    """
    from dpdlab.data import load_dataset
    from dpdlab.infoops.analysis import precision_recall, rule_detector

    accounts = load_dataset("crisis_claim_accounts_simulated") if accounts is None else accounts
    posts = load_dataset("crisis_claim_posts_simulated") if posts is None else posts
    truth = set(accounts.loc[accounts["in_operation"].astype(bool), "account_id"])
    if monitoring["monitor_staff"] == 0:
        flagged: set[str] = set()
    else:
        features = claim_signals(accounts, posts)
        flagged = rule_detector(features, float(monitoring["min_duplicate"]), float(monitoring["min_synchrony"]),
                                int(monitoring["min_burst"]), monitoring["rule"])
    precision, recall = precision_recall(flagged, truth)
    claim_posts = posts[posts["text"].map(rules.quotes_claim)]
    operation_share = float(claim_posts["account_id"].isin(truth).mean()) if len(claim_posts) else 0.0
    return {"flagged": len(flagged), "precision": precision, "recall": recall,
            "wrongly_flagged": len(flagged - truth), "operation_share": operation_share,
            "ran": monitoring["monitor_staff"] > 0}


def claim_signals(accounts: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Module 04's signals (:func:`dpdlab.infoops.account_features`) of each account, from the posts before
    T+5h, with the synchrony bins of :data:`DETECTOR_WINDOW_MINUTES` and :data:`DETECTOR_MIN_ACCOUNTS`."""
    from dpdlab.infoops.analysis import account_features

    return account_features(posts[posts["minute"] < CLAIM_WINDOW_END], accounts,
                            window_minutes=DETECTOR_WINDOW_MINUTES, min_accounts=DETECTOR_MIN_ACCOUNTS)


def claim_views(hours, potential: float | None = None) -> np.ndarray:
    """Cumulative views of the claim at ``hours`` after the earthquake if nobody answers (0 at T+3h)."""
    a = ASSUMPTIONS
    potential = a["claim_potential_views"] if potential is None else potential
    hours = np.asarray(hours, dtype=float)
    start = CLAIM_START_MINUTE / 60

    def logistic(t):
        return 1 / (1 + np.exp(-(t - a["claim_midpoint_hours"]) / a["claim_spread_hours"]))

    shape = (logistic(np.maximum(hours, start)) - logistic(start)) / (1 - logistic(start))
    return potential * shape


def response_effect(response: Mapping[str, Any], monitoring: Mapping[str, Any], detector: Mapping[str, Any]) -> float:
    """The share of the claim's further views the response removes (``E`` in the module's documentation)."""
    a = ASSUMPTIONS
    if response["minutes_after"] > a["no_response_minutes"]:
        return 0.0
    lead = response["elements"][:1] == ["the_fact"]
    content = a["content_effect"]["fact_first" if lead else "other"]
    if "quote_the_claim" in response["elements"] or rules.quotes_claim(response["text"]):
        content += a["quote_effect"]
    timely = 0.5 ** (response["minutes_after"] / 60 / a["response_delay_half_life_hours"])
    effect = content * language_coverage(response["languages"]) * timely
    effect += a["monitor_effect"] * (1 - math.exp(-monitoring["monitor_staff"] / 3))
    if "name_accounts" in response["elements"]:
        effect += a["takedown_effect"] * detector["operation_share"] * detector["recall"]
    return float(min(a["max_effect"], max(0.0, effect)))


def claim_outcome(response: Mapping[str, Any], monitoring: Mapping[str, Any],
                  detector: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Stage 3: the detector's result and the claim's views by T+12h, with and without the response.

    ``curve`` holds the two cumulative series every 15 minutes from T+3h to T+12h.
    """
    detector = detector_outcome(monitoring) if detector is None else detector
    effect = response_effect(response, monitoring, detector)
    respond_at = scenario.stage(3).sim_hour + response["minutes_after"] / 60
    hours = np.arange(CLAIM_START_MINUTE / 60, 12.0001, 0.25)
    unanswered = claim_views(hours)
    at_response = float(claim_views(respond_at))
    answered = np.where(hours <= respond_at, unanswered, at_response + (unanswered - at_response) * (1 - effect))
    curve = pd.DataFrame({"hour": hours, "unanswered": unanswered, "answered": answered})
    return {**detector, "named": "name_accounts" in response["elements"], "effect": effect,
            "respond_at": respond_at, "claim_views": float(answered[-1]),
            "claim_views_unanswered": float(unanswered[-1]), "curve": curve}


def reply_outcome(reply: Mapping[str, Any]) -> dict[str, Any]:
    """Stage 4: reach and tension of the reply to Ostelia (the ICJ what-if's arithmetic; see the module's doc).

    ``posts`` is a table of each post's reach and tension contribution; ``crossing`` is the band's
    consequence for the border crossing.
    """
    from dpdlab.peru.model import tension_band, tension_from

    rows, used = [], {}
    for n, post in enumerate(reply["posts"], start=1):
        timing, frame, language = post["timing"], post["frame"], post["language"]
        k = used.get(timing, 0)
        used[timing] = k + 1
        reach = LANGUAGE_REACH[language] * TIMING_ATTENTION[timing] * FRAME_REACH[frame] * SLOT_OVERLAP ** k
        rows.append({"post": n, "timing": timing, "hours": TIMING_HOURS[timing], "frame": frame, "language": language,
                     "reach": reach,
                     "tension": FRAME_TENSION[frame] * TIMING_TENSION[timing] * LANGUAGE_TENSION[language]})
    posts = pd.DataFrame(rows)
    call = 0.0
    if reply["call_first"]:
        call = -CALL_TENSION / (2 if any(p["timing"] == "at_once" for p in reply["posts"]) else 1)
    contributions = pd.DataFrame({"tension": [*posts["tension"], STATEMENT_TENSION, call]})
    tension = tension_from(contributions)
    band = tension_band(tension)
    return {"reach": float(posts["reach"].sum()), "tension": tension, "band": band,
            "baseline_tension": tension_from(pd.DataFrame({"tension": [STATEMENT_TENSION]})),
            "crossing": band, "posts": posts}


# --- credibility ---------------------------------------------------------------------------------------------

def credibility_changes(decisions: Mapping[str, Any], outcomes: Mapping[int, Mapping[str, Any]] | None = None
                        ) -> pd.DataFrame:
    """The credibility table's rows that apply to ``decisions`` (complete stages only), in stage order.

    Columns: ``stage``, ``reason`` (a key of :data:`dpdlab.simulation.text.CREDIBILITY_REASONS`), ``count``,
    ``points`` and ``total`` (after the row, kept within 0–100).
    """
    outcomes = outcomes if outcomes is not None else {}
    rows: list[tuple[int, str, int]] = []
    ok = {s.number: rules.complete(decisions, s.decisions)[0] for s in scenario.STAGES}

    def post_rows(number: int, post: Mapping[str, Any]) -> None:
        elements = post["elements"]
        if number < 6 and rules.gives_figure(post):
            rows.append((number, "figure_unverified", 1))
        if {"safety_advice", "hotline"} & set(elements):
            rows.append((number, "action", 1))
        if "empathy" in elements:
            rows.append((number, "empathy", 1))
        if "what_is_not_known" in elements:
            rows.append((number, "unknowns", 1))
        if "blame_others" in elements:
            rows.append((number, "blame", 1))

    if ok[1]:
        post = decisions["q1_first_post"]
        minutes = post["minutes_after"]
        if minutes <= 30:
            rows.append((1, "first_fast", 1))
        elif minutes <= 60:
            rows.append((1, "first_ok", 1))
        elif minutes > 120:
            rows.append((1, "first_slow", 1))
        post_rows(1, post)
    if ok[3]:
        response = decisions["q3_response"]
        post_rows(3, response)
        if response["elements"][:1] == ["the_fact"]:
            rows.append((3, "fact_first", 1))
        if "quote_the_claim" in response["elements"] or rules.quotes_claim(response["text"]):
            rows.append((3, "quoted_claim", 1))
        if response["minutes_after"] > 120:
            rows.append((3, "slow_response", 1))
        detector = outcomes.get(3) or claim_outcome(response, decisions["q3_monitoring"])
        if detector["named"] and detector["wrongly_flagged"]:
            rows.append((3, "named_wrongly", min(NAMED_WRONGLY_CAP, detector["wrongly_flagged"])))
    if ok[4]:
        reply = outcomes.get(4) or reply_outcome(decisions["q4_ostelia"])
        if reply["band"] == "high":
            rows.append((4, "tension_high", 1))
    if ok[5]:
        answer = decisions["q5_answer"]
        post_rows(5, answer)
        if "no_comment" in answer["elements"]:
            rows.append((5, "no_comment", 1))
        rows.append((5, "answered" if answer["minutes_after"] <= scenario.JOURNALIST_DEADLINE else "missed", 1))
    if ok[6]:
        correction = decisions["q6_correction"]
        if not correction["issue"]:
            rows.append((6, "not_corrected", 1))
        else:
            fast = (correction["minutes_after"] <= scenario.CORRECTION_LIMIT
                    and "acknowledge_error" in correction["elements"])
            rows.append((6, "corrected_fast" if fast else "corrected_late", 1))
            if correction["casualty_figure"] == scenario.VERIFIED_DEATHS:
                rows.append((6, "figure_verified", 1))
    total = CREDIBILITY_START
    table = [{"stage": 0, "reason": "start", "count": 1, "points": 0.0, "total": total}]
    for number, reason, count in rows:
        points = float(CREDIBILITY_POINTS[reason] * count)
        total = min(100.0, max(0.0, total + points))
        table.append({"stage": number, "reason": reason, "count": count, "points": points, "total": total})
    return pd.DataFrame(table)


def credibility_by_stage(changes: pd.DataFrame) -> pd.Series:
    """The credibility after each stage 1–6 (the last total at or before it)."""
    after = changes.groupby("stage")["total"].last()
    return after.reindex(range(0, 7)).ffill().loc[1:]


# --- everything together -----------------------------------------------------------------------------------

def reaction(decisions: Mapping[str, Any]) -> dict[int, dict[str, Any] | None]:
    """The simulated reaction to each stage whose decisions are complete (None for the others).

    ``decisions`` maps the notebook's decision names to their values (the notebook's ``globals()`` will do).
    Stage 3 needs stage 3's two decisions; the credibility after each stage is in ``reaction[n]["credibility"]``.
    """
    out: dict[int, dict[str, Any] | None] = {}
    for s in scenario.STAGES[1:]:
        if not rules.complete(decisions, s.decisions)[0]:
            out[s.number] = None
        elif s.number == 1:
            out[1] = first_post_outcome(decisions["q1_first_post"])
        elif s.number == 2:
            out[2] = triage_outcome(decisions["q2_triage"])
        elif s.number == 3:
            out[3] = claim_outcome(decisions["q3_response"], decisions["q3_monitoring"])
        elif s.number == 4:
            out[4] = reply_outcome(decisions["q4_ostelia"])
        elif s.number == 5:
            answer = decisions["q5_answer"]
            out[5] = {"answered_in_time": answer["minutes_after"] <= scenario.JOURNALIST_DEADLINE,
                      "minutes": int(answer["minutes_after"])}
        else:
            correction = decisions["q6_correction"]
            out[6] = {"issued": bool(correction["issue"]),
                      "correction_minutes": int(correction["minutes_after"]) if correction["issue"] else None}
    changes = credibility_changes(decisions, {n: o for n, o in out.items() if o is not None})
    by_stage = credibility_by_stage(changes)
    for number, outcome in out.items():
        if outcome is not None:
            outcome["credibility"] = float(by_stage.loc[number])
    return out


def outcome_summary(decisions: Mapping[str, Any]) -> dict[str, Any]:
    """One team's simulated outcomes as plain values (keys of ``VIEWS["outcome_measures"]``); None where the
    stage was not decided. Used for the side-by-side tables of the debrief."""
    r = reaction(decisions)
    first, triage, claim, reply, answer, correction = (r.get(n) for n in range(1, 7))
    credibility = next((r[n]["credibility"] for n in range(6, 0, -1) if r.get(n)), None)
    return {
        "first_post_minutes": first and first["first_post_minutes"],
        "reach_share": first and first["reach_share"],
        "urgent_recall": triage and triage["urgent_recall"],
        "p1_median_wait": triage and triage["p1_median_wait"],
        "p1_p90_wait": triage and triage["p1_p90_wait"],
        "backlog_6h": triage and triage["backlog_6h"],
        "flagged": claim and claim["flagged"],
        "precision": claim and claim["precision"],
        "recall": claim and claim["recall"],
        "wrongly_flagged": claim and claim["wrongly_flagged"],
        "named": claim and claim["named"],
        "claim_views": claim and claim["claim_views"],
        "tension": reply and reply["tension"],
        "band": reply and reply["band"],
        "crossing": reply and reply["crossing"],
        "answered_in_time": answer and answer["answered_in_time"],
        "correction_minutes": correction and correction["correction_minutes"],
        "credibility": credibility,
        "breaches": len(rules.all_breaches(decisions)),
    }
