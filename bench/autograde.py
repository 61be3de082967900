"""Benchmark: autograding a class with `dpdlab grade autograde` (parallel, sandboxed) against stock serial
`nbgrader autograde`, measured in one run. Nothing here passes or fails.

N submissions of a real course notebook (cases/argentina_account_handover) are made from the release, each
exercise answered with the instructor's solution or left as released, at random (seeded), so scores vary.
Two identical copies of the course grade them:

1. stock: `nbgrader autograde <assignment>` in one process, one student after the other, with nbgrader's own
   preprocessors (DPDLAB_STOCK_NBGRADER=1: no sandbox, no dpdlab preprocessors);
2. dpdlab: `dpdlab.grader.autograde(..., jobs=cores)`: preflight, parallel workers, sandboxed kernels, merge.

It prints both wall times, their ratio (goal: >= 1.8 on 2 cores), the load average (the machine may be shared
with other work, which slows both runs), and whether every student's every autograded score is identical in
the two gradebooks.

Usage: python bench/autograde.py [--students N] [--jobs N]. Results also go to bench/results/autograde.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook

from dpdlab import grader, release

ASSIGNMENT = "argentina_account_handover"
GOAL = 1.8


def make_class(course: Path, students: int, seed: int = 20151210) -> None:
    """``students`` submissions in ``course/submitted``, answers chosen at random per exercise."""
    name = f"{ASSIGNMENT}.ipynb"
    released = json.loads((course / "release" / ASSIGNMENT / name).read_text(encoding="utf-8"))
    source = json.loads((course / "source" / ASSIGNMENT / name).read_text(encoding="utf-8"))
    answer_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in source["cells"]
                  if c.get("metadata", {}).get("nbgrader", {}).get("solution") and c["cell_type"] == "code"]
    rng = random.Random(seed)
    for number in range(students):
        skipped = {a: None for a in answer_ids if rng.random() < 0.3}
        notebook = grader.answered(released, source, skipped)  # None: the exercise keeps its stub
        folder = course / "submitted" / f"student{number:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / name).write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        (folder / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")


def scores(course: Path) -> dict[tuple[str, str], float | None]:
    found = {}
    with Gradebook(grader.db_url(course), grader.course_id(course)) as gradebook:
        for submission in gradebook.assignment_submissions(ASSIGNMENT):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    found[(submission.student.id, grade.name)] = grade.auto_score
    return found


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="dpdlab-bench-grade-") as tmp:
        base = release.copy_course(Path(tmp) / "base", assignments=[a for a in release.manifest()
                                                                    if a.id == ASSIGNMENT])
        release.run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"], base)
        make_class(base, args.students)
        stock, ours = Path(tmp) / "stock", Path(tmp) / "dpdlab"
        shutil.copytree(base, stock)
        shutil.copytree(base, ours)

        cpu0, start = children_cpu(), time.perf_counter()
        release.run_nbgrader(["autograde", ASSIGNMENT], stock, env={"DPDLAB_STOCK_NBGRADER": "1"})
        stock_s, stock_cpu = time.perf_counter() - start, children_cpu() - cpu0

        cpu0, start = children_cpu(), time.perf_counter()
        results = grader.autograde(ASSIGNMENT, course=ours, jobs=args.jobs, progress=True)
        ours_s, ours_cpu = time.perf_counter() - start, children_cpu() - cpu0

        stock_scores, our_scores = scores(stock), scores(ours)
        identical = stock_scores == our_scores and len(stock_scores) > 0
        differing = sorted({s for s, g in stock_scores.keys() | our_scores.keys()
                            if stock_scores.get((s, g)) != our_scores.get((s, g))})
        statuses = {k: sum(r.status == k for r in results) for k in ("graded", "rejected", "failed")}

    ratio = stock_s / ours_s
    print(f"\nAutograding {args.students} submissions of {ASSIGNMENT} on {os.cpu_count()} core(s)")
    print(f"{'run':44} {'wall s':>8} {'s/student':>10}")
    print(f"{'stock nbgrader autograde (serial)':44} {stock_s:8.1f} {stock_s / args.students:10.2f}")
    print(f"{f'dpdlab grade autograde (--jobs {args.jobs}, sandbox)':44} {ours_s:8.1f} {ours_s / args.students:10.2f}")
    print(f"speed-up (stock / dpdlab): {ratio:.2f}x  (goal >= {GOAL}x)")
    print(f"scores identical: {'yes' if identical else 'NO'} ({len(stock_scores)} grades compared"
          f"{'; differing students: ' + ', '.join(differing[:10]) if differing else ''})")
    print(f"dpdlab statuses: {statuses}; load average before / after: {load_before} / {os.getloadavg()}")
    print("(the machine may be shared: the load average shows how busy it was)")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "autograde.json").write_text(json.dumps({
        "students": args.students, "jobs": args.jobs, "cores": os.cpu_count(), "stock_seconds": stock_s,
        "stock_cpu_seconds": stock_cpu, "dpdlab_seconds": ours_s, "dpdlab_cpu_seconds": ours_cpu,
        "ratio": ratio, "goal": GOAL, "scores_identical": identical, "differing_students": differing,
        "statuses": statuses, "load_average_before": load_before, "load_average_after": os.getloadavg()}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
