"""Schemas of the datasets of concept modules 01-03 (practice, measurement, networks)."""
from __future__ import annotations

from dpdlab import derived
from dpdlab.schema import DATE_MAX, DATE_MIN, HANDLE, YEAR_MAX, YEAR_MIN, Column, Dataset, simulated_flag

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")
PRECISION = ("day", "approximate", "month", "year")

# --- 01 From Vienna to the timeline ------------------------------------------------------------------

MILESTONE_KINDS = ("idea", "first_account", "ranking_study", "research_finding", "institution",
                   "coordinated_message", "online_dispute", "training")

MILESTONES = Dataset(
    name="digital_diplomacy_milestones",
    title="Milestones of digital diplomacy, global and Latin American",
    row="one dated milestone",
    key=("milestone_id",),
    columns=(
        Column("milestone_id", "text", "Short identifier (country code or 'gl' for global, year, label)"),
        Column("date", "date", "When it happened (first day of the month or year when only those are known)",
               minimum=DATE_MIN, maximum=DATE_MAX),
        Column("date_precision", "text", "How precise the date is", allowed=PRECISION),
        Column("scope", "text", "Whether the milestone is global or Latin American",
               allowed=("global", "latin_america")),
        Column("country", "text", "Latin American country concerned (empty for global milestones)",
               nullable=True),
        Column("kind", "text", "Kind of milestone", allowed=MILESTONE_KINDS),
        Column("description", "text", "What happened, in the course's words"),
        SOURCE,
    ),
)

SPHERES = ("representation", "negotiation", "communication")
FUNCTIONS = ("listening", "dissemination", "negotiation")

ACTIVITIES = Dataset(
    name="diplomatic_activities",
    title="Real diplomatic activities with the course's reading of their sphere and function",
    row="one activity of a government or diplomat, as the sources report it",
    key=("activity_id",),
    columns=(
        Column("activity_id", "text", "Short identifier (country code, then a label)"),
        Column("year", "integer", "Year of the activity (empty: the sources give no date)", unit="year",
               minimum=YEAR_MIN, maximum=YEAR_MAX, nullable=True),
        Column("country", "text", "Country or countries of the actor"),
        Column("actor", "text", "Who did it (office or institution)"),
        Column("activity", "text", "What was done, in the course's words"),
        Column("channel", "text", "Whether it happened on a digital platform or offline (press, meetings, calls)",
               allowed=("digital", "offline")),
        Column("sphere", "text", "The course's reading: which sphere of diplomacy it belongs to", allowed=SPHERES),
        Column("function", "text", "The course's reading: what it does with information", allowed=FUNCTIONS),
        Column("end", "text", "Digital activities only: front end (what publics see) or back end (inside the "
               "ministry)", allowed=("front", "back"), nullable=True),
        Column("clear_cut", "boolean", "Whether the course finds both readings clear (false: a borderline case)"),
        Column("reading", "text", "Why the course reads it that way"),
        SOURCE,
    ),
)

# --- 02 Measuring digital presence -------------------------------------------------------------------

METRICS = ("followers", "retweets_per_tweet", "tweets_per_day", "reply_share", "interactions", "accounts")

LEADER_FIGURES = Dataset(
    name="leader_account_figures",
    title="Published figures on leaders' and governments' accounts, by study and year",
    row="one published figure about one account in one study",
    key=("figure_id",),
    columns=(
        Column("figure_id", "text", "Short identifier (year, account, metric)"),
        Column("year", "integer", "Year (edition) the figure belongs to", unit="year", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Column("study", "text", "Which study or count published it",
               known=("twiplomacy", "press_snapshot", "facebook_study")),
        Column("region", "text", "Latin American account or a global comparison", allowed=("latin_america", "global")),
        Column("account", "text", "Whose account (leader or institution) the figure is about"),
        Column("handle", "text", "The account's handle, where the sources give it", pattern=HANDLE, nullable=True),
        Column("country", "text", "Country (or the Holy See)"),
        Column("platform", "text", "Platform", known=("Twitter", "Facebook")),
        Column("metric", "text", "What is measured", allowed=METRICS),
        Column("value", "number", "The published value (reply_share in %; accounts: how many accounts or "
               "profiles the leader has)", minimum=0),
        Column("qualifier", "text", "How the source states the value",
               allowed=("exact", "about", "more_than")),
        Column("note", "text", "Context needed to read the figure", nullable=True),
        SOURCE,
    ),
)


def _generate_panel():
    from dpdlab.foundations.metrics import generate_panel

    return generate_panel()


ACCOUNT_PANEL = Dataset(
    name="account_panel_simulated",
    title="Simulated monthly activity of government accounts (role-labelled, 2019)",
    row="one simulated account in one month",
    key=("month", "account"),
    simulated=True,
    generator=_generate_panel,
    columns=(
        Column("month", "date", "Month (first day)", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("account", "text", "Role label of the simulated account (not a real account)"),
        Column("kind", "text", "Kind of account", known=("presidency", "foreign_ministry", "embassy")),
        Column("language", "text", "Language the account posts in", known=("es", "pt", "en", "fr", "ar")),
        Column("followers", "integer", "Followers at the end of the month", unit="followers", minimum=0),
        Column("posts", "integer", "Posts in the month", unit="posts", minimum=0),
        Column("retweets", "integer", "Retweets the month's posts received", unit="retweets", minimum=0),
        Column("likes", "integer", "Likes the month's posts received", unit="likes", minimum=0),
        Column("replies", "integer", "Replies the month's posts received", unit="replies", minimum=0),
        Column("impressions", "integer", "Times the month's posts were shown on a screen", unit="impressions",
               minimum=0),
        simulated_flag(),
    ),
)

# --- 03 Networks and node-based communication ----------------------------------------------------------

MEXICO_MEASURES = ("consular_offices_us", "foreign_service_us", "local_staff_us", "foreign_service_total",
                   "representations_worldwide", "passports_issued_us", "consulates_online", "embassies_online",
                   "missions_online", "liaison_offices_online")

MEXICO_NETWORK = Dataset(
    name="mexico_consular_network",
    title="Published figures on Mexico's consular and diplomatic network",
    row="one figure as one source reports it",
    key=("figure_id",),
    columns=(
        Column("figure_id", "text", "Short identifier (source, measure)"),
        Column("measure", "text", "What is counted", known=MEXICO_MEASURES),
        Column("value_low", "integer", "The figure, or the low end of a range", minimum=0),
        Column("value_high", "integer", "The high end of a range (empty: a single figure or open-ended)",
               minimum=0, nullable=True),
        Column("qualifier", "text", "How the source states the figure",
               allowed=("exact", "about", "more_than", "at_least", "range")),
        Column("reference_year", "integer", "Year the figure refers to (empty: the source does not say)",
               unit="year", minimum=YEAR_MIN, maximum=YEAR_MAX, nullable=True),
        Column("note", "text", "How to read it", nullable=True),
        SOURCE,
    ),
)

ROLES = ("ministry", "embassy", "consulate", "host_government", "media", "civil_society", "diaspora")


def _generate_nodes():
    from dpdlab.foundations.networks import generate_network

    return generate_network()[0]


def _generate_edges():
    from dpdlab.foundations.networks import generate_network

    return generate_network()[1]


NETWORK_NODES = Dataset(
    name="mission_network_nodes_simulated",
    own_data=("`x` and `y` only place nodes on the course's drawing: leave them out for a network of your own (the "
              'drawing then places the nodes itself). Any roles load (an honorary consulate, a mission to an '
              "organisation). Module 03 starts a message at the node whose role is `ministry` (of several, the one "
              "with most ties), or at the node its `headquarters` parameter names."),
    title="Simulated network of a foreign ministry's missions and their contacts: the nodes",
    row="one simulated actor (role-labelled, not a real person or office)",
    key=("node",),
    simulated=True,
    generator=_generate_nodes,
    columns=(
        Column("node", "text", "Role label of the actor"),
        Column("role", "text", "Kind of actor", known=ROLES),
        Column("x", "number", "Horizontal position for drawing (no meaning; empty or absent: not drawn by position)",
               nullable=True, optional=True),
        Column("y", "number", "Vertical position for drawing (no meaning; empty or absent: not drawn by position)",
               nullable=True, optional=True),
        simulated_flag(),
    ),
)

NETWORK_EDGES = Dataset(
    name="mission_network_edges_simulated",
    own_data=('Every `source_node` and `target_node` must be a node of your nodes file. If you do not know how '
              'often two nodes exchange, write `strength` 1.\n\n'
              '**Roll-call votes as a co-voting network.** Votes of the UN General Assembly, or of any body that '
              'records a yes, no or abstain per member and resolution, have no table of their own in the course: '
              'turn them into a nodes and an edges table of this shape with the course\'s helper, then check them '
              'and use module 03\'s functions (reach, centrality, cut points) on the graph:\n\n'
              '```python\n'
              'from dpdlab import data\n'
              'from dpdlab.foundations import networks\n'
              'votes = data.read_raw("my_votes.csv")  # one row per country and resolution\n'
              'nodes, edges = networks.co_voting_tables(votes, country="country", resolution="rcid", vote="vote",\n'
              '                                         min_agreement=0.75)\n'
              'nodes = data.check_table("mission_network_nodes_simulated", nodes, source="my votes source")\n'
              'edges = data.check_table("mission_network_edges_simulated", edges, source="my votes source")\n'
              'graph = networks.build_graph(nodes, edges)\n'
              '```\n\n'
              'Two countries are tied when they cast the same vote on at least `min_agreement` of the resolutions '
              'both voted on (absences are not votes); `strength` grades the agreement (1 below 75 %, 2 below '
              '90 %, 3 above), `networks.agreement_table(votes, ...)` gives every pair\'s share, `role` is '
              '"state" (it loads with a note), and `tie` is "co_voting". Save the two tables with '
              '`to_csv(index=False)` to point module 03\'s `data_files` at them. A co-voting tie says two '
              'governments voted alike, not that they talk to each other: read reach over it as shared '
              'positions, not as messages passed on.'),
    title="Simulated network of a foreign ministry's missions and their contacts: the ties",
    row="one simulated tie between two actors (undirected)",
    key=("source_node", "target_node"),
    simulated=True,
    generator=_generate_edges,
    columns=(
        Column("source_node", "text", "One end of the tie (a node of the nodes table)"),
        Column("target_node", "text", "The other end of the tie"),
        Column("tie", "text", "Kind of tie", known=("official", "press", "community")),
        Column("strength", "integer", "How often they exchange messages (1 rarely, 3 weekly or more)",
               minimum=1, maximum=3),
        simulated_flag(),
    ),
)

# --- 02 (and the Argentina case): real replication data of Barberá & Zeitzoff (2018) -----------------------


ACCOUNT_KINDS = ("personal", "institutional")

LATAM_LEADER_ACCOUNTS = Dataset(
    name="latam_leader_accounts_2014",
    own_data=("One row per country. Write a handle (without the @) or a page id where the leader had an account "
              "of that kind, and leave the cell empty where they had none: the course counts non-empty cells."),
    title="Latin American leaders (1 January 2014) and their personal and institutional accounts",
    row="one country's leader as the replication data list them on 1 January 2014",
    key=("iso3c",),
    derivation=derived.latam_leader_accounts,
    columns=(
        Column("iso3c", "text", "ISO 3166 alpha-3 code of the country", pattern=r"[A-Z]{3}"),
        Column("country", "text", "Country"),
        Column("leader", "text", "The leader the authors list (as they spell the name)"),
        Column("office", "text", "The leader's title as the authors give it: heads of state and heads of "
               "government are mixed", known=("President", "President of the Council of Ministers",
                                             "Acting Prime Minister")),
        Column("twitter_personal", "text", "Handle of the leader's personal Twitter account (empty: none recorded)",
               pattern=HANDLE, nullable=True),
        Column("twitter_institutional", "text", "Handle of the office's institutional Twitter account (empty: none "
               "recorded)", pattern=HANDLE, nullable=True),
        Column("facebook_personal", "text", "Name or id of the leader's personal Facebook page (empty: none "
               "recorded)", pattern=HANDLE, nullable=True),
        Column("facebook_institutional", "text", "Name or id of the office's institutional Facebook page (empty: "
               "none recorded)", pattern=HANDLE, nullable=True),
        SOURCE,
    ),
)

LEADER_ADOPTION = Dataset(
    name="leader_adoption_monthly",
    own_data=("Counts per month and group of countries: `leaders` is how many countries the group has, each "
              "`active_*` column how many of their leaders had an active account of that kind that month. Any "
              "grouping loads (a region, an alliance); the course's views draw one line per `region`."),
    title="Leaders active on Twitter or Facebook per month, Latin America and the rest of the world, 2007-2015",
    row="one region in one month",
    key=("month", "region"),
    derivation=derived.leader_adoption_monthly,
    columns=(
        Column("month", "date", "Month (first day)", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("region", "text", "Group of countries", known=("latin_america", "rest_of_world")),
        Column("leaders", "integer", "Countries in the group (one leader each)", unit="leaders", minimum=1),
        Column("active_personal", "integer", "Leaders coded active with a personal account (either platform)",
               unit="leaders", minimum=0),
        Column("active_institutional", "integer", "Leaders coded active with an institutional account (either "
               "platform)", unit="leaders", minimum=0),
        Column("active_twitter", "integer", "Leaders coded active on Twitter (either kind)", unit="leaders",
               minimum=0),
        Column("active_facebook", "integer", "Leaders coded active on Facebook (either kind)", unit="leaders",
               minimum=0),
        Column("active_any", "integer", "Leaders coded active on either platform with either kind of account",
               unit="leaders", minimum=0),
        SOURCE,
    ),
)

LEADER_AUDIENCES = Dataset(
    name="leader_account_audiences",
    own_data=("One row per account. `audience` is followers on Twitter and likes (or followers) of a page on "
              "Facebook; other platforms load with a note. `region` may be any grouping you report by."),
    title="Audiences of world leaders' personal and institutional accounts, by region and platform",
    row="one leader's or office's account on one platform",
    key=("account_id",),
    derivation=derived.leader_account_audiences,
    columns=(
        Column("account_id", "text", "The platform's id of the account, as the replication data give it"),
        Column("iso3c", "text", "ISO 3166 alpha-3 code of the leader's country", pattern=r"[A-Z]{3}"),
        Column("country", "text", "Country"),
        Column("region", "text", "The authors' region", known=(
            "East Asia & Pacific", "Europe & Central Asia", "Latin America & Caribbean",
            "Middle East & North Africa", "North America", "South Asia", "Sub-Saharan Africa")),
        Column("latin_america", "boolean", "Whether the country is one of the course's twenty Latin American "
               "republics (the authors' region also holds the Caribbean)"),
        Column("platform", "text", "Platform", known=("Twitter", "Facebook")),
        Column("kind", "text", "Whose account: the leader's own or the office's", allowed=ACCOUNT_KINDS),
        Column("handle", "text", "Handle or page name (or id) of the account", pattern=HANDLE),
        Column("audience", "integer", "Followers (Twitter) or likes (Facebook) as the replication data record "
               "them", unit="followers or likes", minimum=0),
        SOURCE,
    ),
)

DATASETS = (MILESTONES, ACTIVITIES, LEADER_FIGURES, ACCOUNT_PANEL, MEXICO_NETWORK, NETWORK_NODES, NETWORK_EDGES,
            LATAM_LEADER_ACCOUNTS, LEADER_ADOPTION, LEADER_AUDIENCES)
