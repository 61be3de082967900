from dpdlab import crises, infoops, load_dataset, strategy


def cases(rng):
    posts = load_dataset("coordination_posts_simulated")
    accounts = load_dataset("coordination_accounts_simulated")
    features = infoops.account_features(posts, accounts)
    truth = set(accounts.loc[accounts["in_operation"], "account_id"])
    attention = load_dataset("crisis_attention_simulated")
    series = sorted(attention["series"].unique())
    requests = load_dataset("consular_requests_simulated")
    internet = load_dataset("internet_use_share")
    countries = sorted(set(internet["country"]) - {"Latin America & Caribbean", "World"})

    def timeline():
        return infoops.posting_timeline(posts, rng.randint(1, 7), rng.choice([1, 5, 15, 60]), rng.randint(2, 20))

    def detector():
        return infoops.detector_view(features, truth, rng.choice([0.2, 0.4, 0.5, 0.8]), rng.choice([0.2, 0.4, 0.6]),
                                     rng.randint(1, 40), rng.choice(["all", "any", "two_of_three"]))

    def decay():
        start = rng.randint(0, 60)
        return crises.attention_view(attention, rng.choice(series), start, start + rng.randint(10, 170),
                                     rng.choice([True, False]))

    def triage():
        return crises.triage_view(requests, rng.randint(1, 10), rng.randint(1, 20),
                                  rng.choice(["none", "keywords", "perfect"]))

    def reach():
        return strategy.reach_view(internet, rng.choice(countries), rng.randrange(10_000, 1_000_001, 10_000),
                                   rng.choice([0.2, 0.6, 1.0]), rng.choice([0.01, 0.1, 0.5]))

    def clearance():
        return strategy.clearance_view(rng.randint(0, 8), rng.choice([0.5, 2, 4, 12, 24]), rng.randint(2, 48))

    return {"infoops.posting_timeline": timeline, "infoops.detector_view": detector,
            "crises.attention_view": decay, "crises.triage_view": triage, "strategy.reach_view": reach,
            "strategy.clearance_view": clearance}
