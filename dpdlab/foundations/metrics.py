"""Module 02, "Measuring digital presence": metrics, a seeded panel of simulated accounts, views and widgets.

Metric definitions (for one account over a period), the same across the course:

* retweets per post (Twiplomacy's "effectiveness", Márquez López's "amplification rate") = retweets ÷ posts;
* interactions = likes + retweets + replies (Twiplomacy 2017 counted likes and retweets only, so its
  "interactions" are not this sum);
* **engagement rate** = engagements ÷ impressions, the platform's own definition (its analytics count every
  click, like, share and reply as an engagement); in the panel, whose only engagements are interactions, it
  is interactions ÷ impressions. :mod:`dpdlab.strategy` uses this same function;
* interaction rate = interactions ÷ posts ÷ followers, shown per 1,000 followers: a rate *by followers*, which
  some analytics firms also call an "engagement rate"; the course gives it its own name.

Everything :func:`generate_panel` produces is **simulated**: role-labelled accounts ("Presidency A
(simulated)"), calibrated to the published figures in :data:`CALIBRATION`; every other number is an assumption
listed in :data:`ASSUMPTIONS` and in the datasheet ``data/account_panel_simulated.md``.
"""
from __future__ import annotations


from numbers import Real
from typing import Iterable

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from dpdlab.i18n import cached_per_edition, date_text
from dpdlab.charts import described, with_data
from dpdlab.foundations.text import MEASURE as MESSAGES
from dpdlab.widgets import View, labelled, linked

SEED = 20190601
MONTHS = pd.date_range("2019-01-01", "2019-12-01", freq="MS")

# Published figures the simulation reproduces exactly, in December 2019 (keys into data/SOURCES.md).
CALIBRATION = {
    "most_followed": {"account": "Presidency A (simulated)", "followers": 5_640_000,
                      "note": "the most-followed Latin American president in a June 2019 snapshot",
                      "source": "weeks-2019"},
    "followers_range": {"low": 2_220_000, "high": 4_830_000,
                        "note": "the other presidencies lie in the range of the other four presidents of that "
                                "snapshot", "source": "weeks-2019"},
    "most_retweeted": {"account": "Presidency C (simulated)", "retweets_per_post": 2_532,
                       "note": "retweets per tweet of the Latin American leader ranked 4th worldwide in "
                               "Twiplomacy 2016", "source": "defesanet-2016"},
    "most_active": {"account": "Presidency E (simulated)", "posts_per_day": 63,
                    "note": "tweets per day of the Mexican Presidency in Twiplomacy 2015", "source": "laprensa-pe-2015"},
}

# Assumptions: not published figures. Change them and rerun `dpdlab data rebuild` to see their effect.
ASSUMPTIONS = {
    "monthly_growth": {"presidency": 0.015, "foreign_ministry": 0.01, "embassy": 0.01},
    "ministry_followers_median": 600_000, "ministry_followers_sigma": 0.6,
    "embassy_followers_median": 30_000, "embassy_followers_sigma": 0.8,
    "language_shares": {"en": 0.08, "pt": 0.03, "fr": 0.02, "ar": 0.01},  # of the main account's followers
    "posts_per_day": {"presidency": (5, 20), "foreign_ministry": (5, 15), "embassy": (1, 4)},
    "retweet_scale": 0.0026, "retweet_exponent": 0.8,  # retweets per post = scale * followers ** exponent
    "likes_per_retweet": 2.0, "replies_per_retweet": 0.25,
    "impressions_per_post_follower": 0.03,
    "noise_sigma": 0.2,
}
LANGUAGE_NAMES = {"en": "English", "pt": "Portuguese", "fr": "French", "ar": "Arabic"}


def _accounts() -> list[tuple[str, str, str]]:
    """(account, kind, language) of every simulated account."""
    rows = [(f"Presidency {c} (simulated)", "presidency", "pt" if c == "D" else "es") for c in "ABCDEF"]
    rows += [(f"Presidency B, {LANGUAGE_NAMES[lang]} account (simulated)", "presidency", lang)
             for lang in ASSUMPTIONS["language_shares"]]
    rows += [(f"Foreign ministry {c} (simulated)", "foreign_ministry", "pt" if c == "D" else "es") for c in "ABCDEF"]
    rows += [(f"Embassy {c} (simulated)", "embassy", "pt" if c == "D" else "es") for c in "ABCDEF"]
    return rows


def generate_panel(seed: int = SEED) -> pd.DataFrame:
    """The bundled simulated panel: one row per account and month of 2019 (see the module doc)."""
    rng = np.random.default_rng(seed)
    a, c = ASSUMPTIONS, CALIBRATION
    sigma = a["noise_sigma"]
    low, high = c["followers_range"]["low"], c["followers_range"]["high"]
    december = {}
    for account, kind, language in _accounts():
        if account == c["most_followed"]["account"]:
            december[account] = c["most_followed"]["followers"]
        elif kind == "presidency" and "," not in account:
            december[account] = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        elif kind == "presidency":
            december[account] = december["Presidency B (simulated)"] * a["language_shares"][language]
        else:
            median, spread = a[f"{'ministry' if kind == 'foreign_ministry' else kind}_followers_median"], \
                a[f"{'ministry' if kind == 'foreign_ministry' else kind}_followers_sigma"]
            december[account] = float(median * np.exp(rng.normal(0, spread)))
    # the most-retweeted account is retweeted more than its size predicts, all year round
    retweeted = c["most_retweeted"]["account"]
    boost = {retweeted: c["most_retweeted"]["retweets_per_post"]
             / (a["retweet_scale"] * december[retweeted] ** a["retweet_exponent"])}
    rows = []
    for account, kind, language in _accounts():
        per_day = rng.uniform(*a["posts_per_day"][kind])
        for number, month in enumerate(MONTHS):
            last = number == len(MONTHS) - 1
            followers = december[account] / (1 + a["monthly_growth"][kind]) ** (len(MONTHS) - 1 - number)
            followers = followers if last else followers * np.exp(rng.normal(0, sigma / 10))
            days = month.days_in_month
            if account == c["most_active"]["account"] and last:
                posts = c["most_active"]["posts_per_day"] * days
            else:
                posts = int(rng.poisson(per_day * days)) or 1
            rt_per_post = a["retweet_scale"] * followers ** a["retweet_exponent"] * boost.get(account, 1.0)
            if account == c["most_retweeted"]["account"] and last:
                rt_per_post = c["most_retweeted"]["retweets_per_post"]
            else:
                rt_per_post *= rng.lognormal(-sigma ** 2 / 2, sigma)
            retweets = round(rt_per_post * posts)
            likes = round(retweets * a["likes_per_retweet"] * rng.lognormal(-sigma ** 2 / 2, sigma))
            replies = round(retweets * a["replies_per_retweet"] * rng.lognormal(-sigma ** 2 / 2, sigma))
            impressions = round(posts * followers * a["impressions_per_post_follower"]
                                * rng.lognormal(-sigma ** 2 / 2, sigma))
            rows.append({"month": month, "account": account, "kind": kind, "language": language,
                         "followers": int(round(followers)), "posts": int(posts), "retweets": int(retweets),
                         "likes": int(likes), "replies": int(replies), "impressions": int(impressions),
                         "simulated": True})
    return pd.DataFrame(rows).sort_values(["month", "account"], ignore_index=True)


# --- metrics ------------------------------------------------------------------------------------------

def _counts(name: str, value):
    values = np.asarray(value, dtype=float)
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError(MESSAGES["bad_counts"].format(name=name, value=value))
    return values


def _result(values: np.ndarray, like):
    if isinstance(like, pd.Series):
        return pd.Series(values, index=like.index)
    return float(values) if np.ndim(values) == 0 else values


def retweets_per_post(retweets, posts):
    """Retweets ÷ posts, for numbers or aligned columns. Zero posts is an error, not infinity."""
    rt, n = _counts("retweets", retweets), _counts("posts", posts)
    if (n == 0).any():
        raise ValueError(MESSAGES["no_posts"].format(name="posts"))
    return _result(rt / n, retweets)


def interactions(likes, retweets, replies):
    """Interactions as the course counts them: likes + retweets + replies, for numbers or aligned columns."""
    total = _counts("likes", likes) + _counts("retweets", retweets) + _counts("replies", replies)
    return _result(total, likes)


def engagement_rate(engagements, impressions):
    """Engagements ÷ impressions (a share between 0 and 1 for real data), the platform's own definition.

    The course's one engagement rate: module 02 passes the panel's interactions as ``engagements``, module
    06 the campaign's engagements. Zero impressions is an error: nobody saw the posts, so there is no rate.
    """
    e, shown = _counts("engagements", engagements), _counts("impressions", impressions)
    if (shown == 0).any():
        raise ValueError(MESSAGES["no_impressions"])
    return _result(e / shown, engagements)


def interaction_rate(likes, retweets, replies, posts, followers, per: float = 1_000):
    """Interactions (likes + retweets + replies) per post per ``per`` followers: a rate by followers.

    It rewards small accounts with devoted audiences. It is not the engagement rate
    (:func:`engagement_rate`), which divides by impressions.
    """
    total = np.asarray(interactions(likes, retweets, replies), dtype=float)
    n, f = _counts("posts", posts), _counts("followers", followers)
    if (n == 0).any():
        raise ValueError(MESSAGES["no_posts"].format(name="posts"))
    if (f == 0).any():
        raise ValueError(MESSAGES["no_followers"])
    return _result(total / n / f * per, likes)


def with_rates(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel with ``interactions``, ``retweets_per_post``, ``interaction_rate`` (per 1,000 followers)
    and ``engagement_rate`` (interactions ÷ impressions) added."""
    counts = {c: panel[c].astype(float) for c in ("likes", "retweets", "replies", "posts", "followers")}
    total = interactions(counts["likes"], counts["retweets"], counts["replies"])
    return panel.assign(
        interactions=total,
        retweets_per_post=retweets_per_post(counts["retweets"], counts["posts"]),
        interaction_rate=interaction_rate(**counts),
        engagement_rate=engagement_rate(total, panel["impressions"].astype(float)))


def summarise(values: Iterable[Real], exclude_top: int = 0) -> dict[str, float]:
    """Mean and median of ``values``, optionally leaving out the ``exclude_top`` largest."""
    ordered = sorted(float(v) for v in values)
    if not ordered:
        raise ValueError(MESSAGES["no_values"])
    if exclude_top < 0 or exclude_top >= len(ordered):
        raise ValueError(MESSAGES["summary_too_few"].format(k=exclude_top, n=len(ordered)))
    kept = ordered[:len(ordered) - exclude_top]
    return {"n": len(kept), "mean": float(np.mean(kept)), "median": float(np.median(kept))}


def implied_by_means(n: int, mean: float, mean_without_top: float) -> dict[str, float]:
    """What a published mean over ``n`` accounts and the mean without the largest one imply.

    ``total`` (n × mean), ``total_without_top`` ((n − 1) × the second mean), ``top`` (their difference: the
    left-out account's value) and ``drop_pct`` (how far, in %, the mean falls without it). Only totals follow
    from two means: the median does not.
    """
    if n < 2:
        raise ValueError(MESSAGES["implied_too_few"].format(n=n))
    total, rest = n * float(mean), (n - 1) * float(mean_without_top)
    return {"total": total, "total_without_top": rest, "top": total - rest,
            "drop_pct": 100 * (1 - float(mean_without_top) / float(mean))}


# --- views --------------------------------------------------------------------------------------------

def edition_figures(figures: pd.DataFrame, year: int, metric: str = "followers",
                    region: str = "latin_america") -> pd.DataFrame:
    """The published figures of ``metric`` for ``year`` and ``region``, largest first."""
    rows = figures[(figures["year"] == year) & (figures["metric"] == metric) & (figures["region"] == region)]
    return rows.sort_values("value", ascending=False, kind="stable")


@cached_per_edition  # built once per metric: the explorer's moves change the data and the title alone
def _summary_template(name: str) -> alt.LayerChart:
    """Bars of the accounts' figures (faded when left out) and rules at their mean and median."""
    bars = alt.Chart().transform_filter("datum.line === null").mark_bar().encode(
        x=alt.X("value:Q", title=name), y=alt.Y("account:N", sort="-x", title=None),
        opacity=alt.Opacity("kept:N", legend=None, scale=alt.Scale(domain=[False, True], range=[0.25, 1])))
    lines = [MESSAGES["mean_line"], MESSAGES["median_line"]]
    rules = alt.Chart().transform_filter("datum.line !== null").mark_rule(strokeWidth=2.5).encode(
        x="value:Q",
        color=alt.Color("line:N", title=None, scale=alt.Scale(domain=lines, range=["#D55E00", "#000000"])),
        strokeDash=alt.StrokeDash("line:N", title=None, scale=alt.Scale(domain=lines, range=[[1, 0], [6, 4]])))
    return alt.layer(bars, rules)


def edition_summary_view(figures: pd.DataFrame, year: int, metric: str = "followers", exclude_top: int = 0) -> View:
    """The edition explorer's view: one year's published figures, with mean and median (top ones left out)."""
    rows = edition_figures(figures, year, metric)
    name = MESSAGES["metric_names"][metric]
    if rows.empty:
        raise ValueError(MESSAGES["summary_empty"].format(metric=name, year=year))
    stats = summarise(rows["value"], exclude_top)
    kept = rows.iloc[exclude_top:]
    study = ", ".join(sorted(rows["study"].unique()))
    excluded = MESSAGES["summary_excluded"].format(k=exclude_top) if exclude_top else ""
    # the bars and the two lines in one table, so that a move of the controls sends new data alone
    plot = pd.concat([rows[["account", "value"]].assign(kept=[False] * exclude_top + [True] * len(kept), line=None),
                      pd.DataFrame({"account": None, "value": [stats["mean"], stats["median"]], "kept": None,
                                    "line": [MESSAGES["mean_line"], MESSAGES["median_line"]]})],
                     ignore_index=True)
    labels = {"metric": name.capitalize(), "year": year, "n": len(kept), "mean": stats["mean"],
              "median": stats["median"], "study": study, "excluded": excluded}
    chart = described(with_data(_summary_template(name), plot), MESSAGES["summary_title"].format(**labels),
                      MESSAGES["summary_description"].format(**labels),
                      subtitle=MESSAGES["summary_subtitle"].format(study=study.replace("_", " ")))
    note = MESSAGES["summary_note"].format(**labels, ratio=stats["mean"] / stats["median"])
    table = rows[["account", "value", "qualifier", "source"]].rename(columns=MESSAGES["summary_columns"])
    return View(chart=chart, note=note, figures=table, extra=stats)


def edition_explorer(figures: pd.DataFrame, year: int = 2019) -> w.VBox:
    """Widget: choose a year of published follower figures and how many top accounts to leave out."""
    years = sorted(figures.loc[(figures["metric"] == "followers") & (figures["region"] == "latin_america"),
                               "year"].unique())
    controls = {
        "year": labelled(w.ToggleButtons(options=[int(y) for y in years], value=year), MESSAGES["edition_label"],
                         width="auto"),
        "exclude_top": labelled(w.IntSlider(value=0, min=0, max=3), MESSAGES["exclude_label"]),
    }
    return linked(lambda year, exclude_top: edition_summary_view(figures, year, "followers", exclude_top),
                  controls, columns=1)


RANK_METRICS = ("followers", "retweets_per_post", "interaction_rate", "engagement_rate", "impressions")


def rank_accounts(panel: pd.DataFrame, metric: str, month, kind: str = "all") -> pd.DataFrame:
    """All accounts of ``kind`` in ``month`` ranked by ``metric`` (1 = highest), with the metric's value."""
    if metric not in RANK_METRICS:
        raise ValueError(MESSAGES["rank_unknown_metric"].format(metric=metric, known=", ".join(RANK_METRICS)))
    month = pd.Timestamp(month)
    rated = panel if {"interaction_rate", "engagement_rate"} <= set(panel) else with_rates(panel)
    rows = rated[rated["month"] == month]
    if kind != "all":
        rows = rows[rows["kind"] == kind]
    if rows.empty:
        raise ValueError(MESSAGES["rank_empty"].format(kind=kind, month=date_text(month, "%B %Y")))
    ranked = rows.sort_values([metric, "account"], ascending=[False, True], kind="stable")
    return pd.DataFrame({"rank": range(1, len(ranked) + 1), "account": ranked["account"].to_numpy(),
                         "kind": ranked["kind"].to_numpy(), "value": ranked[metric].astype(float).to_numpy(),
                         "followers": ranked["followers"].to_numpy()})


def ranking_view(panel: pd.DataFrame, metric: str = "followers", month="2019-12-01", kind: str = "all",
                 top: int = 8) -> View:
    """The ranking explorer's view: the top accounts by ``metric``, and where the most-followed one lands."""
    ranked = rank_accounts(panel, metric, month, kind)
    most_followed = ranked.sort_values("followers", ascending=False).iloc[0]
    labels = {"metric": MESSAGES["rank_metrics"][metric], "month": date_text(pd.Timestamp(month), "%B %Y"),
              "top": min(top, len(ranked)), "first": ranked["account"].iloc[0], "n": len(ranked),
              "most_followed": most_followed["account"], "followers_rank": int(most_followed["rank"])}
    shown = ranked.head(top)
    kinds = list(dict.fromkeys([k for k in ("presidency", "foreign_ministry", "embassy") if k in set(panel["kind"])]
                               + sorted(set(panel["kind"]))))  # the course's kinds first, then any others
    chart = alt.Chart(shown).mark_bar().encode(
        x=alt.X("value:Q", title=labels["metric"]), y=alt.Y("account:N", sort="-x", title=None),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds)))
    chart = described(chart, MESSAGES["rank_title"].format(**labels), MESSAGES["rank_description"].format(**labels),
                      subtitle=MESSAGES["rank_subtitle"], data=panel)
    table = shown[["rank", "account", "kind", "value"]].assign(value=shown["value"].round(3))
    return View(chart=chart, note=MESSAGES["rank_note"].format(**labels),
                figures=table.rename(columns=MESSAGES["rank_columns"]),
                extra={"first": labels["first"], "followers_rank": labels["followers_rank"]})


def ranking_explorer(panel: pd.DataFrame, metric: str = "followers") -> w.VBox:
    """Widget: rank the simulated accounts by a chosen measure, kind of account and month."""
    rated = with_rates(panel)  # computed once, not on every move of a control
    months = [(date_text(m, "%b %Y"), m) for m in sorted(pd.to_datetime(rated["month"].unique()))]
    controls = {
        "metric": labelled(w.Dropdown(options=[(MESSAGES["rank_metrics"][m], m) for m in RANK_METRICS], value=metric),
                           MESSAGES["rank_metric_label"], width="34em"),
        "kind": labelled(w.Dropdown(options=[(v, k) for k, v in MESSAGES["rank_kinds"].items()], value="all"),
                         MESSAGES["rank_kind_label"], width="20em"),
        "month": labelled(w.SelectionSlider(options=months, value=months[-1][1]), MESSAGES["rank_month_label"],
                          width="26em"),
    }
    return linked(lambda metric, kind, month: ranking_view(rated, metric, month, kind), controls, columns=1)


# --- real data: leaders' adoption over time and their accounts' audiences -----------------------------------

ADOPTION_KINDS = {"active_personal": "personal", "active_institutional": "institutional", "active_any": "any"}


def adoption_shares(adoption: pd.DataFrame) -> pd.DataFrame:
    """A table like ``leader_adoption_monthly`` as a long table: per ``month``, ``region`` and ``kind`` of
    account (personal, institutional, any), the ``active`` leaders and their ``share`` (%) of the region's."""
    long = adoption.melt(id_vars=["month", "region", "leaders"], value_vars=list(ADOPTION_KINDS),
                         var_name="kind", value_name="active")
    long["kind"] = long["kind"].map(ADOPTION_KINDS)
    long["share"] = 100 * long["active"] / long["leaders"]
    long.attrs = dict(adoption.attrs)
    return long.sort_values(["region", "kind", "month"], kind="stable").reset_index(drop=True)


def first_month_reaching(adoption: pd.DataFrame, share: float, kind: str = "any") -> dict[str, object]:
    """Per region, the first month in which at least ``share`` % of its leaders were coded active with an
    account of ``kind`` (``None`` if never)."""
    long = adoption_shares(adoption)
    rows = long[(long["kind"] == kind) & (long["share"] >= share)]
    first = rows.groupby("region")["month"].min()
    return {region: (first.get(region) if region in first.index else None) for region in sorted(long["region"].unique())}


def adoption_chart(adoption: pd.DataFrame) -> alt.Chart:
    """Line chart of the share of each region's leaders coded active with a personal and with an institutional
    account, month by month. The subtitle names the data's source (SIMULATED if the table is)."""
    long = adoption_shares(adoption)
    shown = long[long["kind"] != "any"]
    chart = alt.Chart(shown).mark_line().encode(
        x=alt.X("month:T", title=None),
        y=alt.Y("share:Q", title=MESSAGES["adoption_y"], scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("region:N", title=None),
        strokeDash=alt.StrokeDash("kind:N", title=None, scale=alt.Scale(domain=["personal", "institutional"],
                                                                        range=[[1, 0], [6, 4]])),
        tooltip=["month:T", "region:N", "kind:N", "active:Q", "leaders:Q"])
    last = long[(long["kind"] == "any") & (long["month"] == long["month"].max())]
    ends = "; ".join(MESSAGES["adoption_end"].format(region=r.region, active=r.active, leaders=r.leaders)
                     for r in last.itertuples())
    description = MESSAGES["adoption_description"].format(
        start=date_text(long["month"].min(), "%B %Y"), end=date_text(long["month"].max(), "%B %Y"), ends=ends)
    return described(chart, MESSAGES["adoption_title"], description, subtitle=_provenance(adoption))


def audience_summary(audiences: pd.DataFrame, by: str | list[str] = "region", exclude_top: int = 0) -> pd.DataFrame:
    """Per group of ``by`` in a table like ``leader_account_audiences``: how many accounts, the mean and the
    median audience (:func:`summarise`, the same function as for the published figures, leaving out each
    group's ``exclude_top`` largest where the group has more), and the largest account's handle."""
    rows = []
    for key, group in audiences.groupby(by, sort=True):
        drop = exclude_top if len(group) > exclude_top else 0
        stats = summarise(group["audience"], drop)
        largest = group.loc[group["audience"].idxmax()]
        label = dict(zip([by] if isinstance(by, str) else by, key if isinstance(key, tuple) else (key,)))
        rows.append({**label, "accounts": stats["n"], "mean": round(stats["mean"]), "median": round(stats["median"]),
                     "mean_to_median": round(stats["mean"] / stats["median"], 1) if stats["median"] else float("nan"),
                     "largest": largest["handle"], "largest_audience": int(largest["audience"])})
    table = pd.DataFrame(rows)
    return table.rename_axis(columns=_provenance(audiences) or None)


def _provenance(table: pd.DataFrame) -> str:
    from dpdlab.data import provenance  # late: the metrics of module 02 need no data layer otherwise

    return provenance(table)
