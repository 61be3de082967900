"""Module 05, crises and humanitarian digital diplomacy: attention decay and consular triage."""
from dpdlab.crises.analysis import (BASELINE_RULES, attention_left, backlog, fit_decay, half_life,
                                    implied_half_life, keyword_triage, serve_queue, triage_scores, wait_summary)
from dpdlab.crises.model import generate_attention, generate_requests
from dpdlab.crises.views import (attention_explorer, attention_view, hashtag_figures_chart, triage_simulator,
                                 triage_view)

__all__ = ["BASELINE_RULES", "attention_explorer", "attention_left", "attention_view", "backlog", "fit_decay",
           "generate_attention", "generate_requests", "half_life", "hashtag_figures_chart", "implied_half_life",
           "keyword_triage", "serve_queue", "triage_scores", "triage_simulator", "triage_view", "wait_summary"]
