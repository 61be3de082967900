"""Attention decay and consular triage: plain functions whose right answers can be worked out by hand.

* :func:`half_life` fits an exponential decay to a series (a straight line through the logarithms) and
  returns the time it takes to halve; :func:`fit_decay` also returns the fitted curve.
* :func:`implied_half_life` finds the half-life of a decaying daily flow from two *cumulative* figures, such
  as "more than $5 million in a day, about $8 million in three days".
* :func:`attention_left` is the share of a decaying flow still to come after a delay.
* :func:`keyword_triage` gives each message a priority from ordered keyword rules;
  :func:`triage_scores` scores it against the true priorities, with module 04's
  :func:`dpdlab.infoops.analysis.precision_recall`.
* :func:`serve_queue` simulates staff answering requests, in order of arrival or of priority, and returns
  each request's wait; :func:`triage_comparison` sets no triage, keyword rules and perfect triage side by side.
* :func:`mention_checks` sets published mention volumes against what the platform carried at the time.
"""
from __future__ import annotations

import heapq
import math
import re
import unicodedata
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from dpdlab.crises.text import COMPARISON, DECAY_NOTES, MENTIONS, QUEUE_NOTES, TRIAGE_NAMES
from dpdlab.infoops.analysis import precision_recall
from dpdlab.i18n import messages

MESSAGES = messages(__name__, {
    "lengths": "hours and values must have the same length; got {a} and {b}.",
    "too_few": "A decay needs at least two positive values to fit; got {n}.",
    "negative": "A fit on counts needs values of 0 or more; this series has negative values.",
    "method": "method must be one of {methods}; got {value!r}.",
    "not_decaying": ("The values do not decay over this range (fitted rate {rate:+.4f} per unit of time): "
                     "choose a range that starts at or after the peak."),
    "ratio": ("The two cumulative figures imply no decaying flow: the second ({c2:,}) must be larger than the "
              "first ({c1:,}) and less than {limit:.3g} times it (what a flow that never decays would give)."),
    "times": "t1 and t2 must be positive with t2 > t1; got {t1} and {t2}.",
    "staff": "staff must be a whole number of at least 1; got {value!r}.",
    "minutes": "minutes_each must be positive; got {value!r}.",
    "order": "order must be 'arrival' or 'priority'; got {value!r}.",
    "rules": "rules must be a list of (priority, [keywords]) pairs; problem with {item!r}.",
    "mode": "mode must be one of {modes}; got {value!r}.",
})


def _fit_log(t: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least squares on ``log(y)`` over the positive values: ``(log a, rate)``."""
    keep = y > 0
    if keep.sum() < 2:
        raise ValueError(MESSAGES["too_few"].format(n=int(keep.sum())))
    slope, intercept = np.polyfit(t[keep], np.log(y[keep]), 1)
    return float(intercept), float(-slope)


def _fit_counts(t: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Poisson maximum likelihood of ``y ~ a · exp(−rate · t)``, zeros included: ``(log a, rate)``.

    Newton's method (iteratively reweighted least squares) on the log-linear model, with the hours centred so
    the two parameters are nearly independent; it starts from the least squares on ``log(y + 1)``.
    """
    if np.any(y < 0):
        raise ValueError(MESSAGES["negative"])
    if (y > 0).sum() < 2:
        raise ValueError(MESSAGES["too_few"].format(n=int((y > 0).sum())))
    centre = float(t.mean())
    x = np.column_stack([np.ones_like(t), t - centre])
    beta = np.linalg.lstsq(x, np.log(y + 1.0), rcond=None)[0]

    def loglik(b: np.ndarray) -> float:
        eta = x @ b
        return float(np.sum(y * eta - np.exp(eta))) if eta.max() < 700 else -math.inf

    for _ in range(200):
        mu = np.exp(x @ beta)
        step = np.linalg.solve(x.T @ (mu[:, None] * x) + 1e-12 * np.eye(2), x.T @ (y - mu))
        before = loglik(beta)
        while loglik(beta + step) < before and np.max(np.abs(step)) > 1e-12:  # halve a step that overshoots
            step = step / 2
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(beta[0] - beta[1] * centre), float(-beta[1])


def fit_decay(hours: Sequence[float], values: Sequence[float], method: str = "counts") -> dict[str, float]:
    """Fit ``value = a · exp(−rate · hour)`` and return ``a``, ``rate`` (per unit of ``hours``), ``half_life``
    (``ln 2 / rate``, in the same unit), ``zeros`` (how many values are 0) and ``method``.

    ``method="counts"`` (the default) is a Poisson fit by maximum likelihood: it takes the values as counts per
    hour and keeps the hours with none, which real crisis volumes have many of. It is also a sound fit for
    amounts that are not counts (dollars per hour), since it only assumes that the *mean* decays
    exponentially. ``method="log"`` is the straight line through ``log(value)`` that module 05 teaches: zeros
    have no logarithm and are left out, which makes a decay into silence look slower than it is (a longer
    half-life). Assumptions of both: one exponential decay over the hours given, so the window should start at
    or after the peak; see :func:`decay_checks` and :func:`half_life_by_window`. Raises ``ValueError`` if the
    series does not decay.
    """
    t = np.asarray(hours, dtype=float)
    y = np.asarray(values, dtype=float)
    if t.shape != y.shape:
        raise ValueError(MESSAGES["lengths"].format(a=len(t), b=len(y)))
    if method not in FIT_METHODS:
        raise ValueError(MESSAGES["method"].format(value=method, methods=", ".join(FIT_METHODS)))
    log_a, rate = (_fit_counts if method == "counts" else _fit_log)(t, y)
    if rate * max(float(np.ptp(t)), 1.0) < 1e-9:  # a flat series: any rate left is rounding error
        raise ValueError(MESSAGES["not_decaying"].format(rate=rate))
    return {"a": float(math.exp(log_a)), "rate": float(rate), "half_life": float(math.log(2) / rate),
            "zeros": int((y == 0).sum()), "method": method}


FIT_METHODS = ("counts", "log")


def half_life(hours: Sequence[float], values: Sequence[float], method: str = "counts") -> float:
    """The half-life of an exponential decay fitted to ``values`` at ``hours`` (see :func:`fit_decay`)."""
    return fit_decay(hours, values, method)["half_life"]


def half_life_by_window(hours: Sequence[float], values: Sequence[float], start: float | None = None,
                        ends: Sequence[float] | None = None, method: str = "counts") -> pd.DataFrame:
    """The half-life fitted from ``start`` (the peak hour by default) to each of ``ends`` (inclusive).

    A single exponential gives the same half-life whatever the window; real attention often does not (a fast
    first fall and a long tail), and then the half-life is a property of the window as much as of the series.
    ``ends`` defaults to 24, 48, 72, 120 and 240 hours after ``start``, within the series. Returns columns
    ``fit_from``, ``fit_to``, ``half_life`` (NaN where no decay fits) and ``zeros`` (hours with 0 in the window).
    """
    t = np.asarray(hours, dtype=float)
    y = np.asarray(values, dtype=float)
    if t.shape != y.shape:
        raise ValueError(MESSAGES["lengths"].format(a=len(t), b=len(y)))
    start = float(t[int(np.argmax(y))]) if start is None else float(start)
    if ends is None:
        ends = [start + d for d in (24, 48, 72, 120, 240) if start + d <= t.max()] or [float(t.max())]
    rows = []
    for end in ends:
        inside = (t >= start) & (t <= end)
        try:
            value = fit_decay(t[inside], y[inside], method)["half_life"]
        except ValueError:
            value = float("nan")
        rows.append({"fit_from": start, "fit_to": float(end), "half_life": value,
                     "zeros": int((y[inside] == 0).sum())})
    return pd.DataFrame(rows, columns=["fit_from", "fit_to", "half_life", "zeros"])


def decay_checks(hours: Sequence[float], values: Sequence[float], fit_from: float, fit_to: float) -> list[str]:
    """Plain-language notes on where the assumptions of :func:`fit_decay` do not hold in this window.

    Checked: the window starts before the series' peak (a rise is not a decay); it holds hours with no value,
    which a fit on logarithms would drop; and the half-life changes by more than half between fits of the
    same start that end at different hours (:func:`half_life_by_window`), so no single half-life describes
    the series. Returns an empty list when none applies.
    """
    t = np.asarray(hours, dtype=float)
    y = np.asarray(values, dtype=float)
    notes = []
    peak = float(t[int(np.argmax(y))])
    if fit_from < peak:
        notes.append(DECAY_NOTES["before_peak"].format(start=fit_from, peak=peak))
    inside = (t >= fit_from) & (t <= fit_to)
    zeros = int((y[inside] == 0).sum())
    if zeros:
        notes.append(DECAY_NOTES["zeros"].format(zeros=zeros, hours=int(inside.sum())))
    spread = half_life_by_window(t, y, start=max(fit_from, peak)).dropna()
    if len(spread) >= 2 and spread["half_life"].max() > 1.5 * spread["half_life"].min():
        notes.append(DECAY_NOTES["window"].format(
            low=spread["half_life"].min(), high=spread["half_life"].max(),
            ends=", ".join(f"{end:g}" for end in spread["fit_to"])))
    return notes


def implied_half_life(c1: float, t1: float, c2: float, t2: float) -> float:
    """Half-life of a flow ``f(t) = f0 · 2^(−t/h)`` whose cumulative total is ``c1`` at ``t1`` and ``c2`` at ``t2``.

    The cumulative total is ``C(t) = A · (1 − x^t)`` with ``x = 2^(−1/h)``, so
    ``c2 / c1 = (1 − x^t2) / (1 − x^t1)``, which grows from 1 (instant decay) to ``t2 / t1`` (no decay) as
    ``x`` goes from 0 to 1; it is solved for ``x`` by bisection. The result is in the unit of ``t1``/``t2``.
    """
    if not (t1 > 0 and t2 > t1):
        raise ValueError(MESSAGES["times"].format(t1=t1, t2=t2))
    ratio = c2 / c1
    if not 1 < ratio < t2 / t1:
        raise ValueError(MESSAGES["ratio"].format(c1=c1, c2=c2, limit=t2 / t1))

    def implied(x: float) -> float:
        return (1 - x ** t2) / (1 - x ** t1)

    low, high = 1e-12, 1 - 1e-12
    for _ in range(200):
        mid = (low + high) / 2
        if implied(mid) < ratio:
            low = mid
        else:
            high = mid
    x = (low + high) / 2
    return math.log(2) / -math.log(x)


def attention_left(delay: float, half_life_value: float) -> float:
    """Share of a decaying flow of attention still to come ``delay`` after its start: ``2^(−delay/half-life)``."""
    if half_life_value <= 0:
        raise ValueError("half_life_value must be positive")
    if delay < 0:
        raise ValueError("delay cannot be negative")
    return 0.5 ** (delay / half_life_value)


# --- triage ----------------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents: ``"Atrapé"`` and ``"atrape"`` both become ``"atrape"`` (and Creole
    ``"paspò"`` becomes ``"paspo"``), so a keyword matches however the message was typed."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _compile(rules) -> list[tuple[int, re.Pattern]]:
    compiled = []
    for item in rules:
        try:
            priority, words = item
            words = [words] if isinstance(words, str) else list(words)
            pattern = re.compile("|".join(re.escape(fold(word)) for word in words if word))
        except (TypeError, ValueError):
            raise ValueError(MESSAGES["rules"].format(item=item)) from None
        if not words:
            raise ValueError(MESSAGES["rules"].format(item=item))
        compiled.append((int(priority), pattern))
    return compiled


def keyword_triage(texts: Sequence[str], rules, default: int = 4) -> list[int]:
    """A priority for each text: the first rule with a keyword found in the text wins.

    ``rules`` is an ordered list of ``(priority, [keywords])``; a text matching no rule gets ``default``.
    Keywords are plain text, matched anywhere (``"atrap"`` matches "atrapado" and "atrapadas"), in lower case
    and without accents on both sides (:func:`fold`), so "herido" matches "HERÍDO" and "bless" matches
    "blessé". Assumption: the rules hold keywords in the messages' languages; :func:`baseline_rules` gives the
    course's starting rules for the languages it knows, and :func:`triage_checks` says which languages of
    a stream have none.
    """
    compiled = _compile(rules)
    priorities = []
    for text in texts:
        low = fold(text)
        priorities.append(next((p for p, pattern in compiled if pattern.search(low)), default))
    return priorities


def triage_scores(predicted: Sequence[int], truth: Sequence[int], level: int = 1) -> dict[str, float]:
    """Precision and recall of ``predicted == level`` against ``truth == level``, and the counts behind them.

    The messages are named by their positions, and the scores are module 04's
    :func:`dpdlab.infoops.analysis.precision_recall` of the flagged positions against the true ones.
    """
    p = np.asarray(predicted) == level
    t = np.asarray(truth) == level
    if p.shape != t.shape:
        raise ValueError(MESSAGES["lengths"].format(a=len(p), b=len(t)))
    flagged, true = set(np.flatnonzero(p).tolist()), set(np.flatnonzero(t).tolist())
    precision, recall = precision_recall(flagged, true)
    return {"precision": precision, "recall": recall, "flagged": len(flagged), "true": len(true),
            "hits": len(flagged & true)}


def serve_queue(arrivals: Sequence[float], priorities: Sequence[int] | None = None, staff: int = 2,
                minutes_each: float = 5.0, order: str = "priority") -> np.ndarray:
    """Minutes each request waits before a member of staff starts on it.

    ``staff`` people each handle one request at a time, ``minutes_each`` minutes per request, and never
    interrupt one. When someone is free they take, among the requests that have arrived, the oldest
    (``order="arrival"``) or the one with the lowest priority number, oldest first (``order="priority"``).
    Returns the waits in the order of ``arrivals``.

    Time resolution: ``arrivals`` are minutes, and the model needs each request's own arrival time to a
    resolution finer than ``minutes_each``. Requests counted per hour (or timestamps rounded to the hour)
    arrive together at the start of their hour, so the queue, the waits and the value of triage come out
    larger than they were; :func:`queue_checks` says when the arrivals are that coarse.
    """
    if isinstance(staff, bool) or not isinstance(staff, (int, np.integer)) or staff < 1:
        raise ValueError(MESSAGES["staff"].format(value=staff))
    if not minutes_each > 0:
        raise ValueError(MESSAGES["minutes"].format(value=minutes_each))
    if order not in ("arrival", "priority"):
        raise ValueError(MESSAGES["order"].format(value=order))
    times = np.asarray(arrivals, dtype=float)
    ranks = np.zeros(len(times), dtype=int) if priorities is None or order == "arrival" else np.asarray(priorities)
    if len(ranks) != len(times):
        raise ValueError(MESSAGES["lengths"].format(a=len(times), b=len(ranks)))
    by_arrival = np.argsort(times, kind="stable")
    free_at = [0.0] * staff  # heap of the times each person becomes free
    heapq.heapify(free_at)
    waiting: list[tuple[int, float, int]] = []  # (priority, arrival, index)
    waits = np.zeros(len(times))
    next_arrival = 0
    clock = 0.0  # time of the last decision: nobody can start a request before it
    for _ in range(len(times)):
        now = max(heapq.heappop(free_at), clock)
        if not waiting:  # nobody waiting: the person is idle until the next request arrives
            now = max(now, times[by_arrival[next_arrival]])
        clock = now
        while next_arrival < len(times) and times[by_arrival[next_arrival]] <= now:
            i = by_arrival[next_arrival]
            heapq.heappush(waiting, (int(ranks[i]), float(times[i]), int(i)))
            next_arrival += 1
        _, arrived, i = heapq.heappop(waiting)
        waits[i] = now - arrived
        heapq.heappush(free_at, now + minutes_each)
    return waits


def wait_summary(waits: Sequence[float], priorities: Sequence[int], level: int = 1) -> dict[str, float]:
    """Median and 90th-percentile wait (minutes) of the requests whose true priority is ``level``."""
    w = np.asarray(waits, dtype=float)[np.asarray(priorities) == level]
    if len(w) == 0:
        return {"median": float("nan"), "p90": float("nan"), "count": 0}
    return {"median": float(np.median(w)), "p90": float(np.percentile(w, 90)), "count": int(len(w))}


def backlog(arrivals: Sequence[float], waits: Sequence[float], every: float = 60.0,
            until: float | None = None) -> pd.DataFrame:
    """Requests that have arrived but nobody has started on, every ``every`` minutes.

    Returns columns ``minute`` and ``waiting``.
    """
    a = np.asarray(arrivals, dtype=float)
    start = a + np.asarray(waits, dtype=float)
    until = float(start.max()) if until is None else until
    grid = np.arange(0.0, until + every, every)
    arrived = np.searchsorted(np.sort(a), grid, side="right")
    started = np.searchsorted(np.sort(start), grid, side="right")
    return pd.DataFrame({"minute": grid, "waiting": arrived - started})


def triage_priorities(requests: pd.DataFrame, mode: str, rules=None) -> tuple[np.ndarray, str]:
    """The priorities to serve ``requests`` by, and the ``order`` for :func:`serve_queue`, for a triage ``mode``:
    ``"none"`` (order of arrival), ``"keywords"`` (``rules``; by default the course's baseline rules for the
    languages in ``requests``, see :func:`baseline_rules`)
    or ``"perfect"`` (the true priorities, which only a simulation knows)."""
    if mode == "none":
        return np.ones(len(requests), dtype=int), "arrival"
    if mode == "keywords":
        return np.asarray(keyword_triage(requests["text"], _rules_for(requests, rules))), "priority"
    if mode == "perfect":
        return requests["priority"].to_numpy(), "priority"
    raise ValueError(MESSAGES["mode"].format(modes=", ".join(TRIAGE_NAMES), value=mode))


def triage_comparison(requests: pd.DataFrame, staff: int = 3, minutes_each: float = 6.0, rules=None) -> pd.DataFrame:
    """No triage, keyword rules and perfect triage side by side, for the same staff and minutes per request.

    One row per triage mode (named as the triage simulator names them); columns: priority-1 recall and
    precision (empty without triage, which flags nothing), the median, 90th-percentile and longest wait of the
    truly urgent (priority-1) requests, and the median wait of the lowest priority (4), in minutes.
    """
    arrivals, truth = requests["minute"].to_numpy(), requests["priority"].to_numpy()
    urgent, lowest = truth == 1, truth == 4
    rows = {}
    for mode in TRIAGE_NAMES:
        priorities, order = triage_priorities(requests, mode, rules)
        waits = serve_queue(arrivals, priorities, staff, minutes_each, order)
        scores = triage_scores(priorities, truth, 1) if order == "priority" else {"recall": np.nan, "precision": np.nan}
        rows[TRIAGE_NAMES[mode]] = [scores["recall"], scores["precision"], float(np.median(waits[urgent])),
                                    float(np.percentile(waits[urgent], 90)), float(waits[urgent].max()),
                                    float(np.median(waits[lowest]))]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(COMPARISON["columns"].values()))
    table.index.name = COMPARISON["index"]
    return table.round(2)


# The course's simple keyword rules (Spanish, English, Portuguese stems), the starting point students improve.
BASELINE_RULES = [
    (1, ["atrap", "herid", "escombro", "trapped", "injur", "rubble", "presos", "ferid"]),
    (2, ["desaparec", "missing", "busco", "looking for", "no contesta"]),
    (3, ["pasaporte", "passport", "passaporte", "document", "vuelo", "flight", "voo", "albergue", "shelter",
         "abrigo"]),
]

# The same starting point per language (ISO 639-1 codes; "ht" is Haitian Creole). Stems of common words
# only, to be improved by speakers of each language; the union of "es", "en" and "pt" is BASELINE_RULES.
BASELINE_RULES_BY_LANGUAGE = {
    "es": {1: ["atrap", "herid", "escombro"], 2: ["desaparec", "busco", "no contesta"],
           3: ["pasaporte", "document", "vuelo", "albergue"]},
    "en": {1: ["trapped", "injur", "rubble"], 2: ["missing", "looking for"],
           3: ["passport", "document", "flight", "shelter"]},
    "pt": {1: ["presos", "ferid", "escombro"], 2: ["desaparec"], 3: ["passaporte", "document", "voo", "abrigo"]},
    "fr": {1: ["coinc", "bless", "decombre"], 2: ["disparu", "cherche"],
           3: ["passeport", "document", "hebergement"]},
    "ht": {1: ["bloke", "blese", "dekonb"], 2: ["disparet", "cheche"], 3: ["paspo", "dokiman"]},
}


def baseline_rules(languages: Sequence[str] | None = None) -> list[tuple[int, list[str]]]:
    """The course's starting keyword rules for ``languages`` (codes of :data:`BASELINE_RULES_BY_LANGUAGE`),
    one rule per priority, keywords in the order of the languages given; all the course's languages by
    default. Languages without rules are left out (:func:`triage_checks` names them)."""
    languages = list(BASELINE_RULES_BY_LANGUAGE) if languages is None else list(dict.fromkeys(languages))
    rules = []
    for priority in (1, 2, 3):
        words = [w for code in languages for w in BASELINE_RULES_BY_LANGUAGE.get(code, {}).get(priority, [])]
        if words:
            rules.append((priority, list(dict.fromkeys(words))))
    return rules


def triage_checks(requests: pd.DataFrame, rules=None) -> list[str]:
    """Plain-language notes on where keyword triage's assumption (rules in the messages' languages) fails:
    the languages of ``requests`` (its ``language`` column) that have no baseline rules, when ``rules`` is
    left to the default. Returns an empty list when none applies."""
    notes = []
    if rules is None and "language" in requests:
        missing = sorted(set(requests["language"].dropna().astype(str)) - set(BASELINE_RULES_BY_LANGUAGE))
        if missing:
            share = float(requests["language"].astype(str).isin(missing).mean())
            notes.append(QUEUE_NOTES["no_rules"].format(languages=", ".join(missing), share=share))
    return notes


def queue_checks(arrivals: Sequence[float], minutes_each: float) -> list[str]:
    """A plain-language note when ``arrivals`` are coarser than :func:`serve_queue` needs: distinct arrival
    times that are all at least ``minutes_each`` apart and mostly shared by several requests (counts per
    hour, or timestamps rounded to the hour). Returns an empty list when the arrivals are fine enough."""
    times = np.sort(np.asarray(arrivals, dtype=float))
    distinct = np.unique(times)
    if len(distinct) < 2:
        return [QUEUE_NOTES["resolution"].format(step=float("nan"), minutes=minutes_each)] if len(times) > 1 else []
    step = float(np.min(np.diff(distinct)))
    shared = 1 - len(distinct) / len(times)
    if step >= minutes_each and shared > 0.5:
        return [QUEUE_NOTES["resolution"].format(step=step, minutes=minutes_each)]
    return []


def _rules_for(requests: pd.DataFrame, rules):
    """``rules``, or the baseline rules of the languages in ``requests`` (all of the course's if it has none)."""
    if rules is not None:
        return rules
    if "language" not in requests:
        return BASELINE_RULES
    return baseline_rules(sorted(set(requests["language"].dropna().astype(str)))) or BASELINE_RULES


# --- mention volumes --------------------------------------------------------------------------------------

# Everything posted on Twitter in a day in February 2010, spam excluded: 50 million tweets [weil-twitter-2010]
# (an outside estimate for January 2010 gives about 39.5 million [pingdom-2010]).
PLATFORM_TWEETS_PER_DAY_2010 = 50_000_000
MENTION_LABELS = ("unit", "window", "comparable")


def mention_checks(figures: pd.DataFrame, platform_per_day: float = PLATFORM_TWEETS_PER_DAY_2010) -> pd.DataFrame:
    """The rows of ``figures`` whose measure is ``"mentions"``, with three checks a reader can make at once.

    * ``per_day``: mentions per day, where the period (``days_after``) is stated; empty otherwise;
    * ``platform_days``: how many days of everything posted on the platform, at ``platform_per_day``, the
      figure would fill. The 2010 rate is used for every year: the platform only grew, so a figure below one
      day of 2010's traffic is below one day of any later year's too;
    * ``label``: ``"unit"`` if the figure is more than a whole day of the platform (ask what was counted),
      else ``"window"`` if no period is stated (ask for it), else ``"comparable"``.
    """
    if isinstance(platform_per_day, bool) or not platform_per_day > 0:
        raise ValueError(MENTIONS["platform"].format(value=platform_per_day))
    rows = figures[figures["measure"] == "mentions"]
    if rows.empty:
        raise ValueError(MENTIONS["no_mentions"])
    checked = rows[["figure_id", "crisis", "value", "days_after", "period", "source"]].copy()
    checked["per_day"] = checked["value"] / checked["days_after"]
    checked["platform_days"] = checked["value"] / platform_per_day
    checked["label"] = np.where(checked["platform_days"] > 1, "unit",
                                np.where(checked["days_after"].isna(), "window", "comparable"))
    return checked.reset_index(drop=True)


# --- disaster deaths beside the crisis figures ------------------------------------------------------------

def deaths_per_country_year(records: pd.DataFrame, country: str = "Country", year: str = "Start Year",
                            deaths: str = "Total Deaths", kind: str | None = "Disaster Type",
                            kinds: Sequence[str] | None = None, source: str | None = None) -> pd.DataFrame:
    """Disaster records (one row per disaster, as an EM-DAT export has them) summed per country and year.

    The column arguments name your columns (the defaults are EM-DAT's). ``kinds`` keeps only those disaster
    types (e.g. ``["Earthquake"]``). Returns ``country``, ``year``, ``disasters`` (rows), ``deaths`` (the sum
    of the tolls reported) and ``no_toll`` (disasters with no toll reported: their deaths are *unknown*, not
    zero, so ``deaths`` is a lower bound wherever ``no_toll`` is above 0). The table is real data: its
    ``attrs`` say so and name ``source`` (give it: the records' own ``attrs`` are used otherwise), as views
    expect.
    """
    wanted = [c for c in (country, year, deaths, kind if kinds is not None else None) if c]
    missing = [c for c in wanted if c not in records.columns]
    if missing:
        raise ValueError(f"The disaster records need the columns {', '.join(map(repr, wanted))}; missing: "
                         f"{', '.join(map(repr, missing))} (name yours with the arguments country=, year=, "
                         "deaths=, kind=)")
    rows = records if kinds is None else records[records[kind].isin(list(kinds))]
    years = pd.to_numeric(rows[year], errors="coerce")
    tolls = pd.to_numeric(rows[deaths], errors="coerce")
    if (tolls < 0).any():
        raise ValueError(f"Column {deaths!r} holds negative death tolls")
    frame = pd.DataFrame({"country": rows[country].astype(str).str.strip(), "year": years, "toll": tolls})
    frame = frame[frame["year"].notna()].astype({"year": int})
    table = (frame.groupby(["country", "year"], as_index=False)
             .agg(disasters=("toll", "size"), deaths=("toll", "sum"), no_toll=("toll", lambda t: int(t.isna().sum())))
             .astype({"deaths": int}))
    given = records.attrs.get("source") or (Path(records.attrs["path"]).name if records.attrs.get("path") else "")
    origin = source or given or "disaster records, source not given"
    table.attrs.update(simulated=False, source=origin)
    return table


def deaths_beside_crises(deaths: pd.DataFrame, crises: pd.DataFrame) -> pd.DataFrame:
    """Module 05's crises beside a country-year deaths table (:func:`deaths_per_country_year`).

    ``crises`` is a table with a ``crisis`` column named "<country> <year>" (``crisis_events`` or
    ``crisis_digital_figures``); one row per crisis with its ``country`` and ``year``, the deaths table's
    ``disasters``, ``deaths`` and ``no_toll`` for that country-year (empty when it has no row), and, when
    ``crises`` holds ``measure`` "official death toll" rows, that ``published_toll``. Crises not named after a
    country (a hurricane) find no row. Keeps ``deaths``' source in ``attrs``.
    """
    names = pd.Series(sorted(crises["crisis"].dropna().unique()), dtype=object)
    parts = names.str.extract(r"^(?P<country>.+?)\s+(?P<year>\d{4})$")
    table = pd.DataFrame({"crisis": names, "country": parts["country"],
                          "year": pd.to_numeric(parts["year"]).astype("Int64")})
    table = table.merge(deaths[["country", "year", "disasters", "deaths", "no_toll"]].astype({"year": "Int64"}),
                        on=["country", "year"], how="left").astype(
        {"disasters": "Int64", "deaths": "Int64", "no_toll": "Int64"})
    if {"measure", "value"} <= set(crises.columns):
        tolls = crises[crises["measure"] == "official death toll"].groupby("crisis")["value"].max()
        table["published_toll"] = table["crisis"].map(tolls)
    table.attrs.update(simulated=bool(deaths.attrs.get("simulated", False)), source=deaths.attrs.get("source", ""))
    return table
