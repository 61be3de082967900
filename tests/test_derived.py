"""The real tables derived from open replication data (dpdlab.derived): the derivation gives the bundled
files again from the raw files (when they are at hand), and the bundled tables hold the facts the course
teaches with them."""
from __future__ import annotations

import pandas as pd
import pytest

from dpdlab import crises, data, derived

RAW = pytest.mark.skipif(not derived.inputs_present(),
                         reason=f"the raw replication files are not in {derived.raw_dir()} (DPDLAB_RAW_DATA)")


@RAW
@pytest.mark.parametrize("name", data.derived_names())
def test_derivation_gives_the_bundled_table_again(name):
    assert data.derive_dataset(name) == data.dataset_path(name).read_text(encoding="utf-8")


@RAW
def test_an_input_that_changed_is_refused(tmp_path):
    for name in derived.INPUTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((derived.raw_dir() / name).read_bytes())
    changed = tmp_path / "world-leaders-isq/world-leaders-social-media.csv"
    changed.write_bytes(changed.read_bytes() + b"\n")
    with pytest.raises(derived.InputError, match="sha256"):
        derived.latam_leader_accounts(tmp_path)
    assert len(derived.leader_adoption_monthly(tmp_path)) == len(data.load_dataset("leader_adoption_monthly"))


def test_every_derived_table_is_real_and_cites_its_collection():
    for name in data.derived_names():
        table = data.load_dataset(name)
        assert not data.is_simulated(table)
        assert "SIMULATED" not in data.provenance(table)
        assert set(table["source"]) <= {derived.LEADERS_SOURCE, derived.CRISISLEX_SOURCE}
        assert set(table["source"]) <= data.source_keys()


def test_the_latin_american_leaders_table():
    leaders = data.load_dataset("latam_leader_accounts_2014").set_index("iso3c")
    assert len(leaders) == 20 and set(leaders.index) == set(derived.LATIN_AMERICA)
    # Peru's row is the head of government, not the president of the republic
    assert leaders.loc["PER", "office"] == "President of the Council of Ministers"
    assert leaders.loc["ARG", "twitter_personal"] == "CFKArgentina"
    assert leaders.loc["ARG", "twitter_institutional"] == "CasaRosadaAR"
    assert leaders["twitter_personal"].notna().sum() == 19  # all but Chile's
    assert leaders["twitter_institutional"].notna().sum() == 15


def test_monthly_adoption_counts():
    adoption = data.load_dataset("leader_adoption_monthly")
    assert len(adoption) == 2 * adoption["month"].nunique()
    assert set(adoption.groupby("region")["leaders"].unique().map(tuple)) == {(20,), (175,)}
    assert adoption["month"].min() == pd.Timestamp("2007-01-01")
    for column in ("active_personal", "active_institutional", "active_twitter", "active_facebook"):
        assert (adoption[column] <= adoption["active_any"]).all()
    assert (adoption["active_any"] <= adoption["leaders"]).all()
    latam = adoption[adoption["region"] == "latin_america"].set_index("month")
    assert latam.loc["2007-01-01", "active_any"] == 0
    assert latam.loc["2014-01-01", "active_any"] == 20


def test_audiences_match_accounts_and_regions():
    audiences = data.load_dataset("leader_account_audiences")
    assert len(audiences) == 275 and audiences["account_id"].is_unique
    assert set(audiences["kind"]) == {"personal", "institutional"}
    latam = audiences[audiences["latin_america"]]
    assert set(latam["region"]) == {"Latin America & Caribbean"}
    largest = audiences.loc[audiences["audience"].idxmax()]
    assert largest["region"] == "North America"


def test_guatemala_hourly_volume_keeps_the_silent_hours():
    hourly = data.load_dataset("crisis_attention_guatemala_2012")
    assert list(hourly["hour"]) == list(range(len(hourly)))
    assert int(hourly["value"].sum()) == 3261 - 21  # the collection's size, less the tweets before hour 0
    assert (hourly["value"] == 0).sum() > len(hourly) / 4
    peak = hourly.loc[hourly["value"].idxmax()]
    assert int(peak["hour"]) == 1  # 17:00-18:00 UTC on 7 November 2012
    windows = crises.half_life_by_window(hourly["hour"], hourly["value"])
    assert windows["half_life"].max() > 1.5 * windows["half_life"].min()  # the window decides the half-life
    counts, log = (crises.half_life(hourly["hour"][1:122], hourly["value"][1:122], method=m)
                   for m in ("counts", "log"))
    assert log > counts  # dropping the zero hours makes the decay look slower


def test_guatemala_labels_add_up_to_the_labelled_sample():
    labels = data.load_dataset("crisis_tweet_labels_guatemala_2012")
    assert labels["tweets"].sum() == 1050
    by_source = labels.groupby("information_source")["tweets"].sum()
    assert by_source.idxmax() == "Media"
    assert by_source["Government"] < by_source["Eyewitness"] < by_source["Outsiders"]
