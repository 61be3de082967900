"""Every label, title and sentence the Argentina case shows a student (one place, for translation)."""
from dpdlab.i18n import messages

POLICY_NAMES = messages(f"{__name__}.POLICY_NAMES", {
    "transfer": "Transfer the account",
    "archive_and_mirror": "Archive and mirror",
    "start_afresh": "Start afresh",
})

# What each policy does with the past posts and the successor's timeline (from the practices table).
POLICY_RECORD = messages(f"{__name__}.POLICY_RECORD", {
    "transfer": ("kept on the account, mixed with the successor's posts", "no"),
    "archive_and_mirror": ("kept in a separate archive (mirror) account", "yes"),
    "start_afresh": ("only if the old account is kept and archived", "yes"),
})

MESSAGES = messages(__name__, {
    "simulated_subtitle": "SIMULATED series calibrated to reported figures — not real follower counts",
    "model_subtitle": "SIMULATED: expected values of the course's model — not real follower counts",
    "simulated_axis": "SIMULATED series",
    "model_axis": "SIMULATED model",
    "followers_axis": "followers",
    "whatif_x_axis": "days after the handover",
    "whatif_y_axis": "followers of the official account (simulated)",
    "explorer_account": "Account",
    "explorer_dates": "Dates",
    "explorer_title": "Followers of {account}, {start} to {end}",
    "explorer_description": ("Line chart of the simulated daily followers of {account} from {start} to {end}, "
                             "coloured by whether it was the Presidency's official account. It goes from "
                             "{first:,} to {last:,} followers ({change:+,})."),
    "explorer_empty": "{account} has no simulated data between {start} and {end}; widen the dates.",
    "status_official": "official account",
    "status_not_official": "not the official account",
    "handover_label": "10 Dec 2015: handover",
    "figure_names": {"first": "followers on the first day", "last": "followers on the last day",
                     "change": "change", "change_pct": "change (%)", "official_days": "days as official account"},
    "whatif_policy": "Handover policy",
    "whatif_horizon": "Days after the handover",
    "whatif_unfollow": "Followers who leave with the outgoing team",
    "whatif_title": "What the official account keeps: {horizon} days after the handover",
    "whatif_description": ("Line chart of the SIMULATED followers of the official account for {horizon} days "
                           "after a handover under three policies. With '{policy}' it holds {share:.0%} of the "
                           "pre-handover audience at the end; transfer and archive-and-mirror overlap because "
                           "they keep the same followers."),
    "whatif_note": ("With **{policy}**, the official account holds **{share:.0%}** of the pre-handover audience "
                    "after {horizon} days (simulated model). Past posts: {record}. Clean timeline for the "
                    "successor: {clean}."),
    "whatif_columns": {"policy": "policy", "followers": "followers at the end", "share_kept": "share kept",
                       "record": "past posts", "clean_timeline": "clean timeline for the successor"},
    "timeline_title": "Account transitions, {start} to {end}",
    "timeline_description": ("Dot chart of {n} dated events about official accounts, one row per country, "
                             "coloured by the kind of event. Hollow dots have an approximate, month or year date."),
    "audience_title": "Simulated daily followers of the institutional accounts",
    "audience_end": "{account}: {followers:,} on {date}",
    "audience_description": ("Line chart of the SIMULATED daily followers of {accounts}, each of them the official "
                             "account on some day. Last day shown: {ends}."),
    "audience_empty": "No rows for the accounts {accounts} in this table.",
    "account_cases": {"both": "personal and institutional", "personal": "personal only",
                      "institutional": "institutional only", "none": "none recorded"},
    "grid_columns": {"twitter_personal": "Twitter, personal", "twitter_institutional": "Twitter, institutional",
                     "facebook_personal": "Facebook, personal", "facebook_institutional": "Facebook, institutional"},
    "recorded": {True: "account recorded", False: "none recorded"},
    "no_account": "(none)",
    "grid_title": "Leaders' personal and institutional accounts, country by country",
    "grid_description": ("Grid of {n} countries (rows) by platform and kind of account (columns), filled where the "
                         "data record an account. On Twitter, {both} countries had both the leader's personal and "
                         "the office's institutional account, and {personal} the leader's personal account only."),
})
