"""The ICJ maritime cases (Peru v. Chile 2008-2014, Bolivia v. Chile 2013-2018): model, views and widgets."""
from dpdlab.peru.datasets import CASE_IDS, FRAMES
from dpdlab.peru.model import (BASELINE_KEYWORDS, TIMINGS, baseline_frames, case_posts, confusion_table,
                               plan_outcome, tension_index)
from dpdlab.peru.views import (case_comparison, case_view, communication_chart, explore_posts, explorer,
                               frame_audience_chart, frame_summary, judgment_day_plan, plan_what_if,
                               volume_chart)

__all__ = ["BASELINE_KEYWORDS", "CASE_IDS", "FRAMES", "TIMINGS", "baseline_frames", "case_comparison", "case_posts",
           "case_view", "communication_chart", "confusion_table", "explore_posts", "explorer",
           "frame_audience_chart", "frame_summary", "judgment_day_plan", "plan_outcome", "plan_what_if",
           "tension_index", "volume_chart"]
