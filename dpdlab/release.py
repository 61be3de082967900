"""Student notebooks from their nbgrader sources: one source per notebook, everything else generated.

``grading/manifest.toml`` says which assignment goes where, and which translated editions there are. An
edition's nbgrader sources (``grading/source/<id>_<language>/``) are generated too, from the English source
and the edition's catalogue (:mod:`dpdlab.translation`), for every notebook that has a catalogue.
:func:`generate` runs the real ``nbgrader generate_assignment`` on a throwaway copy of the course (so the
instructor's gradebook is not touched) and returns the edition sources and the released notebooks;
:func:`build` writes them into the project (``course/``, ``cases/``, ``course/es/``...); :func:`check`
lists every difference between the committed files and what the sources generate.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from dpdlab import paths
from dpdlab.translation import Edition

MANIFEST = "manifest.toml"


@dataclass(frozen=True)
class Assignment:
    """An nbgrader assignment and the folder its student notebooks are copied to."""

    id: str
    destination: str

    def source_dir(self, course: Path) -> Path:
        return course / "source" / self.id

    def notebooks(self, course: Path) -> list[Path]:
        return sorted(p for p in self.source_dir(course).glob("*.ipynb"))


def _manifest_entries(course: Path, kind: str) -> list[dict]:
    with open(course / MANIFEST, "rb") as handle:
        return tomllib.load(handle).get(kind, [])


def manifest(course: Path | None = None) -> list[Assignment]:
    """The English assignments listed in ``grading/manifest.toml``, in order (the authored sources)."""
    course = course or paths.course_dir()
    assignments = [Assignment(e["id"], e["destination"]) for e in _manifest_entries(course, "assignment")]
    for a in assignments:
        if not a.source_dir(course).is_dir():
            raise FileNotFoundError(f"{MANIFEST} lists '{a.id}' but {a.source_dir(course)} does not exist")
    return assignments


def editions(course: Path | None = None) -> list[Edition]:
    """The translated editions ``grading/manifest.toml`` lists."""
    return [Edition(e["language"], e["name"]) for e in _manifest_entries(course or paths.course_dir(), "edition")]


def edition_assignments(edition: Edition, course: Path | None = None) -> list[tuple[Assignment, Assignment]]:
    """``(english, translated)`` for each English assignment that has a catalogue in ``edition``, in order."""
    from dpdlab import translation

    course = course or paths.course_dir()
    return [(a, Assignment(edition.assignment_id(a.id), edition.destination(a.destination)))
            for a in manifest(course) if translation.catalogue_path(a.id, edition.language, course).exists()]


def edition_manifest(language: str, course: Path | None = None) -> list[Assignment]:
    """The assignments of one edition, in course order: the manifest's for English, else the edition's."""
    course = course or paths.course_dir()
    if language == "en":
        return manifest(course)
    chosen = [e for e in editions(course) if e.language == language]
    return [t for e in chosen for _, t in edition_assignments(e, course)]


def all_assignments(course: Path | None = None) -> list[Assignment]:
    """Every assignment: the English ones, then each edition's."""
    course = course or paths.course_dir()
    return manifest(course) + [t for e in editions(course) for _, t in edition_assignments(e, course)]


def edition_sources(course: Path | None = None) -> dict[Path, bytes]:
    """Each edition's nbgrader sources as the English sources and the catalogues make them: path (relative
    to the course folder) -> bytes."""
    import polib

    from dpdlab import translation

    course = course or paths.course_dir()
    made = {}
    for edition in editions(course):
        pairs = edition_assignments(edition, course)
        counterparts = _counterparts(edition, pairs, course)
        for english, translated in pairs:
            po = polib.pofile(str(translation.catalogue_path(english.id, edition.language, course)))
            move = functools.partial(_edition_link, Path(english.destination), Path(translated.destination),
                                     counterparts)
            for notebook in english.notebooks(course):
                result = translation.translated(notebook, po, edition, english.id)
                for cell in result.cells:
                    if cell.cell_type == "markdown":
                        cell.source = _edition_stubs(translation.relinked(cell.source, move), edition)
                made[translated.source_dir(course).relative_to(course) / notebook.name] = (
                    nbformat.writes(result) + "\n").encode("utf-8")
    return made


def _counterparts(edition: Edition, pairs: list[tuple[Assignment, Assignment]], course: Path) -> dict[Path, Path]:
    """The files of an edition that its pages link to instead of the English ones (paths from the project
    root): its notebooks and, when it translates them, its documents. Any other file is linked as it is."""
    from dpdlab import translation

    found = {Path(e.destination) / n.name: Path(t.destination) / n.name for e, t in pairs for n in e.notebooks(course)}
    for kind in translation.DOCUMENT_SETS:
        if translation.document_catalogue_path(edition.language, course, kind).exists():
            found.update({d: translation.edition_document(d, edition) for d in translation.documents(kind=kind)})
    return found


def _section_anchors(edition: Edition, sources: dict[Path, bytes], course: Path) -> dict[Path, dict[str, str]]:
    """For each of an edition's notebooks (path from the project root), its sections' anchors by the
    anchors of the English notebook's: a translated heading has a translated anchor. The headings pair up
    in order (a translation keeps every heading, at its level)."""
    from dpdlab import site

    found = {}
    for english, translated in edition_assignments(edition, course):
        for notebook in english.notebooks(course):
            made = sources.get(translated.source_dir(course).relative_to(course) / notebook.name)
            if made is None:
                continue
            theirs = site.heading_anchors(nbformat.reads(made.decode("utf-8"), as_version=4))
            ours = site.heading_anchors(notebook)
            if len(theirs) == len(ours):
                found[Path(translated.destination) / notebook.name] = dict(zip(ours, theirs))
    return found


def edition_documents(course: Path | None = None, sources: dict[Path, bytes] | None = None) -> dict[Path, bytes]:
    """Each edition's documents (glossary, reading list, rubrics, teaching guide, datasheets...) as the English
    ones and the edition's catalogues (``docs.po``, ``datasheets.po``) make them: path (relative to the project
    root) -> bytes. A link into a section of a notebook leads to the same section of the edition's notebook.
    ``sources`` are the editions' sources (:func:`edition_sources`), made here if not given."""
    import polib

    from dpdlab import data, i18n, translation

    course = course or paths.course_dir()
    sources = edition_sources(course) if sources is None else sources
    made = {}
    for edition in editions(course):
        counterparts = _counterparts(edition, edition_assignments(edition, course), course)
        anchors = _section_anchors(edition, sources, course)
        for kind in translation.DOCUMENT_SETS:
            catalogue = translation.document_catalogue_path(edition.language, course, kind)
            if not catalogue.exists():
                continue
            po = polib.pofile(str(catalogue))
            for document in translation.documents(kind=kind):
                target = translation.edition_document(document, edition)
                move = functools.partial(_edition_link, document.parent, target.parent, counterparts)

                def section(moved: str, anchor: str, folder: Path = target.parent) -> str:
                    return anchors.get(Path(os.path.normpath(folder / moved)), {}).get(anchor, anchor)

                text = translation.translated_document(document, po)
                if kind == translation.DATASHEETS:
                    with i18n.in_edition(edition.language):
                        text = data.datasheet_with_columns(document.stem, text)
                made[target] = translation.relinked(text, move, section).encode("utf-8")
    return made


def _edition_stubs(markdown: str, edition: Edition) -> str:
    """``markdown`` naming the edition's stubs where the English names nbgrader's (the start page explains
    them), so that what it tells a student to replace is what the student sees."""
    from dpdlab.grading.stubs import STUBS

    stubs = STUBS.get(edition.language)
    if not stubs:
        return markdown
    return (markdown.replace("YOUR CODE HERE", stubs["code"].splitlines()[0].lstrip("# "))
            .replace("YOUR ANSWER HERE", stubs["text"]))


def _edition_link(english_folder: Path, edition_folder: Path, counterparts: dict[Path, Path], target: str) -> str:
    """A link of an English notebook in ``english_folder``, as its edition in ``edition_folder`` needs it:
    to the edition's own notebook where there is one, else to the same file (paths from the project root)."""
    if not target:
        return target
    linked = Path(os.path.normpath(english_folder / target))
    linked = counterparts.get(linked, linked)
    return Path(os.path.relpath(linked, edition_folder)).as_posix()


def unlisted_sources(course: Path | None = None) -> list[Path]:
    """Source folders that the manifest does not mention (they would never reach students)."""
    course = course or paths.course_dir()
    listed = {a.id for a in all_assignments(course)}
    return sorted(p for p in (course / "source").iterdir() if p.is_dir() and p.name not in listed)


def run_nbgrader(args: list[str], course: Path, check: bool = True, exchange: Path | None = None,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in the course directory ``course``, with that folder as the course root (and
    ``exchange``, default ``course/exchange``, as the exchange); ``env`` adds environment variables."""
    # nbgrader calls the `alembic` command by name: make the running environment's scripts reachable.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "DPDLAB_COURSE": str(course), "DPDLAB_EXCHANGE": str(exchange or course / "exchange"),
           "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]), **(env or {})}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed (exit {result.returncode}):\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def copy_course(target: Path, course: Path | None = None, assignments: list[Assignment] | None = None) -> Path:
    """Copy the course's config, manifest, catalogues and sources (default: the English ones; not its
    gradebook or submissions) into ``target``."""
    course = course or paths.course_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("nbgrader_config.py", MANIFEST):
        shutil.copy2(course / name, target / name)
    for a in assignments or manifest(course):
        shutil.copytree(a.source_dir(course), a.source_dir(target), dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    from dpdlab import translation  # the catalogues say which editions' assignments there are

    if translation.translations_dir(course).is_dir():
        shutil.copytree(translation.translations_dir(course), translation.translations_dir(target), dirs_exist_ok=True)
    return target


def generate(course: Path | None = None) -> dict[Path, bytes]:
    """Make every edition's sources, then release every assignment with nbgrader; map each file's path
    (relative to the project root) to its bytes."""
    course = course or paths.course_dir()
    root = paths.project_root()
    assignments = all_assignments(course)
    released: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="dpdlab-release-") as tmp:
        work = copy_course(Path(tmp) / "course", course, manifest(course))
        sources = edition_sources(course)
        for relative, content in sources.items():
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            (work / relative).write_bytes(content)
            released[(course / relative).relative_to(root)] = content
        released.update(edition_documents(course, sources))
        for a in assignments:
            run_nbgrader(["generate_assignment", a.id, "--force"], work)
            for notebook in sorted((work / "release" / a.id).glob("*.ipynb")):
                released[Path(a.destination) / notebook.name] = notebook.read_bytes()
    return released


def check(root: Path | None = None) -> list[str]:
    """Differences between the committed student notebooks (and edition sources) and what the sources and
    catalogues generate (empty: none)."""
    root = root or paths.project_root()
    expected = generate()
    problems = []
    for relative, content in expected.items():
        committed = root / relative
        if not committed.exists():
            problems.append(f"{relative}: missing (run `dpdlab notebooks build`)")
        elif committed.read_bytes() != content:
            problems.append(f"{relative}: differs from what its source generates (edit the English source under "
                            f"grading/source/ or the catalogue under grading/translations/, then run "
                            f"`dpdlab notebooks build`)")
    destinations = {Path(a.destination) for a in all_assignments()}
    for folder in destinations:
        for notebook in sorted((root / folder).glob("*.ipynb")):
            if notebook.relative_to(root) not in expected:
                problems.append(f"{notebook.relative_to(root)}: has no source under grading/source/")
    return problems


def build(root: Path | None = None) -> list[Path]:
    """Write the generated student notebooks into the project; return those that changed."""
    root = root or paths.project_root()
    changed = []
    for relative, content in generate().items():
        target = root / relative
        if not target.exists() or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            changed.append(target)
    return changed
