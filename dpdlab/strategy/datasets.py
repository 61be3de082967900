"""Schemas of module 06's datasets: internet use and digital-policy measures (facts), a campaign (simulated)."""
from __future__ import annotations

from dpdlab.schema import YEAR_MAX, YEAR_MIN, Column, Dataset, simulated_flag
from dpdlab.strategy.model import CHANNELS

# The bundled internet-use series' name. Defined here, not in the analysis module, so that loading a dataset does
# not import the module's charts and widgets.
SNAPSHOT = "ITU/WDI via OWID snapshot"

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")

INTERNET_PLACES = ("Argentina", "Bolivia", "Brazil", "Chile", "Colombia", "Cuba", "Ecuador", "Honduras", "Mexico",
                   "Peru", "Uruguay", "Venezuela", "Latin America & Caribbean", "World")

INTERNET = Dataset(
    name="internet_use_share",
    own_data=('Any series of internet use in % of population fits, for any places and years: pass its name to the '
              'analyses (`latest_share(internet, country, series=...)`, `below_region(internet, year, region=..., '
              'series=...)`), and give your benchmark row (a region or the world) any name you pass as `region`. '
              'To fit an adoption curve to one country\'s series, `niunamenos.fit_bass(years, shares, scale="percent")` '
              'keeps the market size at 100 % at most and says when the fit stops there.'),
    title="Individuals using the Internet, % of population, Latin American countries (snapshot and cross-checks)",
    row="one country (or aggregate) in one year, from one series",
    key=("country", "year", "series"),
    columns=(
        Column("country", "text", "Country, or a regional or world aggregate", known=INTERNET_PLACES),
        Column("year", "integer", "Year the value refers to", unit="year", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Column("internet_users_pct", "number", "Individuals using the Internet", unit="% of population",
               minimum=0, maximum=100),
        Column("series", "text", "Which series the value comes from",
               known=(SNAPSHOT, "CEPAL estimate", "ITU estimate")),
        SOURCE,
    ),
)

MEASURES = Dataset(
    name="digital_policy_measures",
    title="What the course's sources document about Latin American institutions and digital diplomacy",
    row="one documented measure, finding or fact about one country's institutions",
    key=("measure_id",),
    columns=(
        Column("measure_id", "text", "Short identifier (country code, label)"),
        Column("country", "text", "Country", known=("Argentina", "Chile", "Mexico", "Nicaragua", "Peru")),
        Column("institution", "text", "Institution concerned"),
        Column("year", "integer", "Year (empty: the sources give none)", unit="year", minimum=YEAR_MIN, maximum=YEAR_MAX,
               nullable=True),
        Column("kind", "text", "Kind of item",
               allowed=("strategy", "training", "continuity_rule", "assessment", "absence")),
        Column("description", "text", "What the sources say, in the course's words"),
        SOURCE,
    ),
)


def _generate_campaign():
    from dpdlab.strategy.model import generate_campaign

    return generate_campaign()


CAMPAIGN = Dataset(
    name="campaign_funnel_simulated",
    title="A simulated twelve-week embassy campaign on three channels, from posts to applications",
    row="one channel in one week (simulated)",
    key=("week", "channel"),
    simulated=True,
    generator=_generate_campaign,
    columns=(
        Column("week", "integer", "Week of the campaign", unit="week", minimum=1),
        Column("channel", "text", "Platform", known=CHANNELS),
        Column("posts", "integer", "Posts published (output)", unit="posts", minimum=0),
        Column("impressions", "integer", "Times the posts were shown (outtake)", unit="impressions", minimum=0),
        Column("engagements", "integer", "Likes, shares and replies (outtake)", unit="engagements", minimum=0),
        Column("link_clicks", "integer", "Clicks on the campaign's tracked link (outtake)", unit="clicks", minimum=0),
        Column("applications", "integer", "Applications started through the tracked link (outcome)",
               unit="applications", minimum=0),
        simulated_flag(),
    ),
)

DATASETS = (INTERNET, MEASURES, CAMPAIGN)
