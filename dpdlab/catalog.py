"""Every bundled dataset's schema. A new case or module adds its schemas here."""
from dpdlab.argentina.datasets import DATASETS as _ARGENTINA
from dpdlab.peru.datasets import DATASETS as _PERU

DATASETS = (*_ARGENTINA, *_PERU)
