"""The Zero to JupyterHub values (deploy/z2jh/) say what the one-server hub (deploy/) says.

Kubernetes and helm cannot run here, so the values file is checked against the one-server configuration
instead: the course id (grading/nbgrader_config.py, deploy/settings.toml, the grader service, the
instructors' role and group), the exchange path, the culler, the sign-in, and the image's contents (the
course's pinned runtime, the same prefix, DPDLAB_DATA, nbgrader's settings written by the same command).
"""
from __future__ import annotations

import re
import sys

import pytest
import yaml

from conftest import ROOT
from dpdlab.grading import course_id

sys.path.insert(0, str(ROOT / "deploy"))
import dpdlab_hub  # noqa: E402

Z2JH = ROOT / "deploy" / "z2jh"
CHART = "4.3.3"


@pytest.fixture(scope="module")
def settings():
    return dpdlab_hub.Settings.read(ROOT / "deploy" / "settings.toml")


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((Z2JH / "values.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def grader():
    documents = list(yaml.safe_load_all((Z2JH / "grader.yaml").read_text(encoding="utf-8")))
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return container, {e["name"]: e.get("value") for e in container["env"]}


@pytest.fixture(scope="module")
def dockerfile():
    return (Z2JH / "Dockerfile").read_text(encoding="utf-8")


def test_the_chart_version_is_stated_where_an_administrator_looks(values):
    for text in ((Z2JH / "values.yaml").read_text(), (Z2JH / "README.md").read_text(),
                 (ROOT / "deploy" / "README.md").read_text()):
        assert f"4.3.3" in text or "z2jh/" in text
    assert f"--version {CHART}" in (Z2JH / "values.yaml").read_text()
    hub_major = re.search(r"jupyterhub==(\d+)\.", (Z2JH / "requirements-image.txt").read_text()).group(1)
    assert hub_major == "5"  # chart 4.x runs JupyterHub 5: the image's jupyterhub-singleuser matches it


def test_one_course_id_everywhere(settings, values, grader):
    course = course_id(ROOT / "grading")
    assert settings.course_id == course
    assert list(values["hub"]["services"]) == [course]
    role = dpdlab_hub.instructors_role(settings)
    assert values["hub"]["loadRoles"][role["name"]] == {"groups": role["groups"], "scopes": role["scopes"]}
    assert list(values["hub"]["config"]["JupyterHub"]["load_groups"]) == [settings.instructors_group]
    _, env = grader
    assert env["JUPYTERHUB_SERVICE_NAME"] == course and env["JUPYTERHUB_CLIENT_ID"] == f"service-{course}"
    assert env["JUPYTERHUB_SERVICE_PREFIX"] == f"/services/{course}/"
    assert values["hub"]["services"][course]["url"].endswith(":9999")
    assert settings["hub"]["grader_port"] == 9999


def test_the_exchange_is_mounted_at_the_one_server_path(settings, values, grader, dockerfile):
    exchange = str(settings.exchange)
    mounts = values["singleuser"]["storage"]["extraVolumeMounts"]
    volumes = {v["name"]: v for v in values["singleuser"]["storage"]["extraVolumes"]}
    mount = next(m for m in mounts if m["mountPath"] == exchange)
    assert volumes[mount["name"]]["persistentVolumeClaim"]["claimName"] == "nbgrader-exchange"
    claims = list(yaml.safe_load_all((Z2JH / "exchange-pvc.yaml").read_text()))
    assert next(c for c in claims if c["metadata"]["name"] == "nbgrader-exchange")["spec"]["accessModes"] == ["ReadWriteMany"]
    assert values["singleuser"]["extraEnv"]["DPDLAB_EXCHANGE"] == exchange
    container, env = grader
    assert env["DPDLAB_EXCHANGE"] == exchange
    assert exchange in {m["mountPath"] for m in container["volumeMounts"]}
    assert f"DPDLAB_EXCHANGE={exchange}" in dockerfile
    assert env["DPDLAB_COURSE"] == str(settings.course_dir)


def test_the_culler_is_the_one_servers(settings, values):
    cull = values["cull"]
    assert cull["enabled"] is True
    arguments = dpdlab_hub.culler_arguments(settings)
    assert arguments == [f"--timeout={cull['timeout']}", f"--cull-every={cull['every']}", f"--max-age={cull['maxAge']}"]


def test_sign_in_is_the_documented_lti13_authenticator(values):
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == dpdlab_hub.LTI13_AUTHENTICATOR
    keys = set(dpdlab_hub.Settings.read(ROOT / "deploy" / "settings.toml")["lti13"])
    assert set(config["LTI13Authenticator"]) == keys


def test_the_image_holds_what_one_server_installs(settings, values, dockerfile):
    # the same prefix, course copy and data as deploy/dpdlab_hub.py install
    assert str(settings.prefix) == "/opt/dpdlab"
    data = settings.course_environment()["DPDLAB_DATA"]
    assert f"DPDLAB_DATA={data}" in dockerfile and values["singleuser"]["extraEnv"]["DPDLAB_DATA"] == data
    copied = set(re.findall(r"^COPY (\S+) /opt/dpdlab/course/\1$", dockerfile, re.M))
    copied |= set(re.search(r"^COPY ((?:\S+ )+)/opt/dpdlab/course/$", dockerfile, re.M).group(1).split())
    assert copied == set(dpdlab_hub.COPIED)
    # the course's pinned runtime, as build_environment installs it, and nbgrader's settings by the same command
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert f"python3 -m venv {settings.env}" in dockerfile
    assert "dpdlab_hub.py --settings deploy/settings.toml configure-environment" in dockerfile
    for tool in ("bubblewrap", "util-linux"):
        assert tool in dockerfile and tool in dpdlab_hub.DEBIAN_PACKAGES


def test_profiles_for_students_and_instructors(values):
    slugs = [p["slug"] for p in values["singleuser"]["profileList"]]
    assert slugs == ["student", "instructor"]
    assert values["singleuser"]["profileList"][0].get("default") is True
