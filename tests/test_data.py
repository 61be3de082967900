"""The data layer: bundled datasets load and validate; malformed files fail with file, column and row."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from dpdlab import data, paths

NAMES = data.dataset_names()


@pytest.mark.parametrize("name", NAMES)
def test_bundled_dataset_loads_and_is_not_empty(name):
    frame = data.load_dataset(name)
    assert len(frame) > 0
    assert list(frame.columns) == data.get_dataset(name).column_names
    assert frame.attrs["dataset"] == name
    assert frame.attrs["simulated"] == data.get_dataset(name).simulated


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_has_a_datasheet_with_its_current_column_table(name):
    sheet = data.datasheet_path(name).read_text(encoding="utf-8")
    assert data.markdown_table(data.describe(name)) in sheet, "run `dpdlab data rebuild`"
    for heading in ("## Columns", "## Provenance" if not data.get_dataset(name).simulated else "## How it is generated",
                    "## Caveats", "## Licence"):
        assert heading in sheet, f"{name}.md lacks {heading}"


@pytest.mark.parametrize("name", [n for n in NAMES if data.get_dataset(n).simulated])
def test_simulated_dataset_is_labelled_and_regenerates_byte_for_byte(name, tmp_path):
    spec = data.get_dataset(name)
    assert name.endswith("_simulated")
    sheet = data.datasheet_path(name).read_text(encoding="utf-8")
    assert "**Kind: simulated.**" in sheet and "seed" in sheet
    frame = data.load_dataset(name)
    assert "simulated" in frame and frame["simulated"].all()  # every row says so, wherever it is shown
    written = data.rebuild_simulated(tmp_path)
    assert (tmp_path / f"{name}.csv") in written
    assert (tmp_path / f"{name}.csv").read_bytes() == data.dataset_path(name).read_bytes()
    assert spec.generator is not None


def test_every_source_key_used_by_a_fact_table_is_in_the_bibliography_and_none_is_unused():
    known = data.source_keys()
    used = set()
    for name in NAMES:
        frame = data.load_dataset(name)
        if "source" in frame:
            for cell in frame["source"]:
                used.update(data.split_sources(cell))
    assert used <= known
    # every bibliography entry is cited by a dataset or by a notebook
    notebooks_text = "\n".join(p.read_text(encoding="utf-8")
                               for p in (paths.course_dir() / "source").glob("*/*.ipynb"))
    datasheets_text = "\n".join(p.read_text(encoding="utf-8") for p in paths.data_dir().glob("*.md")
                                if p.name != "SOURCES.md")  # the bibliography itself does not cite
    unused = {k for k in known - used if k not in notebooks_text and k not in datasheets_text}
    assert not unused, f"bibliography entries cited nowhere: {sorted(unused)}"


def test_bibliography_keys_are_unique():
    text = (paths.data_dir() / "SOURCES.md").read_text(encoding="utf-8")
    keys = re.findall(r"^- \*\*\[([a-z0-9-]+)\]\*\*", text, re.M)
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"keys defined more than once in SOURCES.md: {duplicates}"
    assert set(keys) == data.source_keys()


def test_every_csv_in_data_is_a_registered_dataset():
    on_disk = {p.stem for p in paths.data_dir().glob("*.csv")}
    assert on_disk == set(NAMES)


def test_unknown_dataset_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="Known datasets: .*argentina_accounts"):
        data.load_dataset("argentina_acounts")


# --- corrupted copies of every dataset --------------------------------------------------------------

def _lines(name: str) -> list[str]:
    return data.dataset_path(name).read_text(encoding="utf-8").splitlines(keepends=True)


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    target = tmp_path / f"{name}.csv"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def _first_column_of_type(name: str, kind: str) -> data.Column | None:
    return next((c for c in data.get_dataset(name).columns if c.type == kind), None)


def _set_cell(name: str, column: str, row: int, value: str) -> str:
    frame = data.read_raw(data.dataset_path(name), name)
    frame.loc[row - 1, column] = value
    return frame.to_csv(index=False, lineterminator="\n")


def _load_error(tmp_path, name, text) -> data.DatasetError:
    with pytest.raises(data.DatasetError) as caught:
        data.load_dataset(name, path=_write(tmp_path, name, text))
    return caught.value


@pytest.mark.parametrize("name", NAMES)
def test_missing_column_is_named(name, tmp_path):
    frame = data.read_raw(data.dataset_path(name), name)
    dropped = next(c.name for c in data.get_dataset(name).columns[1:] if not (c.nullable or c.optional))
    error = _load_error(tmp_path, name, frame.drop(columns=[dropped]).to_csv(index=False))
    assert any(p.column == dropped and "missing" in p.message for p in error.problems)
    assert str(tmp_path / f"{name}.csv") in str(error) and f"column '{dropped}'" in str(error)


@pytest.mark.parametrize("name", NAMES)
def test_wrong_type_names_column_and_row(name, tmp_path):
    column = _first_column_of_type(name, "integer") or _first_column_of_type(name, "date")
    if column is None:
        pytest.skip("this dataset has no numeric or date column")
    error = _load_error(tmp_path, name, _set_cell(name, column.name, 3, "three"))
    assert (column.name, 3) in {(p.column, p.row) for p in error.problems}
    assert "row 3 (line 4)" in str(error)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad_date", ["2015-02-30", "30/01/2015", "2015-1-5"])
def test_bad_date_names_column_and_row(name, bad_date, tmp_path):
    column = _first_column_of_type(name, "date")
    if column is None:
        pytest.skip("this dataset has no date column")
    error = _load_error(tmp_path, name, _set_cell(name, column.name, 2, bad_date))
    assert [(p.column, p.row) for p in error.problems] == [(column.name, 2)]
    assert "date" in error.problems[0].message


@pytest.mark.parametrize("name", NAMES)
def test_unknown_category_names_the_allowed_values(name, tmp_path):
    column = next((c for c in data.get_dataset(name).columns if c.allowed and not c.nullable), None)
    if column is None:
        pytest.skip("no categorical column")
    error = _load_error(tmp_path, name, _set_cell(name, column.name, 4, "nonsense"))
    problem = next(p for p in error.problems if p.column == column.name)
    assert problem.row == 4 and "is not one of" in problem.message and column.allowed[0] in problem.message


@pytest.mark.parametrize("name", NAMES)
def test_duplicate_key_names_both_rows(name, tmp_path):
    lines = _lines(name)
    error = _load_error(tmp_path, name, "".join(lines + [lines[1]]))
    duplicate_row = len(lines)  # the appended copy of data row 1
    assert any(p.row == duplicate_row and "duplicate key" in p.message and "row 1" in p.message
               for p in error.problems)


@pytest.mark.parametrize("name", NAMES)
def test_wrong_encoding_names_the_line(name, tmp_path):
    text = data.dataset_path(name).read_text(encoding="utf-8")
    latin1 = text.encode("utf-8")
    bad_line = 3
    lines = latin1.split(b"\n")
    lines[bad_line - 1] = lines[bad_line - 1] + b"\xe9"  # a Latin-1 'é' is not valid UTF-8
    if any(ord(c) > 127 for c in text):  # UTF-8 text elsewhere: a file of mixed encodings, never guessed
        error = _load_error(tmp_path, name, b"\n".join(lines))
        assert f"line {bad_line} is not valid UTF-8" in str(error)
    else:  # no UTF-8 text at all: read as Latin-1, and said so
        target = _write(tmp_path, name, b"\n".join(lines))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                data.load_dataset(name, path=target)
            except data.DatasetError as error:  # the 'é' made a cell invalid: reported, decoded, with the note
                assert "é" in str(error) and "read as Latin-1" in str(error)
            else:
                assert any("read as Latin-1" in str(w.message) for w in caught)


@pytest.mark.parametrize("name", NAMES)
def test_empty_file_and_ragged_row_and_extra_column(name, tmp_path):
    assert "the file is empty" in str(_load_error(tmp_path, name, ""))
    lines = _lines(name)
    ragged = "".join(lines[:3] + ["only,two\n"] + lines[3:])
    error = _load_error(tmp_path, name, ragged)
    assert error.problems[0].row == 3 and "fields but the header has" in error.problems[0].message
    frame = data.read_raw(data.dataset_path(name), name).assign(surplus="x")
    error = _load_error(tmp_path, name, frame.to_csv(index=False))
    assert any(p.column == "surplus" and "not part of the schema" in p.message for p in error.problems)


def test_out_of_range_value_is_reported(tmp_path):
    error = _load_error(tmp_path, "argentina_audience_simulated",
                        _set_cell("argentina_audience_simulated", "followers", 5, "-10"))
    assert [(p.column, p.row) for p in error.problems] == [("followers", 5)]
    assert "minimum" in error.problems[0].message


def test_unknown_source_key_is_reported(tmp_path):
    error = _load_error(tmp_path, "argentina_accounts", _set_cell("argentina_accounts", "source", 2, "no-such-key"))
    assert [(p.column, p.row) for p in error.problems] == [("source", 2)]


def test_bad_file_is_not_modified_by_loading(tmp_path):
    text = _set_cell("argentina_accounts", "kind", 1, "private")
    target = _write(tmp_path, "argentina_accounts", text)
    with pytest.raises(data.DatasetError):
        data.load_dataset("argentina_accounts", path=target)
    assert target.read_text(encoding="utf-8") == text


# --- bring your own data ------------------------------------------------------------------------------

def test_users_own_file_with_the_same_schema_loads_with_its_own_sources(tmp_path):
    own = tmp_path / "mine.csv"
    frame = data.read_raw(data.dataset_path("argentina_accounts"), "argentina_accounts").head(2).copy()
    frame["handle"] = ["@MyMinistry", "@MyMinister"]
    frame["source"] = ["my-memo-2024", "my-memo-2024"]
    own.write_text(frame.to_csv(index=False), encoding="utf-8")
    with pytest.raises(data.DatasetError, match="my-memo-2024"):
        data.load_dataset("argentina_accounts", path=own)  # no bibliography beside it: the course's is used
    (tmp_path / "SOURCES.md").write_text("- **[my-memo-2024]** My ministry, internal memo, 2024.\n",
                                         encoding="utf-8")
    loaded = data.load_dataset("argentina_accounts", path=own)
    assert list(loaded["handle"]) == ["@MyMinistry", "@MyMinister"]
    assert loaded.attrs["path"] == str(own)


def test_data_folder_is_configurable(tmp_path, monkeypatch):
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    monkeypatch.setenv("DPDLAB_DATA", str(tmp_path / "data"))
    (tmp_path / "data" / "argentina_accounts.csv").write_text("handle\n@x\n", encoding="utf-8")
    with pytest.raises(data.DatasetError, match=re.escape(str(tmp_path / "data"))):
        data.load_dataset("argentina_accounts")


def test_typed_columns():
    events = data.load_dataset("argentina_handover_events")
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    practices = data.load_dataset("account_continuity_practices")
    assert str(practices["keeps_followers"].dtype) == "boolean"
    assert practices["keeps_followers"].isna().any()  # "not applicable" stays missing, not False


def test_validated_record_matches_the_bundled_files_as_they_are():
    record = json.loads((paths.data_dir() / data.VALIDATED_FILE).read_text(encoding="utf-8"))
    assert record == data.fingerprints(), "run `dpdlab data rebuild`"


@pytest.mark.parametrize("name", NAMES)
def test_a_file_validated_before_is_typed_exactly_as_validation_types_it(name):
    spec = data.get_dataset(name)
    raw = data.read_raw(data.dataset_path(name), name)
    pd.testing.assert_frame_equal(data.typed_frame(raw, spec), data.validate_frame(raw, spec), check_exact=True)


def test_loading_bundled_data_does_not_import_pandera_and_a_changed_file_is_validated_in_full(tmp_path, monkeypatch):
    probe = ("import sys, dpdlab\nfor n in dpdlab.dataset_names(): dpdlab.load_dataset(n)\n"
             "print('pandera' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False"]
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    monkeypatch.setenv("DPDLAB_DATA", str(tmp_path / "data"))
    table = tmp_path / "data" / "argentina_accounts.csv"
    bundled = table.read_bytes()
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(lines + lines[1:2]), encoding="utf-8")  # the same row twice: a duplicate key
    with pytest.raises(data.DatasetError, match="duplicate key"):
        data.load_dataset("argentina_accounts")
    table.write_bytes(bundled)
    sources = tmp_path / "data" / "SOURCES.md"  # the same file, but a source key it cites is gone
    used = data.split_sources(data.load_dataset("argentina_accounts")["source"].iloc[0])[0]
    sources.write_text(sources.read_text(encoding="utf-8").replace(f"**[{used}]**", "**[gone-0000]**"), encoding="utf-8")
    with pytest.raises(data.DatasetError, match=f"source key '{used}' is not listed"):
        data.load_dataset("argentina_accounts")
