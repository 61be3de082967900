"""A seeded model of follower audiences around a change of government.

The model is deliberately simple, so students can read it. Everything it produces is **simulated**.

* An account that stays official (or keeps its followers) grows at a small organic rate.
* A new account starts from zero: a *launch surge* of people who follow it within days (time constant
  ``surge_days``) plus a *slow gain* that builds over months (time constant ``slow_days``).
* An institutional account that stops being official loses followers slowly.

It is calibrated to the three published figures in :data:`CALIBRATION`; every other number is an
assumption listed in :data:`ASSUMPTIONS` and in the datasheet ``data/argentina_audience_simulated.md``.
The same curves drive the bundled series (what happened in 2015: start afresh) and the what-if
:func:`simulate_handover` (what other policies would have given).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

SEED = 20151210
PERIOD = ("2015-10-01", "2016-03-31")
HANDOVER_DAY = "2015-12-10"  # the new president took office; the old account stopped being official
POLICIES = ("transfer", "archive_and_mirror", "start_afresh")

# Published figures the simulation must reproduce (source keys refer to data/SOURCES.md).
CALIBRATION = {
    "old_account": {"account": "@CasaRosadaAR", "date": "2015-12-09", "followers": 310_000,
                    "note": "midpoint of the 300,000-320,000 reported", "source": "lne-efe-2015"},
    "new_account": {"account": "@CasaRosada", "date": "2015-12-24", "followers": 114_000,
                    "note": "'about 114,000' shortly after launch", "source": "latinone-2015"},
    "personal_account": {"account": "@CFKArgentina", "date": "2015-12-09", "followers": 4_000_000,
                         "note": "'more than 4 million' (lower bound used)", "source": "elpais-brasil-2015"},
}

# Assumptions: not published figures. Change them and rerun `dpdlab data rebuild` to see their effect.
ASSUMPTIONS = {
    # about 12 days after 10 Dec, as one report puts it (latinone-2015; josecardenas-2015); no source gives the day
    "new_account_opened": "2015-12-22",
    "organic_growth_per_day": 0.0008,  # official institutional account, before the handover
    "personal_growth_per_day": 0.0004,  # the outgoing president's personal account, whole period
    "decline_after_per_day": 0.001,  # old account after it stopped being official
    "kept_growth_per_day": 0.0005,  # an official handle that keeps its followers after a handover
    "surge_days": 1.5,  # time constant of a new account's launch surge
    "slow_gain_share": 0.48,  # slow gain of a new account, as a share of the old audience
    "slow_days": 120.0,  # time constant of that slow gain
    "noise_sigma": 0.25,  # log-normal day-to-day noise on each day's net change
}


def launch_curve(days: np.ndarray, surge: float, surge_days: float, slow_gain: float,
                 slow_days: float) -> np.ndarray:
    """Expected followers of a new account ``days`` after it opened (day 0 = end of the opening day)."""
    elapsed = np.asarray(days, dtype=float) + 1.0
    return surge * (1 - np.exp(-elapsed / surge_days)) + slow_gain * (1 - np.exp(-elapsed / slow_days))


def calibrated_surge(target: float, at_day: int, surge_days: float, slow_gain: float,
                     slow_days: float) -> float:
    """The launch surge that makes :func:`launch_curve` equal ``target`` on day ``at_day``."""
    slow_part = slow_gain * (1 - math.exp(-(at_day + 1) / slow_days))
    return (target - slow_part) / (1 - math.exp(-(at_day + 1) / surge_days))


def launch_parameters(old_audience: float) -> dict[str, float]:
    """Launch-curve parameters for a new account replacing one with ``old_audience`` followers.

    The surge is calibrated on the 2015 case (114,000 followers two days after opening, against an old
    audience of 310,000) and scaled to ``old_audience``.
    """
    a = ASSUMPTIONS
    reference = CALIBRATION["old_account"]["followers"]
    opened = pd.Timestamp(a["new_account_opened"])
    at_day = (pd.Timestamp(CALIBRATION["new_account"]["date"]) - opened).days
    slow_gain = a["slow_gain_share"] * reference
    surge = calibrated_surge(CALIBRATION["new_account"]["followers"], at_day, a["surge_days"], slow_gain,
                             a["slow_days"])
    scale = old_audience / reference
    return {"surge": surge * scale, "surge_days": a["surge_days"], "slow_gain": slow_gain * scale,
            "slow_days": a["slow_days"]}


def _noisy(expected: np.ndarray, rng: np.random.Generator, anchor: int, target: float) -> np.ndarray:
    """Add day-to-day noise to the net changes of ``expected``, keeping ``expected[anchor] == target``."""
    sigma = ASSUMPTIONS["noise_sigma"]
    changes = np.diff(expected, prepend=0.0)
    factors = rng.lognormal(mean=-sigma ** 2 / 2, sigma=sigma, size=len(changes))
    factors[0] = 1.0  # the starting level is not a daily change
    path = np.cumsum(changes * factors)
    path += target - path[anchor]
    return np.clip(np.rint(path), 0, None).astype("int64")


def _series(account: str, dates: pd.DatetimeIndex, followers: np.ndarray, official) -> pd.DataFrame:
    return pd.DataFrame({"date": dates, "account": account, "followers": followers, "official": official,
                         "simulated": True})


def generate_audience(seed: int = SEED) -> pd.DataFrame:
    """The bundled simulated series: three accounts, one row per account and day (see module doc)."""
    rng = np.random.default_rng(seed)
    a = ASSUMPTIONS
    dates = pd.date_range(*PERIOD, freq="D")
    handover = pd.Timestamp(HANDOVER_DAY)

    old = CALIBRATION["old_account"]
    t = (dates - pd.Timestamp(old["date"])).days.to_numpy()
    rate = np.where(t <= 0, a["organic_growth_per_day"], -a["decline_after_per_day"])
    expected = old["followers"] * np.exp(rate * t)
    anchor = int(np.flatnonzero(t == 0)[0])
    frames = [_series(old["account"], dates, _noisy(expected, rng, anchor, old["followers"]),
                      dates < handover)]

    new = CALIBRATION["new_account"]
    opened = pd.Timestamp(a["new_account_opened"])
    new_dates = dates[dates >= opened]
    days = (new_dates - opened).days.to_numpy()
    expected = launch_curve(days, **launch_parameters(old["followers"]))
    anchor = int((pd.Timestamp(new["date"]) - opened).days)
    frames.append(_series(new["account"], new_dates, _noisy(expected, rng, anchor, new["followers"]), True))

    personal = CALIBRATION["personal_account"]
    t = (dates - pd.Timestamp(personal["date"])).days.to_numpy()
    expected = personal["followers"] * np.exp(a["personal_growth_per_day"] * t)
    anchor = int(np.flatnonzero(t == 0)[0])
    frames.append(_series(personal["account"], dates,
                          _noisy(expected, rng, anchor, personal["followers"]), False))

    return pd.concat(frames, ignore_index=True).sort_values(["date", "account"], ignore_index=True)


def simulate_handover(policy: str, horizon_days: int = 180, old_audience: float = 310_000,
                      unfollow_share: float = 0.05, opening_delay_days: int = 12) -> pd.DataFrame:
    """Expected followers of the *official* account for ``horizon_days`` after a handover (day 0).

    ``policy`` is one of :data:`POLICIES`:

    * ``transfer`` and ``archive_and_mirror``: the successor gets the handle with its followers, minus
      the share ``unfollow_share`` who leave with the outgoing government; it then grows organically.
      (They differ in what happens to the past posts, not in the audience.)
    * ``start_afresh``: the successor opens a new account ``opening_delay_days`` after taking office and
      rebuilds from zero along the launch curve.

    Returns columns ``day``, ``followers`` and ``share_kept`` (followers ÷ ``old_audience``).
    """
    if policy not in POLICIES:
        raise ValueError(f"Unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    if not 0 <= unfollow_share < 1:
        raise ValueError("unfollow_share must be a share between 0 and 1, e.g. 0.05 for 5%")
    if horizon_days < 0 or old_audience <= 0:
        raise ValueError("horizon_days must be >= 0 and old_audience > 0")
    days = np.arange(horizon_days + 1)
    if policy == "start_afresh":
        since_opening = days - opening_delay_days
        followers = np.where(since_opening >= 0,
                             launch_curve(since_opening, **launch_parameters(old_audience)), 0.0)
    else:
        kept = old_audience * (1 - unfollow_share)
        followers = kept * np.exp(ASSUMPTIONS["kept_growth_per_day"] * days)
    return pd.DataFrame({"day": days, "followers": np.rint(followers).astype("int64"),
                         "share_kept": followers / old_audience})
