from dpdlab import load_dataset
from dpdlab.argentina import POLICIES, explore_audience, handover_what_if


def cases(rng):
    audience = load_dataset("argentina_audience_simulated")
    days = {a: sorted(audience.loc[audience["account"] == a, "date"]) for a in audience["account"].unique()}

    def explorer():
        account = rng.choice(sorted(days))
        return explore_audience(audience, account, *sorted(rng.sample(days[account], 2)))

    def what_if():
        return handover_what_if(rng.choice(POLICIES), rng.randint(7, 365), rng.choice([0.0, 0.05, 0.1, 0.3]))

    return {"argentina.explore_audience": explorer, "argentina.handover_what_if": what_if}
