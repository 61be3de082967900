"""Every label, title and sentence module 04 shows a student (one place, for translation)."""
from dpdlab.i18n import messages

OUTCOME_NAMES = messages(f"{__name__}.OUTCOME_NAMES", {
    "true_positive": "flagged, coordinated (true positive)",
    "false_positive": "flagged, not coordinated (false positive)",
    "false_negative": "missed, coordinated (false negative)",
    "true_negative": "not flagged, not coordinated (true negative)",
})

RULE_NAMES = messages(f"{__name__}.RULE_NAMES", {
    "all": "all three signals",
    "two_of_three": "two of the three signals",
    "any": "any one signal",
})

MESSAGES = messages(__name__, {
    "simulated_subtitle": "SIMULATED accounts and posts (role labels, fictional topic) — not real data",
    "simulated_axis": "SIMULATED accounts and posts",
    "takedowns_title": "State-linked takedowns disclosed by Twitter, Latin America, 2019–2021",
    "takedowns_subtitle": "Accounts per disclosure; Cuba's suspensions had no published count and are not shown",
    "takedowns_description": ("Bar chart of {n} platform disclosures with account counts, by country and date. "
                              "The largest is {largest_country} on {largest_date} with {largest:,} accounts; "
                              "together they hold {total:,} accounts."),
    "takedowns_axis": "accounts in the disclosure",
    "takedowns_title_own": "Platform takedowns of state-linked accounts, by country and date",
    "takedowns_subtitle_own": "Accounts per disclosure; rows without a count are not shown",
    "timeline_day": "Day of the week",
    "timeline_bin": "Minutes per bin",
    "timeline_min_accounts": "Busy bin: at least … accounts",
    "timeline_title": "Posts per {bin}-minute bin on day {day} of the simulated week",
    "timeline_description": ("Bar chart of the SIMULATED posts on day {day}, {bin} minutes per bar, with busy "
                             "bins (at least {min_accounts} distinct accounts) highlighted. Day {day} has "
                             "{posts} posts and {busy} busy bins holding {busy_posts} posts."),
    "timeline_empty": "No simulated posts on day {day}.",
    "timeline_busy": "busy bin",
    "timeline_quiet": "other bin",
    "timeline_y": "posts (simulated)",
    "timeline_y_real": "posts",
    "timeline_x": "time of day (hours)",
    "timeline_figures": {"posts": "posts that day", "busy": "busy bins", "busy_posts": "posts in busy bins",
                         "busy_accounts": "distinct accounts in busy bins"},
    "detector_duplicate": "Duplicated text ≥",
    "detector_synchrony": "Synchronised posts ≥",
    "detector_burst": "Creation burst ≥ (accounts)",
    "detector_rule": "Flag when",
    "detector_title": "What the detector flags: {rule}",
    "detector_description": ("Scatter plot of {n} SIMULATED accounts: share of duplicated posts against share "
                             "of synchronised posts, coloured by whether the detector flags them and whether "
                             "they are coordinated. Precision {precision:.2f}, recall {recall:.2f}."),
    "detector_x": "share of posts with duplicated text",
    "detector_y": "share of posts in busy bins",
    "detector_note": ("The detector flags **{flagged}** accounts: **{tp}** are coordinated, **{fp}** are not. "
                      "It misses **{fn}** coordinated accounts. Precision **{precision:.2f}**, recall "
                      "**{recall:.2f}** (simulated ground truth)."),
    "detector_figures": {"true_positives": "true positives", "false_positives": "false positives",
                         "false_negatives": "false negatives", "true_negatives": "true negatives",
                         "precision": "precision", "recall": "recall"},
    "figure": "figure",
    "value": "value",
    "rule_label": "rule",
    "rule_needed": "signals needed",
    "rule_thresholds": "thresholds",
    "rule_threshold_values": ("duplicated text ≥ {min_duplicate}, synchronised ≥ {min_synchrony}, "
                              "burst ≥ {min_burst}"),
    "rule_flagged": "accounts flagged",
})

# synchrony_checks: when posting volume alone makes bins busy
SYNCHRONY_NOTES = messages(f"{__name__}.SYNCHRONY_NOTES", {
    "base_rate": ("At this posting volume, {chance:.0%} of the posts would fall in busy bins ({min_accounts} or more "
                  "accounts in {window} minutes) by chance alone; {observed:.0%} do, an excess of {excess:+.0%}. "
                  "Timing alone cannot tell coordination from a busy hour here: read the excess over chance "
                  "(synchrony_excess), not the share of synchronised posts."),
})
