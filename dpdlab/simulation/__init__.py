"""The crisis simulation: a tabletop exercise in a fictional setting, with a seeded model of the reaction.

A consular crisis unfolds in six timed injects (an earthquake abroad, a surge of consular requests, a viral
false claim about the embassy, a neighbouring government's statement, a journalist's question, a twist);
teams in roles decide at each stage, and a documented model shows the simulated public and diplomatic
reaction. It reuses the course's consular triage (module 05), coordination detector (module 04) and the ICJ
case's reach and tension arithmetic. Everything it shows is simulated; the states and offices are invented.
"""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "debrief": ["TeamNotebook", "breaches_side_by_side", "changes_since", "decisions_from_notebook",
                "decisions_side_by_side", "freeze", "outcomes_side_by_side", "read_team", "read_teams",
                "roster_check", "scores_side_by_side"],
    "model": ["ASSUMPTIONS", "CREDIBILITY_POINTS", "NETWORK_ASSUMPTIONS", "claim_outcome", "credibility_changes",
              "detector_outcome", "first_post_outcome", "outcome_summary", "reaction", "reply_outcome",
              "simulate_claim_network", "triage_outcome"],
    "rules": ["Breach", "all_breaches", "breaches", "check_decision", "checked_later", "complete",
              "form_problems", "mentions_casualty_figure", "quotes_claim"],
    "scenario": ["ASSIGNMENT", "DECISIONS", "ELEMENT_KEYS", "FRAME_KEYS", "LANGUAGES", "MODES", "ROLES",
                 "STAFF_BUDGET", "STAGES", "TIMING_KEYS", "fingerprint", "is_release_word", "roles_table", "stage"],
    "views": ["claim_features", "credibility_chart", "decisions_in", "elements_table", "hot_wash", "inject_table",
              "reply_view", "reply_what_if", "rules_table", "scenario_table", "scorecard", "show_inject",
              "show_reaction", "timeline"],
})
