"""Translated editions: gettext catalogues beside the one English source, for the notebooks, the package and
the course's documents.

The English nbgrader sources in ``grading/source/<id>/`` are the only notebooks anyone writes. For each one,

- ``grading/translations/<id>.pot`` is its catalogue template: one entry per markdown cell, keyed
  (``msgctxt``) by ``<id>:<cell id>``, and one per translatable metadata field (``<id>:metadata.title``...);
- ``grading/translations/<language>/<id>.po`` holds that edition's translations, edited with any PO tool;
- ``grading/source/<id>_<language>/<id>.ipynb``, the edition's nbgrader source, is generated from the two:
  markdown and those metadata fields translated, every code cell, cell id and nbgrader field kept, except
  the set-up cell, which names the edition (``setup(edition="es")``).

:func:`update` rewrites the templates from the sources and merges them into every catalogue: an entry whose
English text changed keeps its translation, marked fuzzy with the previous English beside it, so a stale
translation is visible in any PO editor and fails the tests until someone revises it. :func:`status` counts
what each catalogue lacks. Only translated, non-fuzzy entries reach a generated notebook.

The package's own texts (:func:`dpdlab.i18n.messages` tables, and the hints and questions the notebooks' test
cells pass to the checks) have one catalogue per edition, ``dpdlab/locale/<language>/LC_MESSAGES/dpdlab.po``,
with its template ``dpdlab/locale/dpdlab.pot``; :func:`update_package` merges it the same way and compiles it
to the ``.mo`` the kernels read.

The documents students and instructors read beside the notebooks (:data:`DOCUMENTS`) share one catalogue
per edition, ``grading/translations/<language>/docs.po``: one entry per paragraph, heading, list item or
table (:func:`blocks`), keyed by the document's path and its English. An edited block is a new, untranslated
entry, and its old translation stays beside it as obsolete.
"""
from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat
import polib

from dpdlab import i18n, paths

TRANSLATIONS = "translations"
# the fields of a notebook's ``dpdlab`` metadata that students and the course map read
METADATA_FIELDS = ("title", "topic", "seed_reading")
SETUP_CALL = re.compile(r"^(\s*)setup\(\)\s*$", re.M)
# fixed, so that a regenerated catalogue is byte for byte the committed one
HEADER = {"Project-Id-Version": "dpd-latam", "MIME-Version": "1.0",
          "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
WRAP = 100


@dataclass(frozen=True)
class Edition:
    """A translated edition: its language code, and its language's name in that language."""

    language: str
    name: str

    def assignment_id(self, english_id: str) -> str:
        """The edition's own nbgrader assignment (nbgrader restores locked cells from an assignment's own
        release, so two editions cannot share one)."""
        return f"{english_id}_{self.language}"

    def destination(self, english_destination: str) -> str:
        """Where the edition's student notebooks go: ``course/es``, ``cases/es``."""
        return f"{english_destination}/{self.language}"


def translations_dir(course: Path | None = None) -> Path:
    return (course or paths.course_dir()) / TRANSLATIONS


def template_path(assignment_id: str, course: Path | None = None) -> Path:
    return translations_dir(course) / f"{assignment_id}.pot"


def catalogue_path(assignment_id: str, language: str, course: Path | None = None) -> Path:
    return translations_dir(course) / language / f"{assignment_id}.po"


def _cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _context(assignment_id: str, key: str) -> str:
    return f"{assignment_id}:{key}"


def template(source: Path, assignment_id: str) -> polib.POFile:
    """The catalogue template of one English source notebook."""
    notebook = nbformat.read(source, as_version=4)
    pot = polib.POFile(wrapwidth=WRAP)
    pot.metadata = dict(HEADER)
    meta = notebook.metadata.get("dpdlab", {})
    for field in METADATA_FIELDS:
        if meta.get(field):
            pot.append(polib.POEntry(msgctxt=_context(assignment_id, f"metadata.{field}"), msgid=meta[field],
                                     comment=f"notebook metadata: {field}"))
    for cell in notebook.cells:
        text = _cell_text(cell)
        if cell.cell_type == "markdown" and text.strip():
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            pot.append(polib.POEntry(msgctxt=_context(assignment_id, cell.id), msgid=text,
                                     comment=f"markdown cell {cell.id}" + (f" (nbgrader {grade_id})" if grade_id else "")))
    return pot


def merged(catalogue: polib.POFile | None, pot: polib.POFile) -> polib.POFile:
    """``pot``'s entries, each with the translation ``catalogue`` holds for its key.

    An entry whose English changed keeps its old translation, marked ``fuzzy``, with the old English as
    ``previous_msgid``; a key the template no longer has stays as an obsolete entry (translators may reuse
    it); a new key is untranslated. Where a key holds several entries (a document's blocks), a changed
    block is found as the most similar English of that key no other block kept (:func:`_nearest`).
    """
    live = [e for e in (catalogue or []) if not e.obsolete]
    old = {(e.msgctxt, e.msgid): e for e in live}
    kept = {(e.msgctxt, e.msgid) for e in pot}
    unmatched = [e for e in (catalogue or []) if e.msgstr and (e.msgctxt, e.msgid) not in kept]
    # an entry is found by its key and English; by its key alone (its English changed) where the key is
    # unique on both sides (the checks' texts share one context, and are found by their English only)
    contexts = Counter(e.msgctxt for e in pot)
    old_contexts = Counter(e.msgctxt for e in live)
    by_context = {e.msgctxt: e for e in live if old_contexts[e.msgctxt] == 1}
    result = polib.POFile(wrapwidth=WRAP)
    result.metadata = dict(catalogue.metadata) if catalogue is not None and catalogue.metadata else dict(HEADER)
    for entry in pot:
        new = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, comment=entry.comment)
        before = old.get((entry.msgctxt, entry.msgid))
        if before is None and contexts[entry.msgctxt] == 1:
            before = by_context.get(entry.msgctxt)
        if before is None and entry.msgctxt != i18n.CHECK_CONTEXT:
            before = _nearest(entry, unmatched)
        if before is not None and before in unmatched:
            unmatched.remove(before)
        if before is not None:
            old.pop((before.msgctxt, before.msgid), None)
        if before is not None and before.msgstr:
            new.msgstr = before.msgstr
            if before.msgid != entry.msgid or before.fuzzy:
                new.flags.append("fuzzy")
                new.previous_msgid = before.previous_msgid if before.msgid == entry.msgid else before.msgid
        result.append(new)
    for entry in old.values():  # (an obsolete entry no block reused is dropped)
        if entry.msgstr:
            entry.obsolete = True
            result.append(entry)
    return result


def _nearest(entry: polib.POEntry, candidates: list[polib.POEntry], least: float = 0.6) -> polib.POEntry | None:
    """The candidate of ``entry``'s key whose English is most like ``entry``'s (at least ``least`` alike, by
    difflib's ratio), or None."""
    import difflib

    scored = [(difflib.SequenceMatcher(None, c.msgid, entry.msgid, autojunk=False).ratio(), i, c)
              for i, c in enumerate(candidates) if c.msgctxt == entry.msgctxt]
    best = max(scored, default=None)
    return best[2] if best and best[0] >= least else None


def translated(source: Path, catalogue: polib.POFile, edition: Edition, assignment_id: str) -> nbformat.NotebookNode:
    """The edition's nbgrader source: ``source`` with its markdown and metadata fields replaced by the
    catalogue's translated, non-fuzzy entries (the English stays where there is none), and its set-up cell
    naming the edition."""
    notebook = nbformat.read(source, as_version=4)
    result = copy.deepcopy(notebook)
    done = {e.msgctxt: e.msgstr for e in catalogue if e.translated() and not e.obsolete}
    meta = result.metadata.setdefault("dpdlab", {})
    for field in METADATA_FIELDS:
        key = _context(assignment_id, f"metadata.{field}")
        if field in meta and key in done:
            meta[field] = done[key]
    meta["edition"] = edition.language
    setups = 0
    for cell in result.cells:
        if cell.cell_type == "markdown":
            key = _context(assignment_id, cell.id)
            if key in done:
                cell.source = done[key]
        elif cell.cell_type == "code" and SETUP_CALL.search(_cell_text(cell)) and not setups:
            cell.source = SETUP_CALL.sub(rf'\1setup(edition="{edition.language}")', _cell_text(cell), count=1)
            setups += 1
    if not setups:
        raise ValueError(f"{source}: no set-up cell (a line `setup()`) to name the edition in")
    return result


def _write_po(po: polib.POFile, path: Path) -> bool:
    """Write ``po`` to ``path`` if its text differs; ``True`` if it did."""
    text = po.__unicode__()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def english_sources(course: Path | None = None) -> list[tuple[str, Path]]:
    """Each English source notebook, with its assignment id, in the manifest's order."""
    from dpdlab import release

    course = course or paths.course_dir()
    return [(a.id, notebook) for a in release.manifest(course) for notebook in a.notebooks(course)]


def templates(course: Path | None = None) -> dict[Path, str]:
    """Every catalogue template, as the sources make it now: path -> text."""
    course = course or paths.course_dir()
    return {template_path(aid, course): template(nb, aid).__unicode__() for aid, nb in english_sources(course)}


PACKAGE_TEMPLATE = i18n.LOCALE / f"{i18n.DOMAIN}.pot"
CHECKS = {"check": ("condition", "hint", "question"), "check_type": ("value", "expected", "question", "hint"),
          "check_close": ("value", "expected", "question", "hint")}  # the checks' text parameters, in order


def package_catalogue_path(language: str) -> Path:
    return i18n.LOCALE / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _import_package() -> None:
    """Import every module of the package that may show a student something (so that its tables register)."""
    import importlib
    import pkgutil

    import dpdlab

    for module in pkgutil.walk_packages(dpdlab.__path__, "dpdlab."):
        if not module.name.startswith(("dpdlab.grading", "dpdlab.__main__")):
            importlib.import_module(module.name)


def check_texts(source: Path) -> list[tuple[str, str]]:
    """The hints and questions (text literals) a source notebook's code cells pass to the checks, with the
    cell each is in first."""
    import ast

    found = []
    for cell in nbformat.read(source, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(_cell_text(cell))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CHECKS:
                names = CHECKS[node.func.id]
                texts = [a for n, a in zip(names, node.args) if n in ("hint", "question")]
                texts += [k.value for k in node.keywords if k.arg in ("hint", "question")]
                found += [(t.value, cell.id) for t in texts if isinstance(t, ast.Constant) and isinstance(t.value, str)]
    return found


def package_template(course: Path | None = None) -> polib.POFile:
    """The package catalogue's template: every message table's texts, then the checks' texts in the sources."""
    _import_package()
    pot = polib.POFile(wrapwidth=WRAP)
    pot.metadata = dict(HEADER)
    for context in sorted(i18n.REGISTRY):
        for key, text in i18n.entries(context, i18n.REGISTRY[context]):
            pot.append(polib.POEntry(msgctxt=key, msgid=text))
    seen: set[str] = set()
    for assignment_id, source in english_sources(course):
        for text, cell_id in check_texts(source):
            if text.strip() and text not in seen:
                seen.add(text)
                pot.append(polib.POEntry(msgctxt=i18n.CHECK_CONTEXT, msgid=text,
                                         comment=f"a check in {assignment_id}, cell {cell_id}"))
    return pot


def compiled(po_path: Path) -> bytes:
    """The ``.mo`` of a catalogue: its translated, non-fuzzy entries."""
    import tempfile

    po = polib.pofile(str(po_path), wrapwidth=WRAP)
    for entry in [e for e in po if e.fuzzy or e.obsolete]:
        po.remove(entry)
    with tempfile.TemporaryDirectory() as tmp:
        po.save_as_mofile(str(Path(tmp) / "out.mo"))
        return (Path(tmp) / "out.mo").read_bytes()


def update_package(editions: list[Edition], course: Path | None = None) -> list[Path]:
    """Rewrite the package template, merge it into each edition's package catalogue and compile that."""
    pot = package_template(course)
    changed = [PACKAGE_TEMPLATE] if _write_po(pot, PACKAGE_TEMPLATE) else []
    for edition in editions:
        path = package_catalogue_path(edition.language)
        old = polib.pofile(str(path), wrapwidth=WRAP) if path.exists() else None
        if _write_po(merged(old, pot), path):
            changed.append(path)
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(path):
            mo.write_bytes(compiled(path))
            changed.append(mo)
    return changed


def update(editions: list[Edition], course: Path | None = None) -> list[Path]:
    """Rewrite the templates from the sources and merge them into each edition's existing catalogues; return
    the files that changed."""
    course = course or paths.course_dir()
    changed = []
    for assignment_id, source in english_sources(course):
        pot = template(source, assignment_id)
        if _write_po(pot, template_path(assignment_id, course)):
            changed.append(template_path(assignment_id, course))
        for edition in editions:
            path = catalogue_path(assignment_id, edition.language, course)
            if path.exists() and _write_po(merged(polib.pofile(str(path), wrapwidth=WRAP), pot), path):
                changed.append(path)
    return changed


def update_documents(editions: list[Edition], course: Path | None = None) -> list[Path]:
    """Rewrite the documents' templates and merge each into each edition's existing catalogue."""
    changed = []
    for kind in DOCUMENT_SETS:
        pot = document_template(kind=kind)
        if _write_po(pot, document_template_path(course, kind)):
            changed.append(document_template_path(course, kind))
        for edition in editions:
            path = document_catalogue_path(edition.language, course, kind)
            if path.exists() and _write_po(merged(polib.pofile(str(path), wrapwidth=WRAP), pot), path):
                changed.append(path)
    return changed


def add(assignment_id: str, edition: Edition, course: Path | None = None) -> Path:
    """Start ``edition``'s catalogue of one notebook (every entry untranslated): from then on the notebook is
    part of the edition, and the tests ask for every entry."""
    course = course or paths.course_dir()
    sources = dict(english_sources(course))
    if assignment_id not in sources:
        raise ValueError(f"no English source '{assignment_id}' in the manifest")
    path = catalogue_path(assignment_id, edition.language, course)
    if path.exists():
        raise FileExistsError(f"{path} exists already")
    _write_po(merged(None, template(sources[assignment_id], assignment_id)), path)
    return path


@dataclass(frozen=True)
class Status:
    """How complete one catalogue is."""

    path: Path
    entries: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def complete(self) -> bool:
        return self.entries == self.translated and not self.fuzzy and not self.obsolete


def catalogue_status(path: Path) -> Status:
    po = polib.pofile(str(path), wrapwidth=WRAP)
    live = [e for e in po if not e.obsolete]
    fuzzy = [e for e in live if e.fuzzy]
    translated_entries = [e for e in live if e.translated() and not e.fuzzy]
    return Status(path, len(live), len(translated_entries), len(fuzzy),
                  len(live) - len(translated_entries) - len(fuzzy), len(po) - len(live))


def status(editions: list[Edition], course: Path | None = None) -> list[Status]:
    """The counts of every catalogue of ``editions``: the notebooks', then the package's."""
    course = course or paths.course_dir()
    found = [catalogue_status(catalogue_path(aid, e.language, course)) for aid, _ in english_sources(course)
             for e in editions if catalogue_path(aid, e.language, course).exists()]
    extra = [p for e in editions for p in (*(document_catalogue_path(e.language, course, kind) for kind in DOCUMENT_SETS),
                                            package_catalogue_path(e.language))]
    return found + [catalogue_status(p) for p in extra if p.exists()]


def stale_entries(path: Path) -> list[polib.POEntry]:
    """The entries of a catalogue a translator must look at: untranslated or fuzzy."""
    return [e for e in polib.pofile(str(path), wrapwidth=WRAP) if not e.obsolete and (e.fuzzy or not e.translated())]


# What a translation must carry over from the English unchanged: code, citation keys, link targets, headings.
CODE_SPAN = re.compile(r"`(?:[^`\n]|\n(?![ \t]*\n))+`")  # (a span may wrap onto the next line of its paragraph)
CITATION = re.compile(r"\[([a-z0-9][a-z0-9-]+)\](?!\()")
LINK_TARGET = re.compile(r"\]\(((?:[^()\s]|\([^()\s]*\))+)\)|(?:href|src)=\"([^\"]+)\"")  # (balanced parentheses)
URL = re.compile(r"https?://[^\s)>\]\"']+")
FIELD = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_.\[\]]*(?:![rsa])?(?::[^{}]*)?\}(?!\})")  # str.format fields


def _heading_levels(text: str) -> list[int]:
    return [len(m) for m in re.findall(r"^(#{1,6}) ", text, re.M)]


def carried_over(english: str, translation: str) -> list[str]:
    """What ``translation`` loses of what must stay as the English has it: code spans, ``[key]`` citations,
    link targets, addresses and the headings' levels (empty: nothing)."""
    problems = []
    def found(pattern: re.Pattern, text: str) -> list[str]:  # (a wrapped code span is the same span)
        return [" ".join(m.split()) if pattern is CODE_SPAN else m for m in pattern.findall(text)]

    for name, pattern in (("code span", CODE_SPAN), ("citation", CITATION), ("address", URL)):
        missing = [m for m in dict.fromkeys(found(pattern, english)) if m not in found(pattern, translation)]
        problems += [f"{name} {m!r} is missing" for m in missing]
    targets = {a or b for a, b in LINK_TARGET.findall(english)}
    problems += [f"link target {t!r} is missing" for t in sorted(targets - {a or b for a, b in LINK_TARGET.findall(translation)})]
    fields, kept = sorted(FIELD.findall(english)), sorted(FIELD.findall(translation))
    if fields != kept:
        problems.append(f"the fields {fields} to fill became {kept}")
    if _heading_levels(english) != _heading_levels(translation):
        problems.append(f"headings {_heading_levels(english)} became {_heading_levels(translation)}")
    if english.endswith("\n") != translation.endswith("\n"):
        problems.append("the final line break differs")
    return problems


def relinked(text: str, move: Callable[[str], str], section: Callable[[str, str], str] | None = None) -> str:
    """``text`` with every relative link target (Markdown links and images, ``href`` and ``src``) passed
    through ``move``, and the anchor of a link into another file through ``section`` (called with the moved
    path and the anchor) if given; addresses, ``mailto:`` and in-page anchors are left alone."""
    def replace(match: re.Match) -> str:
        target = match.group(1) or match.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", target, re.I):
            return match.group(0)
        path, _, anchor = target.partition("#")
        moved = move(path)
        if anchor and section:
            anchor = section(moved, anchor)
        return match.group(0).replace(target, moved + (f"#{anchor}" if anchor else ""), 1)

    return LINK_TARGET.sub(replace, text)


# --- documents: the course's Markdown pages beside the notebooks -------------------------------------------

# The English documents an edition translates (paths from the project root); each edition's is written to
# ``<folder>/<language>/<name>`` from the document and the edition's catalogue: ``docs.po`` for the course's
# pages, ``datasheets.po`` for the datasets' datasheets (whose column table and "Bring your own file" section
# are not translated but written from the schema in the edition, as ``dpdlab data rebuild`` writes the English).
DOCUMENTS = ("course/glossary.md", "course/reading_list.md", "course/readings_map.md", "grading/README.md",
             "grading/teaching_guide.md", "grading/facilitation/*.md", "grading/rubrics/*.md")
DOCS, DATASHEETS = "docs", "datasheets"  # the documents' catalogues
DOCUMENT_SETS = (DOCS, DATASHEETS)
FENCE = re.compile(r"^(```|~~~)")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s")
HEADING_LINE = re.compile(r"^#{1,6}\s")  # (a line that starts with a hashtag is not a heading)


def documents(root: Path | None = None, kind: str = DOCS) -> list[Path]:
    """The English documents of one catalogue (``DOCS`` or ``DATASHEETS``), relative to the project root."""
    root = root or paths.project_root()
    if kind == DATASHEETS:
        from dpdlab import data

        return [Path("data") / f"{name}.md" for name in data.dataset_names()]
    return sorted(p.relative_to(root) for pattern in DOCUMENTS for p in root.glob(pattern))


def edition_document(document: Path, edition: Edition) -> Path:
    return document.parent / edition.language / document.name


def document_template_path(course: Path | None = None, kind: str = DOCS) -> Path:
    return translations_dir(course) / f"{kind}.pot"


def document_catalogue_path(language: str, course: Path | None = None, kind: str = DOCS) -> Path:
    return translations_dir(course) / language / f"{kind}.po"


def generated_blocks(document: Path) -> str:
    """The text of a document that is written from the schema rather than translated (a datasheet's column
    table and "Bring your own file" section, in English); empty for any other document."""
    if document.parent != Path("data"):
        return ""
    from dpdlab import data

    with i18n.in_edition(i18n.ENGLISH):
        return data.generated_datasheet_text(document.stem)


def blocks(markdown: str) -> list[tuple[str, bool]]:
    """``markdown`` cut into pieces that give it back when joined: ``(text, translatable)``. Paragraphs,
    headings, tables and each top-level list item are translatable blocks; a fenced code block is a block
    that is never translated, and so is the white space between blocks."""
    lines = markdown.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    spans: list[tuple[int, int, bool]] = []  # first line, last line + 1, translatable
    start, in_fence = None, False

    def close(end: int, translatable: bool = True) -> None:
        nonlocal start
        if start is not None:
            spans.append((start, end, translatable))
            start = None

    for number, line in enumerate(lines):
        if in_fence:
            if FENCE.match(line):
                in_fence = False
                close(number + 1, translatable=False)
        elif FENCE.match(line):
            close(number)
            start, in_fence = number, True
        elif not line.strip():
            close(number)
        elif HEADING_LINE.match(line) or LIST_ITEM.match(line):
            close(number)
            start = number
        elif start is None:
            start = number
    close(len(lines), translatable=not in_fence)
    pieces, done = [], 0
    for first, last, translatable in spans:
        begin, finish = offsets[first], offsets[last - 1] + len(lines[last - 1])
        if begin > done:
            pieces.append((markdown[done:begin], False))
        pieces.append((markdown[begin:finish], translatable))
        done = finish
    if done < len(markdown):
        pieces.append((markdown[done:], False))
    return pieces


def document_template(root: Path | None = None, kind: str = DOCS) -> polib.POFile:
    """The template of one documents' catalogue: one entry per translatable block (its context: the
    document's path), in the documents' order."""
    root = root or paths.project_root()
    pot = polib.POFile(wrapwidth=WRAP)
    pot.metadata = dict(HEADER)
    seen = set()
    for document in documents(root, kind):
        generated = generated_blocks(document)
        for block, translatable in blocks((root / document).read_text(encoding="utf-8")):
            if translatable and block not in generated and (str(document), block) not in seen:
                seen.add((str(document), block))
                pot.append(polib.POEntry(msgctxt=str(document), msgid=block))
    return pot


def translated_document(document: Path, catalogue: polib.POFile, root: Path | None = None) -> str:
    """An English document with each block the catalogue translates (translated, not fuzzy) replaced."""
    root = root or paths.project_root()
    done = {(e.msgctxt, e.msgid): e.msgstr for e in catalogue if e.translated() and not e.fuzzy and not e.obsolete}
    return "".join(done.get((str(document), text), text) if translatable else text
                   for text, translatable in blocks((root / document).read_text(encoding="utf-8")))
