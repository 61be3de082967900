"""dpdlab: the Python package of the course *Digital Public Diplomacy in Latin America*.

Every notebook starts with one set-up cell::

    from dpdlab import setup, load_dataset, check, check_type, passed
    setup()

:func:`setup` makes charts render offline everywhere and makes errors in exercises explain themselves.
"""
from dpdlab.charts import PALETTE, described
from dpdlab.checks import CheckFailed, check, check_close, check_type, passed
from dpdlab.data import DatasetError, dataset_names, describe, load_dataset
from dpdlab.widgets import View, linked

__version__ = "0.1.0"
__all__ = ["PALETTE", "CheckFailed", "DatasetError", "View", "check", "check_close", "check_type",
           "dataset_names", "describe", "described", "linked", "load_dataset", "passed", "setup"]


def setup() -> None:
    """Prepare a notebook: offline SVG charts with the course theme, hints under errors, and the progress
    record kept by the check cells."""
    import pandas as pd

    from dpdlab import charts, checks

    charts.enable()
    checks.install_hooks()
    pd.set_option("display.max_colwidth", 120)
