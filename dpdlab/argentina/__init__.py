"""The Argentina account-handover case (December 2015): model, views and widgets."""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "model": ["POLICIES", "simulate_handover"],
    "text": ["POLICY_NAMES"],
    "views": ["audience_chart", "explore_audience", "explorer", "handover_what_if", "institutional_accounts",
              "leader_accounts", "leader_accounts_chart", "policy_comparison",
              "timeline_chart", "what_if"],
})
