"""Charts, view functions and widgets of module 04 (misinformation and information operations).

The view functions (:func:`posting_timeline`, :func:`detector_view`) are plain functions of the widget
values; :func:`timeline_explorer` and :func:`detector_explorer` only wire controls to them.
"""
from __future__ import annotations

import inspect

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from dpdlab.i18n import cached_per_edition, date_text
from dpdlab.charts import described, with_data
from dpdlab.data import is_bundled, is_known_real, mark_simulated, provenance
from dpdlab.infoops.analysis import (RULES, compare_rules, confusion, outcome_labels, precision_recall,
                                     rule_detector, synchrony_chance, synchrony_checks)
from dpdlab.infoops.text import MESSAGES, OUTCOME_NAMES, RULE_NAMES
from dpdlab.widgets import View, labelled, linked

DAY_MINUTES = 24 * 60


def takedowns_chart(takedowns: pd.DataFrame) -> alt.Chart:
    """Bar chart of the disclosures that give an account count, by country and date."""
    counted = takedowns.dropna(subset=["accounts"]).copy()
    counted["label"] = counted["country"] + ", " + counted["date"].map(lambda d: date_text(d, "%d %b %Y"))
    counted["accounts"] = counted["accounts"].astype("int64")
    order = counted.sort_values("date")["label"].tolist()
    chart = alt.Chart(counted).mark_bar().encode(
        x=alt.X("accounts:Q", title=MESSAGES["takedowns_axis"]),
        y=alt.Y("label:N", title=None, sort=order),
        color=alt.Color("country:N", title=None),
        tooltip=["label:N", "accounts:Q", "attribution:N"],
    )
    largest = counted.loc[counted["accounts"].idxmax()]
    description = MESSAGES["takedowns_description"].format(
        n=len(counted), largest_country=largest["country"], largest_date=date_text(largest["date"], "%d %B %Y"),
        largest=int(largest["accounts"]), total=int(counted["accounts"].sum()))
    if takedowns.attrs.get("path") and not is_bundled(takedowns, "state_linked_takedowns"):  # a user's own table
        return described(chart, MESSAGES["takedowns_title_own"], description,
                         subtitle=f"{provenance(takedowns)}. {MESSAGES['takedowns_subtitle_own']}")
    return described(chart, MESSAGES["takedowns_title"], description, subtitle=MESSAGES["takedowns_subtitle"])


def busy_bins(posts: pd.DataFrame, bin_minutes: int = 5, min_accounts: int = 5) -> pd.DataFrame:
    """One row per time bin with posts: ``bin`` (number), ``start`` (minute), ``posts``, ``accounts``
    (distinct) and ``busy`` (at least ``min_accounts`` distinct accounts)."""
    if bin_minutes <= 0 or min_accounts <= 0:
        raise ValueError("bin_minutes and min_accounts must be positive whole numbers")
    bins = posts["minute"].to_numpy(dtype="int64") // bin_minutes
    codes, names = pd.factorize(posts["account_id"])
    numbers, counts = np.unique(bins, return_counts=True)
    pairs = np.unique(bins * len(names) + codes)  # one entry per (bin, account)
    distinct = np.unique(pairs // max(len(names), 1), return_counts=True)[1]
    return pd.DataFrame({"bin": numbers, "start": numbers * bin_minutes, "posts": counts, "accounts": distinct,
                         "busy": distinct >= min_accounts})



def _marked(table: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """``table`` with "SIMULATED accounts and posts" over its columns when ``source`` is simulated."""
    return mark_simulated(table, source, MESSAGES["simulated_axis"])

@cached_per_edition  # built once per bin width: constructing Altair encodings costs more than the rest of a view
def _timeline_template(bin_minutes: int, y_title: str | None = None) -> alt.Chart:
    return alt.Chart().mark_bar(width=max(1.0, 560 * bin_minutes / DAY_MINUTES - 0.5)).encode(
        x=alt.X("hour:Q", title=MESSAGES["timeline_x"], scale=alt.Scale(domain=[0, 24])),
        y=alt.Y("posts:Q", title=y_title or MESSAGES["timeline_y"]),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(
            domain=[MESSAGES["timeline_busy"], MESSAGES["timeline_quiet"]], range=["#D55E00", "#56B4E9"])),
    )


def posting_timeline(posts: pd.DataFrame, day: int = 1, bin_minutes: int = 5, min_accounts: int = 5) -> View:
    """The timeline's view: posts on ``day`` (1–7) in bins of ``bin_minutes``, busy bins highlighted.

    ``extra`` holds ``posts``, ``busy`` (number of busy bins), ``busy_posts``, ``busy_accounts``,
    ``chance_busy_posts`` (how many posts would be in busy bins by chance at that day's volume,
    :func:`~dpdlab.infoops.analysis.synchrony_chance`) and ``checks`` (the note of
    :func:`~dpdlab.infoops.analysis.synchrony_checks` when volume alone makes most bins busy, shown as the
    view's note).
    """
    start, end = (day - 1) * DAY_MINUTES, day * DAY_MINUTES
    minutes = posts["minute"].to_numpy(dtype="int64")
    today = posts[(minutes >= start) & (minutes < end)]
    if today.empty:
        raise ValueError(MESSAGES["timeline_empty"].format(day=day))
    table = busy_bins(today, bin_minutes, min_accounts)
    busy_ids = table["bin"].to_numpy()[table["busy"].to_numpy()]
    in_busy = np.isin(today["minute"].to_numpy(dtype="int64") // bin_minutes, busy_ids)
    figures = {"posts": len(today), "busy": len(busy_ids), "busy_posts": int(in_busy.sum()),
               "busy_accounts": len(set(today["account_id"].to_numpy()[in_busy]))}
    plot = pd.DataFrame({"hour": (table["start"] - start) / 60, "posts": table["posts"],
                         "kind": np.where(table["busy"], MESSAGES["timeline_busy"], MESSAGES["timeline_quiet"])})
    y_title = MESSAGES["timeline_y_real"] if is_known_real(posts) else MESSAGES["timeline_y"]
    chart = with_data(_timeline_template(bin_minutes, y_title), plot)
    labels = {"day": day, "bin": bin_minutes, "min_accounts": min_accounts}
    chart = described(chart, MESSAGES["timeline_title"].format(**labels),
                      MESSAGES["timeline_description"].format(**labels, **figures),
                      subtitle=MESSAGES["simulated_subtitle"], data=posts)
    names = MESSAGES["timeline_figures"]
    table_out = _marked(pd.DataFrame({MESSAGES["figure"]: [names[k] for k in figures],
                                      MESSAGES["value"]: list(figures.values())}), posts)
    chance = float(synchrony_chance(today, bin_minutes, min_accounts).sum())
    checks = synchrony_checks(today, bin_minutes, min_accounts)
    return View(chart=chart, figures=table_out, note=" ".join(checks),
                extra={**figures, "chance_busy_posts": chance, "checks": checks})


def timeline_explorer(posts: pd.DataFrame, day: int = 1) -> w.VBox:
    """Widget: choose a day, a bin width and what counts as busy; see the posts over the day."""
    controls = {
        "day": labelled(w.IntSlider(value=day, min=1, max=7), MESSAGES["timeline_day"]),
        "bin_minutes": labelled(w.Dropdown(options=[1, 5, 15, 60], value=5), MESSAGES["timeline_bin"], "14em"),
        "min_accounts": labelled(w.IntSlider(value=5, min=2, max=20), MESSAGES["timeline_min_accounts"]),
    }
    return linked(lambda day, bin_minutes, min_accounts: posting_timeline(posts, day, bin_minutes, min_accounts),
                  controls)


@cached_per_edition
def _detector_template() -> alt.Chart:
    return alt.Chart().mark_point(filled=True, size=60, opacity=0.75).encode(
        x=alt.X("duplicate_share:Q", title=MESSAGES["detector_x"], scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("synchrony_share:Q", title=MESSAGES["detector_y"], scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("outcome:N", title=None, sort=list(OUTCOME_NAMES.values()),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=400),
                        scale=alt.Scale(domain=list(OUTCOME_NAMES.values()),
                                        range=["#009E73", "#D55E00", "#CC79A7", "#BBBBBB"])),
        shape=alt.Shape("outcome:N", legend=None, sort=list(OUTCOME_NAMES.values())),
        tooltip=["account_id:N", "presents_as:N", "burst_size:Q"],
    )


def detector_view(features: pd.DataFrame, truth, min_duplicate: float = 0.5, min_synchrony: float = 0.5,
                  min_burst: int = 10, rule: str = "two_of_three") -> View:
    """The detector explorer's view: which accounts :func:`rule_detector` flags, and how well.

    ``truth`` holds the ids of the coordinated accounts. ``extra`` holds ``precision``, ``recall`` and the
    four counts of :func:`confusion`.
    """
    flagged = rule_detector(features, min_duplicate, min_synchrony, min_burst, rule)
    truth = set(truth)
    precision, recall = precision_recall(flagged, truth)
    counts = confusion(flagged, truth, features["account_id"])
    plot = features[["account_id", "presents_as", "duplicate_share", "synchrony_share", "burst_size"]].copy()
    plot["outcome"] = outcome_labels(features, flagged, truth).map(OUTCOME_NAMES)
    chart = described(with_data(_detector_template(), plot), MESSAGES["detector_title"].format(rule=RULE_NAMES[rule]),
                      MESSAGES["detector_description"].format(n=len(plot), precision=precision, recall=recall),
                      subtitle=MESSAGES["simulated_subtitle"], data=features)
    note = MESSAGES["detector_note"].format(flagged=len(flagged), tp=counts["true_positives"],
                                            fp=counts["false_positives"], fn=counts["false_negatives"],
                                            precision=precision, recall=recall)
    figures = {**counts, "precision": round(precision, 3), "recall": round(recall, 3)}
    names = MESSAGES["detector_figures"]
    table = _marked(pd.DataFrame({MESSAGES["figure"]: [names[k] for k in figures],
                                  MESSAGES["value"]: list(figures.values())}), features)
    return View(chart=chart, figures=table, note=note, extra=figures)


def detector_explorer(features: pd.DataFrame, truth) -> w.VBox:
    """Widget: set the three thresholds and the rule; see what the detector flags and its scores."""
    truth = set(truth)
    controls = {
        "min_duplicate": labelled(w.FloatSlider(value=0.5, min=0, max=1, step=0.05), MESSAGES["detector_duplicate"]),
        "min_synchrony": labelled(w.FloatSlider(value=0.5, min=0, max=1, step=0.05), MESSAGES["detector_synchrony"]),
        "min_burst": labelled(w.IntSlider(value=10, min=1, max=40), MESSAGES["detector_burst"]),
        "rule": labelled(w.ToggleButtons(options=[(RULE_NAMES[r], r) for r in RULES], value="two_of_three"),
                         MESSAGES["detector_rule"], width="auto"),
    }
    return linked(lambda **values: detector_view(features, truth, **values), controls, columns=3)


def rules_table(features: pd.DataFrame, truth, rules: dict[str, dict]) -> pd.DataFrame:
    """:func:`~dpdlab.infoops.analysis.compare_rules` as a student reads it: one row per rule, its settings in
    words, its counts and its scores (to three decimals), marked SIMULATED when ``features`` is."""
    defaults = {name: parameter.default for name, parameter in inspect.signature(rule_detector).parameters.items()
                if parameter.default is not inspect.Parameter.empty}
    scores = compare_rules(features, truth, rules).round({"precision": 3, "recall": 3})
    chosen = [{**defaults, **rules[label]} for label in scores.index]
    names = {"flagged": MESSAGES["rule_flagged"], **MESSAGES["detector_figures"]}
    table = scores.rename(columns=names).rename_axis(index=MESSAGES["rule_label"])
    table.insert(0, MESSAGES["rule_needed"], [RULE_NAMES[c["rule"]] for c in chosen])
    table.insert(1, MESSAGES["rule_thresholds"], [MESSAGES["rule_threshold_values"].format(**c) for c in chosen])
    return _marked(table, features)
