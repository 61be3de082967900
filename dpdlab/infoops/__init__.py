"""Module 04, misinformation and information operations: takedowns, coordination signals and detectors."""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "analysis": ["account_features", "compare_rules", "confusion", "creation_burst",
            "disclosed_accounts_by_country", "duplicate_share", "normalise_text", "precision_recall",
            "rule_detector", "synchrony_chance", "synchrony_checks", "synchrony_excess", "synchrony_share"],
    "model": ["simulate_week"],
    "views": ["busy_bins", "detector_explorer", "detector_view", "posting_timeline", "rules_table",
            "takedowns_chart", "timeline_explorer"],
})
