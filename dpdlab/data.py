"""Datasets: load by name, validate against a schema, report every problem in one pass.

Each dataset is a CSV file in the data folder (see :mod:`dpdlab.paths`) described by a
:class:`~dpdlab.schema.Dataset` schema (declared in each topic's ``datasets`` module, listed in
:mod:`dpdlab.catalog`), with a datasheet ``<name>.md`` beside it. The same loader accepts a user's own
file of the same kind ("bring your own data"): ``load_dataset(name, path)``.

Reading: UTF-8 (or, for a file with no UTF-8 text at all, Latin-1/Windows-1252), comma- or
semicolon-separated (spreadsheets in Spanish and Portuguese locales save ``;``); what was sniffed is said in
a note. Validation runs in two passes of `pandera`_, and the second runs even when the first found problems,
so that every column is reported at once:

1. on the raw text of the file: required and unknown columns, and that every cell *looks like* its type
   (whole number, ``2014.0`` included; decimal number; ISO date ``YYYY-MM-DD``; ``true``/``false`` in any
   case);
2. on the typed table: impossible dates, allowed values, sanity ranges, unique keys, and that every
   ``source`` key is listed in the course's ``SOURCES.md`` or in a ``SOURCES.md`` beside the user's file.

Problems are raised together as one :class:`DatasetError`, grouped by column and message with counts and
row ranges. Values outside a column's *known* values (the course's own vocabulary) are not errors: they
load with a :class:`DatasetNote` warning that names the column, the values and the rows.

Real or simulated is a property of the rows, not of the schema: a row is simulated when its ``simulated``
cell is true; a file without the column is real. :func:`is_simulated` and the table's ``attrs`` say which,
and :func:`provenance` gives the words a view shows (SIMULATED, or the data's source).

**A Data Package, exported rather than adopted.** The Frictionless standard (``datapackage.json``, a Table
Schema per file) was measured as the declaration these checks could be derived from. In this environment
``frictionless`` 5.21.0 adds 25 MB and about 18 packages, and imports in 0.4 s (0.2 s after pandas and
pandera, which a notebook loads anyway). The cost is bearable; the fit is not: a Table Schema's constraints
are hard rules only, so the course's known values that warn, the ``simulated`` flag that labels every view,
the tolerated spellings and the grouped report would still need a layer of their own, and pandera would stay
for the typed checks. One more dependency in every Binder image would buy a second declaration, not a
replacement. So each dataset keeps one Python declaration, and the standard is *written from it*:
:func:`table_schema` and :func:`data_package` give the descriptors, ``dpdlab data rebuild`` writes
``data/datapackage.json``, and ``frictionless validate data/datapackage.json`` passes on the bundled files
for anyone who has the tool (the known values travel as ``x-known``, which other readers ignore).

A bundled file whose bytes, schema and ``SOURCES.md`` are those recorded in ``validated.json`` (written by
``dpdlab data rebuild`` after the file passed both passes, and checked by the tests) is only converted to its
types: it passed the same checks already, and pandera then need not be imported at all (about 0.25 s and
12 MB of every notebook's start-up, and 0.05-0.4 s a load). Any other file, a changed one included, is
validated in full.

.. _pandera: https://pandera.readthedocs.io
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from dpdlab import paths
from dpdlab.catalog import DATASET_TEXTS, DATASETS, TYPES, UNITS
from dpdlab.schema import DATE_MAX, DATE_MIN, YEAR_MAX, YEAR_MIN, Column, ColumnType, Dataset, simulated_flag
from dpdlab.i18n import messages

if TYPE_CHECKING:  # pandera is imported where a file is validated (see the module's docstring)
    import pandera.pandas as pa
    from pandera.errors import SchemaError, SchemaErrors

__all__ = ["Column", "ColumnType", "Dataset", "DatasetError", "DatasetNote", "Problem", "simulated_flag",
           "YEAR_MIN", "YEAR_MAX", "DATE_MIN", "DATE_MAX"]

# Every message a user may see, in one place (for the Spanish edition).
MESSAGES = messages(__name__, {
    "shape_integer": "is not a whole number",
    "shape_number": "is not a number",
    "shape_date": "is not a date written YYYY-MM-DD",
    "shape_boolean": "is not true or false",
    "decimal_comma": "is written with a decimal comma; write the decimal point instead (12.5, not 12,5)",
    "not_utf8": ("line {line} is not valid UTF-8 (byte 0x{byte:02x} at offset {offset}), although other lines "
                 "are; the file mixes encodings: save it again as UTF-8"),
    "not_allowed": ("is not one of: {allowed} (the course's code relies on these values: recode the column "
                    "to them, as the datasheet describes)"),
    "below_minimum": "is below the minimum {minimum}",
    "above_maximum": "is above the maximum {maximum}",
    "pattern": "does not match the pattern {pattern}",
    "simulated_pattern": "does not match the pattern {pattern} that simulated rows follow",
    "empty_source": "is empty: every fact needs a source key (or give one source for the whole file)",
    "missing_column": "is missing (rename your column to this name, or see the datasheet)",
    "unknown_column": "is not part of the schema (check its spelling, or drop the column)",
    "bad_value": "is not a valid {kind}",
    "required": "is empty but a value is required",
    "not_unique": "appears more than once but must be unique",
    "duplicate_key": "duplicate key ({values}); row {first} has the same key",
    "unknown_source": "source key '{key}' is not listed in {searched}",
    "empty_file": "the file is empty",
    "ragged": "has {fields} fields but the header has {width}",
    "not_csv": "not a well-formed CSV file: {error}",
    "summary": "{path} does not match the schema of dataset '{dataset}' ({count} problem{plural}):",
    "more": "... and {count} more",
    "note_latin1": "{path} is not UTF-8; it was read as Latin-1 (Windows-1252)",
    "note_semicolon": "{path} is separated by ';'; it was read so",
    "note_unknown_one": ("column '{column}', {rows}: 1 row holds a value the course's own data does not use: "
                         "{values}. Loaded as it is: check its spelling, and note that the course's texts and "
                         "defaults speak of its own values ({known})"),
    "note_unknown_many": ("column '{column}', {rows}: {count} rows hold values the course's own data does not "
                          "use: {values}. Loaded as they are: check their spelling, and note that the course's "
                          "texts and defaults speak of its own values ({known})"),
    "empty_default": "empty",
    # where in a file: rows of the table, lines of the file (a header line comes first)
    "one_row": "row {row} (line {line})",
    "rows": "rows {rows} (lines {lines})",
    "note_no_source": ("{path} has no source: views will name the file. Give one with "
                       "load_dataset(name, path, source='...')"),
    "header": "Notes on {path}:",
    "note": "Note:",
    "dictionary_columns": {"column": "column", "type": "type", "unit": "unit", "description": "description",
                           "values": "values"},
    "dictionary_allowed": "one of: {allowed}",
    "dictionary_known": "the course's values: {known} (others load with a warning)",
    "dictionary_nullable": "may be empty (or the column absent)",
    "dictionary_optional": "may be absent (then {default})",
    "dictionary_pattern": "matches {pattern}",
    "dictionary_simulated_pattern": "simulated rows match {pattern}",
    "type_words": {"datetime64[ns]": "date", "Int64": "whole number", "Float64": "number", "boolean": "boolean"},
    "own_heading": "## Bring your own file",
    "own_intro": ("Load a file of your own of this kind with `load_dataset(\"{name}\", \"my_file.csv\")`. It is "
                  "checked as the course's own file is, and every problem is reported at once, by column and row."),
    "own_columns": ("- **Columns.** Name yours as the table above does (rename them in your spreadsheet, or with "
                    "`frame.rename(columns={{...}})` before saving). Required: {required}.{optional}"),
    "own_optional": " May be left out: {columns}.",
    "own_known": ("- **Your own values.** In {columns} the course's values are examples, not rules: others load, "
                  "with a note that names the column, the values and the rows."),
    "own_fixed": ("- **Fixed values.** {columns} take only the values listed above: the course's code or coding "
                  "scheme relies on them, so recode yours to them."),
    "own_sources": ("- **Sources.** Every row's `source` needs a key of the course's `data/SOURCES.md` or of a "
                    "`SOURCES.md` beside your file (it adds to the course's, in the same format); or name one key "
                    "for the whole file with `source=\"your-key\"`."),
    "own_real": ("- **Real or simulated.** Leave out the `simulated` column (or write `false`): your rows are real, "
                 "and the course's views name your data's source instead of saying SIMULATED. Name it with "
                 "`source=\"...\"` (any text); otherwise views name the file."),
    "own_format": ("- **File.** Comma- or semicolon-separated, UTF-8 or Latin-1; dates as YYYY-MM-DD; decimal points, "
                   "not commas; `true`/`false` in any case."),
    "own_try": ("- **Try it first.** `dpdlab data try {name} my_file.csv` says how your file was read, what is wrong "
                "with it, how views will label it, and the command that runs each notebook that uses this "
                "dataset on it (the notebook's `data_files` parameter)."),
    "simulated_label": "SIMULATED",
    "source_label": "Data: {source}",
})

# What a cell must look like before it is converted (pass 1), after the tolerated spellings are normalised.
_SHAPES: dict[str, str] = {
    "integer": r"-?\d+",
    "number": r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?",
    "date": r"\d{4}-\d{2}-\d{2}",
    "boolean": r"true|false",
}
_WHOLE_WITH_ZEROS = re.compile(r"^(-?\d+)\.0*$")  # "2014.0", as spreadsheets save whole numbers
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_PANDAS_TYPES = {"text": "str", "integer": "Int64", "number": "Float64", "date": "datetime64[ns]",
                 "boolean": "boolean"}
_EXCEPTION_TEXT = re.compile(r"^[A-Za-z]+(Error|Exception)\(")
SOURCE_SEPARATOR = ";"


class DatasetNote(UserWarning):
    """Something a user should know about a file that loaded: how it was read, values the course does not use."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (column, 1-based data row), what, and the offending value."""

    message: str
    column: str | None = None
    row: int | None = None
    value: object = None

    def __str__(self) -> str:
        where = []
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        what = f"{self.value!r} {self.message}" if self.value is not None else self.message
        return f"{', '.join(where)}: {what}" if where else what


def _ranges(rows: list[int]) -> str:
    """``[3, 4, 5, 9]`` as ``"rows 3-5, 9 (lines 4-6, 10)"``; one row as ``"row 3 (line 4)"``."""
    rows = sorted(set(rows))
    spans: list[tuple[int, int]] = []
    for r in rows:
        if spans and r == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
    if len(rows) == 1:
        return MESSAGES["one_row"].format(row=rows[0], line=rows[0] + 1)

    def text(offset: int) -> str:
        shown = [f"{a + offset}" if a == b else f"{a + offset}-{b + offset}" for a, b in spans[:8]]
        return ", ".join(shown) + (", ..." if len(spans) > 8 else "")

    return MESSAGES["rows"].format(rows=text(0), lines=text(1))


def group_problems(problems: list[Problem]) -> list[str]:
    """One line per column and message, with how many rows, their ranges and some of the values,
    sorted by the first row concerned (problems of the whole file or a whole column first)."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.column, p.message), []).append(p)

    def first_row(item) -> tuple:
        rows = [p.row for p in item[1] if p.row is not None]
        return (bool(rows), min(rows) if rows else 0, str(item[0][0]))

    lines = []
    for (column, message), members in sorted(groups.items(), key=first_row):
        rows = [p.row for p in members if p.row is not None]
        where = [f"column '{column}'"] if column is not None else []
        if rows:
            where.append(_ranges(rows))
        values = list(dict.fromkeys(repr(p.value) for p in members if p.value is not None))
        shown = ", ".join(values[:5]) + (f" and {len(values) - 5} more" if len(values) > 5 else "")
        count = f"{len(set(rows))} rows, " if len(set(rows)) > 1 else ""
        what = f"{count}{shown + ' ' if shown else ''}{message}"
        lines.append(f"{', '.join(where)}: {what}" if where else what)
    return lines


class DatasetError(ValueError):
    """A data file that does not match its schema. ``problems`` lists every finding; the message groups them."""

    def __init__(self, path: Path | str, dataset: str, problems: list[Problem], notes: list[str] | None = None):
        self.path = Path(path)
        self.dataset = dataset
        self.problems = problems
        self.notes = list(notes or [])
        lines = group_problems(problems)
        shown = "\n".join(f"  - {line}" for line in lines[:25])
        more = "\n  " + MESSAGES["more"].format(count=len(lines) - 25) if len(lines) > 25 else ""
        summary = MESSAGES["summary"].format(path=self.path, dataset=dataset, count=len(problems),
                                             plural="s" if len(problems) != 1 else "")
        read = "".join(f"\n  {MESSAGES['note']} {n}" for n in self.notes)
        super().__init__(f"{summary}\n{shown}{more}{read}")


# ---------------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------------

def catalog() -> dict[str, Dataset]:
    """Every bundled dataset's schema, by name."""
    return {d.name: d for d in DATASETS}


def dataset_names() -> list[str]:
    """Names of the bundled datasets, sorted."""
    return sorted(catalog())


def get_dataset(name: str) -> Dataset:
    """The schema of the dataset ``name``; a clear error lists the known names otherwise."""
    known = catalog()
    if name not in known:
        raise KeyError(f"No dataset called '{name}'. Known datasets: {', '.join(sorted(known))}")
    return known[name]


def dataset_path(name: str) -> Path:
    """Path of the bundled CSV file of dataset ``name``."""
    get_dataset(name)
    return paths.data_dir() / f"{name}.csv"


def datasheet_path(name: str) -> Path:
    """Path of the datasheet (``<name>.md``) of dataset ``name``."""
    get_dataset(name)
    return paths.data_dir() / f"{name}.md"


# ---------------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------------

_SOURCE_ENTRY = re.compile(r"^- \*\*\[(?P<key>[a-z0-9][a-z0-9-]*)\]\*\*", re.M)


def source_keys(sources_file: Path | None = None) -> set[str]:
    """Keys defined in a bibliography file (default: the bundled ``SOURCES.md``).

    An entry is a list item that starts with the key in bold brackets: ``- **[ap-2019]** Author …``.
    """
    sources_file = sources_file or paths.data_dir() / "SOURCES.md"
    return set(_SOURCE_ENTRY.findall(sources_file.read_text(encoding="utf-8")))


def split_sources(cell: str) -> list[str]:
    """The source keys in one ``source`` cell (several are separated by ``;``)."""
    return [k.strip() for k in str(cell).split(SOURCE_SEPARATOR) if k.strip()]


def _bibliographies(path: Path | None) -> list[Path]:
    """The course's ``SOURCES.md`` and, for a user's file, a ``SOURCES.md`` beside it (which adds to it)."""
    files = [paths.data_dir() / "SOURCES.md"]
    if path is not None and (path.parent / "SOURCES.md").exists():
        beside = path.parent / "SOURCES.md"
        if beside.resolve() != files[0].resolve():
            files.append(beside)
    return files


# ---------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------

def _read_text(path: Path, dataset: str, notes: list[str]) -> str:
    """The file's text: UTF-8, or Latin-1 (Windows-1252) when no part of it is UTF-8 text."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Multi-byte UTF-8 sequences elsewhere mean a file of mixed encodings: guessing would garble it.
        if not re.search(rb"[\xc2-\xf4][\x80-\xbf]+", raw):
            notes.append(MESSAGES["note_latin1"].format(path=path))
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                return raw.decode("latin-1")
        line = raw[: exc.start].count(b"\n") + 1
        problem = Problem(MESSAGES["not_utf8"].format(line=line, byte=raw[exc.start], offset=exc.start))
        raise DatasetError(path, dataset, [problem]) from None


def _delimiter(text: str) -> str:
    """``;`` when the header holds more semicolons than commas (a spreadsheet's export in many locales)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_raw(path: Path | str, dataset: str = "<file>", notes: list[str] | None = None) -> pd.DataFrame:
    """Read a CSV file as text cells (empty cells become missing), with encoding errors explained.

    Comma- or semicolon-separated, UTF-8 or Latin-1; what was sniffed is appended to ``notes``.
    """
    path = Path(path)
    notes = [] if notes is None else notes
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    text = _read_text(path, dataset, notes)
    if not text.strip():
        raise DatasetError(path, dataset, [Problem(MESSAGES["empty_file"])])
    sep = _delimiter(text)
    if sep == ";":
        notes.append(MESSAGES["note_semicolon"].format(path=path))
    rows = list(csv.reader(StringIO(text), delimiter=sep))
    width = len(rows[0])
    ragged = [Problem(MESSAGES["ragged"].format(fields=len(r), width=width), row=number)
              for number, r in enumerate(rows[1:], start=1) if r and len(r) != width]
    if ragged:
        raise DatasetError(path, dataset, ragged)
    try:
        frame = pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DatasetError(path, dataset, [Problem(MESSAGES["not_csv"].format(error=exc))]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


# ---------------------------------------------------------------------------------------------------
# Validating
# ---------------------------------------------------------------------------------------------------

def _allowed_text(values) -> str:
    return ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values or ())


def _normalise(frame: pd.DataFrame, spec: Dataset) -> pd.DataFrame:
    """Tolerated spellings made canonical: ``True``/``FALSE`` -> ``true``/``false``, ``2014.0`` -> ``2014``,
    surrounding spaces removed from typed cells."""
    frame = frame.copy()
    for col in spec.columns:
        if col.name not in frame or col.type == "text":
            continue
        cells = frame[col.name].str.strip()
        if col.type == "boolean":
            lowered = cells.str.lower()
            cells = cells.where(~lowered.isin(["true", "false"]), lowered)
        elif col.type == "integer":
            cells = cells.str.replace(_WHOLE_WITH_ZEROS, lambda m: m.group(1), regex=True)
        frame[col.name] = cells
    return frame


def _raw_schema(spec: Dataset, present: set[str]) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {}
    for col in spec.columns:
        if (col.optional or col.nullable) and col.name not in present:
            continue  # a column that may be empty on every row may also be left out
        checks = []
        if col.type in _SHAPES:
            checks.append(pa.Check.str_matches(rf"^(?:{_SHAPES[col.type]})$",
                                               error=MESSAGES[f"shape_{col.type}"]))
        columns[col.name] = pa.Column(str, checks=checks, nullable=True, required=True)
    return pa.DataFrameSchema(columns, strict=True, name=spec.name)


def _typed_schema(spec: Dataset) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {}
    for col in spec.columns:
        checks = []
        if col.allowed is not None:
            checks.append(pa.Check.isin(list(col.allowed),
                                        error=MESSAGES["not_allowed"].format(allowed=_allowed_text(col.allowed))))
        bound = (lambda v: pd.Timestamp(v)) if col.type == "date" else (lambda v: v)
        if col.minimum is not None:
            checks.append(pa.Check.ge(bound(col.minimum), error=MESSAGES["below_minimum"].format(minimum=col.minimum)))
        if col.maximum is not None:
            checks.append(pa.Check.le(bound(col.maximum), error=MESSAGES["above_maximum"].format(maximum=col.maximum)))
        if col.pattern is not None:
            checks.append(pa.Check.str_matches(rf"^(?:{col.pattern})$",
                                               error=MESSAGES["pattern"].format(pattern=col.pattern)))
        if col.name == "source":
            checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, element_wise=False,
                                   error=MESSAGES["empty_source"]))
        columns[col.name] = pa.Column(_PANDAS_TYPES[col.type], checks=checks, nullable=col.nullable,
                                      coerce=True)
    return pa.DataFrameSchema(columns, name=spec.name)


def _problems_from(errors: SchemaErrors | SchemaError, spec: Dataset) -> list[Problem]:
    from pandera.errors import SchemaErrors

    cases = errors.failure_cases
    if cases is None or len(cases) == 0:
        return [Problem(str(errors))]
    problems = []
    seen = set()
    for case in cases.to_dict("records"):
        column = case.get("column")
        check = str(case.get("check"))
        value = case.get("failure_case")
        index = case.get("index")
        row = None if index is None or pd.isna(index) else int(index) + 1
        if check == "column_in_dataframe":
            message, column, value = MESSAGES["missing_column"], value, None
        elif check == "column_in_schema":
            message, column, value = MESSAGES["unknown_column"], value, None
        elif check.startswith("dtype("):
            continue  # the coercion failure reported with it already says it
        elif check.startswith("coerce_dtype"):
            kind = check.split("'")[1] if "'" in check else check
            message = MESSAGES["bad_value"].format(kind=MESSAGES["type_words"].get(kind, kind))
        elif isinstance(value, str) and _EXCEPTION_TEXT.match(value):
            continue  # a check that could not run because the column failed to convert (reported above)
        elif check == "not_nullable":
            message, value = MESSAGES["required"], None
        elif check == "field_uniqueness":
            message = MESSAGES["not_unique"]
        else:
            message = check
        if (message == MESSAGES["shape_number"] or message == MESSAGES["shape_integer"]) \
                and isinstance(value, str) and _DECIMAL_COMMA.match(value.strip()):
            message = MESSAGES["decimal_comma"]
        key = (column, row, message, repr(value))
        if key not in seen:
            seen.add(key)
            problems.append(Problem(message, column=None if column is None else str(column), row=row,
                                    value=None if value is None or pd.isna(value) else value))
    return problems


def _cell_text(value: object) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def _check_key(frame: pd.DataFrame, spec: Dataset, skip: set[str]) -> list[Problem]:
    if not spec.key or not set(spec.key) <= set(frame.columns) or set(spec.key) & skip:
        return []
    duplicated = frame.duplicated(subset=list(spec.key), keep="first")
    problems = []
    for index in frame.index[duplicated]:
        first = frame.index[(frame[list(spec.key)] == frame.loc[index, list(spec.key)]).fillna(False)
                            .all(axis=1)][0]
        values = ", ".join(f"{k}={_cell_text(frame.at[index, k])}" for k in spec.key)
        problems.append(Problem(MESSAGES["duplicate_key"].format(values=values, first=first + 1),
                                column=" + ".join(spec.key), row=int(index) + 1))
    return problems


def _check_sources(frame: pd.DataFrame, bibliographies: list[Path]) -> list[Problem]:
    known = set().union(*(source_keys(b) for b in bibliographies))
    searched = " and ".join(str(b) for b in bibliographies)
    problems = []
    for index, cell in frame["source"].items():
        if pd.isna(cell):
            continue
        for key in split_sources(cell):
            if key not in known:
                problems.append(Problem(MESSAGES["unknown_source"].format(key=key, searched=searched),
                                        column="source", row=int(index) + 1))
    return problems


def _check_simulated_patterns(frame: pd.DataFrame, spec: Dataset) -> list[Problem]:
    if "simulated" not in frame:
        return []
    problems = []
    flagged = frame["simulated"].fillna(False).astype(bool)
    for col in spec.columns:
        if col.simulated_pattern is None or col.name not in frame:
            continue
        cells = frame.loc[flagged, col.name].dropna().astype(str)
        bad = cells[~cells.str.fullmatch(col.simulated_pattern)]
        problems += [Problem(MESSAGES["simulated_pattern"].format(pattern=col.simulated_pattern), column=col.name,
                             row=int(i) + 1, value=v) for i, v in bad.items()]
    return problems


def _unknown_values(frame: pd.DataFrame, spec: Dataset) -> list[str]:
    """Notes on values outside each column's known values (the course's vocabulary)."""
    notes = []
    for col in spec.columns:
        if col.known is None or col.name not in frame:
            continue
        cells = frame[col.name].dropna()
        outside = cells[~cells.isin(col.known)]
        if outside.empty:
            continue
        values = list(dict.fromkeys(outside.astype(str)))
        shown = ", ".join(repr(v) for v in values[:8]) + (f" and {len(values) - 8} more" if len(values) > 8 else "")
        known = ", ".join(col.known[:6]) + (", ..." if len(col.known) > 6 else "")
        rows = [int(i) + 1 for i in outside.index]
        notes.append(MESSAGES["note_unknown_one" if len(rows) == 1 else "note_unknown_many"].format(
            column=col.name, count=len(rows), rows=_ranges(rows), values=shown, known=known))
    return notes


def validate_frame(frame: pd.DataFrame, spec: Dataset, path: Path | str = "<table>",
                   sources_file: Path | None = None, notes: list[str] | None = None,
                   bibliographies: list[Path] | None = None) -> pd.DataFrame:
    """Validate a table of raw text cells against ``spec`` and return it with proper types.

    Raises :class:`DatasetError` listing every problem found in every column, with column and 1-based
    row. Absent optional columns are filled with their default, absent nullable ones left empty. Values outside a column's known
    values are appended to ``notes``. Source keys are looked up in ``bibliographies`` (default: the
    course's ``SOURCES.md``, plus ``sources_file``).
    """
    from pandera.errors import SchemaError, SchemaErrors

    notes = [] if notes is None else notes
    if bibliographies is None:
        bibliographies = [paths.data_dir() / "SOURCES.md"] + ([Path(sources_file)] if sources_file else [])
    frame = _normalise(frame.reset_index(drop=True), spec)
    problems: list[Problem] = []
    try:
        _raw_schema(spec, set(frame.columns)).validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        problems = _problems_from(exc, spec)
    # Carry on with what can be checked: blank the cells that failed, drop unknown columns, add missing ones.
    failed_cells = {(p.column, p.row) for p in problems if p.row is not None}
    missing = {p.column for p in problems if p.message == MESSAGES["missing_column"]}
    frame = frame[[c for c in frame.columns if c in spec.column_names]].copy()
    for column, row in failed_cells:
        if column in frame:
            frame.loc[row - 1, column] = pd.NA
    frame = _completed(frame, spec)
    schema_for_typed = _typed_schema(spec)
    try:
        typed = schema_for_typed.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        typed = None
        problems += [p for p in _problems_from(exc, spec)
                     if p.column not in missing and (p.column, p.row) not in failed_cells]
    if typed is None:  # convert what converts, for the checks of keys and sources
        typed = frame.copy()
        for col in spec.columns:
            if col.type in ("integer", "number"):
                typed[col.name] = pd.to_numeric(typed[col.name], errors="coerce")
            elif col.type == "date":
                typed[col.name] = pd.to_datetime(typed[col.name], errors="coerce", format="%Y-%m-%d")
    problems += _check_key(typed, spec, missing)
    if "source" in spec.column_names and "source" not in missing:
        problems += _check_sources(typed, bibliographies)
    problems += _check_simulated_patterns(typed, spec)
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, spec.column_names.index(p.column)
                                     if p.column in spec.column_names else -1))
        raise DatasetError(path, spec.name, problems)
    notes += _unknown_values(typed, spec)
    return typed[spec.column_names]


def typed_frame(frame: pd.DataFrame, spec: Dataset) -> pd.DataFrame:
    """A table of raw text cells that passed :func:`validate_frame` before, with the types that function
    gives it (the same frame; a test compares them for every bundled dataset), without checking it again."""
    frame = _completed(_normalise(frame.reset_index(drop=True), spec), spec)
    for col in spec.columns:
        if col.type != "boolean":
            frame[col.name] = frame[col.name].astype(_PANDAS_TYPES[col.type])
    return frame[spec.column_names]


def _completed(frame: pd.DataFrame, spec: Dataset) -> pd.DataFrame:
    """``frame`` with its absent columns added (an optional one with its default, any other left empty) and
    its boolean columns converted from ``true``/``false`` (pandas cannot coerce those itself)."""
    for col in spec.columns:
        if col.name not in frame:
            frame[col.name] = (None if col.default is None else str(col.default).lower()) \
                if col.optional else pd.NA
        if col.type == "boolean":
            frame[col.name] = frame[col.name].map({"true": True, "false": False}).astype("boolean")
    return frame


# ---------------------------------------------------------------------------------------------------
# Files validated already: fingerprints of the bundled files that passed (validated.json)
# ---------------------------------------------------------------------------------------------------

VALIDATED_FILE = "validated.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema_fingerprint(spec: Dataset) -> str:
    """A digest of what the checks of ``spec`` depend on: its columns, its key, and the shapes and types the
    columns are checked against."""
    return hashlib.sha256(repr((spec.name, spec.columns, spec.key, _SHAPES, _PANDAS_TYPES)).encode("utf-8")).hexdigest()


def fingerprints() -> dict:
    """The fingerprints of the bundled files as they are now: ``SOURCES.md`` and, per dataset, its CSV file
    and its schema (what ``validated.json`` records once every one of them has passed)."""
    return {"sources": _sha256(paths.data_dir() / "SOURCES.md"),
            "datasets": {name: {"csv": _sha256(dataset_path(name)), "schema": schema_fingerprint(spec)}
                         for name, spec in sorted(catalog().items())}}


def write_validated() -> Path:
    """Validate every bundled dataset in full and record the fingerprints of the files that passed."""
    for name, spec in catalog().items():
        validate_frame(read_raw(dataset_path(name), name), spec, dataset_path(name))
    target = paths.data_dir() / VALIDATED_FILE
    target.write_text(json.dumps(fingerprints(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


def _validated_before(spec: Dataset, file: Path) -> bool:
    """Whether the bundled ``file`` of ``spec`` is, byte for byte and with the same schema and
    ``SOURCES.md``, one that passed validation (``validated.json``)."""
    try:
        record = json.loads((paths.data_dir() / VALIDATED_FILE).read_text(encoding="utf-8"))
        entry = record["datasets"][spec.name]
        return (entry["schema"] == schema_fingerprint(spec) and entry["csv"] == _sha256(file)
                and record["sources"] == _sha256(paths.data_dir() / "SOURCES.md"))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _provenance_attrs(frame: pd.DataFrame, spec: Dataset, file: Path, source: str | None,
                      bundled: bool) -> dict:
    simulated = bool(len(frame)) and bool(frame["simulated"].fillna(False).any()) \
        if "simulated" in frame else (spec.simulated and bundled)
    if source:
        named = source
    elif "source" in frame and frame["source"].notna().any():
        named = "; ".join(dict.fromkeys(k for cell in frame["source"].dropna() for k in split_sources(cell)))
    elif simulated:
        named = "the course's model"
    else:
        named = file.name
    return {"simulated": simulated, "source": named}


def load_dataset(name: str, path: Path | str | Mapping[str, Path | str] | None = None,
                 source: str | None = None) -> pd.DataFrame:
    """Load dataset ``name``, validated against its schema.

    ``path`` may also be a mapping of dataset names to files, as the notebooks' ``data_files`` parameter is
    (``load_dataset("niunamenos_events", data_files)``): a name it does not hold loads the bundled file.

    With ``path``, load *your own* file of the same kind instead of the bundled one: the same column names
    (rename yours to them), comma- or semicolon-separated, UTF-8 or Latin-1. Its ``source`` keys are looked
    up in the course's ``SOURCES.md`` and in a ``SOURCES.md`` beside the file. ``source`` names the source
    of the whole file: a key for a table with a ``source`` column (it fills the column, or its empty
    cells), otherwise any text views will show. Rows whose ``simulated`` cell is false, or a file without
    that column, are real.

    The returned table carries ``attrs`` ``dataset``, ``title``, ``simulated`` (whether any row is),
    ``source`` (what views name), ``path`` and ``notes`` (how the file was read, values the course does not
    use; each note is also issued as a :class:`DatasetNote` warning).
    """
    spec = get_dataset(name)
    if isinstance(path, Mapping):
        path = path.get(name) or None
    file = Path(path) if path is not None else dataset_path(name)
    notes: list[str] = []
    raw = read_raw(file, name, notes)
    if source is not None and "source" in spec.column_names:
        if "source" in raw:
            raw["source"] = raw["source"].fillna(source)
        else:
            raw["source"] = source
    bibliographies = _bibliographies(file if path is not None else None)
    if path is None and source is None and not notes and _validated_before(spec, file):
        frame = typed_frame(raw, spec)  # the bundled file as it passed validate_frame (validated.json)
    else:
        try:
            frame = validate_frame(raw, spec, file, notes=notes, bibliographies=bibliographies)
        except DatasetError as error:  # say how the file was read, which may explain what went wrong
            raise DatasetError(file, name, error.problems, notes) from None
    attrs = _provenance_attrs(frame, spec, file, source if "source" not in spec.column_names else None,
                              bundled=path is None)
    if path is not None and not attrs["simulated"] and attrs["source"] == file.name:
        notes.append(MESSAGES["note_no_source"].format(path=file))
    title = spec.title if path is None else f"{file.name} ({attrs['source']})"  # a user's file: not the course's title
    frame.attrs.update(dataset=name, title=title, path=str(file), notes=list(notes), **attrs)
    if notes:
        warnings.warn(DatasetNote("\n".join([MESSAGES["header"].format(path=file)]
                                             + [f"  - {n}" for n in notes])), stacklevel=2)
    return frame


def check_table(name: str, table: pd.DataFrame, source: str | None = None,
                sources_file: Path | str | None = None) -> pd.DataFrame:
    """Validate a table you built in pandas (for example with :func:`count_per_year` or
    :func:`count_per_hour`) against dataset ``name``'s schema, as :func:`load_dataset` validates a file.

    ``source`` names the data's source as in :func:`load_dataset`; ``sources_file`` is your own
    ``SOURCES.md``, which adds to the course's.
    """
    spec = get_dataset(name)
    raw = table.copy()
    for col in spec.columns:
        if col.name in raw:
            values = raw[col.name]
            if col.type == "date":
                values = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d").where(values.notna())
            elif col.type == "boolean":
                values = values.map({True: "true", False: "false"}, na_action="ignore").fillna(values)
            raw[col.name] = values.astype("string").astype(object).where(values.notna(), None)
    if source is not None and "source" in spec.column_names:
        raw["source"] = raw["source"].fillna(source) if "source" in raw else source
    bibliographies = [paths.data_dir() / "SOURCES.md"] + ([Path(sources_file)] if sources_file else [])
    notes: list[str] = []
    frame = validate_frame(raw, spec, "<table>", notes=notes, bibliographies=bibliographies)
    attrs = _provenance_attrs(frame, spec, Path("table"), source if "source" not in spec.column_names else None,
                              bundled=False)
    frame.attrs.update(dataset=name, title=attrs["source"], path="", notes=list(notes), **attrs)
    if notes:
        warnings.warn(DatasetNote("\n".join(f"  - {n}" for n in notes)), stacklevel=2)
    return frame


# ---------------------------------------------------------------------------------------------------
# Bringing row-level records into the course's shapes
# ---------------------------------------------------------------------------------------------------

def count_per_year(records: pd.DataFrame, date_column: str, count_name: str = "count") -> pd.DataFrame:
    """Row-level records (one row per case, per event) counted per calendar year of ``date_column``.

    Returns columns ``year`` and ``count_name``; years without records inside the span count 0. Dates
    that do not parse are left out (count them with ``pd.to_datetime(..., errors="coerce").isna()``).
    """
    dates = pd.to_datetime(records[date_column], errors="coerce", dayfirst=False)
    years = dates.dt.year.dropna().astype(int)
    if years.empty:
        return pd.DataFrame({"year": pd.Series(dtype="Int64"), count_name: pd.Series(dtype="Int64")})
    counts = years.value_counts().reindex(range(years.min(), years.max() + 1), fill_value=0).sort_index()
    return pd.DataFrame({"year": counts.index.astype(int), count_name: counts.to_numpy().astype(int)})


def count_per_hour(timestamps, start=None, hours: int | None = None) -> pd.DataFrame:
    """Per-record timestamps (one row per tweet, per message) counted per whole hour since ``start``.

    ``start`` defaults to the first timestamp; ``hours`` (default: up to the last timestamp) sets the
    window. Every hour of the window is a row, **hours without records count 0** (leaving them out would
    make attention look as if it never fell silent). Returns columns ``hour`` and ``value``.
    """
    times = pd.to_datetime(pd.Series(timestamps), errors="coerce", utc=True).dropna()
    origin = times.min() if start is None else pd.Timestamp(start)
    if origin.tzinfo is None:
        origin = origin.tz_localize("UTC")
    elapsed = ((times - origin) / pd.Timedelta(hours=1)).astype(float)
    elapsed = elapsed[elapsed >= 0].floordiv(1).astype(int)
    span = int(elapsed.max()) + 1 if hours is None and len(elapsed) else (hours or 0)
    counts = elapsed[elapsed < span].value_counts().reindex(range(span), fill_value=0).sort_index()
    return pd.DataFrame({"hour": counts.index.astype(int), "value": counts.to_numpy().astype(float)})


# ---------------------------------------------------------------------------------------------------
# Writing, generating, describing
# ---------------------------------------------------------------------------------------------------

def to_csv_text(frame: pd.DataFrame, spec: Dataset) -> str:
    """The canonical CSV text of a table (fixed column order, ISO dates, ``true``/``false``, ``\\n``)."""
    out = frame[spec.column_names].copy()
    for col in spec.columns:
        if col.type == "date":
            out[col.name] = pd.to_datetime(out[col.name]).dt.strftime("%Y-%m-%d")
        elif col.type == "boolean":
            out[col.name] = out[col.name].map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n")


def generate_dataset(name: str) -> str:
    """Run the seeded generator of simulated dataset ``name``, validate, and return its CSV text."""
    spec = get_dataset(name)
    if not spec.simulated or spec.generator is None:
        raise ValueError(f"Dataset '{name}' holds real facts; it has no generator")
    text = to_csv_text(spec.generator(), spec)
    validate_frame(pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, na_values=[""]),
                   spec, f"<generated {name}>")
    return text


def derive_dataset(name: str) -> str:
    """Run the derivation of real dataset ``name`` on the raw files (:mod:`dpdlab.derived`), validate, and
    return its CSV text. Raises :class:`dpdlab.derived.InputError` if an input is missing or changed."""
    spec = get_dataset(name)
    if spec.derivation is None:
        raise ValueError(f"Dataset '{name}' is not derived from raw files")
    text = to_csv_text(spec.derivation(), spec)
    validate_frame(pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, na_values=[""]),
                   spec, f"<derived {name}>")
    return text


def derived_names() -> list[str]:
    """The datasets derived from raw files kept outside the project (see :mod:`dpdlab.derived`)."""
    return [name for name, spec in sorted(catalog().items()) if spec.derivation is not None]


def rebuild_simulated(target_dir: Path | None = None) -> list[Path]:
    """Regenerate every simulated dataset into ``target_dir`` (default: the data folder)."""
    target_dir = Path(target_dir) if target_dir is not None else paths.data_dir()
    written = []
    for name, spec in sorted(catalog().items()):
        if spec.simulated:
            out = target_dir / f"{name}.csv"
            out.write_text(generate_dataset(name), encoding="utf-8", newline="")
            written.append(out)
    return written


def dataset_texts(name: str) -> Mapping:
    """Dataset ``name``'s title, row, columns' descriptions and ``own_data`` in the kernel's edition."""
    spec = get_dataset(name)
    return DATASET_TEXTS.get(name) or {"title": spec.title, "row": spec.row, "own_data": spec.own_data,
                                       "columns": {c.name: c.description for c in spec.columns}}


def describe(name: str) -> pd.DataFrame:
    """The data dictionary of dataset ``name``: one row per column with type, unit and its rules, in the
    kernel's edition."""
    spec = get_dataset(name)
    descriptions = dataset_texts(name)["columns"]
    rows = []
    for col in spec.columns:
        limits = []
        if col.allowed:
            limits.append(MESSAGES["dictionary_allowed"].format(allowed=_allowed_text(col.allowed)))
        if col.known:
            limits.append(MESSAGES["dictionary_known"].format(known=_allowed_text(col.known)))
        if col.minimum is not None:
            limits.append(f">= {col.minimum}")
        if col.maximum is not None:
            limits.append(f"<= {col.maximum}")
        if col.pattern:
            limits.append(MESSAGES["dictionary_pattern"].format(pattern=col.pattern))
        if col.simulated_pattern:
            limits.append(MESSAGES["dictionary_simulated_pattern"].format(pattern=col.simulated_pattern))
        if col.nullable:
            limits.append(MESSAGES["dictionary_nullable"])
        if col.optional:
            default = str(col.default).lower() if col.default is not None else MESSAGES["empty_default"]
            limits.append(MESSAGES["dictionary_optional"].format(default=default))
        rows.append({"column": col.name, "type": TYPES.get(col.type, col.type),
                     "unit": UNITS.get(col.unit, col.unit) if col.unit else col.unit, "description": descriptions[col.name],
                     "values": "; ".join(limits)})
    return pd.DataFrame(rows).rename(columns=MESSAGES["dictionary_columns"])


_TABLE_SCHEMA_TYPES = {"text": "string", "integer": "integer", "number": "number", "date": "date",
                       "boolean": "boolean"}


def table_schema(name: str) -> dict:
    """Dataset ``name``'s schema as a Frictionless Table Schema descriptor (a plain ``dict``).

    Hard rules become ``constraints``; the course's known values are kept under the ``x-known`` property
    (not a constraint: other values are allowed). Known values and the ``simulated`` flag's meaning are
    the course's extensions; any Table Schema reader ignores them.
    """
    spec = get_dataset(name)
    fields = []
    for col in spec.columns:
        constraints: dict = {}
        if not col.nullable and not col.optional:
            constraints["required"] = True
        if col.allowed:
            constraints["enum"] = list(col.allowed)
        if col.minimum is not None:
            constraints["minimum"] = col.minimum
        if col.maximum is not None:
            constraints["maximum"] = col.maximum
        if col.pattern:
            constraints["pattern"] = col.pattern
        item = {"name": col.name, "type": _TABLE_SCHEMA_TYPES[col.type], "description": col.description}
        if col.type == "boolean":
            item.update(trueValues=["true", "True", "TRUE"], falseValues=["false", "False", "FALSE"])
        if col.unit:
            item["x-unit"] = col.unit
        if col.known:
            item["x-known"] = list(col.known)
        if constraints:
            item["constraints"] = constraints
        fields.append(item)
    return {"fields": fields, "primaryKey": list(spec.key), "missingValues": [""]}


def data_package() -> dict:
    """A Frictionless Data Package descriptor of every bundled dataset (resources with their Table Schema)."""
    return {"name": "dpdlab-course-data",
            "description": "The course's datasets; each has a datasheet <name>.md beside it and its sources in "
                           "SOURCES.md. Written from the schemas by `dpdlab data rebuild`.",
            "resources": [{"name": name, "path": f"{name}.csv", "title": get_dataset(name).title,
                           "description": f"See {name}.md.", "format": "csv", "encoding": "utf-8",
                           "schema": table_schema(name)}
                          for name in dataset_names()]}


def data_package_text() -> str:
    """The text of ``data/datapackage.json``: :func:`data_package` as indented JSON."""
    return json.dumps(data_package(), indent=1, ensure_ascii=False) + "\n"


def data_package_path() -> Path:
    """Path of the bundled ``datapackage.json``."""
    return paths.data_dir() / "datapackage.json"


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of ``frame`` (used for datasheets and notebooks)."""
    def cell(value: object) -> str:
        return "" if pd.isna(value) else str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def own_file_section(name: str) -> str:
    """The datasheet's "Bring your own file" section of dataset ``name``, written from its schema."""
    spec = get_dataset(name)
    code = lambda names: ", ".join(f"`{n}`" for n in names)  # noqa: E731
    required = [c.name for c in spec.columns if not (c.nullable or c.optional)]
    optional = [c.name for c in spec.columns if c.nullable or c.optional]
    lines = [MESSAGES["own_heading"], "", MESSAGES["own_intro"].format(name=name), "",
             MESSAGES["own_columns"].format(required=code(required), optional=MESSAGES["own_optional"].format(
                 columns=code(optional)) if optional else "")]
    known = [c.name for c in spec.columns if c.known]
    fixed = [c.name for c in spec.columns if c.allowed and c.name != "simulated"]
    if known:
        lines.append(MESSAGES["own_known"].format(columns=code(known)))
    if fixed:
        lines.append(MESSAGES["own_fixed"].format(columns=code(fixed)))
    if "source" in spec.column_names:
        lines.append(MESSAGES["own_sources"])
    if "simulated" in spec.column_names:
        lines.append(MESSAGES["own_real"])
    lines += [MESSAGES["own_format"], MESSAGES["own_try"].format(name=name)]
    own_data = dataset_texts(name)["own_data"]
    if own_data:
        lines += ["", own_data]
    return "\n".join(lines) + "\n"


def datasheet_with_columns(name: str, text: str | None = None) -> str:
    """The datasheet text of ``name`` with its "## Columns" table and its "## Bring your own file" section
    regenerated from the schema in the kernel's edition (the section is added before "## Licence" if the
    datasheet has none). ``text`` is the datasheet to regenerate them in (default: the English datasheet; a
    translated one keeps the English table and section, which this replaces)."""
    text = datasheet_path(name).read_text(encoding="utf-8") if text is None else text
    start = text.find("\n| column |")
    if start < 0:
        raise ValueError(f"{datasheet_path(name)} has no '## Columns' section with a column table")
    start += 1
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end
    text = text[:start] + markdown_table(describe(name)) + text[end:]
    section = own_file_section(name)
    own = next((found for heading in (MESSAGES["own_heading"], MESSAGES.english("own_heading"))
                if (found := text.find(heading + "\n")) >= 0), -1)
    if own >= 0:
        after = text.find("\n## ", own + 1)
        return text[:own] + section + (text[after:] if after >= 0 else "")
    licence = text.find("\n## Licence")
    if licence < 0:
        return text.rstrip("\n") + "\n\n" + section
    return text[:licence + 1] + section + "\n" + text[licence + 1:]


def generated_datasheet_text(name: str) -> str:
    """What :func:`datasheet_with_columns` writes into dataset ``name``'s datasheet (its column table and its
    "Bring your own file" section), in the kernel's edition: a translation leaves these to it."""
    return markdown_table(describe(name)) + "\n" + own_file_section(name)


# ---------------------------------------------------------------------------------------------------
# Provenance: what a view says about the data it shows
# ---------------------------------------------------------------------------------------------------

def is_simulated(obj: object) -> bool:
    """True when a table or column holds simulated values, so a view must say so where it shows them.

    A table is simulated when it has a ``simulated`` column that is true on any row; a table or column
    derived from a loaded dataset also carries ``attrs["simulated"]``, which :func:`load_dataset` sets from
    the rows and pandas keeps through filters and selections. A user's real data (``simulated`` false or
    absent) is not simulated.
    """
    if isinstance(obj, pd.DataFrame) and "simulated" in obj.columns and len(obj):
        return bool(obj["simulated"].fillna(False).astype(bool).any())
    return bool(getattr(obj, "attrs", {}).get("simulated", False))


def source_of(obj: object, default: str = "") -> str:
    """The source a loaded table names (``attrs["source"]``), or ``default``."""
    return str(getattr(obj, "attrs", {}).get("source") or default)


def provenance(obj: object, simulated_text: str | None = None, real_text: str | None = None) -> str:
    """What a view of ``obj`` says about its data: ``simulated_text`` (default "SIMULATED") when it is
    simulated, otherwise ``real_text`` (default "Data: <its source>")."""
    if is_simulated(obj):
        return simulated_text or MESSAGES["simulated_label"]
    source = source_of(obj)
    if real_text is not None:
        return real_text
    return MESSAGES["source_label"].format(source=source) if source else ""


def is_known_real(obj: object) -> bool:
    """True when ``obj`` is known to hold real data: loaded or checked with no simulated row
    (``attrs["simulated"]`` false), or a table whose ``simulated`` column is false on every row."""
    if is_simulated(obj):
        return False
    if isinstance(obj, pd.DataFrame) and "simulated" in obj.columns and len(obj):
        return True
    return getattr(obj, "attrs", {}).get("simulated") is False


def is_bundled(obj: object, name: str) -> bool:
    """Whether ``obj`` was loaded from the course's own file of dataset ``name`` (not a user's file)."""
    path = getattr(obj, "attrs", {}).get("path")
    return bool(path) and Path(path) == dataset_path(name)


def mark_simulated(table: pd.DataFrame, source: object, label: str) -> pd.DataFrame:
    """``table`` with ``label`` (which says SIMULATED) over its columns when ``source``, the data it was
    computed from, is simulated (:func:`is_simulated`); otherwise ``table`` unchanged."""
    return table.rename_axis(columns=label) if is_simulated(source) else table
