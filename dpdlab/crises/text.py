"""Every label, title and sentence module 05 shows a student (one place, for translation)."""
from dpdlab.i18n import messages

ORDER_NAMES = messages(f"{__name__}.ORDER_NAMES", {"arrival": "order of arrival", "priority": "priority first"})
TRIAGE_NAMES = messages(f"{__name__}.TRIAGE_NAMES", {"none": "no triage (order of arrival)", "keywords": "the course's keyword rules",
                "perfect": "perfect triage (true priorities)"})

MESSAGES = messages(__name__, {
    "simulated_subtitle": "SIMULATED series calibrated to published totals — not measured hour by hour",
    "requests_subtitle": "SIMULATED requests to a fictional consulate — role labels, not real people",
    "figures_title": "Impressions of three hashtags after the 19 September 2017 earthquake",
    "figures_description": ("Bar chart of the impressions La Jornada reported on 21 September 2017: {parts}. "
                            "Together {total:,.0f}."),
    "figures_axis": "impressions (millions)",
    "attention_series": "Series",
    "attention_fit": "Fit from hour … to hour …",
    "attention_log": "Logarithmic scale",
    "attention_title": "{series}: hourly {measure} and a fitted decay",
    "kind_simulated": "SIMULATED",
    "kind_real": "observed",
    "real_subtitle": "Observed series. {source}",
    "attention_description": ("Line chart of the {kind} hourly {measure} of {series} over {hours} hours, with "
                              "an exponential decay fitted between hours {start} and {end}. The fitted half-life "
                              "is {half_life:.1f} hours."),
    "attention_description_nofit": ("Line chart of the {kind} hourly {measure} of {series} over {hours} hours. "
                                    "No decay could be fitted between hours {start} and {end}."),
    "attention_y": "{measure} per hour (simulated)",
    "attention_y_real": "{measure} per hour",
    "attention_x": "hours since the start",
    "attention_observed": "simulated series",
    "attention_observed_real": "observed series",
    "attention_fitted": "fitted decay",
    "attention_note": ("Fitted half-life **{half_life:.1f} hours**: after that long, the hourly flow is half what it "
                       "was. {share:.0%} of the total over the series' {days:g} days came in its first 24 hours. ({closing})"),
    "closing_simulated": "Simulated series.",
    "attention_note_nofit": "No decay to fit between these hours: {error}",
    "attention_figures": {"half_life": "fitted half-life (hours)", "first_day_share": "share in the first 24 h",
                          "peak_hour": "peak hour", "total": "total over the series"},
    "triage_staff": "Staff on the account",
    "triage_minutes": "Minutes per request",
    "triage_mode": "Triage",
    "triage_title": "Requests waiting for an answer, first 72 hours ({mode})",
    "triage_description": ("Line chart of the SIMULATED requests waiting for a first answer, hour by hour, with "
                           "{staff} staff at {minutes} minutes per request and {mode}. Life-and-safety requests "
                           "wait {median:.0f} minutes at the median and {p90:.0f} minutes at the 90th percentile."),
    "triage_y": "requests waiting (simulated)",
    "triage_x": "hours after the earthquake",
    "triage_note": ("With **{mode}**, a life-and-safety request waits **{median:.0f} min** at the median and "
                    "**{p90:.0f} min** at the 90th percentile before anyone reads it. Peak backlog: "
                    "**{peak}** requests. (Simulated requests.)"),
    "triage_figures": {"median": "median wait, priority 1 (min)", "p90": "90th percentile wait, priority 1 (min)",
                       "median_2": "median wait, priority 2 (min)", "peak": "peak backlog (requests)"},
    "figure": "figure",
    "value": "value (simulated)",
    "value_real": "value",
})

MENTIONS = messages(f"{__name__}.MENTIONS", {
    "no_mentions": "The table has no rows whose measure is 'mentions'.",
    "platform": "platform_per_day must be a positive number of posts a day; got {value!r}.",
})

# triage_comparison: the keys name the figures, the values are what a student sees
COMPARISON = messages(f"{__name__}.COMPARISON", {
    "index": "triage (simulated requests)",
    "columns": {"recall": "priority-1 recall", "precision": "priority-1 precision",
                "median": "median wait, priority 1 (min)", "p90": "90th percentile wait, priority 1 (min)",
                "longest": "longest wait, priority 1 (min)", "median_4": "median wait, priority 4 (min)"},
})

# decay_checks: when the assumptions of an exponential fit do not hold in the chosen window
DECAY_NOTES = messages(f"{__name__}.DECAY_NOTES", {
    "before_peak": ("The fit starts at hour {start:g}, before the peak (hour {peak:g}): those hours are a rise, "
                    "not a decay, and they lengthen the half-life."),
    "zeros": ("{zeros} of the {hours} hours in the window have no posts. The fit keeps them (a fit on counts); a "
              "straight line through the logarithms would have to leave them out, and its half-life would be "
              "longer."),
    "window": ("The half-life depends on the window: from {low:.1f} to {high:.1f} hours for fits from the peak "
               "that end at hours {ends}. One exponential does not describe this series; give the window with "
               "the half-life."),
    "by_window": "Half-life by window (from the peak): {pairs}.",
})

# triage_checks and queue_checks: when keyword triage or the queue model cannot be trusted on the data
QUEUE_NOTES = messages(f"{__name__}.QUEUE_NOTES", {
    "no_rules": ("The course's baseline rules have no keywords in {languages} ({share:.0%} of the messages): "
                 "those messages can only get the default priority. Write rules in those languages."),
    "resolution": ("The arrival times come in steps of {step:g} minutes, no finer than the {minutes:g} minutes a "
                   "request takes, and most are shared by several requests: the queue model needs each "
                   "request's own arrival time, to the minute. With arrivals counted per hour, requests seem to "
                   "arrive together and the waits come out too long."),
})
