"""Schemas of module 07's datasets: incidents that tested trust in diplomatic channels, and the formats of
high-level meetings during the pandemic (both real facts with a source per row)."""
from __future__ import annotations

from dpdlab.beyond.analysis import CONFIDENCE, KINDS, REGIONS
from dpdlab.schema import DATE_MAX, DATE_MIN, Column, Dataset

SOURCE = Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'")

INCIDENTS = Dataset(
    name="trust_incidents",
    title="Incidents that tested trust in diplomatic channels: hijacked accounts, intrusions, leaks, slip-ups",
    row="one documented incident, or one government's response to a leak",
    key=("incident_id",),
    columns=(
        Column("incident_id", "text", "Short identifier (country code, year, label)"),
        Column("date", "date", "When it happened or was revealed (see date_precision)", minimum=DATE_MIN,
               maximum=DATE_MAX),
        Column("date_precision", "text", "How precise the date is", allowed=("day", "approximate", "month")),
        Column("country", "text", "Country (or union) whose office, channel or relationship it concerns"),
        Column("region", "text", "Whether that country is in Latin America", allowed=REGIONS),
        Column("kind", "text", "Kind of incident", allowed=KINDS),
        Column("target", "text", "The account, network, document or post concerned"),
        Column("actor", "text", "Who acted, as the sources name them ('unknown' if they do not)"),
        Column("what_happened", "text", "What happened, in the course's words"),
        Column("response", "text", "What the office or government did about it"),
        Column("confidence", "text", "'verified' if a retrieved primary or reputable source states it; 'partly' if "
               "part of it rests on one weak source or an inference", allowed=CONFIDENCE),
        SOURCE,
    ),
)

FORMATS = ("videoconference", "pre-recorded statements", "in person")

MEETINGS = Dataset(
    name="pandemic_meetings",
    title="High-level meetings during the pandemic and their format, March 2020 – September 2021",
    row="one meeting of one body",
    key=("meeting_id",),
    columns=(
        Column("meeting_id", "text", "Short identifier (body, year, label)"),
        Column("body", "text", "The body that met"),
        Column("meeting", "text", "Which meeting"),
        Column("start_date", "date", "First day", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("end_date", "date", "Last day", minimum=DATE_MIN, maximum=DATE_MAX),
        Column("level", "text", "Who met", allowed=("leaders", "ministers")),
        Column("format", "text", "How they met", allowed=FORMATS),
        Column("membership", "text", "Whose body it is",
               known=("Latin America and the Caribbean", "the Americas", "global")),
        Column("first_virtual", "boolean", "Whether the sources call it the body's first virtual meeting (empty: "
               "they do not say)", nullable=True),
        Column("description", "text", "What the sources say about it, in the course's words"),
        SOURCE,
    ),
)

DATASETS = (INCIDENTS, MEETINGS)
