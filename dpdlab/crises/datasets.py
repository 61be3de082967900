"""Schemas of module 05's datasets: crisis events and published figures (facts), attention and consular
requests (simulated)."""
from __future__ import annotations

from dpdlab.crises.model import CALIBRATION, CATEGORIES, CHANNELS, SENDERS
from dpdlab import derived
from dpdlab.schema import DATE_MAX, DATE_MIN, Column, Dataset, simulated_flag

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")
CRISES = ("Haiti 2010", "Chile 2010", "Mexico 2017")
# The figures table also holds the backbone reading's mention volumes for two other disasters of 2017.
FIGURE_CRISES = CRISES + ("Hurricane Irma 2017", "Peru floods 2017")

EVENTS = Dataset(
    name="crisis_events",
    title="Three Latin American earthquakes and the digital responses the sources record",
    row="one earthquake, or one digital response to it",
    key=("event_id",),
    columns=(
        Column("event_id", "text", "Short identifier (country code, year, label)"),
        Column("crisis", "text", "The crisis the event belongs to", known=CRISES),
        Column("category", "text", "Kind of event", allowed=("earthquake", "digital_response", "diplomatic_message",
                                                             "study")),
        Column("date", "date", "Day of the event (empty: the sources give no date)", nullable=True,
               minimum=DATE_MIN, maximum=DATE_MAX),
        Column("local_time", "text", "Local clock time, where a source gives it", nullable=True,
               pattern=r"\d{2}:\d{2}"),
        Column("magnitude", "number", "Moment magnitude of an earthquake", unit="Mw", minimum=0, maximum=10,
               nullable=True),
        Column("place", "text", "Where"),
        Column("description", "text", "What happened, in the course's words"),
        SOURCE,
    ),
)

FIGURES = Dataset(
    name="crisis_digital_figures",
    own_data=("Country-year disaster deaths (one row per disaster, as an EM-DAT export has them: country, year, "
              "disaster type, total deaths) go beside the crises: `crises.deaths_per_country_year(records, "
              "source=\"your source\")` sums them per country and year (name your columns with `country=`, "
              "`year=`, `deaths=`, `kind=`; `kinds=[\"Earthquake\"]` keeps one type; disasters with no toll "
              "are counted in `no_toll`, not as zero deaths), and `crises.deaths_beside_crises(deaths, figures)` "
              "sets them beside each crisis named \"<country> <year>\", with the published death toll."),
    title="Published figures on digital responses to the 2010 and 2017 earthquakes",
    row="one published figure",
    key=("figure_id",),
    columns=(
        Column("figure_id", "text", "Short identifier"),
        Column("crisis", "text", "The crisis the figure belongs to", known=FIGURE_CRISES),
        Column("measure", "text", "What is counted",
               known=("text-message donations", "Person Finder records", "hashtag impressions",
                        "hashtags in trending topics", "official death toll", "mentions")),
        Column("hashtag", "text", "The hashtag counted, for hashtag figures", nullable=True, pattern=r"#\w+"),
        Column("value", "number", "The figure", minimum=0),
        Column("unit", "text", "Unit of the figure",
               known=("US dollars", "records", "impressions", "hashtags", "people", "mentions")),
        Column("qualifier", "text", "How the source states it", allowed=("more than", "about", "as reported")),
        Column("days_after", "number", "Days after the start (of the appeal or the event) the figure refers to "
               "(empty: not stated)", unit="days", minimum=0, nullable=True),
        Column("period", "text", "The period the figure covers, as the source gives it"),
        SOURCE,
    ),
)


def _generate_attention():
    from dpdlab.crises.model import generate_attention

    return generate_attention()


def _generate_requests():
    from dpdlab.crises.model import generate_requests

    return generate_requests()


ATTENTION = Dataset(
    name="crisis_attention_simulated",
    own_data=('Per-post timestamps (one row per tweet or message, no text needed): count them per hour with '
              '`data.count_per_hour(timestamps, start=..., hours=...)`, which keeps the silent hours as zeros, add '
              'the columns `series`, `crisis` and `measure`, and check the table with '
              '`data.check_table("crisis_attention_simulated", table, source="...")`. `fit_decay` fits the counts '
              'with the zeros kept (a Poisson fit), `half_life_by_window` shows how the half-life changes with the '
              'hours fitted, and the attention explorer says when a fit\'s assumptions do not hold.'),
    title="Simulated hourly attention after the Mexico 2017 and Haiti 2010 earthquakes, calibrated to published "
          "totals",
    row="one series in one hour (simulated)",
    key=("series", "hour"),
    simulated=True,
    generator=_generate_attention,
    columns=(
        Column("series", "text", "What the series stands for", known=tuple(CALIBRATION)),
        Column("crisis", "text", "The crisis", known=("Mexico 2017", "Haiti 2010")),
        Column("measure", "text", "What is counted", known=("impressions", "US dollars")),
        Column("hour", "integer", "Hours since the start: 13:00 on 19 September 2017 for Mexico; the start of the "
               "text appeal for Haiti", unit="hours", minimum=0),
        Column("value", "number", "Simulated impressions (or dollars) in that hour", minimum=0),
        simulated_flag(),
    ),
)

REQUESTS = Dataset(
    name="consular_requests_simulated",
    own_data=('Messages in any language and from any channel load (SMS, radio, a hotline). Triage them with '
              'keywords of their languages: `keyword_triage(texts, rules)` takes any rules and ignores accents, '
              'and `baseline_rules(languages)` gives the course\'s starting rules in Spanish, English, Portuguese, '
              'French and Haitian Creole; the triage simulator uses those of the languages in your file and says '
              'which have none. `minute` counts minutes since the event, to the minute (the queue model needs each '
              'message\'s own arrival time, not counts per hour): from timestamps, '
              '`(time - start) / pd.Timedelta(minutes=1)`. Leave `sender` empty when it is not recorded.'),
    title="Simulated requests to a consulate's crisis account in the 72 hours after an earthquake",
    row="one simulated request",
    key=("request_id",),
    simulated=True,
    generator=_generate_requests,
    columns=(
        Column("request_id", "text", "Identifier of the simulated request"),
        Column("minute", "integer", "Minutes after the earthquake", unit="minutes", minimum=0),
        Column("channel", "text", "How it arrived", known=CHANNELS),
        Column("sender", "text", "Who sent it (a role label, never a real person; empty: not recorded)",
               known=tuple(SENDERS.values()), nullable=True),
        Column("language", "text", "Language of the message (ISO 639-1 code; ht is Haitian Creole)",
               known=("es", "en", "pt", "fr", "ht")),  # the languages of crises.BASELINE_RULES_BY_LANGUAGE
        Column("text", "text", "The simulated message"),
        Column("category", "text", "Ground truth of the simulation: what the message is about",
               known=tuple(CATEGORIES)),
        Column("priority", "integer", "Ground truth: 1 life and safety, 2 missing person, 3 documents or "
               "information, 4 everything else", minimum=1, maximum=4),
        simulated_flag(),
    ),
)

GUATEMALA_ATTENTION = Dataset(
    name="crisis_attention_guatemala_2012",
    own_data=ATTENTION.own_data,
    title="Tweets per hour caught by a keyword collection around the Guatemala earthquake of 7 November 2012",
    row="one hour of the collection (real counts; hours without tweets count 0)",
    key=("series", "hour"),
    derivation=derived.guatemala_tweets_per_hour,
    columns=(
        Column("series", "text", "What the series counts"),
        Column("crisis", "text", "The crisis", known=("Guatemala 2012",)),
        Column("measure", "text", "What is counted", known=("tweets",)),
        Column("hour", "integer", "Hours since 16:00 UTC on 7 November 2012, the hour in which the collection "
               "jumps from a handful of tweets to hundreds", unit="hours", minimum=0),
        Column("value", "number", "Tweets in that hour", unit="tweets", minimum=0),
        SOURCE,
    ),
)

INFORMATIVENESS = ("Related and informative", "Related - but not informative", "Not related", "Not applicable")

GUATEMALA_LABELS = Dataset(
    name="crisis_tweet_labels_guatemala_2012",
    own_data=("Counts of labelled messages, one row per combination of labels: count row-level labels with "
              "`frame.groupby([...]).size()` first. Other coding schemes' types and sources load with a note."),
    title="What people posted after the Guatemala earthquake of 2012: crowd labels of 1,050 tweets, counted",
    row="one combination of informativeness, information type and information source",
    key=("informativeness", "information_type", "information_source"),
    derivation=derived.guatemala_tweet_labels,
    columns=(
        Column("informativeness", "text", "Whether the crowd found the tweet related to the crisis and informative",
               known=INFORMATIVENESS),
        Column("information_type", "text", "What kind of information the tweet carries (the collection's labels)",
               known=("Affected individuals", "Infrastructure and utilities", "Donations and volunteering",
                      "Caution and advice", "Sympathy and support", "Other Useful Information", "Not applicable",
                      "Not labeled")),
        Column("information_source", "text", "Who the information comes from (the collection's labels)",
               known=("Eyewitness", "Government", "NGOs", "Business", "Media", "Outsiders", "Not applicable",
                      "Not labeled")),
        Column("tweets", "integer", "Labelled tweets with this combination", unit="tweets", minimum=1),
        SOURCE,
    ),
)

DATASETS = (EVENTS, FIGURES, ATTENTION, REQUESTS, GUATEMALA_ATTENTION, GUATEMALA_LABELS)
