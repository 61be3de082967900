"""The ICJ maritime cases (Peru v. Chile 2008-2014, Bolivia v. Chile 2013-2018): model, views and widgets."""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "datasets": ["CASE_IDS", "FRAMES"],
    "model": ["BASELINE_KEYWORDS", "TIMINGS", "baseline_frames", "case_posts", "confusion_table", "frame_scores",
            "plan_outcome", "tension_index"],
    "views": ["case_comparison", "case_view", "communication_chart", "explore_posts", "explorer",
            "frame_audience_chart", "frame_summary", "judgment_day_plan", "plan_what_if", "volume_chart"],
})
