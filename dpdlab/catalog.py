"""Every bundled dataset's schema. A new case or module adds its schemas here.

Importing a package's ``datasets`` module runs that package's ``__init__``; those attach their exports
lazily (``lazy_loader``), so loading any dataset does not import every module's libraries (scipy and
networkx alone cost a notebook about half a second and 55 MB it may never use).
"""
from dpdlab.argentina.datasets import DATASETS as _ARGENTINA
from dpdlab.beyond.datasets import DATASETS as _BEYOND
from dpdlab.crises.datasets import DATASETS as _CRISES
from dpdlab.foundations.datasets import DATASETS as _FOUNDATIONS
from dpdlab.infoops.datasets import DATASETS as _INFOOPS
from dpdlab.niunamenos.datasets import DATASETS as _NIUNAMENOS
from dpdlab.peru.datasets import DATASETS as _PERU
from dpdlab.simulation.datasets import DATASETS as _SIMULATION
from dpdlab.strategy.datasets import DATASETS as _STRATEGY

# concept modules 01-07, then the cases and the crisis simulation
DATASETS = (*_FOUNDATIONS, *_INFOOPS, *_CRISES, *_STRATEGY, *_BEYOND, *_ARGENTINA, *_PERU, *_NIUNAMENOS,
            *_SIMULATION)

from dpdlab.i18n import messages  # noqa: E402  (after the schemas it names)

# each dataset's title, what one row is, its columns' descriptions and what to do to bring one's own file of
# its kind, as the course's views, data dictionaries and datasheets show them in each edition (the schemas and
# the files keep the English)
DATASET_TEXTS = messages(f"{__name__}.DATASET_TEXTS", {
    d.name: {"title": d.title, "row": d.row, "own_data": d.own_data,
             "columns": {c.name: c.description for c in d.columns}} for d in DATASETS})
# the columns' units and types, as the data dictionaries name them in each edition
UNITS = messages(f"{__name__}.UNITS", {u: u for u in sorted({c.unit for d in DATASETS for c in d.columns if c.unit})})
TYPES = messages(f"{__name__}.TYPES", {t: t for t in ("text", "integer", "number", "date", "boolean")})
