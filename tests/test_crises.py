"""Module 05 (crises): decay fits, implied half-lives, triage and queues, model and views, on inputs whose
right answers are known."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dpdlab import load_dataset
from dpdlab.crises import analysis, model, views
from dpdlab.crises.text import TRIAGE_NAMES
from dpdlab.widgets import View


# --- decay -------------------------------------------------------------------------------------------------------

def test_half_life_of_an_exact_exponential():
    hours = np.arange(0, 48)
    assert analysis.half_life(hours, 1000 * 0.5 ** (hours / 6)) == pytest.approx(6.0)
    fit = analysis.fit_decay(hours, 1000 * 0.5 ** (hours / 6))
    assert fit["a"] == pytest.approx(1000) and fit["rate"] == pytest.approx(math.log(2) / 6)


def test_half_life_skips_zeros_and_rejects_growth_and_short_series():
    assert analysis.half_life([0, 1, 2, 3], [8, 0, 2, 1], method="log") == pytest.approx(1.0)
    with pytest.raises(ValueError, match="do not decay"):
        analysis.half_life([0, 1, 2], [1, 2, 4])
    with pytest.raises(ValueError, match="at least two positive values"):
        analysis.half_life([0, 1], [5, 0])
    with pytest.raises(ValueError, match="same length"):
        analysis.half_life([0, 1, 2], [5, 4])


def _sparse_counts():
    """A TEST FIXTURE, not data: seeded Poisson counts of a decay that halves every 6 hours from 20 an hour,
    72 hours long, so most late hours have no post (as real crisis volumes do)."""
    hours = np.arange(73)
    return hours, np.random.default_rng(5).poisson(20 * 0.5 ** (hours / 6))


def test_fit_on_counts_keeps_the_zero_hours_that_a_fit_on_logarithms_drops():
    hours, counts = _sparse_counts()
    assert (counts == 0).sum() > 30
    on_counts = analysis.fit_decay(hours, counts)
    on_logs = analysis.fit_decay(hours, counts, method="log")
    assert on_counts["method"] == "counts" and on_counts["zeros"] == (counts == 0).sum()
    assert on_counts["half_life"] == pytest.approx(6, rel=0.1)
    assert on_logs["half_life"] > 1.4 * on_counts["half_life"]  # dropping the zeros inflates the half-life
    exact = 1000 * 0.5 ** (np.arange(30) / 6)
    assert analysis.fit_decay(np.arange(30), exact)["half_life"] == pytest.approx(6.0, rel=1e-6)
    steep = np.round(1e6 * 0.5 ** (np.arange(100) / 0.3))  # falls to zero within an hour: fits, no overflow
    assert analysis.fit_decay(np.arange(100), steep)["half_life"] == pytest.approx(0.3, rel=1e-3)
    with pytest.raises(ValueError, match="method must be one of"):
        analysis.fit_decay(hours, counts, method="poisson")
    with pytest.raises(ValueError, match="negative"):
        analysis.fit_decay([0, 1, 2], [5, -1, 1])


def test_half_life_by_window_is_flat_for_one_exponential_and_grows_for_a_long_tail():
    hours = np.arange(121)
    one = analysis.half_life_by_window(hours, 500 * 0.5 ** (hours / 8))
    assert list(one["fit_to"]) == [24, 48, 72, 120] and one["half_life"].to_numpy() == pytest.approx(8)
    tail = analysis.half_life_by_window(hours, 1000 * 0.5 ** (hours / 3) + 50 * 0.5 ** (hours / 30))
    assert tail["half_life"].is_monotonic_increasing and tail["half_life"].iloc[-1] > 2 * tail["half_life"].iloc[0]
    chosen = analysis.half_life_by_window(hours, 500 * 0.5 ** (hours / 8), start=10, ends=[40])
    assert chosen[["fit_from", "fit_to"]].values.tolist() == [[10, 40]]


def test_decay_checks_name_a_rise_the_empty_hours_and_a_window_dependence():
    hours, counts = _sparse_counts()
    assert analysis.decay_checks(np.arange(48), 1000 * 0.5 ** (np.arange(48) / 6), 0, 47) == []
    notes = analysis.decay_checks(hours, counts, 0, 72)
    assert len(notes) == 1 and f"{(counts == 0).sum()} of the 73 hours" in notes[0]
    rising = np.concatenate([[1, 5], 1000 * 0.5 ** (np.arange(60) / 6)])
    assert "before the peak (hour 2)" in analysis.decay_checks(np.arange(62), rising, 0, 61)[0]
    tail = 1000 * 0.5 ** (np.arange(121) / 3) + 50 * 0.5 ** (np.arange(121) / 30)
    assert any("depends on the window" in n for n in analysis.decay_checks(np.arange(121), tail, 0, 120))


@pytest.mark.parametrize("half_life", [0.5, 1.0, 3.0, 19.0])
def test_implied_half_life_recovers_a_known_half_life(half_life):
    def cumulative(t):
        return 1 - 0.5 ** (t / half_life)
    assert analysis.implied_half_life(cumulative(1), 1, cumulative(3), 3) == pytest.approx(half_life, rel=1e-6)


def test_implied_half_life_of_the_haiti_figures_solves_the_quadratic():
    # 1 + x + x^2 = 8/5, x = share of a day's flow left a day later
    x = (-1 + math.sqrt(1 + 4 * 0.6)) / 2
    expected_hours = 24 * math.log(2) / -math.log(x)
    assert analysis.implied_half_life(5e6, 24, 8e6, 72) == pytest.approx(expected_hours)
    assert model.haiti_half_life_hours() == pytest.approx(19.28, abs=0.01)


@pytest.mark.parametrize("c2", [5e6, 15e6, 16e6])
def test_implied_half_life_rejects_impossible_ratios(c2):
    with pytest.raises(ValueError, match="imply no decaying flow"):
        analysis.implied_half_life(5e6, 1, c2, 3)


def test_attention_left():
    assert analysis.attention_left(0, 10) == 1.0
    assert analysis.attention_left(10, 10) == 0.5
    assert analysis.attention_left(30, 10) == 0.125
    with pytest.raises(ValueError):
        analysis.attention_left(5, 0)


# --- triage and queues ---------------------------------------------------------------------------------------------

def test_keyword_triage_first_matching_rule_wins():
    rules = [(4, ["traffic"]), (1, ["trapped", "atrap"]), (3, ["passport"])]
    texts = ["We are TRAPPED", "trapped in traffic", "lost my passport", "hello", "Estamos atrapados"]
    assert analysis.keyword_triage(texts, rules) == [1, 4, 3, 4, 1]
    assert analysis.keyword_triage(["hello"], rules, default=9) == [9]


@pytest.mark.parametrize("rules", [[(1, [])], [("x",)], [5]])
def test_keyword_triage_rejects_malformed_rules(rules):
    with pytest.raises(ValueError, match="rules must be a list"):
        analysis.keyword_triage(["text"], rules)


def test_keyword_triage_folds_accents_on_both_sides():
    rules = [(1, ["herido", "blessé"]), (3, ["paspò"])]
    assert analysis.fold("HERÍDO, Paspò") == "herido, paspo"
    assert analysis.keyword_triage(["Hay un HERÍDO", "il est blesse", "m pèdi paspo m", "rien"], rules) == [1, 1, 3, 4]


def test_baseline_rules_per_language_keep_the_course_rules_and_add_french_and_creole():
    course = analysis.baseline_rules(["es", "en", "pt"])
    assert [(p, set(w)) for p, w in course] == [(p, set(w)) for p, w in analysis.BASELINE_RULES]
    creole = dict(analysis.baseline_rules(["ht"]))
    # test fixture messages, not data
    texts = ["Gen moun ki blese anba dekonb", "M ap chèche pitit mwen", "M pèdi paspò m"]
    assert analysis.keyword_triage(texts, analysis.baseline_rules(["ht"])) == [1, 2, 3] and 1 in creole
    assert analysis.keyword_triage(["Mon frère est bléssé"], analysis.baseline_rules(["fr"])) == [1]
    assert analysis.baseline_rules(["xx"]) == []


def test_triage_checks_name_the_languages_without_rules():
    requests = pd.DataFrame({"text": ["help", "aidez-moi", "sawubona"], "language": ["en", "fr", "zu"]})
    notes = analysis.triage_checks(requests)
    assert len(notes) == 1 and "zu" in notes[0] and "33%" in notes[0]
    assert analysis.triage_checks(requests, rules=[(1, ["help"])]) == []
    assert analysis.triage_checks(requests.assign(language="en")) == []


def test_queue_checks_flag_arrivals_counted_per_hour():
    assert analysis.queue_checks([0, 3, 7, 12, 14, 20], minutes_each=6) == []
    hourly = [0] * 30 + [60] * 20 + [120] * 10  # requests counted per hour, set at the start of each hour
    notes = analysis.queue_checks(hourly, minutes_each=6)
    assert len(notes) == 1 and "steps of 60 minutes" in notes[0]



def test_triage_scores_known_values():
    scores = analysis.triage_scores([1, 1, 2, 1, 4], [1, 2, 2, 1, 1], level=1)
    assert scores == {"precision": 2 / 3, "recall": 2 / 3, "flagged": 3, "true": 3, "hits": 2}
    assert analysis.triage_scores([4, 4], [1, 4])["precision"] == 0.0


def test_triage_scores_are_module_04s_precision_and_recall():
    from dpdlab.infoops.analysis import precision_recall

    predicted, truth = [1, 4, 1, 2, 1, 1], [1, 1, 4, 2, 1, 3]
    scores = analysis.triage_scores(predicted, truth, level=1)
    flagged = {i for i, p in enumerate(predicted) if p == 1}
    urgent = {i for i, t in enumerate(truth) if t == 1}
    assert (scores["precision"], scores["recall"]) == precision_recall(flagged, urgent) == (0.5, 2 / 3)


def test_triage_comparison_sets_the_three_modes_side_by_side():
    requests = load_dataset("consular_requests_simulated")
    table = analysis.triage_comparison(requests, staff=3, minutes_each=6)
    assert list(table.index) == list(TRIAGE_NAMES.values()) and "simulated" in table.index.name
    none, keywords, perfect = table.to_numpy()
    assert math.isnan(none[0]) and perfect[0] == perfect[1] == 1.0
    scores = analysis.triage_scores(analysis.keyword_triage(requests["text"], analysis.BASELINE_RULES),
                                    requests["priority"], 1)
    assert keywords[0] == round(scores["recall"], 2) and keywords[1] == round(scores["precision"], 2)
    truth = requests["priority"].to_numpy()
    arrival = analysis.serve_queue(requests["minute"], truth, 3, 6, "arrival")
    assert none[2] == pytest.approx(np.median(arrival[truth == 1]), abs=0.01)
    assert none[4] == pytest.approx(arrival[truth == 1].max(), abs=0.01)
    # the lesson the module draws from it: the urgent requests the rules miss wait longer than with no triage
    assert keywords[2] < none[2] and keywords[4] > none[4] and perfect[4] <= 5
    with pytest.raises(ValueError, match="mode must be one of"):
        analysis.triage_priorities(requests, "magic")


def test_serve_queue_by_priority_and_by_arrival():
    arrivals, priorities = [0, 1, 2, 3], [3, 3, 1, 2]
    # one person, 10 minutes each: request 0 runs 0-10, then the most urgent that has arrived
    assert analysis.serve_queue(arrivals, priorities, 1, 10, "priority").tolist() == [0, 29, 8, 17]
    assert analysis.serve_queue(arrivals, priorities, 1, 10, "arrival").tolist() == [0, 9, 18, 27]


def test_serve_queue_idle_staff_wait_for_arrivals():
    assert analysis.serve_queue([10, 10], [1, 1], staff=2, minutes_each=5).tolist() == [0, 0]
    assert analysis.serve_queue([0, 100], None, staff=1, minutes_each=5).tolist() == [0, 0]
    assert analysis.serve_queue([5, 0, 0], None, staff=1, minutes_each=5, order="arrival").tolist() == [5, 0, 5]


@pytest.mark.parametrize("kwargs, message", [({"staff": 0}, "staff must be"), ({"minutes_each": 0}, "minutes_each"),
                                             ({"order": "random"}, "order must be")])
def test_serve_queue_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analysis.serve_queue([0, 1], [1, 2], **kwargs)


def test_wait_summary_and_backlog():
    summary = analysis.wait_summary([0, 10, 20, 5], [1, 1, 1, 2], level=1)
    assert summary == {"median": 10.0, "p90": 18.0, "count": 3}
    queue = analysis.backlog([0, 0, 0], [0, 5, 10], every=5, until=10)
    assert queue["waiting"].tolist() == [2, 1, 0]


# --- the model ---------------------------------------------------------------------------------------------------

def test_attention_series_pass_exactly_through_the_published_totals():
    attention = load_dataset("crisis_attention_simulated")
    for name, target in model.CALIBRATION.items():
        series = attention[attention["series"] == name].sort_values("hour")
        assert series["value"].iloc[: target["by_hour"]].sum() == pytest.approx(target["total"], abs=0.01)
        if "total_2" in target:
            assert series["value"].iloc[: target["by_hour_2"]].sum() == pytest.approx(target["total_2"], abs=0.01)


def test_attention_half_lives_come_back_from_a_fit():
    attention = model.generate_attention()
    for name, expected in model.ASSUMPTIONS["half_life_hours"].items():
        series = attention[attention["series"] == name]
        peak = model.ASSUMPTIONS["peak_hour"][name]
        assert analysis.half_life(series["hour"][peak + 1:], series["value"][peak + 1:]) == pytest.approx(
            expected, rel=0.15)


def test_calibration_matches_the_fact_table():
    figures = load_dataset("crisis_digital_figures").set_index("hashtag")
    for tag in ("#Rebsamen", "#CentroDeAcopio", "#MéxicoEstáDePie"):
        assert figures.loc[tag, "value"] == model.CALIBRATION[tag]["total"]
    haiti = load_dataset("crisis_digital_figures").query("measure == 'text-message donations'")
    assert sorted(haiti["value"]) == [model.CALIBRATION["Haiti text donations"]["total"],
                                      model.CALIBRATION["Haiti text donations"]["total_2"]]


def test_requests_are_seeded_role_labelled_and_front_loaded():
    requests = model.generate_requests()
    pd.testing.assert_frame_equal(requests, model.generate_requests())
    assert not requests["text"].equals(model.generate_requests(seed=1)["text"])
    assert requests["sender"].str.endswith("(simulated)").all()
    assert (requests["priority"] == requests["category"].map(model.CATEGORIES)).all()
    first_day = requests["minute"] < 24 * 60
    assert first_day.mean() > 0.75
    early_urgent = (requests.loc[requests["minute"] < 360, "priority"] == 1).mean()
    late_urgent = (requests.loc[requests["minute"] > 1440, "priority"] == 1).mean()
    assert early_urgent > 2 * late_urgent


def test_baseline_rules_miss_some_urgent_requests_and_priority_order_helps():
    requests = load_dataset("consular_requests_simulated")
    predicted = analysis.keyword_triage(requests["text"], analysis.BASELINE_RULES)
    scores = analysis.triage_scores(predicted, requests["priority"], 1)
    assert 0.5 < scores["recall"] < 0.95  # room for the student to improve
    truth = requests["priority"].to_numpy()
    arrival = analysis.serve_queue(requests["minute"], truth, 3, 6, "arrival")
    priority = analysis.serve_queue(requests["minute"], truth, 3, 6, "priority")
    assert analysis.wait_summary(priority, truth)["median"] < analysis.wait_summary(arrival, truth)["median"]


# --- views -------------------------------------------------------------------------------------------------------

def test_attention_view_reports_the_fit():
    attention = pd.DataFrame({"series": "s", "measure": "impressions", "hour": range(48),
                              "value": [1000 * 0.5 ** (h / 6) for h in range(48)]})
    view = views.attention_view(attention.assign(simulated=True), "s", 0, 47, log_scale=True)
    assert view.extra["half_life"] == pytest.approx(6.0) and view.extra["peak_hour"] == 0
    assert "6.0 hours" in view.note and "SIMULATED" in view.chart.to_dict()["title"]["subtitle"]
    observed = views.attention_view(attention, "s", 0, 47).chart.to_dict()  # no simulated rows: real data
    assert "SIMULATED" not in str(observed["title"]) + observed["description"]
    assert "observed" in observed["description"]
    assert view.extra["checks"] == [] and "to hour 24: 6.0 h" in view.note
    hours, counts = _sparse_counts()
    sparse = views.attention_view(pd.DataFrame({"series": "s", "measure": "posts", "hour": hours, "value": counts}),
                                  "s", 0, 72)
    assert sparse.extra["half_life"] == pytest.approx(6, rel=0.1) and "have no posts" in sparse.note
    assert list(sparse.extra["by_window"]["fit_to"]) == [24, 48, 72]
    flat = attention.assign(value=1.0)
    assert math.isnan(views.attention_view(flat, "s", 0, 47).extra["half_life"])
    with pytest.raises(ValueError, match="No series called"):
        views.attention_view(attention, "nothing")


def test_triage_view_modes_order_the_waits():
    requests = load_dataset("consular_requests_simulated")
    waits = {mode: views.triage_view(requests, 3, 6, mode).extra["median"] for mode in ("none", "keywords", "perfect")}
    assert waits["perfect"] <= waits["keywords"] < waits["none"]
    assert views.triage_view(requests).extra["checks"] == []
    hourly = requests.assign(minute=requests["minute"] // 60 * 60, language="zu")
    notes = views.triage_view(hourly).extra["checks"]
    assert len(notes) == 2 and "zu" in notes[0] and "steps of 60 minutes" in notes[1]
    with pytest.raises(ValueError, match="mode must be one of"):
        views.triage_view(requests, 3, 6, "magic")


def test_hashtag_figures_chart_total():
    spec = views.hashtag_figures_chart(load_dataset("crisis_digital_figures")).to_dict()
    assert "Together 56,200,000" in spec["description"]


def test_widgets_call_their_view_functions(monkeypatch):
    seen = []
    monkeypatch.setattr(views, "attention_view", lambda *a: seen.append(a[1:]) or View())
    attention = pd.DataFrame({"series": ["s"] * 200 + ["t"] * 200, "hour": list(range(200)) * 2})
    box = views.attention_explorer(attention, series="t")
    assert seen[-1] == ("t", 6, 120, True)
    series, fit, log_scale = box.children[0].children
    assert fit.max == 199 and list(series.options) == ["s", "t"]
    log_scale.value = False
    fit.value = (10, 50)
    assert seen[-1] == ("t", 10, 50, False)
    calls = []
    monkeypatch.setattr(views, "triage_view", lambda r, *a: calls.append(a) or View())
    box = views.triage_simulator(pd.DataFrame())
    assert calls[-1] == (3, 6, "keywords")
    box.children[1].children[0].value = "perfect"
    assert calls[-1] == (3, 6, "perfect")


# --- mention volumes ---------------------------------------------------------------------------------------------

def test_mention_checks_labels_by_size_then_window():
    figures = pd.DataFrame({
        "figure_id": ["aa-2010-big", "bb-2017-open", "cc-2017-window", "dd-2010-hashtag"],
        "crisis": ["Haiti 2010", "Peru floods 2017", "Hurricane Irma 2017", "Haiti 2010"],
        "measure": ["mentions", "mentions", "mentions", "hashtag impressions"],
        "value": [300.0, 40.0, 90.0, 5.0], "days_after": [None, None, 45.0, None],
        "period": ["not stated", "not stated", "45 days", "x"], "source": ["s"] * 4,
    })
    checked = analysis.mention_checks(figures, platform_per_day=100).set_index("figure_id")
    assert list(checked.index) == ["aa-2010-big", "bb-2017-open", "cc-2017-window"]  # mentions only
    assert checked["label"].to_dict() == {"aa-2010-big": "unit", "bb-2017-open": "window",
                                          "cc-2017-window": "comparable"}
    assert checked.loc["aa-2010-big", "platform_days"] == pytest.approx(3.0)
    assert checked.loc["cc-2017-window", "per_day"] == pytest.approx(2.0)
    assert pd.isna(checked.loc["bb-2017-open", "per_day"])
    with pytest.raises(ValueError, match="positive number"):
        analysis.mention_checks(figures, platform_per_day=0)
    with pytest.raises(ValueError, match="no rows whose measure is 'mentions'"):
        analysis.mention_checks(figures[figures["measure"] != "mentions"])


def test_bundled_mention_volumes_of_2010_exceed_a_day_of_the_platform():
    checked = analysis.mention_checks(load_dataset("crisis_digital_figures")).set_index("figure_id")
    assert checked.loc[["ht-2010-mentions", "cl-2010-mentions"], "label"].eq("unit").all()
    assert checked.loc["ht-2010-mentions", "platform_days"] == pytest.approx(341 / 50)
    assert checked.loc["mx-2017-mentions", "per_day"] == pytest.approx(60_000)


def test_attention_view_of_the_real_guatemala_series_names_its_source():
    guatemala = load_dataset("crisis_attention_guatemala_2012")
    view = views.attention_view(guatemala, guatemala["series"].iloc[0], 1, 121)
    spec = view.chart.to_dict()
    assert "olteanu-2015" in spec["title"]["subtitle"] and "SIMULATED" not in str(spec)
    assert "simulated" not in " ".join(view.figures.columns).lower()
    assert f"the series' {round(len(guatemala) / 24, 1):g} days" in view.note
    assert view.extra["by_window"]["half_life"].max() > 1.5 * view.extra["by_window"]["half_life"].min()
    assert any("depends on the window" in note for note in view.extra["checks"])
