"""Schemas of the Ni Una Menos datasets (four fact tables, one simulated series)."""
from __future__ import annotations

from dpdlab.schema import DATE_MAX, DATE_MIN, YEAR_MAX, YEAR_MIN, Column, Dataset, simulated_flag

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")
# Countries where the sources report Ni Una Menos marches (2015-2016).
COUNTRIES = ("Argentina", "Mexico", "Peru", "Chile", "Uruguay", "Paraguay", "Bolivia", "Brazil")
PRECISIONS = ("day", "approximate", "month", "year")
EVENT_KINDS = ("antecedent", "call", "march", "strike")
MARCH_KINDS = ("march", "strike")  # events that put people in the street

EVENTS = Dataset(
    name="niunamenos_events",
    own_data=("Any movement's dated events load: its countries are yours. The diffusion analysis needs a "
              "neighbours table: from ISO country metadata (one row per country with its name as your events "
              "spell it, its alpha-3 code, region, sub-region and land borders as alpha-3 codes), "
              "`niunamenos.neighbours_from_metadata(metadata)` gives the table `niunamenos.diffusion_links(events, "
              "neighbours)` takes (rename your columns with `name=`, `code=`, `borders=`), and "
              "`niunamenos.spread_by_neighbourhood(events, neighbours, metadata)` says which countries the "
              "movement reached that border one that marched before, and whether they share its sub-region."),
    title="Ni Una Menos: the movement's origin and its marches, by country and date",
    row="one dated event of the movement (a march, a strike, the call that started it, an antecedent)",
    key=("event_id",),
    columns=(
        Column("event_id", "text", "Short identifier (country code, year, label)"),
        Column("date", "date", "When it happened (1 January when only the year is known)",
               minimum=DATE_MIN, maximum=DATE_MAX),
        Column("date_precision", "text", "How precise the date is", allowed=PRECISIONS),
        Column("country", "text", "Country where it happened", known=COUNTRIES),
        Column("kind", "text", "Kind of event", allowed=EVENT_KINDS),
        Column("place", "text", "Where, as the sources describe it", nullable=True),
        Column("hashtags", "text", "Hashtags the sources name, separated by '; '", nullable=True),
        Column("cities_reported", "integer", "Number of cities with marches, where the sources give one",
               unit="cities", minimum=1, nullable=True),
        Column("description", "text", "What happened, in the course's words"),
        SOURCE,
    ),
)

ESTIMATOR_KINDS = ("organisers", "media", "reference work")

CROWDS = Dataset(
    name="niunamenos_crowd_estimates",
    title="Ni Una Menos: reported crowd sizes, one row per estimate and estimator",
    row="one crowd estimate for one march, as one estimator gave it",
    key=("estimate_id",),
    columns=(
        Column("estimate_id", "text", "Short identifier"),
        Column("event_id", "text", "The march (a key of niunamenos_events)"),
        Column("estimator", "text", "Who gave the figure, and who reported it"),
        Column("estimator_kind", "text", "Kind of estimator", allowed=ESTIMATOR_KINDS),
        Column("area", "text", "Where the crowd was counted (a city, or nationwide)"),
        Column("wording", "text", "The estimate in the source's words (translated where needed)"),
        Column("crowd_low", "integer", "Lowest number of people the wording allows (coding rule in the datasheet)",
               unit="people", minimum=1),
        Column("crowd_high", "integer", "Highest number the wording allows (empty: open-ended, 'more than')",
               unit="people", minimum=1, nullable=True),
        SOURCE,
    ),
)

JURISDICTIONS = (*COUNTRIES, "OAS (regional)", "UN (global)")
POLICY_ROLES = ("framework", "response")
POLICY_KINDS = ("convention", "protocol", "monitoring_mechanism", "law", "register", "register_report",
                "national_plan", "bill", "statement", "participation", "foreign_policy")

POLICIES = Dataset(
    name="niunamenos_policies",
    title="Ni Una Menos: policy responses by country and date, and the regional and global instruments",
    row="one dated step of one policy or instrument (adopted, in force, announced, passed, presented)",
    key=("policy_id",),
    columns=(
        Column("policy_id", "text", "Short identifier (jurisdiction code, year, label)"),
        Column("date", "date", "When (1 January when only the year is known)", minimum=DATE_MIN,
               maximum=DATE_MAX),
        Column("date_precision", "text", "How precise the date is; 'disputed': the sources give different days",
               allowed=(*PRECISIONS, "disputed")),
        Column("jurisdiction", "text", "Country, or the organisation of an international instrument",
               known=JURISDICTIONS),
        Column("role", "text", "framework: an instrument in place before the movement; response: a step taken "
               "after it began that the sources list among the responses (timing alone does not prove cause)",
               allowed=POLICY_ROLES),
        Column("kind", "text", "Kind of step", allowed=POLICY_KINDS),
        Column("instrument", "text", "Name of the law, plan, register, policy or treaty"),
        Column("description", "text", "What happened, in the course's words"),
        SOURCE,
    ),
)

REGISTER = Dataset(
    name="niunamenos_femicide_register",
    own_data=('A register with one row per case: count it per year with `data.count_per_year(records, "<date '
              'column>", count_name="victims")` and check the counts with '
              '`data.check_table("niunamenos_femicide_register", counts, source="your-key")`. Views of your '
              "register name its source, not Argentina's."),
    title="Argentina: victims of femicide per year in the Supreme Court's national register",
    row="one calendar year of the register (aggregate count; no data about individuals)",
    key=("year",),
    columns=(
        Column("year", "integer", "Calendar year the count covers", unit="year", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Column("victims", "integer", "Victims of femicide the register counts that year", unit="people", minimum=0),
        Column("one_every_hours", "number", "The press's 'one woman killed every N hours', where reported",
               unit="hours", minimum=0, nullable=True),
        Column("published_on", "date", "When the count was published, where the sources say",
               minimum=DATE_MIN, maximum=DATE_MAX, nullable=True),
        Column("note", "text", "About this year's count", nullable=True),
        SOURCE,
    ),
)


def _generate_hashtags():
    from dpdlab.niunamenos.model import generate_hashtags

    return generate_hashtags()


HASHTAGS = Dataset(
    name="niunamenos_hashtag_simulated",
    title="Simulated daily #NiUnaMenos activity by country, May 2015 to December 2016",
    row="one country on one day (simulated)",
    key=("date", "country"),
    simulated=True,
    generator=_generate_hashtags,
    columns=(
        Column("date", "date", "Day", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("country", "text", "Country the accounts are in", known=COUNTRIES),
        Column("new_users", "integer", "Simulated accounts posting the hashtag for the first time that day",
               unit="accounts", minimum=0),
        Column("adopters", "integer", "Simulated accounts that have posted the hashtag so far (running total)",
               unit="accounts", minimum=0),
        Column("posts", "integer", "Simulated posts with the hashtag that day", unit="posts", minimum=0),
        simulated_flag(),
    ),
)

DATASETS = (EVENTS, CROWDS, POLICIES, REGISTER, HASHTAGS)
