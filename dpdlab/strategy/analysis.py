"""Reach, clearance delays and campaign metrics: plain functions whose right answers can be worked out by hand.

* :func:`reachable` and :func:`reach_funnel`: of an audience, how many a digital campaign can reach, given the
  share of people online, the share of those on the platform and the share of those who see the campaign.
* :func:`latest_share` and :func:`below_region`: reading the internet-use table; :func:`default_series`,
  :func:`aggregates_in`, :func:`places_in` and :func:`benchmark` read what a table of that shape holds (its
  series, which rows are aggregates), so the same functions serve a user's own table.
* :func:`attention_caught`: how much of a decaying wave of attention a message still meets after a chain of
  approvals (clearance steps).
* :func:`channel_metrics`: outputs (posts), outtakes (impressions, engagement) and outcomes (applications) by
  channel. Its engagement rate is the course's one definition, engagements ÷ impressions
  (:func:`dpdlab.foundations.metrics.engagement_rate`, also used in module 02).
"""
from __future__ import annotations

import re

import pandas as pd

from dpdlab.foundations.metrics import engagement_rate
from dpdlab.i18n import messages
from dpdlab.strategy.datasets import SNAPSHOT

REGION = "Latin America & Caribbean"
AGGREGATES = (REGION, "World")
# Names the usual open series give their aggregate rows ("World", "Upper middle income", "Region average",
# "Latin America & Caribbean"); a user's other aggregates can be named with the ``aggregates`` arguments.
AGGREGATE_NAME = re.compile(r"\b(?:world|average|income|region|total|aggregate)\b|&", re.IGNORECASE)

MESSAGES = messages(__name__, {
    "share": "{name} must be a share between 0 and 1 (e.g. 0.6 for 60%); got {value!r}.",
    "percent": "internet_pct must be a percentage between 0 and 100; got {value!r}.",
    "audience": "audience must be a number of people, 0 or more; got {value!r}.",
    "no_country": "No {series} value for {country!r}; known: {known}.",
    "no_year": "No {series} values for {year}.",
    "no_region": "No {series} value of {region!r} for {year}; places with one: {known}.",
    "no_series": "The internet table holds no values of the series {series!r}; it holds: {known}.",
    "empty": "The internet table has no rows.",
    "mean_of": "average of the {n} places",
    "steps": "steps must be 0 or more and hours_per_step 0 or more; got {steps!r} and {hours!r}.",
    "half_life": "half_life_hours must be positive; got {value!r}.",
    "columns": "campaign needs the columns {missing}.",
})

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


def default_series(internet: pd.DataFrame) -> str:
    """The series a view of ``internet`` shows unless told: the course's snapshot when the table holds it,
    otherwise the series with the most rows (the first by name on a tie)."""
    if internet.empty:
        raise ValueError(MESSAGES["empty"])
    names = internet["series"].astype(str)
    if (names == SNAPSHOT).any():
        return SNAPSHOT
    counts = names.value_counts()
    return sorted(counts.index[counts == counts.max()])[0]


def _series_rows(internet: pd.DataFrame, series: str | None) -> tuple[str, pd.DataFrame]:
    series = default_series(internet) if series is None else series
    rows = internet[internet["series"] == series]
    if rows.empty:
        known = ", ".join(sorted(internet["series"].astype(str).unique()))
        raise ValueError(MESSAGES["no_series"].format(series=series, known=known))
    return series, rows


def aggregates_in(internet: pd.DataFrame, aggregates=()) -> list[str]:
    """The places of ``internet`` that are aggregates, not countries: the course's two, names such as
    "World", "… average", "… income" or "Latin America & Caribbean", and any of ``aggregates``; sorted."""
    names = pd.Series(internet["country"].astype(str).unique())
    chosen = names.isin([*AGGREGATES, *aggregates]) | names.str.contains(AGGREGATE_NAME)
    return sorted(names[chosen])


def places_in(internet: pd.DataFrame, series: str | None = None, aggregates=()) -> list[str]:
    """The countries (not aggregates, :func:`aggregates_in`) with a value in ``series`` (default:
    :func:`default_series`), sorted."""
    _, rows = _series_rows(internet, series)
    return sorted(set(rows["country"].astype(str)) - set(aggregates_in(internet, aggregates)))


def latest_share(internet: pd.DataFrame, country: str, series: str | None = SNAPSHOT) -> tuple[int, float]:
    """``(year, percentage)`` of the latest value of ``country`` in ``series`` (``None``: :func:`default_series`)."""
    series = default_series(internet) if series is None else series
    rows = internet[(internet["country"] == country) & (internet["series"] == series)]
    if rows.empty:
        known = ", ".join(sorted(internet.loc[internet["series"] == series, "country"].unique()))
        raise ValueError(MESSAGES["no_country"].format(series=series, country=country, known=known))
    last = rows.sort_values("year").iloc[-1]
    return int(last["year"]), float(last["internet_users_pct"])


def benchmark(internet: pd.DataFrame, year: int, region: str | None = None, series: str | None = None,
              aggregates=()) -> tuple[str, float]:
    """``(name, percentage)`` of the figure countries are compared with in ``year``.

    ``region`` names an aggregate row. Without it: the course's regional row when the table has one that year,
    else the table's one aggregate other than "World" that year, else the unweighted average of the countries'
    values (named "average of the N places"), so a table with no aggregate row still has a benchmark.
    """
    series, rows = _series_rows(internet, series)
    rows = rows[rows["year"] == year]
    if rows.empty:
        raise ValueError(MESSAGES["no_year"].format(series=series, year=year))
    values = rows.set_index(rows["country"].astype(str))["internet_users_pct"]
    if region is not None:
        if region not in values.index:
            raise ValueError(MESSAGES["no_region"].format(series=series, region=region, year=year,
                                                          known=", ".join(sorted(values.index))))
        return region, float(values[region])
    present = [a for a in aggregates_in(rows, aggregates) if a in values.index]
    if REGION in present:
        return REGION, float(values[REGION])
    regional = [a for a in present if a != "World"]
    if len(regional) == 1:
        return regional[0], float(values[regional[0]])
    countries = values.drop(present)
    return MESSAGES["mean_of"].format(n=len(countries)), float(countries.mean())


def below_region(internet: pd.DataFrame, year: int, region: str | None = REGION, series: str | None = SNAPSHOT,
                 aggregates=()) -> list[str]:
    """Countries (not aggregates) whose ``year`` value in ``series`` is below the benchmark's, sorted.

    ``region`` and ``series`` default to the course's; pass ``None`` for what the table holds
    (:func:`benchmark`, :func:`default_series`) or name your own.
    """
    series, rows = _series_rows(internet, series)
    _, value = benchmark(internet, year, region, series, aggregates)
    rows = rows[rows["year"] == year]
    countries = rows[~rows["country"].isin(aggregates_in(internet, [*aggregates, *([region] if region else [])]))]
    return sorted(countries.loc[countries["internet_users_pct"] < value, "country"])


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
