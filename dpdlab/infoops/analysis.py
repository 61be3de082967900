"""Signals of coordination and how to score a detector. Plain functions on plain tables.

A *coordinated* account leaves three traces the module measures:

* **duplicated text** — :func:`duplicate_share`: the share of an account's posts whose text (normalised by
  :func:`normalise_text`) another account also posted;
* **synchronised posting** — :func:`synchrony_share`: the share of its posts that fall in a time bin in
  which many distinct accounts post;
  :func:`synchrony_chance` is its base rate (the share a random arrival of the same volume would give) and
  :func:`synchrony_excess` the excess over it, which is what coordination shows as;
* **a creation burst** — :func:`creation_burst`: how many accounts were created within a few days of it.

:func:`account_features` puts them in one table; :func:`rule_detector` flags accounts with thresholds;
:func:`precision_recall` and :func:`confusion` score any set of flagged accounts against the truth, and
:func:`compare_rules` scores several settings of the detector side by side.
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import pandas as pd

from dpdlab.infoops.text import SYNCHRONY_NOTES
from dpdlab.i18n import messages

MESSAGES = messages(__name__, {
    "missing_columns": "{table} needs the column(s) {missing}; it has {present}.",
    "positive": "{name} must be a positive whole number; got {value!r}.",
    "rule": "rule must be one of {allowed}; got {value!r}.",
    "not_a_set": "{name} must be a collection of account ids (a set, list or Series); got {kind}.",
})

_URL = re.compile(r"https?://\S+")
_MENTION = re.compile(r"@\w+")
_NOT_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(MESSAGES["missing_columns"].format(table=table, missing=", ".join(missing),
                                                            present=", ".join(map(str, frame.columns))))


def _positive(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(MESSAGES["positive"].format(name=name, value=value))


def normalise_text(text: str) -> str:
    """Lower case, without links, @mentions, punctuation, emoji or repeated spaces.

    Two posts that differ only in those are the same message: ``"Hola, MUNDO!! https://t.co/x"`` and
    ``"hola mundo"`` both become ``"hola mundo"``. The ``#`` of a hashtag goes, its word stays.
    """
    text = _URL.sub(" ", str(text).lower())
    text = _MENTION.sub(" ", text)
    text = _NOT_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def duplicate_share(posts: pd.DataFrame) -> pd.Series:
    """Per account: the share of its posts whose normalised text at least one *other* account posted too.

    ``posts`` needs ``account_id`` and ``text``. Returns a Series indexed by ``account_id`` (0 to 1).
    """
    _require(posts, ("account_id", "text"), "posts")
    norm = posts["text"].map(normalise_text)
    accounts_per_text = pd.Series(posts["account_id"].to_numpy()).groupby(norm.to_numpy()).nunique()
    shared = norm.map(accounts_per_text) > 1
    return shared.groupby(posts["account_id"]).mean().rename("duplicate_share")


def synchrony_share(posts: pd.DataFrame, window_minutes: int = 5, min_accounts: int = 5) -> pd.Series:
    """Per account: the share of its posts that fall in a busy time bin.

    Time is cut into consecutive bins of ``window_minutes`` (minute 0–4, 5–9, … for 5). A bin is *busy* when at
    least ``min_accounts`` distinct accounts post in it; a post in a busy bin counts as synchronised.
    ``posts`` needs ``account_id`` and ``minute``. Returns a Series indexed by ``account_id`` (0 to 1).

    Assumption: busy bins are rare unless accounts coordinate, which holds at low volumes only. At crisis
    volumes most bins are busy by chance: set the share against :func:`synchrony_excess`, its base rate.
    """
    _require(posts, ("account_id", "minute"), "posts")
    _positive(window_minutes, "window_minutes")
    _positive(min_accounts, "min_accounts")
    busy = _busy_posts(posts, window_minutes, min_accounts)
    return busy.groupby(posts["account_id"]).mean().rename("synchrony_share")


def _poisson_at_least(rate: np.ndarray, k: int) -> np.ndarray:
    """P(X >= k) for X Poisson with mean ``rate`` (elementwise)."""
    if k <= 0:
        return np.ones_like(rate, dtype=float)
    term = np.exp(-rate)
    below = term.copy()
    for j in range(1, k):
        term = term * rate / j
        below = below + term
    return np.clip(1 - below, 0.0, 1.0)


def synchrony_chance(posts: pd.DataFrame, window_minutes: int = 5, min_accounts: int = 5,
                     around_minutes: int = 60) -> pd.Series:
    """Per post: the chance that its bin would be busy (see :func:`synchrony_share`) if posts arrived at random
    at the volume around it.

    Timing alone flags any post in a busy bin, and at crisis volumes most bins are busy with no coordination
    at all. This is the base rate to set against it. The volume around a post is the number of posts in the
    ``around_minutes`` centred on its bin, *outside* the bin itself (so a burst does not explain itself
    away), per ``window_minutes``; with posts arriving at random (a Poisson process) at that rate, the bin is
    busy when at least ``min_accounts - 1`` others post in it. Assumptions: each post is by a different
    account (it overstates the chance for accounts that post often) and the volume changes slowly over
    ``around_minutes``. Returns a Series aligned with ``posts`` (0 to 1).
    """
    _require(posts, ("account_id", "minute"), "posts")
    for value, name in ((window_minutes, "window_minutes"), (min_accounts, "min_accounts"),
                        (around_minutes, "around_minutes")):
        _positive(value, name)
    minutes = posts["minute"].to_numpy(dtype=float)
    ordered = np.sort(minutes)
    bins = minutes // window_minutes
    centre = (bins + 0.5) * window_minutes
    around = (np.searchsorted(ordered, centre + around_minutes / 2, side="left")
              - np.searchsorted(ordered, centre - around_minutes / 2, side="left"))
    inside = (np.searchsorted(ordered, (bins + 1) * window_minutes, side="left")
              - np.searchsorted(ordered, bins * window_minutes, side="left"))
    span = max(around_minutes - window_minutes, window_minutes)
    rate = (around - inside) * window_minutes / span
    return pd.Series(_poisson_at_least(rate, min_accounts - 1), index=posts.index, name="chance")


def synchrony_excess(posts: pd.DataFrame, window_minutes: int = 5, min_accounts: int = 5,
                     around_minutes: int = 60) -> pd.DataFrame:
    """Per account: ``posts``, ``synchrony_share`` (:func:`synchrony_share`), ``chance_share`` (the mean of
    :func:`synchrony_chance` over its posts: what the share would be by chance at that posting volume) and
    ``excess`` (the first minus the second). Coordination shows as an excess, not as a high share."""
    observed = synchrony_share(posts, window_minutes, min_accounts)
    chance = synchrony_chance(posts, window_minutes, min_accounts, around_minutes)
    grouped = chance.groupby(posts["account_id"])
    table = pd.DataFrame({"posts": grouped.size(), "synchrony_share": observed, "chance_share": grouped.mean()})
    table["excess"] = table["synchrony_share"] - table["chance_share"]
    table.index.name = "account_id"
    return table.reset_index()


def synchrony_checks(posts: pd.DataFrame, window_minutes: int = 5, min_accounts: int = 5,
                     around_minutes: int = 60) -> list[str]:
    """A plain-language note when timing alone cannot tell coordination from volume: more than a fifth of the
    posts would fall in busy bins by chance (:func:`synchrony_chance`). The note gives the share observed,
    the share expected by chance and the excess. Returns an empty list otherwise."""
    busy = _busy_posts(posts, window_minutes, min_accounts)
    chance = float(synchrony_chance(posts, window_minutes, min_accounts, around_minutes).mean())
    if chance <= 0.2:
        return []
    return [SYNCHRONY_NOTES["base_rate"].format(observed=busy.mean(), chance=chance, excess=busy.mean() - chance,
                                                 window=window_minutes, min_accounts=min_accounts)]


def _busy_posts(posts: pd.DataFrame, window_minutes: int, min_accounts: int) -> pd.Series:
    bins = posts["minute"].to_numpy() // window_minutes
    accounts_per_bin = pd.Series(posts["account_id"].to_numpy()).groupby(bins).nunique()
    return pd.Series(pd.Series(bins).map(accounts_per_bin).to_numpy() >= min_accounts, index=posts.index)


def creation_burst(accounts: pd.DataFrame, window_days: int = 3) -> pd.Series:
    """Per account: how many accounts (itself included) were created within ``window_days`` of it.

    ``accounts`` needs ``account_id`` and ``created_days_before``. An account in a burst of 30 accounts opened
    over three days scores about 30; an account opened on a quiet day scores 1.
    """
    _require(accounts, ("account_id", "created_days_before"), "accounts")
    if isinstance(window_days, bool) or window_days < 0:
        raise ValueError(MESSAGES["positive"].format(name="window_days", value=window_days))
    created = np.sort(accounts["created_days_before"].to_numpy(dtype=float))
    own = accounts["created_days_before"].to_numpy(dtype=float)
    counts = np.searchsorted(created, own + window_days, side="right") - np.searchsorted(
        created, own - window_days, side="left")
    return pd.Series(counts, index=accounts["account_id"].to_numpy(), name="burst_size")


def account_features(posts: pd.DataFrame, accounts: pd.DataFrame, window_minutes: int = 5,
                     min_accounts: int = 5, burst_days: int = 3) -> pd.DataFrame:
    """One row per account with its posts and its three signals of coordination.

    Columns: ``account_id``, ``presents_as`` (if ``accounts`` has it), ``posts``, ``duplicate_share``,
    ``synchrony_share``, ``burst_size``, ``created_days_before``, ``followers`` and ``simulated`` (the last
    two if present). Accounts without posts get 0 posts and shares of 0.
    """
    _require(accounts, ("account_id", "created_days_before"), "accounts")
    keep = [c for c in ("account_id", "presents_as", "created_days_before", "followers") if c in accounts]
    table = accounts[keep].set_index("account_id")
    table["posts"] = posts.groupby("account_id").size().reindex(table.index, fill_value=0).astype("int64")
    table["duplicate_share"] = duplicate_share(posts).reindex(table.index).fillna(0.0).astype(float)
    table["synchrony_share"] = synchrony_share(posts, window_minutes, min_accounts).reindex(
        table.index).fillna(0.0).astype(float)
    table["burst_size"] = creation_burst(accounts, burst_days).reindex(table.index).astype("int64")
    if "simulated" in accounts:  # features of simulated accounts say so too
        table["simulated"] = accounts.set_index("account_id")["simulated"].astype(bool)
    order = ["presents_as", "posts", "duplicate_share", "synchrony_share", "burst_size", "created_days_before",
             "followers", "simulated"]
    return table[[c for c in order if c in table]].reset_index()


RULES = ("all", "any", "two_of_three")


def rule_detector(features: pd.DataFrame, min_duplicate: float = 0.5, min_synchrony: float = 0.5,
                  min_burst: int = 10, rule: str = "two_of_three") -> set[str]:
    """The account ids whose signals pass the thresholds.

    Each signal is *on* when ``duplicate_share >= min_duplicate``, ``synchrony_share >= min_synchrony`` or
    ``burst_size >= min_burst``. ``rule`` says how many must be on: ``"all"`` three, ``"any"`` one, or
    ``"two_of_three"``.
    """
    _require(features, ("account_id", "duplicate_share", "synchrony_share", "burst_size"), "features")
    if rule not in RULES:
        raise ValueError(MESSAGES["rule"].format(allowed=", ".join(RULES), value=rule))
    on = ((features["duplicate_share"] >= min_duplicate).astype(int)
          + (features["synchrony_share"] >= min_synchrony).astype(int)
          + (features["burst_size"] >= min_burst).astype(int))
    needed = {"all": 3, "any": 1, "two_of_three": 2}[rule]
    return set(features.loc[on >= needed, "account_id"])


def _as_set(values, name: str) -> set:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValueError(MESSAGES["not_a_set"].format(name=name, kind=type(values).__name__))
    return set(values)


def precision_recall(flagged, truth) -> tuple[float, float]:
    """``(precision, recall)`` of the ``flagged`` account ids against the ``truth`` ids.

    Precision: the share of flagged accounts that are truly coordinated (0.0 when nothing is flagged).
    Recall: the share of truly coordinated accounts that were flagged (0.0 when there are none).
    """
    flagged, truth = _as_set(flagged, "flagged"), _as_set(truth, "truth")
    hits = len(flagged & truth)
    precision = hits / len(flagged) if flagged else 0.0
    recall = hits / len(truth) if truth else 0.0
    return precision, recall


def confusion(flagged, truth, universe) -> dict[str, int]:
    """Counts of true and false positives and negatives among the ``universe`` of account ids."""
    flagged, truth, universe = (_as_set(flagged, "flagged"), _as_set(truth, "truth"),
                                _as_set(universe, "universe"))
    return {"true_positives": len(flagged & truth), "false_positives": len(flagged - truth),
            "false_negatives": len(truth - flagged), "true_negatives": len(universe - flagged - truth)}


SCORE_COLUMNS = ("flagged", "true_positives", "false_positives", "false_negatives", "precision", "recall")


def compare_rules(features: pd.DataFrame, truth, rules: dict[str, dict]) -> pd.DataFrame:
    """How several settings of :func:`rule_detector` score against the ``truth`` ids.

    ``rules`` maps a label (``"A"``) to keyword arguments of :func:`rule_detector` (``min_duplicate``,
    ``min_synchrony``, ``min_burst``, ``rule``; the ones left out keep their defaults). Returns one row per
    label, in the order given, indexed by ``rule``: the number of accounts ``flagged``, the true and false
    positives and false negatives of :func:`confusion`, and :func:`precision_recall`'s two scores.
    """
    truth = _as_set(truth, "truth")
    rows = []
    for label, settings in rules.items():
        flagged = rule_detector(features, **settings)
        counts = confusion(flagged, truth, features["account_id"])
        precision, recall = precision_recall(flagged, truth)
        rows.append({"rule": label, "flagged": len(flagged), **{k: counts[k] for k in SCORE_COLUMNS[1:4]},
                     "precision": precision, "recall": recall})
    return pd.DataFrame(rows, columns=["rule", *SCORE_COLUMNS]).set_index("rule")


def outcome_labels(features: pd.DataFrame, flagged, truth) -> pd.Series:
    """For each row of ``features``: ``"true positive"``, ``"false positive"``, ``"false negative"`` or
    ``"true negative"`` (keys into the module's messages)."""
    flagged, truth = _as_set(flagged, "flagged"), _as_set(truth, "truth")
    is_flagged = features["account_id"].isin(flagged)
    is_true = features["account_id"].isin(truth)
    labels = np.select([is_flagged & is_true, is_flagged & ~is_true, ~is_flagged & is_true],
                       ["true_positive", "false_positive", "false_negative"], default="true_negative")
    return pd.Series(labels, index=features.index, name="outcome")


def disclosed_accounts_by_country(takedowns: pd.DataFrame) -> dict[str, int]:
    """Accounts in platform disclosures, summed by country (rows without a count are left out)."""
    _require(takedowns, ("country", "accounts"), "takedowns")
    counted = takedowns.dropna(subset=["accounts"])
    return {k: int(v) for k, v in counted.groupby("country")["accounts"].sum().items()}
