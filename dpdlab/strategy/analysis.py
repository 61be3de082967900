"""Reach, clearance delays and campaign metrics: plain functions whose right answers can be worked out by hand.

* :func:`reachable` and :func:`reach_funnel`: of an audience, how many a digital campaign can reach, given the
  share of people online, the share of those on the platform and the share of those who see the campaign.
* :func:`latest_share` and :func:`below_region`: reading the internet-use table.
* :func:`attention_caught`: how much of a decaying wave of attention a message still meets after a chain of
  approvals (clearance steps).
* :func:`channel_metrics`: outputs (posts), outtakes (impressions, engagement) and outcomes (applications) by
  channel. Its engagement rate is the course's one definition, engagements ÷ impressions
  (:func:`dpdlab.foundations.metrics.engagement_rate`, also used in module 02).
"""
from __future__ import annotations

import pandas as pd

from dpdlab.foundations.metrics import engagement_rate

SNAPSHOT = "ITU/WDI via OWID snapshot"
REGION = "Latin America & Caribbean"
AGGREGATES = (REGION, "World")

MESSAGES = {
    "share": "{name} must be a share between 0 and 1 (e.g. 0.6 for 60%); got {value!r}.",
    "percent": "internet_pct must be a percentage between 0 and 100; got {value!r}.",
    "audience": "audience must be a number of people, 0 or more; got {value!r}.",
    "no_country": "No {series} value for {country!r}; known: {known}.",
    "no_year": "No {series} values for {year}.",
    "steps": "steps must be 0 or more and hours_per_step 0 or more; got {steps!r} and {hours!r}.",
    "half_life": "half_life_hours must be positive; got {value!r}.",
    "columns": "campaign needs the columns {missing}.",
}

FUNNEL_STAGES = ("audience", "online", "on the platform", "see the campaign")


def _share(value: float, name: str) -> float:
    if isinstance(value, bool) or not 0 <= value <= 1:
        raise ValueError(MESSAGES["share"].format(name=name, value=value))
    return float(value)


def reach_funnel(audience: float, internet_pct: float, platform_share: float, see_share: float) -> pd.DataFrame:
    """The campaign funnel: people at each stage (``stage``, ``people``), from the whole audience to those who
    see the campaign. Each stage is the previous one times its share."""
    if isinstance(audience, bool) or audience < 0:
        raise ValueError(MESSAGES["audience"].format(value=audience))
    if isinstance(internet_pct, bool) or not 0 <= internet_pct <= 100:
        raise ValueError(MESSAGES["percent"].format(value=internet_pct))
    shares = (1.0, internet_pct / 100, _share(platform_share, "platform_share"), _share(see_share, "see_share"))
    people, rows = float(audience), []
    for stage, share in zip(FUNNEL_STAGES, shares):
        people *= share
        rows.append({"stage": stage, "people": people})
    return pd.DataFrame(rows)


def reachable(audience: float, internet_pct: float, platform_share: float, see_share: float) -> float:
    """How many of ``audience`` a digital campaign reaches: audience × internet_pct/100 × platform_share ×
    see_share."""
    return float(reach_funnel(audience, internet_pct, platform_share, see_share)["people"].iloc[-1])


def latest_share(internet: pd.DataFrame, country: str, series: str = SNAPSHOT) -> tuple[int, float]:
    """``(year, percentage)`` of the latest value of ``country`` in ``series``."""
    rows = internet[(internet["country"] == country) & (internet["series"] == series)]
    if rows.empty:
        known = ", ".join(sorted(internet.loc[internet["series"] == series, "country"].unique()))
        raise ValueError(MESSAGES["no_country"].format(series=series, country=country, known=known))
    last = rows.sort_values("year").iloc[-1]
    return int(last["year"]), float(last["internet_users_pct"])


def below_region(internet: pd.DataFrame, year: int, region: str = REGION, series: str = SNAPSHOT) -> list[str]:
    """Countries (not aggregates) whose ``year`` value in ``series`` is below ``region``'s, sorted."""
    rows = internet[(internet["year"] == year) & (internet["series"] == series)]
    benchmark = rows.loc[rows["country"] == region, "internet_users_pct"]
    if benchmark.empty:
        raise ValueError(MESSAGES["no_year"].format(series=series, year=year))
    countries = rows[~rows["country"].isin(AGGREGATES)]
    return sorted(countries.loc[countries["internet_users_pct"] < benchmark.iloc[0], "country"])


def attention_caught(steps: int, hours_per_step: float, half_life_hours: float) -> float:
    """Share of a decaying wave of attention still to come when a message clears ``steps`` approvals of
    ``hours_per_step`` hours each: ``0.5 ** (steps × hours_per_step / half_life_hours)``."""
    if steps < 0 or hours_per_step < 0:
        raise ValueError(MESSAGES["steps"].format(steps=steps, hours=hours_per_step))
    if not half_life_hours > 0:
        raise ValueError(MESSAGES["half_life"].format(value=half_life_hours))
    return 0.5 ** (steps * hours_per_step / half_life_hours)


_CAMPAIGN_COLUMNS = ("channel", "posts", "impressions", "engagements", "link_clicks", "applications")


def channel_metrics(campaign: pd.DataFrame) -> pd.DataFrame:
    """Totals and rates by channel: ``posts``, ``impressions``, ``engagements``, ``link_clicks``,
    ``applications``, ``engagement_rate`` (engagements ÷ impressions, the course's one engagement rate),
    ``click_rate`` (clicks ÷ impressions), ``applications_per_1000`` (per 1,000 impressions) and
    ``applications_per_post``; plus ``simulated`` if the campaign table has that column."""
    missing = [c for c in _CAMPAIGN_COLUMNS if c not in campaign]
    if missing:
        raise ValueError(MESSAGES["columns"].format(missing=", ".join(missing)))
    totals = campaign.groupby("channel")[list(_CAMPAIGN_COLUMNS[1:])].sum().astype("int64")
    totals["engagement_rate"] = engagement_rate(totals["engagements"], totals["impressions"])
    totals["click_rate"] = totals["link_clicks"] / totals["impressions"]
    totals["applications_per_1000"] = 1000 * totals["applications"] / totals["impressions"]
    totals["applications_per_post"] = totals["applications"] / totals["posts"]
    if "simulated" in campaign:  # a summary of simulated rows says so too
        totals["simulated"] = campaign.groupby("channel")["simulated"].all().astype(bool)
    return totals.reset_index()
