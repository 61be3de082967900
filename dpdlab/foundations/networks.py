"""Module 03, "Networks and node-based communication": a simulated mission network, reach and centrality.

A ministry, its embassies and consulates, host governments, media, civil society and diaspora groups form a
network. A message travels *node to node*: each relay (hop) passes it to every neighbour. :func:`reach`
counts who it reaches in a number of hops; removing or adding an actor changes that.

The network :func:`generate_network` builds is **simulated** and role-labelled ("Embassy A", "Diaspora group
B1"); it is not a map of any real ministry. The view functions (:func:`reach_view`, :func:`centrality_view`)
are plain functions of the widgets' values.

The same functions take a user's own network: :func:`build_graph` keeps whether its tables are simulated and
what their source is (the views say SIMULATED only for simulated rows, otherwise name the source), lays out
nodes that come without drawing positions, and :func:`headquarters` finds where messages start from the
roles in the data. Roll-call votes (one row per country and resolution, as the UN General Assembly's are
published) become a co-voting network of the same shape with :func:`co_voting_tables`.
"""
from __future__ import annotations

import math

import altair as alt
import ipywidgets as w
import networkx as nx
import numpy as np
import pandas as pd

from dpdlab.i18n import cached_per_edition
from dpdlab.charts import described
from dpdlab.foundations.datasets import ROLES
from dpdlab.foundations.text import NETWORK as MESSAGES
from dpdlab.widgets import View, labelled, linked

SEED = 20240805
HQ = "Ministry (HQ)"
# The node the reach widget can add: a liaison officer at headquarters who deals with diaspora groups directly.
LIAISON = "Community liaison (new)"
LIAISON_TIES = (HQ, "Diaspora group B1", "Diaspora group C1")
MEASURES = ("degree", "betweenness", "closeness")
# A diplomat's own account as a bridge between networks (node-based communication, Aguirre & Erlandsen 2018):
# Embassy A's head of mission talking directly, on an account of her own, with the host country's press and
# civil society, two diaspora groups and the home press.
DIPLOMAT = "Ambassador A's own account (new)"
DIPLOMAT_TIES = ("Embassy A", "Newspaper A", "NGO A", "Diaspora group A1", "Diaspora group A3b",
                 "Wire service (home)")
HOST_SOCIETY_A = ("Newspaper A", "NGO A", "Community radio A", "Host ministry A")
DIASPORA_A = ("Diaspora group A1", "Diaspora group A2", "Diaspora group A3a", "Diaspora group A3b")

# Missions of the simulated ministry: embassy -> its consulates -> the diaspora groups each one works with.
MISSIONS = {
    "A": {"A1": ["A1"], "A2": ["A2"], "A3": ["A3a", "A3b"]},
    "B": {"B1": ["B1"], "B2": ["B2"]},
    "C": {"C1": ["C1"]},
}
# Ties every generated network has: (one end, other end, kind of tie, strength 1-3).
FIXED_TIES = [
    ("Wire service (home)", HQ, "press", 3),
    ("Consulate A1", HQ, "official", 2),
    ("Community radio A", "Consulate A2", "press", 2),
    ("Community radio A", "Consulate A3", "press", 2),
    ("NGO A", "Embassy A", "community", 1),
    ("NGO A", "Diaspora group A2", "community", 2),
    ("University B", "Embassy B", "community", 1),
    ("Chamber of commerce C", "Embassy C", "community", 2),
    ("Chamber of commerce C", "Host ministry C", "official", 1),
]
# Pairs that may be tied by chance (probability ASSUMPTIONS["chance_tie"] each).
CHANCE_TIES = [
    ("Diaspora group A1", "Diaspora group A2", "community"),
    ("Diaspora group A3a", "Diaspora group A3b", "community"),
    ("Newspaper A", "NGO A", "press"),
    ("Broadcaster B", "Diaspora group B2", "press"),
    ("Newspaper C", "Chamber of commerce C", "press"),
    ("University B", "Diaspora group B1", "community"),
]
ASSUMPTIONS = {"chance_tie": 0.5, "jitter": 0.25}


def _position(angle_deg: float, radius: float, rng: np.random.Generator) -> tuple[float, float]:
    angle = math.radians(angle_deg)
    jitter = ASSUMPTIONS["jitter"]
    return (round(radius * math.cos(angle) + rng.uniform(-jitter, jitter), 3),
            round(radius * math.sin(angle) + rng.uniform(-jitter, jitter), 3))


def generate_network(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled simulated network: a nodes table (role, drawing position) and an edges table."""
    rng = np.random.default_rng(seed)
    nodes: dict[str, tuple[str, tuple[float, float]]] = {HQ: ("ministry", (0.0, 0.0))}
    ties: list[tuple[str, str, str, int]] = []
    nodes["Wire service (home)"] = ("media", _position(270, 2.2, rng))
    for number, (embassy, consulates) in enumerate(MISSIONS.items()):
        centre = 90 + 120 * number
        nodes[f"Embassy {embassy}"] = ("embassy", _position(centre, 3.0, rng))
        ties.append((f"Embassy {embassy}", HQ, "official", 3))
        nodes[f"Host ministry {embassy}"] = ("host_government", _position(centre - 22, 4.6, rng))
        ties.append((f"Host ministry {embassy}", f"Embassy {embassy}", "official", 2))
        media = "Broadcaster B" if embassy == "B" else f"Newspaper {embassy}"
        nodes[media] = ("media", _position(centre + 22, 4.6, rng))
        ties.append((media, f"Embassy {embassy}", "press", 2))
        spread = 16 if len(consulates) > 1 else 0
        for k, (consulate, groups) in enumerate(consulates.items()):
            angle = centre + spread * (k - (len(consulates) - 1) / 2) * 2
            nodes[f"Consulate {consulate}"] = ("consulate", _position(angle, 6.0, rng))
            ties.append((f"Consulate {consulate}", f"Embassy {embassy}", "official", 3))
            for j, group in enumerate(groups):
                offset = 7 * (j - (len(groups) - 1) / 2)
                nodes[f"Diaspora group {group}"] = ("diaspora", _position(angle + offset, 8.0, rng))
                ties.append((f"Diaspora group {group}", f"Consulate {consulate}", "community", int(rng.integers(2, 4))))
    nodes["Community radio A"] = ("media", _position(70, 7.2, rng))
    nodes["NGO A"] = ("civil_society", _position(112, 7.0, rng))
    nodes["University B"] = ("civil_society", _position(238, 5.2, rng))
    nodes["Chamber of commerce C"] = ("civil_society", _position(318, 6.0, rng))
    ties += FIXED_TIES
    ties += [(a, b, kind, int(rng.integers(1, 3))) for a, b, kind in CHANCE_TIES
             if rng.random() < ASSUMPTIONS["chance_tie"]]
    node_table = pd.DataFrame([{"node": n, "role": role, "x": x, "y": y, "simulated": True}
                               for n, (role, (x, y)) in nodes.items()])
    edge_table = pd.DataFrame([{"source_node": a, "target_node": b, "tie": kind, "strength": s, "simulated": True}
                               for a, b, kind, s in ties])
    return (node_table.sort_values("node", ignore_index=True),
            edge_table.sort_values(["source_node", "target_node"], ignore_index=True))


# --- analysis -----------------------------------------------------------------------------------------

def _coordinate(value) -> float:
    """A drawing position, NaN when a user's network gives none."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def _origin(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict:
    """Whether the network's tables are simulated, and their source(s), as the graph's attributes."""
    from dpdlab.data import is_known_real, is_simulated, source_of  # late: a drawing needs no data layer

    simulated = is_simulated(nodes) or is_simulated(edges)
    if not simulated and not (is_known_real(nodes) and is_known_real(edges)):
        return {}  # tables of unknown origin: the views keep the SIMULATED mark
    sources = dict.fromkeys(s for s in (source_of(nodes), source_of(edges)) if s)
    return {"simulated": simulated, "source": "; ".join(sources)}


def origin(graph: nx.Graph) -> pd.DataFrame:
    """An empty table carrying ``graph``'s provenance in its ``attrs`` (what :func:`dpdlab.data.provenance`
    and the charts read): simulated, or real with its source; unknown for a graph not built from loaded
    tables."""
    carrier = pd.DataFrame()
    carrier.attrs.update({k: graph.graph[k] for k in ("simulated", "source") if k in graph.graph})
    return carrier


def provenance(graph: nx.Graph) -> str:
    """What a view of ``graph`` says about its data: "SIMULATED network ..." unless it is known to be real,
    then "Data: <its source>"."""
    from dpdlab.data import is_known_real
    from dpdlab.data import provenance as table_provenance

    carrier = origin(graph)
    return table_provenance(carrier) if is_known_real(carrier) else MESSAGES["reach_subtitle"]


def _is_real(graph: nx.Graph) -> bool:
    return graph.graph.get("simulated") is False


def _lay_out(graph: nx.Graph) -> None:
    """Give nodes without a drawing position one (a seeded spring layout; given positions stay fixed)."""
    placed = {n: (d["x"], d["y"]) for n, d in graph.nodes(data=True) if not (math.isnan(d["x"]) or math.isnan(d["y"]))}
    if len(placed) == graph.number_of_nodes() or graph.number_of_nodes() == 0:
        return
    # the scale of the course's drawing (networkx applies it only when no node is fixed)
    layout = nx.spring_layout(graph, pos=placed or None, fixed=list(placed) or None, seed=SEED, scale=8.0)
    for node, (x, y) in layout.items():
        graph.nodes[node].update(x=round(float(x), 3), y=round(float(y), 3))


def build_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """An undirected networkx graph from a nodes and an edges table (role and position kept as attributes).

    Every edge must join two nodes of the nodes table; the error names the row and the unknown node. Nodes
    without a drawing position (a user's own network need not give ``x``, ``y``) are placed by a seeded
    layout. ``graph.graph`` keeps whether the tables are simulated and their source (see :func:`provenance`).
    """
    graph = nx.Graph(**_origin(nodes, edges))
    for row in nodes.itertuples(index=False):
        graph.add_node(row.node, role=row.role, x=_coordinate(getattr(row, "x", None)),
                       y=_coordinate(getattr(row, "y", None)))
    for number, row in enumerate(edges.itertuples(index=False), start=1):
        for column in ("source_node", "target_node"):
            if getattr(row, column) not in graph:
                raise ValueError(MESSAGES["edge_unknown_node"].format(row=number, column=column,
                                                                      node=getattr(row, column)))
        graph.add_edge(row.source_node, row.target_node, tie=row.tie, strength=int(row.strength))
    _lay_out(graph)
    return graph


def headquarters(graph: nx.Graph, name: str | None = None) -> str:
    """The node a ministry's messages start from: ``name`` when given (it must be a node of ``graph``),
    otherwise the node whose role is ``ministry`` (of several, the one with most ties, then by name), and in
    a network without one the node with most ties (then by name)."""
    if name:
        _check_node(graph, name)
        return name
    if graph.number_of_nodes() == 0:
        raise ValueError(MESSAGES["empty_network"])
    ministries = [n for n, d in graph.nodes(data=True) if d.get("role") == "ministry"]
    return min(ministries or graph, key=lambda n: (-graph.degree(n), str(n)))


def liaison_ties(graph: nx.Graph, hq: str | None = None) -> list[str]:
    """Who the reach explorer's new community liaison is tied to: headquarters and two diaspora groups far
    from it. On the course's network these are :data:`LIAISON_TIES`; on another network, headquarters and
    the two nodes farthest from it (by relays, then by name)."""
    hq = headquarters(graph, hq)
    if hq == HQ and all(t in graph for t in LIAISON_TIES):
        return list(LIAISON_TIES)
    distance = nx.single_source_shortest_path_length(graph, hq)
    farthest = sorted((n for n in distance if n != hq), key=lambda n: (-distance[n], str(n)))[:2]
    return [hq, *farthest]


def roles(graph: nx.Graph) -> list[str]:
    """The roles of ``graph``'s nodes, the course's roles first in their usual order, then any others
    (a user's honorary consulates, missions to organisations) alphabetically: the charts' shape and
    colour scales."""
    present = {str(d.get("role", "")) for _, d in graph.nodes(data=True)}
    return [r for r in ROLES if r in present] + sorted(present - set(ROLES))


def _check_node(graph: nx.Graph, node: str) -> None:
    if node not in graph:
        raise ValueError(MESSAGES["unknown_node"].format(node=node))


def reach(graph: nx.Graph, seed: str, hops: int) -> set[str]:
    """The nodes a message starting at ``seed`` reaches when passed on ``hops`` times (``seed`` excluded)."""
    _check_node(graph, seed)
    if isinstance(hops, bool) or not isinstance(hops, (int, np.integer)) or hops < 0:
        raise ValueError(MESSAGES["bad_hops"].format(hops=hops))
    return set(nx.single_source_shortest_path_length(graph, seed, cutoff=int(hops))) - {seed}


def without_node(graph: nx.Graph, node: str) -> nx.Graph:
    """A copy of ``graph`` without ``node`` and its ties."""
    _check_node(graph, node)
    copy = graph.copy()
    copy.remove_node(node)
    return copy


def with_node(graph: nx.Graph, node: str, ties: tuple[str, ...] | list[str], role: str = "ministry",
              position: tuple[float, float] = (0.0, -1.6)) -> nx.Graph:
    """A copy of ``graph`` with a new ``node`` tied to each of ``ties``."""
    for other in ties:
        _check_node(graph, other)
    copy = graph.copy()
    copy.add_node(node, role=role, x=position[0], y=position[1])
    copy.add_edges_from((node, other, {"tie": "community", "strength": 2}) for other in ties)
    return copy


def bridge_comparison(graph: nx.Graph, node: str = DIPLOMAT, ties: tuple[str, ...] | list[str] = DIPLOMAT_TIES,
                      group_a: tuple[str, ...] | list[str] = HOST_SOCIETY_A,
                      group_b: tuple[str, ...] | list[str] = DIASPORA_A) -> pd.DataFrame:
    """Relays between every actor of ``group_a`` and every actor of ``group_b``, without and with a new ``node``
    tied to ``ties``: one row per pair (``from``, ``to``, ``hops_without``, ``hops_with``). A pair with no path
    gets no number (NaN)."""
    for other in (*group_a, *group_b):
        _check_node(graph, other)
    bridged = with_node(graph, node, ties, role="embassy")

    def hops(g: nx.Graph, a: str, b: str) -> float:
        return float(nx.shortest_path_length(g, a, b)) if nx.has_path(g, a, b) else float("nan")

    rows = [{"from": a, "to": b, "hops_without": hops(graph, a, b), "hops_with": hops(bridged, a, b)}
            for a in group_a for b in group_b]
    return pd.DataFrame(rows)


def centrality_table(graph: nx.Graph) -> pd.DataFrame:
    """Degree (number of ties), betweenness and closeness centrality of every node, by node name."""
    betweenness = nx.betweenness_centrality(graph)
    closeness = nx.closeness_centrality(graph)
    rows = [{"node": n, "role": graph.nodes[n].get("role", ""), "degree": graph.degree(n),
             "betweenness": betweenness[n], "closeness": closeness[n]} for n in sorted(graph)]
    return pd.DataFrame(rows)


def bridges_and_cut_points(graph: nx.Graph) -> tuple[list[tuple[str, str]], list[str]]:
    """The ties whose loss splits the network (bridges) and the nodes whose loss does (cut points), sorted."""
    bridges = sorted(tuple(sorted(edge)) for edge in nx.bridges(graph))
    return bridges, sorted(nx.articulation_points(graph))


# --- charts and views -----------------------------------------------------------------------------------

STATUS_ORDER = ("seed", "reached", "not_reached", "removed", "added")
STATUS_COLOURS = ("#000000", "#0072B2", "#BBBBBB", "#D55E00", "#009E73")


@cached_per_edition  # built once per set of roles: constructing Altair encodings costs more than the rest of a view
def _network_template(role_scale: tuple[str, ...] = ROLES) -> alt.LayerChart:
    """The network drawing without its data: ties and nodes come in one table, told apart by ``layer``."""
    names = MESSAGES["status_names"]
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    edges = alt.Chart().transform_filter("datum.layer == 'tie'").mark_rule(color="#999999", strokeWidth=1).encode(
        x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), x2="x2:Q", y2="y2:Q")
    nodes = alt.Chart().transform_filter("datum.layer == 'node'")
    dots = nodes.mark_point(filled=True, size=140, opacity=1).encode(
        x="x:Q", y="y:Q",
        color=alt.Color("status:N", title=None, scale=alt.Scale(domain=[names[s] for s in STATUS_ORDER],
                                                                range=list(STATUS_COLOURS))),
        shape=alt.Shape("role:N", title="role", scale=alt.Scale(domain=list(role_scale))))
    text = nodes.mark_text(fontSize=9, dy=-11, color="#333333").encode(x="x:Q", y="y:Q", text="node:N")
    return alt.layer(edges, dots, text).properties(width=560, height=430)


def network_chart(graph: nx.Graph, status: dict[str, str], title: str, description: str,
                  removed: tuple[str, float, float, str] | None = None) -> alt.LayerChart:
    """The network drawn at its stored positions, nodes coloured by ``status`` (see :data:`STATUS_ORDER`).

    ``removed`` (name, x, y, role) draws a node that is no longer in ``graph`` where it used to be.
    """
    if not title.strip() or not description.strip():
        raise ValueError("A course chart needs both a title and a description")
    names = MESSAGES["status_names"]
    rows = [{"layer": "node", "node": n, "x": d["x"], "y": d["y"], "role": d.get("role", ""),
             "status": names[status.get(n, "not_reached")]} for n, d in graph.nodes(data=True)]
    if removed is not None:
        rows.append({"layer": "node", "node": removed[0], "x": removed[1], "y": removed[2], "role": removed[3],
                     "status": names["removed"]})
    rows += [{"layer": "tie", "x": graph.nodes[a]["x"], "y": graph.nodes[a]["y"], "x2": graph.nodes[b]["x"],
              "y2": graph.nodes[b]["y"]} for a, b in graph.edges]
    # Same result as dpdlab.described(), without re-validating the whole layered spec on every widget move.
    scale = roles(graph) + ([removed[3]] if removed is not None and removed[3] not in roles(graph) else [])
    chart = _network_template(tuple(scale)).copy(deep=False)
    chart.data = pd.DataFrame(rows)
    chart.title = alt.Title(title, subtitle=provenance(graph))
    chart.description = description
    return chart


def _wording(graph: nx.Graph) -> dict[str, str]:
    """The words the views put beside their figures: the simulated network's, or a real network's source."""
    if _is_real(graph):
        return {"kind": "", "data": f" ({provenance(graph)}.)", "nodes": MESSAGES["nodes_column"],
                "value": MESSAGES["value_column"]}
    return {"kind": MESSAGES["simulated_kind"], "data": MESSAGES["simulated_data"], "nodes": MESSAGES["reach_columns"]["total"],
            "value": MESSAGES["centrality_columns"]["value"]}


def reach_view(graph: nx.Graph, seed: str | None = None, hops: int = 2, removed: str | None = None,
               add_liaison: bool = False) -> View:
    """The reach explorer's view: who a message from ``seed`` (default: :func:`headquarters`) reaches in
    ``hops`` relays, and how removing the node ``removed`` (or adding the community liaison) changes it."""
    seed = headquarters(graph, seed)
    words = _wording(graph)
    kept_seed = ""
    if removed == seed:  # in the explorer, both menus can name one node: say why nothing is removed
        removed, kept_seed = None, MESSAGES["reach_same"].format(seed=seed)
    before = reach(graph, seed, hops)
    others = graph.number_of_nodes() - 1
    shown, extra, change, delta = graph, "", "", 0
    removed_at = None
    if removed:
        shown = without_node(graph, removed)
        after = reach(shown, seed, hops)
        delta = len(after) - len(before)
        extra = MESSAGES["reach_extra_removed"].format(removed=removed, after=len(after), delta=delta)
        change = MESSAGES["reach_change"].format(removed=removed, delta=abs(delta),
                                                 direction=MESSAGES["direction_cuts" if delta < 0 else "direction_changes"])
        node = graph.nodes[removed]
        removed_at = (removed, node["x"], node["y"], node.get("role", ""))
    if add_liaison:
        base = len(reach(shown, seed, hops))
        shown = with_node(shown, LIAISON, [t for t in liaison_ties(graph) if t in shown])
        after = reach(shown, seed, hops)
        extra += MESSAGES["reach_extra_added"].format(after=len(after), delta=len(after) - base)
        change += MESSAGES["reach_added"].format(reached=len(after))
    reached = reach(shown, seed, hops)
    status = {n: "reached" for n in reached} | {seed: "seed"}
    if add_liaison:
        status[LIAISON] = "added"
    labels = {"seed": seed, "hops": hops, "n": shown.number_of_nodes(), "reached": len(before),
              "others": others, "change": change, "kind": words["kind"]}
    chart = network_chart(shown, status, MESSAGES["reach_title"].format(**labels),
                          MESSAGES["reach_description"].format(**labels), removed=removed_at)
    by_role = pd.DataFrame([{"role": d.get("role", ""), "reached": n in reached} for n, d in shown.nodes(data=True)
                            if n != seed])
    table = by_role.groupby("role", sort=True)["reached"].agg(["sum", "size"]).reset_index()
    table.columns = ["role", "reached", "total"]
    note = MESSAGES["reach_note"].format(seed=seed, hops=hops, reached=len(before), others=others,
                                         share=len(before) / others if others else 0.0, extra=extra + kept_seed,
                                         data=words["data"])
    return View(chart=chart, note=note, figures=table.rename(columns=MESSAGES["reach_columns"] | {"total": words["nodes"]}),
                extra={"before": len(before), "after": len(reached), "delta": len(reached) - len(before)})


def reach_explorer(graph: nx.Graph, seed: str | None = None) -> w.VBox:
    """Widget: pick where a message starts (default: :func:`headquarters`) and how many relays it gets;
    remove a node or add a liaison."""
    seed = headquarters(graph, seed)
    names = sorted(graph)
    none = MESSAGES["none_option"]
    controls = {
        "seed": labelled(w.Dropdown(options=names, value=seed), MESSAGES["seed_label"], width="22em"),
        "hops": labelled(w.IntSlider(value=2, min=1, max=5), MESSAGES["hops_label"]),
        "removed": labelled(w.Dropdown(options=[(none, "")] + [(n, n) for n in names], value=""),
                            MESSAGES["remove_label"], width="22em"),
        "add_liaison": labelled(w.Checkbox(value=False), MESSAGES["add_label"], width="26em"),
    }
    return linked(lambda seed, hops, removed, add_liaison: reach_view(graph, seed, hops, removed or None, add_liaison),
                  controls, columns=2)


def centrality_view(graph: nx.Graph, measure: str = "degree", top: int = 8) -> View:
    """The centrality explorer's view: the ``top`` actors by ``measure``, with the network's bridges and cut
    points."""
    if measure not in MEASURES:
        raise ValueError(MESSAGES["unknown_measure"].format(measure=measure, known=", ".join(MEASURES)))
    table = centrality_table(graph).sort_values([measure, "node"], ascending=[False, True], kind="stable")
    shown = table.head(top).rename(columns={measure: "value"})[["node", "role", "value"]]
    bridges, cuts = bridges_and_cut_points(graph)
    name = MESSAGES["centrality_names"][measure]
    words = _wording(graph)
    labels = {"top": len(shown), "measure": name, "first": shown["node"].iloc[0], "role": shown["role"].iloc[0],
              "kind": words["kind"]}
    chart = alt.Chart(shown).mark_bar().encode(
        x=alt.X("value:Q", title=name), y=alt.Y("node:N", sort="-x", title=None),
        color=alt.Color("role:N", title="role", scale=alt.Scale(domain=roles(graph))))
    chart = described(chart, MESSAGES["centrality_title"].format(**labels),
                      MESSAGES["centrality_description"].format(**labels), subtitle=provenance(graph))
    note = MESSAGES["centrality_note"].format(**labels, bridges=len(bridges), cuts=", ".join(cuts) or MESSAGES["no_cuts"],
                                              data=words["data"])
    columns = MESSAGES["centrality_columns"] | {"value": words["value"]}
    return View(chart=chart, note=note,
                figures=shown.assign(value=shown["value"].round(3)).rename(columns=columns),
                extra={"first": labels["first"], "bridges": len(bridges), "cut_points": cuts})


def centrality_explorer(graph: nx.Graph, measure: str = "degree") -> w.VBox:
    """Widget: choose a centrality measure and how many actors to show."""
    controls = {
        "measure": labelled(w.ToggleButtons(options=[(m, m) for m in MEASURES], value=measure),
                            MESSAGES["centrality_label"], width="auto"),
        "top": labelled(w.IntSlider(value=8, min=3, max=15), MESSAGES["top_label"]),
    }
    return linked(lambda measure, top: centrality_view(graph, measure, top), controls, columns=1)


def office_counts_chart(figures: pd.DataFrame) -> alt.LayerChart:
    """Range chart of the published counts of Mexico's consular offices in the US, one row per source."""
    rows = figures[figures["measure"] == "consular_offices_us"].copy()
    unknown = MESSAGES["figures_year_unknown"]
    rows["label"] = [f"{s} ({unknown if pd.isna(y) else int(y)})" for s, y in zip(rows["source"], rows["reference_year"])]
    rows["high"] = rows["value_high"].fillna(rows["value_low"]).astype(float)
    rows["open"] = rows["qualifier"] == "more_than"
    base = alt.Chart(rows).encode(y=alt.Y("label:N", title=None))
    low, high = int(rows["value_low"].min()), int(rows["high"].max())
    margin = max(2, round((high - low) * 0.3))  # room for the arrows of open-ended figures
    ranges = base.mark_rule(strokeWidth=6, color="#0072B2").encode(
        x=alt.X("value_low:Q", title="consular offices in the United States",
                scale=alt.Scale(domain=[max(0, low - margin), high + margin])),
        x2="high:Q")
    dots = base.mark_point(filled=True, size=120, color="#0072B2").encode(x="value_low:Q")
    arrows = base.transform_filter("datum.open").mark_point(shape="triangle-right", size=140, color="#D55E00",
                                                              filled=True, xOffset=10).encode(x="value_low:Q")
    from dpdlab.data import is_bundled, provenance as table_provenance

    title = MESSAGES["figures_title"] if is_bundled(figures, "mexico_consular_network") or not \
        figures.attrs.get("path") else MESSAGES["figures_title_own"]
    return described(ranges + dots + arrows, title,
                     MESSAGES["figures_description"].format(n=len(rows), low=low, high=high),
                     subtitle=None if title == MESSAGES["figures_title"] else table_provenance(figures) or None)


# --- roll-call votes as a co-voting network -------------------------------------------------------------

VOTE_CHOICES = ("yes", "no", "abstain")
# Agreement (share of identical votes) at or above which a co-voting tie gets strength 2 and 3.
AGREEMENT_STRENGTH = (0.75, 0.9)


def agreement_table(votes: pd.DataFrame, country: str = "country", resolution: str = "resolution",
                    vote: str = "vote") -> pd.DataFrame:
    """How often each pair of countries voted alike: one row per pair (``source_node``, ``target_node``,
    ``shared``: resolutions both voted on, ``agreement``: the share of those where both cast the same vote).

    ``votes`` has one row per country and resolution, as roll-call records of the UN General Assembly are
    published; ``vote`` is yes, no or abstain (any case). Other values (absent, not a member) and empty
    cells are not votes and are left out; so is a pair that never voted on the same resolution.
    """
    missing = [c for c in (country, resolution, vote) if c not in votes]
    if missing:
        raise ValueError(MESSAGES["votes_missing"].format(columns=", ".join(missing), have=", ".join(votes.columns)))
    cast = votes[[country, resolution, vote]].dropna()
    cast = cast.assign(**{vote: cast[vote].astype(str).str.strip().str.lower()})
    cast = cast[cast[vote].isin(VOTE_CHOICES)]
    wide = cast.drop_duplicates([country, resolution], keep="last").pivot(index=resolution, columns=country,
                                                                          values=vote)
    names = sorted(wide.columns, key=str)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            both = wide[a].notna() & wide[b].notna()
            if both.any():
                same = (wide.loc[both, a] == wide.loc[both, b]).mean()
                rows.append({"source_node": a, "target_node": b, "shared": int(both.sum()), "agreement": float(same)})
    return pd.DataFrame(rows, columns=["source_node", "target_node", "shared", "agreement"])


def co_voting_tables(votes: pd.DataFrame, country: str = "country", resolution: str = "resolution",
                     vote: str = "vote", min_agreement: float = 0.75, min_shared: int = 1,
                     role: str = "state") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Roll-call votes as a co-voting network in the shape of the course's mission network: a nodes table
    (``node``: each country, ``role``) and an edges table (``source_node``, ``target_node``, ``tie``
    "co_voting", ``strength``) with a tie between two countries that voted alike on at least
    ``min_agreement`` of the (at least ``min_shared``) resolutions both voted on.

    ``strength`` grades the agreement: 1 below :data:`AGREEMENT_STRENGTH` [0], 2 below [1], 3 above. A tie
    drawn for any agreement at all would join almost every pair and leave nothing to measure. Check both
    tables with :func:`dpdlab.data.check_table` (``mission_network_nodes_simulated``,
    ``mission_network_edges_simulated``, naming your source) and pass them to :func:`build_graph`; the
    agreement shares themselves are in :func:`agreement_table`.
    """
    if not 0 <= min_agreement <= 1:
        raise ValueError(MESSAGES["votes_threshold"].format(value=min_agreement))
    pairs = agreement_table(votes, country, resolution, vote)
    kept = pairs[(pairs["agreement"] >= min_agreement) & (pairs["shared"] >= min_shared)]
    low, high = AGREEMENT_STRENGTH
    strength = 1 + (kept["agreement"] >= low).astype(int) + (kept["agreement"] >= high).astype(int)
    edges = pd.DataFrame({"source_node": kept["source_node"], "target_node": kept["target_node"],
                          "tie": "co_voting", "strength": strength}).reset_index(drop=True)
    voted = votes.loc[votes[vote].astype(str).str.strip().str.lower().isin(VOTE_CHOICES), country].dropna()
    nodes = pd.DataFrame({"node": sorted(set(voted), key=str), "role": role})
    for table in (nodes, edges):  # the rows are as real (or simulated) as the votes they come from
        table.attrs.update({k: votes.attrs[k] for k in ("simulated", "source") if k in votes.attrs})
    return nodes, edges
