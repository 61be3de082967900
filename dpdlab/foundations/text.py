"""Every label, title and sentence modules 01-03 show a student, one dict per module (for translation)."""
from dpdlab.i18n import messages

PRACTICE = messages(f"{__name__}.PRACTICE", {
    "scope_names": {"all": "Global and Latin American", "global": "Global", "latin_america": "Latin American"},
    "scope_label": "Milestones",
    "years_label": "Years",
    "timeline_title": "{scope} milestones of digital diplomacy, {start}–{end}",
    "timeline_description": ("Dot chart of {n} dated milestones between {start} and {end}, one row per scope "
                             "(global or Latin American), coloured by kind. Hollow dots have a date known only "
                             "to the month, the year or approximately."),
    "timeline_note": "**{n}** milestones in {start}–{end}: {latam} Latin American, {world} global.",
    "timeline_empty": "No milestone of this scope between {start} and {end}; widen the years.",
    "kind_columns": {"kind": "kind of milestone", "count": "milestones"},
    "activity_label": "Activity",
    "activity_card": ("**{actor}** ({country}, {year}) — {activity}  \n"
                      "Channel: {channel}{end}.  \n"
                      "*The course's reading:* sphere **{sphere}**, function **{function}** — {kind}.  \n"
                      "{reading}"),
    "activity_end": "; {end} end",
    "activity_undated": "undated",
    "clear_cut": "a clear-cut case",
    "borderline": "a borderline case",
    "activity_unknown": "No activity with id '{activity_id}'. Known ids: {known}",
    "card_columns": {"question": "question", "reading": "the course's reading"},
    "card_rows": {"sphere": "sphere", "function": "function", "end": "front or back end",
                  "clear_cut": "clear-cut?"},
    "shares_title": "What the activities do with information, by channel",
    "shares_description": ("Stacked bar chart of the {n} activities in the course's list, by channel (digital "
                           "or offline), split by function: {digital_share:.0%} of the digital ones and "
                           "{offline_share:.0%} of the offline ones are listening or dissemination."),
    "shares_columns": {"channel": "channel", "function": "function", "count": "activities"},
})

MEASURE = messages(f"{__name__}.MEASURE", {
    "edition_label": "Year",
    "metric_label": "Figure",
    "exclude_label": "Leave out the top",
    "metric_names": {"followers": "followers", "retweets_per_tweet": "retweets per tweet",
                     "tweets_per_day": "tweets per day", "reply_share": "replies (% of tweets)",
                     "interactions": "interactions (likes + retweets, as Twiplomacy 2017 counted them)",
                     "accounts": "accounts or profiles"},
    "summary_title": "{metric} of Latin American leaders, {year}: mean and median",
    "summary_subtitle": "Published figures ({study}); faded bars are left out of the mean and median",
    "summary_description": ("Bar chart of {n} published figures for {year} ({study}), with the mean "
                            "({mean:,.0f}) and the median ({median:,.0f}) drawn as lines{excluded}."),
    "summary_excluded": ", leaving out the top {k}",
    "summary_note": ("{n} accounts{excluded}: mean **{mean:,.0f}**, median **{median:,.0f}**. "
                     "The mean is {ratio:.2f} times the median. Source kind: {study}."),
    "summary_empty": "No published {metric} figures for {year} in the table.",
    "summary_too_few": "Leaving out {k} of {n} accounts leaves nothing to average; leave out fewer.",
    "summary_columns": {"account": "account", "value": "value", "qualifier": "stated as", "source": "source"},
    "mean_line": "mean",
    "median_line": "median",
    "rank_metric_label": "Rank by",
    "rank_kind_label": "Accounts",
    "rank_month_label": "Month",
    "rank_kinds": {"all": "all kinds", "presidency": "presidencies", "foreign_ministry": "foreign ministries",
                   "embassy": "embassies"},
    "rank_metrics": {"followers": "followers", "retweets_per_post": "retweets per post",
                     "interaction_rate": "interaction rate (interactions per post per 1,000 followers)",
                     "engagement_rate": "engagement rate (interactions ÷ impressions)",
                     "impressions": "impressions"},
    "rank_title": "Top {top} accounts by {metric}, {month}",
    "rank_subtitle": "SIMULATED role-labelled accounts — not real accounts or figures",
    "adoption_title": "Share of leaders coded active on Twitter or Facebook, by kind of account",
    "adoption_y": "leaders coded active (% of the region's)",
    "adoption_end": "{region}: {active} of {leaders}",
    "adoption_description": ("Line chart, {start} to {end}, of the share of each region's leaders coded active with a "
                             "personal account (solid) and with an institutional one (dashed). In the last month, "
                             "active with any account: {ends}."),
    "rank_description": ("Bar chart of the {top} SIMULATED accounts with the highest {metric} in {month}. "
                         "First: {first}. The most-followed account is ranked {followers_rank} by this measure."),
    "rank_note": ("By **{metric}**, the first is **{first}**. The account with most followers, {most_followed}, "
                  "is ranked **{followers_rank}** of {n}. (Simulated data.)"),
    "rank_columns": {"rank": "rank", "account": "account", "kind": "kind", "value": "value"},
    "rank_unknown_metric": "Unknown measure {metric!r}; choose one of {known}",
    "rank_empty": "No simulated accounts of kind {kind!r} in {month}.",
    "bad_counts": "{name} must be zero or more, got {value}",
    "no_posts": "{name} is zero: a rate per post needs at least one post",
    "no_followers": "followers is zero: a rate per follower needs at least one follower",
    "no_impressions": "impressions is zero: nobody saw the posts, so there is no engagement rate",
    "implied_too_few": "A mean without the largest account needs at least 2 accounts, got {n}",
    "no_values": "No values to summarise: the list is empty",
})

NETWORK = messages(f"{__name__}.NETWORK", {
    "seed_label": "Message starts at",
    "hops_label": "Relays (hops)",
    "remove_label": "Remove a node",
    "add_label": "Add a community liaison (new node)",
    "none_option": "(none)",
    "reach_title": "Who a message from {seed} reaches in {hops} relay(s)",
    "reach_subtitle": "SIMULATED network with role-labelled nodes — not a real ministry",
    "reach_description": ("Network diagram of {n} {kind}actors. A message starting at {seed} and passed on "
                          "{hops} time(s) reaches {reached} of the other {others} nodes{change}."),
    "reach_change": "; removing {removed} {direction} reach by {delta} node(s)",
    "direction_cuts": "cuts",
    "direction_changes": "changes",
    "simulated_kind": "SIMULATED ",  # before "network" in a chart's description
    "simulated_data": " (Simulated network.)",
    "no_cuts": "none",
    "reach_added": "; the new liaison brings reach to {reached}",
    "reach_note": ("From **{seed}**, {hops} relay(s) reach **{reached}** of {others} other nodes "
                   "({share:.0%}).{extra}{data}"),
    "reach_extra_removed": " Without **{removed}**: **{after}** ({delta:+d}).",
    "reach_extra_added": " With the new liaison: **{after}** ({delta:+d}).",
    "status_names": {"seed": "starts here", "reached": "reached", "not_reached": "not reached",
                     "removed": "removed", "added": "new node"},
    "reach_columns": {"role": "role", "reached": "reached", "total": "nodes (simulated network)"},
    "reach_same": " **{seed}** is where the message starts, so it is not removed: choose another node to remove.",
    "centrality_label": "Measure",
    "top_label": "Show the top",
    "centrality_names": {"degree": "degree (how many ties)", "betweenness": "betweenness (how often on the "
                         "shortest path between others)", "closeness": "closeness (how near to everyone)"},
    "centrality_title": "The {top} most central actors by {measure}",
    "centrality_description": ("Bar chart of the {top} {kind}actors with the highest {measure}. First: "
                               "{first} ({role})."),
    "centrality_note": ("By **{measure}**, the most central actor is **{first}** ({role}). The network has "
                        "**{bridges}** bridges (ties whose loss splits it) and these cut points (actors whose "
                        "loss splits it): **{cuts}**.{data}"),
    "centrality_columns": {"node": "actor", "role": "role", "value": "value (simulated network)"},
    "nodes_column": "nodes",
    "value_column": "value",
    "empty_network": "The network has no nodes: check the nodes table",
    "votes_missing": ("The votes table has no column {columns} (its columns: {have}); name the columns with "
                      "country=, resolution=, vote="),
    "votes_threshold": "min_agreement is a share between 0 and 1, got {value!r}",
    "unknown_node": "No node called {node!r} in the network",
    "unknown_measure": "Unknown measure {measure!r}; choose one of {known}",
    "edge_unknown_node": "edges table, row {row}: {column} {node!r} is not in the nodes table",
    "bad_hops": "hops must be a whole number of 0 or more, got {hops!r}",
    "figures_title": "Consular offices of Mexico in the United States: the count depends on the source",
    "figures_description": ("Range chart of {n} published counts of Mexico's consular offices in the United "
                            "States, from {low} to {high}. Open-ended figures ('more than') are drawn as a "
                            "point with an arrow to the right."),
    "figures_title_own": "Consular offices in the United States: the count depends on the source",
    "figures_year_unknown": "year not stated",
})
