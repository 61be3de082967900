"""Module 07, beyond the feed: incidents that tested trust in diplomatic channels, pandemic meeting formats and a
model of account security."""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "analysis": ["days_after", "incidents_by_kind", "leak_responses", "meets_goals", "security_outcome", "select_incidents"],
    "views": ["incident_explorer", "incident_view", "incidents_chart", "meetings_chart", "security_explorer",
              "security_view"],
})
