"""Benchmark: autograding a class with `dpdlab grade autograde` (parallel, sandboxed) against stock serial
`nbgrader autograde`, measured in one run. Nothing here passes or fails.

N submissions of a real course notebook (cases/argentina_account_handover) are made from the release, each
exercise answered with the instructor's solution or left as released, at random (seeded), so scores vary.
Two identical copies of the course grade them:

1. stock: `nbgrader autograde <assignment>` in one process, one student after the other, with nbgrader's own
   preprocessors (DPDLAB_STOCK_NBGRADER=1: no sandbox, no dpdlab preprocessors);
2. dpdlab: `dpdlab.grading.autograde(..., jobs=cores + 1)`: preflight, parallel workers, sandboxed kernels, merge.

The machine may be shared with other work whose load comes and goes, so the class is graded in rounds
(``--rounds``, default 4): in each round both runs grade the same slice of the class, one after the other,
in alternating order, and each run skips the students it graded before (as ``nbgrader autograde`` does
without ``--force``). Both thus see the same mix of quiet and busy minutes; each pays its start-up once per
round. It prints both total wall times, their ratio (goal: >= 1.8 on 2 cores), each round's ratio and load
average, and whether every student's every autograded score is identical in the two gradebooks.
``--rounds 1`` is the plain sequence: all of stock, then all of dpdlab.

Usage: python bench/autograde.py [--students N] [--jobs N] [--rounds N].
Results also go to bench/results/autograde.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook

from dpdlab import grading, release

ASSIGNMENT = "argentina_account_handover"
GOAL = 1.8


def make_class(course: Path, students: int, seed: int = 20151210) -> None:
    """``students`` submissions in ``course/incoming`` (moved to submitted/ round by round), answers chosen
    at random per exercise."""
    name = f"{ASSIGNMENT}.ipynb"
    released = json.loads((course / "release" / ASSIGNMENT / name).read_text(encoding="utf-8"))
    source = json.loads((course / "source" / ASSIGNMENT / name).read_text(encoding="utf-8"))
    answer_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in source["cells"]
                  if c.get("metadata", {}).get("nbgrader", {}).get("solution") and c["cell_type"] == "code"]
    rng = random.Random(seed)
    for number in range(students):
        skipped = {a: None for a in answer_ids if rng.random() < 0.3}
        notebook = grading.answered(released, source, skipped)  # None: the exercise keeps its stub
        folder = course / "incoming" / f"student{number:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / name).write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        (folder / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")


def scores(course: Path) -> dict[tuple[str, str], float | None]:
    found = {}
    with Gradebook(grading.db_url(course), grading.course_id(course)) as gradebook:
        for submission in gradebook.assignment_submissions(ASSIGNMENT):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    found[(submission.student.id, grade.name)] = grade.auto_score
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=grading.default_jobs())
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    rounds = []
    with tempfile.TemporaryDirectory(prefix="dpdlab-bench-grade-") as tmp:
        base = release.copy_course(Path(tmp) / "base", assignments=[a for a in release.manifest()
                                                                    if a.id == ASSIGNMENT])
        release.run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"], base)
        make_class(base, args.students)
        stock, ours = Path(tmp) / "stock", Path(tmp) / "dpdlab"
        shutil.copytree(base, stock)
        shutil.copytree(base, ours)
        everyone = sorted(p.name for p in (base / "incoming").iterdir())
        results = []

        def run_stock() -> float:
            start = time.perf_counter()
            release.run_nbgrader(["autograde", ASSIGNMENT], stock, env={"DPDLAB_STOCK_NBGRADER": "1"})
            return time.perf_counter() - start

        def run_ours() -> float:
            start = time.perf_counter()
            results.extend(grading.autograde(ASSIGNMENT, course=ours, jobs=args.jobs, progress=False))
            return time.perf_counter() - start

        for number in range(args.rounds):
            chunk = everyone[number::args.rounds]
            for course in (stock, ours):
                for student in chunk:
                    shutil.copytree(course / "incoming" / student, course / "submitted" / student)
            order = [("stock", run_stock), ("dpdlab", run_ours)]
            timing = dict((name, run()) for name, run in (order if number % 2 == 0 else order[::-1]))
            rounds.append({"students": len(chunk), **timing, "ratio": timing["stock"] / timing["dpdlab"],
                           "load_average": os.getloadavg()[0]})
            print(f"round {number + 1}/{args.rounds}: {len(chunk)} students, stock {timing['stock']:.1f} s, "
                  f"dpdlab {timing['dpdlab']:.1f} s, ratio {rounds[-1]['ratio']:.2f}, "
                  f"load {rounds[-1]['load_average']:.1f}", flush=True)
        stock_s = sum(r["stock"] for r in rounds)
        ours_s = sum(r["dpdlab"] for r in rounds)

        stock_scores, our_scores = scores(stock), scores(ours)
        identical = stock_scores == our_scores and len(stock_scores) > 0
        differing = sorted({s for s, g in stock_scores.keys() | our_scores.keys()
                            if stock_scores.get((s, g)) != our_scores.get((s, g))})
        statuses = {k: sum(r.status == k for r in results) for k in ("graded", "rejected", "failed", "skipped")}

    ratio = stock_s / ours_s
    print(f"\nAutograding {args.students} submissions of {ASSIGNMENT} on {os.cpu_count()} core(s)")
    print(f"{'run':44} {'wall s':>8} {'s/student':>10}")
    print(f"{'stock nbgrader autograde (serial)':44} {stock_s:8.1f} {stock_s / args.students:10.2f}")
    print(f"{f'dpdlab grade autograde (--jobs {args.jobs}, sandbox)':44} {ours_s:8.1f} {ours_s / args.students:10.2f}")
    per_round = ", ".join(f"{r['ratio']:.2f}" for r in rounds)
    print(f"({args.rounds} round(s), order alternating; per-round ratios: {per_round})")
    print(f"speed-up (stock / dpdlab): {ratio:.2f}x  (goal >= {GOAL}x)")
    print(f"scores identical: {'yes' if identical else 'NO'} ({len(stock_scores)} grades compared"
          f"{'; differing students: ' + ', '.join(differing[:10]) if differing else ''})")
    print(f"dpdlab statuses: {statuses}; load average before / after: {load_before} / {os.getloadavg()}")
    print("(the machine may be shared: the load average shows how busy it was)")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "autograde.json").write_text(json.dumps({
        "students": args.students, "jobs": args.jobs, "cores": os.cpu_count(), "rounds": rounds,
        "stock_seconds": stock_s, "dpdlab_seconds": ours_s,
        "ratio": ratio, "goal": GOAL, "scores_identical": identical, "differing_students": differing,
        "statuses": statuses, "load_average_before": load_before, "load_average_after": os.getloadavg()}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
