"""Every label, title and sentence module 07 shows a student (one place, for translation)."""
from dpdlab.i18n import messages

KIND_NAMES = messages(f"{__name__}.KIND_NAMES", {
    "account_hijack": "account hijacked",
    "network_intrusion": "network intrusion",
    "leak": "leak",
    "leak_response": "response to a leak",
    "slip_up": "slip-up",
})

REGION_NAMES = messages(f"{__name__}.REGION_NAMES", {"Latin America": "Latin America", "elsewhere": "elsewhere"})

CONFIDENCE_NAMES = messages(f"{__name__}.CONFIDENCE_NAMES", {"verified": "verified", "partly": "partly confirmed"})

MEASURE_NAMES = messages(f"{__name__}.MEASURE_NAMES", {
    "security_keys": "Security keys for two-step login",
    "credential_vault": "Credentials in an institutional vault",
    "app_review": "Review of connected apps",
    "monitoring": "Round-the-clock monitoring",
    "disown_protocol": "Pre-approved disowning message",
    "platform_contact": "Escalation contact at the platform",
})

WAY_IN_NAMES = messages(f"{__name__}.WAY_IN_NAMES", {
    "phishing": "a password stolen on a fake login page (phishing)",
    "reused_password": "a weak or reused password",
    "former_staff": "someone who left still knows the password",
    "connected_app": "a connected third-party app is compromised",
})

DURATION_NAMES = messages(f"{__name__}.DURATION_NAMES", {
    "false_post": "the false post stands undisowned",
    "account_held": "the attacker holds the account",
})

MESSAGES = messages(__name__, {
    # analysis
    "unknown_measure": "Unknown measure {name!r}; the measures are: {known}.",
    "unknown_kind": "Unknown kind {name!r}; the kinds are: {known}.",
    "unknown_region": "Unknown region {name!r}; choose 'all', 'Latin America' or 'elsewhere'.",
    "unknown_incident": "No incident with the id {name!r} in the table.",
    "years": "first_year ({first}) must not be after last_year ({last}).",
    # incidents chart and explorer
    "all": "all",
    "incidents_title": "Incidents that tested trust in diplomatic channels, {first}–{last}",
    "incidents_subtitle": "A selection of reported cases with sources, not a count of all incidents",
    "incidents_subtitle_own": "{provenance}",
    "incidents_description": ("Dot chart of {n} documented incidents by date and kind, coloured by region: {latam} "
                              "concern Latin America. Hollow diamonds are only partly confirmed ({partly}). The "
                              "commonest kind shown is '{top_kind}' ({top_count})."),
    "incidents_x": "date",
    "incidents_color": "region",
    "incidents_shape": "confirmation",
    "incident_years": "Years",
    "incident_kind": "Kind",
    "incident_region": "Region",
    "no_incidents": "No incident in the table matches {kind}, {region}, {first}–{last}: widen the years.",
    "incident_note": ("**{n}** incident(s) from {first} to {last} ({kind}; {region}); **{partly}** only partly "
                      "confirmed. These are the cases the course documents, not all that happened."),
    "incident_columns": {"date": "date", "country": "country", "kind": "kind", "what_happened": "what happened",
                         "response": "response", "confidence": "confirmation", "source": "source"},
    # security model
    "security_title": "Model: how long a hijack lasts with the measures chosen",
    "security_subtitle": "MODEL — the hours are the course's assumptions, not measurements",
    "security_description": ("Bar chart of two durations in the course's model of a hijacked official account: "
                             "the false post stands undisowned for {false_post:g} hours and the attacker holds the "
                             "account for {account_held:g} hours. {closed} of {ways} ways in are closed."),
    "security_x": "hours after the false post (model)",
    "security_note": ("With these measures **{closed} of {ways}** ways in are closed. In the model, a false post "
                      "stands for **{false_post:g} h** before the ministry disowns it, and the attacker holds the "
                      "account for **{account_held:g} h**."),
    "way_in": "way in",
    "status": "with these measures",
    "closed": "closed",
    "open": "open",
    # meetings chart
    "meetings_title": "High-level meetings during the pandemic, March 2020 – September 2021",
    "meetings_subtitle": "Format of each meeting in the course's table (sourced); the bodies' first virtual meetings labelled",
    "meetings_first_label": "first by video",
    "meetings_description": ("Timeline of {n} meetings by body and start date, coloured by format: {video} by "
                             "videoconference, {recorded} with pre-recorded statements and {in_person} in person. "
                             "{first} were the first virtual meeting of their body."),
    "meetings_x": "start date",
    "meetings_color": "format",
})
