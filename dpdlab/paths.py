"""Where the course's files live.

Every location can be overridden with an environment variable, so that the same package works from a
clone, on Binder, and under JupyterHub with shared storage:

================  ============================  ===============================================
variable          default                       what it is
================  ============================  ===============================================
DPDLAB_ROOT       the checkout holding dpdlab   project root (course/, cases/, data/, grading/)
DPDLAB_DATA       <root>/data                   bundled datasets, datasheets and SOURCES.md
DPDLAB_COURSE     <root>/grading                the nbgrader course directory
DPDLAB_EXCHANGE   <course>/exchange             nbgrader's exchange (shared storage on a hub)
DPDLAB_PROGRESS   ~/.dpdlab/progress.json       a learner's passing checks (``off``: not kept);
                                                see :mod:`dpdlab.progress`
================  ============================  ===============================================
"""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _from_env(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser().resolve() if value else default


def project_root() -> Path:
    """The project checkout: the folder that holds ``dpdlab/``, ``data/`` and ``grading/``."""
    return _from_env("DPDLAB_ROOT", _PACKAGE_DIR.parent)


def data_dir() -> Path:
    """Folder of the bundled datasets (``<name>.csv`` + ``<name>.md``) and ``SOURCES.md``."""
    return _from_env("DPDLAB_DATA", project_root() / "data")


def course_dir() -> Path:
    """The nbgrader course directory (holds ``nbgrader_config.py`` and ``source/``)."""
    return _from_env("DPDLAB_COURSE", project_root() / "grading")


def exchange_dir() -> Path:
    """nbgrader's exchange directory; point it at shared storage when many users share a hub."""
    return _from_env("DPDLAB_EXCHANGE", course_dir() / "exchange")
