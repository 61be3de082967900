"""The one-server deployment's command (deploy/dpdlab_hub.py) and the hub benchmark's arithmetic, without a
hub: rosters, the upgrade's course sync, the proxy version for a node.js, memory readings. The hub itself
runs in tests/test_hub.py."""
from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "deploy"))
import dpdlab_hub  # noqa: E402


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_roster_gives_users_and_roles(tmp_path):
    roster = write(tmp_path / "r.csv", "\ufeffstudent_id,role,first_name,last_name,email\n"
                                       "mgarcia,instructor,María,García,m@x\njperez,,Juan,Pérez,\n")
    members = dpdlab_hub.read_roster(roster)
    assert [(m.username, m.role) for m in members] == [("mgarcia", "instructor"), ("jperez", "student")]
    assert members[0].first_name == "María"


@pytest.mark.parametrize("row, words", [("Juan Pérez,student", "not a usable user name"),
                                        ("root;rm,student", "not a usable user name"),
                                        ("-x,student", "not a usable user name"),
                                        ("jperez,teacher", "neither 'student' nor 'instructor'")])
def test_a_bad_roster_row_is_refused_with_its_row_number(tmp_path, row, words):
    roster = write(tmp_path / "r.csv", f"student_id,role\nok_user,student\n{row}\n")
    with pytest.raises(ValueError, match=words) as error:
        dpdlab_hub.read_roster(roster)
    assert "row 3" in str(error.value)


def test_the_rosters_on_the_hub_keep_an_instructor_an_instructor(tmp_path):
    settings = dpdlab_hub.Settings(tmp_path / "settings.toml", {"paths": {"state": str(tmp_path)}})
    write(tmp_path / "cohorts" / "a.csv", "student_id,role\nana,instructor\nbea,student\n")
    write(tmp_path / "cohorts" / "b.csv", "student_id,role\nana,student\ncid,student\n")
    roles = {m.username: m.role for m in dpdlab_hub.all_members(settings)}
    assert roles == {"ana": "instructor", "bea": "student", "cid": "student"}


def test_upgrade_keeps_released_sources_and_never_touches_the_terms_work(tmp_path):
    new = tmp_path / "checkout" / "grading"
    for name in ("a1", "a2", "a3"):
        write(new / "source" / name / f"{name}.ipynb", f"new {name}")
    write(new / "nbgrader_config.py", "new config")
    write(new / "rubrics" / "a1.md", "new rubric")
    course = tmp_path / "course"
    write(course / "source" / "a1" / "a1.ipynb", "old a1")   # released: in release/
    write(course / "release" / "a1" / "a1.ipynb", "released a1")
    write(course / "source" / "a2" / "a2.ipynb", "old a2")   # in the gradebook
    write(course / "source" / "a3" / "a3.ipynb", "old a3")   # neither
    write(course / "submitted" / "s" / "a1" / "a1.ipynb", "work")
    with sqlite3.connect(course / "gradebook.db") as db:
        db.execute("CREATE TABLE assignment (name TEXT)")
        db.execute("INSERT INTO assignment VALUES ('a2')")
    done = dpdlab_hub.sync_course(new, course, replace_sources=False)
    assert (course / "source" / "a1" / "a1.ipynb").read_text() == "old a1"
    assert (course / "source" / "a2" / "a2.ipynb").read_text() == "old a2"
    assert (course / "source" / "a3" / "a3.ipynb").read_text() == "new a3"
    assert (course / "nbgrader_config.py").read_text() == "new config"
    assert (course / "rubrics" / "a1.md").read_text() == "new rubric"
    assert (course / "submitted" / "s" / "a1" / "a1.ipynb").read_text() == "work"
    assert (course / "release" / "a1" / "a1.ipynb").read_text() == "released a1"
    assert sum("kept the source" in line for line in done) == 2
    dpdlab_hub.sync_course(new, course, replace_sources=True)
    assert (course / "source" / "a1" / "a1.ipynb").read_text() == "new a1"


def test_the_proxy_version_suits_the_nodejs_found():
    assert dpdlab_hub.proxy_version(20) == "5.3.0" and dpdlab_hub.proxy_version(22) == "5.3.0"
    assert dpdlab_hub.proxy_version(18) == "4.6.3"  # Debian 12's node.js
    with pytest.raises(SystemExit):
        dpdlab_hub.proxy_version(8)


def test_the_default_settings_keep_the_course_apart_from_the_system(tmp_path):
    settings = dpdlab_hub.Settings.read(ROOT / "deploy" / "settings.toml")
    env = settings.course_environment()
    assert env["DPDLAB_DATA"] == "/opt/dpdlab/course/data" and env["PATH"].startswith("/opt/dpdlab/env/bin")
    grader = settings.grader_environment()
    assert grader["DPDLAB_COURSE"] == str(settings.course_dir) and grader["JUPYTER_CONFIG_DIR"].startswith("/opt/dpdlab/")
    assert settings.instructors_group == f"formgrade-{settings.course_id}"


def test_jupyter_settings_merge_without_losing_others(tmp_path):
    path = write(tmp_path / "jupyter_server_config.json", '{"ServerApp": {"jpserver_extensions": {"x": true}, "ip": "a"}}')
    dpdlab_hub._merge_json(path, {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}})
    import json

    data = json.loads(path.read_text())
    assert data["ServerApp"] == {"jpserver_extensions": {"x": True, "nbgrader.server_extensions.formgrader": False},
                                 "ip": "a"}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_hub", ROOT / "bench" / "hub.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_reads_rss_and_pss(bench):
    rss, pss = bench.memory_of([os.getpid()])
    assert rss >= pss > 10 * 2**20
    assert bench.memory_of([2**31 - 1]) == (0, 0)  # a process that is gone counts nothing


def test_students_per_server_is_what_is_left_over_one_students_pss(bench):
    assert bench.students_per_server(300 * 2**20, 2 * 2**30, 24 * 2**30) == 75
    assert bench.students_per_server(0, 0) == 0


def test_the_hubs_copy_holds_every_local_package_the_requirements_install(tmp_path):
    # requirements.txt installs folders of the checkout (`-e .`, the Jupyter configuration): the hub's
    # environment is built from its copy of the course, so each must be in it
    local = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        requirement = line.split("#")[0].strip().removeprefix("-e").strip()
        if requirement.startswith("."):
            local.append(requirement)
    assert local, "requirements.txt installs no local folder"
    dpdlab_hub.copy_checkout(ROOT, tmp_path)
    for requirement in local:
        assert (tmp_path / requirement / "pyproject.toml").is_file(), requirement
