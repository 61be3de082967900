"""The Ni Una Menos case: diffusion model, network, views and widgets, on inputs whose right answers are known."""
from __future__ import annotations

import math
from pathlib import Path

import ipywidgets as w
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from dpdlab import load_dataset, setup
from dpdlab.niunamenos import analysis, model, views
from dpdlab.widgets import View, chart_in

# --- the Bass model ------------------------------------------------------------------------------------

def test_bass_cumulative_known_values():
    p, q, m = 0.03, 0.38, 1_000
    assert model.bass_cumulative(0, p, q, m) == pytest.approx(0)
    # F(1) by hand: (1 - e^-0.41) / (1 + (0.38/0.03) e^-0.41)
    e = math.exp(-0.41)
    assert model.bass_cumulative(1, p, q, m) == pytest.approx(m * (1 - e) / (1 + q / p * e))
    assert model.bass_cumulative(500, p, q, m) == pytest.approx(m)
    # with q = 0 the Bass curve is pure innovation: m (1 - e^-pt)
    assert model.bass_cumulative(10, p, 0.0, m) == pytest.approx(m * (1 - math.exp(-0.3)))


def test_bass_new_sums_to_the_cumulative_curve():
    days = np.arange(0, 40)
    new = model.bass_new(days, 0.01, 0.5, 5_000)
    assert new.sum() == pytest.approx(model.bass_cumulative(40, 0.01, 0.5, 5_000))
    assert (new >= 0).all()


def test_peak_time_formula_and_its_inverse():
    assert model.bass_peak_time(0.03, 0.38) == pytest.approx(math.log(0.38 / 0.03) / 0.41)
    assert model.bass_peak_time(0.5, 0.1) == 0.0  # q <= p: adoptions fall from the start
    assert model.bass_peak_time(0.01, 0.0) == 0.0  # the slider allows q = 0
    for q, peak in [(0.3, 23.5), (0.5, 11.5), (0.9, 3.0)]:
        assert model.bass_peak_time(model.p_for_peak(q, peak), q) == pytest.approx(peak, abs=1e-9)
    with pytest.raises(ValueError, match="positive"):
        model.p_for_peak(0.0, 10)
    with pytest.raises(ValueError, match="p > 0"):
        model.bass_peak_time(0.0, 0.3)


def test_fit_recovers_known_parameters_without_noise():
    t = np.arange(1, 61)
    p, q, m = 0.004, 0.45, 80_000
    fit = model.fit_bass(t, model.bass_cumulative(t, p, q, m))
    assert fit["p"] == pytest.approx(p, rel=1e-4)
    assert fit["q"] == pytest.approx(q, rel=1e-4)
    assert fit["m"] == pytest.approx(m, rel=1e-4)
    assert fit["rmse"] < 1


def test_fit_recovers_known_parameters_from_seeded_noisy_counts_within_five_percent():
    rng = np.random.default_rng(7)
    days = np.arange(0, 60)
    p, q, m = 0.002, 0.5, 50_000
    adopters = np.cumsum(rng.poisson(model.bass_new(days, p, q, m)))
    fit = model.fit_bass(days + 1, adopters)
    assert fit["p"] == pytest.approx(p, rel=0.05)
    assert fit["q"] == pytest.approx(q, rel=0.05)
    assert fit["m"] == pytest.approx(m, rel=0.05)


def _early_shares():
    """Internet users (% of population) of one country of the TEST FIXTURE tests/fixtures/byod/internet_users.csv
    (not data), 1990-2008: still accelerating, as a real series is early on."""
    table = pd.read_csv(Path(__file__).parent / "fixtures" / "byod" / "internet_users.csv")
    rows = table[(table["country"] == "Fixtureland 07") & (table["year"] <= 2008)].sort_values("year")
    return (rows["year"] - 1989).to_numpy(), rows["internet_users_pct"].to_numpy()


def test_shares_are_fitted_with_a_market_size_of_at_most_everyone():
    years, shares = _early_shares()
    assert model.data_scale(shares) == "percent" and model.data_scale(shares / 100) == "fraction"
    assert model.data_scale(np.array([3, 10, 40, 70])) == "counts"
    unbounded = model.fit_bass(years, shares, scale="counts")  # read as counts: m may reach 20 times the last value
    assert unbounded["m"] > 100  # an impossible share of the population
    fit = model.fit_bass(years, shares)
    assert fit["scale"] == "percent" and fit["m_bound"] == 100 and fit["m"] <= 100
    assert fit["at_bound"] and "everyone" in model.bass_checks(fit)[0]
    as_fraction = model.fit_bass(years, shares / 100)
    assert as_fraction["m"] <= 1 and as_fraction["at_bound"]
    with pytest.raises(ValueError, match="above the ceiling"):
        model.fit_bass(years, shares, ceiling=10)
    with pytest.raises(ValueError, match="scale must be one of"):
        model.fit_bass(years, shares, scale="people")


def test_counts_that_settle_are_not_at_a_bound_and_a_ceiling_binds_counts():
    t = np.arange(1, 61)
    settled = model.fit_bass(t, model.bass_cumulative(t, 0.004, 0.45, 80_000))
    assert not settled["at_bound"] and model.bass_checks(settled) == []
    early = model.bass_cumulative(np.arange(1, 12), 0.004, 0.45, 80_000)
    capped = model.fit_bass(np.arange(1, 12), early, ceiling=1.2 * early[-1])  # below the true m
    assert capped["m_bound"] == pytest.approx(1.2 * early[-1]) and capped["at_bound"]
    assert "20 times the last value, or the ceiling given" in model.bass_checks(capped)[0]


@pytest.mark.parametrize("t, y, message", [
    ([1, 2, 3], [1, 2, 3], "at least 4"),
    ([1, 2, 3, 4], [1, 2, 3], "same length"),
    ([1, 2, 3, 4], [5, 3, 2, 1], "running total"),
    ([1, 2, 3, 4], [0, 0, 0, 0], "all zero"),
])
def test_fit_rejects_bad_input(t, y, message):
    with pytest.raises(ValueError, match=message):
        model.fit_bass(t, y)


def test_fit_quality_is_perfect_on_the_curve_itself():
    t = np.arange(1, 30)
    quality = model.fit_quality(t, model.bass_cumulative(t, 0.01, 0.4, 1_000), 0.01, 0.4, 1_000)
    assert quality["rmse"] == pytest.approx(0, abs=1e-9) and quality["r2"] == pytest.approx(1)


# --- the simulation ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hashtags():
    return model.generate_hashtags()


@pytest.fixture(scope="module")
def events():
    return load_dataset("niunamenos_events")


def test_generator_is_seeded(hashtags):
    pd.testing.assert_frame_equal(hashtags, model.generate_hashtags())
    assert not hashtags["posts"].equals(model.generate_hashtags(seed=1)["posts"])


def test_bundled_file_is_what_the_model_generates(hashtags):
    bundled = load_dataset("niunamenos_hashtag_simulated")
    assert bundled["posts"].astype("int64").tolist() == hashtags["posts"].tolist()
    assert bundled["simulated"].all()


def test_every_march_of_the_events_table_has_a_wave(events):
    marches = events[events["kind"].isin(["march", "strike"])]
    waves = {w.event_id: (w.country, pd.Timestamp(w.march)) for w in model.WAVES}
    assert set(waves) == set(marches["event_id"])
    for row in marches.itertuples():
        assert waves[row.event_id] == (row.country, row.date)


@pytest.mark.parametrize("wave", model.WAVES, ids=lambda w: w.event_id)
def test_peaks_fall_on_the_march_dates(hashtags, wave):
    rows = hashtags[hashtags["country"] == wave.country].set_index("date")
    march = pd.Timestamp(wave.march)
    window = rows.loc[march - pd.Timedelta(days=10):march + pd.Timedelta(days=10)]
    assert window["new_users"].idxmax() == march
    assert window["posts"].idxmax() == march


def test_expected_activity_peaks_on_march_dates_before_any_noise():
    expected = model.expected_activity()
    for wave in model.WAVES:
        rows = expected[expected["country"] == wave.country].set_index("date")
        march = pd.Timestamp(wave.march)
        assert rows.loc[march - pd.Timedelta(days=10):march + pd.Timedelta(days=10), "new_users"].idxmax() == march


def test_waves_anchored_to_dated_triggers_start_on_them():
    starts = {w.event_id: w.start for w in model.WAVES}
    assert starts["ar-2015-first-march"] == pd.Timestamp("2015-05-11")  # the call on Twitter
    assert starts["pe-2016-a13"] == pd.Timestamp("2016-07-22")  # the suspended sentence
    assert starts["cl-2016-19o"] == pd.Timestamp("2016-10-08")  # the killing that led to the strike


def test_guard_peak_swaps_a_displaced_top():
    values = np.array([1, 5, 9, 4, 1])
    model._guard_peak(values, 1)
    assert values.tolist() == [1, 9, 5, 4, 1]
    values = np.array([1, 9, 5])
    model._guard_peak(values, 1)
    assert values.tolist() == [1, 9, 5]


def test_adoption_curve_starts_with_the_first_account(hashtags):
    curve = model.adoption_curve(hashtags, "Chile", days=30)
    assert len(curve) == 30 and curve["t"].tolist() == list(range(1, 31))
    assert curve["date"].iloc[0] == pd.Timestamp("2016-10-08") and curve["new_users"].iloc[0] > 0
    assert curve["adopters"].tolist() == np.cumsum(curve["new_users"]).tolist()
    with pytest.raises(ValueError, match="No rows for country 'Chle'"):
        model.adoption_curve(hashtags, "Chle")


@pytest.mark.parametrize("wave", [w for w in model.WAVES if w.event_id in
                                  {"ar-2015-first-march", "pe-2016-a13", "cl-2016-19o", "py-2016-19o"}],
                         ids=lambda w: w.country)
def test_fitting_a_first_wave_gives_back_the_models_parameters(hashtags, wave):
    curve = model.adoption_curve(hashtags, wave.country)
    fit = model.fit_bass(curve["t"], curve["adopters"])
    assert fit["p"] == pytest.approx(wave.p, rel=0.1)
    assert fit["q"] == pytest.approx(wave.q, rel=0.05)
    assert fit["m"] == pytest.approx(wave.m, rel=0.05)


# --- who followed whom -----------------------------------------------------------------------------------

def _toy_events(firsts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"event_id": [f"x-{i}" for i in range(len(firsts))], "country": list(firsts),
                         "date": pd.to_datetime(list(firsts.values())), "kind": "march"})


def test_first_marches_ignore_calls_and_repeat_marches():
    toy = pd.DataFrame({"event_id": ["a", "b", "c", "d"], "country": ["A", "A", "B", "A"],
                        "date": pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01", "2015-04-01"]),
                        "kind": ["call", "march", "strike", "march"]})
    first = analysis.first_marches(toy)
    assert first["country"].tolist() == ["A", "B"]
    assert first["event_id"].tolist() == ["b", "c"] and first["days_after_first"].tolist() == [0, 28]


def test_links_follow_the_most_recent_earlier_neighbour_else_the_origin():
    toy = _toy_events({"A": "2015-01-01", "B": "2015-02-01", "C": "2015-03-01", "D": "2015-03-01", "E": "2015-04-01"})
    neighbours = {"A": ("B",), "B": ("A", "C"), "C": ("B",), "D": (), "E": ("A", "C")}
    links = analysis.diffusion_links(toy, neighbours)
    assert set(zip(links["leader"], links["follower"], links["via"])) == {
        ("A", "B", "neighbour"), ("B", "C", "neighbour"), ("A", "D", "origin"), ("C", "E", "neighbour")}
    assert links.set_index("follower").loc["E", "days"] == 31
    every = analysis.diffusion_links(toy, neighbours, rule="all")
    assert set(every.loc[every["follower"] == "E", "leader"]) == {"A", "C"}


def test_links_reject_unknown_rules_and_countries():
    toy = _toy_events({"A": "2015-01-01", "B": "2015-02-01"})
    with pytest.raises(ValueError, match="Unknown rule"):
        analysis.diffusion_links(toy, {"A": (), "B": ()}, rule="nearest")
    with pytest.raises(ValueError, match="'B' is not in the neighbours table"):
        analysis.diffusion_links(toy, {"A": ()})


def test_betweenness_on_a_hand_made_graph():
    # a -> b -> c, b -> d: b lies on the paths a->c and a->d, nobody else lies on any path
    graph = analysis.diffusion_network(pd.DataFrame({"leader": ["a", "b", "b"], "follower": ["b", "c", "d"]}))
    table = analysis.bridges(graph).set_index("country")
    assert table.loc["b", "betweenness"] == 2 and table.loc[["a", "c", "d"], "betweenness"].sum() == 0
    assert table.index[0] == "b"
    assert table.loc["b", "share"] == pytest.approx(2 / (3 * 2))  # directed: (n-1)(n-2) ordered pairs
    assert isinstance(graph, nx.DiGraph) and graph.has_edge("a", "b") and not graph.has_edge("b", "a")


def test_a_star_has_no_bridge_and_a_chain_bridges_in_the_middle():
    star = analysis.bridges(analysis.diffusion_network(pd.DataFrame({"leader": ["o"] * 3, "follower": ["x", "y", "z"]})))
    assert star["betweenness"].max() == 0
    chain = analysis.bridges(analysis.diffusion_network(pd.DataFrame({"leader": ["a", "b", "c"], "follower": ["b", "c", "d"]})))
    assert chain.set_index("country")["betweenness"].to_dict() == {"b": 2.0, "c": 2.0, "a": 0.0, "d": 0.0}


def test_network_needs_leader_and_follower_columns():
    with pytest.raises(ValueError, match="missing: follower"):
        analysis.diffusion_network(pd.DataFrame({"leader": ["a"]}))


def test_on_the_bundled_facts_peru_bridges_under_the_default_rule_and_nobody_under_all(events):
    default = analysis.bridges(analysis.diffusion_network(analysis.diffusion_links(events)))
    assert default["country"].iloc[0] == "Peru" and default["betweenness"].iloc[0] == 3
    every = analysis.bridges(analysis.diffusion_network(analysis.diffusion_links(events, rule="all")))
    assert every["betweenness"].max() == 0


def test_first_responses_take_the_earliest_of_the_chosen_kinds():
    policies = pd.DataFrame({"policy_id": ["a", "b", "c", "d"], "jurisdiction": ["X", "X", "Y", "Y"],
                             "date": pd.to_datetime(["2016-01-01", "2015-01-01", "2015-06-01", "2014-01-01"]),
                             "date_precision": "day", "role": ["response", "response", "response", "framework"],
                             "kind": ["law", "statement", "bill", "law"]})
    first = analysis.first_responses(policies, ("law", "bill"))
    assert first[["jurisdiction", "policy_id"]].values.tolist() == [["Y", "c"], ["X", "a"]]


# --- views ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def facts():
    return {name: load_dataset(f"niunamenos_{name}") for name in ("events", "crowd_estimates", "policies",
                                                                   "femicide_register", "hashtag_simulated")}


def test_timing_table_on_the_bundled_facts(facts):
    table = views.timing_table(facts["events"], facts["policies"]).set_index("country")
    assert table.loc["Argentina", "days_to_march"] == 0 and table.loc["Argentina", "days_to_response"] == 1
    assert table.loc["Peru", "days_to_march"] == (pd.Timestamp("2016-08-13") - pd.Timestamp("2015-06-03")).days
    assert table.loc["Chile", "response"] == "cl-2016-bill"
    assert pd.isna(table.loc["Uruguay", "days_to_response"])


def test_bass_by_eye_figures_on_a_known_curve():
    t = np.arange(1, 41)
    curve = pd.DataFrame({"t": t, "adopters": model.bass_cumulative(t, 0.01, 0.5, 10_000)})
    view = views.bass_by_eye(curve, 0.01, 0.5, 10_000, "Testland")
    assert view.extra["rmse"] == pytest.approx(0, abs=0.1) and view.extra["r2"] == pytest.approx(1)
    assert view.extra["peak_day"] == pytest.approx(math.log(50) / 0.51, abs=0.05)
    worse = views.bass_by_eye(curve, 0.01, 0.2, 10_000, "Testland")
    assert worse.extra["rmse"] > 100
    spec = view.chart.to_dict()
    assert "SIMULATED" in spec["title"]["subtitle"] and "Testland" in spec["description"]


def test_online_offline_ratios(facts):
    table = views.online_offline(facts["hashtag_simulated"], facts["crowd_estimates"], facts["events"])
    row = table.set_index("estimate_id").loc["pe-2016-wikipedia"]
    assert row["posts_per_person_high"] == pytest.approx(row["posts"] / 200_000)
    assert row["posts_per_person_low"] == pytest.approx(row["posts"] / 500_000)
    assert pd.isna(table.set_index("estimate_id").loc["pe-2016-lima-publimetro", "posts_per_person_low"])
    bad = facts["crowd_estimates"].assign(event_id="zz-2016-nowhere")
    with pytest.raises(ValueError, match="zz-2016-nowhere"):
        views.online_offline(facts["hashtag_simulated"], bad, facts["events"])


@pytest.mark.parametrize("country", ["Argentina", "Peru", "Chile", "Mexico"])
def test_country_report(facts, country):
    view = views.country_report(country, facts["events"], facts["crowd_estimates"], facts["policies"],
                                facts["hashtag_simulated"])
    curve = model.adoption_curve(facts["hashtag_simulated"], country)
    assert view.extra["p"] == pytest.approx(model.fit_bass(curve["t"], curve["adopters"])["p"], rel=1e-3)
    assert country in view.note and "SIMULATED" in view.note
    assert view.chart.to_dict()["description"]


def test_country_report_names_the_known_countries_for_an_unknown_one(facts):
    with pytest.raises(ValueError, match="choose one of: Argentina"):
        views.country_report("Narnia", facts["events"], facts["crowd_estimates"], facts["policies"],
                             facts["hashtag_simulated"])


def test_every_chart_has_a_title_and_a_description(facts):
    ev, cr, po, rg, h = (facts[k] for k in ("events", "crowd_estimates", "policies", "femicide_register",
                                            "hashtag_simulated"))
    charts = [views.adoption_chart(h), views.activity_chart(h, ev, "Peru"), views.timing_chart(ev, po),
              views.network_chart(analysis.diffusion_links(ev), ev), views.policy_chart(po),
              views.policy_chart(po, "2015-01-01"), views.register_chart(rg), views.crowd_chart(cr, ev),
              views.online_offline_chart(views.online_offline(h, cr, ev))]
    for chart in charts:
        spec = chart.to_dict()
        assert spec.get("title") and spec.get("description")
    for chart in (charts[0], charts[1], charts[-1]):
        assert "SIMULATED" in chart.to_dict()["title"]["subtitle"]


# --- widgets -------------------------------------------------------------------------------------------

def test_fit_by_eye_draws_and_calls_the_view_with_the_controls_values(monkeypatch, facts):
    setup()
    seen = []
    real = views.bass_by_eye
    monkeypatch.setattr(views, "bass_by_eye", lambda *a: seen.append(a) or real(*a))
    box = views.fit_by_eye(facts["hashtag_simulated"], country="Peru")
    country, p = box.children[0].children
    q, m = box.children[1].children
    assert all(c.description for c in (country, p, q, m))  # labelled controls
    assert seen[-1][0]["date"].iloc[0] == pd.Timestamp("2016-07-22") and seen[-1][1:] == (0.01, 0.3, 100_000, "Peru")
    q.value = 0.45
    m.value = 200_000
    assert seen[-1][1:] == (0.01, 0.45, 200_000, "Peru")
    country.value = "Chile"
    assert seen[-1][4] == "Chile" and seen[-1][0]["date"].iloc[0] == pd.Timestamp("2016-10-08")
    assert chart_in(box.children[-1].outputs[0]) is not None


def test_fit_by_eye_shows_a_message_instead_of_breaking(monkeypatch, facts):
    monkeypatch.setattr(views, "bass_by_eye", lambda *a: (_ for _ in ()).throw(ValueError("no curve")))
    box = views.fit_by_eye(facts["hashtag_simulated"])
    assert "no curve" in box.children[-1].outputs[0]["text"]
    assert isinstance(box, w.VBox) and not isinstance(box, View)


# --- neighbours from ISO-style country metadata ------------------------------------------------------------------

def test_neighbours_from_metadata_rebuild_the_case_table_from_codes():
    codes = {"Argentina": "ARG", "Bolivia": "BOL", "Brazil": "BRA", "Chile": "CHL", "Mexico": "MEX",
             "Paraguay": "PRY", "Peru": "PER", "Uruguay": "URY"}
    metadata = pd.DataFrame({"country_name": list(codes), "iso3": list(codes.values()),
                             "land_borders": [" | ".join(codes[n] for n in analysis.NEIGHBOURS[c]) for c in codes]})
    table = analysis.neighbours_from_metadata(metadata, name="country_name", code="iso3", borders="land_borders")
    assert table == analysis.NEIGHBOURS
    with pytest.raises(ValueError, match="missing: borders"):
        analysis.neighbours_from_metadata(metadata.rename(columns={"land_borders": "x"}), name="country_name",
                                          code="iso3")
    with pytest.raises(ValueError, match="twice"):
        analysis.neighbours_from_metadata(pd.concat([metadata, metadata.head(1)]), name="country_name",
                                          code="iso3", borders="land_borders")


def test_spread_by_neighbourhood_on_the_case(events):
    spread = analysis.spread_by_neighbourhood(events).set_index("country")
    first = analysis.first_marches(events).set_index("country")["date"]
    for country, row in spread.iterrows():
        earlier = sorted(c for c in analysis.NEIGHBOURS[country] if c in first and first[c] < first[country])
        assert row["earlier_neighbours"] == "; ".join(earlier) and row["borders_earlier"] == bool(earlier)
    assert not spread.loc["Argentina", "borders_earlier"] and not spread.loc["Mexico", "borders_earlier"]


def test_fact_charts_name_a_users_file_and_keep_the_courses_line_for_its_own():
    tables = {name: load_dataset(f"niunamenos_{name}") for name in ("events", "policies", "crowd_estimates")}
    assert views.policy_chart(tables["policies"]).to_dict()["title"]["subtitle"].startswith("Reported facts")
    own = tables["policies"].copy()
    own.attrs.update(path="my_policies.csv", source="my ministry's list", simulated=False)
    assert views.policy_chart(own).to_dict()["title"]["subtitle"] == "Data: my ministry's list"
    timing = views.timing_chart(tables["events"], own).to_dict()["title"]["subtitle"]
    assert timing.startswith("Data: my ministry's list; Reported facts")  # the events are still the course's
    events = tables["events"].copy()
    events.attrs.update(path="my_events.csv", source="my events", simulated=False)
    network = views.network_chart(analysis.diffusion_links(events), events).to_dict()["title"]["subtitle"]
    assert network.startswith("Data: my events; ") and "assumption" in network
    crowds = views.crowd_chart(tables["crowd_estimates"], events).to_dict()["title"]["subtitle"]
    assert "Data: my events" in crowds and "Reported facts" in crowds
