"""The crisis simulation: its fictional scenario, the release of stages, the decisions' form and rules, the seeded
reaction model (deterministic, its documented formulas recomputed by hand), the views, the debrief that reads
notebooks without running them, and the teams roster."""
from __future__ import annotations

import copy
import json
import math
import re

import pandas as pd
import pytest

from conftest import COURSE, ROOT
from dpdlab import load_dataset
from dpdlab.checks import CheckFailed
from dpdlab.grading import teams
from dpdlab.simulation import debrief, model, rules, scenario, views
from dpdlab.simulation.text import INJECTS, MESSAGES, RULES

SOURCE = COURSE / "source" / "crisis_simulation" / "crisis_simulation.ipynb"
GUIDE = COURSE / "facilitation" / "crisis_simulation.md"


def reference() -> dict:
    """The source notebook's decisions (its solution cells), read as the debrief reads them."""
    decisions, problems = debrief.decisions_from_notebook(json.loads(SOURCE.read_text(encoding="utf-8")))
    assert not problems
    return decisions


@pytest.fixture()
def decided() -> dict:
    return copy.deepcopy(reference())


# --- the scenario --------------------------------------------------------------------------------------------

REAL_STATES = ("Argentina", "Bolivia", "Brazil", "Brasil", "Chile", "Colombia", "Cuba", "Ecuador", "Haiti", "Haití",
               "Honduras", "Mexico", "México", "Nicaragua", "Panama", "Paraguay", "Peru", "Perú", "Uruguay",
               "Venezuela", "United States", "Spain", "España")


def test_the_scenario_names_only_fictional_states_and_says_it_is_simulated():
    injects = load_dataset("crisis_simulation_injects_simulated")
    claim = load_dataset("crisis_claim_posts_simulated")
    text = " ".join([*injects["inject"], *injects["speaker"], *injects["title"], *claim["text"]])
    for state in REAL_STATES:
        assert not re.search(rf"\b{state}\b", text), state
    for state in ("Valdoria", "Marvenia", "Ostelia"):
        assert state in text
    assert injects["simulated"].all() and claim["simulated"].all()
    assert all("fictional" in s or "simulated" in s or s == "Facilitator" for s in injects["speaker"])
    assert list(injects["stage"]) == list(scenario.STAGE_NUMBERS)
    assert "SIMULATED" in INJECTS[0] and "fiction" in INJECTS[0]


def test_the_injects_quote_the_figures_of_the_simulated_streams():
    requests = load_dataset("consular_requests_simulated")
    injects = load_dataset("crisis_simulation_injects_simulated").set_index("stage")
    first = requests[requests["minute"] < 120]
    assert f"{len(first)} requests in two hours" in injects.loc[2, "inject"]
    assert f"{int((first['priority'] == 1).sum())} of them" in injects.loc[2, "inject"]
    posts = load_dataset("crisis_claim_posts_simulated")
    repeats = posts[(posts["minute"] < model.CLAIM_WINDOW_END) & posts["text"].map(rules.quotes_claim)]
    assert f"{len(repeats)} posts from {repeats['account_id'].nunique()} accounts repeat it" in injects.loc[3, "inject"]
    assert 0 < len(repeats) < len(posts)


def test_the_class_timings_fit_ninety_minutes():
    minutes = [s.class_minute for s in scenario.STAGES]
    assert minutes == sorted(minutes) and minutes[0] == 0
    assert minutes[-1] < scenario.SUBMIT_MINUTE < scenario.DEBRIEF_MINUTE <= 90 - 25  # a 25-minute hot wash
    hours = [s.sim_hour for s in scenario.STAGES[1:]]
    assert hours == sorted(hours)


# --- releasing the stages -----------------------------------------------------------------------------------

def guide_words() -> dict[int, str]:
    rows = re.findall(r"^\| (\d) \| [^|]+ \| (\w+) \|$", GUIDE.read_text(encoding="utf-8"), re.M)
    return {int(stage): word for stage, word in rows}


def test_each_code_word_of_the_guide_releases_its_stage_and_no_other():
    words = guide_words()
    assert sorted(words) == [1, 2, 3, 4, 5, 6]
    for stage, word in words.items():
        assert scenario.is_release_word(stage, word)
        assert scenario.is_release_word(stage, f"  {word.upper()} ")  # capitals and spaces do not count
        assert not any(scenario.is_release_word(other, word) for other in words if other != stage)
        assert not scenario.is_release_word(stage, word + "s")
    injects = load_dataset("crisis_simulation_injects_simulated").set_index("stage")
    assert all(injects.loc[s, "release_fingerprint"] == scenario.fingerprint(w) for s, w in words.items())


def test_class_mode_shows_an_inject_only_with_its_word(decided):
    words = guide_words()
    locked = views.show_inject(3, "class", "", decided).note
    assert "not released yet" in locked and "SIMULATED" in locked
    wrong = views.show_inject(3, "class", words[2], decided).note
    assert "is not the code word of stage 3" in wrong
    shown = views.show_inject(3, "class", words[3], {}).note  # in class, earlier decisions do not matter
    assert "#EmbajadaCobra" in shown and "SIMULATED inject 3 of 6" in shown
    assert "SIMULATED exercise" in views.show_inject(0, "class").note


def test_self_paced_mode_opens_a_stage_once_the_previous_one_is_complete(decided):
    assert "SIMULATED inject 1" in views.show_inject(1, "self_paced", answers={}).note
    without = {k: v for k, v in decided.items() if k != "q3_monitoring"}
    note = views.show_inject(4, "self_paced", answers=without).note
    assert "opens when stage 3's decisions are complete" in note and "q3_monitoring" in note
    assert "SIMULATED inject 4" in views.show_inject(4, "self_paced", answers=decided).note
    with pytest.raises(ValueError, match="mode must be"):
        views.show_inject(1, "classroom")
    with pytest.raises(ValueError, match="stage must be one of"):
        views.show_inject(7)


# --- the decisions: form --------------------------------------------------------------------------------------

def test_the_reference_decisions_are_complete_and_keep_every_rule(decided):
    assert set(decided) == set(scenario.DECISIONS)
    for name, value in decided.items():
        assert rules.form_problems(name, value) == [], name
    assert rules.all_breaches(decided) == []


@pytest.mark.parametrize("name, change, message", [
    ("q1_first_post", {"minutes_after": None}, "q1_first_post['minutes_after'] should be a whole number"),
    ("q1_first_post", {"minutes_after": True}, "should be a whole number"),
    ("q1_first_post", {"languages": ["es", "fr"]}, "has 'fr', which is not one of: es, en, pt"),
    ("q1_first_post", {"languages": ["es", "es"]}, "lists 'es' twice"),
    ("q1_first_post", {"languages": []}, "is empty: choose at least one"),
    ("q1_first_post", {"elements": ["hotline", "a_poem"]}, "has 'a_poem', which is not one of"),
    ("q1_first_post", {"text": "x" * 281}, "has 281 characters; the limit is 280"),
    ("q1_first_post", {"text": "..."}, "still the template's placeholder"),
    ("q1_first_post", {"text": "  "}, "is empty: write the text"),
    ("q1_first_post", {"cleared_by": "spokesperson"}, "should be a list"),
    ("q1_first_post", {"colour": "red"}, "has the key 'colour', which is not part of this decision"),
    ("q2_triage", {"rules": [(1, "atrap")]}, "should be a pair (priority, [keywords])"),
    ("q2_triage", {"rules": [(5, ["atrap"])]}, "priority from 1 to 4"),
    ("q2_triage", {"order": "random"}, "has 'random', which is not one of: arrival, priority"),
    ("q2_triage", {"staff": 9}, "is 9; it should be between 1 and 8"),
    ("q3_monitoring", {"min_duplicate": 1.5}, "should be between 0 and 1"),
    ("q3_monitoring", {"rule": "most"}, "not one of: all, any, two_of_three"),
    ("q4_ostelia", {"posts": []}, "should hold 1 to 3 posts; it holds 0"),
    ("q4_ostelia", {"posts": [{"timing": "noon", "frame": "factual", "language": "es"}]}, "timing='noon'"),
    ("q4_ostelia", {"call_first": "yes"}, "should be True or False"),
    ("q5_answer", {"speaker": "minister"}, "has 'minister', which is not one of"),
    ("q5_answer", {"text": "y" * 601}, "the limit is 600"),
    ("q6_correction", {"casualty_figure": "three"}, "should be a whole number"),
    ("q0_team", {"team_id": "Team A!"}, "use your team's id"),
    ("q0_team", {"roles": {"spokesperson": "Ana", "consul": "Bruno", "ambassador": "Carla"}},
     "no one for the role 'legal_adviser'"),
    ("q0_team", {"roles": {"spokesperson": "...", "consul": "B", "ambassador": "C", "legal_adviser": "D"}},
     "placeholder"),
    ("q0_team", {"roles": {"spokesperson": "A", "consul": "B", "ambassador": "C", "legal_adviser": "D",
                           "minister": "E"}}, "the role 'minister'"),
])
def test_an_incomplete_decision_is_explained(decided, name, change, message):
    value = {**decided[name], **change}
    problems = rules.form_problems(name, value)
    assert any(message in p for p in problems), problems
    with pytest.raises(CheckFailed) as caught:
        rules.check_decision(**{name: value})
    assert caught.value.question == name and caught.value.hint == problems[0]


def test_the_templates_and_non_dicts_are_incomplete(decided):
    assert rules.form_problems("q1_first_post", None) == [
        "q1_first_post should be a dict like the template above; it is None (nothing assigned yet)."]
    missing = {k: v for k, v in decided["q5_answer"].items() if k != "speaker"}
    expected = "q5_answer lacks the key 'speaker' (the template lists every key)."
    assert expected in rules.form_problems("q5_answer", missing)
    template = dict.fromkeys(scenario.DECISIONS["q6_correction"])
    assert len(rules.form_problems("q6_correction", template)) == 6  # every key but the figure, which may be None
    no_correction = {**decided["q6_correction"], "issue": False, "text": "", "languages": []}
    assert rules.form_problems("q6_correction", no_correction) == []
    issued_empty = {**decided["q6_correction"], "text": ""}
    assert rules.form_problems("q6_correction", issued_empty)


# --- the decisions: rules -------------------------------------------------------------------------------------

def _with(decided: dict, name: str, **change) -> dict:
    return {**decided, name: {**decided[name], **change}}


@pytest.mark.parametrize("stage, rule, name, change, message", [
    (1, "R2", "q1_first_post", {"minutes_after": 75}, "after 75 minutes (limit 60)"),
    (1, "R2", "q1_first_post", {"text": "Hay 12 muertos entre nuestros connacionales."}, "casualty figure"),
    (1, "R1", "q1_first_post", {"cleared_by": ["consul"]}, "the spokesperson did not clear"),
    (1, "R7", "q1_first_post", {"elements": ["what_is_known", "blame_others"]}, "blames another government"),
    (2, "R3", "q2_triage", {"order": "arrival"}, "order of arrival"),
    (2, "R3", "q2_triage", {"rules": [(1, ["atrap"])]}, "at least 85 % required"),
    (3, "R5", "q3_response", {"text": "Es falso lo de #EmbajadaCobra: los asientos son gratis."},
     "repeats the false claim"),
    (3, "R5", "q3_response", {"elements": ["hotline", "the_fact"]}, "does not lead with the fact"),
    (3, "R6", "q3_response", {"elements": ["the_fact", "name_accounts"]}, "names accounts, without the legal"),
    (5, "R9", "q5_answer", {"minutes_after": 9}, "answered after 9 minutes"),
    (5, "R9", "q5_answer", {"elements": ["empathy", "no_comment"]}, "'no comment'"),
    (5, "R9", "q5_answer", {"elements": ["empathy"]}, "does not say what is not known"),
    (5, "R1", "q5_answer", {"speaker": "consul"}, "came from the consul"),
    (5, "R2", "q5_answer", {"text": "We can confirm 12 deaths among our nationals."}, "casualty figure"),
    (6, "R10", "q6_correction", {"issue": False}, "no correction"),
    (6, "R10", "q6_correction", {"minutes_after": 180}, "after 180 minutes (limit 120)"),
    (6, "R10", "q6_correction", {"casualty_figure": 12}, "gives 12 deaths; the verified figure is 3"),
    (6, "R10", "q6_correction", {"elements": ["actions_taken"]}, "does not acknowledge"),
    (6, "R6", "q6_correction", {"cleared_by": ["spokesperson"]}, "without the legal adviser's clearance"),
])
def test_a_broken_rule_is_named_with_what_broke_it(decided, stage, rule, name, change, message):
    broken = _with(decided, name, **change)
    found = rules.breaches(stage, broken, rule=rule)
    assert found and all(b.rule == rule and b.stage == stage for b in found)
    assert any(message in b.message for b in found), [b.message for b in found]
    assert rules.breaches(stage, decided, rule=rule) == []


def test_rules_across_stages_and_the_reply_to_ostelia(decided):
    over = _with(decided, "q3_monitoring", monitor_staff=3)  # 6 on the queue + 3 = 9
    assert "make 9, more than 8" in rules.breaches(3, over, rule="R4")[0].message
    blind = _with(_with(decided, "q3_monitoring", monitor_staff=0), "q3_response",
                  elements=["the_fact", "name_accounts"], cleared_by=["spokesperson", "legal_adviser"])
    assert "nobody ran the detector" in rules.breaches(3, blind, rule="R4")[0].message
    reply = decided["q4_ostelia"]
    loud = _with(decided, "q4_ostelia", posts=[{"timing": "at_once", "frame": "accusatory", "language": "es"}],
                 cleared_by=["spokesperson"])
    messages = [b.message for b in rules.breaches(4, loud)]
    assert any("'accusatory' frame" in m for m in messages) and any("ambassador did not clear" in m for m in messages)
    assert any("before the ambassador's call" in m for m in messages) and reply["call_first"]


def test_an_incomplete_stage_breaks_every_rule_asked_and_an_unknown_rule_is_refused(decided):
    found = rules.breaches(3, {**decided, "q3_response": None})
    assert {b.rule for b in found} == set(scenario.stage(3).rules)
    assert all("q3_response is not a complete decision" in b.message for b in found)
    with pytest.raises(ValueError, match="No rule 'R11'"):
        rules.breaches(1, decided, rule="R11")
    assert set(RULES) == {f"R{n}" for n in range(1, 11)}


@pytest.mark.parametrize("text, quoted", [
    ("#embajadacobra es falso", True), ("# Embajada Cobra", True),
    ("la embajada de valdoria cobra 400 pesos por cada asiento, dicen", True),
    ("Los asientos son gratuitos. Nadie puede cobrarle.", False),
])
def test_the_claim_is_recognised_by_its_hashtag_or_six_words_in_a_row(text, quoted):
    assert rules.quotes_claim(text) is quoted


@pytest.mark.parametrize("text, figure", [
    ("12 muertos", True), ("3 connacionales fallecidos", True), ("We confirm 12 of our nationals dead", True),
    ("2 mortos", True), ("Emergencias consulares: +000 555 0100. Próxima actualización 09:00.", False),
    ("Salen 200 buses cada hora", False),
])
def test_a_casualty_figure_is_recognised_in_three_languages(text, figure):
    assert rules.mentions_casualty_figure(text) is figure


# --- the reaction model --------------------------------------------------------------------------------------

def test_the_claim_network_is_seeded_and_matches_the_bundled_data():
    accounts, posts = model.simulate_claim_network()
    again_accounts, again_posts = model.simulate_claim_network()
    pd.testing.assert_frame_equal(accounts, again_accounts)
    pd.testing.assert_frame_equal(posts, again_posts)
    other = model.simulate_claim_network(seed=1)[1]
    assert not other["text"].equals(posts["text"])
    a = model.NETWORK_ASSUMPTIONS
    assert int(accounts["in_operation"].sum()) == a["operation_new"] + a["operation_old"]
    assert int(((accounts["created_days_before"] == 0) & ~accounts["in_operation"]).sum()) == a["worried_opened_today"]
    assert posts["minute"].max() < model.CLAIM_WINDOW_END


def test_the_same_decisions_always_give_the_same_reaction(decided):
    first, second = model.outcome_summary(decided), model.outcome_summary(copy.deepcopy(decided))
    assert first == second


def test_first_post_reach_is_the_documented_product(decided):
    post = decided["q1_first_post"]
    outcome = model.first_post_outcome(post)
    half_life = model.ASSUMPTIONS["attention_half_life_hours"]
    assert outcome["reach_share"] == pytest.approx(0.5 ** (post["minutes_after"] / 60 / half_life) * 1.0)
    spanish_late = model.first_post_outcome({**post, "minutes_after": 120, "languages": ["es"]})
    assert spanish_late["reach_share"] == pytest.approx(0.5 * 0.7)


def test_triage_priority_first_and_more_staff_shorten_urgent_waits(decided):
    triage = decided["q2_triage"]
    by_priority = model.triage_outcome(triage)
    by_arrival = model.triage_outcome({**triage, "order": "arrival"})
    fewer = model.triage_outcome({**triage, "staff": 3})
    assert by_priority["p1_median_wait"] < by_arrival["p1_median_wait"]
    assert by_priority["backlog_6h"] <= fewer["backlog_6h"] and by_priority["p1_p90_wait"] < fewer["p1_p90_wait"] + 1
    assert fewer["backlog_6h"] > 0
    assert 0 <= by_priority["urgent_recall"] <= 1


def test_the_detector_runs_module_04s_rules_on_the_claim_network(decided):
    from dpdlab.infoops.analysis import precision_recall, rule_detector

    monitoring = decided["q3_monitoring"]
    outcome = model.detector_outcome(monitoring)
    accounts = load_dataset("crisis_claim_accounts_simulated")
    features = model.claim_signals(accounts, load_dataset("crisis_claim_posts_simulated"))
    flagged = rule_detector(features, monitoring["min_duplicate"], monitoring["min_synchrony"],
                            monitoring["min_burst"], monitoring["rule"])
    truth = set(accounts.loc[accounts["in_operation"], "account_id"])
    assert (outcome["precision"], outcome["recall"]) == precision_recall(flagged, truth)
    assert outcome["wrongly_flagged"] == len(flagged - truth)
    loose = model.detector_outcome({**monitoring, "rule": "any"})
    assert loose["flagged"] > outcome["flagged"] and loose["wrongly_flagged"] > outcome["wrongly_flagged"]
    assert model.detector_outcome({**monitoring, "monitor_staff": 0})["flagged"] == 0


def test_the_claim_views_follow_the_documented_formula(decided):
    response, monitoring = decided["q3_response"], decided["q3_monitoring"]
    outcome = model.claim_outcome(response, monitoring)
    respond_at = 5 + response["minutes_after"] / 60
    at, end = model.claim_views(respond_at), model.claim_views(12.0)
    assert outcome["claim_views"] == pytest.approx(at + (end - at) * (1 - outcome["effect"]))
    assert model.claim_views(3.0) == pytest.approx(0.0)
    quoted = model.claim_outcome({**response, "elements": ["quote_the_claim", "the_fact"]}, monitoring)
    later = model.claim_outcome({**response, "minutes_after": 240}, monitoring)
    silent = model.claim_outcome({**response, "minutes_after": 700}, {**monitoring, "monitor_staff": 0})
    assert outcome["claim_views"] < quoted["claim_views"] < silent["claim_views"]
    assert outcome["claim_views"] < later["claim_views"]
    assert silent["claim_views"] == pytest.approx(silent["claim_views_unanswered"])


def test_tension_is_the_ica_what_ifs_logistic_of_the_tables(decided):
    reply = decided["q4_ostelia"]
    outcome = model.reply_outcome(reply)
    total = model.STATEMENT_TENSION - model.CALL_TENSION + sum(
        model.FRAME_TENSION[p["frame"]] * model.TIMING_TENSION[p["timing"]] * model.LANGUAGE_TENSION[p["language"]]
        for p in reply["posts"])
    assert outcome["tension"] == pytest.approx(100 / (1 + math.exp(-total)))
    assert outcome["baseline_tension"] == pytest.approx(100 / (1 + math.exp(-model.STATEMENT_TENSION)))
    loud = model.reply_outcome({**reply, "call_first": False,
                                "posts": [{"timing": "at_once", "frame": "accusatory", "language": "es"}]})
    assert loud["band"] == "high" and loud["tension"] > outcome["tension"] and loud["reach"] > 0
    early = model.reply_outcome({**reply, "posts": [{"timing": "at_once", "frame": "factual", "language": "es"}]})
    late = model.reply_outcome({**reply, "posts": [{"timing": "after_call", "frame": "factual", "language": "es"}]})
    assert early["tension"] > late["tension"]  # a post before the call halves the call's effect


def test_credibility_adds_the_table_of_assumed_points_within_bounds(decided):
    changes = model.credibility_changes(decided)
    expected = model.CREDIBILITY_START
    for row in changes.itertuples():
        if row.reason != "start":
            expected = min(100.0, max(0.0, expected + model.CREDIBILITY_POINTS[row.reason] * row.count))
        assert row.total == pytest.approx(expected)
    careless = _with(_with(decided, "q1_first_post", minutes_after=150, text="Hay 12 muertos."), "q6_correction",
                     issue=False)
    reasons = set(model.credibility_changes(careless)["reason"])
    assert {"first_slow", "figure_unverified", "not_corrected"} <= reasons
    assert model.outcome_summary(careless)["credibility"] < model.outcome_summary(decided)["credibility"]
    named = _with(_with(decided, "q3_monitoring", rule="any"), "q3_response",
                  elements=["the_fact", "name_accounts"], cleared_by=["spokesperson", "legal_adviser"])
    row = model.credibility_changes(named).set_index("reason").loc["named_wrongly"]
    assert row["count"] == model.NAMED_WRONGLY_CAP


def test_every_assumption_is_stated_where_the_student_and_the_instructor_read_it():
    source = (ROOT / "dpdlab" / "simulation" / "model.py").read_text(encoding="utf-8")
    assert "assumptions" in model.__doc__.lower() and "not findings" in model.__doc__
    for key in model.ASSUMPTIONS:
        assert re.search(rf'"{key}": [^\n]*', source), key
    sheet = (ROOT / "data" / "crisis_claim_accounts_simulated.md").read_text(encoding="utf-8")
    a = model.NETWORK_ASSUMPTIONS
    for figure in (a["operation_new"], a["operation_old"], a["worried"], a["worried_opened_today"]):
        assert str(figure) in sheet
    assert str(model.SEED) in sheet


# --- the views -------------------------------------------------------------------------------------------------

def test_every_view_says_simulated_and_none_raises_on_missing_decisions(decided):
    for stage in range(1, 7):
        assert "SIMULATED" in views.show_reaction(stage, {}).note
        shown = views.show_reaction(stage, decided)
        assert "SIMULATED" in shown.note
        if shown.chart is not None:
            spec = shown.chart.to_dict()
            assert "SIMULATED" in json.dumps(spec["title"]) and spec["description"]
    assert "SIMULATED" in views.timeline({}).columns.name and "not decided" in set(views.timeline({}).iloc[:, -1])
    assert "SIMULATED" in views.scorecard({}).chart.to_dict()["title"]
    assert "SIMULATED" in views.rules_table().columns.name
    assert "SIMULATED" in views.claim_features().columns.name and "in_operation" not in views.claim_features()
    view = views.reply_view(True, "after_call", "factual", "es", "evening", "conciliatory", "en")
    assert "SIMULATED" in view.chart.to_dict()["title"] and view.extra["band"] in ("low", "moderate", "high")


def test_the_hot_wash_lists_broken_rules_only_when_self_paced(decided):
    broken = _with(decided, "q2_triage", order="arrival")
    table = views.hot_wash(broken, "self_paced").figures
    assert list(table["rule"]) == ["R3"]
    assert "debrief" in views.hot_wash(broken, "class").note
    assert "keep every rule" in views.hot_wash(decided).note


# --- the debrief: notebooks read, never run -------------------------------------------------------------------

def _notebook(*sources: str) -> dict:
    return {"cells": [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]}


def test_decisions_are_read_as_literals_and_code_is_never_run(tmp_path):
    canary = tmp_path / "ran"
    notebook = _notebook(
        'q2_triage = {"rules": [(1, ["x"])], "order": "arrival", "staff": 2}',
        f'q5_answer = __import__("pathlib").Path({str(canary)!r}).write_text("x")',
        'q2_triage = {"rules": [(1, ["atrap"])], "order": "priority", "staff": 3}\nprint("not run")',
        "q1_first_post = {",  # a syntax error
        'x = 1\nq4_ostelia = {"call_first": True, "posts": [], "cleared_by": []}',
    )
    decisions, problems = debrief.decisions_from_notebook(notebook)
    assert decisions["q2_triage"]["order"] == "priority"  # the last assignment wins
    assert decisions["q4_ostelia"]["call_first"] is True
    assert "q5_answer" not in decisions and not canary.exists()
    assert any("q5_answer: not a literal value" in p for p in problems)
    assert any("not valid Python" in p for p in problems)


def test_a_team_notebook_is_read_beneath_the_course_and_never_through_a_link(tmp_path, decided):
    course = tmp_path / "course"
    folder = course / "submitted" / "team-a" / scenario.ASSIGNMENT
    folder.mkdir(parents=True)
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    (folder / f"{scenario.ASSIGNMENT}.ipynb").write_text(json.dumps(source), encoding="utf-8")
    other = course / "submitted" / "team-b" / scenario.ASSIGNMENT
    other.mkdir(parents=True)
    (other / f"{scenario.ASSIGNMENT}.ipynb").symlink_to(folder / f"{scenario.ASSIGNMENT}.ipynb")
    books = debrief.read_teams(course)
    assert set(books) == {"team-a", "team-b"}
    assert books["team-a"].decisions == decided and not books["team-a"].problems
    assert books["team-b"].decisions == {} and "could not be read" in books["team-b"].problems[0]
    assert "symbolic link" in books["team-b"].problems[0]


def test_the_debrief_tables_put_the_teams_side_by_side(tmp_path, decided):
    careless = _with(_with(decided, "q2_triage", order="arrival"), "q0_team", team_id="team-z")
    books = {"team-a": debrief.TeamNotebook("team-a", decided), "team-b": debrief.TeamNotebook("team-b", careless)}
    table = debrief.decisions_side_by_side(books)
    assert list(table.columns) == ["team-a", "team-b"] and "SIMULATED" in table.index.name
    assert table.loc["triage: order", "team-b"] == "arrival"
    broken = debrief.breaches_side_by_side(books)
    assert broken.loc["R3 Life and safety first", "team-a"] == "kept"
    assert "order of arrival" in broken.loc["R3 Life and safety first", "team-b"]
    outcomes = debrief.outcomes_side_by_side(books)
    assert "SIMULATED" in outcomes.index.name and outcomes.loc["rules broken", "team-b"] == "1"
    roster = [{"team_id": "team-a", "member_id": "s1", "name": "Ana"},
              {"team_id": "team-c", "member_id": "s2", "name": "Carla"}]
    check = debrief.roster_check(books, roster).set_index("team")
    assert bool(check.loc["team-c", "on the roster"]) and not bool(check.loc["team-c", "submitted"])
    assert not bool(check.loc["team-b", "on the roster"])
    snapshot = tmp_path / "in-class.json"
    assert debrief.freeze(books, snapshot) and not debrief.freeze(books, snapshot)
    assert debrief.changes_since(books, snapshot).empty
    later = {**books, "team-a": debrief.TeamNotebook("team-a", _with(decided, "q5_answer", minutes_after=3))}
    changed = debrief.changes_since(later, snapshot)
    assert changed[["team", "decision"]].values.tolist() == [["team-a", "answer to the journalist"]]


# --- the teams roster -------------------------------------------------------------------------------------------

def _roster(tmp_path, text: str):
    path = tmp_path / "teams.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_teams_roster_is_checked_line_by_line(tmp_path):
    good = _roster(tmp_path, "team_id,member_id,name,role,login\nteam-a,s1,Ana,spokesperson;consul,ana\n"
                             "team-a,s2,Bruno,,bruno\nteam-b,s3,Carla,ambassador,carla\n")
    rows = teams.read_teams(good, roles=scenario.ROLES + scenario.OPTIONAL_ROLES)
    assert teams.team_ids(rows) == ["team-a", "team-b"] and teams.member_roles(rows[0]) == ["spokesperson", "consul"]
    assert teams.import_roster(rows)[1] == {"student_id": "team-a", "login": "bruno", "lms_id": "", "email": "",
                                            "name": "Bruno"}
    for text, message in [
        ("team,member_id,name\nteam-a,s1,Ana\n", "needs the columns team_id, member_id, name"),
        ("team_id,member_id,name\n../x,s1,Ana\n", "line 2: team_id '../x' is not a usable id"),
        ("team_id,member_id,name\nteam-a,s1,Ana\nteam-b,s1,Ana\n", "line 3: member 's1' is already in team-a"),
        ("team_id,member_id,name\nteam-a,s1,\n", "line 2: name is empty"),
        ("team_id,member_id,name,role\nteam-a,s1,Ana,minister\n", "role 'minister' is not one of"),
        ("team_id,member_id,name\n", "lists no one"),
    ]:
        with pytest.raises(ValueError, match=re.escape(message)):
            teams.read_teams(_roster(tmp_path, text), roles=scenario.ROLES)


def test_the_example_roster_is_valid_and_holds_no_real_names():
    rows = teams.read_teams(COURSE / "teams.example.csv", roles=scenario.ROLES + scenario.OPTIONAL_ROLES)
    assert teams.team_ids(rows) == ["team-a", "team-b", "team-c", "team-d"]
    assert all(row["name"].startswith("Member ") for row in rows)
    assert "grading/teams.csv" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_teams_are_registered_and_a_missing_team_scores_zero(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    from dpdlab import grading, release

    only = [a for a in release.manifest() if a.id == scenario.ASSIGNMENT]
    course = release.copy_course(tmp_path / "course", assignments=only)
    rows = teams.read_teams(_roster(tmp_path, "team_id,member_id,name\nteam-a,s1,Ana\nteam-a,s2,Bruno\n"))
    assert teams.register(rows, course) == ["team-a"] and teams.register(rows, course) == ["team-a"]
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        assert [s.id for s in gradebook.students] == ["team-a"]
        gradebook.update_or_create_assignment(scenario.ASSIGNMENT)
    grades = teams.member_grades(scenario.ASSIGNMENT, rows, course)
    assert grades[["member_id", "status", "score"]].values.tolist() == [["s1", "missing", 0.0], ["s2", "missing", 0.0]]
