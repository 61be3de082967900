"""Module 04, misinformation and information operations: takedowns, coordination signals and detectors."""
from dpdlab.infoops.analysis import (account_features, confusion, creation_burst, disclosed_accounts_by_country,
                                     duplicate_share, normalise_text, precision_recall, rule_detector,
                                     synchrony_share)
from dpdlab.infoops.model import simulate_week
from dpdlab.infoops.views import (busy_bins, detector_explorer, detector_view, posting_timeline,
                                  takedowns_chart, timeline_explorer)

__all__ = ["account_features", "busy_bins", "confusion", "creation_burst", "detector_explorer", "detector_view",
           "disclosed_accounts_by_country", "duplicate_share", "normalise_text", "posting_timeline",
           "precision_recall", "rule_detector", "simulate_week", "synchrony_share", "takedowns_chart",
           "timeline_explorer"]
