"""Schemas of the ICJ maritime cases: three fact tables and one simulated corpus of posts.

``case`` is the same code in every table and in the notebook's papermill parameter:
``peru_2014`` is the Maritime Dispute (Peru v. Chile, judgment of 27 January 2014) and ``bolivia_2018`` the
Obligation to Negotiate Access to the Pacific Ocean (Bolivia v. Chile, judgment of 1 October 2018).
"""
from __future__ import annotations

from dpdlab.schema import DATE_MAX, DATE_MIN, Column, Dataset, simulated_flag
from dpdlab.peru.text import ACCOUNT_LABELS

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")
CASE_IDS = ("peru_2014", "bolivia_2018")
CASE = Column("case", "text", "The case: peru_2014 = Peru v. Chile (judgment 2014); bolivia_2018 = Bolivia v. Chile "
              "(judgment 2018)", known=CASE_IDS)
FRAMES = ("legal-explanatory", "calming", "triumphalist", "nationalist", "conciliatory")
STAGES = ("application", "written_pleading", "hearing", "court_notice", "preliminary_judgment", "judgment",
          "compliance", "related_case")
TONES = ("de-escalating", "neutral", "escalating")

PROCEDURE = Dataset(
    name="icj_case_procedure",
    own_data=('Any case of any court loads: give it a `case` code of your own and name the parties as `actor`.'),
    title="Procedural timeline of Peru v. Chile and Bolivia v. Chile at the International Court of Justice",
    row="one procedural step of one case",
    key=("event_id",),
    columns=(
        Column("event_id", "text", "Short identifier (pe = Peru v. Chile, bo = Bolivia v. Chile, then the year)"),
        CASE,
        Column("date", "date", "First day of the step (1 January when only the year is known)",
               minimum=DATE_MIN, maximum=DATE_MAX),
        Column("end_date", "date", "Last day of a step that took several days (empty: a single day)",
               minimum=DATE_MIN, maximum=DATE_MAX, nullable=True),
        Column("date_precision", "text", "How precise the date is", allowed=("day", "month", "year")),
        Column("stage", "text", "Stage of the proceedings", allowed=STAGES),
        Column("actor", "text", "Who took the step", known=("Peru", "Chile", "Bolivia", "Court", "both parties")),
        Column("description", "text", "What happened, in the course's words"),
        SOURCE,
    ),
)

VOTES = Dataset(
    name="icj_case_votes",
    title="Votes of the judges on each operative point of the judgments in the two cases",
    row="one operative point of one judgment",
    key=("case", "judgment_date", "point"),
    columns=(
        CASE,
        Column("judgment_date", "date", "Day the judgment was read", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("judgment", "text", "Which judgment", known=("preliminary objection", "merits")),
        Column("point", "integer", "Number of the operative point, in the order the sources give them", minimum=1),
        Column("decision", "text", "What the Court decided on this point, in the course's words"),
        Column("votes_for", "integer", "Judges voting for the decision", unit="judges", minimum=0),
        Column("votes_against", "integer", "Judges voting against it", unit="judges", minimum=0),
        SOURCE,
    ),
)

CHANNELS = ("statement", "interview", "Twitter", "joint declaration", "phone call", "meeting", "website",
            "publication", "press report", "court hearing", "ministry programme")
ROLES = ("president", "vice-president", "foreign minister", "defence minister", "ministry", "government", "legal team",
         "press network", "press")

COMMUNICATION = Dataset(
    name="icj_case_communication",
    title="How governments, counsel and the press communicated around the two cases",
    row="one communication event: a statement, campaign, coordination step or press reading",
    key=("event_id",),
    columns=(
        Column("event_id", "text", "Short identifier (country code, year or 'nd' when undated, a label)"),
        CASE,
        Column("date", "date", "When it happened or was reported (first day of the month or year when only those "
               "are known; empty when the sources give no date)", minimum=DATE_MIN, maximum=DATE_MAX,
               nullable=True),
        Column("date_precision", "text", "How precise the date is: 'reported' is the date of the report that carries "
               "it", allowed=("day", "reported", "month", "year", "undated")),
        Column("country", "text", "Country of the actor", known=("Peru", "Chile", "Bolivia", "Peru and Chile")),
        Column("actor", "text", "Who communicated (a real person or institution, as the sources name them)"),
        Column("actor_role", "text", "The actor's role", known=ROLES),
        Column("channel", "text", "How it was communicated", known=CHANNELS),
        Column("kind", "text", "What kind of event it is",
               allowed=("strategy", "statement", "coordination", "campaign", "reaction", "perception")),
        Column("frame", "text", "The course's reading of the message frame (empty: not a message, or its content "
               "is not reported)", allowed=FRAMES, nullable=True),
        Column("tone", "text", "The course's reading of its effect on tension with the neighbour (empty: not "
               "assessed)", allowed=TONES, nullable=True),
        Column("quote", "text", "A short quotation in the original language, as the source gives it", nullable=True),
        Column("description", "text", "What happened, in the course's words"),
        SOURCE,
    ),
)


def _generate_posts():
    from dpdlab.peru.model import generate_posts

    return generate_posts()


ACCOUNTS = tuple(dict.fromkeys(label for labels in ACCOUNT_LABELS.values() for label in labels.values()))
COUNTRIES = ("Peru", "Bolivia", "Chile", "International")

POSTS = Dataset(
    name="icj_case_posts_simulated",
    own_data=('Only the two cases the course models can be taken: to study another case, bring its steps as '
              '`icj_case_procedure` and its communication as `icj_case_communication`.'),
    title="SIMULATED social-media posts around the key dates of the two cases",
    row="one simulated post by a role-labelled account",
    key=("post_id",),
    simulated=True,
    generator=_generate_posts,
    columns=(
        Column("post_id", "text", "Identifier (pe = Peru v. Chile corpus, bo = Bolivia v. Chile corpus)"),
        Column("case", "text", CASE.description + "; the course's model of the two cases' dates reads it, so "
               "no other value can be taken", allowed=CASE_IDS),
        Column("date", "date", "Day of the post", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("days_from_judgment", "integer", "Days between the judgment and the post (negative: before it)",
               unit="days"),
        Column("account", "text", "Role label of the simulated account (a role account of a side or a public; never a real office, person or handle)", known=ACCOUNTS),
        Column("account_type", "text", "Kind of account", known=("official", "public", "media")),
        Column("account_country", "text", "Country the account stands for", known=COUNTRIES),
        Column("language", "text", "Language of the post", known=("es", "en")),
        Column("audience_country", "text", "Public the post addresses", known=COUNTRIES),
        Column("frame", "text", "Message frame the model gave the post (the label to classify)", allowed=FRAMES),
        Column("text", "text", "Template-generated teaching text, marked [SIM]", simulated_pattern=r"\[SIM\] .+"),
        Column("likes", "integer", "Simulated likes", unit="likes", minimum=0),
        Column("reposts", "integer", "Simulated reposts", unit="reposts", minimum=0),
        Column("replies", "integer", "Simulated replies", unit="replies", minimum=0),
        Column("tone", "number", "Simulated tone towards the neighbour: -1 hostile, 0 neutral, +1 friendly",
               minimum=-1, maximum=1),
        simulated_flag(),
    ),
)

DATASETS = (PROCEDURE, VOTES, COMMUNICATION, POSTS)
