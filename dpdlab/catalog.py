"""Every bundled dataset's schema. A new case or module adds its schemas here."""
from dpdlab.argentina.datasets import DATASETS as _ARGENTINA

DATASETS = (*_ARGENTINA,)

# Concept modules 04-06
from dpdlab.infoops.datasets import DATASETS as _INFOOPS  # noqa: E402
from dpdlab.crises.datasets import DATASETS as _CRISES  # noqa: E402
from dpdlab.strategy.datasets import DATASETS as _STRATEGY  # noqa: E402

DATASETS += (*_INFOOPS, *_CRISES, *_STRATEGY)
