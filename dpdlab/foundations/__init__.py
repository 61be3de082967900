"""Concept modules 01-03: diplomacy's spheres and functions (practice), measuring digital presence (metrics),
and networks and node-based communication (networks)."""
# submodules load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submodules=["metrics", "networks", "practice"])
