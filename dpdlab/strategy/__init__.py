"""Module 06, strategy, institutions and the digital divide: reach, clearance delays and campaign metrics."""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "analysis": ["aggregates_in", "attention_caught", "below_region", "benchmark", "channel_metrics", "default_series",
            "latest_share", "places_in", "reach_funnel",
            "reachable"],
    "model": ["generate_campaign"],
    "views": ["clearance_explorer", "clearance_view", "internet_chart", "reach_explorer", "reach_view"],
})
