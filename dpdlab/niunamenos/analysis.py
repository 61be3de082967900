"""Who followed whom, and how fast governments answered: plain functions on the case's fact tables.

Nothing here is simulated. :func:`first_marches` and :func:`first_responses` read the events and policies
tables; :func:`diffusion_links` links each country's first march to an earlier one by a stated rule (the most
recent earlier-marching neighbour, else the origin); :func:`bridges` ranks countries by directed betweenness
centrality (networkx): how often the movement passes *through* them. The rule and the neighbours table are
assumptions, said out loud in the notebook; the dates are the sources'.
"""
from __future__ import annotations

import networkx as nx
import pandas as pd

from dpdlab.niunamenos.datasets import MARCH_KINDS

# Shared land borders among the eight countries: the contact network the "who followed whom" rule uses.
# An assumption of the rule (that neighbours learn from each other), not a finding.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "Argentina": ("Bolivia", "Brazil", "Chile", "Paraguay", "Uruguay"),
    "Bolivia": ("Argentina", "Brazil", "Chile", "Paraguay", "Peru"),
    "Brazil": ("Argentina", "Bolivia", "Paraguay", "Peru", "Uruguay"),
    "Chile": ("Argentina", "Bolivia", "Peru"),
    "Mexico": (),
    "Paraguay": ("Argentina", "Bolivia", "Brazil"),
    "Peru": ("Bolivia", "Brazil", "Chile"),
    "Uruguay": ("Argentina", "Brazil"),
}


def first_marches(events: pd.DataFrame) -> pd.DataFrame:
    """Each country's earliest march or strike in the events table: ``country``, ``event_id``, ``date``,
    and ``days_after_first`` (days after the movement's first march), earliest first."""
    marches = events[events["kind"].isin(MARCH_KINDS)].sort_values(["date", "country"])
    if marches.empty:
        raise ValueError("The events table has no march or strike")
    first = marches.groupby("country", sort=False).head(1)[["country", "event_id", "date"]]
    first = first.reset_index(drop=True)
    first["days_after_first"] = (first["date"] - first["date"].iloc[0]).dt.days
    return first


def diffusion_links(events: pd.DataFrame, neighbours: dict[str, tuple[str, ...]] | None = None,
                    rule: str = "most_recent") -> pd.DataFrame:
    """Who followed whom: one row per link ``leader -> follower`` between countries' first marches.

    A country's candidates are its *neighbours* whose first march came strictly earlier. With
    ``rule="most_recent"`` it follows the candidate(s) that marched last before it; with ``rule="all"``
    it follows every candidate. A country with no candidate follows the origin (the first country to
    march). Columns: ``leader``, ``follower``, ``days`` (between the two first marches) and ``via``
    (``"neighbour"`` or ``"origin"``).
    """
    if rule not in ("most_recent", "all"):
        raise ValueError(f"Unknown rule {rule!r}; choose 'most_recent' or 'all'")
    neighbours = NEIGHBOURS if neighbours is None else neighbours
    first = first_marches(events).set_index("country")["date"]
    origin = first.index[0]
    links = []
    for follower, date in first.items():
        if follower == origin:
            continue
        if follower not in neighbours:
            raise ValueError(f"{follower!r} is not in the neighbours table; add it (with an empty tuple if "
                             f"it has no neighbour)")
        earlier = first[[c for c in neighbours[follower] if c in first.index and first[c] < date]]
        if earlier.empty:
            leaders, via = [origin], "origin"
        elif rule == "most_recent":
            leaders, via = sorted(earlier.index[earlier == earlier.max()]), "neighbour"
        else:
            leaders, via = sorted(earlier.index), "neighbour"
        links += [{"leader": leader, "follower": follower, "days": int((date - first[leader]).days), "via": via}
                  for leader in leaders]
    return pd.DataFrame(links, columns=["leader", "follower", "days", "via"])


def neighbours_from_metadata(metadata: pd.DataFrame, name: str = "name", code: str = "alpha-3",
                             borders: str = "borders") -> dict[str, tuple[str, ...]]:
    """The neighbours table :func:`diffusion_links` takes, from ISO-style country metadata.

    ``metadata`` has one row per country: its ``name`` (as the events table spells it), its ISO 3166 alpha-3
    ``code`` and its land ``borders`` as alpha-3 codes separated by ``;``, ``,``, ``|`` or spaces (empty: no
    land border). Rename your columns with the three arguments. Borders with a code the table does not hold
    are left out (a neighbour outside the table cannot have marched in it); a border listed on one side only
    counts on both, so the table is symmetric.
    """
    missing = {name, code, borders} - set(metadata.columns)
    if missing:
        raise ValueError(f"The country metadata needs the columns {name!r}, {code!r} and {borders!r}; missing: "
                         f"{', '.join(sorted(missing))} (name yours with the arguments name=, code=, borders=)")
    codes = metadata[code].astype(str).str.strip().str.upper()
    if codes.duplicated().any():
        raise ValueError(f"Codes appear twice in the metadata: {', '.join(sorted(set(codes[codes.duplicated()])))}")
    names = dict(zip(codes, metadata[name].astype(str).str.strip()))
    table: dict[str, set[str]] = {country: set() for country in names.values()}
    for country_code, listed in zip(codes, metadata[borders]):
        parts = [] if pd.isna(listed) else str(listed).replace(";", " ").replace(",", " ").replace("|", " ").split()
        for other in (part.upper() for part in parts):
            if other in names and other != country_code:
                table[names[country_code]].add(names[other])
                table[names[other]].add(names[country_code])
    return {country: tuple(sorted(others)) for country, others in sorted(table.items())}


def spread_by_neighbourhood(events: pd.DataFrame, neighbours: dict[str, tuple[str, ...]] | None = None,
                            metadata: pd.DataFrame | None = None, name: str = "name",
                            region: str = "region", sub_region: str = "sub-region") -> pd.DataFrame:
    """Which countries the movement reached that border one that marched before: each country's first march
    (:func:`first_marches`) with ``earlier_neighbours`` (its neighbours whose first march came strictly
    earlier, ``"; "``-separated, empty if none) and ``borders_earlier`` (whether there is one).

    ``neighbours`` defaults to the case's :data:`NEIGHBOURS` (or use :func:`neighbours_from_metadata`);
    with ``metadata`` (ISO-style, one row per country) the table also gives each country's ``region`` and
    ``sub_region``, and ``same_sub_region`` says whether an earlier neighbour shares it. A border is where
    the rule *looks* for a contact, not evidence that one happened.
    """
    neighbours = NEIGHBOURS if neighbours is None else neighbours
    first = first_marches(events)
    dates = first.set_index("country")["date"]
    earlier = [sorted(c for c in neighbours.get(country, ()) if c in dates.index and dates[c] < date)
               for country, date in zip(first["country"], first["date"])]
    table = first.assign(earlier_neighbours=["; ".join(e) for e in earlier],
                         borders_earlier=[bool(e) for e in earlier])
    if metadata is not None:
        missing = {name, region, sub_region} - set(metadata.columns)
        if missing:
            raise ValueError(f"The country metadata needs the columns {', '.join(sorted(missing))} (name yours "
                             "with the arguments name=, region=, sub_region=)")
        places = metadata.assign(**{name: metadata[name].astype(str).str.strip()}).set_index(name)
        table["region"] = table["country"].map(places[region])
        table["sub_region"] = table["country"].map(places[sub_region])
        table["same_sub_region"] = [any(places[sub_region].get(c) == sub for c in e) and pd.notna(sub)
                                    for e, sub in zip(earlier, table["sub_region"])]
    return table


def diffusion_network(links: pd.DataFrame) -> nx.DiGraph:
    """A directed graph with an edge ``leader -> follower`` for each link (edge attributes ``days``, ``via``)."""
    missing = {"leader", "follower"} - set(links.columns)
    if missing:
        raise ValueError(f"links needs the columns leader and follower; missing: {', '.join(sorted(missing))}")
    graph = nx.DiGraph()
    for row in links.itertuples(index=False):
        graph.add_edge(row.leader, row.follower, **{k: getattr(row, k) for k in ("days", "via") if hasattr(row, k)})
    return graph


def bridges(graph: nx.DiGraph) -> pd.DataFrame:
    """Countries ranked by directed betweenness centrality: the number of leader-to-follower paths that
    pass *through* each one (``betweenness``, unnormalised) and the same as a share of the possible paths
    (``share``). The top country is the network's bridge, if its score is above zero."""
    raw = nx.betweenness_centrality(graph, normalized=False)
    share = nx.betweenness_centrality(graph, normalized=True)
    table = pd.DataFrame({"country": list(raw), "betweenness": [raw[c] for c in raw],
                          "share": [share[c] for c in raw]})
    return table.sort_values(["betweenness", "country"], ascending=[False, True], ignore_index=True)


def first_responses(policies: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Each jurisdiction's first *response* of one of ``kinds``: ``jurisdiction``, ``policy_id``, ``date``,
    ``date_precision``, ``kind``, earliest first."""
    responses = policies[(policies["role"] == "response") & policies["kind"].isin(kinds)]
    first = responses.sort_values(["date", "jurisdiction"]).groupby("jurisdiction", sort=False).head(1)
    return first[["jurisdiction", "policy_id", "date", "date_precision", "kind"]].reset_index(drop=True)
