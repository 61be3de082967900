"""The ICJ case (Peru v. Chile, Bolivia v. Chile): model, classifier helpers, views and widgets, on inputs whose
right answers are known."""
from __future__ import annotations

import itertools
import math

import ipywidgets as w
import numpy as np
import pandas as pd
import pytest

from dpdlab import load_dataset, setup
from dpdlab.peru import model, views
from dpdlab.peru.datasets import FRAMES
from dpdlab.widgets import View, chart_in

LEGAL, CALM, TRIUMPH, NATION, CONCIL = FRAMES


@pytest.fixture(scope="module")
def posts():
    return load_dataset("icj_case_posts_simulated")


@pytest.fixture(scope="module")
def procedure():
    return load_dataset("icj_case_procedure")


# --- volume model --------------------------------------------------------------------------------------

def test_expected_volume_known_values():
    dates = pd.date_range("2020-01-01", "2020-01-09")
    one_day = [{"start": "2020-01-03", "end": "2020-01-03", "peak": 10.0}]
    volume = model.expected_volume(dates, one_day, base=1.0, rise_days=2.0, decay_days=3.0)
    assert volume[2] == pytest.approx(11.0)
    assert volume[1] == pytest.approx(1 + 10 * math.exp(-1 / 2))
    assert volume[0] == pytest.approx(1 + 10 * math.exp(-2 / 2))
    assert volume[3] == pytest.approx(1 + 10 * math.exp(-1 / 3))
    span = [{"start": "2020-01-03", "end": "2020-01-05", "peak": 4.0}]
    flat = model.expected_volume(dates, span, base=0.0, rise_days=1.0, decay_days=1.0)
    assert flat[2:5].tolist() == [4.0, 4.0, 4.0] and flat[5] == pytest.approx(4 * math.exp(-1))


def test_expected_volume_adds_anchors():
    dates = pd.date_range("2020-01-01", "2020-01-05")
    a = {"start": "2020-01-02", "end": "2020-01-02", "peak": 3.0}
    b = {"start": "2020-01-04", "end": "2020-01-04", "peak": 5.0}
    both = model.expected_volume(dates, [a, b], 0.5, 1.0, 1.0)
    separate = (model.expected_volume(dates, [a], 0.5, 1.0, 1.0) + model.expected_volume(dates, [b], 0.5, 1.0, 1.0)
                - 0.5)
    assert both == pytest.approx(separate)


@pytest.mark.parametrize("case", model.CASES)
def test_anchors_are_the_real_procedural_dates(case, procedure):
    steps = procedure[procedure["case"] == case]
    for anchor in model.CASES[case]["anchors"]:
        rows = steps[(steps["stage"] == anchor["stage"]) & (steps["date_precision"] == "day")
                     & steps["date"].between(pd.Timestamp(anchor["start"]), pd.Timestamp(anchor["end"]))]
        assert not rows.empty, anchor
        assert rows["date"].min() == pd.Timestamp(anchor["start"])
        assert rows["end_date"].fillna(rows["date"]).max() == pd.Timestamp(anchor["end"])
    judgment = steps.loc[steps["stage"] == "judgment", "date"].item()
    assert judgment == pd.Timestamp(model.CASES[case]["judgment"])


@pytest.mark.parametrize("case", model.CASES)
def test_volume_and_corpus_peak_on_judgment_day(case, posts):
    judgment = pd.Timestamp(model.CASES[case]["judgment"])
    volume = model.case_volume(case)
    assert volume.loc[volume["expected_posts"].idxmax(), "date"] == judgment
    daily = model.case_posts(posts, case).groupby("date").size()
    assert daily.idxmax() == judgment


# --- the generated corpus ------------------------------------------------------------------------------

def test_generator_is_seeded():
    first, again, other = model.generate_posts(), model.generate_posts(), model.generate_posts(seed=1)
    pd.testing.assert_frame_equal(first, again)
    assert not first["text"].equals(other["text"]) or len(first) != len(other)


def test_bundled_corpus_is_what_the_generator_gives(posts):
    generated = model.generate_posts()
    assert posts["post_id"].tolist() == generated["post_id"].tolist()
    assert posts["likes"].astype("int64").tolist() == generated["likes"].tolist()


def test_days_from_judgment_match_the_dates(posts):
    judgment = posts["case"].map({c: pd.Timestamp(s["judgment"]) for c, s in model.CASES.items()})
    assert ((posts["date"] - judgment).dt.days == posts["days_from_judgment"]).all()
    for case, spec in model.CASES.items():
        dates = model.case_posts(posts, case)["date"]
        assert dates.min() >= pd.Timestamp(spec["window"][0]) and dates.max() <= pd.Timestamp(spec["window"][1])


def test_posts_are_marked_simulated_and_never_name_real_people(posts):
    events = load_dataset("icj_case_communication")
    assert posts["account"].str.endswith("(simulated)").all()
    assert posts["text"].str.startswith("[SIM] ").all()
    surnames = {"Humala", "Piñera", "Morales", "Roncagliolo", "Rivas", "Muñoz", "Insulza", "Bethlehem",
                "García", "Pedraglio"}
    assert all(name in " ".join(events["actor"]) for name in surnames)  # the list is not stale
    text = " ".join(posts["text"])
    assert not [name for name in surnames if name in text]


def test_official_posts_come_from_role_accounts_that_name_no_real_office(posts):
    official = posts.loc[posts["account_type"] == "official", "account"].unique()
    assert len(official) == 5 and all(a.startswith("Role account: ") for a in official)
    offices = ("ministry", "mfa", "presidency", "president", "minister", "cancillería", "foreign", "palace")
    assert not [a for a in posts["account"].unique() if any(word in a.lower() for word in offices)]


@pytest.mark.parametrize("case, side", [("peru_2014", "Peru"), ("peru_2014", "Chile"), ("bolivia_2018", "Chile")])
def test_official_role_accounts_keep_to_their_governments_public_line(posts, case, side):
    # Peru's documented line was "no triumphalism"; both 2014 governments committed to respect the ruling; in 2018
    # Chile's president spoke of winning "con magnanimidad": none of their role accounts may escalate.
    rows = model.case_posts(posts, case)
    official = rows[(rows["account_type"] == "official") & (rows["account_country"] == side)]
    assert len(official) > 20
    assert not official["frame"].isin(model.ESCALATING).any()


def test_bolivias_role_accounts_assert_the_claim_but_never_triumph(posts):
    rows = model.case_posts(posts, "bolivia_2018")
    official = rows[(rows["account_type"] == "official") & (rows["account_country"] == "Bolivia")]
    assert (official["frame"] == NATION).mean() > 0.4 and not (official["frame"] == TRIUMPH).any()


def test_no_template_rejects_the_court():
    from dpdlab.peru.text import TEMPLATES

    texts = [t for frame in TEMPLATES.values() for lang in frame.values() for phase in lang.values() for t in phase]
    banned = ("surrender", "rendiremos", "no court", "ningún tribunal", "digan lo que digan")
    assert len(texts) == 60 and not [t for t in texts if any(b in t.lower() for b in banned)]


def test_english_posts_address_the_international_public(posts):
    assert (posts.loc[posts["language"] == "en", "audience_country"] == "International").all()
    assert (posts.loc[posts["account_type"] == "media", "account_country"] == "International").all()


@pytest.mark.parametrize("case", model.CASES)
def test_every_frame_reaches_the_chilean_public_before_and_after(case, posts):
    # the notebook's engagement exercise tabulates frame x phase for the Chilean audience: no cell may be empty
    rows = model.case_posts(posts, case)
    chile = rows[rows["audience_country"] == "Chile"]
    cells = chile.groupby([chile["frame"], chile["days_from_judgment"] >= 0]).size()
    assert len(cells) == 2 * len(FRAMES)


def test_case_posts_filters_and_rejects_unknown_cases(posts):
    peru = model.case_posts(posts, "peru_2014")
    assert (peru["case"] == "peru_2014").all() and peru.index[0] == 0
    with pytest.raises(ValueError, match="peru_2014, bolivia_2018"):
        model.case_posts(posts, "peru_2015")


# --- classifier helpers --------------------------------------------------------------------------------

def test_baseline_frames_on_known_texts():
    texts = ["The Court rules today", "Stay calm", "Victory!", "We will never give up", "Together as neighbours",
             "Hola", "Calm down, the Court decides", "¡Victoria!"]
    assert model.baseline_frames(texts) == [LEGAL, CALM, TRIUMPH, NATION, CONCIL, LEGAL, LEGAL, LEGAL]


def test_confusion_table_counts_pairs():
    labels = [LEGAL, LEGAL, CALM, TRIUMPH, CALM]
    predicted = [LEGAL, CALM, CALM, LEGAL, CALM]
    table = model.confusion_table(labels, predicted)
    assert list(table.index) == list(FRAMES) and list(table.columns) == list(FRAMES)
    assert table.loc[LEGAL, LEGAL] == 1 and table.loc[LEGAL, CALM] == 1 and table.loc[CALM, CALM] == 2
    assert table.loc[TRIUMPH, LEGAL] == 1 and table.to_numpy().sum() == 5
    # precision and recall of 'calming' read off the table: 2 of 3 predicted are right; both calming posts found
    assert table.loc[CALM, CALM] / table[CALM].sum() == pytest.approx(2 / 3)
    assert table.loc[CALM, CALM] / table.loc[CALM].sum() == pytest.approx(1.0)


def test_confusion_table_accepts_series_and_rejects_bad_input():
    table = model.confusion_table(pd.Series([NATION]), pd.Series([NATION], index=[7]))
    assert table.loc[NATION, NATION] == 1 and table.to_numpy().sum() == 1
    assert model.confusion_table([], []).to_numpy().sum() == 0
    with pytest.raises(ValueError, match="labels has 2 items but predictions has 1"):
        model.confusion_table([LEGAL, CALM], [LEGAL])
    with pytest.raises(ValueError, match="predictions item 1 is 'angry'"):
        model.confusion_table([LEGAL, CALM], [LEGAL, "angry"])


def test_frame_scores_agree_with_the_confusion_table():
    labels = [LEGAL, LEGAL, CALM, TRIUMPH, CALM]
    predicted = [LEGAL, CALM, CALM, LEGAL, CALM]
    scores = model.frame_scores(labels, predicted)
    assert list(scores.index) == list(FRAMES)
    precision, recall = scores.columns[-2:]
    assert scores.loc[CALM, precision] == pytest.approx(2 / 3) and scores.loc[CALM, recall] == pytest.approx(1.0)
    assert scores.loc[LEGAL, precision] == pytest.approx(1 / 2) and scores.loc[LEGAL, recall] == pytest.approx(1 / 2)
    # a frame labelled but never predicted, and one neither labelled nor predicted: 0.0, not a division by zero
    assert tuple(scores.loc[TRIUMPH, [precision, recall]]) == (0.0, 0.0)
    assert tuple(scores.loc[CONCIL, [precision, recall]]) == (0.0, 0.0)
    assert scores.iloc[:, :3].sum().tolist() == [5, 5, 3]  # labelled, predicted, correct
    with pytest.raises(ValueError, match="labels has 2 items but predictions has 1"):
        model.frame_scores([LEGAL, CALM], [LEGAL])


def test_frame_scores_say_when_the_labels_are_simulated(posts):
    peru_posts = model.case_posts(posts, "peru_2014")
    scores = model.frame_scores(peru_posts["frame"], model.baseline_frames(peru_posts["text"]))
    assert "SIMULATED" in scores.index.name
    table = model.confusion_table(peru_posts["frame"], model.baseline_frames(peru_posts["text"]))
    assert scores.iloc[:, 2].tolist() == np.diag(table).tolist()


def test_baseline_has_high_precision_and_low_recall_on_spanish_posts(posts):
    # the lesson of the notebook's baseline: English keywords miss the Spanish posts
    spanish = posts[(posts["language"] == "es") & (posts["frame"] != LEGAL)]
    table = model.confusion_table(spanish["frame"], model.baseline_frames(spanish["text"]))
    recall = np.diag(table)[1:].sum() / len(spanish)
    assert recall < 0.3


# --- the judgment-day what-if --------------------------------------------------------------------------

def post(timing, frame, language="es"):
    return {"timing": timing, "frame": frame, "language": language}


def test_plan_outcome_known_values():
    outcome = model.plan_outcome([post("with_addresses", CALM), post("with_addresses", CALM),
                                  post("next_day", NATION, "en")])
    assert outcome["reach"].tolist() == pytest.approx([100 * 4.5 * 0.9, 100 * 4.5 * 0.9 * 0.6, 60 * 1.5 * 1.6])
    assert outcome["tension"].tolist() == pytest.approx([-0.4, -0.4, 1.2 * 0.7 * 0.5])
    assert outcome["hours"].tolist() == [1.5, 1.5, 24.0]


def test_tension_index_known_values_and_bands():
    assert model.tension_index([post("with_addresses", LEGAL)]) == pytest.approx(100 / (1 + math.exp(0.2)))
    assert model.tension_index([post("at_reading", TRIUMPH), post("at_reading", CONCIL)]) == pytest.approx(
        100 / (1 + math.exp(-(1.4 - 0.7))))
    assert [model.tension_band(x) for x in (0, 34.9, 35, 64.9, 65, 100)] == [
        "low", "low", "moderate", "moderate", "high", "high"]


def _all_plans(size=2):
    choices = list(itertools.product(("before_reading", "with_addresses", "next_day"), FRAMES, ("es", "en")))
    return [[post(*c) for c in combo] for combo in itertools.combinations(choices, size)]


def test_tension_rises_with_the_frame_tension_weight():
    ordered = sorted(FRAMES, key=model.FRAME_TENSION.get)
    for plan in _all_plans()[::7]:
        scores = [model.tension_index([{**plan[0], "frame": f}, plan[1]]) for f in ordered]
        assert scores == sorted(scores)
        assert scores[0] < scores[-1]


def test_escalating_posts_weigh_more_when_the_slot_multiplier_is_higher():
    ordered = sorted(model.TIMINGS, key=model.TIMING_TENSION.get)
    for frame in model.ESCALATING:
        scores = [model.tension_index([post(t, frame), post("evening", LEGAL)]) for t in ordered]
        assert scores == sorted(scores) and scores[0] < scores[-1]
    assert model.tension_index([post("at_reading", NATION, "en")]) < model.tension_index([post("at_reading", NATION)])


def test_adding_a_conciliatory_post_lowers_tension_and_adds_reach():
    base = [post("at_reading", TRIUMPH)]
    more = base + [post("with_addresses", CONCIL)]
    assert model.tension_index(more) < model.tension_index(base)
    assert model.plan_outcome(more)["reach"].sum() > model.plan_outcome(base)["reach"].sum()


@pytest.mark.parametrize("plan, message", [
    ([], "at least one post"),
    ([post("noon", CALM)], "Post 1 has timing 'noon'"),
    ([post("evening", CALM), post("evening", "angry")], "Post 2 has frame 'angry'"),
    ([post("evening", CALM, "fr")], "Post 1 has language 'fr'"),
    ([{"timing": "evening", "frame": CALM}], "Post 1 lacks language"),
])
def test_plan_outcome_rejects_bad_plans(plan, message):
    with pytest.raises(ValueError, match=message):
        model.plan_outcome(plan)


# --- views ---------------------------------------------------------------------------------------------

@pytest.fixture()
def toy_posts():
    return pd.DataFrame({
        "date": pd.to_datetime(["2014-01-26", "2014-01-27", "2014-01-27", "2014-01-27", "2014-01-28"]),
        "days_from_judgment": [-1, 0, 0, 0, 1],
        "account": ["A (simulated)"] * 5,
        "frame": [CALM, TRIUMPH, CALM, CALM, LEGAL],
        "text": ["[SIM] a", "[SIM] b", "[SIM] c", "[SIM] d", "[SIM] e"],
        "likes": [10, 100, 20, 5, 1],
        "reposts": [0, 10, 0, 0, 0],
        "replies": [0, 5, 1, 0, 0],
        "tone": [0.5, -0.5, 0.3, 0.1, 0.0],
    })


def test_frame_summary_on_a_toy_table(toy_posts):
    table = views.frame_summary(toy_posts).set_index("frame")
    assert list(table.index) == [LEGAL, CALM, TRIUMPH]  # in the order of FRAMES, absent frames left out
    assert table.loc[CALM, "posts"] == 3 and table.loc[CALM, "share of posts"] == 0.6
    assert table.loc[CALM, "median interactions"] == 10 and table.loc[CALM, "mean tone"] == 0.3
    assert table.loc[TRIUMPH, "median interactions"] == 115


def test_explore_posts_figures_on_a_toy_table(toy_posts):
    view = views.explore_posts(toy_posts, "2014-01-27", "2014-01-28", [TRIUMPH, CALM])
    assert view.extra == {"posts": 3, "top_frame": CALM}
    assert view.figures["posts"].tolist() == [2, 1]
    assert "[SIM] b" in view.note.splitlines()[2]  # the most engaged post comes first
    spec = view.chart.to_dict()
    assert "SIMULATED" in spec["title"]["subtitle"] and "3 SIMULATED posts" in spec["description"]


def test_explore_posts_accepts_reversed_dates_and_rejects_empty_choices(toy_posts):
    forward = views.explore_posts(toy_posts, "2014-01-26", "2014-01-28", FRAMES).extra
    assert views.explore_posts(toy_posts, "2014-01-28", "2014-01-26", FRAMES).extra == forward
    assert forward["top_frame"] == CALM and forward["posts"] == 5
    with pytest.raises(ValueError, match="at least one frame"):
        views.explore_posts(toy_posts, "2014-01-26", "2014-01-28", ())
    with pytest.raises(ValueError, match="widen the window"):
        views.explore_posts(toy_posts, "2014-02-01", "2014-02-05", FRAMES)


def test_the_explorers_window_redraws_on_a_day_without_posts(toy_posts):
    # The page redraws the chart from the slider's parameter alone (dpdlab.charts.in_window). Moving the window's
    # end from one day without posts to another must still change the chart: its axis follows the window.
    from dpdlab import svg
    from dpdlab.charts import with_data, with_window

    daily = toy_posts.groupby(["date", "frame"]).size().reset_index(name="posts")
    assert not set(daily["date"]) & {pd.Timestamp("2014-02-03"), pd.Timestamp("2014-02-04")}  # days without posts
    drawn = [svg.to_svg(with_window(with_data(views._explorer_template(), daily), "dates", "2014-01-26", end)
                        .to_dict()) for end in ("2014-02-03", "2014-02-04")]
    assert drawn[0] != drawn[1]


def test_explore_posts_breaks_ties_in_frame_order(toy_posts):
    view = views.explore_posts(toy_posts, "2014-01-26", "2014-01-28", [LEGAL, TRIUMPH])
    assert view.extra == {"posts": 2, "top_frame": LEGAL}


def test_judgment_day_plan_matches_the_model():
    view = views.judgment_day_plan("at_reading", TRIUMPH, "es", "with_addresses", CALM, "es", "evening", CONCIL, "en")
    plan = [post("at_reading", TRIUMPH), post("with_addresses", CALM), post("evening", CONCIL, "en")]
    assert view.extra["tension"] == pytest.approx(model.tension_index(plan))
    assert view.extra["reach"] == pytest.approx(model.plan_outcome(plan)["reach"].sum())
    assert view.extra["band"] == model.tension_band(view.extra["tension"])
    assert len(view.figures) == 3 and "Tension indicator" in view.note
    assert view.figures.index.tolist() == [1, 2, 3]  # rows are labelled by post number, not 0, 1, 2
    spec = view.chart.to_dict()
    assert "SIMULATED" in spec["title"]["subtitle"] and spec["description"]


def test_judgment_day_plan_rejects_a_bad_post():
    with pytest.raises(ValueError, match="Post 3 has frame"):
        views.judgment_day_plan("at_reading", CALM, "es", "evening", CALM, "es", "evening", "shouting", "es")


def test_charts_have_titles_and_descriptions(posts, procedure):
    events = load_dataset("icj_case_communication")
    charts = [views.communication_chart(events)]
    simulated = [views.volume_chart(posts, procedure, c) for c in model.CASES]
    simulated += [views.frame_audience_chart(model.case_posts(posts, c), m) for c in model.CASES
                  for m in ("engagement", "tone", ("engagement", "tone"))]
    for chart in charts + simulated:
        spec = chart.to_dict()
        assert spec.get("title") and spec.get("description")
    for chart in simulated:
        assert "SIMULATED" in chart.to_dict()["title"]["subtitle"]
    with pytest.raises(ValueError, match="measures must be taken from"):
        views.frame_audience_chart(posts, "anger")
    with pytest.raises(ValueError, match="measures must be taken from"):
        views.frame_audience_chart(posts, ())


def test_volume_chart_marks_only_exact_procedural_dates(posts, procedure):
    spec = views.volume_chart(posts, procedure, "peru_2014").to_dict()
    marked = {row["date"][:10] for data in spec["datasets"].values() for row in data if "label" in row}
    assert "2014-01-27" in marked and "2012-12-03" in marked
    assert "2014-01-01" not in marked  # the compliance row is dated to the year only


def test_case_comparison_has_one_row_per_case(posts):
    table = views.case_comparison(posts)
    assert table["case"].tolist() == ["Peru v. Chile", "Bolivia v. Chile"]
    shares = table[["escalating frames, before", "escalating frames, after"]].to_numpy()
    assert ((shares >= 0) & (shares <= 1)).all()
    official = posts[posts["account_type"] == "official"].groupby("case").size()
    assert table["official posts"].tolist() == [official["peru_2014"], official["bolivia_2018"]]


def test_case_view_names_the_other_case(posts):
    note = views.case_view(posts, "bolivia_2018").note
    assert "Bolivia v. Chile" in note and "-p case peru_2014" in note
    with pytest.raises(ValueError, match="Unknown case"):
        views.case_view(posts, "chile_2020")


# --- widgets -------------------------------------------------------------------------------------------

def test_explorer_widget_calls_the_view_with_the_controls_values(monkeypatch, toy_posts):
    seen = []
    real = views.explore_posts
    monkeypatch.setattr(views, "explore_posts", lambda *a: seen.append(a) or real(*a))
    box = views.explorer(toy_posts)
    dates, frames = box.children[0].children
    assert dates.description and frames.description  # labelled controls
    assert seen[-1][1:] == (pd.Timestamp("2014-01-26"), pd.Timestamp("2014-01-28"), tuple(FRAMES))
    dates.index = (1, 2)
    assert seen[-1][1:3] == (pd.Timestamp("2014-01-27"), pd.Timestamp("2014-01-28"))
    frames.value = (TRIUMPH,)
    assert seen[-1][3] == (TRIUMPH,)
    assert box.children[-1].outputs[1]["data"]["text/markdown"].startswith("**1** simulated posts")


def test_explorer_widget_explains_an_empty_choice(toy_posts):
    box = views.explorer(toy_posts)
    box.children[0].children[1].value = ()
    assert "Choose at least one frame" in box.children[-1].outputs[0]["text"]


def test_plan_widget_controls(monkeypatch):
    seen = []
    monkeypatch.setattr(views, "judgment_day_plan", lambda **k: seen.append(k) or View())
    box = views.plan_what_if()
    rows = [row.children for row in box.children[:-1]]
    assert [len(r) for r in rows] == [3, 3, 3] and all(isinstance(c, w.Dropdown) for r in rows for c in r)
    assert all(c.description for r in rows for c in r)
    first = {f"{name}_{n}": value for n, values in enumerate(views.DEFAULT_PLAN, start=1)
             for name, value in zip(("timing", "frame", "language"), values)}
    assert seen[-1] == first
    rows[1][1].value = NATION
    rows[2][0].value = "at_reading"
    assert seen[-1] == {**first, "frame_2": NATION, "timing_3": "at_reading"}


def test_plan_widget_draws_the_real_view():
    setup()
    box = views.plan_what_if()
    kinds = [set(o["data"]) for o in box.children[-1].outputs]
    assert chart_in(box.children[-1].outputs[0]) is not None and "text/markdown" in kinds[1] and "text/html" in kinds[2]


def test_communication_chart_names_a_users_file():
    bundled = load_dataset("icj_case_communication")
    assert "subtitle" not in views.communication_chart(bundled).to_dict()["title"]
    own = bundled.copy()
    own.attrs.update(path="my_events.csv", source="my ministry's press log", simulated=False)
    assert views.communication_chart(own).to_dict()["title"]["subtitle"] == "Data: my ministry's press log"
