"""Diffusion of Ni Una Menos: the Bass model and a seeded simulation of hashtag activity.

Everything this module produces is **simulated** (or fits the Bass curve to a simulated series); the
facts it is anchored to are in the fact tables.

**The Bass model.** Of ``m`` potential adopters, the share ``F(t)`` that has adopted by time ``t`` grows as

    F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))

``p`` (innovation) is the pull from outside (media, other countries); ``q`` (imitation) is the pull of
those who have already adopted. New adoptions peak at ``t* = ln(q / p) / (p + q)``.

**The simulation.** Each march in the events table starts a *wave* of new accounts posting #NiUnaMenos in
its country: a Bass curve that begins ``lead`` days before the march and peaks on the march day. ``lead``
comes from a real dated trigger where the sources give one (the call of 11 May 2015, the Peruvian court
ruling of 22 July 2016, the killing in Mar del Plata on 8 October 2016) and is an assumption otherwise;
``p`` is solved from ``q`` and ``lead``. Posts are ``POSTS_PER_NEW_USER`` per new account plus a small share
of earlier adopters posting again. Counts are Poisson draws (seeded); if noise moves a wave's highest day
off the march day, the two days' values are swapped, so every peak falls on its march.

The analysis of the real events (first marches, who followed whom, bridges) is in
:mod:`dpdlab.niunamenos.analysis`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq, curve_fit

from dpdlab.data import is_simulated
from dpdlab.niunamenos.datasets import COUNTRIES
from dpdlab.niunamenos.text import BASS_NOTES, MESSAGES

SEED = 20150603
PERIOD = ("2015-05-01", "2016-12-31")
ORIGIN = "Argentina"
FIRST_MARCH = "2015-06-03"
POSTS_PER_NEW_USER = 2.0  # posts a new account makes on the day it first uses the hashtag
DAILY_REPOST_SHARE = 0.01  # share of earlier adopters who post the hashtag again on any day
PEAK_GUARD_DAYS = 5  # the march day is the highest day within this many days either side

@dataclass(frozen=True)
class Wave:
    """One simulated wave of new accounts, anchored to one march of the events table."""

    event_id: str
    country: str
    march: str  # the march date: the wave's peak
    lead: int  # days from the wave's first day to its peak
    q: float  # imitation
    m: int  # potential adopters in this wave
    anchor: str  # where ``lead`` comes from

    @property
    def p(self) -> float:
        return p_for_peak(self.q, self.lead + 0.5)  # daily increments peak half a day before t*

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.march) - pd.Timedelta(days=self.lead)


_TRIGGER_2016 = "8 Oct 2016, the killing in Mar del Plata that led to the strike (ar-2016-strike)"
# One wave per march or strike in niunamenos_events. q and m are assumptions (see the datasheet).
WAVES: tuple[Wave, ...] = (
    Wave("ar-2015-first-march", "Argentina", "2015-06-03", 23, 0.30, 300_000,
         "11 May 2015, the call on Twitter (ar-2015-call)"),
    Wave("mx-2016-24a", "Mexico", "2016-04-24", 14, 0.45, 350_000, "assumption (no trigger date in the sources)"),
    Wave("ar-2016-anniversary", "Argentina", "2016-06-03", 14, 0.50, 120_000,
         "assumption (no trigger date in the sources)"),
    Wave("pe-2016-a13", "Peru", "2016-08-13", 22, 0.35, 200_000,
         "22 Jul 2016, the suspended sentence that led to the march (pe-2016-a13)"),
    Wave("ar-2016-strike", "Argentina", "2016-10-19", 11, 0.60, 180_000, _TRIGGER_2016),
    Wave("mx-2016-19o", "Mexico", "2016-10-19", 11, 0.50, 80_000, _TRIGGER_2016),
    Wave("pe-2016-19o", "Peru", "2016-10-19", 11, 0.50, 60_000, _TRIGGER_2016),
    Wave("cl-2016-19o", "Chile", "2016-10-19", 11, 0.45, 60_000, _TRIGGER_2016),
    Wave("uy-2016-19o", "Uruguay", "2016-10-19", 11, 0.55, 40_000, _TRIGGER_2016),
    Wave("py-2016-19o", "Paraguay", "2016-10-19", 11, 0.55, 20_000, _TRIGGER_2016),
    Wave("bo-2016-19o", "Bolivia", "2016-10-19", 11, 0.55, 20_000, _TRIGGER_2016),
    Wave("br-2016-19o", "Brazil", "2016-10-19", 11, 0.40, 50_000, _TRIGGER_2016),
)


# --- the Bass model ------------------------------------------------------------------------------------

def bass_cumulative(t, p: float, q: float, m: float) -> np.ndarray:
    """Adopters by time ``t`` (``t >= 0``): ``m * F(t)``. Vectorised over ``t``."""
    t = np.clip(np.asarray(t, dtype=float), 0, None)
    decay = np.exp(-(p + q) * t)
    return m * (1 - decay) / (1 + (q / p) * decay)


def bass_new(days, p: float, q: float, m: float) -> np.ndarray:
    """New adopters on each whole day ``d`` (from ``d`` to ``d + 1``): ``m * (F(d + 1) - F(d))``."""
    days = np.asarray(days, dtype=float)
    return bass_cumulative(days + 1, p, q, m) - bass_cumulative(days, p, q, m)


def bass_peak_time(p: float, q: float) -> float:
    """When new adoptions peak, ``ln(q / p) / (p + q)``; 0 when ``q <= p`` (the curve falls from the start)."""
    _check_pq(p, q)
    return math.log(q / p) / (p + q) if q > p else 0.0


def p_for_peak(q: float, peak: float) -> float:
    """The innovation ``p`` that makes new adoptions peak at time ``peak`` for imitation ``q``."""
    if q <= 0 or peak <= 0:
        raise ValueError(f"q and peak must be positive (got q={q}, peak={peak})")
    return brentq(lambda p: math.log(q / p) / (p + q) - peak, 1e-12, q * (1 - 1e-12), xtol=1e-15)


def _check_pq(p: float, q: float) -> None:
    if not (p > 0 and q >= 0):
        raise ValueError(f"The Bass model needs p > 0 and q >= 0 (got p={p}, q={q})")


SCALES = {"counts": None, "percent": 100.0, "fraction": 1.0}


def data_scale(adopters) -> str:
    """What a running total measures, read from its values: ``"fraction"`` (shares from 0 to 1) or
    ``"percent"`` (shares from 0 to 100) when it holds non-whole values no larger than 1 or 100, else
    ``"counts"`` (people or accounts). A guess: pass ``scale`` to :func:`fit_bass` when you know."""
    y = np.asarray(adopters, dtype=float)
    whole = bool(np.all(np.isclose(y, np.round(y))))
    if not whole and y.max() <= 1:
        return "fraction"
    if not whole and y.max() <= 100:
        return "percent"
    return "counts"


def fit_bass(t, adopters, p0: tuple[float, float, float] | None = None, scale: str | None = None,
             ceiling: float | None = None) -> dict[str, float]:
    """Least-squares fit of :func:`bass_cumulative` to running totals ``adopters`` at times ``t``.

    Uses ``scipy.optimize.curve_fit`` with bounds ``0 < p <= 1``, ``0 <= q <= 5`` and ``m`` between half the
    last value and an upper bound: 20 times the last value, or less where the data set a ceiling. Assumption:
    ``m``, the market size, is a number of the same kind as ``adopters``, so shares cannot pass everyone:
    with ``scale="percent"`` (0–100) or ``"fraction"`` (0–1) ``m`` is at most 100 or 1; with ``"counts"``
    (the default when the values are whole numbers, see :func:`data_scale`) at most ``ceiling`` if given (a
    population, say). Returns ``p``, ``q``, ``m``, the root-mean-square error ``rmse`` (in the unit of
    ``adopters``), ``scale``, ``m_bound`` (the upper bound used) and ``at_bound`` (``m`` within 0.5 % of it:
    the data do not pin the market size down; :func:`bass_checks` says so in words).
    """
    t = np.asarray(t, dtype=float)
    y = np.asarray(adopters, dtype=float)
    if t.shape != y.shape or len(t) < 4:
        raise ValueError(f"t and adopters must be the same length, at least 4 points (got {len(t)} and {len(y)})")
    if np.any(np.diff(y) < 0):
        raise ValueError("adopters must be a running total (never decreasing); did you pass daily new users?")
    top = float(y[-1])
    if top <= 0:
        raise ValueError("adopters are all zero: there is nothing to fit")
    scale = data_scale(y) if scale is None else scale
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}; got {scale!r}")
    limit = SCALES[scale] if ceiling is None else float(ceiling)
    if limit is not None and top > limit:
        raise ValueError(f"The last value ({top:g}) is above the ceiling of the data ({limit:g}): check the "
                         f"scale ({scale}) or the ceiling")
    upper = 20 * top if limit is None else min(20 * top, limit)
    lower = min(0.5 * top, upper * (1 - 1e-9))
    guess = p0 if p0 is not None else (0.01, 0.4, min(1.1 * top, (top + upper) / 2))
    params, _ = curve_fit(bass_cumulative, t, y, p0=guess, bounds=([1e-7, 0.0, lower], [1.0, 5.0, upper]),
                          maxfev=20_000)
    p, q, m = (float(v) for v in params)
    rmse = float(np.sqrt(np.mean((bass_cumulative(t, p, q, m) - y) ** 2)))
    return {"p": p, "q": q, "m": m, "rmse": rmse, "scale": scale, "m_bound": float(upper),
            "at_bound": bool(m >= 0.995 * upper)}


def bass_checks(fit: dict) -> list[str]:
    """Plain-language notes on a :func:`fit_bass` result whose assumptions do not hold: the market size
    stopped at its bound (the ceiling of shares, a given ceiling, or 20 times the last value), so the data do
    not tell how far the wave will go. Returns an empty list when none applies."""
    if not fit.get("at_bound"):
        return []
    share_ceiling = SCALES.get(fit["scale"])
    key = "bound_share" if share_ceiling is not None and fit["m_bound"] == share_ceiling else "bound_counts"
    return [BASS_NOTES[key].format(m=fit["m"], bound=fit["m_bound"], scale=fit["scale"])]


def fit_quality(t, adopters, p: float, q: float, m: float) -> dict[str, float]:
    """How well a Bass curve with ``p``, ``q``, ``m`` matches ``adopters``: ``rmse`` and ``r2``."""
    y = np.asarray(adopters, dtype=float)
    residual = bass_cumulative(t, p, q, m) - y
    total = float(np.sum((y - y.mean()) ** 2))
    return {"rmse": float(np.sqrt(np.mean(residual ** 2))),
            "r2": 1 - float(np.sum(residual ** 2)) / total if total else float("nan")}


# --- the simulation ------------------------------------------------------------------------------------

def _guard_peak(values: np.ndarray, at: int) -> None:
    """Swap ``values[at]`` with the highest value within ``PEAK_GUARD_DAYS`` of it (in place)."""
    lo, hi = max(0, at - PEAK_GUARD_DAYS), min(len(values), at + PEAK_GUARD_DAYS + 1)
    top = lo + int(np.argmax(values[lo:hi]))
    if values[top] > values[at]:
        values[at], values[top] = values[top], values[at]


def expected_activity(waves: tuple[Wave, ...] = WAVES, period: tuple[str, str] = PERIOD) -> pd.DataFrame:
    """Expected (noise-free) daily new users and posts per country: the model before the dice are thrown."""
    dates = pd.date_range(*period, freq="D")
    frames = []
    for country in COUNTRIES:
        new = np.zeros(len(dates))
        for wave in (w for w in waves if w.country == country):
            days = (dates - wave.start).days.to_numpy()
            inside = days >= 0
            new[inside] += bass_new(days[inside], wave.p, wave.q, wave.m)
        earlier = np.concatenate([[0.0], np.cumsum(new)[:-1]])
        posts = POSTS_PER_NEW_USER * new + DAILY_REPOST_SHARE * earlier
        frames.append(pd.DataFrame({"date": dates, "country": country, "new_users": new, "posts": posts}))
    return pd.concat(frames, ignore_index=True)


def generate_hashtags(seed: int = SEED) -> pd.DataFrame:
    """The bundled simulated series: one row per country and day (see the module's docstring)."""
    rng = np.random.default_rng(seed)
    expected = expected_activity()
    frames = []
    for country, rows in expected.groupby("country", sort=False):
        dates = rows["date"].reset_index(drop=True)
        new = rng.poisson(rows["new_users"].to_numpy()).astype("int64")
        posts = rng.poisson(rows["posts"].to_numpy()).astype("int64")
        for wave in (w for w in WAVES if w.country == country):
            at = int(np.flatnonzero(dates == pd.Timestamp(wave.march))[0])
            _guard_peak(new, at)
            _guard_peak(posts, at)
        frames.append(pd.DataFrame({"date": dates, "country": country, "new_users": new,
                                    "adopters": np.cumsum(new), "posts": posts, "simulated": True}))
    return pd.concat(frames, ignore_index=True).sort_values(["date", "country"], ignore_index=True)


def wave_table(waves: tuple[Wave, ...] = WAVES) -> pd.DataFrame:
    """The simulation's waves with their parameters (for the datasheet and the notebook)."""
    table = pd.DataFrame([{"event_id": w.event_id, "country": w.country, "march": w.march,
                           "start": w.start.strftime("%Y-%m-%d"), "lead_days": w.lead, "p": round(w.p, 5),
                           "q": w.q, "m": w.m, "lead_from": w.anchor} for w in waves])
    return table.rename_axis(columns=MESSAGES["model_axis"])


def adoption_curve(hashtags: pd.DataFrame, country: str, days: int = 60) -> pd.DataFrame:
    """A country's first wave: ``days`` days from the first day any account there used the hashtag.

    Columns: ``t`` (1 on the first day: days since the wave began, counted at the end of each day),
    ``date``, ``new_users`` and ``adopters`` (running total since the first day). Fit Bass curves to
    ``adopters`` against ``t``.
    """
    rows = hashtags[hashtags["country"] == country].sort_values("date")
    if rows.empty:
        known = ", ".join(sorted(hashtags["country"].unique()))
        raise ValueError(f"No rows for country {country!r}; the table has: {known}")
    started = rows[rows["new_users"] > 0]
    if started.empty:
        raise ValueError(f"No account in {country} ever used the hashtag in this table")
    first = started["date"].iloc[0]
    window = rows[(rows["date"] >= first) & (rows["date"] < first + pd.Timedelta(days=days))]
    new = window["new_users"].astype("int64").to_numpy()
    curve = pd.DataFrame({"t": np.arange(1, len(window) + 1), "date": window["date"].to_numpy(),
                          "new_users": new, "adopters": np.cumsum(new)})
    if is_simulated(hashtags):  # say so wherever the curve is shown, and let views built on it know
        curve = curve.rename_axis(columns=MESSAGES["simulated_axis"])
        curve.attrs["simulated"] = True
    return curve
