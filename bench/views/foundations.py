from dpdlab import load_dataset
from dpdlab.foundations import metrics, networks, practice


def cases(rng):
    milestones = load_dataset("digital_diplomacy_milestones")
    activities = load_dataset("diplomatic_activities")
    years = {s: sorted(practice.select_milestones(milestones, s)["date"].dt.year.unique()) for s in practice.SCOPES}
    figures = load_dataset("leader_account_figures")
    editions = figures.loc[(figures["metric"] == "followers") & (figures["region"] == "latin_america"), "year"]
    editions = editions.value_counts().sort_index()  # year -> how many figures
    panel = metrics.with_rates(load_dataset("account_panel_simulated"))  # as the ranking widget does, once
    months = sorted(panel["month"].unique())
    graph = networks.build_graph(load_dataset("mission_network_nodes_simulated"),
                                 load_dataset("mission_network_edges_simulated"))
    nodes = sorted(graph)

    def timeline():
        scope = rng.choice(practice.SCOPES)
        return practice.milestones_view(milestones, scope, sorted(rng.sample(years[scope], 2)))

    def activity():
        return practice.activity_view(activities, rng.choice(list(activities["activity_id"])))

    def edition():
        year = rng.choice(list(editions.index))
        return metrics.edition_summary_view(figures, int(year), "followers", rng.randint(0, min(2, editions[year] - 1)))

    def ranking():
        return metrics.ranking_view(panel, rng.choice(metrics.RANK_METRICS), rng.choice(months),
                                    rng.choice(["all", "presidency", "foreign_ministry", "embassy"]))

    def reach():
        seed = rng.choice(nodes)
        removed = rng.choice([None, *[n for n in nodes if n != seed]])
        return networks.reach_view(graph, seed, rng.randint(1, 5), removed, rng.random() < 0.5)

    def centrality():
        return networks.centrality_view(graph, rng.choice(networks.MEASURES), rng.randint(3, 15))

    return {"practice.milestones_view": timeline,
            "practice.activity_view": activity,
            "metrics.edition_summary_view": edition,
            "metrics.ranking_view": ranking,
            "networks.reach_view": reach,
            "networks.centrality_view": centrality}
