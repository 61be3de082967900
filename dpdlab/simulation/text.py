"""Every label, sentence and inject the crisis simulation shows a student (one place, for translation).

The setting is fiction: Valdoria, Marvenia and Ostelia are invented states, and their offices are invented
offices. Injects, posts and statements are teaching text written for the course; none is, or paraphrases,
what a real person or a real government said.
"""
from dpdlab.i18n import messages

SIMULATED = "SIMULATED"
FICTION_NOTE = ("Fictional setting: Valdoria, Marvenia and Ostelia are invented states; every inject, account "
                "and reaction below is SIMULATED.")

STATES = messages(f"{__name__}.STATES", {
    "Valdoria": "your state (fictional): its embassy and consular section in Marvenia are your team",
    "Marvenia": "the state struck by the earthquake (fictional); about 18,000 Valdorians live in its capital",
    "Ostelia": "Marvenia's neighbour and Valdoria's rival (fictional); it holds the border crossing used to "
               "evacuate by road",
})
STATE_COLUMNS = messages(f"{__name__}.STATE_COLUMNS", {"state": "state (fictional)", "role": "role in the exercise"})

ROLE_NAMES = messages(f"{__name__}.ROLE_NAMES", {
    "spokesperson": "Spokesperson",
    "consul": "Consul",
    "ambassador": "Ambassador",
    "legal_adviser": "Legal adviser",
    "digital_analyst": "Digital analyst (optional, teams of five)",
})
ROLE_DUTIES = messages(f"{__name__}.ROLE_DUTIES", {
    "spokesperson": "posts and the press: every post goes out through the spokesperson, who answers journalists",
    "consul": "triage and staff: the consular queue, the staff budget, the hotline",
    "ambassador": "Ostelia and Marvenia: calls, and clearance of anything addressed to another government",
    "legal_adviser": "clears every attribution, figure and correction before it goes out",
    "digital_analyst": "runs the coordination detector; in smaller teams the spokesperson does",
})
ROLE_COLUMNS = messages(f"{__name__}.ROLE_COLUMNS", {"role": "role (key)", "name": "role", "duties": "what the role decides or clears"})

LANGUAGE_NAMES = messages(f"{__name__}.LANGUAGE_NAMES", {"es": "Spanish", "en": "English", "pt": "Portuguese"})

ELEMENTS = messages(f"{__name__}.ELEMENTS", {
    "what_is_known": "what is known and verified so far",
    "what_is_not_known": "what is not known yet, said plainly",
    "safety_advice": "what to do now (shelter, stay away from damaged buildings)",
    "hotline": "how to reach the consulate (hotline, form, account)",
    "empathy": "empathy with those affected",
    "next_update": "when the next update comes",
    "actions_taken": "what the embassy has done (staff, buses, documents)",
    "the_fact": "the correct fact, stated first (evacuation seats are free)",
    "casualty_figure": "a number of dead or injured nationals",
    "quote_the_claim": "the false claim quoted or restated (its wording or hashtag)",
    "name_accounts": "accounts named as a coordinated network",
    "blame_others": "blame on another government or on Marvenia's authorities",
    "acknowledge_error": "what went wrong (in the embassy's network or its statements), acknowledged",
    "no_comment": "no comment",
})
ELEMENT_COLUMNS = messages(f"{__name__}.ELEMENT_COLUMNS", {"element": "element (key)", "meaning": "what the post or answer contains"})

FRAMES = messages(f"{__name__}.FRAMES", {
    "factual": "facts on the evacuation and the crossing",
    "calming": "reassurance for nationals and families",
    "conciliatory": "thanks to Ostelia and an offer to cooperate",
    "rebuttal": "the minister's words answered point by point",
    "accusatory": "Ostelia accused of exploiting the tragedy",
})
TIMINGS = messages(f"{__name__}.TIMINGS", {
    "at_once": "at once (T+8h), as soon as the statement is out",
    "after_call": "after the ambassador's call (T+9h)",
    "evening": "that evening (T+12h)",
    "next_morning": "the next morning (T+20h)",
})

# The rules of the exercise: the (fictional) ministry's standing instructions. Checked when graded.
RULES = messages(f"{__name__}.RULES", {
    "R1": ("One voice", "Every post goes out through the spokesperson (`'spokesperson'` in `cleared_by`), and "
           "the spokesperson answers the press.", "the course's rule"),
    "R2": ("Be first, be right", "The first post goes out within 60 minutes of the earthquake. No post or answer "
           "gives a casualty figure before the authorities verify one (at T+20h).", "[cdc-cerc-2018]"),
    "R3": ("Life and safety first", "The consular queue serves priority first, and your keyword rules put at "
           "least 85 % of the life-and-safety requests of the first six hours in priority 1.",
           "module 05"),
    "R4": ("Eight people", "The consulate has 8 people: staff on the queue (stage 2) and on monitoring "
           "(stage 3) together are at most 8. Accounts can be named only if someone ran the detector "
           "(at least one monitor).", "the course's rule"),
    "R5": ("Never repeat the false claim", "No post quotes the false claim or uses its hashtag; the response "
           "leads with the fact (`'the_fact'` first among its elements).", "[debunking-handbook-2020]"),
    "R6": ("Nothing legal before the legal adviser clears it", "A post that names accounts, gives a casualty "
           "figure or corrects an earlier statement has `'legal_adviser'` in `cleared_by`.",
           "the course's rule; module 04"),
    "R7": ("Quiet diplomacy with Ostelia", "The ambassador clears the reply to Ostelia; no post rebuts or "
           "accuses Ostelia's government, and no post blames another government or Marvenia's authorities.",
           "the course's rule; [bradshaw-2015]"),
    "R8": ("Call before you post", "If the ambassador calls Ostelia first, no post goes out before the call.",
           "the course's rule"),
    "R9": ("Say what you do not know", "The on-the-record answer comes within the journalist's 5 minutes, says "
           "what is not known, and is not 'no comment'.", "[cdc-cerc-2018]"),
    "R10": ("Correct what turned out wrong", "Once facts show that the embassy's network got something wrong, a "
            "correction goes out within 120 minutes, acknowledges it, and gives only the verified figure.",
            "[cdc-cerc-2018]; [debunking-handbook-2020]"),
})
RULE_COLUMNS = messages(f"{__name__}.RULE_COLUMNS", {"rule": "rule", "title": "title", "text": "what it asks", "source": "grounded in"})

STAGE_TITLES = messages(f"{__name__}.STAGE_TITLES", {
    0: "Prebrief: team and roles",
    1: "The earthquake",
    2: "A surge of consular requests",
    3: "A viral false claim about the embassy",
    4: "A statement from Ostelia's foreign minister",
    5: "A journalist, on the record, with a 5-minute deadline",
    6: "What turned out to be true",
})
STAGE_SPEAKERS = messages(f"{__name__}.STAGE_SPEAKERS", {
    0: "Facilitator",
    1: "Marvenia's civil protection agency (fictional office, simulated)",
    2: "Your consular section's crisis account (simulated)",
    3: "Accounts on a social platform (simulated)",
    4: "Ostelia's foreign minister (fictional office, simulated)",
    5: "A journalist of an international news agency (simulated role)",
    6: "Marvenia's authorities and your embassy's own report (fictional, simulated)",
})
STAGE_DECIDE = messages(f"{__name__}.STAGE_DECIDE", {
    0: "your team id and who holds each role",
    1: "the first post: when, in which languages, what it says and who clears it",
    2: "what to triage first: keyword rules, queue order and staff",
    3: "the response to the claim, and the detector's thresholds and staff",
    4: "whether to call Ostelia first, and up to three posts (timing, frame, language)",
    5: "who answers, how fast, and what the answer says and does not say",
    6: "whether and how to correct",
})
# Inject texts; {…} fields are filled from the simulated datasets by dpdlab.simulation.scenario.
INJECTS = messages(f"{__name__}.INJECTS", {
    0: ("SIMULATED exercise. The setting is fiction: Valdoria, Marvenia and Ostelia are invented states. Nothing "
        "here speaks for a real government, and nothing you decide is about a real one. The exercise is run "
        "'no fault': decisions are discussed, never the people who made them. Agree who holds each role."),
    1: ("06:40 local time (T+0). A magnitude 7.4 earthquake strikes near Marvenia's capital, where about "
        "18,000 Valdorians live. Mobile networks in the centre are down; the embassy building is damaged but "
        "its staff are safe. The civil protection agency reports collapsed buildings in the old town and "
        "\"victims\", without figures. Videos are spreading. The embassy's account has 40,000 followers."),
    2: ("T+2h. The consular section's crisis account has received {requests_2h} requests in two hours, "
        "{urgent_2h} of them about people trapped or injured, in Spanish, English and Portuguese. The hotline "
        "is overloaded. {requests_6h} requests will have arrived by T+6h. You have 8 people in all."),
    3: ("T+5h. A post claims that the embassy charges for seats on the evacuation buses: "
        "\"{claim}\". By now {claim_posts} posts from {claim_accounts} accounts repeat it, word for word or "
        "nearly. Others ask whether it is true. Some "
        "accounts were opened days ago; many Valdorians opened theirs this morning to reach you. Seats are "
        "free."),
    4: ("T+8h. Ostelia's foreign minister, on state television: \"Valdoria has abandoned its citizens in "
        "Marvenia. If the chaos spreads, Ostelia may close the crossing.\" Two hundred Valdorians are on the "
        "road to that crossing in the embassy's buses."),
    5: ("T+10h. A journalist calls the spokesperson, on the record: \"Can you confirm that {figure} Valdorians "
        "are dead, and that the embassy ignored calls for help last night? I file in five minutes.\" No figure "
        "has been verified."),
    6: ("T+20h. Marvenia's authorities verify {verified} deaths among Valdorian nationals. The embassy's own "
        "report finds that the honorary consulate in Marvenia's northern port charged {fees} nationals a fee "
        "for emergency travel documents, which are free in a crisis; two of them have posted their receipts. The "
        "claim at T+5h was false about the seats. It was not entirely false about the embassy."),
})
INJECT_COLUMNS = messages(f"{__name__}.INJECT_COLUMNS", {"stage": "stage", "class_minute": "class minute", "clock": "simulated time",
                  "title": "inject (simulated)", "decide": "teams decide"})

MESSAGES = messages(__name__, {
    "inject_header": "**SIMULATED inject {stage} of 6 — {clock}: {title}.** *{speaker}.*",
    "inject_prebrief": "**SIMULATED exercise — prebrief.** *{speaker}.*",
    "inject_decide": "Decide: {decide}.",
    "inject_locked_class": ("**Stage {stage} is not released yet** (SIMULATED exercise, class mode). When the "
                            "facilitator gives the code word, write it between the quotes in this cell and "
                            "run it again."),
    "inject_wrong_word": ("**'{word}' is not the code word of stage {stage}** (SIMULATED exercise). Check the "
                          "spelling with the facilitator; capitals and spaces do not matter."),
    "inject_locked_self": ("**Stage {stage} opens when stage {previous}'s decisions are complete** (SIMULATED "
                           "exercise, self-paced mode). Still to do: {problem}"),
    "bad_mode": "mode must be 'self_paced' or 'class'; got {mode!r}.",
    "bad_stage": "stage must be one of {stages}; got {stage!r}.",
    "not_decided": "**Stage {stage}: not decided yet.** The SIMULATED reaction appears once these decisions are "
                   "complete: `{names}`. Still to do: {problem}",
    "reaction_header": "**SIMULATED reaction after stage {stage}** (model assumptions, not findings):",
    # form problems (what a decision lacks), shown by the visible checks
    "not_dict": "{name} should be a dict like the template above; it is {kind}.",
    "missing_key": "{name} lacks the key '{key}' (the template lists every key).",
    "unknown_key": "{name} has the key '{key}', which is not part of this decision (check its spelling).",
    "not_int": "{name}['{key}'] should be a whole number; it is {value!r}.",
    "not_bool": "{name}['{key}'] should be True or False; it is {value!r}.",
    "not_number": "{name}['{key}'] should be a number; it is {value!r}.",
    "not_text": "{name}['{key}'] should be text (in quotes); it is {value!r}.",
    "not_list": "{name}['{key}'] should be a list, like ['es', 'en']; it is {value!r}.",
    "out_of_range": "{name}['{key}'] is {value!r}; it should be between {low} and {high}.",
    "not_allowed": "{name}['{key}'] has {value!r}, which is not one of: {allowed}.",
    "duplicate": "{name}['{key}'] lists {value!r} twice.",
    "empty_list": "{name}['{key}'] is empty: choose at least one.",
    "empty_text": "{name}['{key}'] is empty: write the text.",
    "placeholder": "{name}['{key}'] is still the template's placeholder: write your own text.",
    "too_long": "{name}['{key}'] has {length} characters; the limit is {limit}.",
    "bad_team_id": ("{name}['team_id'] is {value!r}: use your team's id as the facilitator gave it, in small "
                    "letters, digits and '-' (for example 'team-a')."),
    "role_missing": "{name}['roles'] has no one for the role '{role}': every role needs a name.",
    "role_unknown": "{name}['roles'] has the role '{role}', which is not one of: {allowed}.",
    "role_name": "{name}['roles']['{role}'] should be a person's name (text); it is {value!r}.",
    "rules_shape": ("{name}['rules'][{index}] should be a pair (priority, [keywords]) with a priority from 1 to 4 "
                    "and a list of 1 to 200 keywords; it is {value!r}."),
    "rules_count": "{name}['rules'] has {count} rules; keep it to at most {limit}.",
    "posts_count": "{name}['posts'] should hold 1 to {limit} posts; it holds {count}.",
    "post_not_dict": "{name}['posts'][{index}] should be a dict with 'timing', 'frame' and 'language'.",
    "post_field": "{name}['posts'][{index}] has {field}={value!r}, which is not one of: {allowed}.",
    "check_later": "✓ {name}: complete. Rules {rules} are checked when your work is graded.",
    "malformed": "{name} is not a complete decision ({problem})",
    # rule breaches (shown in the debrief and the self-paced hot wash)
    "breach_R1_post": "{name}: the spokesperson did not clear this post.",
    "breach_R1_speaker": "{name}: the answer came from the {speaker}, not the spokesperson.",
    "breach_R2_late": "{name}: the first post went out after {minutes} minutes (limit 60).",
    "breach_R2_figure": "{name}: gives a casualty figure before any is verified.",
    "breach_R3_order": "{name}: the queue serves requests in order of arrival, not priority first.",
    "breach_R3_recall": ("{name}: the rules put {recall:.0%} of the first six hours' life-and-safety requests in "
                         "priority 1 (at least 85 % required)."),
    "breach_R4_budget": "{name}: {queue} on the queue and {monitors} on monitoring make {total}, more than 8.",
    "breach_R4_detector": "{name}: names accounts, but nobody ran the detector (no monitor).",
    "breach_R5_quote": "{name}: repeats the false claim (its wording or its hashtag).",
    "breach_R5_lead": "{name}: does not lead with the fact ('the_fact' is not its first element).",
    "breach_R6": "{name}: {what}, without the legal adviser's clearance.",
    "and": " and ",  # between the parts of a breach of R6
    "breach_R6_names": "names accounts",
    "breach_R6_figure": "gives a casualty figure",
    "breach_R6_correction": "corrects an earlier statement",
    "breach_R7_clear": "{name}: the ambassador did not clear the reply to Ostelia.",
    "breach_R7_frame": "{name}: a post in the '{frame}' frame breaks the line of quiet diplomacy.",
    "breach_R7_blame": "{name}: blames another government or Marvenia's authorities.",
    "breach_R8": "{name}: a post goes out at once, before the ambassador's call.",
    "breach_R9_late": "{name}: answered after {minutes} minutes; the journalist filed at 5.",
    "breach_R9_unknown": "{name}: does not say what is not known.",
    "breach_R9_no_comment": "{name}: 'no comment' on a question about nationals' safety.",
    "breach_R10_none": "{name}: no correction, though the honorary consulate charged fees that are free in a crisis.",
    "breach_R10_ack": "{name}: the correction does not acknowledge the error.",
    "breach_R10_late": "{name}: the correction went out after {minutes} minutes (limit 120).",
    "breach_R10_figure": "{name}: gives {figure} deaths; the verified figure is {verified}.",
    "unknown_rule": "No rule {rule!r}; the rules are {known}.",
    "no_breaches": "No rule broken at stage {stage} (SIMULATED exercise).",
    "hot_wash_class": ("In class, the facilitator shows every team's rules and SIMULATED outcomes side by side "
                       "in the debrief."),
    "hot_wash_title": "**Hot wash (self-paced, SIMULATED exercise): the rules your decisions broke**",
    "hot_wash_none": "Your decisions keep every rule of the exercise that they reach.",
})

# Views: titles, descriptions, notes and table headers.
VIEWS = messages(f"{__name__}.VIEWS", {
    "rules_rows": "rules of the exercise (SIMULATED exercise)",
    "inject_rows": "stages of the exercise (SIMULATED, fictional)",
    "features_rows": "SIMULATED accounts",
    "reach_note": ("The first post, {minutes} minutes after the earthquake in {languages}, catches **{reach:.0%}** "
                   "of the attention of Valdorians in Marvenia by the model: {left:.0%} of the first hours' "
                   "attention is still to come at that minute, and its languages are those of {coverage:.0%} of "
                   "the nationals who write to you. (SIMULATED)"),
    "triage_title": "Requests waiting for a first answer, first six hours (SIMULATED)",
    "triage_description": ("Line chart of the SIMULATED requests waiting, every 15 minutes for six hours, with {staff} "
                           "staff serving {order}. Life-and-safety requests wait {median:.0f} minutes at the median "
                           "and {p90:.0f} at the 90th percentile; your rules put {recall:.0%} of them in priority 1."),
    "triage_y": "requests waiting (simulated)",
    "triage_x": "hours after the earthquake",
    "order_names": {"arrival": "in order of arrival", "priority": "priority first"},
    "claim_title": "Views of the false claim, with and without your response (SIMULATED)",
    "claim_description": ("Line chart of the SIMULATED cumulative views of the false claim from T+3h to T+12h: "
                          "{unanswered:,.0f} by T+12h if nobody answers, {answered:,.0f} with your response at "
                          "T+{hours:.1f}h."),
    "claim_y": "cumulative views (simulated)",
    "claim_x": "hours after the earthquake",
    "claim_series": {"unanswered": "nobody answers", "answered": "your response"},
    "claim_legend": "SIMULATED views",
    "detector_note": ("Your detector flags **{flagged}** accounts: precision {precision:.0%}, recall {recall:.0%}; "
                      "**{wrong}** of the flagged are Valdorians who shared the claim in worry. {named} (SIMULATED)"),
    "named_yes": "You name the flagged accounts in public.",
    "named_no": "You do not name them.",
    "no_detector": "Nobody runs the detector (no monitor): no account is flagged. (SIMULATED)",
    "tension_title": "Reply to Ostelia: reach {reach:,.0f}, tension {tension:.0f}/100 ({band}) (SIMULATED)",
    "tension_description": ("Bar chart of the SIMULATED reach of each of your {posts} posts to Ostelia's statement, "
                            "beside the tension indicator: {tension:.0f} out of 100 ({band}); the statement alone "
                            "puts it at {baseline:.0f}. {crossing}"),
    "tension_reach": "reach points (simulated)",
    "tension_gauge": "tension 0–100 (simulated)",
    "tension_bar": "post {n}: {timing}",
    "tension_frame": "frame",
    "band_names": {"low": "low", "moderate": "moderate", "high": "high"},  # the tension bands, as shown
    "crossing": {"low": "Ostelia keeps the crossing open (SIMULATED).",
                 "moderate": "Ostelia keeps the crossing open but slows the checks (SIMULATED).",
                 "high": "Ostelia closes the crossing for the night (SIMULATED)."},
    "call_yes": "The ambassador calls Ostelia's minister first.",
    "call_no": "No call before posting.",
    "whatif_call": "Call Ostelia first",
    "whatif_timing": "Post {n}: when",
    "whatif_frame": "frame",
    "whatif_language": "language",
    "answer_note": ("The journalist files at minute 5. Your answer comes at minute {minutes}: {quoted} "
                    "Credibility after stage 5: **{credibility:.0f}/100** (SIMULATED)."),
    "answer_quoted": "the story quotes your spokesperson.",
    "answer_missing": "the story runs with \"the embassy did not respond\".",
    "correction_note": ("{issued} Credibility after stage 6: **{credibility:.0f}/100** (SIMULATED)."),
    "correction_yes": "Your correction goes out {minutes} minutes after the facts arrive.",
    "correction_no": "You issue no correction; the fees come out in the press two days later (SIMULATED).",
    "credibility_title": "Credibility after each stage (SIMULATED, assumed weights)",
    "credibility_description": ("Line chart of the SIMULATED credibility indicator, 0 to 100, after stages 1 to 6 "
                                "for {who}. It starts at 35; every change comes from a rule in the model's "
                                "table of assumed weights. Final value: {final}."),
    "credibility_y": "credibility 0–100 (simulated)",
    "credibility_x": "stage",
    "credibility_team": "team",
    "your_team": "your team",
    "credibility_rows": "credibility changes (SIMULATED, assumed weights)",
    "credibility_columns": {"stage": "stage", "reason": "why", "points": "points", "total": "after"},
    "timeline_rows": "your decisions, by stage (SIMULATED exercise)",
    "timeline_columns": {"stage": "stage", "clock": "simulated time", "decision": "decision", "value": "your choice"},
    "outcome_rows": "SIMULATED outcomes (model assumptions, not findings)",
    "outcome_measures": {
        "reach_share": "stage 1: share of nationals' attention reached",
        "first_post_minutes": "stage 1: minutes to the first post",
        "urgent_recall": "stage 2: life-and-safety requests in priority 1",
        "p1_median_wait": "stage 2: median wait, life and safety (min)",
        "p1_p90_wait": "stage 2: 90th percentile wait, life and safety (min)",
        "backlog_6h": "stage 2: requests waiting at T+6h",
        "flagged": "stage 3: accounts flagged",
        "precision": "stage 3: detector precision",
        "recall": "stage 3: detector recall",
        "wrongly_flagged": "stage 3: worried nationals flagged",
        "named": "stage 3: accounts named in public",
        "claim_views": "stage 3: views of the claim by T+12h",
        "tension": "stage 4: tension with Ostelia (0–100)",
        "band": "stage 4: tension band",
        "crossing": "stage 4: the crossing",
        "answered_in_time": "stage 5: answer before the deadline",
        "correction_minutes": "stage 6: minutes to the correction",
        "credibility": "final credibility (0–100)",
        "breaches": "rules broken",
    },
    "crossing_short": {"low": "open", "moderate": "open, slow checks", "high": "closed for the night"},
    "yes": "yes",
    "no": "no",
    "none": "none",
    "not_decided": "not decided",
    "unreadable": "not readable",
    "decision_names": {
        "q0_team": "team and roles", "q1_first_post": "first post", "q2_triage": "triage",
        "q3_response": "response to the claim", "q3_monitoring": "detector and monitors",
        "q4_ostelia": "reply to Ostelia", "q5_answer": "answer to the journalist", "q6_correction": "correction",
    },
})

# The credibility table's reasons (the rows the model applies; weights in dpdlab.simulation.model).
CREDIBILITY_REASONS = messages(f"{__name__}.CREDIBILITY_REASONS", {
    "start": "start of the exercise",
    "first_fast": "first post within 30 minutes (be first)",
    "first_ok": "first post within an hour",
    "first_slow": "first post after two hours",
    "figure_unverified": "an unverified casualty figure (be right)",
    "action": "tells people what to do or how to reach you (promote action)",
    "empathy": "shows empathy",
    "unknowns": "says what is not known",
    "fact_first": "leads with the fact against the false claim",
    "quoted_claim": "repeats the false claim (it spreads further)",
    "slow_response": "answers the claim after two hours",
    "named_wrongly": "names worried nationals as a coordinated network ({count})",
    "blame": "blames another government or the local authorities",
    "tension_high": "a public quarrel with Ostelia (high tension)",
    "answered": "answers the journalist before the deadline",
    "missed": "no answer before the deadline",
    "no_comment": "'no comment' on nationals' safety",
    "corrected_fast": "corrects within two hours and acknowledges what went wrong",
    "corrected_late": "corrects, but late or without acknowledging what went wrong",
    "not_corrected": "no correction of what turned out wrong",
    "figure_verified": "gives the verified figure",
})
