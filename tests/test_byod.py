"""Bring your own data: files shaped like real public datasets load through the public API, are labelled
real, and go on into the course's analyses; files with problems get one report a user can act on.

The files under tests/fixtures/byod/ are TEST FIXTURES, not data (see their README.md and make_fixtures.py).
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from dpdlab import data

FIXTURES = Path(__file__).parent / "fixtures" / "byod"


def load(name: str, file: str, **options) -> tuple[pd.DataFrame, list[str]]:
    """Load a fixture as a user would, returning the table and the notes issued as warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = data.load_dataset(name, FIXTURES / file, **options)
    notes = [str(w.message) for w in caught if issubclass(w.category, data.DatasetNote)]
    return frame, notes


def assert_real(frame: pd.DataFrame, source: str) -> None:
    assert not data.is_simulated(frame) and frame.attrs["simulated"] is False
    assert source in frame.attrs["source"]
    assert data.provenance(frame) == f"Data: {frame.attrs['source']}"


# --- one fixture per kind --------------------------------------------------------------------------------

def test_internet_users_of_many_countries_1990_2024():
    from dpdlab.strategy.analysis import below_region, latest_share

    frame, notes = load("internet_use_share", "internet_users.csv")
    assert_real(frame, "fixture-internet")
    assert frame["year"].min() == 1990 and frame["year"].max() == 2024 and frame["country"].nunique() == 31
    # the places and the series are not the course's: loaded, and said so, column by column
    assert any("column 'country', rows 1-1085" in n and "1085 rows hold values" in n and "'Fixtureland 01'" in n for n in notes)
    assert any("column 'series'" in n for n in notes)
    series = "TEST FIXTURE structural series"
    year, share = latest_share(frame, "Fixtureland 03", series=series)
    expected = frame[(frame["country"] == "Fixtureland 03")].sort_values("year").iloc[-1]
    assert (year, share) == (2024, pytest.approx(float(expected["internet_users_pct"])))
    below = below_region(frame, 2010, region="Fixture region average", series=series)
    assert below and "Fixture region average" not in below


def test_femicide_register_saved_with_semicolons_and_latin1():
    from dpdlab.niunamenos.views import register_chart

    frame, notes = load("niunamenos_femicide_register", "femicide_register_semicolon_latin1.csv")
    assert_real(frame, "fixture-register")
    assert any("Latin-1" in n for n in notes) and any("separated by ';'" in n for n in notes)
    assert frame["note"].str.contains("año").all()  # the accents survive
    chart = register_chart(frame).to_dict()
    shown = str(chart["title"]) + chart["description"]
    assert "Argentina" not in shown and "Supreme Court" not in shown and "fixture-register" in shown
    bundled = register_chart(data.load_dataset("niunamenos_femicide_register")).to_dict()
    assert "Argentina" in str(bundled["title"])


def test_row_level_register_is_counted_per_year_by_the_course_helper():
    records = data.read_raw(FIXTURES / "femicide_cases_rowlevel.csv")
    counts = data.count_per_year(records, "fecha_hecho", count_name="victims")
    assert list(counts["victims"]) == [3, 5, 4, 6, 2, 5] and list(counts["year"]) == list(range(2018, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        register = data.check_table("niunamenos_femicide_register", counts, source="fixture-register",
                                    sources_file=FIXTURES / "SOURCES.md")
    assert_real(register, "fixture-register")
    assert register["one_every_hours"].isna().all()


def test_missions_with_accounts_on_several_platforms():
    from dpdlab.foundations.networks import build_graph, centrality_table

    accounts, notes = load("argentina_accounts", "mission_accounts.csv")
    assert_real(accounts, "fixture-missions")
    assert {"X", "Instagram", "Mastodon"} <= set(accounts["platform"])
    assert "@mision@social.example" in set(accounts["handle"])  # handles of other platforms' forms
    assert any("column 'platform'" in n and "'Instagram'" in n for n in notes)
    nodes, node_notes = load("mission_network_nodes_simulated", "mission_network_nodes.csv",
                             source="TEST FIXTURE missions")
    edges, _ = load("mission_network_edges_simulated", "mission_network_edges.csv", source="TEST FIXTURE missions")
    for table in (nodes, edges):
        assert_real(table, "TEST FIXTURE missions")
    assert any("'honorary_consulate'" in n for n in node_notes)
    table = centrality_table(build_graph(nodes, edges))
    assert table.iloc[0]["node"] in {"Ministry of Fixtureland", "Embassy in Country A", "Consulate in City B"}


def test_crisis_tweet_timestamps_without_text_counted_per_hour():
    from dpdlab.crises.analysis import fit_decay
    from dpdlab.crises.views import attention_view

    tweets = data.read_raw(FIXTURES / "crisis_tweets.csv")
    hourly = data.count_per_hour(tweets["created_at"], hours=72)
    assert len(hourly) == 72 and hourly["value"].sum() == len(tweets)
    assert (hourly["value"] == 0).any()  # silent hours are kept, not dropped
    table = hourly.assign(series="fixture tweets", crisis="Fixture earthquake", measure="tweets")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        attention = data.check_table("crisis_attention_simulated", table, source="TEST FIXTURE tweets")
    assert any("column 'crisis'" in str(w.message) for w in caught)
    assert_real(attention, "TEST FIXTURE tweets")
    fit = fit_decay(attention["hour"], attention["value"])  # on counts: the silent hours stay in the fit
    assert fit["half_life"] == pytest.approx(6, rel=0.25) and fit["zeros"] == (hourly["value"] == 0).sum()
    view = attention_view(attention, "fixture tweets", 0, 71)
    assert "have no posts" in view.note and "Half-life by window" in view.note
    chart = attention_view(attention, "fixture tweets", 0, 40).chart.to_dict()
    assert "SIMULATED" not in str(chart["title"]) + chart["description"]
    assert "TEST FIXTURE tweets" in str(chart["title"])


def test_crisis_tweet_timestamps_get_a_base_rate_for_synchronised_posting():
    from dpdlab.infoops.analysis import synchrony_checks, synchrony_excess

    tweets = data.read_raw(FIXTURES / "crisis_tweets.csv")
    times = pd.to_datetime(tweets["created_at"])
    posts = pd.DataFrame({"account_id": tweets["tweet_id"].astype(str),  # no account ids: one account per tweet
                          "minute": ((times - times.min()) / pd.Timedelta(minutes=1)).astype(int)})
    table = synchrony_excess(posts)
    assert table["chance_share"].mean() > 0.2 and (table["excess"] <= 0).mean() > 0.5
    notes = synchrony_checks(posts)
    assert len(notes) == 1 and "by chance alone" in notes[0]


def test_disaster_messages_in_french_creole_and_english():
    from dpdlab.crises.analysis import keyword_triage, triage_scores

    messages, notes = load("consular_requests_simulated", "disaster_messages.csv", source="TEST FIXTURE messages")
    assert_real(messages, "TEST FIXTURE messages")
    assert set(messages["language"]) == {"fr", "ht", "en"}
    assert not any("column 'language'" in n for n in notes)  # French and Creole are known languages
    assert any("column 'channel'" in n and "'SMS'" in n for n in notes)
    from dpdlab.crises.analysis import baseline_rules, queue_checks, triage_checks
    assert triage_checks(messages) == [] and queue_checks(messages["minute"], 6) == []  # rules for fr, ht, en
    baseline = triage_scores(keyword_triage(messages["text"], baseline_rules(["fr", "ht", "en"])),
                             messages["priority"], level=1)
    assert baseline["precision"] == 1.0 and baseline["recall"] == 0.75  # a starting point, with accents folded
    rules = [(1, ["tonbe", "blese", "effondr", "blessé", "collapsed", "trapped"]),
             (3, ["passport", "passeport", "paspò", "dlo", "eau"])]
    predicted = keyword_triage(messages["text"], rules)
    scores = triage_scores(predicted, messages["priority"], level=1)
    assert scores["recall"] == 1.0 and scores["precision"] == 1.0


def test_icj_cases_with_their_parties():
    from dpdlab.foundations.networks import build_graph, centrality_table

    procedure, notes = load("icj_case_procedure", "icj_cases.csv")
    assert_real(procedure, "fixture-icj")
    assert any("column 'case'" in n for n in notes) and any("column 'actor'" in n for n in notes)
    # the parties of each case as a network of states (module 03's functions)
    parties = procedure.groupby("case")["actor"].apply(list)
    edges = pd.DataFrame([{"source_node": a, "target_node": b, "tie": "official", "strength": 1}
                          for a, b in parties])
    nodes = pd.DataFrame({"node": sorted(set(procedure["actor"])), "role": "host_government"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        graph = build_graph(data.check_table("mission_network_nodes_simulated", nodes, source="fixture-icj"),
                            data.check_table("mission_network_edges_simulated", edges, source="fixture-icj"))
    assert centrality_table(graph).iloc[0]["node"] in {"State A", "State B"}


# --- error reports ---------------------------------------------------------------------------------------

def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "mine.csv") -> Path:
    target = tmp_path / name
    target.write_bytes(text.encode(encoding))
    return target


def _error(name: str, path: Path, **options) -> data.DatasetError:
    with pytest.raises(data.DatasetError) as caught:
        data.load_dataset(name, path, **options)
    return caught.value


def test_every_column_is_reported_in_one_pass_grouped_with_counts_and_row_ranges(tmp_path):
    lines = ["year,victims,one_every_hours,published_on,note,source"]
    decimal_comma = '"30,5"'
    lines += [f"{2000 + i},{'many' if 3 <= i <= 6 else 10},{decimal_comma if i == 8 else ''},,,no-such-key"
              for i in range(1, 11)]
    lines.append("2001,4,,,,no-such-key")  # a duplicate year
    error = _error("niunamenos_femicide_register", _write(tmp_path, "\n".join(lines)))
    text = str(error)
    assert "column 'victims', rows 3-6 (lines 4-7): 4 rows, 'many' is not a whole number" in text
    assert "column 'one_every_hours', row 8 (line 9): '30,5' is written with a decimal comma" in text
    # one line for the eleven rows citing the same unknown key, naming the bibliography searched
    assert (f"column 'source', rows 1-11 (lines 2-12): 11 rows, source key 'no-such-key' is not listed in "
            f"{data.paths.data_dir() / 'SOURCES.md'}") in text
    assert "column 'year', row 11 (line 12): duplicate key (year=2001); row 1 has the same key" in text
    firsts = [int(m) for m in re.findall(r"^  - column '[^']+', rows? (\d+)", text, re.M)]
    assert len(firsts) == 4 and firsts == sorted(firsts)  # sorted by their first row


def test_missing_columns_and_bad_cells_are_reported_together(tmp_path):
    text = "victims,note\nx,\n"
    error = _error("niunamenos_femicide_register", _write(tmp_path, text))
    columns = {(p.column, p.message.split(" (")[0]) for p in error.problems}
    assert ("source", "is missing") in columns and ("year", "is missing") in columns
    assert ("published_on", "is missing") not in columns  # a column that may be empty may be left out
    assert any(p.column == "victims" and p.row == 1 for p in error.problems)


def test_tolerated_spellings_load(tmp_path):
    text = ("node,role,x,y,simulated\nA,ministry,1,2,False\nB,embassy,3.0,4,FALSE\n")
    nodes = data.load_dataset("mission_network_nodes_simulated", _write(tmp_path, text), source="own")
    assert not data.is_simulated(nodes)
    text = "year,victims,one_every_hours,published_on,note,source\n2014.0,12.0,,,,fixture-register\n"
    (tmp_path / "SOURCES.md").write_text((FIXTURES / "SOURCES.md").read_text(encoding="utf-8"), encoding="utf-8")
    register = data.load_dataset("niunamenos_femicide_register", _write(tmp_path, text))
    assert register["year"].tolist() == [2014] and register["victims"].tolist() == [12]
    error = _error("niunamenos_femicide_register", _write(tmp_path, text.replace("12.0", "12.5")))
    assert any(p.column == "victims" for p in error.problems)  # 12.5 is not a whole number: never rounded


def test_user_sources_add_to_the_course_bibliography(tmp_path):
    frame = data.read_raw(data.dataset_path("niunamenos_femicide_register")).head(2)
    frame.loc[1, "source"] = "my-memo-2024"
    own = _write(tmp_path, frame.to_csv(index=False))
    (tmp_path / "SOURCES.md").write_text("- **[my-memo-2024]** My ministry, internal memo, 2024.\n",
                                         encoding="utf-8")
    loaded = data.load_dataset("niunamenos_femicide_register", own)  # row 0 cites a course key, row 1 mine
    assert "my-memo-2024" in loaded.attrs["source"]
    frame.loc[1, "source"] = "no-such-key"
    error = _error("niunamenos_femicide_register", _write(tmp_path, frame.to_csv(index=False)))
    assert str(tmp_path / "SOURCES.md") in str(error) and str(data.paths.data_dir() / "SOURCES.md") in str(error)


def test_one_source_for_the_whole_file(tmp_path):
    frame = data.read_raw(data.dataset_path("niunamenos_femicide_register")).drop(columns=["source"])
    own = _write(tmp_path, frame.to_csv(index=False))
    error = _error("niunamenos_femicide_register", own)
    assert any(p.column == "source" and "missing" in p.message for p in error.problems)
    key = data.split_sources(data.load_dataset("niunamenos_femicide_register")["source"].iloc[0])[0]
    loaded = data.load_dataset("niunamenos_femicide_register", own, source=key)
    assert loaded.attrs["source"] == key and (loaded["source"] == key).all()


def test_simulated_rows_stay_simulated_and_real_rows_need_no_flag(tmp_path):
    bundled = data.load_dataset("crisis_attention_simulated")
    assert data.is_simulated(bundled) and data.provenance(bundled) == "SIMULATED"
    raw = data.read_raw(data.dataset_path("crisis_attention_simulated")).head(30)
    mixed = raw.assign(simulated=["true"] * 10 + ["false"] * 20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        loaded = data.load_dataset("crisis_attention_simulated", _write(tmp_path, mixed.to_csv(index=False)))
        assert data.is_simulated(loaded)  # any simulated row: every view says so
        real = data.load_dataset("crisis_attention_simulated",
                                 _write(tmp_path, raw.drop(columns="simulated").to_csv(index=False)))
    assert not data.is_simulated(real) and real["simulated"].eq(False).all()
    assert real.attrs["source"] == "mine.csv"  # no source given: views name the file


def test_a_file_of_mixed_encodings_is_still_an_error(tmp_path):
    text = "year,victims,one_every_hours,published_on,note,source\n2019,1,,,año,x\n"
    raw = text.encode("utf-8") + b"2020,2,,,a\xf1o,x\n"
    target = tmp_path / "mixed.csv"
    target.write_bytes(raw)
    with pytest.raises(data.DatasetError, match="line 3 is not valid UTF-8"):
        data.load_dataset("niunamenos_femicide_register", target)


def test_vocabulary_that_drives_code_stays_an_error_that_says_what_to_do(tmp_path):
    frame = data.read_raw(data.dataset_path("argentina_accounts")).head(1).assign(kind="official")
    error = _error("argentina_accounts", _write(tmp_path, frame.to_csv(index=False)))
    assert "is not one of: institutional, personal" in str(error) and "recode" in str(error)


def test_table_schema_export_describes_each_dataset():
    schema = data.table_schema("internet_use_share")
    fields = {f["name"]: f for f in schema["fields"]}
    assert schema["primaryKey"] == ["country", "year", "series"]
    assert fields["internet_users_pct"]["constraints"] == {"required": True, "minimum": 0, "maximum": 100}
    assert "enum" not in fields["country"].get("constraints", {}) and "Argentina" in fields["country"]["x-known"]
    package = data.data_package()
    assert {r["name"] for r in package["resources"]} == set(data.dataset_names())
    assert data.data_package_path().read_text(encoding="utf-8") == data.data_package_text(), \
        "run `dpdlab data rebuild`"


def _top_level_imports(module: str) -> set[str]:
    """The ``dpdlab`` modules ``module`` imports when it is imported (module-level statements only)."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dpdlab"):
            found.add(node.module)
            for alias in node.names:
                if importlib.util.find_spec(node.module).submodule_search_locations is not None \
                        and importlib.util.find_spec(f"{node.module}.{alias.name}") is not None:
                    found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("dpdlab"))
    return found


def test_the_data_layer_has_no_import_circle():
    """data imports catalog at the top; nothing catalog reaches at import time imports data back."""
    assert "dpdlab.catalog" in _top_level_imports("dpdlab.data")
    seen, todo = set(), ["dpdlab.catalog"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo += sorted(_top_level_imports(module) - seen)
    assert "dpdlab.data" not in seen, "a module the catalog imports imports dpdlab.data"


@pytest.mark.parametrize("name", [n for n in data.dataset_names() if any(c.known for c in data.get_dataset(n).columns)])
def test_a_value_outside_the_known_ones_loads_with_a_note_naming_column_values_and_rows(name, tmp_path):
    column = next(c for c in data.get_dataset(name).columns if c.known)
    frame = data.read_raw(data.dataset_path(name))
    frame.loc[[1, 2], column.name] = ["Fixture value 1", "Fixture value 2"]  # distinct: keys stay unique
    with pytest.warns(data.DatasetNote) as caught:
        loaded = data.load_dataset(name, _write(tmp_path, frame.to_csv(index=False), name=f"{name}.csv"))
    assert loaded[column.name].str.startswith("Fixture value").sum() == 2
    note = "\n".join(str(w.message) for w in caught)
    assert f"column '{column.name}', rows 2-3 (lines 3-4): 2 rows hold values the course's own data does not " \
           "use: 'Fixture value 1', 'Fixture value 2'" in note


@pytest.mark.parametrize("name", data.dataset_names())
def test_every_datasheet_says_how_to_bring_your_own_file(name):
    sheet = data.datasheet_path(name).read_text(encoding="utf-8")
    assert data.own_file_section(name) in sheet, "run `dpdlab data rebuild`"
    assert sheet.index("## Bring your own file") < sheet.index("## Licence")


def test_views_of_simulated_kinds_name_a_real_files_source_and_drop_the_word_simulated(tmp_path):
    from dpdlab.niunamenos.views import adoption_chart

    bundled = adoption_chart(data.load_dataset("niunamenos_hashtag_simulated")).to_dict()
    assert "SIMULATED" in bundled["title"]["subtitle"]
    raw = data.read_raw(data.dataset_path("niunamenos_hashtag_simulated")).drop(columns="simulated")
    own = _write(tmp_path, raw.to_csv(index=False))
    real = adoption_chart(data.load_dataset("niunamenos_hashtag_simulated", own, source="TEST FIXTURE counts"))
    shown = real.to_dict()
    assert shown["title"]["subtitle"] == "Data: TEST FIXTURE counts"
    assert "simulated" not in (shown["title"]["text"] + shown["description"]).lower()
    plain = adoption_chart(raw.assign(date=pd.to_datetime(raw["date"]), adopters=raw["adopters"].astype(int)))
    assert "SIMULATED" in plain.to_dict()["title"]["subtitle"]  # a table of unknown origin keeps the mark


def test_a_mapping_of_dataset_names_to_files_picks_each_datasets_own(tmp_path):
    """The notebooks' ``data_files`` parameter: a name it holds loads that file, any other the bundled one."""
    own, _ = load("internet_use_share", "internet_users.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        mapped = data.load_dataset("internet_use_share", {"internet_use_share": FIXTURES / "internet_users.csv"})
        bundled = data.load_dataset("internet_use_share", {"another_dataset": FIXTURES / "internet_users.csv"})
    pd.testing.assert_frame_equal(mapped, own)
    assert mapped.attrs["source"] == own.attrs["source"]
    pd.testing.assert_frame_equal(bundled, data.load_dataset("internet_use_share"))
    assert data.load_dataset("internet_use_share", {}).attrs["path"] == str(data.dataset_path("internet_use_share"))


# --- kinds with no course dataset: a documented path into the course's functions ---------------------------

def test_iso_country_metadata_gives_the_diffusion_analysis_its_neighbours_and_regions():
    from dpdlab import niunamenos

    metadata = data.read_raw(FIXTURES / "country_metadata.csv")
    neighbours = niunamenos.neighbours_from_metadata(metadata)
    assert neighbours["Fixtureland 05"] == ("Fixtureland 04",)  # listed on one side only: counted on both
    assert neighbours["Fixtureland 03"] == ("Fixtureland 01",)  # a code outside the table is left out
    assert neighbours["Fixtureland 06"] == ()
    dates = {"Fixtureland 01": "2015-06-03", "Fixtureland 02": "2015-07-01", "Fixtureland 03": "2015-08-01",
             "Fixtureland 04": "2015-09-01", "Fixtureland 05": "2015-10-01", "Fixtureland 06": "2015-11-01"}
    rows = pd.DataFrame([{"event_id": f"fx-{i}", "date": day, "date_precision": "day", "country": country,
                          "kind": "march", "description": "TEST FIXTURE march"}
                         for i, (country, day) in enumerate(dates.items())])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.DatasetNote)
        events = data.check_table("niunamenos_events", rows, source="fixture-countries",
                                  sources_file=FIXTURES / "SOURCES.md")
    assert_real(events, "fixture-countries")
    links = niunamenos.diffusion_links(events, neighbours)
    assert set(zip(links["leader"], links["follower"])) == {
        ("Fixtureland 01", "Fixtureland 02"), ("Fixtureland 01", "Fixtureland 03"),
        ("Fixtureland 02", "Fixtureland 04"), ("Fixtureland 04", "Fixtureland 05"),
        ("Fixtureland 01", "Fixtureland 06")}  # an island follows the origin
    spread = niunamenos.spread_by_neighbourhood(events, neighbours, metadata).set_index("country")
    assert spread.loc["Fixtureland 04", "earlier_neighbours"] == "Fixtureland 02"
    assert not spread.loc["Fixtureland 04", "same_sub_region"]  # the wave crossed into the north there
    assert spread.loc["Fixtureland 05", "same_sub_region"] and not spread.loc["Fixtureland 06", "borders_earlier"]
    assert spread["region"].eq("Fixture Continent").all()
    assert not data.is_simulated(spread)


def test_country_year_disaster_deaths_beside_the_crisis_figures():
    from dpdlab import crises

    records = data.read_raw(FIXTURES / "disaster_deaths.csv")
    deaths = crises.deaths_per_country_year(records, source="fixture-disasters")
    assert data.provenance(deaths) == "Data: fixture-disasters" and not data.is_simulated(deaths)
    tolls = pd.to_numeric(records["Total Deaths"], errors="coerce")
    expected = tolls.groupby([records["Country"], records["Start Year"].astype(int)]).sum()
    assert dict(zip(zip(deaths["country"], deaths["year"]), deaths["deaths"])) == expected.astype(int).to_dict()
    assert deaths["no_toll"].sum() == tolls.isna().sum() > 0  # unknown tolls are counted, not taken as zero
    quakes = crises.deaths_per_country_year(records, kinds=["Earthquake"])
    assert quakes["disasters"].eq(1).all()
    renamed = records.rename(columns={"Country": "pais", "Start Year": "anio", "Total Deaths": "muertos"})
    own_names = crises.deaths_per_country_year(renamed, country="pais", year="anio", deaths="muertos")
    assert own_names.equals(deaths) and "source not given" in own_names.attrs["source"]
    with pytest.raises(ValueError, match="missing: 'Country'"):
        crises.deaths_per_country_year(renamed)
    crisis_table = pd.DataFrame({"crisis": ["Fixtureland 01 2003", "Fixtureland 02 2004", "Hurricane Fixture 2004"]})
    beside = crises.deaths_beside_crises(deaths, crisis_table).set_index("crisis")
    assert beside.loc["Fixtureland 01 2003", "deaths"] == expected[("Fixtureland 01", 2003)]
    assert beside.loc["Fixtureland 02 2004", "no_toll"] == 1 and pd.isna(beside.loc["Hurricane Fixture 2004", "deaths"])
    assert beside.attrs["source"] == "fixture-disasters"
    # beside module 05's own crisis figures: each crisis gets its row, the published toll where there is one
    course = crises.deaths_beside_crises(deaths, data.load_dataset("crisis_digital_figures"))
    figures = data.load_dataset("crisis_digital_figures")
    assert set(course["crisis"]) == set(figures["crisis"]) and course["deaths"].isna().all()
    assert course["published_toll"].notna().sum() == (figures["measure"] == "official death toll").groupby(
        figures["crisis"]).any().sum()


def test_a_ministrys_incident_log_goes_into_module_07s_analyses():
    from dpdlab import beyond

    incidents, _ = load("trust_incidents", "trust_incidents.csv")
    assert_real(incidents, "fixture-incidents")
    assert beyond.incidents_by_kind(incidents, "Latin America") == {"account_hijack": 1, "leak_response": 3}
    leak, responses = beyond.leak_responses(incidents)
    assert (leak, responses) == ("fx-2019-leak", ["fx-2019-recall", "fx-2019-protest"])  # 2021 is past a year
    assert beyond.days_after(incidents, leak, responses) == {"fx-2019-recall": 98, "fx-2019-protest": 122}
    chart = beyond.incidents_chart(incidents).to_dict()
    assert chart["title"]["subtitle"] == "Data: fixture-incidents"
    view = beyond.incident_view(incidents, years=(2019, 2022))
    assert view.extra["n"] == 6 and "fixture-incidents" in view.chart.to_dict()["title"]["subtitle"]


def test_internet_users_without_a_region_row_are_compared_with_their_places_average():
    from dpdlab.strategy.analysis import below_region, benchmark
    from dpdlab.strategy.views import internet_chart, reach_explorer

    frame, _ = load("internet_use_share", "internet_users_no_region.csv")
    assert_real(frame, "fixture-internet")
    name, value = benchmark(frame, 2010)
    year = frame[frame["year"] == 2010]
    assert name == "average of the 30 places" and value == pytest.approx(year["internet_users_pct"].mean())
    assert below_region(frame, 2010, region=None, series=None) == sorted(year.loc[year["internet_users_pct"] < value, "country"])
    assert "fixture-internet" in internet_chart(frame).to_dict()["title"]["subtitle"]
    assert len(reach_explorer(frame).children[0].children[0].options) == 30

def test_un_roll_call_votes_become_a_co_voting_network_for_module_03():
    from dpdlab.foundations import networks

    votes = data.read_raw(FIXTURES / "un_votes.csv")
    assert set(votes["vote"]) == {"yes", "no", "abstain"} and votes["rcid"].nunique() == 20
    nodes, edges = networks.co_voting_tables(votes, resolution="rcid", min_agreement=0.75)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nodes = data.check_table("mission_network_nodes_simulated", nodes, source="TEST FIXTURE votes")
        edges = data.check_table("mission_network_edges_simulated", edges, source="TEST FIXTURE votes")
    shown = "\n".join(str(w.message) for w in caught)
    assert "column 'role'" in shown and "'state'" in shown and "'co_voting'" in shown  # loaded, with notes
    for table in (nodes, edges):
        assert_real(table, "TEST FIXTURE votes")
    # the weights are the agreement shares, graded: a bloc voting alike throughout gets the strongest ties
    pairs = networks.agreement_table(votes, resolution="rcid").set_index(["source_node", "target_node"])
    assert pairs.loc[("Fixtureland 01", "Fixtureland 02"), "agreement"] == 1.0
    assert pairs.loc[("Fixtureland 01", "Fixtureland 04"), "agreement"] == pytest.approx(16 / 20)
    assert pairs.loc[("Fixtureland 01", "Fixtureland 05"), "agreement"] == pytest.approx(0.5)
    graph = networks.build_graph(nodes, edges)
    assert graph.edges["Fixtureland 01", "Fixtureland 02"]["strength"] == 3
    assert graph.edges["Fixtureland 01", "Fixtureland 04"]["strength"] == 2
    assert not graph.has_edge("Fixtureland 01", "Fixtureland 05")  # the blocs agree on half: no tie
    # module 03's analysis: the country that sides with both blocs is the broker and the only cut point
    view = networks.centrality_view(graph, "betweenness")
    assert view.extra["first"] == "Fixtureland 09" and view.extra["cut_points"] == ["Fixtureland 09"]
    spec = view.chart.to_dict()
    assert spec["title"]["subtitle"] == "Data: TEST FIXTURE votes" and "SIMULATED" not in spec["description"]
    reach = networks.reach_view(graph, "Fixtureland 01", 2, removed="Fixtureland 09")
    assert reach.extra["before"] == 8 and reach.extra["after"] == 3
    assert "(Data: TEST FIXTURE votes.)" in reach.note and "Simulated" not in reach.note


def test_internet_users_downloaded_with_world_and_region_aggregates():
    from dpdlab.strategy.analysis import below_region

    frame, _ = load("internet_use_share", "internet_users_wdi.csv")
    assert_real(frame, "fixture-internet")
    series = "TEST FIXTURE WDI-shaped series"
    in_2015 = frame[(frame["year"] == 2015) & (frame["series"] == series)].set_index("country")["internet_users_pct"]
    assert in_2015["World"] < 50 < in_2015["Latin America & Caribbean"]  # what module 01 compares
    assert below_region(frame, 2024, series=series) == []  # every place above the region, as the formulas say
    assert set(frame.loc[frame["country"] == "Latin America & Caribbean", "series"]) == {
        series, "TEST FIXTURE second estimate"}


def test_takedowns_disclosed_by_a_platform():
    from dpdlab.infoops.analysis import disclosed_accounts_by_country

    frame, notes = load("state_linked_takedowns", "takedowns.csv")
    assert_real(frame, "fixture-takedowns")
    assert any("column 'platform'" in n for n in notes) and any("column 'country'" in n for n in notes)
    assert disclosed_accounts_by_country(frame) == {"Fixtureland 01": 160, "Fixtureland 02": 75}  # 03: no count


def test_monthly_account_statistics_of_a_ministry():
    frame, notes = load("account_panel_simulated", "account_statistics_monthly.csv")
    assert not data.is_simulated(frame) and frame["simulated"].eq(False).all()
    assert data.provenance(frame) == "Data: account_statistics_monthly.csv"  # no source given: the file
    assert any("has no source" in n for n in notes)
    means = frame.groupby("kind")["posts"].mean()
    assert set(means.index) == {"foreign_ministry", "embassy", "presidency"} and means["presidency"] > 60
