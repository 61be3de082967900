"""Incidents, dates and a model of account security: plain functions whose answers can be worked out by hand.

* :func:`incidents_by_kind`, :func:`select_incidents` and :func:`days_after`: reading the incidents table.
* :func:`security_outcome` and :func:`meets_goals`: the course's model of a hijacked official account. Which
  measure closes which way in, and how many hours each stage takes with and without a measure, are
  assumptions stated in :data:`WAYS_IN` and :data:`HOURS`, not measurements.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from dpdlab.beyond.text import MESSAGES

KINDS = ("account_hijack", "network_intrusion", "leak", "leak_response", "slip_up")
REGIONS = ("Latin America", "elsewhere")
CONFIDENCE = ("verified", "partly")
ALL = "all"

MEASURES = ("security_keys", "credential_vault", "app_review", "monitoring", "disown_protocol", "platform_contact")

# Which measures close each way into an account (any one of them is enough). Assumptions of the model.
WAYS_IN: dict[str, tuple[str, ...]] = {
    "phishing": ("security_keys",),
    "reused_password": ("security_keys", "credential_vault"),
    "former_staff": ("credential_vault",),
    "connected_app": ("app_review",),
}

# Hours each stage of a hijack takes without and with the measure that shortens it. Assumptions of the model:
# without monitoring a post is noticed the next working morning; without a pre-approved message a disowning
# statement is drafted and cleared; without a contact, recovery goes through the platform's public forms.
HOURS: dict[str, tuple[float, float, str]] = {
    "notice": (8.0, 0.5, "monitoring"),
    "disown": (3.0, 0.25, "disown_protocol"),
    "regain": (24.0, 2.0, "platform_contact"),
}


def _check_kind(kind: str) -> None:
    if kind != ALL and kind not in KINDS:
        raise ValueError(MESSAGES["unknown_kind"].format(name=kind, known=", ".join(KINDS)))


def _check_region(region: str | None) -> None:
    if region not in (None, ALL, *REGIONS):
        raise ValueError(MESSAGES["unknown_region"].format(name=region))


def incidents_by_kind(incidents: pd.DataFrame, region: str | None = None) -> dict[str, int]:
    """Number of incidents of each kind (kinds with none are left out), in ``region`` if one is given."""
    _check_region(region)
    rows = incidents if region in (None, ALL) else incidents[incidents["region"] == region]
    return {kind: int(n) for kind, n in rows["kind"].value_counts().sort_index().items()}


def select_incidents(incidents: pd.DataFrame, first_year: int, last_year: int, kind: str = ALL,
                     region: str = ALL) -> pd.DataFrame:
    """The incidents dated from ``first_year`` to ``last_year`` (both included), of ``kind`` and in ``region``
    (``"all"`` for any), in date order."""
    if first_year > last_year:
        raise ValueError(MESSAGES["years"].format(first=first_year, last=last_year))
    _check_kind(kind)
    _check_region(region)
    years = incidents["date"].dt.year.to_numpy()
    keep = (years >= first_year) & (years <= last_year)
    if kind != ALL:
        keep &= incidents["kind"].to_numpy() == kind
    if region != ALL:
        keep &= incidents["region"].to_numpy() == region
    return incidents[keep].sort_values(["date", "incident_id"])


def days_after(incidents: pd.DataFrame, start_id: str, ids: Iterable[str]) -> dict[str, int]:
    """Days from the incident ``start_id`` to each incident in ``ids``: ``{incident_id: days}``."""
    dates = incidents.set_index("incident_id")["date"]
    for name in [start_id, *ids]:
        if name not in dates.index:
            raise ValueError(MESSAGES["unknown_incident"].format(name=name))
    start = dates[start_id]
    return {name: int((dates[name] - start).days) for name in ids}


def leak_responses(incidents: pd.DataFrame, within_days: int = 365) -> tuple[str | None, list[str]]:
    """The table's first ``leak`` and the ``leak_response`` rows dated within ``within_days`` after it:
    ``(leak_id, [response ids in date order])``, or ``(None, [])`` when the table holds no leak.

    In the course's table: Cablegate and the three Latin American responses of 2011 (the responses to the
    Snowden revelations of 2013 come more than a year later).
    """
    leaks = incidents[incidents["kind"] == "leak"].sort_values(["date", "incident_id"])
    if leaks.empty:
        return None, []
    leak = leaks.iloc[0]
    later = incidents[(incidents["kind"] == "leak_response")
                      & incidents["date"].between(leak["date"], leak["date"] + pd.Timedelta(days=within_days))]
    return str(leak["incident_id"]), later.sort_values(["date", "incident_id"])["incident_id"].tolist()


def _measures(measures: Iterable[str]) -> set[str]:
    chosen = set(measures)
    unknown = sorted(chosen - set(MEASURES))
    if unknown:
        raise ValueError(MESSAGES["unknown_measure"].format(name=unknown[0], known=", ".join(MEASURES)))
    return chosen


def security_outcome(measures: Iterable[str]) -> dict:
    """What the model says a set of ``measures`` achieves.

    Returns ``closed`` (each way in of :data:`WAYS_IN` → whether a chosen measure closes it) and, should an
    account be hijacked anyway, ``false_post`` (hours until the ministry disowns a false post: time to notice
    plus time to disown) and ``account_held`` (hours until the account is back: time to notice plus time to
    regain it).
    """
    chosen = _measures(measures)
    hours = {stage: (fast if measure in chosen else slow) for stage, (slow, fast, measure) in HOURS.items()}
    closed = {way: any(m in chosen for m in blockers) for way, blockers in WAYS_IN.items()}
    return {"closed": closed, "false_post": hours["notice"] + hours["disown"],
            "account_held": hours["notice"] + hours["regain"]}


def meets_goals(measures: Iterable[str], must_close: Iterable[str] = ("phishing",),
                disown_within: float = 1.0) -> bool:
    """Whether ``measures`` close every way in of ``must_close`` and, in the model, get a false post disowned
    within ``disown_within`` hours."""
    outcome = security_outcome(measures)
    return all(outcome["closed"][way] for way in must_close) and outcome["false_post"] <= disown_within
