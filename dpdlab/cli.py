"""The ``dpdlab`` command: maintain the course's data and notebooks.

    dpdlab data check         validate every dataset; check simulated files match their generators
    dpdlab data rebuild       regenerate simulated datasets and the column tables of all datasheets
    dpdlab notebooks check    check course/ and cases/ are exactly what grading/source/ generates
    dpdlab notebooks build    regenerate the student notebooks in course/ and cases/
    dpdlab notebooks map      print the course map (the README's table) from the notebooks' metadata
    dpdlab site build [--out DIR]   build the static website of the course (default: build/site)
    dpdlab binder badge       print the README's Binder badge, built from pyproject.toml's Repository
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dpdlab import data, release


def data_check() -> int:
    failures = 0
    for name in data.dataset_names():
        spec = data.get_dataset(name)
        try:
            frame = data.load_dataset(name)
        except data.DatasetError as error:
            print(f"FAIL {error}")
            failures += 1
            continue
        notes = []
        if spec.simulated and data.dataset_path(name).read_text(encoding="utf-8") != data.generate_dataset(name):
            notes.append("differs from its generator (run `dpdlab data rebuild`)")
        if data.datasheet_path(name).read_text(encoding="utf-8") != data.datasheet_with_columns(name):
            notes.append("datasheet column table is out of date (run `dpdlab data rebuild`)")
        failures += bool(notes)
        status = "FAIL" if notes else "ok  "
        print(f"{status} {name}: {len(frame)} rows{' — ' + '; '.join(notes) if notes else ''}")
    return 1 if failures else 0


def data_rebuild() -> int:
    for path in data.rebuild_simulated():
        print(f"wrote {path}")
    for name in data.dataset_names():
        sheet = data.datasheet_path(name)
        text = data.datasheet_with_columns(name)
        if sheet.read_text(encoding="utf-8") != text:
            sheet.write_text(text, encoding="utf-8")
            print(f"updated {sheet}")
    return 0


def notebooks_check() -> int:
    problems = release.check()
    for problem in problems:
        print(problem)
    print(f"student notebooks: {len(problems)} problem(s)")
    return 1 if problems else 0


def notebooks_build() -> int:
    changed = release.build()
    for path in changed:
        print(f"wrote {path}")
    print(f"{len(changed)} student notebook(s) changed")
    return 0


def site_build(out: str | None = None) -> int:
    from dpdlab import site

    index = site.build(Path(out) if out else None)
    print(f"wrote {index} (open it in a browser; the pages work offline)")
    return 0


def binder_badge() -> int:
    from dpdlab import binder

    print(binder.badge())
    if binder.is_placeholder():
        print("note: the Repository address in pyproject.toml is still the placeholder", file=sys.stderr)
    return 0


def notebooks_map() -> int:
    from dpdlab.course import course_map_markdown

    print(course_map_markdown())
    return 0


COMMANDS = {("data", "check"): data_check, ("data", "rebuild"): data_rebuild,
            ("notebooks", "check"): notebooks_check, ("notebooks", "build"): notebooks_build,
            ("notebooks", "map"): notebooks_map, ("site", "build"): site_build, ("binder", "badge"): binder_badge}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dpdlab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("area", choices=["data", "notebooks", "site", "binder"])
    parser.add_argument("action", choices=["check", "rebuild", "build", "map", "badge"])
    parser.add_argument("--out", help="output folder (site build only)")
    args = parser.parse_args(argv)
    command = COMMANDS.get((args.area, args.action))
    if command is None:
        parser.error(f"'{args.area} {args.action}' is not a command; see --help")
    if args.out and command is not site_build:
        parser.error("--out only goes with 'site build'")
    return command(args.out) if command is site_build else command()


if __name__ == "__main__":
    sys.exit(main())
