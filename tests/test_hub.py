"""A whole term on the course's JupyterHub (deploy/), end to end, with the real components.

``deploy/dpdlab_hub.py install`` puts the hub into one temporary folder (deploy/trial.py): the course's
environment built from /usr/bin/python3, configurable-http-proxy from npm, the grader account and the
course directory, the exchange; ``add-cohort`` makes an instructor and four students as system users from
a roster. The hub and the proxy listen on 127.0.0.1 only. The term is driven through the hub's REST API and
nbgrader's server extensions: the instructor releases an assignment from the Formgrader (the grader
service), each student fetches it, answers (the reference solution, a kept partial submission, nothing, or
the reference with attacks on classmates and on the instructor's sources), submits; the instructor
collects, autogrades with ``dpdlab grade`` (as the grader account, not root: its sandbox is a user
namespace), the hub restarts, the instructor generates and releases feedback, the students fetch it.

Also: the resource attacks of tests/test_hostile.py graded by that non-root grader; who can read what;
per-user limits; the culler; the Formgrader in Chromium through the hub; a backup. Everything the test made
(users, folders, processes) is removed at the end, also on failure.

Needs root, /usr/bin/python3 (3.11+), node.js, the proxy (`.ci/run` installs it into build/hub-proxy;
``DPDLAB_HUB_PROXY`` points elsewhere) and bubblewrap with user namespaces. Skipped where one is missing,
except in CI, where that is a failure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import ROOT
from dpdlab import grading

sys.path.insert(0, str(ROOT / "deploy"))
import dpdlab_hub  # noqa: E402
from trial import COURSE_ID, TrialHub  # noqa: E402

import test_hostile as hostile  # noqa: E402  (the attack payloads)
from test_grading import EXPECTED_PARTIAL, edition_partial  # noqa: E402

A = "argentina_account_handover"
NB = f"{A}.ipynb"
FULL = hostile.FULL
STUDENTS = ["reference", "partial", "blank", "hostile"]
EXPECTED_SCORES = {"reference": FULL, "partial": EXPECTED_PARTIAL[A], "blank": 0.0, "hostile": FULL}
# the Spanish edition's own assignment, released, answered, graded and returned in the same term
A_ES = f"{A}_es"
EXPECTED_SPANISH_SCORES = {"reference": FULL, "partial": EXPECTED_PARTIAL[A]}
# the resource attacks of the hostile suite, graded again by the grader account (not root)
RESOURCE_KINDS = ["infinite_loop", "ignores_interrupt", "memory_bomb", "fork_bomb", "os_exit", "output_flood"]
PROXY = Path(os.environ.get("DPDLAB_HUB_PROXY",
                            ROOT / "build" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"))
ARTIFACTS = ROOT / "test-artifacts" / "hub"
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.hub


def missing() -> str:
    """Why the hub cannot be installed here ('' when it can)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root (system users, the hub's user switch)"
    if not Path("/usr/bin/python3").exists():
        return "needs /usr/bin/python3"
    version = subprocess.run(["/usr/bin/python3", "-c", "import sys; print(sys.version_info >= (3, 11))"],
                             capture_output=True, text=True).stdout.strip()
    if version != "True":
        return "needs /usr/bin/python3 3.11 or newer"
    for tool in ("useradd", "userdel", "node", "bwrap", "prlimit", "setpriv"):
        if shutil.which(tool) is None:
            return f"needs {tool}"
    if not PROXY.exists():
        return f"needs configurable-http-proxy at {PROXY} (.ci/run installs it; or set DPDLAB_HUB_PROXY)"
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "bwrap",
                            "--unshare-user", "--ro-bind", "/", "/", "true"], capture_output=True)
    if probe.returncode != 0:
        return "needs unprivileged user namespaces for the grader's sandbox"
    return ""


@pytest.fixture(scope="module")
def hub():
    reason = missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the hub test cannot run in CI: {reason}")
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="dpdlab-hub-", dir="/var/tmp"))
    trial = TrialHub(root, ROOT, proxy=PROXY, prefix=os.environ.get("DPDLAB_HUB_TEST_PREFIX"))
    try:
        trial.install()
        trial.add_cohort(students=[trial.user(s) for s in STUDENTS], instructors=[trial.user("instructor")])
        trial.start()
        yield trial
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if trial.log_path.exists():
            shutil.copy2(trial.log_path, ARTIFACTS / "hub.log")
        trial.remove()


def formgrader(hub: TrialHub, method: str, path: str, body=None):
    return hub.json(method, f"/services/{COURSE_ID}/formgrader/api{path}", body)


def assignments(hub: TrialHub, student: str, action: str = "", assignment: str = A):
    """nbgrader's Assignment List in ``student``'s server: the list, or fetch / submit / fetch_feedback."""
    if not action:
        return hub.json("GET", f"/user/{student}/assignments?course_id={COURSE_ID}")
    return hub.json("POST", f"/user/{student}/assignments/{action}", {"course_id": COURSE_ID, "assignment_id": assignment})


def contents(hub: TrialHub, student: str, path: str, token: str | None = None):
    return hub.request("GET", f"/user/{student}/api/contents/{quote(path)}?content=1", token=token)


def attack_cells(hub: TrialHub) -> str:
    """What the hostile student adds to an answer: read a classmate's home and submission, the instructor's
    sources and gradebook, and list the exchange's inbound folder. At grading time this runs in the sandbox."""
    s = hub.settings
    targets = {"classmate_home": str(s["paths"]["home"]) + f"/{hub.user('reference')}",
               "sources": str(s.course_dir / "source" / A / NB), "gradebook": str(s.course_dir / "gradebook.db"),
               "inbound": str(s.exchange / COURSE_ID / "inbound")}
    return ("import os\n_seen = {}\n"
            f"for _name, _path in {targets!r}.items():\n"
            "    try:\n"
            "        _seen[_name] = os.listdir(_path) if os.path.isdir(_path) else len(open(_path, 'rb').read())\n"
            "    except OSError as _e:\n        _seen[_name] = type(_e).__name__\n"
            "print('ATTACK-HUB', sorted(_seen.items()))")


def answers(hub: TrialHub, released: dict, source: dict) -> dict[str, dict]:
    good = grading.answered(released, source)
    partial = json.loads((ROOT / "tests" / "submissions" / "partial" / A / NB).read_text(encoding="utf-8"))
    return {"reference": good, "partial": partial, "blank": released,
            "hostile": hostile.with_code(good, "q1-answer", attack_cells(hub))}


@pytest.fixture(scope="module")
def term(hub):
    """The whole term, once; what each step gave, for the tests below."""
    users = [hub.user("instructor"), *[hub.user(s) for s in STUDENTS]]
    seen: dict = {"spawn_seconds": hub.spawn_all(users)}
    # the instructor releases the assignment from the Formgrader (the grader service)
    seen["assign"] = formgrader(hub, "POST", f"/assignment/{A}/assign")
    seen["release"] = formgrader(hub, "POST", f"/assignment/{A}/release")
    released = json.loads((hub.settings.course_dir / "release" / A / NB).read_text(encoding="utf-8"))
    source = json.loads((hub.settings.course_dir / "source" / A / NB).read_text(encoding="utf-8"))
    written = answers(hub, released, source)
    seen["listed"], seen["fetched"], seen["submitted"] = {}, {}, {}
    for kind in STUDENTS:
        student = hub.user(kind)
        seen["listed"][kind] = assignments(hub, student)
        seen["fetched"][kind] = assignments(hub, student, "fetch")
        path = f"{COURSE_ID}/{A}/{NB}"
        reply = hub.request("PUT", f"/user/{student}/api/contents/{path}",
                            {"type": "notebook", "format": "json", "content": written[kind]})
        assert reply.status in (200, 201), reply.body[:300]
        seen["submitted"][kind] = assignments(hub, student, "submit")
    seen["collect"] = formgrader(hub, "POST", f"/assignment/{A}/collect")
    # autograde with `dpdlab grade`, as the grader account (the instructors' shared account), sandboxed
    graded = hub.command("grade", "autograde", A, "--jobs", "2", capture_output=True, text=True, check=False)
    seen["grade"] = graded
    seen["report"] = json.loads((hub.settings.course_dir / "reports" / f"autograde-{A}.json").read_text())
    seen["scores_before_restart"] = gradebook_scores(hub)
    seen["inbound_before_restart"] = sorted(p.name for p in (hub.settings.exchange / COURSE_ID / "inbound").iterdir())
    # mid-term: the hub restarts (an upgrade, a new cohort); the students' servers keep running
    pids_before = {u: hub.json("GET", f"/hub/api/users/{u}")["servers"][""].get("state", {}) for u in users}
    hub.restart()
    seen["pids"] = (pids_before, {u: hub.json("GET", f"/hub/api/users/{u}")["servers"].get("", {}).get("state", {})
                                  for u in users})
    seen["scores_after_restart"] = gradebook_scores(hub)
    seen["inbound_after_restart"] = sorted(p.name for p in (hub.settings.exchange / COURSE_ID / "inbound").iterdir())
    seen["generate_feedback"] = formgrader(hub, "POST", f"/assignment/{A}/generate_feedback")
    seen["release_feedback"] = formgrader(hub, "POST", f"/assignment/{A}/release_feedback")
    seen["feedback"], seen["fetch_feedback"] = {}, {}
    for kind in STUDENTS:
        student = hub.user(kind)
        seen["fetch_feedback"][kind] = assignments(hub, student, "fetch_feedback")
        seen["feedback"][kind] = fetched_feedback(hub, student)
        if seen["feedback"][kind]:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / f"feedback-{kind}.html").write_text(seen["feedback"][kind], encoding="utf-8")
    seen["es"] = spanish_term(hub)
    return seen


def spanish_term(hub: TrialHub) -> dict:
    """The Spanish edition's assignment through the same steps: the instructor releases it, two students
    fetch it, answer (the reference; the kept partial as a Spanish student writes it) and submit; the
    instructor collects, grades with ``dpdlab grade`` and returns feedback, which the students fetch."""
    seen: dict = {"assign": formgrader(hub, "POST", f"/assignment/{A_ES}/assign"),
                  "release": formgrader(hub, "POST", f"/assignment/{A_ES}/release")}
    released_path = hub.settings.course_dir / "release" / A_ES / NB
    released = json.loads(released_path.read_text(encoding="utf-8"))
    source = json.loads((hub.settings.course_dir / "source" / A_ES / NB).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        partial = edition_partial(ROOT / "tests" / "submissions" / "partial" / A / NB, released_path, Path(tmp) / NB)
        written = {"reference": grading.answered(released, source), "partial": json.loads(partial.read_text())}
    seen["released"], seen["fetched"], seen["submitted"] = released, {}, {}
    for kind, notebook in written.items():
        student = hub.user(kind)
        seen["fetched"][kind] = assignments(hub, student, "fetch", A_ES)
        reply = hub.request("PUT", f"/user/{student}/api/contents/{COURSE_ID}/{A_ES}/{NB}",
                            {"type": "notebook", "format": "json", "content": notebook})
        assert reply.status in (200, 201), reply.body[:300]
        seen["submitted"][kind] = assignments(hub, student, "submit", A_ES)
    seen["collect"] = formgrader(hub, "POST", f"/assignment/{A_ES}/collect")
    seen["grade"] = hub.command("grade", "autograde", A_ES, "--jobs", "2", capture_output=True, text=True, check=False)
    seen["report"] = json.loads((hub.settings.course_dir / "reports" / f"autograde-{A_ES}.json").read_text())
    seen["generate_feedback"] = formgrader(hub, "POST", f"/assignment/{A_ES}/generate_feedback")
    seen["release_feedback"] = formgrader(hub, "POST", f"/assignment/{A_ES}/release_feedback")
    seen["feedback"] = {}
    for kind in written:
        assignments(hub, hub.user(kind), "fetch_feedback", A_ES)
        seen["feedback"][kind] = fetched_feedback(hub, hub.user(kind), A_ES)
    return seen


def fetched_feedback(hub: TrialHub, student: str, assignment: str = A) -> str | None:
    """The feedback page ``student`` fetched into their home (None: none there)."""
    reply = contents(hub, student, f"{COURSE_ID}/{assignment}/feedback")
    if reply.status != 200:
        return None
    folders = [item["path"] for item in json.loads(reply.body)["content"] if item["type"] == "directory"]
    if not folders:
        return None
    page = contents(hub, student, f"{folders[0]}/{Path(NB).stem}.html")  # named after the notebook
    return json.loads(page.body)["content"] if page.status == 200 else None


def gradebook_scores(hub: TrialHub) -> dict[str, float]:
    with sqlite3.connect(f"file:{hub.settings.course_dir / 'gradebook.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT student.id, SUM(grade.auto_score) FROM grade "
                          "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
                          "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
                          "JOIN student ON submitted_assignment.student_id = student.id GROUP BY student.id").fetchall()
    return {student: float(score or 0) for student, score in rows}


# -- the term -----------------------------------------------------------------------------------------------
def test_students_see_fetch_and_submit_the_released_assignment(hub, term):
    def statuses(reply: dict) -> list[str]:
        assert reply["success"], reply
        return [a["status"] for a in reply["value"] if a["course_id"] == COURSE_ID and a["assignment_id"] == A]

    for kind in STUDENTS:
        assert statuses(term["listed"][kind]) == ["released"], (kind, term["listed"][kind])
        assert statuses(term["fetched"][kind]) == ["fetched"], (kind, term["fetched"][kind])
        assert "submitted" in statuses(term["submitted"][kind]), (kind, term["submitted"][kind])


def test_collect_brings_every_submission_to_the_course_directory(hub, term):
    assert term["collect"]["success"], term["collect"]
    for kind in STUDENTS:
        assert (hub.settings.course_dir / "submitted" / hub.user(kind) / A / NB).is_file()


def test_dpdlab_grade_autogrades_each_student_right(hub, term):
    assert term["grade"].returncode == 0, term["grade"].stdout[-3000:] + term["grade"].stderr[-3000:]
    results = {r["student"]: r for r in term["report"]["results"]}
    for kind, expected in EXPECTED_SCORES.items():
        result = results[hub.user(kind)]
        assert result["status"] == "graded", result
        assert result["score"] == expected, (kind, result)


def test_the_grader_is_not_root_and_its_sandbox_is_a_user_namespace(hub, term):
    import pwd

    settings = hub.settings
    grader = pwd.getpwnam(settings.grader)
    assert {p.owner() for p in (settings.course_dir / "autograded").rglob("*")} == {settings.grader}
    # a process in the grader's sandbox, as `dpdlab grade` starts the kernel: who it is, its cap, what it sees,
    # and whose a file it writes is outside
    scratch = settings.grader_home / "sandbox-probe"
    scratch.mkdir(exist_ok=True)
    os.chown(scratch, grader.pw_uid, grader.pw_gid)
    probe = ("import json, os, resource\n"
             "open(os.path.join(os.environ['SCRATCH'], 'made-inside'), 'w').close()\n"
             "print(json.dumps([os.getuid(), resource.getrlimit(resource.RLIMIT_NPROC)[0],"
             " open('/proc/self/uid_map').read().split(), os.path.exists(os.environ['COURSE'])]))")
    code = ("import subprocess, sys\nfrom pathlib import Path\n"
            "from dpdlab.grading.sandbox import SandboxedKernelManager\n"
            "manager = SandboxedKernelManager()\n"
            "command = manager.process_command(writable=[Path(sys.argv[2])], cwd=None, uid=manager.uid,\n"
            "                                  env={'COURSE': sys.argv[1], 'SCRATCH': sys.argv[2]})\n"
            "sys.exit(subprocess.run([*command, sys.executable, '-c', sys.argv[3]]).returncode)")
    result = dpdlab_hub.as_user(settings.grader, [settings.env / "bin" / "python", "-c", code,
                                                  str(settings.course_dir), str(scratch), probe],
                                settings.grader_environment(), cwd=settings.course_dir, capture_output=True,
                                text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    uid, nproc, uid_map, sees_course = json.loads(result.stdout)
    assert uid == 64100 and nproc == 96
    assert len(uid_map) == 3 and uid_map[0] == "64100" and uid_map[2] == "1"  # one id inside, no root
    assert (scratch / "made-inside").owner() == settings.grader  # outside, the grader's own id
    assert sees_course is False


def test_the_hostile_student_reads_nothing_of_others_at_grading(hub, term):
    graded = json.loads((hub.settings.course_dir / "autograded" / hub.user("hostile") / A / NB).read_text())
    cell = graded["cells"][hostile.cell_index(graded, "q1-answer")]
    text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
    assert "ATTACK-HUB" in text, text
    for name in ("classmate_home", "gradebook", "inbound", "sources"):
        assert f"('{name}', 'FileNotFoundError')" in text or f"('{name}', 'PermissionError')" in text, text


def test_gradebook_and_submissions_survive_a_hub_restart(hub, term):
    assert term["scores_before_restart"] == term["scores_after_restart"]
    assert {hub.user(k) for k in STUDENTS} <= set(term["scores_after_restart"])
    assert term["inbound_before_restart"] == term["inbound_after_restart"]
    assert len(term["inbound_after_restart"]) == len(STUDENTS)
    before, after = term["pids"]
    assert before == after and all(state.get("pid") for state in after.values()), term["pids"]


def test_students_fetch_their_own_feedback_without_hidden_tests(hub, term):
    assert term["generate_feedback"]["success"] and term["release_feedback"]["success"], (
        term["generate_feedback"], term["release_feedback"])
    for kind in STUDENTS:
        page = term["feedback"][kind]
        assert page, (kind, term["fetch_feedback"][kind])
        # nbgrader's summary lists each test cell with its score: they add up to the student's own
        tests = re.findall(r"Test cell</a> \(Score: ([\d.]+) / [\d.]+\)", page)
        assert tests and sum(map(float, tests)) == EXPECTED_SCORES[kind], (kind, tests)
        assert "BEGIN HIDDEN TESTS" not in page and hostile.HIDDEN_LINE not in page


def test_the_spanish_edition_is_released_graded_and_returned_like_the_english(hub, term):
    es = term["es"]
    assert es["assign"]["success"] and es["release"]["success"], (es["assign"], es["release"])
    assert "ESCRIBA SU CÓDIGO AQUÍ" in json.dumps(es["released"], ensure_ascii=False)
    assert all(reply["success"] for reply in [*es["fetched"].values(), *es["submitted"].values()]), es["submitted"]
    assert es["collect"]["success"], es["collect"]
    assert es["grade"].returncode == 0, es["grade"].stdout[-3000:] + es["grade"].stderr[-3000:]
    results = {r["student"]: r for r in es["report"]["results"]}
    for kind, expected in EXPECTED_SPANISH_SCORES.items():
        assert results[hub.user(kind)]["status"] == "graded", results[hub.user(kind)]
        assert results[hub.user(kind)]["score"] == expected, (kind, results[hub.user(kind)])
    assert es["generate_feedback"]["success"] and es["release_feedback"]["success"]
    for kind, expected in EXPECTED_SPANISH_SCORES.items():
        page = es["feedback"][kind]
        # the student's own notebook comes back, in Spanish
        assert page and "Objetivos de aprendizaje" in page and "Learning objectives" not in page, kind
        tests = re.findall(r"Test cell</a> \(Score: ([\d.]+) / [\d.]+\)", page)
        assert tests and sum(map(float, tests)) == expected, (kind, tests)
        assert "BEGIN HIDDEN TESTS" not in page


# -- who can read what ---------------------------------------------------------------------------------------
def test_homes_are_private_and_the_course_directory_is_the_graders(hub, term):
    settings = hub.settings
    for kind in [*STUDENTS, "instructor"]:
        home = Path(settings["paths"]["home"]) / hub.user(kind)
        assert home.stat().st_mode & 0o777 == 0o700, home
    assert settings.course_dir.stat().st_mode & 0o777 == 0o700
    assert settings.course_dir.owner() == settings.grader


def test_a_student_cannot_reach_a_classmates_server_or_the_formgrader(hub, term):
    token = hub.user_token(hub.user("hostile"))
    assert hub.request("GET", f"/user/{hub.user('hostile')}/api/contents", token=token).status == 200
    assert contents(hub, hub.user("reference"), f"{COURSE_ID}/{A}/{NB}", token=token).status == 403
    assert hub.request("GET", f"/services/{COURSE_ID}/formgrader/api/assignments", token=token).status == 403


def test_a_students_own_kernel_cannot_read_classmates_sources_or_the_inbound(hub, term):
    inbound = hub.settings.exchange / COURSE_ID / "inbound"
    victim = next(p for p in inbound.iterdir() if p.name.startswith(hub.user("reference") + "+"))
    cells = [attack_cells(hub), f"print(sorted(__import__('os').listdir({str(victim)!r})))"]
    results = hub.run_cells(hub.user("hostile"), cells)
    text = results[0]["stdout"]
    for name in ("classmate_home", "gradebook", "inbound", "sources"):
        assert f"('{name}', 'PermissionError')" in text, text
    # a submission folder is open to whoever knows its name (nbgrader's own modes): the name carries a random
    # part that no student can list
    assert len(victim.name.rsplit("+", 1)[-1]) == 12
    assert "timestamp.txt" in results[1]["stdout"]


def test_the_course_is_installed_for_every_user_with_its_data(hub, term):
    cells = ["import os, dpdlab\nprint(os.environ['DPDLAB_DATA'], len(dpdlab.load_dataset('argentina_accounts')))"]
    result = hub.run_cells(hub.user("blank"), cells)[0]
    assert result["status"] == "ok", result
    data, rows = result["stdout"].split()
    assert data == str(hub.settings.course_copy / "data") and int(rows) > 0


def test_each_server_runs_with_the_per_user_limits(hub, term):
    state = hub.json("GET", f"/hub/api/users/{hub.user('blank')}")["servers"][""]["state"]
    limits = Path(f"/proc/{state['pid']}/limits").read_text()
    line = next(l for l in limits.splitlines() if l.startswith("Max processes"))
    assert line.split()[2] == str(hub.settings["limits"]["max_processes"])
    assert Path(f"/proc/{state['pid']}").owner() == hub.user("blank")


def test_the_idle_culler_runs_as_a_hub_service(hub, term):
    services = hub.json("GET", "/hub/api/services")
    assert services["idle-culler"]["pid"] and services[COURSE_ID]["pid"]
    command = Path(f"/proc/{services['idle-culler']['pid']}/cmdline").read_bytes().split(b"\0")
    culler = hub.settings["culler"]
    assert f"--timeout={culler['timeout']}".encode() in command and b"jupyterhub_idle_culler" in command


def test_nothing_is_written_to_the_systems_jupyter_folders(hub, term):
    etc = hub.settings.env / "etc" / "jupyter" / "nbgrader_config.py"
    assert f"course_id = {COURSE_ID!r}" in etc.read_text()
    for folder in (Path("/etc/jupyter"), Path("/usr/local/etc/jupyter")):
        assert not folder.exists() or not any(hub.root.as_posix() in p.read_text(errors="replace")
                                              for p in folder.rglob("*") if p.is_file())


def test_a_backup_holds_the_gradebook_the_submissions_and_the_exchange(hub, term, tmp_path):
    hub.command("backup", str(tmp_path), stdout=subprocess.DEVNULL)
    archive = next(tmp_path.glob("dpdlab-hub-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extract("databases/gradebook.db", tmp_path, filter="data")
    assert any(n.startswith(f"course/submitted/{hub.user('partial')}/{A}") for n in names)
    assert any(n.startswith(f"exchange/{COURSE_ID}/inbound/{hub.user('partial')}+") for n in names)
    with sqlite3.connect(tmp_path / "databases" / "gradebook.db") as db:
        assert db.execute("SELECT count(*) FROM submitted_assignment").fetchone()[0] >= len(STUDENTS)


# -- the hostile suite's resource attacks, graded by the grader account (not root) ---------------------------
def test_resource_attacks_are_contained_without_root(hub, term):
    settings = hub.settings
    released = json.loads((settings.course_dir / "release" / A / NB).read_text(encoding="utf-8"))
    source = json.loads((settings.course_dir / "source" / A / NB).read_text(encoding="utf-8"))
    good = grading.answered(released, source)
    payloads = {"infinite_loop": ("q1-answer", "while True:\n    pass", True),
                "ignores_interrupt": ("q1-answer", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                                   "while True:\n    pass", True),
                "memory_bomb": ("q1-answer", hostile.MEMORY_BOMB, True),
                "fork_bomb": ("q5-answer", hostile.FORK_BOMB, False),
                "os_exit": ("q3-answer", "import os\nos._exit(1)", True),
                # 12 MB, over the 1 MB cap (the hostile suite's 100 MB takes longer than a cell may on a busy
                # machine; what it tests, the cap, is the same)
                "output_flood": ("q1-answer", "for _ in range(12):\n    print('x' * (2**20 - 1))", False)}
    import pwd

    grader = pwd.getpwnam(settings.grader).pw_uid
    for kind in RESOURCE_KINDS:
        grade_id, code, before = payloads[kind]
        folder = settings.course_dir / "submitted" / kind / A
        folder.mkdir(parents=True)
        (folder / NB).write_bytes(hostile.dumps(hostile.with_code(good, grade_id, code, before=before)))
        (folder / "timestamp.txt").write_text("2026-03-01 10:00:00.000000 UTC")
        for path in (folder.parent, folder, folder / NB, folder / "timestamp.txt"):
            os.chown(path, grader, grader)
    students = [arg for kind in RESOURCE_KINDS for arg in ("--student", kind)]
    # a safety net for the machine, far above the sandbox's own cap (96): the grader's processes outside
    command = ["prlimit", "--nproc=1000", "--", "/usr/bin/python3", str(ROOT / "deploy" / "dpdlab_hub.py"),
               "--settings", str(settings.path), "grade", "autograde", A, "--jobs", "2",
               "--timeout", str(hostile.TIMEOUT), "--budget", str(hostile.BUDGET), *students]
    graded = subprocess.run(command, capture_output=True, text=True)
    assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
    report = {r["student"]: r for r in json.loads((settings.course_dir / "reports" / f"autograde-{A}.json").read_text())["results"]}
    for kind in RESOURCE_KINDS:
        status, score, words = hostile.EXPECTED[kind]
        result = report[kind]
        text = " | ".join(result["messages"])
        assert result["status"] == status and words in text, (kind, result)
        assert result["score"] == score, (kind, result)
    bombed = json.loads((settings.course_dir / "autograded" / "fork_bomb" / A / NB).read_text())
    cell = bombed["cells"][hostile.cell_index(bombed, "q5-answer")]
    assert "FORK-BOMB: capped" in "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
    flooded = settings.course_dir / "autograded" / "output_flood" / A / NB
    assert flooded.stat().st_size < 5 * 2**20


# -- the Formgrader in a real browser, through the hub --------------------------------------------------------
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (.ci/run installs it)")
def test_the_instructor_signs_in_and_opens_the_formgrader(hub, term):
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM_FLAGS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()

            def only_loopback(route):
                host = route.request.url.split("/")[2].split(":")[0]
                if host in ("127.0.0.1", "localhost"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_loopback)
            page.goto(f"{hub.url}/hub/login", timeout=60_000)
            page.fill("#username_input", hub.user("instructor"))
            page.fill("#password_input", hub.password)
            page.click("#login_submit")
            page.wait_for_url("**/user/**", timeout=90_000)
            page.goto(f"{hub.url}/services/{COURSE_ID}/formgrader", timeout=90_000)
            page.wait_for_selector(f"text={A}", timeout=90_000)
            page.screenshot(path=str(ARTIFACTS / "formgrader.png"), full_page=True)
            assert page.url.startswith(f"{hub.url}/services/{COURSE_ID}/formgrader")
            assert "Manage Assignments" in page.content()
            # a student signed in is turned away from the Formgrader
            student = browser.new_page()
            student.goto(f"{hub.url}/hub/login", timeout=60_000)
            student.fill("#username_input", hub.user("blank"))
            student.fill("#password_input", hub.password)
            student.click("#login_submit")
            student.wait_for_url("**/user/**", timeout=90_000)
            reply = student.goto(f"{hub.url}/services/{COURSE_ID}/formgrader", timeout=90_000)
            assert reply.status == 403 or A not in student.content()
        finally:
            browser.close()
    assert outside == []
