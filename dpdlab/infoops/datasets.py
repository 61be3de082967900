"""Schemas of module 04's datasets: platform takedowns (facts) and a simulated week of posts."""
from __future__ import annotations

from dpdlab.schema import DATE_MAX, DATE_MIN, Column, Dataset, simulated_flag
from dpdlab.infoops.model import ROLES

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")

TAKEDOWNS = Dataset(
    name="state_linked_takedowns",
    title="State-linked account takedowns disclosed by Twitter for Latin American countries",
    row="one platform action about one operation (or one group of accounts) in one country",
    key=("takedown_id",),
    columns=(
        Column("takedown_id", "text", "Short identifier (country code, year, label)"),
        Column("country", "text", "Country the accounts were tied to",
               known=("Venezuela", "Ecuador", "Cuba", "Honduras", "Mexico")),
        Column("date", "date", "When the platform announced or took the action (first of the month if only "
               "the month is known)", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("date_precision", "text", "How precise the date is", allowed=("day", "approximate", "month")),
        Column("platform", "text", "Platform", known=("Twitter",)),
        Column("action", "text", "What the platform did",
               known=("archive_disclosure", "suspension", "label")),
        Column("accounts", "integer", "Accounts in the disclosure (empty: the sources give no count)",
               unit="accounts", minimum=0, nullable=True),
        Column("posts", "integer", "Posts (tweets) of those accounts, where a source counts them",
               unit="tweets", minimum=0, nullable=True),
        Column("attribution", "text", "Who the accounts were tied to, as the sources put it"),
        Column("description", "text", "What was disclosed, in the course's words"),
        SOURCE,
    ),
)


def _generate_accounts():
    from dpdlab.infoops.model import generate_accounts

    return generate_accounts()


def _generate_posts():
    from dpdlab.infoops.model import generate_posts

    return generate_posts()


ACCOUNTS = Dataset(
    name="coordination_accounts_simulated",
    title="Simulated accounts posting about a fictional trade agreement, some of them a coordinated operation",
    row="one simulated account",
    key=("account_id",),
    simulated=True,
    generator=_generate_accounts,
    columns=(
        Column("account_id", "text", "Identifier of the simulated account"),
        Column("presents_as", "text", "What the account says it is (a role label, never a real person)",
               known=tuple(ROLES.values())),
        Column("created_days_before", "integer", "Days between the account's creation and the start of the "
               "week studied", unit="days", minimum=0),
        Column("followers", "integer", "Simulated followers", unit="followers", minimum=0),
        Column("in_operation", "boolean", "Ground truth of the simulation: whether the account belongs to the "
               "coordinated operation (a real investigation rarely knows this for sure)"),
        simulated_flag(),
    ),
)

POSTS = Dataset(
    name="coordination_posts_simulated",
    own_data=('`minute` counts minutes since the start of the period you study, which may be longer than a week. '
              'At high volumes (a crisis, a match, an election night) many bins are busy by chance: read '
              '`synchrony_excess(posts)`, the share of synchronised posts beyond what that volume gives at random.'),
    title="A simulated week of posts about a fictional trade agreement",
    row="one simulated post",
    key=("post_id",),
    simulated=True,
    generator=_generate_posts,
    columns=(
        Column("post_id", "text", "Identifier of the simulated post"),
        Column("account_id", "text", "Account that posted it (see coordination_accounts_simulated)"),
        Column("minute", "integer", "Minutes since 00:00 on the first day of the week studied", unit="minutes",
               minimum=0),
        Column("language", "text", "Language of the post", known=("es", "en")),
        Column("text", "text", "Text of the simulated post"),
        simulated_flag(),
    ),
)

DATASETS = (TAKEDOWNS, ACCOUNTS, POSTS)
