"""Module 06, strategy, institutions and the digital divide: reach, clearance delays and campaign metrics."""
from dpdlab.strategy.analysis import (attention_caught, below_region, channel_metrics, latest_share, reach_funnel,
                                      reachable)
from dpdlab.strategy.model import generate_campaign
from dpdlab.strategy.views import clearance_explorer, clearance_view, internet_chart, reach_explorer, reach_view

__all__ = ["attention_caught", "below_region", "channel_metrics", "clearance_explorer", "clearance_view",
           "generate_campaign", "internet_chart", "latest_share", "reach_explorer", "reach_funnel", "reach_view",
           "reachable"]
