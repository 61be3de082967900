"""Translated editions from one source: the catalogues are complete and current, the edition sources differ
from the English ones only in their text and their set-up cell, a changed English cell shows up as a stale
translation, and no English is left in an edition's markdown."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import polib
import pytest

from conftest import COURSE, ROOT, cell_text, edition_sources, edition_students, ids, read_notebook
from dpdlab import release, translation

EDITIONS = release.editions()
NOTEBOOK_CATALOGUES = sorted(p for e in EDITIONS for p in (translation.translations_dir() / e.language).glob("*.po")
                             if p.stem not in translation.DOCUMENT_SETS)
PACKAGE_CATALOGUES = [translation.package_catalogue_path(e.language) for e in EDITIONS]
DOCUMENT_CATALOGUES = [p for e in EDITIONS for kind in translation.DOCUMENT_SETS
                       if (p := translation.document_catalogue_path(e.language, kind=kind)).exists()]
CATALOGUES = NOTEBOOK_CATALOGUES + PACKAGE_CATALOGUES + DOCUMENT_CATALOGUES
# each edition's documents (glossary, reading list, readings map, teaching guide, rubrics, datasheets), as committed
EDITION_DOCUMENTS = sorted(ROOT / translation.edition_document(d, e) for e in EDITIONS for kind in translation.DOCUMENT_SETS
                           for d in translation.documents(kind=kind)
                           if translation.document_catalogue_path(e.language, kind=kind).exists())


def template_of(catalogue: Path) -> Path:
    if catalogue in PACKAGE_CATALOGUES:
        return translation.PACKAGE_TEMPLATE
    if catalogue.stem in translation.DOCUMENT_SETS:
        return translation.document_template_path(kind=catalogue.stem)
    return translation.template_path(catalogue.stem)


def english_twin(path: Path) -> Path:
    """The English source an edition source is generated from."""
    return COURSE / "source" / path.parent.name.rsplit("_", 1)[0] / path.name


def test_the_course_has_a_spanish_edition_with_catalogues():
    assert [e.language for e in EDITIONS] == ["es"]
    assert CATALOGUES and edition_sources() and edition_students()


def test_the_committed_templates_are_what_the_sources_make():
    made = translation.templates()
    for kind in translation.DOCUMENT_SETS:
        made[translation.document_template_path(kind=kind)] = translation.document_template(kind=kind).__unicode__()
    committed = {p: p.read_text(encoding="utf-8") for p in translation.translations_dir().glob("*.pot")}
    assert set(made) == set(committed), "a template is missing or left over: run `dpdlab notebooks build`"
    stale = [str(p.relative_to(ROOT)) for p in made if made[p] != committed[p]]
    assert not stale, f"templates behind their sources (run `dpdlab notebooks build`): {stale}"


def test_the_committed_package_template_is_what_the_package_and_the_sources_make():
    made = translation.package_template().__unicode__()
    assert translation.PACKAGE_TEMPLATE.read_text(encoding="utf-8") == made, (
        "the package's texts changed: run `dpdlab notebooks build`, then translate what it marks")


def test_the_compiled_package_catalogues_are_their_po_files_compiled():
    for path in PACKAGE_CATALOGUES:
        assert path.with_suffix(".mo").read_bytes() == translation.compiled(path), f"run `dpdlab notebooks build`"


def test_every_catalogue_follows_its_template():
    for path in CATALOGUES:
        pot = polib.pofile(str(template_of(path)))
        live = [e for e in polib.pofile(str(path)) if not e.obsolete]
        assert [(e.msgctxt, e.msgid) for e in live] == [(e.msgctxt, e.msgid) for e in pot], (
            f"{path.name} is not merged with its template: run `dpdlab notebooks build`")


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_no_catalogue_has_an_untranslated_fuzzy_or_obsolete_entry(path):
    found = translation.catalogue_status(path)
    stale = [e.msgctxt for e in translation.stale_entries(path)]
    assert found.complete, f"{found}: to translate or revise: {stale}"


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_translations_keep_code_citations_links_and_headings(path):
    problems = [f"{e.msgctxt}: {p}" for e in polib.pofile(str(path)) if e.translated()
                for p in translation.carried_over(e.msgid, e.msgstr)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", edition_sources(), ids=ids(edition_sources()))
def test_an_edition_source_differs_from_its_english_twin_only_in_text_and_set_up(path):
    edition, english = read_notebook(path), read_notebook(english_twin(path))
    assert [c["id"] for c in edition["cells"]] == [c["id"] for c in english["cells"]]
    assert [c["cell_type"] for c in edition["cells"]] == [c["cell_type"] for c in english["cells"]]
    assert [c["metadata"] for c in edition["cells"]] == [c["metadata"] for c in english["cells"]]  # nbgrader's too
    language = edition["metadata"]["dpdlab"]["edition"]
    setups = 0
    for mine, theirs in zip(edition["cells"], english["cells"]):
        if mine["cell_type"] != "code":
            continue
        if cell_text(mine) != cell_text(theirs):
            setups += 1
            assert cell_text(mine) == cell_text(theirs).replace("setup()", f'setup(edition="{language}")')
    assert setups == 1
    keep = {k: v for k, v in english["metadata"]["dpdlab"].items() if k not in translation.METADATA_FIELDS}
    assert {k: v for k, v in edition["metadata"]["dpdlab"].items() if k not in translation.METADATA_FIELDS} == {
        **keep, "edition": language}


def markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        return "\n\n".join(cell_text(c) for c in read_notebook(path)["cells"] if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", edition_students() + EDITION_DOCUMENTS, ids=ids(edition_students() + EDITION_DOCUMENTS))
def test_edition_links_lead_to_files_that_exist_and_to_the_editions_own_pages(path):
    edition = path.parent.name
    for a, b in translation.LINK_TARGET.findall(markdown_of(path)):
        target = (a or b).partition("#")[0]
        if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target):
            assert (path.parent / target).exists(), f"{path.name}: a link to {target} leads nowhere"
            linked = (path.parent / target).resolve()
            own = linked.parent / edition / linked.name
            if linked.suffix in (".ipynb", ".md") and own.exists() and linked.parent.name != edition:
                pytest.fail(f"{path.name} links to {target}, not to the edition's own {own.relative_to(ROOT)}")


def test_the_spanish_release_has_spanish_stubs():
    text = "\n".join(p.read_text(encoding="utf-8") for p in edition_students())
    assert "ESCRIBA SU CÓDIGO AQUÍ" in text and "ESCRIBA SU RESPUESTA AQUÍ" in text
    assert "YOUR CODE HERE" not in text and "YOUR ANSWER HERE" not in text


@pytest.fixture
def course_copy(tmp_path):
    """A copy of the course's sources, catalogues and manifest, to change."""
    return release.copy_course(tmp_path / "course")


def dpdlab_command(*args: str, course: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dpdlab", *args], capture_output=True, text=True,
                          env={**os.environ, "DPDLAB_COURSE": str(course)})


def test_a_changed_block_of_a_document_keeps_its_old_translation_marked_fuzzy():
    def catalogue(*entries):
        po = polib.POFile()
        for msgid, msgstr in entries:
            po.append(polib.POEntry(msgctxt="course/glossary.md", msgid=msgid, msgstr=msgstr))
        return po

    old = catalogue(("# Glossary", "# Glosario"), ("A term the course uses in module 02.", "Un término del módulo 02."),
                    ("Another paragraph entirely.", "Otro párrafo."))
    pot = catalogue(("# Glossary", ""), ("A term the course uses in modules 02 and 03.", ""), ("A new block.", ""))
    merged = {e.msgid: e for e in translation.merged(old, pot)}
    changed = merged["A term the course uses in modules 02 and 03."]
    assert changed.fuzzy and changed.msgstr == "Un término del módulo 02."
    assert changed.previous_msgid == "A term the course uses in module 02."
    assert not merged["A new block."].msgstr  # unlike any old block: untranslated, not a wrong guess
    assert merged["Another paragraph entirely."].obsolete and not merged["# Glossary"].fuzzy


def test_a_changed_english_cell_marks_its_translation_stale_and_keeps_the_english_until_revised(course_copy):
    english_id, edition = "argentina_account_handover", EDITIONS[0]
    source = course_copy / "source" / english_id / f"{english_id}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "markdown" and c.id != "title")
    old_english = cell.source
    cell.source = old_english + "\n\nA sentence added to the English."
    nbformat.write(notebook, source)

    assert dpdlab_command("translations", "status", course=course_copy).returncode == 0
    changed = translation.update(EDITIONS, course_copy)
    catalogue = translation.catalogue_path(english_id, edition.language, course_copy)
    assert {translation.template_path(english_id, course_copy), catalogue} == set(changed)

    entry = next(e for e in polib.pofile(str(catalogue)) if e.msgctxt == f"{english_id}:{cell.id}")
    assert entry.fuzzy and entry.previous_msgid == old_english and entry.msgstr  # kept, for the translator
    status = dpdlab_command("translations", "status", "es", course=course_copy)
    assert status.returncode == 1 and f"fuzzy: {english_id}:{cell.id}" in status.stdout

    rebuilt = translation.translated(source, polib.pofile(str(catalogue)), edition, english_id)
    assert next(c for c in rebuilt.cells if c.id == cell.id).source == cell.source  # English, until revised
    assert translation.update(EDITIONS, course_copy) == []  # merging again changes nothing


def test_a_removed_cell_leaves_an_obsolete_entry_and_a_new_one_an_untranslated_entry(course_copy):
    english_id = "ni_una_menos"
    source = course_copy / "source" / english_id / f"{english_id}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    removed = next(c for c in notebook.cells if c.cell_type == "markdown" and not c.metadata.get("nbgrader"))
    notebook.cells.remove(removed)
    notebook.cells.append(nbformat.v4.new_markdown_cell("A new closing remark.", id="new-remark"))
    nbformat.write(notebook, source)
    translation.update(EDITIONS, course_copy)
    found = translation.catalogue_status(translation.catalogue_path(english_id, "es", course_copy))
    assert (found.obsolete, found.untranslated, found.fuzzy) == (1, 1, 0) and not found.complete


def test_a_catalogue_added_joins_the_edition(course_copy):
    english_id = "argentina_account_handover"
    catalogue = translation.catalogue_path(english_id, "es", course_copy)
    catalogue.unlink()
    assert english_id + "_es" not in {a.id for a in release.all_assignments(course_copy)}
    added = dpdlab_command("translations", "add", "es", english_id, course=course_copy)
    assert added.returncode == 0 and catalogue.exists()
    assert english_id + "_es" in {a.id for a in release.all_assignments(course_copy)}
    assert translation.catalogue_status(catalogue).untranslated == len(translation.template(
        course_copy / "source" / english_id / f"{english_id}.ipynb", english_id))


def test_the_package_speaks_the_kernels_edition_and_falls_back_to_english():
    from dpdlab import checks, i18n
    from dpdlab.strategy.text import MESSAGES as STRATEGY

    english = checks.MESSAGES["passed"]
    try:
        i18n.set_edition("es")
        spanish = checks.MESSAGES["passed"]
        assert spanish != english and spanish.startswith("✓ {question}:")
        assert STRATEGY["internet_x"] != i18n.REGISTRY["dpdlab.strategy.text"]["internet_x"]  # a table's text
        # a hint a test cell passes as a literal is looked up by its English text; an unknown one stays as it is
        with pytest.raises(checks.CheckFailed) as failed:
            checks.check(False, "Use the three metric names as keys, exactly as written.", "q7_best_channel")
        assert "Use the three" not in str(failed.value)
        assert i18n.check_text("A hint no catalogue holds.") == "A hint no catalogue holds."
    finally:
        i18n.set_edition("en")
    assert checks.MESSAGES["passed"] == english
    with pytest.raises(ValueError, match="no edition"):
        i18n.set_edition("fr")


def test_what_is_cached_with_texts_is_cached_per_edition():
    from dpdlab import i18n
    from dpdlab.checks import MESSAGES

    calls = []

    @i18n.cached_per_edition
    def template(name):
        calls.append(name)
        return MESSAGES["this_answer"] + name

    try:
        english = template("!"), template("!")
        i18n.set_edition("es")
        spanish = template("!")
    finally:
        i18n.set_edition("en")
    assert english == ("This answer!", "This answer!") and spanish != english[0] and calls == ["!", "!"]


def test_dates_are_written_in_the_kernels_edition():
    from dpdlab import i18n

    assert i18n.date_text("2015-06-03") == "03 Jun 2015" and i18n.date_text("2015-06-03", "%B %Y") == "June 2015"
    try:
        i18n.set_edition("es")
        assert i18n.date_text("2015-06-03", "%d %B %Y") == "03 de junio de 2015"
    finally:
        i18n.set_edition("en")


def test_the_checks_fill_a_translated_hint_with_its_values():
    from dpdlab import checks

    with pytest.raises(checks.CheckFailed, match=r"Recall is 0\.50"):
        checks.check(False, "Recall is {recall:.2f}: the detector misses too many coordinated accounts. Lower a "
                     "threshold or need fewer signals.", "q5_flagged", recall=0.5)


# --- no English left ------------------------------------------------------------------------------------

# Words that mark an English sentence and are not Spanish words (nor, often, parts of names).
ENGLISH_WORDS = frozenset("""the and of is are was were which with that this these those you your what when where
why how from into their there have has had will would should could been being than then them they its it's
does doesn't don't can't isn't not but also each every both other only more most such""".split())
QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|\([^()]*en español[^()]*\)|\(\*[^*]*\*\)|`[^`]*`|\[[^\]]*\]\([^)]*\)'
                    r'|https?://\S+|<[^>]+>')


def english_sentences(markdown: str) -> list[str]:
    """The sentences of ``markdown`` that read as English: at least three English words and more English
    words than Spanish ones, once quotations, code, links and addresses are taken out."""
    spanish = {"el", "la", "los", "las", "de", "del", "que", "en", "y", "un", "una", "es", "por", "con", "para",
               "se", "su", "sus", "al", "lo", "como", "más", "pero", "este", "esta", "qué", "cuando"}
    found = []
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n", QUOTED.sub(" ", markdown)):
        words = re.findall(r"[a-záéíóúñü']+", sentence.lower())
        english = sum(w in ENGLISH_WORDS for w in words)
        if english >= 3 and english > sum(w in spanish for w in words):
            found.append(sentence.strip())
    return found


def test_the_english_detector_finds_english_and_passes_spanish_with_quotations():
    assert english_sentences("This is the view of the ministry, and it has been shared.")
    assert not english_sentences('La cancillería publicó "the spirit of good neighbourliness and of the law" '
                                 "(en español: «el espíritu de buena vecindad») en su cuenta.")
    assert not english_sentences("Ejecute la celda con `df.groupby('year').sum()` y compare las columnas.")


# the reading list's references keep their original titles: only the course's own words there are read
PROSE = edition_students() + [p for p in EDITION_DOCUMENTS if p.name != "reading_list.md"]


def without_data_values(text: str) -> str:
    """A Spanish datasheet without the last column of its column table: the values a column's data may hold
    (category codes such as "Not related") are data, written as the files have them."""
    from dpdlab import data, i18n

    with i18n.in_edition("es"):
        header = "\n| " + data.MESSAGES["dictionary_columns"]["column"] + " |"
    start = text.find(header)
    assert start >= 0, "a Spanish datasheet without its column table"
    end = text.find("\n\n", start)
    rows = [row.rsplit(" | ", 1)[0] for row in text[start:end].split("\n")]
    return text[:start] + "\n".join(rows) + text[end:]


@pytest.mark.parametrize("path", PROSE, ids=ids(PROSE))
def test_no_english_sentence_is_left_in_an_editions_pages(path):
    text = markdown_of(path)
    left = english_sentences(without_data_values(text) if path.parent.parent.name == "data" else text)
    assert not left, "English left in the Spanish edition:\n" + "\n".join(left[:10])


def test_the_spanish_readme_has_the_spanish_course_map_and_opens_the_spanish_start_page_on_binder():
    from dpdlab import binder, i18n
    from dpdlab.course import course_map_markdown

    spanish = (ROOT / "README.es.md").read_text(encoding="utf-8")
    assert "(README.es.md)" in (ROOT / "README.md").read_text(encoding="utf-8") and "(README.md)" in spanish
    try:
        i18n.set_edition("es")
        badge, course_map = binder.badge("course/es/00_start_here.ipynb"), course_map_markdown()
    finally:
        i18n.set_edition("en")
    assert badge in spanish, f"README.es.md's Binder badge should be: {badge}"
    assert course_map in spanish, "update README.es.md's table with `dpdlab notebooks map --edition es`"
    assert "course%2Fes%2F00_start_here.ipynb" in badge


def test_the_carry_over_check_catches_what_a_translation_loses():
    english = "## Exercise 1\n\nUse `q1_reach` for {n} rows [manfredi2021], see [the map](glossary.md).\n"
    assert translation.carried_over(english, "## Ejercicio 1\n\nUse `q1_reach` para {n} filas [manfredi2021], "
                                             "vea [el mapa](glossary.md).\n") == []
    lost = translation.carried_over(english, "# Ejercicio 1\n\nUse q1_reach para {m} filas, vea [el mapa](otro.md).")
    for lost_part in ("code span '`q1_reach`'", "citation 'manfredi2021'", "link target 'glossary.md'",
                      "the fields ['{n}'] to fill became ['{m}']", "headings [2] became [1]", "final line break"):
        assert any(lost_part in problem for problem in lost), (lost_part, lost)


def test_a_document_cut_into_blocks_gives_itself_back_and_a_hashtag_line_is_no_heading():
    for document in translation.documents() + translation.documents(kind=translation.DATASHEETS):
        text = (ROOT / document).read_text(encoding="utf-8")
        assert "".join(piece for piece, _ in translation.blocks(text)) == text, document
    pieces = translation.blocks("# Title\n\nA paragraph about the\n#NiUnaMenos march.\n\n```\ncode\n```\n- one\n- two\n")
    assert [p for p, translatable in pieces if translatable] == [
        "# Title", "A paragraph about the\n#NiUnaMenos march.", "- one", "- two"]
    assert ("```\ncode\n```", False) in pieces


def test_a_data_dictionary_in_the_spanish_edition_is_spanish_but_its_identifiers():
    from dpdlab import data, i18n

    english = data.describe("argentina_accounts")
    with i18n.in_edition("es"):
        spanish = data.describe("argentina_accounts")
    assert list(spanish.columns) == ["columna", "tipo", "unidad", "descripción", "valores"]
    assert list(spanish["columna"]) == list(english["column"])  # column names are identifiers
    row = spanish.set_index("columna").loc["followers_min"]
    assert (row["tipo"], row["unidad"]) == ("entero", "seguidores")
    assert row["descripción"] != english.set_index("column").loc["followers_min", "description"]
    assert not english_sentences(" ".join(spanish["descripción"]))
