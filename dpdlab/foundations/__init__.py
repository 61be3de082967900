"""Concept modules 01-03: diplomacy's spheres and functions (practice), measuring digital presence (metrics),
and networks and node-based communication (networks)."""
from dpdlab.foundations import metrics, networks, practice

__all__ = ["metrics", "networks", "practice"]
