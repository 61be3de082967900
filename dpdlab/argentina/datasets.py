"""Schemas of the Argentina account-handover datasets (three fact tables, one simulated series)."""
from __future__ import annotations

from dpdlab.schema import DATE_MAX, DATE_MIN, HANDLE, YEAR_MAX, YEAR_MIN, Column, Dataset, simulated_flag

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")
COUNTRIES = ("Argentina", "United States", "United Kingdom", "Canada")

ACCOUNTS = Dataset(
    name="argentina_accounts",
    own_data=("A handle is one word in its platform's form (`@name`, `name.with.dots`, `@name@instance`); give each "
              "platform's account its own row."),
    title="Accounts in the Argentine handover and comparable cases",
    row="one social-media account (a handle on one platform)",
    key=("handle",),
    columns=(
        Column("handle", "text", "The account's handle", pattern=HANDLE),
        Column("platform", "text", "Platform", known=("Twitter",)),
        Column("country", "text", "Country of the institution or person", known=COUNTRIES),
        Column("represents", "text", "Office, institution or person the account speaks for"),
        Column("named_after", "text", "Whether the handle names an office or a person",
               allowed=("office", "person")),
        Column("run_by", "text", "Who ran the account, as the sources describe it"),
        Column("kind", "text", "Institutional (belongs to the office) or personal (belongs to the person)",
               allowed=("institutional", "personal")),
        Column("followers_min", "integer", "Lowest follower count reported", unit="followers",
               minimum=0, nullable=True),
        Column("followers_max", "integer", "Highest follower count reported (empty: open-ended, 'more than')",
               unit="followers", minimum=0, nullable=True),
        Column("followers_reported_on", "date", "Date the follower count refers to", nullable=True,
               minimum=DATE_MIN, maximum=DATE_MAX),
        Column("note", "text", "What happened to the account"),
        SOURCE,
    ),
)

EVENT_CATEGORIES = ("account_change", "platform_action", "new_account",
                    "transition_plan", "guidance", "archive", "political_context", "retrospective")

EVENTS = Dataset(
    name="argentina_handover_events",
    title="Events of the December 2015 handover and of account transitions elsewhere",
    row="one dated event",
    key=("event_id",),
    columns=(
        Column("event_id", "text", "Short identifier"),
        Column("date", "date", "When it happened (the first day of the month or year when only those are known)",
               minimum=DATE_MIN, maximum=DATE_MAX),
        Column("date_precision", "text", "How precise the date is",
               allowed=("day", "approximate", "month", "year")),
        Column("country", "text", "Country", known=COUNTRIES),
        Column("category", "text", "Kind of event", allowed=EVENT_CATEGORIES),
        Column("description", "text", "What happened, in the course's words"),
        SOURCE,
    ),
)

POLICIES = ("transfer", "archive_and_mirror", "start_afresh", "web_archive", "lifecycle_rules",
            "separate_personal_accounts")

PRACTICES = Dataset(
    name="account_continuity_practices",
    title="How governments keep official accounts across changes of government",
    row="one practice of one institution, from the year it started",
    key=("practice_id",),
    columns=(
        Column("practice_id", "text", "Short identifier (country code, then a label)"),
        Column("country", "text", "Country", known=COUNTRIES),
        Column("institution", "text", "Institution whose accounts are concerned"),
        Column("platforms", "text", "Platforms concerned"),
        Column("since", "integer", "Year the practice was first applied or issued (empty: not known)",
               unit="year", minimum=YEAR_MIN, maximum=YEAR_MAX, nullable=True),
        Column("policy", "text", "Kind of practice", allowed=POLICIES),
        Column("keeps_followers", "boolean",
               "Whether the official handle keeps its followers across the change (empty: not applicable)",
               nullable=True),
        Column("archive_holder", "text", "Who keeps the previous posts as a record (empty: none named)",
               nullable=True),
        Column("description", "text", "The practice, in the course's words"),
        SOURCE,
    ),
)


def _generate_audience():
    from dpdlab.argentina.model import generate_audience

    return generate_audience()


AUDIENCE = Dataset(
    name="argentina_audience_simulated",
    title="Simulated daily followers of the accounts around the December 2015 handover",
    row="one account on one day (simulated)",
    key=("date", "account"),
    simulated=True,
    generator=_generate_audience,
    columns=(
        Column("date", "date", "Day (end-of-day count)", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("account", "text", "Account the simulated series stands for",
               known=("@CasaRosadaAR", "@CasaRosada", "@CFKArgentina")),
        Column("followers", "integer", "Simulated number of followers at the end of the day",
               unit="followers", minimum=0),
        Column("official", "boolean", "Whether the account was the Presidency's official account that day"),
        simulated_flag(),
    ),
)

DATASETS = (ACCOUNTS, EVENTS, PRACTICES, AUDIENCE)
