"""How many students one server holds: the course's JupyterHub (deploy/) with 1, 10 and 30 simulated students.

For each class size N, on one throwaway installation (deploy/trial.py: real hub, proxy, system users):

1. the N students sign in at once (``POST /hub/login``, which starts each one's server as the hub's spawn
   page does);
2. each opens a kernel and runs a case notebook (its student version, answered with the reference
   solution), cell by cell, through the server's websocket, as JupyterLab does;
3. then the memory of each student's processes (single-user server + kernel) is read from
   ``/proc/<pid>/smaps_rollup``: **RSS** (resident, shared pages counted in full) and **PSS** (shared pages
   split among the processes that share them: what a server full of students really pays).

Reported per N: login-to-running-notebook time (sign-in until the notebook's first cell has run; median and
slowest), the whole notebook's run time, RSS and PSS per student (mean), the hub's own processes (hub, proxy,
grader service, culler), and how many students fit in 24 GiB: (24 GiB - the hub's own PSS) / PSS per student.
Results go to bench/results/hub.json. Needs root (system users), like tests/test_hub.py.

    .venv/bin/python bench/hub.py --students 1 10        # the 30-student run loads a 2-core machine for minutes
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
from trial import COURSE_ID, TrialHub, processes_of  # noqa: E402

GIB = 2**30
SERVER_GIB = 24
PROXY = Path(os.environ.get("DPDLAB_HUB_PROXY",
                            ROOT / "build" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"))


def memory_of(pids: list[int]) -> tuple[int, int]:
    """``(RSS, PSS)`` in bytes summed over ``pids`` (processes that are gone count 0)."""
    rss = pss = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name in ("Rss", "Pss"):
                kilobytes = int(value.split()[0]) * 1024
                rss, pss = (rss + kilobytes, pss) if name == "Rss" else (rss, pss + kilobytes)
    return rss, pss


def students_per_server(student_pss: float, hub_pss: float, server_bytes: int = SERVER_GIB * GIB) -> int:
    """How many students fit: what is left of the server's memory after the hub's own processes, divided by
    one student's PSS."""
    return int((server_bytes - hub_pss) // student_pss) if student_pss > 0 else 0


def notebook_cells(case: str) -> list[str]:
    """The code cells of the case's student notebook, answered with the reference solution."""
    from dpdlab import grading

    released = json.loads((ROOT / "cases" / f"{case}.ipynb").read_text(encoding="utf-8"))
    source = json.loads((ROOT / "grading" / "source" / case / f"{case}.ipynb").read_text(encoding="utf-8"))
    answered = grading.answered(released, source)
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in answered["cells"] if c["cell_type"] == "code"]


def sign_in(hub: TrialHub, username: str) -> None:
    """The hub's login form, as a browser sends it (the _xsrf cookie and field); its redirects start the
    server."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{hub.url}/hub/login", timeout=120).read()
    xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
    form = urllib.parse.urlencode({"username": username, "password": hub.password, "_xsrf": xsrf}).encode()
    opener.open(f"{hub.url}/hub/login?next=%2Fhub%2Fspawn", data=form, timeout=300).read()


def one_student(hub: TrialHub, username: str, cells: list[str], out: dict) -> None:
    began = time.monotonic()
    try:
        sign_in(hub, username)
        hub.wait_ready(username, timeout=600)
        kernel = hub.start_kernel(username)
        first = hub.run_cells(username, cells[:1], timeout=600, kernel=kernel)
        out["login_to_notebook_s"] = time.monotonic() - began
        rest = hub.run_cells(username, cells[1:], timeout=900, kernel=kernel)
        out["notebook_s"] = time.monotonic() - began - out["login_to_notebook_s"]
        out["errors"] = [r["error"] for r in first + rest if r["status"] != "ok"]
    except Exception as error:  # reported, not raised: the other students go on
        out["failed"] = f"{type(error).__name__}: {error}"


def measure(hub: TrialHub, count: int, cells: list[str], cohort: str) -> dict:
    """Sign ``count`` new students in at once, run the notebook in each, measure; stop their servers."""
    import pwd

    students = [hub.user(f"{cohort}{i:02d}") for i in range(count)]
    hub.add_cohort(students=students, instructors=[], name=cohort)
    hub.restart()
    results = {s: {} for s in students}
    threads = [threading.Thread(target=one_student, args=(hub, s, cells, results[s])) for s in students]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    time.sleep(2)  # let the kernels settle after their last cell
    per_student, kernels = [], []
    for student in [s for s in students if "failed" not in results[s]]:  # the students whose notebook ran
        pids = processes_of({pwd.getpwnam(student).pw_uid})
        per_student.append(memory_of(pids))
        kernels.append(memory_of([pid for pid in pids if b"ipykernel" in _cmdline(pid)]))
    hub_rss, hub_pss = memory_of(hub_side_pids(hub))
    done = [r for r in results.values() if "failed" not in r]
    row = {
        "students": count, "signed_in_and_ran": len(done), "wall_s": round(wall, 1),
        "login_to_notebook_median_s": round(statistics.median(r["login_to_notebook_s"] for r in done), 1) if done else None,
        "login_to_notebook_max_s": round(max(r["login_to_notebook_s"] for r in done), 1) if done else None,
        "notebook_median_s": round(statistics.median(r["notebook_s"] for r in done), 1) if done else None,
        # memory: the mean over the students whose notebook ran
        "rss_mb_per_student": round(statistics.mean(r for r, _ in per_student) / 2**20, 1),
        "pss_mb_per_student": round(statistics.mean(p for _, p in per_student) / 2**20, 1),
        "kernel_rss_mb": round(statistics.mean(r for r, _ in kernels) / 2**20, 1),
        "kernel_pss_mb": round(statistics.mean(p for _, p in kernels) / 2**20, 1),
        "hub_rss_mb": round(hub_rss / 2**20, 1), "hub_pss_mb": round(hub_pss / 2**20, 1),
        "cell_errors": sorted({e for r in done for e in r.get("errors", [])})[:5],
        "failures": [r["failed"] for r in results.values() if "failed" in r][:5],
    }
    row["students_per_24_gib"] = students_per_server(statistics.mean(p for _, p in per_student), hub_pss) if per_student else 0
    for student in students:
        hub.api("DELETE", f"/users/{student}/server")
    time.sleep(3)
    return row


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def hub_side_pids(hub: TrialHub) -> list[int]:
    """The hub, the proxy, the grader service and the culler."""
    import pwd

    pids = [hub.process.pid]
    proxy = hub.root / "state" / "jupyterhub-proxy.pid"
    if proxy.exists():
        pids.append(int(proxy.read_text().strip()))
    services = hub.json("GET", "/hub/api/services")
    pids += [s["pid"] for s in services.values() if s.get("pid")]
    pids += processes_of({pwd.getpwnam(hub.grader).pw_uid})
    return sorted(set(pids))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--case", default="ni_una_menos", help="the case notebook each student runs")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("bench/hub.py needs root: it creates system users (as tests/test_hub.py does)")
    cells = notebook_cells(args.case)
    root = Path(tempfile.mkdtemp(prefix="dpdlab-hubbench-", dir="/var/tmp"))
    hub = TrialHub(root, ROOT, proxy=PROXY if PROXY.exists() else None,
                   prefix=os.environ.get("DPDLAB_HUB_TEST_PREFIX"))
    rows = []
    try:
        began = time.monotonic()
        hub.install()
        print(f"installed in {time.monotonic() - began:.0f} s; case notebook {args.case} ({len(cells)} code cells)",
              flush=True)
        hub.start()
        for index, count in enumerate(args.students):
            row = measure(hub, count, cells, cohort=f"c{index}s")
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        hub.remove()
    print(f"\n{'students':>8} {'login->notebook median/max s':>29} {'notebook s':>10} {'RSS MB':>8} "
          f"{'PSS MB':>8} {'kernel PSS':>10} {'hub PSS MB':>10} {'per 24 GiB':>10}")
    for r in rows:
        print(f"{r['students']:>8} {r['login_to_notebook_median_s']!s:>14}/{r['login_to_notebook_max_s']!s:<14} "
              f"{r['notebook_median_s']!s:>10} {r['rss_mb_per_student']:>8} {r['pss_mb_per_student']:>8} "
              f"{r['kernel_pss_mb']:>10} {r['hub_pss_mb']:>10} {r['students_per_24_gib']:>10}")
    out = ROOT / "bench" / "results" / "hub.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"case": args.case, "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
