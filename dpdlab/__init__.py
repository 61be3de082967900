"""dpdlab: the Python package of the course *Digital Public Diplomacy in Latin America*.

Every notebook starts with one set-up cell::

    from dpdlab import setup, load_dataset, check, check_type, passed
    setup()

:func:`setup` makes charts render offline everywhere and makes errors in exercises explain themselves.
"""
# The exports load on first use: the grading processes (worker, checker) import dpdlab.grading alone, and
# need neither Altair nor pandera nor the widgets; a notebook's `from dpdlab import ...` loads what it names.
import lazy_loader

__getattr__, __dir__, _exports = lazy_loader.attach(__name__, submod_attrs={
    "charts": ["PALETTE", "described"],
    "checks": ["CheckFailed", "check", "check_close", "check_type", "passed"],
    "data": ["DatasetError", "dataset_names", "describe", "is_bundled", "load_dataset", "provenance"],
    "widgets": ["View", "linked"],
})

__version__ = "0.1.0"
__all__ = sorted([*_exports, "setup"])


def setup(edition: str = "en") -> None:
    """Prepare a notebook: offline SVG charts with the course theme, hints under errors, and the progress
    record kept by the check cells. A translated edition's notebooks name their ``edition`` (``"es"``)."""
    import pandas as pd

    from dpdlab import charts, checks, i18n

    i18n.set_edition(edition)

    charts.enable()
    checks.install_hooks()
    pd.set_option("display.max_colwidth", 120)
