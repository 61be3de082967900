"""Module 06 (strategy and the digital divide): reach, internet table, clearance, campaign metrics, model and
views, on inputs whose right answers are known."""
from __future__ import annotations

import pandas as pd
import pytest

from dpdlab import load_dataset
from dpdlab.strategy import analysis, model, views
from dpdlab.widgets import View


@pytest.fixture()
def toy_internet():
    s = analysis.SNAPSHOT
    return pd.DataFrame({
        "country": ["A", "A", "B", "B", "C", analysis.REGION, analysis.REGION, "World", "A"],
        "year": [2010, 2017, 2010, 2018, 2017, 2010, 2017, 2017, 2021],
        "internet_users_pct": [10.0, 40.0, 20.0, 70.0, 60.0, 15.0, 50.0, 45.0, 90.0],
        "series": [s, s, s, s, s, s, s, s, "ITU estimate"],
    })


def test_reach_funnel_multiplies_the_shares():
    funnel = analysis.reach_funnel(1000, 50, 0.5, 0.1)
    assert funnel["stage"].tolist() == list(analysis.FUNNEL_STAGES)
    assert funnel["people"].tolist() == pytest.approx([1000, 500, 250, 25])
    assert analysis.reachable(200_000, 32.1, 0.6, 0.05) == pytest.approx(1926)


@pytest.mark.parametrize("args, message", [((-1, 50, 0.5, 0.5), "audience"), ((100, 150, 0.5, 0.5), "percentage"),
                                           ((100, 50, 60, 0.5), "platform_share"), ((100, 50, 0.5, -0.1), "see_share")])
def test_reach_rejects_bad_input_with_the_name_of_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        analysis.reachable(*args)


def test_latest_share_and_below_region(toy_internet):
    assert analysis.latest_share(toy_internet, "A") == (2017, 40.0)  # the other series does not count
    assert analysis.latest_share(toy_internet, "B") == (2018, 70.0)
    assert analysis.latest_share(toy_internet, "A", series="ITU estimate") == (2021, 90.0)
    assert analysis.below_region(toy_internet, 2017) == ["A"]  # World is an aggregate, not a country
    assert analysis.below_region(toy_internet, 2010) == ["A"]
    with pytest.raises(ValueError, match="No .* values for 2015"):
        analysis.below_region(toy_internet, 2015)
    with pytest.raises(ValueError, match="known: A, B, C"):
        analysis.latest_share(toy_internet, "Z")


def test_the_bundled_internet_table_holds_the_snapshot_values():
    internet = load_dataset("internet_use_share")
    assert analysis.latest_share(internet, "Peru") == (2019, 60.0)
    assert analysis.latest_share(internet, "Ecuador") == (2016, 54.1)
    assert analysis.latest_share(internet, "Honduras") == (2017, 32.1)
    assert analysis.below_region(internet, 2017) == ["Bolivia", "Colombia", "Cuba", "Honduras", "Peru"]
    cross = internet[internet["series"] != analysis.SNAPSHOT]
    assert len(cross) == 2 and set(cross["source"]) == {"cepal-jornada-2015", "eucyberdirect-peru"}


def test_attention_caught():
    assert analysis.attention_caught(0, 5, 10) == 1.0
    assert analysis.attention_caught(2, 5, 10) == 0.5
    assert analysis.attention_caught(4, 3, 9) == pytest.approx(0.5 ** (12 / 9))
    with pytest.raises(ValueError, match="half_life_hours must be positive"):
        analysis.attention_caught(1, 1, 0)
    with pytest.raises(ValueError, match="steps must be 0 or more"):
        analysis.attention_caught(-1, 1, 5)


def test_channel_metrics_on_a_toy_campaign():
    campaign = pd.DataFrame({"channel": ["X", "X", "Y"], "posts": [2, 3, 5], "impressions": [1000, 1000, 4000],
                             "engagements": [10, 30, 400], "link_clicks": [20, 20, 4], "applications": [2, 2, 1]})
    metrics = analysis.channel_metrics(campaign).set_index("channel")
    assert metrics.loc["X", ["posts", "impressions", "applications"]].tolist() == [5, 2000, 4]
    assert metrics.loc["X", "engagement_rate"] == pytest.approx(0.02)
    assert metrics.loc["Y", "engagement_rate"] == pytest.approx(0.1)
    assert metrics.loc["X", "applications_per_1000"] == pytest.approx(2.0)
    assert metrics.loc["Y", "applications_per_post"] == pytest.approx(0.2)
    with pytest.raises(ValueError, match="link_clicks"):
        analysis.channel_metrics(campaign.drop(columns="link_clicks"))


def test_campaign_model_separates_engagement_from_outcomes():
    campaign = load_dataset("campaign_funnel_simulated")
    assert campaign["applications"].tolist() == model.generate_campaign()["applications"].tolist()
    for seed in (model.SEED, 1, 2):
        metrics = analysis.channel_metrics(model.generate_campaign(seed)).set_index("channel")
        assert metrics["engagement_rate"].idxmax() == "Instagram"
        assert metrics["applications_per_1000"].idxmax() != "Instagram"
    viral = campaign[(campaign["week"] == 5) & (campaign["channel"] == "Instagram")]
    others = campaign[(campaign["week"] != 5) & (campaign["channel"] == "Instagram")]
    assert viral["impressions"].item() > 3 * others["impressions"].median()


def test_measures_table_leaves_unknown_years_empty():
    measures = load_dataset("digital_policy_measures").set_index("measure_id")
    assert pd.isna(measures.loc["pe-mre-digital-strategy", "year"])
    assert measures.loc["cl-acade-diplomacia-30", "year"] == 2019


# --- views ---------------------------------------------------------------------------------------------------

def test_reach_view_on_the_toy_table(toy_internet):
    view = views.reach_view(toy_internet, "A", audience=1000, platform_share=0.5, see_share=0.1)
    assert view.extra == pytest.approx({"year": 2017, "pct": 40.0, "online": 400, "platform": 200, "seen": 20,
                                        "offline": 600})
    assert "2017" in view.chart.to_dict()["title"]["subtitle"] and "**600**" in view.note


def test_clearance_view():
    view = views.clearance_view(steps=2, hours_per_step=5, half_life_hours=10)
    assert view.extra == {"delay": 10, "share": 0.5}
    assert "50%" in view.note


def test_internet_chart_names_the_extremes():
    spec = views.internet_chart(load_dataset("internet_use_share")).to_dict()
    assert "lowest latest value is Honduras (32.1%)" in spec["description"]
    assert "highest Chile (82.3%)" in spec["description"]
    assert "snapshot" in spec["title"]["subtitle"]


def test_widgets_call_their_view_functions(monkeypatch, toy_internet):
    seen = []
    monkeypatch.setattr(views, "reach_view", lambda internet, **k: seen.append(k) or View())
    box = views.reach_explorer(toy_internet, country="B")
    assert list(box.children[0].children[0].options) == ["A", "B", "C"]  # aggregates are not offered
    assert seen[-1] == {"country": "B", "audience": 100_000, "platform_share": 0.6, "see_share": 0.1,
                        "series": analysis.SNAPSHOT}
    calls = []
    monkeypatch.setattr(views, "clearance_view", lambda **k: calls.append(k) or View())
    box = views.clearance_explorer()
    box.children[0].children[0].value = 5
    assert calls[-1] == {"steps": 5, "hours_per_step": 4.0, "half_life_hours": 10.0}


def test_channel_metrics_keep_the_simulated_label():
    metrics = analysis.channel_metrics(load_dataset("campaign_funnel_simulated"))
    assert metrics["simulated"].all()


# --- any internet-use table of the same shape (a user's own file) ----------------------------------------------

def own_internet(region_row: bool = True) -> pd.DataFrame:
    """The bring-your-own TEST FIXTURE (tests/fixtures/byod/internet_users.csv), optionally without its
    region-average row."""
    import warnings
    from pathlib import Path

    from dpdlab import data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        frame = load_dataset("internet_use_share", Path(__file__).parent / "fixtures" / "byod" / "internet_users.csv")
    return frame if region_row else frame[frame["country"] != "Fixture region average"]


def test_series_places_and_aggregates_come_from_the_table():
    internet = own_internet()
    assert analysis.default_series(internet) == "TEST FIXTURE structural series"
    assert analysis.aggregates_in(internet) == ["Fixture region average"]
    assert analysis.places_in(internet) == [f"Fixtureland {i:02d}" for i in range(1, 31)]
    bundled = load_dataset("internet_use_share")
    assert analysis.default_series(bundled) == analysis.SNAPSHOT
    assert analysis.aggregates_in(bundled) == sorted(analysis.AGGREGATES)
    assert "World" not in analysis.places_in(bundled, series="CEPAL estimate")
    with pytest.raises(ValueError, match="holds: TEST FIXTURE structural series"):
        analysis.places_in(internet, series=analysis.SNAPSHOT)


def test_benchmark_is_the_region_row_or_else_the_average_of_the_places():
    with_row, without = own_internet(), own_internet(region_row=False)
    name, value = analysis.benchmark(with_row, 2010)
    expected = with_row[(with_row["year"] == 2010) & (with_row["country"] == "Fixture region average")]
    assert name == "Fixture region average" and value == pytest.approx(expected["internet_users_pct"].item())
    name, value = analysis.benchmark(without, 2010)
    places = without[without["year"] == 2010]["internet_users_pct"]
    assert name == "average of the 30 places" and value == pytest.approx(places.mean())
    below = analysis.below_region(without, 2010, region=None, series=None)
    assert below == sorted(without[(without["year"] == 2010) & (without["internet_users_pct"] < places.mean())]
                           ["country"])
    assert 0 < len(below) < 30
    with pytest.raises(ValueError, match="'Nowhere'"):
        analysis.benchmark(without, 2010, region="Nowhere")


@pytest.mark.parametrize("region_row", [True, False])
def test_internet_chart_on_another_series_without_a_region_row(region_row):
    internet = own_internet(region_row)
    spec = views.internet_chart(internet).to_dict()
    latest = internet[internet["year"] == 2024].set_index("country")["internet_users_pct"].drop(
        "Fixture region average", errors="ignore")
    assert f"lowest latest value is {latest.idxmin()} ({latest.min():.1f}%)" in spec["description"]
    assert "TEST FIXTURE structural series" in spec["title"]["subtitle"]
    assert "fixture-internet" in spec["title"]["subtitle"] and "Our World in Data" not in spec["title"]["subtitle"]
    assert "2010" in spec["title"]["text"] and f"30 countries and {int(region_row)} aggregates" in spec["description"]


def test_internet_chart_on_a_bundled_cross_check_series_no_longer_crashes():
    bundled = load_dataset("internet_use_share")
    for series in sorted(set(bundled["series"]) - {analysis.SNAPSHOT}):
        spec = views.internet_chart(bundled, series=series).to_dict()
        rows = bundled[bundled["series"] == series]
        first = 2010 if (rows["year"] == 2010).any() else rows["year"].min()
        assert str(first) in spec["title"]["text"] and series in spec["title"]["subtitle"]


def test_reach_view_and_explorer_on_a_users_table(monkeypatch):
    internet = own_internet(region_row=False)
    view = views.reach_view(internet, "Fixtureland 03", audience=1000, platform_share=0.5, see_share=0.1)
    year, pct = analysis.latest_share(internet, "Fixtureland 03", series=None)
    assert view.extra["year"] == year == 2024 and view.extra["online"] == pytest.approx(10 * pct)
    subtitle = view.chart.to_dict()["title"]["subtitle"]
    assert "fixture-internet" in subtitle and "snapshot" not in subtitle
    seen = []
    monkeypatch.setattr(views, "reach_view", lambda internet, **k: seen.append(k) or View())
    box = views.reach_explorer(internet)
    assert list(box.children[0].children[0].options) == analysis.places_in(internet)
    assert seen[-1]["country"] == "Fixtureland 01" and seen[-1]["series"] == "TEST FIXTURE structural series"
    views.reach_explorer(own_internet())  # the region row is not offered as a country
    assert "Fixture region average" not in box.children[0].children[0].options
    with pytest.raises(ValueError, match="'Peru' has no value"):
        views.reach_explorer(internet, country="Peru")

