"""The ``dpdlab`` command: maintain the course's data and notebooks.

    dpdlab data check         validate every dataset; check simulated files match their generators, and
                              derived real tables their derivation (when the raw files are present)
    dpdlab data rebuild       regenerate simulated datasets, derived real tables (when the raw files are
                              present), datasheet tables, data/datapackage.json and data/validated.json
                              (the fingerprints of the files that passed validation)
    dpdlab data try NAME FILE [--source TEXT]
                              load your own FILE as dataset NAME: how it was read, its problems, how views
                              label it, and the command that runs each notebook using NAME on it
    dpdlab notebooks check    check course/ and cases/ (and each edition's sources and notebooks) are exactly
                              what grading/source/ and grading/translations/ generate
    dpdlab notebooks build    update the translation catalogues from the English sources (a changed cell's
                              translation becomes fuzzy), then regenerate the edition sources and the
                              student notebooks
    dpdlab translations status
                              each catalogue's counts, and every entry to translate or revise (exit 1 if any)
    dpdlab translations add LANGUAGE ID
                              start LANGUAGE's catalogue of notebook ID, which joins that edition
    dpdlab notebooks map [--edition es]
                              print the course map (the README's table; README.es.md's) from the notebooks' metadata
    dpdlab site build [--out DIR]   build the static website of the course (default: build/site)
    dpdlab binder badge       print the README's Binder badge, built from pyproject.toml's Repository

    dpdlab grade release ASSIGNMENT [--exchange]
    dpdlab grade import ASSIGNMENT SOURCE [--roster CSV] [--pattern REGEX ...]
    dpdlab grade autograde ASSIGNMENT [--jobs N] [--force] [--student ID ...] [--timeout S] [--budget S]
                              [--no-sandbox]
    dpdlab grade feedback ASSIGNMENT [--exchange] [--show-hidden-tests]
    dpdlab grade export [--to CSV]
    dpdlab grade teams roster TEAMS_CSV [--to CSV]
    dpdlab grade teams grades ASSIGNMENT TEAMS_CSV [--to CSV]
                              the semester loop on the nbgrader course (DPDLAB_COURSE, default grading/);
                              see grading/README.md
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dpdlab import data, derived, paths, release


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
        if spec.derivation is not None and derived.inputs_present() \
                and data.dataset_path(name).read_text(encoding="utf-8") != data.derive_dataset(name):
            notes.append(f"differs from its derivation from {derived.raw_dir()} (run `dpdlab data rebuild`)")
        if data.datasheet_path(name).read_text(encoding="utf-8") != data.datasheet_with_columns(name):
            notes.append("datasheet column table is out of date (run `dpdlab data rebuild`)")
        failures += bool(notes)
        status = "FAIL" if notes else "ok  "
        print(f"{status} {name}: {len(frame)} rows{' — ' + '; '.join(notes) if notes else ''}")
    package = data.data_package_path()
    if not package.exists() or package.read_text(encoding="utf-8") != data.data_package_text():
        print(f"FAIL {package} is out of date (run `dpdlab data rebuild`)")
        failures += 1
    if not failures and _validated_record() != data.fingerprints():
        print(f"FAIL data/{data.VALIDATED_FILE} does not record the files as they are (run `dpdlab data rebuild`)")
        failures += 1
    return 1 if failures else 0


def _validated_record() -> dict | None:
    try:
        return json.loads((paths.data_dir() / data.VALIDATED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def data_rebuild() -> int:
    for path in data.rebuild_simulated():
        print(f"wrote {path}")
    if derived.inputs_present():
        for name in data.derived_names():
            target = data.dataset_path(name)
            target.write_text(data.derive_dataset(name), encoding="utf-8", newline="")
            print(f"wrote {target} (derived from {derived.raw_dir()})")
    else:
        print(f"kept the derived tables as they are ({derived.raw_dir()} does not hold their inputs)")
    for name in data.dataset_names():
        sheet = data.datasheet_path(name)
        text = data.datasheet_with_columns(name)
        if sheet.read_text(encoding="utf-8") != text:
            sheet.write_text(text, encoding="utf-8")
            print(f"updated {sheet}")
    package = data.data_package_path()
    if not package.exists() or package.read_text(encoding="utf-8") != data.data_package_text():
        package.write_text(data.data_package_text(), encoding="utf-8")
        print(f"updated {package}")
    print(f"wrote {data.write_validated()} (every dataset validated in full)")
    return 0


def notebooks_check() -> int:
    problems = release.check()
    for problem in problems:
        print(problem)
    print(f"student notebooks: {len(problems)} problem(s)")
    return 1 if problems else 0


def notebooks_build() -> int:
    from dpdlab import translation

    editions = release.editions()
    for path in (translation.update(editions) + translation.update_documents(editions)
                 + translation.update_package(editions)):
        print(f"updated {path}")
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


def notebooks_map(edition: str = "en") -> int:
    from dpdlab import i18n
    from dpdlab.course import course_map_markdown

    i18n.set_edition(edition)
    print(course_map_markdown())
    return 0


COMMANDS = {("data", "check"): data_check, ("data", "rebuild"): data_rebuild,
            ("notebooks", "check"): notebooks_check, ("notebooks", "build"): notebooks_build,
            ("notebooks", "map"): notebooks_map, ("site", "build"): site_build, ("binder", "badge"): binder_badge}


def grade(argv: list[str]) -> int:
    """``dpdlab grade STEP ...``: the instructor's semester loop (dpdlab.grading)."""
    from dpdlab import grading

    parser = argparse.ArgumentParser(prog="dpdlab grade", description=grading.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("release", help="generate the student version of an assignment")
    step.add_argument("assignment")
    step.add_argument("--exchange", action="store_true", help="also copy it to nbgrader's exchange")
    step = steps.add_parser("import", help="import submissions from a folder or an LMS zip export")
    step.add_argument("assignment")
    step.add_argument("source", type=Path)
    step.add_argument("--roster", type=Path, help="CSV with student_id and lms_id/login/name/email columns")
    step.add_argument("--pattern", action="append", help="regular expression for file names (repeatable)")
    step = steps.add_parser("autograde", help="autograde the class in parallel, in the sandbox")
    step.add_argument("assignment")
    step.add_argument("--jobs", type=int, help="parallel workers (default: one more than the cores)")
    step.add_argument("--force", action="store_true", help="grade again students already graded")
    step.add_argument("--student", action="append", help="only this student (repeatable)")
    step.add_argument("--timeout", type=int, help="seconds per cell (default: Execute.timeout of the config)")
    step.add_argument("--budget", type=int, help="seconds one submission may take in all (default: from the "
                                                 "class so far, see grading/README.md)")
    step.add_argument("--no-sandbox", action="store_true", help="run student code without the sandbox")
    step.add_argument("--no-progress", action="store_true")
    step = steps.add_parser("feedback", help="write each student's feedback HTML")
    step.add_argument("assignment")
    step.add_argument("--exchange", action="store_true", help="also release it through the exchange")
    step.add_argument("--show-hidden-tests", action="store_true")
    step = steps.add_parser("export", help="export grades to CSV")
    step.add_argument("--to", type=Path)
    step = steps.add_parser("teams", help="team assignments: register teams, their import roster, member grades")
    actions = step.add_subparsers(dest="action", required=True)
    action = actions.add_parser("roster", help="check a teams roster, add the teams to the gradebook and write "
                                               "the roster for `dpdlab grade import`")
    action.add_argument("teams", type=Path, help="CSV with team_id, member_id, name (and role, login, lms_id, email)")
    action.add_argument("--to", type=Path, help="the import roster (default: reports/teams-import-roster.csv)")
    action = actions.add_parser("grades", help="each member with the team's grade")
    action.add_argument("assignment")
    action.add_argument("teams", type=Path)
    action.add_argument("--to", type=Path, help="default: team-grades-ASSIGNMENT.csv in the course folder")
    args = parser.parse_args(argv)

    try:
        if args.step == "release":
            for line in grading.release_assignment(args.assignment, exchange=args.exchange):
                print(line)
        elif args.step == "import":
            report = grading.import_submissions(args.assignment, args.source, roster=args.roster,
                                               patterns=args.pattern)
            for student, files in sorted(report.mapped.items()):
                print(f"ok      {student}: {', '.join(files)}")
            for note in report.notes:
                print(f"note    {note}")
            for problem in report.unmapped:
                print(f"UNMAPPED {problem}")
            for problem in report.refused:
                print(f"REFUSED {problem}")
            refused = f", {len(report.refused)} entr(y/ies) of the export refused" if report.refused else ""
            print(f"{len(report.mapped)} student(s) imported, {len(report.unmapped)} file(s) not mapped{refused}")
            return 1 if report.unmapped or report.refused else 0
        elif args.step == "autograde":
            import time

            began = time.monotonic()
            results = grading.autograde(args.assignment, jobs=args.jobs, force=args.force, students=args.student,
                                       timeout=args.timeout, budget=args.budget, sandbox=not args.no_sandbox,
                                       progress=not args.no_progress)
            for r in results:
                score = "" if r.score is None else f"{r.score:g}/{r.max_score:g}"
                print(f"{r.status:8} {r.student:24} {score:>9}  {' | '.join(r.messages)}")
            report = grading.course_root() / grading.REPORTS / f"autograde-{args.assignment}.json"
            jobs = json.loads(report.read_text(encoding="utf-8"))["jobs"] if report.exists() else args.jobs
            print(grading.summary(args.assignment, results, jobs, time.monotonic() - began))
            print(f"report: {report}")
            return 1 if any(r.status in ("rejected", "failed") for r in results) else 0
        elif args.step == "feedback":
            pages = grading.feedback(args.assignment, exchange=args.exchange,
                                    show_hidden_tests=args.show_hidden_tests)
            print(f"{len(pages)} feedback page(s) in {grading.course_root() / 'feedback'}")
        elif args.step == "export":
            grades, report = grading.export(to=args.to)
            print(f"wrote {grades} and {report}")
        elif args.step == "teams":
            return teams_step(args)
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def teams_step(args: argparse.Namespace) -> int:
    """``dpdlab grade teams roster|grades``: one submission per team under its id (dpdlab.grading.teams)."""
    from dpdlab import grading
    from dpdlab.grading import teams

    roster = teams.read_teams(args.teams)
    if args.action == "roster":
        added = teams.register(roster)
        to = teams.write_import_roster(roster, args.to or grading.course_root() / grading.REPORTS
                                       / "teams-import-roster.csv")
        for team, rows in teams.members(roster).items():
            print(f"team    {team}: {', '.join(r['member_id'] for r in rows)}")
        print(f"{len(added)} team(s) in the gradebook; import roster: {to}")
        print(f"import with: dpdlab grade import ASSIGNMENT EXPORT --roster {to}")
        return 0
    grades = teams.member_grades(args.assignment, roster)
    to = Path(args.to or grading.course_root() / f"team-grades-{args.assignment}.csv")
    grades.to_csv(to, index=False)
    missing = sorted(set(grades.loc[grades["status"] == "missing", "team_id"]))
    print(f"wrote {to}: {len(grades)} member(s) of {grades['team_id'].nunique()} team(s)"
          + (f"; no submission from {', '.join(missing)}" if missing else ""))
    return 0


def notebooks_loading(name: str) -> list[Path]:
    """The student notebooks (in the manifest's order) that load dataset ``name`` and can be pointed at other
    files (a ``data_files`` parameter)."""
    call = f'load_dataset("{name}", data_files'
    found = []
    for assignment in release.manifest():
        notebook = paths.project_root() / assignment.destination / f"{assignment.id}.ipynb"
        if not notebook.is_file():
            continue
        code = [("".join(c["source"]), c["metadata"].get("tags", []))
                for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        parameters = any("parameters" in tags and "data_files" in text for text, tags in code)
        if parameters and any(call in text for text, _ in code):
            found.append(notebook)
    return found


def translations(argv: list[str]) -> int:
    """``dpdlab translations status|add``: the editions' catalogues."""
    from dpdlab import translation

    parser = argparse.ArgumentParser(prog="dpdlab translations", description=translations.__doc__)
    parser.add_argument("action", choices=["status", "add"])
    parser.add_argument("language", nargs="?")
    parser.add_argument("id", nargs="?", help="the English assignment id (add only)")
    args = parser.parse_args(argv)
    editions = {e.language: e for e in release.editions()}
    if args.language and args.language not in editions:
        parser.error(f"no edition '{args.language}'; grading/manifest.toml lists: {', '.join(editions)}")
    if args.action == "add":
        if not (args.language and args.id):
            parser.error("add needs LANGUAGE and ID")
        print(f"wrote {translation.add(args.id, editions[args.language])}")
        return 0
    chosen = [editions[args.language]] if args.language else list(editions.values())
    stale = 0
    for found in translation.status(chosen):
        shown = found.path.relative_to(paths.project_root()) if found.path.is_relative_to(paths.project_root()) else found.path
        print(f"{shown}: {found.entries} entries, {found.translated} "
              f"translated, {found.fuzzy} fuzzy, {found.untranslated} untranslated, {found.obsolete} obsolete")
        for entry in translation.stale_entries(found.path):
            print(f"    {'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgctxt}")
            stale += 1
    print(f"{stale} entr{'y' if stale == 1 else 'ies'} to translate or revise")
    return 1 if stale else 0


def data_try(argv: list[str]) -> int:
    """``dpdlab data try NAME FILE``: what a user's own file becomes in the course, before any notebook."""
    import warnings

    parser = argparse.ArgumentParser(prog="dpdlab data try", description=data_try.__doc__)
    parser.add_argument("name", help="the dataset your file is of the kind of (its datasheet: data/NAME.md)")
    parser.add_argument("file", type=Path)
    parser.add_argument("--source", help="the source of the whole file (a SOURCES.md key or any text)")
    args = parser.parse_args(argv)
    if args.name not in data.dataset_names():
        parser.error(f"no dataset '{args.name}'; the course's are: {', '.join(data.dataset_names())}")
    if not args.file.is_file():
        parser.error(f"no file {args.file}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", data.DatasetNote)
        try:
            frame = data.load_dataset(args.name, args.file, source=args.source)
        except data.DatasetError as error:
            print(error)
            print(f"\nWhat each column must hold: {data.datasheet_path(args.name)}")
            return 1
    for note in caught:
        if issubclass(note.category, data.DatasetNote):
            print(note.message)
    kind = "simulated" if data.is_simulated(frame) else "real"
    print(f"{args.file}: {len(frame)} rows, loaded as {args.name} ({kind}). Views will say: {data.provenance(frame)}")
    print(frame.head().to_string(index=False))
    files = json.dumps({"data_files": {args.name: str(args.file.resolve())}}, ensure_ascii=False)
    notebooks = notebooks_loading(args.name)
    if notebooks:
        print("\nRun a notebook on it (or set data_files in the notebook's parameters cell):")
    for notebook in notebooks:
        print(f"  papermill {notebook.relative_to(paths.project_root())} {notebook.stem}-own-data.ipynb "
              f"--cwd {notebook.parent.relative_to(paths.project_root())} -y '{files}'")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "grade":
        return grade(argv[1:])
    if argv[:2] == ["data", "try"]:
        return data_try(argv[2:])
    if argv and argv[0] == "translations":
        return translations(argv[1:])
    parser = argparse.ArgumentParser(prog="dpdlab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("area", choices=["data", "notebooks", "site", "binder", "grade"])
    parser.add_argument("action", choices=["check", "rebuild", "build", "map", "badge"])
    parser.add_argument("--out", help="output folder (site build only)")
    parser.add_argument("--edition", default="en", help="the edition whose course map to print (notebooks map only)")
    args = parser.parse_args(argv)
    command = COMMANDS.get((args.area, args.action))
    if command is None:
        parser.error(f"'{args.area} {args.action}' is not a command; see --help")
    if args.out and command is not site_build:
        parser.error("--out only goes with 'site build'")
    if args.edition != "en" and command is not notebooks_map:
        parser.error("--edition only goes with 'notebooks map'")
    if command is notebooks_map:
        return command(args.edition)
    return command(args.out) if command is site_build else command()


if __name__ == "__main__":
    sys.exit(main())
