"""The Argentina account-handover case (December 2015): model, views and widgets."""
from dpdlab.argentina.model import POLICIES, simulate_handover
from dpdlab.argentina.text import POLICY_NAMES
from dpdlab.argentina.views import (audience_chart, explore_audience, explorer, handover_what_if,
                                    policy_comparison, timeline_chart, what_if)

__all__ = ["POLICIES", "POLICY_NAMES", "audience_chart", "explore_audience", "explorer", "handover_what_if",
           "policy_comparison", "simulate_handover", "timeline_chart", "what_if"]
