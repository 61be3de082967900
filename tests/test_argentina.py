"""The Argentina case: model, view functions and widgets, on inputs whose right answers are known."""
from __future__ import annotations

import math

import ipywidgets as w
import numpy as np
import pandas as pd
import pytest

from dpdlab import load_dataset, setup
from dpdlab.argentina import model, views
from dpdlab.svg import WIDGET_VIEW
from dpdlab.widgets import View, chart_in, linked


# --- model ---------------------------------------------------------------------------------------------

def test_launch_curve_known_values():
    curve = model.launch_curve(np.array([0, 1, 1000]), surge=100, surge_days=1, slow_gain=50, slow_days=2)
    assert curve[0] == pytest.approx(100 * (1 - math.exp(-1)) + 50 * (1 - math.exp(-0.5)))
    assert curve[1] == pytest.approx(100 * (1 - math.exp(-2)) + 50 * (1 - math.exp(-1)))
    assert curve[2] == pytest.approx(150)


def test_calibrated_surge_hits_its_target():
    surge = model.calibrated_surge(1_000, at_day=3, surge_days=2, slow_gain=400, slow_days=50)
    assert model.launch_curve(np.array([3]), surge, 2, 400, 50)[0] == pytest.approx(1_000)


def test_generated_series_passes_exactly_through_the_published_figures():
    audience = model.generate_audience()
    for figure in model.CALIBRATION.values():
        row = audience[(audience["account"] == figure["account"]) & (audience["date"] == pd.Timestamp(figure["date"]))]
        assert row["followers"].item() == figure["followers"]


def test_generated_series_is_seeded():
    first, again, other = model.generate_audience(), model.generate_audience(), model.generate_audience(seed=1)
    pd.testing.assert_frame_equal(first, again)
    assert not first["followers"].equals(other["followers"])


def test_official_status_follows_the_handover():
    audience = model.generate_audience()
    old = audience[audience["account"] == "@CasaRosadaAR"]
    assert old.loc[old["official"], "date"].max() == pd.Timestamp("2015-12-09")
    new = audience[audience["account"] == "@CasaRosada"]
    assert new["date"].min() == pd.Timestamp(model.ASSUMPTIONS["new_account_opened"]) and new["official"].all()
    assert not audience.loc[audience["account"] == "@CFKArgentina", "official"].any()


def test_bundled_file_is_what_the_model_generates():
    bundled = load_dataset("argentina_audience_simulated")
    generated = model.generate_audience()
    assert bundled["followers"].astype("int64").tolist() == generated["followers"].tolist()


def test_simulate_handover_policies():
    transfer = model.simulate_handover("transfer", horizon_days=30, old_audience=1_000, unfollow_share=0.1)
    assert transfer["followers"].iloc[0] == 900
    assert transfer["share_kept"].iloc[0] == pytest.approx(0.9)
    assert transfer["followers"].is_monotonic_increasing
    mirror = model.simulate_handover("archive_and_mirror", horizon_days=30, old_audience=1_000, unfollow_share=0.1)
    pd.testing.assert_frame_equal(transfer, mirror)  # same audience; they differ in the record
    afresh = model.simulate_handover("start_afresh", horizon_days=30, old_audience=1_000, opening_delay_days=5)
    assert (afresh["followers"].iloc[:5] == 0).all() and afresh["followers"].iloc[5] > 0
    assert afresh["share_kept"].iloc[-1] < transfer["share_kept"].iloc[-1]


def test_start_afresh_scales_with_the_old_audience():
    small = model.simulate_handover("start_afresh", 60, old_audience=100_000)
    large = model.simulate_handover("start_afresh", 60, old_audience=1_000_000)
    assert small["share_kept"].to_numpy() == pytest.approx(large["share_kept"].to_numpy())


def test_start_afresh_reproduces_the_2015_calibration():
    # Opened 12 days after the handover, two days later it has the reported 114,000 (expected value).
    afresh = model.simulate_handover("start_afresh", 30, old_audience=310_000, opening_delay_days=12)
    assert afresh.loc[afresh["day"] == 14, "followers"].item() == pytest.approx(114_000, abs=1)


@pytest.mark.parametrize("kwargs, message", [
    ({"policy": "delete"}, "Unknown policy"),
    ({"policy": "transfer", "unfollow_share": 5}, "between 0 and 1"),
    ({"policy": "transfer", "horizon_days": -1}, "horizon_days"),
])
def test_simulate_handover_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        model.simulate_handover(**kwargs)


# --- views ---------------------------------------------------------------------------------------------

@pytest.fixture()
def toy_audience():
    return pd.DataFrame({
        "date": pd.to_datetime(["2015-12-08", "2015-12-09", "2015-12-10", "2015-12-11", "2015-12-10"]),
        "account": ["@a", "@a", "@a", "@a", "@b"],
        "followers": [100, 110, 105, 95, 7],
        "official": [True, True, False, False, True],
    })


def test_explore_audience_figures_on_a_toy_table(toy_audience):
    view = views.explore_audience(toy_audience, "@a", "2015-12-09", "2015-12-11")
    assert view.extra == {"first": 110, "last": 95, "change": -15, "change_pct": -13.6, "official_days": 1}
    assert view.figures["value"].tolist() == ["110", "95", "-15", "-13.6", "1"]
    assert view.figures.index.name == "figure"  # the figure names label the rows, not 0, 1, 2…
    spec = view.chart.to_dict()
    assert "SIMULATED" in spec["title"]["subtitle"] and "from 110 to 95" in spec["description"]


def test_explore_audience_accepts_reversed_dates_and_rejects_empty_windows(toy_audience):
    forward = views.explore_audience(toy_audience, "@a", "2015-12-08", "2015-12-10").extra
    assert views.explore_audience(toy_audience, "@a", "2015-12-10", "2015-12-08").extra == forward
    with pytest.raises(ValueError, match="no simulated data"):
        views.explore_audience(toy_audience, "@b", "2016-01-01", "2016-01-31")


def test_handover_what_if_matches_the_model():
    view = views.handover_what_if("start_afresh", horizon_days=60, unfollow_share=0.1)
    expected = model.simulate_handover("start_afresh", 60, 310_000, 0.1)["share_kept"].iloc[-1]
    assert view.extra["share_kept"] == pytest.approx(expected)
    assert len(view.figures) == 3 and "Start afresh" in view.note
    assert view.chart.to_dict()["description"]


def test_policy_comparison_orders_the_policies():
    table = views.policy_comparison(90, 0.05).set_index("policy")
    kept = table["share kept"]
    assert kept["Transfer the account"] == kept["Archive and mirror"] > kept["Start afresh"]


def test_charts_have_titles_and_descriptions():
    audience = load_dataset("argentina_audience_simulated")
    events = load_dataset("argentina_handover_events")
    for chart in (views.audience_chart(audience), views.timeline_chart(events),
                  views.timeline_chart(events, "2015-12-01", "2015-12-31")):
        spec = chart.to_dict()
        assert spec.get("title") and spec.get("description")
    assert "SIMULATED" in views.audience_chart(audience).to_dict()["title"]["subtitle"]


def test_audience_chart_draws_the_official_accounts_of_any_series():
    audience = load_dataset("argentina_audience_simulated")
    assert views.institutional_accounts(audience) == ["@CasaRosadaAR", "@CasaRosada"]
    real = pd.DataFrame({"date": pd.to_datetime(["2020-03-01", "2020-03-02", "2020-03-01", "2020-03-02"]),
                         "account": ["@MinistryX", "@MinistryX", "@MinisterX", "@MinisterX"],
                         "followers": [100, 120, 50, 55], "official": [True, True, False, False]})
    real.attrs.update(simulated=False, source="a ministry's export")
    spec = views.audience_chart(real).to_dict()
    assert "SIMULATED" not in str(spec["title"]) and "a ministry's export" in spec["title"]["subtitle"]
    assert "@MinistryX" in spec["description"] and "@MinisterX" not in spec["description"]
    assert "simulated" not in str(spec).lower()
    assert "@MinisterX" in views.audience_chart(real, ["@MinisterX"]).to_dict()["description"]
    with pytest.raises(ValueError, match="No rows"):
        views.audience_chart(real, ["@Nobody"])


def test_leader_accounts_sorts_every_country_into_one_case():
    leaders = pd.DataFrame({"country": ["A", "B", "C", "D"], "leader": ["a", "b", "c", "d"],
                            "office": ["President"] * 4, "twitter_personal": ["x", "y", None, None],
                            "twitter_institutional": ["X", None, "Z", None],
                            "facebook_personal": [None] * 4, "facebook_institutional": [None] * 4})
    cases = views.leader_accounts(leaders, "twitter")["accounts"].tolist()
    assert cases == ["personal and institutional", "personal only", "institutional only", "none recorded"]
    assert set(views.leader_accounts(leaders, "facebook")["accounts"]) == {"none recorded"}


def test_leader_accounts_chart_names_the_real_source():
    leaders = load_dataset("latam_leader_accounts_2014")
    spec = views.leader_accounts_chart(leaders).to_dict()
    assert "barbera-zeitzoff-2018" in spec["title"]["subtitle"] and "SIMULATED" not in str(spec["title"])
    assert "20 countries" in spec["description"]


# --- widgets -------------------------------------------------------------------------------------------

def test_linked_draws_once_then_on_every_change():
    calls = []
    slider = w.IntSlider(value=1, min=0, max=10)
    box = linked(lambda n: calls.append(n) or View(note=f"n is {n}"), {"n": slider})
    output = box.children[-1]
    assert calls == [1] and isinstance(output, w.Output)
    assert output.outputs[0]["data"]["text/markdown"] == "n is 1"
    slider.value = 7
    assert calls == [1, 7]
    # replaced, not appended; the area ends with the hidden widget that names the controls in the browser
    *shown, names = output.outputs
    assert [o["data"]["text/markdown"] for o in shown] == ["n is 7"]
    assert names["data"]["text/plain"] == "" and WIDGET_VIEW in names["data"]


def test_linked_view_with_chart_and_table_fills_the_output_area(toy_audience):
    setup()
    box = linked(lambda account: views.explore_audience(toy_audience, account, "2015-12-08", "2015-12-11"),
                 {"account": w.Dropdown(options=["@a"], value="@a")})
    kinds = [set(o["data"]) for o in box.children[-1].outputs]
    assert chart_in(box.children[-1].outputs[0]) is not None and "text/html" in kinds[1]


def test_linked_survives_a_failing_view():
    slider = w.IntSlider(value=1)
    box = linked(lambda n: 1 / n, {"n": slider})
    slider.value = 0  # does not raise: the output area says what went wrong
    assert "division by zero" in box.children[-1].outputs[0]["text"]
    slider.value = 2
    assert box.children[-1].outputs[0]["data"]["text/plain"] == "0.5"


def test_explorer_widget_calls_the_view_with_the_controls_values(monkeypatch, toy_audience):
    seen = []
    real = views.explore_audience
    monkeypatch.setattr(views, "explore_audience", lambda *a: seen.append(a) or real(*a))
    box = views.explorer(toy_audience, account="@a")
    dropdown, dates = box.children[0].children
    assert dropdown.description and dates.description  # labelled controls
    assert seen[-1][1:] == ("@a", pd.Timestamp("2015-12-08"), pd.Timestamp("2015-12-11"))
    dates.index = (1, 2)
    assert seen[-1][1:] == ("@a", pd.Timestamp("2015-12-09"), pd.Timestamp("2015-12-10"))


def test_what_if_widget_controls(monkeypatch):
    seen = []
    monkeypatch.setattr(views, "handover_what_if", lambda **k: seen.append(k) or View())
    box = views.what_if(policy="transfer")
    policy, horizon, unfollow = (row.children[0] for row in box.children[:3])
    assert seen[-1] == {"policy": "transfer", "horizon_days": 90, "unfollow_share": 0.05}
    horizon.value = 200
    policy.value = "start_afresh"
    assert seen[-1] == {"policy": "start_afresh", "horizon_days": 200, "unfollow_share": 0.05}
