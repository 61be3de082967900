"""Concept modules 01-03 (dpdlab.foundations): analysis functions, views and widgets on inputs whose right
answers are known."""
from __future__ import annotations

import ipywidgets as w
import networkx as nx
import pandas as pd
import pytest

from dpdlab import load_dataset
from dpdlab.foundations import metrics, networks, practice
from dpdlab.widgets import View


# --- 01 practice --------------------------------------------------------------------------------------

@pytest.fixture()
def toy_milestones():
    return pd.DataFrame({
        "milestone_id": ["gl-2010-a", "mx-2012-b", "pe-2015-c", "gl-2018-d"],
        "date": pd.to_datetime(["2010-05-01", "2012-01-01", "2015-03-03", "2018-01-01"]),
        "date_precision": ["day", "year", "day", "month"],
        "scope": ["global", "latin_america", "latin_america", "global"],
        "country": [None, "Mexico", "Peru", None],
        "kind": ["ranking_study", "first_account", "training", "ranking_study"],
        "description": ["a", "b", "c", "d"],
        "source": ["x", "x", "x", "x"],
    })


@pytest.fixture()
def toy_activities():
    return pd.DataFrame({
        "activity_id": ["aa-one", "bb-two", "cc-three", "dd-four", "ee-five"],
        "year": [2010, 2011, None, 2013, 2014],
        "country": ["A", "B", "C", "D", "E"],
        "actor": ["A's ministry", "B's president", "C's envoy", "D and E", "E's team"],
        "activity": ["posts", "tweets", "briefs", "sign", "monitors"],
        "channel": ["digital", "digital", "offline", "offline", "digital"],
        "sphere": ["communication", "communication", "communication", "negotiation", "negotiation"],
        "function": ["dissemination", "dissemination", "dissemination", "negotiation", "listening"],
        "end": ["front", "front", None, None, "back"],
        "clear_cut": [True, True, True, True, False],
        "reading": ["r1", "r2", "r3", "r4", "r5"],
        "source": ["x"] * 5,
    })


def test_select_milestones_filters_scope_and_years(toy_milestones):
    assert list(practice.select_milestones(toy_milestones, "latin_america")["milestone_id"]) == ["mx-2012-b",
                                                                                                 "pe-2015-c"]
    assert list(practice.select_milestones(toy_milestones, "all", 2012, 2015)["milestone_id"]) == ["mx-2012-b",
                                                                                                    "pe-2015-c"]
    assert list(practice.select_milestones(toy_milestones, "global", 2011)["milestone_id"]) == ["gl-2018-d"]
    with pytest.raises(ValueError, match="scope must be one of"):
        practice.select_milestones(toy_milestones, "europe")


def test_milestones_view_counts_and_rejects_empty_windows(toy_milestones):
    view = practice.milestones_view(toy_milestones, "all", (2018, 2010))  # reversed years are fine
    assert view.extra == {"n": 4, "latin_america": 2,
                          "ids": ["gl-2010-a", "mx-2012-b", "pe-2015-c", "gl-2018-d"]}
    assert dict(zip(view.figures.iloc[:, 0], view.figures.iloc[:, 1])) == {"ranking_study": 2, "first_account": 1,
                                                                           "training": 1}
    spec = view.chart.to_dict()
    assert spec["title"] and "4 dated milestones" in spec["description"]
    with pytest.raises(ValueError, match="widen the years"):
        practice.milestones_view(toy_milestones, "global", (2011, 2017))


def test_activity_view_shows_the_reading_and_names_unknown_ids(toy_activities):
    view = practice.activity_view(toy_activities, "ee-five")
    assert view.extra == {"sphere": "negotiation", "function": "listening", "clear_cut": False}
    assert "borderline" in view.note and "back end" in view.note
    assert "undated" in practice.activity_view(toy_activities, "cc-three").note
    with pytest.raises(ValueError, match="Known ids: aa-one"):
        practice.activity_view(toy_activities, "zz-none")


def test_function_counts_and_bradshaw_share(toy_activities):
    counts = practice.function_counts(toy_activities).set_index(["channel", "function"])["count"]
    assert counts[("digital", "dissemination")] == 2 and counts[("digital", "listening")] == 1
    assert counts[("digital", "negotiation")] == 0 and counts[("offline", "negotiation")] == 1
    assert counts.sum() == 5
    assert practice.listening_or_dissemination_share(toy_activities, "digital") == 1.0
    assert practice.listening_or_dissemination_share(toy_activities, "offline") == 0.5
    with pytest.raises(ValueError, match="No activities"):
        practice.listening_or_dissemination_share(toy_activities, "carrier pigeon")
    assert "100% of the digital ones and 50% of the offline ones" in \
        practice.functions_chart(toy_activities).to_dict()["description"]


def test_bundled_activities_readings_are_complete():
    activities = load_dataset("diplomatic_activities")
    digital = activities["channel"] == "digital"
    assert activities.loc[digital, "end"].notna().all() and activities.loc[~digital, "end"].isna().all()
    assert activities["clear_cut"].sum() >= 5 and (~activities["clear_cut"]).sum() >= 3


def test_milestones_explorer_calls_the_view_with_the_controls_values(monkeypatch, toy_milestones):
    seen = []
    monkeypatch.setattr(practice, "milestones_view", lambda *a: seen.append(a[1:]) or View())
    box = practice.milestones_explorer(toy_milestones)
    scope, years = (row.children[0] for row in box.children[:2])
    assert seen[-1] == ("all", (2010, 2018)) and scope.description and years.description
    scope.value = "global"
    years.value = (2012, 2016)
    assert seen[-1] == ("global", (2012, 2016))


def test_activity_explorer_redraws_on_choice(toy_activities):
    box = practice.activity_explorer(toy_activities, "aa-one")
    dropdown = box.children[0].children[0]
    output = box.children[-1]
    assert "r1" in output.outputs[0]["data"]["text/markdown"]
    dropdown.value = "dd-four"
    assert "r4" in output.outputs[0]["data"]["text/markdown"]


# --- 02 metrics ---------------------------------------------------------------------------------------

def test_retweets_per_post_interaction_rate_and_engagement_rate_known_values():
    assert metrics.retweets_per_post(30, 10) == 3.0
    assert metrics.interactions(120, 60, 20) == 200.0
    assert metrics.interaction_rate(120, 60, 20, 10, 50_000) == pytest.approx(0.4)
    assert metrics.interaction_rate(10, 0, 0, 1, 1_000) == pytest.approx(10.0)
    assert metrics.interaction_rate(1, 1, 2, 2, 2_000, per=1) == pytest.approx(0.001)
    # engagement rate: engagements ÷ impressions, a share
    assert metrics.engagement_rate(30, 1_000) == pytest.approx(0.03)
    assert metrics.engagement_rate(0, 5) == 0.0
    series = metrics.retweets_per_post(pd.Series([10.0, 9.0], index=[5, 6]), pd.Series([5.0, 3.0], index=[5, 6]))
    assert list(series.index) == [5, 6] and list(series) == [2.0, 3.0]
    rates = metrics.engagement_rate(pd.Series([1.0, 4.0], index=["x", "y"]), pd.Series([10.0, 8.0], index=["x", "y"]))
    assert list(rates.index) == ["x", "y"] and rates.tolist() == pytest.approx([0.1, 0.5])


def test_strategy_uses_the_same_engagement_rate():
    """Modules 02 and 06 share one definition: the campaign table's rate is metrics.engagement_rate."""
    from dpdlab import strategy
    campaign = pd.DataFrame({"channel": ["X", "X", "Y"], "posts": [1, 1, 2], "impressions": [100, 300, 50],
                             "engagements": [4, 4, 5], "link_clicks": [1, 1, 1], "applications": [0, 1, 0]})
    table = strategy.channel_metrics(campaign).set_index("channel")
    assert table["engagement_rate"].tolist() == pytest.approx(
        [metrics.engagement_rate(8, 400), metrics.engagement_rate(5, 50)])


def test_implied_by_means_recovers_the_left_out_account():
    implied = metrics.implied_by_means(4, 26.5, 2.0)  # the values 1, 2, 3 and 100
    assert implied == pytest.approx({"total": 106.0, "total_without_top": 6.0, "top": 100.0,
                                     "drop_pct": 100 * (1 - 2.0 / 26.5)})
    with pytest.raises(ValueError, match="at least 2 accounts"):
        metrics.implied_by_means(1, 5.0, 5.0)


@pytest.mark.parametrize("call, message", [
    (lambda: metrics.retweets_per_post(5, 0), "posts is zero"),
    (lambda: metrics.interaction_rate(1, 1, 1, 1, 0), "followers is zero"),
    (lambda: metrics.interaction_rate(1, -1, 1, 1, 10), "retweets must be zero or more"),
    (lambda: metrics.engagement_rate(3, 0), "impressions is zero"),
    (lambda: metrics.engagement_rate(-1, 10), "engagements must be zero or more"),
])
def test_metrics_reject_bad_counts(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_summarise_with_and_without_the_top():
    assert metrics.summarise([3, 1, 100, 2]) == {"n": 4, "mean": 26.5, "median": 2.5}
    assert metrics.summarise([3, 1, 100, 2], exclude_top=1) == {"n": 3, "mean": 2.0, "median": 2.0}
    with pytest.raises(ValueError, match="empty"):
        metrics.summarise([])
    with pytest.raises(ValueError, match="leave out fewer"):
        metrics.summarise([1, 2], exclude_top=2)


@pytest.fixture()
def toy_panel():
    return pd.DataFrame({
        "month": pd.to_datetime(["2019-12-01"] * 3 + ["2019-11-01"]),
        "account": ["Big (simulated)", "Small (simulated)", "Mid (simulated)", "Big (simulated)"],
        "kind": ["presidency", "embassy", "foreign_ministry", "presidency"],
        "language": ["es"] * 4,
        "followers": [1_000_000, 1_000, 10_000, 900_000],
        "posts": [100, 10, 20, 100],
        "retweets": [10_000, 20, 100, 9_000],
        "likes": [20_000, 40, 200, 18_000],
        "replies": [0, 0, 0, 0],
        "impressions": [3_000_000, 600, 6_000, 2_700_000],
        "simulated": [True] * 4,
    })


def test_rank_accounts_by_different_metrics(toy_panel):
    by_followers = metrics.rank_accounts(toy_panel, "followers", "2019-12-01")
    assert list(by_followers["account"]) == ["Big (simulated)", "Mid (simulated)", "Small (simulated)"]
    # interactions per post per 1,000 followers: Big 0.3, Small 6.0, Mid 1.5
    by_interaction = metrics.rank_accounts(toy_panel, "interaction_rate", "2019-12-01")
    assert list(by_interaction["account"]) == ["Small (simulated)", "Mid (simulated)", "Big (simulated)"]
    assert by_interaction["value"].tolist() == pytest.approx([6.0, 1.5, 0.3])
    # interactions ÷ impressions: Big 0.01, Small 0.1, Mid 0.05
    by_engagement = metrics.rank_accounts(toy_panel, "engagement_rate", "2019-12-01")
    assert list(by_engagement["account"]) == ["Small (simulated)", "Mid (simulated)", "Big (simulated)"]
    assert by_engagement["value"].tolist() == pytest.approx([0.1, 0.05, 0.01])
    assert list(metrics.rank_accounts(toy_panel, "followers", "2019-12-01", "embassy")["account"]) == \
        ["Small (simulated)"]
    with pytest.raises(ValueError, match="Unknown measure"):
        metrics.rank_accounts(toy_panel, "likes", "2019-12-01")
    with pytest.raises(ValueError, match="No simulated accounts"):
        metrics.rank_accounts(toy_panel, "followers", "2019-10-01")


def test_ranking_view_reports_where_the_most_followed_lands(toy_panel):
    view = metrics.ranking_view(toy_panel, "engagement_rate", "2019-12-01", top=2)
    assert view.extra == {"first": "Small (simulated)", "followers_rank": 3}
    assert len(view.figures) == 2
    assert "SIMULATED" in view.chart.to_dict()["title"]["subtitle"]


@pytest.fixture()
def toy_figures():
    return pd.DataFrame({
        "figure_id": ["2019-a", "2019-b", "2019-c", "2019-d", "2020-e"],
        "year": [2019, 2019, 2019, 2019, 2020], "study": ["press_snapshot"] * 4 + ["twiplomacy"],
        "region": ["latin_america"] * 3 + ["global", "global"], "account": ["A", "B", "C", "D", "E"],
        "handle": [None] * 5, "country": ["X"] * 5, "platform": ["Twitter"] * 5, "metric": ["followers"] * 5,
        "value": [9.0, 1.0, 2.0, 100.0, 50.0], "qualifier": ["about"] * 5, "note": [None] * 5, "source": ["s"] * 5,
    })


def test_edition_summary_view_mean_median_and_exclusion(toy_figures):
    view = metrics.edition_summary_view(toy_figures, 2019)  # the global row is not included
    assert view.extra == {"n": 3, "mean": 4.0, "median": 2.0}
    assert metrics.edition_summary_view(toy_figures, 2019, exclude_top=1).extra == {"n": 2, "mean": 1.5,
                                                                                     "median": 1.5}
    assert "2.00 times the median" in view.note
    with pytest.raises(ValueError, match="No published followers figures for 2020"):
        metrics.edition_summary_view(toy_figures, 2020)


def test_generated_panel_is_seeded_and_hits_its_calibration():
    panel = metrics.generate_panel()
    pd.testing.assert_frame_equal(panel, metrics.generate_panel())
    assert not panel["followers"].equals(metrics.generate_panel(seed=1)["followers"])
    december = panel[panel["month"] == pd.Timestamp("2019-12-01")].set_index("account")
    calibration = metrics.CALIBRATION
    assert december.loc[calibration["most_followed"]["account"], "followers"] == 5_640_000
    assert december["followers"].idxmax() == calibration["most_followed"]["account"]
    c = december.loc[calibration["most_retweeted"]["account"]]
    assert c["retweets"] / c["posts"] == pytest.approx(2_532, abs=0.01)
    assert december.loc[calibration["most_active"]["account"], "posts"] == 63 * 31
    presidents = december[(december["kind"] == "presidency") & ~december.index.str.contains(",")]
    others = presidents.drop(calibration["most_followed"]["account"])["followers"]
    assert others.between(2_220_000, 4_830_000).all()
    assert panel["account"].str.endswith("(simulated)").all()


def test_ranking_explorer_computes_rates_once_and_redraws(toy_panel):
    box = metrics.ranking_explorer(toy_panel)
    metric = box.children[0].children[0]
    output = box.children[-1]
    assert "Big (simulated)" in output.outputs[1]["data"]["text/markdown"]
    metric.value = "engagement_rate"
    assert "the first is **Small (simulated)**" in output.outputs[1]["data"]["text/markdown"]


# --- 03 networks --------------------------------------------------------------------------------------

@pytest.fixture()
def line():
    """a - b - c - d, and e tied to a."""
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("a", "e")])
    for number, node in enumerate(sorted(graph)):
        graph.nodes[node].update(role="embassy", x=float(number), y=0.0)
    return graph


def test_bridge_comparison_counts_relays_without_and_with_the_new_node(line):
    # a - b - c - d and e - a; a new node tied to e and d puts e two relays from d instead of four
    pairs = networks.bridge_comparison(line, "x", ["e", "d"], group_a=["e"], group_b=["d", "b"])
    assert pairs.to_dict("records") == [{"from": "e", "to": "d", "hops_without": 4.0, "hops_with": 2.0},
                                        {"from": "e", "to": "b", "hops_without": 2.0, "hops_with": 2.0}]
    assert "x" not in line  # the graph it was given is unchanged
    apart = line.copy()
    apart.add_node("z", role="media", x=0.0, y=0.0)
    lonely = networks.bridge_comparison(apart, "x", ["z", "a"], group_a=["z"], group_b=["a"])
    assert pd.isna(lonely.loc[0, "hops_without"]) and lonely.loc[0, "hops_with"] == 2.0  # z - x - a
    with pytest.raises(ValueError, match="No node called 'nobody'"):
        networks.bridge_comparison(line, "x", ["a"], group_a=["nobody"], group_b=["a"])


def test_bundled_network_diplomat_bridge_shortens_host_to_diaspora_paths():
    graph = networks.build_graph(load_dataset("mission_network_nodes_simulated"),
                                 load_dataset("mission_network_edges_simulated"))
    pairs = networks.bridge_comparison(graph)
    assert len(pairs) == len(networks.HOST_SOCIETY_A) * len(networks.DIASPORA_A)
    assert (pairs["hops_with"] <= pairs["hops_without"]).all()
    assert (pairs["hops_with"] < pairs["hops_without"]).sum() >= 3


def test_reach_counts_relays(line):
    assert networks.reach(line, "a", 0) == set()
    assert networks.reach(line, "a", 1) == {"b", "e"}
    assert networks.reach(line, "a", 2) == {"b", "c", "e"}
    assert networks.reach(line, "a", 10) == {"b", "c", "d", "e"}
    with pytest.raises(ValueError, match="hops must be"):
        networks.reach(line, "a", -1)
    with pytest.raises(ValueError, match="hops must be"):
        networks.reach(line, "a", 1.5)
    with pytest.raises(ValueError, match="No node called 'z'"):
        networks.reach(line, "z", 1)


def test_removing_and_adding_nodes_leaves_the_original_alone(line):
    smaller = networks.without_node(line, "b")
    assert networks.reach(smaller, "a", 5) == {"e"} and "b" in line
    larger = networks.with_node(line, "new", ["a", "d"])
    assert networks.reach(larger, "a", 2) == {"b", "c", "d", "e", "new"} and "new" not in line
    with pytest.raises(ValueError, match="No node called"):
        networks.with_node(line, "new", ["zz"])


def test_centrality_of_a_star_and_cut_points_of_a_line(line):
    star = nx.star_graph(4)  # centre 0 tied to 1..4
    table = networks.centrality_table(star).set_index("node")
    assert table.loc[0, "degree"] == 4 and table.loc[0, "betweenness"] == pytest.approx(1.0)
    assert table.loc[0, "closeness"] == pytest.approx(1.0) and table.loc[1, "betweenness"] == 0
    bridges, cuts = networks.bridges_and_cut_points(line)
    assert bridges == [("a", "b"), ("a", "e"), ("b", "c"), ("c", "d")] and cuts == ["a", "b", "c"]
    bridges, cuts = networks.bridges_and_cut_points(nx.cycle_graph(4))
    assert bridges == [] and cuts == []


def test_build_graph_names_an_edge_to_an_unknown_node():
    nodes = pd.DataFrame({"node": ["a", "b"], "role": ["embassy", "media"], "x": [0.0, 1.0], "y": [0.0, 1.0]})
    edges = pd.DataFrame({"source_node": ["a", "b"], "target_node": ["b", "c"], "tie": ["press", "press"],
                          "strength": [1, 2]})
    with pytest.raises(ValueError, match="row 2: target_node 'c' is not in the nodes table"):
        networks.build_graph(nodes, edges)
    graph = networks.build_graph(nodes, edges.iloc[:1])
    assert graph.edges["a", "b"]["strength"] == 1 and graph.nodes["b"]["role"] == "media"


def test_reach_view_on_a_known_network(line):
    view = networks.reach_view(line, "a", 3, removed="b")
    assert view.extra == {"before": 4, "after": 1, "delta": -3}
    assert "Without **b**: **1** (-3)" in view.note
    spec = view.chart.to_dict()
    assert "SIMULATED" in spec["title"]["subtitle"] and "reaches 4 of the other 4 nodes" in spec["description"]
    statuses = {row["node"]: row["status"] for row in spec["datasets"][next(iter(spec["datasets"]))]
                if row.get("layer") == "node"}
    assert statuses["b"] == "removed" and statuses["e"] == "reached" and statuses["c"] == "not reached"
    kept = networks.reach_view(line, "a", 2, removed="a")  # the start node is not removed, and the note says so
    assert kept.extra == networks.reach_view(line, "a", 2).extra and "is where the message starts" in kept.note


def test_reach_view_with_the_liaison_on_the_bundled_network():
    nodes, edges = networks.generate_network()
    graph = networks.build_graph(nodes, edges)
    plain = networks.reach_view(graph, networks.HQ, 2)
    added = networks.reach_view(graph, networks.HQ, 2, add_liaison=True)
    assert added.extra["after"] > plain.extra["after"]
    assert networks.LIAISON not in graph  # the widget's graph is not changed


def test_generated_network_is_seeded_connected_and_role_labelled():
    nodes, edges = networks.generate_network()
    again_nodes, again_edges = networks.generate_network()
    pd.testing.assert_frame_equal(nodes, again_nodes)
    pd.testing.assert_frame_equal(edges, again_edges)
    graph = networks.build_graph(nodes, edges)
    assert nx.is_connected(graph) and networks.reach(graph, networks.HQ, 3) == set(graph) - {networks.HQ}
    assert nodes["simulated"].all() and edges["simulated"].all()
    assert len(networks.generate_network(seed=1)[1]) != len(edges) or \
        not networks.generate_network(seed=1)[0][["x", "y"]].equals(nodes[["x", "y"]])
    # the embassies are cut points: each is the only path to its branch
    assert {"Embassy A", "Embassy B", "Embassy C"} <= set(networks.bridges_and_cut_points(graph)[1])


def test_centrality_view_and_unknown_measure(line):
    view = networks.centrality_view(line, "betweenness", top=2)
    # on the path e-a-b-c-d, b lies between 4 of the 6 pairs of others; a and c between 3 (tie broken by name)
    assert view.extra["first"] == "b" and view.extra["bridges"] == 4
    assert list(view.figures.iloc[:, 0]) == ["b", "a"]
    assert view.figures.iloc[:, 2].tolist() == pytest.approx([round(4 / 6, 3), 0.5])
    with pytest.raises(ValueError, match="Unknown measure"):
        networks.centrality_view(line, "pagerank")


def test_office_counts_chart_spans_the_sources():
    figures = load_dataset("mexico_consular_network")
    description = networks.office_counts_chart(figures).to_dict()["description"]
    assert "3 published counts" in description and "from 44 to 52" in description


def test_reach_explorer_controls(monkeypatch, line):
    seen = []
    monkeypatch.setattr(networks, "reach_view", lambda *a: seen.append(a[1:]) or View())
    box = networks.reach_explorer(line, seed="a")
    seed, hops = box.children[0].children
    removed, add = box.children[1].children
    assert seen[-1] == ("a", 2, None, False)
    removed.value = "c"
    add.value = True
    hops.value = 4
    assert seen[-1] == ("a", 4, "c", True)


def _own_network():
    """The mission-network TEST FIXTURE (a user's own network: no drawing positions, roles of its own)."""
    import warnings
    from pathlib import Path

    from dpdlab import data

    folder = Path(__file__).parent / "fixtures" / "byod"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        nodes = load_dataset("mission_network_nodes_simulated", folder / "mission_network_nodes.csv")
        edges = load_dataset("mission_network_edges_simulated", folder / "mission_network_edges.csv")
    return networks.build_graph(nodes, edges)


def test_headquarters_is_found_from_the_roles_or_given():
    nodes, edges = networks.generate_network()
    assert networks.headquarters(networks.build_graph(nodes, edges)) == networks.HQ
    graph = _own_network()
    assert networks.headquarters(graph) == "Ministry of Fixtureland"
    assert networks.headquarters(graph, "Embassy in Country A") == "Embassy in Country A"
    with pytest.raises(ValueError, match="No node called 'Ministry \\(HQ\\)'"):
        networks.headquarters(graph, networks.HQ)
    star = nx.star_graph(3)  # no ministry: the node with most ties
    assert networks.headquarters(star) == 0
    two = nx.Graph([("m2", "a"), ("m2", "b"), ("m1", "a"), ("a", "b"), ("a", "c")])
    nx.set_node_attributes(two, {"m1": "ministry", "m2": "ministry", "a": "embassy", "b": "media"}, "role")
    assert networks.headquarters(two) == "m2"  # of two ministries, the one with more ties


def test_views_on_a_users_own_network_start_at_its_headquarters_and_name_its_source():
    import math

    graph = _own_network()
    assert graph.graph == {"simulated": False, "source": "mission_network_nodes.csv; mission_network_edges.csv"}
    assert all(not math.isnan(d["x"]) and not math.isnan(d["y"]) for _, d in graph.nodes(data=True))  # laid out
    view = networks.reach_view(graph, hops=2, add_liaison=True)
    spec = view.chart.to_dict()
    assert spec["title"]["text"].startswith("Who a message from Ministry of Fixtureland reaches")
    assert spec["title"]["subtitle"] == "Data: mission_network_nodes.csv; mission_network_edges.csv"
    assert "SIMULATED" not in spec["description"] and "Simulated" not in view.note
    shape = next(layer["encoding"]["shape"] for layer in spec["layer"] if "shape" in layer.get("encoding", {}))
    assert shape["scale"]["domain"] == ["ministry", "embassy", "consulate", "honorary_consulate", "mission"]
    # the liaison joins headquarters and the two nodes farthest from it
    assert networks.liaison_ties(graph) == ["Ministry of Fixtureland", "Honorary consulate in City D",
                                            "Consulate in City B"]
    assert view.extra["after"] == 5  # the four others and the liaison itself
    central = networks.centrality_view(graph, "betweenness").chart.to_dict()
    assert central["encoding"]["color"]["scale"]["domain"] == shape["scale"]["domain"]
    assert central["title"]["subtitle"].startswith("Data: mission_network_nodes.csv")
    # the course's network keeps its mark and its liaison
    bundled = networks.build_graph(load_dataset("mission_network_nodes_simulated"),
                                   load_dataset("mission_network_edges_simulated"))
    assert "SIMULATED" in networks.reach_view(bundled).chart.to_dict()["title"]["subtitle"]
    assert networks.liaison_ties(bundled) == list(networks.LIAISON_TIES)


def test_co_voting_tables_name_the_columns_and_keep_only_votes():
    votes = pd.DataFrame({"state": ["a", "b", "c", "a", "b", "c", "a", "b", "c"],
                          "res": [1, 1, 1, 2, 2, 2, 3, 3, 3],
                          "cast": ["Yes", "yes", "no", "no", "no", "absent", "abstain", "abstain", "yes"]})
    pairs = networks.agreement_table(votes, country="state", resolution="res", vote="cast")
    assert pairs.to_dict("records") == [
        {"source_node": "a", "target_node": "b", "shared": 3, "agreement": 1.0},
        {"source_node": "a", "target_node": "c", "shared": 2, "agreement": 0.0},  # "absent" is not a vote
        {"source_node": "b", "target_node": "c", "shared": 2, "agreement": 0.0}]
    nodes, edges = networks.co_voting_tables(votes, country="state", resolution="res", vote="cast")
    assert list(nodes["node"]) == ["a", "b", "c"] and edges.to_dict("records") == [
        {"source_node": "a", "target_node": "b", "tie": "co_voting", "strength": 3}]
    with pytest.raises(ValueError, match="no column country"):
        networks.agreement_table(votes)
    with pytest.raises(ValueError, match="min_agreement"):
        networks.co_voting_tables(votes, country="state", resolution="res", vote="cast", min_agreement=75)


def test_activity_explorer_on_a_table_without_the_courses_example(toy_activities):
    box = practice.activity_explorer(toy_activities, "cl-tweet-as-evidence")  # the course's id, not in this table
    assert box.children[0].children[0].value == toy_activities["activity_id"].iloc[0]


# --- real leaders' data: adoption and audiences ----------------------------------------------------------

def _toy_adoption():
    months = pd.to_datetime(["2010-01-01", "2010-02-01", "2010-03-01"])
    return pd.DataFrame({"month": list(months) * 2, "region": ["a"] * 3 + ["b"] * 3, "leaders": [4] * 3 + [10] * 3,
                         "active_personal": [1, 2, 4, 0, 5, 6], "active_institutional": [0, 1, 2, 0, 0, 5],
                         "active_twitter": [1, 2, 4, 0, 5, 6], "active_facebook": [0, 1, 2, 0, 0, 5],
                         "active_any": [1, 2, 4, 0, 5, 6]})


def test_adoption_shares_and_first_month_reaching_half():
    shares = metrics.adoption_shares(_toy_adoption())
    row = shares[(shares["region"] == "a") & (shares["kind"] == "personal")]
    assert row["share"].tolist() == [25.0, 50.0, 100.0]
    assert metrics.first_month_reaching(_toy_adoption(), 50) == {"a": pd.Timestamp("2010-02-01"),
                                                                 "b": pd.Timestamp("2010-02-01")}
    assert metrics.first_month_reaching(_toy_adoption(), 60, "institutional") == {"a": None, "b": None}


def test_adoption_chart_names_a_real_source_and_any_region():
    toy = _toy_adoption()
    toy.attrs.update(simulated=False, source="my-count")
    spec = metrics.adoption_chart(toy).to_dict()
    assert spec["title"]["subtitle"] == "Data: my-count" and "simulated" not in str(spec).lower()
    assert "a: 4 of 4; b: 6 of 10" in spec["description"]
    bundled = metrics.adoption_chart(load_dataset("leader_adoption_monthly")).to_dict()
    assert "barbera-zeitzoff-2018" in bundled["title"]["subtitle"]


def test_audience_summary_uses_summarise_per_group():
    audiences = pd.DataFrame({"region": ["x", "x", "x", "y"], "audience": [1, 2, 300, 7],
                              "handle": ["a", "b", "big", "c"]})
    table = metrics.audience_summary(audiences).set_index("region")
    assert table.loc["x", "median"] == 2 and table.loc["x", "mean"] == 101 and table.loc["x", "largest"] == "big"
    assert table.loc["x", "mean_to_median"] == 50.5
    without = metrics.audience_summary(audiences, exclude_top=1).set_index("region")
    assert without.loc["x", "accounts"] == 2 and without.loc["y", "accounts"] == 1  # too few to leave one out


def test_ranking_view_takes_any_kinds_and_names_a_real_panel():
    panel = load_dataset("account_panel_simulated")
    real = panel.assign(kind="mission", simulated=False)
    real.attrs.update(simulated=False, source="my-export")
    spec = metrics.ranking_view(real, "followers", "2019-12-01").chart.to_dict()
    assert "SIMULATED" not in str(spec["title"]) and "my-export" in spec["title"]["subtitle"]
