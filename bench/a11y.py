"""Accessibility counts per page: the axe-core results (WCAG 2.0/2.1 A and AA) that the browser tests record
in test-artifacts/a11y/ (tests/test_browser.py: each driven notebook's area in JupyterLab after its cells have
run, and every page of the website), as one table: per page, per rule, the violating elements, split into the
course's own and those of JupyterLab or a library that tests/a11y_allowlist.toml lists.

    python -m pytest tests/test_browser.py     # records the results
    python bench/a11y.py [--pages] [--json FILE]   # prints the table (--pages: one line a page)
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-artifacts" / "a11y"


def load(results: Path = RESULTS) -> list[dict]:
    """Every recorded page's results, site pages after JupyterLab's, each in name order."""
    pages = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(results.glob("*.json"))]
    return sorted(pages, key=lambda p: (p["kind"] != "lab", p["page"]))


def rows(pages: list[dict]) -> list[dict]:
    """One row per page and rule: elements in violation, of them the course's, and of them allow-listed."""
    found = []
    for page in pages:
        for violation in page["violations"]:
            nodes = violation["nodes"]
            found.append({"page": page["page"], "rule": violation["rule"], "impact": violation["impact"],
                          "nodes": len(nodes), "course": sum(n["owner"] == "course" for n in nodes),
                          "allowed": sum(bool(n.get("allowed")) for n in nodes)})
        if not page["violations"]:
            found.append({"page": page["page"], "rule": "-", "impact": "-", "nodes": 0, "course": 0, "allowed": 0})
    return found


def table(found: list[dict]) -> str:
    header = ("page", "rule", "impact", "elements", "course's", "allow-listed")
    lines = [header, *[(r["page"], r["rule"], r["impact"], r["nodes"], r["course"], r["allowed"]) for r in found]]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    text = ["  ".join(str(v).ljust(w) for v, w in zip(line, widths)) for line in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    totals = Counter()
    for r in found:
        totals["elements"] += r["nodes"]
        totals["course"] += r["course"]
        totals["allowed"] += r["allowed"]
    pages = len({r["page"] for r in found})
    text.append(f"{pages} pages: {totals['elements']} elements in violation, {totals['course']} of them the "
                f"course's, {totals['allowed']} allow-listed, {totals['elements'] - totals['allowed']} failing")
    return "\n".join(text)


def per_page(found: list[dict]) -> str:
    """One line a page: elements in violation, of them the course's, and the rules with their counts."""
    pages: dict[str, list[dict]] = {}
    for r in found:
        pages.setdefault(r["page"], []).append(r)
    lines = ["| page | elements | course's | allow-listed | rules |", "|---|---|---|---|---|"]
    for page, rules in pages.items():
        named = ", ".join(f"{r['rule']} {r['nodes']}" for r in rules if r["nodes"]) or "-"
        lines.append(f"| {page} | {sum(r['nodes'] for r in rules)} | {sum(r['course'] for r in rules)} | "
                     f"{sum(r['allowed'] for r in rules)} | {named} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder of the recorded results")
    parser.add_argument("--json", type=Path, help="also write the table's rows to this file")
    parser.add_argument("--pages", action="store_true", help="one line a page (a Markdown table)")
    args = parser.parse_args(argv)
    pages = load(args.results)
    if not pages:
        print(f"no results in {args.results}: run the browser tests first", file=sys.stderr)
        return 1
    found = rows(pages)
    print(per_page(found) if args.pages else table(found))
    if args.json:
        args.json.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
