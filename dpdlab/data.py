"""Datasets: load by name, validate against a schema, fail with a message that says where.

Each dataset is a CSV file in the data folder (see :mod:`dpdlab.paths`) described by a :class:`Dataset`
schema, with a datasheet ``<name>.md`` beside it. Validation runs in two passes of `pandera`_:

1. on the raw text of the file: required and unknown columns, and that every cell *looks like* its type
   (whole number, decimal number, ISO date ``YYYY-MM-DD``, ``true``/``false``);
2. on the typed table: impossible dates, allowed values, ranges, unique keys, and that every ``source``
   key is listed in ``SOURCES.md``.

All problems are collected and raised together as one :class:`DatasetError` naming the file, the column
and the row. The same loader accepts a user's own file with the same schema ("bring your own data").

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
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

import pandas as pd

from dpdlab import paths

if TYPE_CHECKING:  # pandera is imported where a file is validated (see the module's docstring)
    import pandera.pandas as pa
    from pandera.errors import SchemaError, SchemaErrors

ColumnType = Literal["text", "integer", "number", "date", "boolean"]

# Every message a user may see, in one place (for the Spanish edition).
MESSAGES = {
    "shape_integer": "is not a whole number",
    "shape_number": "is not a number",
    "shape_date": "is not a date written YYYY-MM-DD",
    "shape_boolean": "is not true or false",
    "not_utf8": "line {line} is not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); save the file as UTF-8",
    "not_allowed": "is not one of: {allowed}",
    "below_minimum": "is below the minimum {minimum}",
    "above_maximum": "is above the maximum {maximum}",
    "pattern": "does not match the pattern {pattern}",
    "empty_source": "is empty: every fact needs a source key",
    "missing_column": "is missing",
    "unknown_column": "is not part of the schema (check its spelling)",
    "bad_value": "{value!r} is not a valid {kind}",
    "required": "is empty but a value is required",
    "not_unique": "{value!r} appears more than once but must be unique",
    "duplicate_key": "duplicate key ({values}); row {first} has the same key",
    "unknown_source": "source key '{key}' is not listed in SOURCES.md",
    "empty_file": "the file is empty",
    "ragged": "has {fields} fields but the header has {width}",
    "not_csv": "not a well-formed CSV file: {error}",
    "summary": "{path} does not match the schema of dataset '{dataset}' ({count} problem{plural}):",
    "more": "... and {count} more",
    "dictionary_columns": {"column": "column", "type": "type", "unit": "unit", "description": "description",
                           "values": "values"},
    "dictionary_allowed": "one of: {allowed}",
    "dictionary_nullable": "may be empty",
    "dictionary_pattern": "matches {pattern}",
    "type_words": {"datetime64[ns]": "date", "Int64": "whole number", "Float64": "number", "boolean": "boolean"},
}

# What a cell must look like before it is converted (pass 1).
_SHAPES: dict[str, str] = {
    "integer": r"-?\d+",
    "number": r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?",
    "date": r"\d{4}-\d{2}-\d{2}",
    "boolean": r"true|false",
}
_PANDAS_TYPES = {"text": "str", "integer": "Int64", "number": "Float64", "date": "datetime64[ns]",
                 "boolean": "boolean"}
_EXCEPTION_TEXT = re.compile(r"^[A-Za-z]+(Error|Exception)\(")
SOURCE_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One column of a dataset's schema.

    ``allowed`` lists the permitted values of a categorical column; ``minimum``/``maximum`` bound a
    numeric or date column (dates as ``"YYYY-MM-DD"``); ``pattern`` is a regular expression a text
    value must match in full.
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


def simulated_flag() -> Column:
    """The column every simulated dataset carries, so that any view of its rows says it is simulated."""
    return Column("simulated", "boolean", "Always true: every value in this row comes from the course's model, "
                  "not from observation", allowed=(True,))


@dataclass(frozen=True)
class Dataset:
    """The schema and provenance of one bundled dataset.

    ``key`` names the column(s) whose values identify a row (unique together). A dataset of real facts
    has a ``source`` column whose keys (several separated by ``;``) point into ``SOURCES.md``. A
    simulated dataset names the seeded ``generator`` that rebuilds it.
    """

    name: str
    title: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    simulated: bool = False
    generator: Callable[[], pd.DataFrame] | None = field(default=None, compare=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (column, 1-based data row) and what."""

    message: str
    column: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = []
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class DatasetError(ValueError):
    """A data file that does not match its schema. ``problems`` lists every finding."""

    def __init__(self, path: Path | str, dataset: str, problems: list[Problem]):
        self.path = Path(path)
        self.dataset = dataset
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = "\n  " + MESSAGES["more"].format(count=len(problems) - 25) if len(problems) > 25 else ""
        summary = MESSAGES["summary"].format(path=self.path, dataset=dataset, count=len(problems),
                                             plural="s" if len(problems) != 1 else "")
        super().__init__(f"{summary}\n{shown}{more}")


# ---------------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------------

def catalog() -> dict[str, Dataset]:
    """Every bundled dataset's schema, by name."""
    from dpdlab.catalog import DATASETS  # imported late: the schemas import this module

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


# ---------------------------------------------------------------------------------------------------
# Reading and validating
# ---------------------------------------------------------------------------------------------------

def _read_text(path: Path, dataset: str) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = Problem(MESSAGES["not_utf8"].format(line=line, byte=raw[exc.start], offset=exc.start))
        raise DatasetError(path, dataset, [problem]) from None


def _allowed_text(col: Column) -> str:
    return ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in col.allowed or ())


def _raw_schema(spec: Dataset) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {}
    for col in spec.columns:
        checks = []
        if col.type in _SHAPES:
            checks.append(pa.Check.str_matches(rf"^(?:{_SHAPES[col.type]})$",
                                               error=MESSAGES[f"shape_{col.type}"]))
        columns[col.name] = pa.Column(str, checks=checks, nullable=col.nullable, required=True)
    return pa.DataFrameSchema(columns, strict=True, name=spec.name)


def _typed_schema(spec: Dataset) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {}
    for col in spec.columns:
        checks = []
        if col.allowed is not None:
            checks.append(pa.Check.isin(list(col.allowed),
                                        error=MESSAGES["not_allowed"].format(allowed=_allowed_text(col))))
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


def _problems_from(errors: SchemaErrors | SchemaError) -> list[Problem]:
    from pandera.errors import SchemaErrors

    cases = errors.failure_cases if isinstance(errors, SchemaErrors) else errors.failure_cases
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
            message = MESSAGES["missing_column"]
            column = value
        elif check == "column_in_schema":
            message = MESSAGES["unknown_column"]
            column = value
        elif check.startswith("dtype("):
            continue  # the coercion failure reported with it already says it
        elif check.startswith("coerce_dtype"):
            kind = check.split("'")[1] if "'" in check else check
            message = MESSAGES["bad_value"].format(value=value, kind=MESSAGES["type_words"].get(kind, kind))
        elif isinstance(value, str) and _EXCEPTION_TEXT.match(value):
            continue  # a check that could not run because the column failed to convert (reported above)
        elif check == "not_nullable":
            message = MESSAGES["required"]
        elif check == "field_uniqueness":
            message = MESSAGES["not_unique"].format(value=value)
        else:
            message = f"{value!r} {check}" if value is not None else check
        key = (column, row, message)
        if key not in seen:
            seen.add(key)
            problems.append(Problem(message, column=None if column is None else str(column), row=row))
    return problems


def _check_key(frame: pd.DataFrame, spec: Dataset) -> list[Problem]:
    if not spec.key or not set(spec.key) <= set(frame.columns):
        return []
    duplicated = frame.duplicated(subset=list(spec.key), keep="first")
    problems = []
    for index in frame.index[duplicated]:
        first = frame.index[(frame[list(spec.key)] == frame.loc[index, list(spec.key)]).all(axis=1)][0]
        values = ", ".join(f"{k}={frame.at[index, k]}" for k in spec.key)
        problems.append(Problem(MESSAGES["duplicate_key"].format(values=values, first=first + 1),
                                column=" + ".join(spec.key), row=int(index) + 1))
    return problems


def _check_sources(frame: pd.DataFrame, known: set[str]) -> list[Problem]:
    problems = []
    for index, cell in frame["source"].items():
        if pd.isna(cell):
            continue
        for key in split_sources(cell):
            if key not in known:
                problems.append(Problem(MESSAGES["unknown_source"].format(key=key),
                                        column="source", row=int(index) + 1))
    return problems


def validate_frame(frame: pd.DataFrame, spec: Dataset, path: Path | str = "<table>",
                   sources_file: Path | None = None) -> pd.DataFrame:
    """Validate a table of raw text cells against ``spec`` and return it with proper types.

    Raises :class:`DatasetError` listing every problem found, with column and 1-based row.
    """
    from pandera.errors import SchemaError, SchemaErrors

    try:
        _raw_schema(spec).validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        raise DatasetError(path, spec.name, _problems_from(exc)) from None
    frame = _with_booleans(frame, spec)
    try:
        typed = _typed_schema(spec).validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        problems = _problems_from(exc)
        raise DatasetError(path, spec.name, problems) from None
    problems = _check_key(typed, spec)
    if "source" in spec.column_names:
        problems += _check_sources(typed, source_keys(sources_file))
    if problems:
        raise DatasetError(path, spec.name, problems)
    return typed[spec.column_names]


def _with_booleans(frame: pd.DataFrame, spec: Dataset) -> pd.DataFrame:
    frame = frame.copy()
    for col in spec.columns:
        if col.type == "boolean":  # pass 1 guaranteed 'true'/'false'; pandas cannot coerce those itself
            frame[col.name] = frame[col.name].map({"true": True, "false": False}).astype("boolean")
    return frame


def typed_frame(frame: pd.DataFrame, spec: Dataset) -> pd.DataFrame:
    """A table of raw text cells that passed :func:`validate_frame` before, with the types that function
    gives it (the same frame; a test compares them for every bundled dataset), without checking it again."""
    frame = _with_booleans(frame, spec)
    for col in spec.columns:
        if col.type != "boolean":
            frame[col.name] = frame[col.name].astype(_PANDAS_TYPES[col.type])
    return frame[spec.column_names]


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


def read_raw(path: Path | str, dataset: str = "<file>") -> pd.DataFrame:
    """Read a CSV file as text cells (empty cells become missing), with encoding errors explained."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    text = _read_text(path, dataset)
    if not text.strip():
        raise DatasetError(path, dataset, [Problem(MESSAGES["empty_file"])])
    rows = list(csv.reader(StringIO(text)))
    width = len(rows[0])
    ragged = [Problem(MESSAGES["ragged"].format(fields=len(r), width=width), row=number)
              for number, r in enumerate(rows[1:], start=1) if r and len(r) != width]
    if ragged:
        raise DatasetError(path, dataset, ragged)
    try:
        return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DatasetError(path, dataset, [Problem(MESSAGES["not_csv"].format(error=exc))]) from None


def load_dataset(name: str, path: Path | str | None = None) -> pd.DataFrame:
    """Load dataset ``name``, validated against its schema.

    With ``path``, load *your own* file instead of the bundled one; it must have the same columns and
    pass the same checks. Its ``source`` keys are looked up in a ``SOURCES.md`` beside it, or else in the
    course's. The returned table carries ``attrs`` ``dataset``, ``title``, ``simulated`` and ``path``.
    """
    spec = get_dataset(name)
    file = Path(path) if path is not None else dataset_path(name)
    sources_file = None
    if path is not None and (file.parent / "SOURCES.md").exists():
        sources_file = file.parent / "SOURCES.md"
    raw = read_raw(file, name)
    if path is None and _validated_before(spec, file):
        frame = typed_frame(raw, spec)
    else:
        frame = validate_frame(raw, spec, file, sources_file)
    frame.attrs.update(dataset=name, title=spec.title, simulated=spec.simulated, path=str(file))
    return frame


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


def describe(name: str) -> pd.DataFrame:
    """The data dictionary of dataset ``name``: one row per column with type, unit and allowed values."""
    spec = get_dataset(name)
    rows = []
    for col in spec.columns:
        limits = []
        if col.allowed:
            limits.append(MESSAGES["dictionary_allowed"].format(allowed=_allowed_text(col)))
        if col.minimum is not None:
            limits.append(f">= {col.minimum}")
        if col.maximum is not None:
            limits.append(f"<= {col.maximum}")
        if col.pattern:
            limits.append(MESSAGES["dictionary_pattern"].format(pattern=col.pattern))
        if col.nullable:
            limits.append(MESSAGES["dictionary_nullable"])
        rows.append({"column": col.name, "type": col.type, "unit": col.unit, "description": col.description,
                     "values": "; ".join(limits)})
    return pd.DataFrame(rows).rename(columns=MESSAGES["dictionary_columns"])


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of ``frame`` (used for datasheets and notebooks)."""
    def cell(value: object) -> str:
        return "" if pd.isna(value) else str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def datasheet_with_columns(name: str) -> str:
    """The datasheet text of ``name`` with its "## Columns" table regenerated from the schema."""
    text = datasheet_path(name).read_text(encoding="utf-8")
    heading = text.find("## Columns")
    start = text.find("| column |", heading)
    if heading < 0 or start < 0:
        raise ValueError(f"{datasheet_path(name)} has no '## Columns' section with a column table")
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end
    return text[:start] + markdown_table(describe(name)) + text[end:]


def is_simulated(obj: object) -> bool:
    """True when a table or column holds simulated values, so a view must say so where it shows them.

    A table is simulated when it has a ``simulated`` column that is true on every row (every simulated
    dataset has one); a table or column derived from a loaded dataset also carries the dataset's
    ``attrs["simulated"]``, which :func:`load_dataset` sets and pandas keeps through filters and selections.
    """
    if isinstance(obj, pd.DataFrame) and "simulated" in obj.columns and len(obj):
        return bool(obj["simulated"].astype(bool).all())
    return bool(getattr(obj, "attrs", {}).get("simulated", False))


def mark_simulated(table: pd.DataFrame, source: object, label: str) -> pd.DataFrame:
    """``table`` with ``label`` (which says SIMULATED) over its columns when ``source``, the data it was
    computed from, is simulated (:func:`is_simulated`); otherwise ``table`` unchanged."""
    return table.rename_axis(columns=label) if is_simulated(source) else table
