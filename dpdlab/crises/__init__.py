"""Module 05, crises and humanitarian digital diplomacy: attention decay and consular triage."""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "analysis": ["BASELINE_RULES", "BASELINE_RULES_BY_LANGUAGE", "PLATFORM_TWEETS_PER_DAY_2010", "attention_left",
            "backlog", "baseline_rules", "deaths_beside_crises", "deaths_per_country_year", "decay_checks", "fit_decay", "fold", "half_life", "half_life_by_window",
            "implied_half_life", "keyword_triage", "queue_checks", "triage_checks", "mention_checks", "serve_queue", "triage_comparison",
            "triage_priorities", "triage_scores", "wait_summary"],
    "model": ["generate_attention", "generate_requests"],
    "views": ["attention_explorer", "attention_view", "hashtag_figures_chart", "triage_simulator",
            "triage_view"],
})
