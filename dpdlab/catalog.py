"""Every bundled dataset's schema. A new case or module adds its schemas here."""
from dpdlab.argentina.datasets import DATASETS as _ARGENTINA
from dpdlab.foundations.datasets import DATASETS as _FOUNDATIONS
from dpdlab.niunamenos.datasets import DATASETS as _NIUNAMENOS
from dpdlab.peru.datasets import DATASETS as _PERU

DATASETS = (*_FOUNDATIONS, *_ARGENTINA, *_PERU, *_NIUNAMENOS)
