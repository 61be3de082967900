"""Module 07 (beyond the feed): the incidents and meetings tables, the security model, views and widgets, on
inputs whose right answers are known."""
from __future__ import annotations

import ipywidgets as w
import pandas as pd
import pytest

from dpdlab import load_dataset
from dpdlab.beyond import analysis, views
from dpdlab.widgets import View


@pytest.fixture()
def toy_incidents():
    return pd.DataFrame({
        "incident_id": ["aa-2010-one", "bb-2012-two", "cc-2012-three", "dd-2015-four"],
        "date": pd.to_datetime(["2010-11-28", "2011-03-19", "2012-05-01", "2015-01-23"]),
        "country": ["A", "B", "C", "D"],
        "region": ["elsewhere", "Latin America", "Latin America", "Latin America"],
        "kind": ["leak", "leak_response", "account_hijack", "account_hijack"],
        "target": ["t"] * 4, "what_happened": ["w"] * 4, "response": ["r"] * 4,
        "confidence": ["verified", "verified", "partly", "verified"], "source": ["s"] * 4,
    })


def test_incidents_by_kind_counts_and_filters_by_region(toy_incidents):
    assert analysis.incidents_by_kind(toy_incidents) == {"account_hijack": 2, "leak": 1, "leak_response": 1}
    assert analysis.incidents_by_kind(toy_incidents, "Latin America") == {"account_hijack": 2, "leak_response": 1}
    assert all(type(v) is int for v in analysis.incidents_by_kind(toy_incidents).values())
    with pytest.raises(ValueError, match="Unknown region 'Asia'"):
        analysis.incidents_by_kind(toy_incidents, "Asia")


def test_select_incidents_by_years_kind_and_region(toy_incidents):
    ids = lambda frame: frame["incident_id"].tolist()  # noqa: E731
    assert ids(analysis.select_incidents(toy_incidents, 2011, 2015)) == ["bb-2012-two", "cc-2012-three",
                                                                         "dd-2015-four"]
    assert ids(analysis.select_incidents(toy_incidents, 2010, 2015, kind="account_hijack")) == ["cc-2012-three",
                                                                                                "dd-2015-four"]
    assert ids(analysis.select_incidents(toy_incidents, 2010, 2010, region="Latin America")) == []
    with pytest.raises(ValueError, match="first_year"):
        analysis.select_incidents(toy_incidents, 2015, 2010)
    with pytest.raises(ValueError, match="Unknown kind 'hack'"):
        analysis.select_incidents(toy_incidents, 2010, 2015, kind="hack")


def test_days_after(toy_incidents):
    assert analysis.days_after(toy_incidents, "aa-2010-one", ["bb-2012-two", "aa-2010-one"]) == {
        "bb-2012-two": 111, "aa-2010-one": 0}
    with pytest.raises(ValueError, match="No incident with the id 'zz'"):
        analysis.days_after(toy_incidents, "aa-2010-one", ["zz"])



def test_leak_responses_are_the_responses_within_a_year_of_the_first_leak(toy_incidents):
    assert analysis.leak_responses(toy_incidents) == ("aa-2010-one", ["bb-2012-two"])
    assert analysis.leak_responses(toy_incidents, within_days=30) == ("aa-2010-one", [])
    assert analysis.leak_responses(toy_incidents[toy_incidents["kind"] != "leak"]) == (None, [])
    bundled = load_dataset("trust_incidents")
    assert analysis.leak_responses(bundled) == ("us-2010-cablegate",
                                                ["mx-2011-pascual", "ec-2011-hodges", "ec-2011-gallegos"])

def test_security_model_with_no_measures_and_with_all():
    none = analysis.security_outcome([])
    assert not any(none["closed"].values())
    assert none["false_post"] == 8 + 3 and none["account_held"] == 8 + 24
    every = analysis.security_outcome(analysis.MEASURES)
    assert all(every["closed"].values())
    assert every["false_post"] == pytest.approx(0.75) and every["account_held"] == pytest.approx(2.5)
    with pytest.raises(ValueError, match="Unknown measure 'firewall'"):
        analysis.security_outcome(["firewall"])


def test_each_way_in_is_closed_by_its_measures_only():
    assert analysis.security_outcome(["credential_vault"])["closed"] == {
        "phishing": False, "reused_password": True, "former_staff": True, "connected_app": False}
    assert analysis.security_outcome(["security_keys"])["closed"]["phishing"]
    assert analysis.security_outcome(["monitoring"])["false_post"] == pytest.approx(3.5)


def test_exactly_one_set_of_three_measures_meets_the_exercise_goals():
    from itertools import combinations

    winners = [set(c) for c in combinations(analysis.MEASURES, 3) if analysis.meets_goals(c)]
    assert winners == [{"security_keys", "monitoring", "disown_protocol"}]
    assert not analysis.meets_goals(["monitoring", "disown_protocol"])  # phishing stays open
    assert analysis.meets_goals(["monitoring", "disown_protocol"], must_close=())


# --- the bundled tables ---------------------------------------------------------------------------------------

def test_the_bundled_incidents_hold_the_sourced_cases():
    incidents = load_dataset("trust_incidents")
    assert analysis.incidents_by_kind(incidents, "Latin America") == {"account_hijack": 5, "leak_response": 7,
                                                                      "slip_up": 3}
    cablegate = incidents.set_index("incident_id").loc["us-2010-cablegate"]
    assert "251,287 cables from 274 posts" in cablegate["what_happened"]
    assert analysis.days_after(incidents, "us-2010-cablegate", ["mx-2011-pascual", "ec-2011-hodges",
                                                                "ec-2011-gallegos"]) == {
        "mx-2011-pascual": 111, "ec-2011-hodges": 128, "ec-2011-gallegos": 130}
    assert set(incidents.loc[incidents["confidence"] == "partly", "incident_id"]) == {"il-2013-linkedin",
                                                                                      "ar-2019-us-embassy"}


def test_the_bundled_meetings_say_which_were_first_virtual():
    meetings = load_dataset("pandemic_meetings")
    first = meetings.loc[meetings["first_virtual"].fillna(False).astype(bool), "body"]
    assert sorted(first) == ["Mercosur", "OAS"]
    assert meetings.set_index("meeting_id").loc["celac-2021-mexico", "format"] == "in person"
    assert (meetings["end_date"] >= meetings["start_date"]).all()


# --- views and widgets ----------------------------------------------------------------------------------------

def test_incidents_chart_describes_the_table():
    spec = views.incidents_chart(load_dataset("trust_incidents")).to_dict()
    assert spec["title"]["text"] == "Incidents that tested trust in diplomatic channels, 2010–2022"
    assert "19 documented incidents" in spec["description"] and "15 concern Latin America" in spec["description"]
    assert "not a count of all incidents" in spec["title"]["subtitle"]
    own = load_dataset("trust_incidents").copy()
    own.attrs.update(path="mine.csv", source="my ministry's log", simulated=False)
    assert views.incidents_chart(own).to_dict()["title"]["subtitle"] == "Data: my ministry's log"
    meetings = load_dataset("pandemic_meetings").copy()
    assert "course's table" in views.meetings_chart(meetings).to_dict()["title"]["subtitle"]
    meetings.attrs.update(path="mine.csv", source="my summit list", simulated=False)
    assert views.meetings_chart(meetings).to_dict()["title"]["subtitle"] == "Data: my summit list"


def test_incident_view_figures_and_the_empty_selection(toy_incidents):
    view = views.incident_view(toy_incidents, (2011, 2015), kind="account_hijack", region="Latin America")
    assert view.extra == {"n": 2, "partly": 1, "ids": ["cc-2012-three", "dd-2015-four"]}
    assert "**2** incident(s) from 2011 to 2015" in view.note
    assert view.figures["kind"].tolist() == ["account hijacked", "account hijacked"]
    with pytest.raises(ValueError, match="widen the years"):
        views.incident_view(toy_incidents, (2010, 2010), kind="slip_up")


def test_security_view_says_it_is_a_model():
    view = views.security_view(security_keys=True, monitoring=True, disown_protocol=True, credential_vault=False)
    spec = view.chart.to_dict()
    assert "MODEL" in spec["title"]["subtitle"] and "assumptions" in spec["title"]["subtitle"]
    assert view.extra["false_post"] == pytest.approx(0.75)
    assert "**2 of 4** ways in are closed" in view.note
    assert view.figures.iloc[0].tolist() == ["a password stolen on a fake login page (phishing)", "closed"]


def test_meetings_chart_counts_the_formats():
    spec = views.meetings_chart(load_dataset("pandemic_meetings")).to_dict()
    assert "6 by videoconference, 1 with pre-recorded statements and 1 in person" in spec["description"]
    assert "2 were the first virtual meeting" in spec["description"]


def test_widgets_call_their_view_functions_with_the_controls(monkeypatch, toy_incidents):
    seen = []
    monkeypatch.setattr(views, "incident_view", lambda incidents, **k: seen.append(k) or View())
    box = views.incident_explorer(toy_incidents)
    years, kind, region = box.children[0].children
    assert seen[-1] == {"years": (2010, 2015), "kind": "all", "region": "all"}
    assert years.description and kind.description and region.description
    kind.value = "leak"
    assert seen[-1]["kind"] == "leak"

    calls = []
    monkeypatch.setattr(views, "security_view", lambda **k: calls.append(k) or View())
    box = views.security_explorer()
    boxes = [c for row in box.children[:-1] for c in row.children]
    assert all(isinstance(b, w.Checkbox) and b.description for b in boxes) and len(boxes) == 6
    assert calls[-1] == dict.fromkeys(analysis.MEASURES, False)
    boxes[0].value = True
    assert calls[-1]["security_keys"] is True


def test_every_export_of_the_package_resolves():
    import dpdlab.beyond as package

    assert package.__all__
    for name in package.__all__:
        assert getattr(package, name) is not None and name in dir(package)
