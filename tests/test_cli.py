"""The `dpdlab` command: data checks that catch drift, and rebuilds that restore it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from dpdlab import cli, paths


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    monkeypatch.setenv("DPDLAB_DATA", str(target))
    return target


def test_data_check_passes_on_the_bundled_data(data_copy, capsys):
    assert cli.main(["data", "check"]) == 0
    assert "FAIL" not in capsys.readouterr().out


def test_data_check_catches_a_hand_edited_simulated_file_and_rebuild_restores_it(data_copy, capsys):
    simulated = data_copy / "argentina_audience_simulated.csv"
    original = simulated.read_bytes()
    simulated.write_bytes(original.replace(b",310000,", b",310001,", 1))
    assert cli.main(["data", "check"]) == 1
    assert "differs from its generator" in capsys.readouterr().out
    assert cli.main(["data", "rebuild"]) == 0
    assert simulated.read_bytes() == original
    assert cli.main(["data", "check"]) == 0


def test_data_check_catches_a_stale_datasheet_and_a_broken_file(data_copy, capsys):
    sheet = data_copy / "argentina_accounts.md"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("| handle | text |", "| handle | txt |"),
                     encoding="utf-8")
    (data_copy / "argentina_handover_events.csv").write_text("event_id\nxx\n", encoding="utf-8")
    assert cli.main(["data", "check"]) == 1
    out = capsys.readouterr().out
    assert "datasheet column table is out of date" in out
    assert "argentina_handover_events.csv does not match the schema" in out


def test_unknown_command_is_refused():
    with pytest.raises(SystemExit):
        cli.main(["data", "build"])


def test_binder_badge_prints_the_readme_badge(capsys):
    from dpdlab import binder

    assert cli.main(["binder", "badge"]) == 0
    assert capsys.readouterr().out.strip() == binder.badge()


def test_out_goes_only_with_site_build():
    with pytest.raises(SystemExit):
        cli.main(["data", "check", "--out", "somewhere"])


FIXTURES = Path(__file__).parent / "fixtures" / "byod"


def test_data_try_says_how_a_users_file_loads_and_how_views_label_it(capsys):
    assert cli.main(["data", "try", "internet_use_share", str(FIXTURES / "internet_users.csv")]) == 0
    shown = capsys.readouterr().out
    assert "loaded as internet_use_share (real)" in shown and "Views will say: Data: fixture-internet" in shown
    assert "column 'country'" in shown  # the note on values the course does not use
    notebooks = cli.notebooks_loading("internet_use_share")
    assert any(n.stem == "06_strategy_institutions_digital_divide" for n in notebooks)
    for notebook in notebooks:
        assert f"papermill {notebook.relative_to(ROOT)} " in shown and '"data_files"' in shown


def test_data_try_reports_every_problem_of_a_broken_file_and_fails(tmp_path, capsys):
    broken = tmp_path / "broken.csv"
    broken.write_text("country,year,internet_users_pct,series\nPeru,twenty,40,x\nChile,2015,140,x\n", encoding="utf-8")
    assert cli.main(["data", "try", "internet_use_share", str(broken)]) == 1
    shown = capsys.readouterr().out
    assert "year" in shown and "internet_users_pct" in shown and "data/internet_use_share.md" in shown.replace("\\", "/")


def test_data_try_refuses_an_unknown_dataset_or_a_missing_file(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["data", "try", "no_such_dataset", str(FIXTURES / "internet_users.csv")])
    with pytest.raises(SystemExit):
        cli.main(["data", "try", "internet_use_share", str(tmp_path / "absent.csv")])
    assert "no dataset 'no_such_dataset'" in capsys.readouterr().err
