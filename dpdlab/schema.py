"""The vocabulary of a dataset's schema: :class:`Column` and :class:`Dataset`.

This module imports nothing of ``dpdlab``, so that each topic's ``datasets`` module can declare its schemas
with it and :mod:`dpdlab.data` can read them all from :mod:`dpdlab.catalog` without an import circle.

A column's rules are of two kinds:

* **structure**, checked as hard rules: the type, the unit, the key, a *sanity* range (a share between
  0 and 100, a year between 1900 and 2100) and ``allowed`` values where the course's code cannot take
  others (a coding scheme the analyses group by, a scale);
* **vocabulary**, the course's own cases (its countries, crises, platforms, languages, series):
  ``known`` values. A value outside them loads, with a warning that names the column, the values and how
  many rows hold them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import pandas as pd

ColumnType = Literal["text", "integer", "number", "date", "boolean"]

# Sanity bounds for years and dates: wide enough for any real record, narrow enough to catch a typo.
YEAR_MIN, YEAR_MAX = 1900, 2100
DATE_MIN, DATE_MAX = "1900-01-01", "2100-12-31"


@dataclass(frozen=True)
class Column:
    """One column of a dataset's schema.

    ``allowed`` lists the only permitted values (used where code depends on them); ``known`` lists the
    values the course's own data uses, which a user's file may extend (others load with a warning);
    ``minimum``/``maximum`` are sanity bounds of a numeric or date column (dates as ``"YYYY-MM-DD"``);
    ``pattern`` is a regular expression a text value must match in full, and ``simulated_pattern`` one
    that only rows marked simulated must match. An ``optional`` column may be absent from a file: it is
    then filled with ``default``.
    """

    name: str
    type: ColumnType
    description: str
    unit: str = ""
    allowed: tuple[str | bool, ...] | None = None
    minimum: float | str | None = None
    maximum: float | str | None = None
    nullable: bool = False
    pattern: str | None = None
    known: tuple[str, ...] | None = None
    simulated_pattern: str | None = None
    optional: bool = False
    default: object = None


def simulated_flag() -> Column:
    """The column that says a row is simulated, so that any view of its rows says so.

    Every bundled simulated dataset has it, true on every row. A user's file of the same kind may leave it
    out or set it false: its rows are then real, and views name the data's source instead.
    """
    return Column("simulated", "boolean", "true: every value in this row comes from the course's model, not "
                  "from observation; false or column absent: real data", optional=True, default=False)


def source_column(nullable: bool = False) -> Column:
    """The ``source`` column of a fact table: keys into ``SOURCES.md``, several separated by ``;``."""
    return Column("source", "text", "Key(s) into data/SOURCES.md, separated by ';'", nullable=nullable)


@dataclass(frozen=True)
class Dataset:
    """The schema and provenance of one bundled dataset.

    ``key`` names the column(s) whose values identify a row (unique together). A dataset of real facts
    has a ``source`` column whose keys (several separated by ``;``) point into ``SOURCES.md``. A
    simulated dataset names the seeded ``generator`` that rebuilds it; a real table derived from raw files
    kept outside the project names its ``derivation`` (see :mod:`dpdlab.derived`). ``own_data`` tells a
    user what else to do to bring a file of their own of this kind (it closes the datasheet's section on
    bringing one's own file).
    """

    name: str
    title: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    simulated: bool = False
    generator: Callable[[], pd.DataFrame] | None = field(default=None, compare=False)
    derivation: Callable[[], pd.DataFrame] | None = field(default=None, compare=False)
    own_data: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

# A handle on any platform (``@name``, ``name.with.dots``, ``@name@instance``): one word without spaces.
HANDLE = r"\S+"
