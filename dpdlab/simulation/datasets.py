"""Schemas of the crisis simulation's datasets: the injects of the fictional scenario and the simulated
accounts and posts that spread its false claim. All three are simulated and fictional."""
from __future__ import annotations

from dpdlab.schema import Column, Dataset, simulated_flag
from dpdlab.simulation.scenario import STAGE_NUMBERS, STAGES

# What the simulated accounts present as: role labels, never a real person or office. Here rather than in the
# model, so that loading a dataset does not import the simulation.
ROLES = {
    "national": "National in Marvenia (simulated)",
    "relative": "Relative in Valdoria (simulated)",
    "citizen": "Citizen (simulated)",
    "journalist": "Journalist (simulated)",
    "outlet": "News outlet (simulated)",
}


def _generate_injects():
    from dpdlab.simulation.scenario import generate_injects

    return generate_injects()


def _generate_accounts():
    from dpdlab.simulation.model import generate_claim_accounts

    return generate_claim_accounts()


def _generate_posts():
    from dpdlab.simulation.model import generate_claim_posts

    return generate_claim_posts()


INJECTS = Dataset(
    name="crisis_simulation_injects_simulated",
    title="The injects of a simulated consular crisis in a fictional setting (Valdoria, Marvenia, Ostelia)",
    row="one stage of the exercise: the prebrief or one inject (simulated, fictional)",
    key=("stage",),
    simulated=True,
    generator=_generate_injects,
    columns=(
        Column("stage", "integer", "Stage of the exercise (0 is the prebrief)", minimum=min(STAGE_NUMBERS),
               maximum=max(STAGE_NUMBERS)),
        Column("class_minute", "integer", "Minute of a 90-minute class at which the facilitator releases it",
               unit="minutes", minimum=0, maximum=90),
        Column("sim_hour", "number", "Simulated hours after the earthquake", unit="hours", minimum=0, maximum=48),
        Column("clock", "text", "Simulated time as the notebook shows it", allowed=tuple(s.clock for s in STAGES)),
        Column("title", "text", "Short title of the inject"),
        Column("speaker", "text", "Who speaks in the inject (a fictional office or a role, never a real one)"),
        Column("inject", "text", "The inject's text, with the figures the simulated datasets give"),
        Column("decide", "text", "What the teams decide at this stage"),
        Column("decisions", "text", "The notebook's decision variables of this stage, separated by ';'"),
        Column("rules", "text", "The rules of the exercise checked on those decisions, separated by ';'"),
        Column("release_fingerprint", "text", "SHA-256 fingerprint of the stage's code word ('none' for the "
               "prebrief)", pattern=r"[0-9a-f]{64}|none"),
        simulated_flag(),
    ),
)

ACCOUNT_ID = r"c-\d{3}"

CLAIM_ACCOUNTS = Dataset(
    name="crisis_claim_accounts_simulated",
    title="Simulated accounts that spread a false claim about a fictional embassy, some of them a coordinated "
          "operation",
    row="one simulated account",
    key=("account_id",),
    simulated=True,
    generator=_generate_accounts,
    columns=(
        Column("account_id", "text", "Identifier of the simulated account", pattern=ACCOUNT_ID),
        Column("presents_as", "text", "What the account says it is (a role label, never a real person)",
               allowed=tuple(ROLES.values())),
        Column("created_days_before", "integer", "Days between the account's creation and the earthquake (0: "
               "opened that morning)", unit="days", minimum=0),
        Column("followers", "integer", "Simulated followers", unit="followers", minimum=0),
        Column("in_operation", "boolean", "Ground truth of the simulation: whether the account belongs to the "
               "coordinated operation"),
        simulated_flag(),
    ),
)

CLAIM_POSTS = Dataset(
    name="crisis_claim_posts_simulated",
    title="Simulated posts spreading, sharing and questioning a false claim about a fictional embassy",
    row="one simulated post",
    key=("post_id",),
    simulated=True,
    generator=_generate_posts,
    columns=(
        Column("post_id", "text", "Identifier of the simulated post", pattern=r"cp-\d{4}"),
        Column("account_id", "text", "Account that posted it (see crisis_claim_accounts_simulated)",
               pattern=ACCOUNT_ID),
        Column("minute", "integer", "Minutes after the earthquake (T+0)", unit="minutes", minimum=0,
               maximum=24 * 60),
        Column("language", "text", "Language of the post", allowed=("es", "en", "pt")),
        Column("text", "text", "Text of the simulated post"),
        simulated_flag(),
    ),
)

DATASETS = (INJECTS, CLAIM_ACCOUNTS, CLAIM_POSTS)
