"""One source per notebook: the student notebooks are exactly what nbgrader generates, leak nothing, and
every notebook keeps the course's frame."""
from __future__ import annotations

import re

import pytest

from conftest import (COURSE, ROOT, cell_text, edition_of, edition_sources, edition_students, ids, nbgrader_meta,
                      read_notebook, source_notebooks, student_notebooks)
from dpdlab import release
from dpdlab.grading.stubs import STUBS

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
# every edition's notebooks, English first: what holds of a notebook holds of its translations
SOURCES = source_notebooks() + edition_sources()
STUDENTS = student_notebooks() + edition_students()
TEXT_STUB = {"en": "YOUR ANSWER HERE", **{language: stubs["text"] for language, stubs in STUBS.items()}}


@pytest.mark.grading
def test_committed_student_notebooks_are_exactly_what_the_sources_generate():
    assert release.check() == []


def test_instructor_notebooks_and_guides_are_never_released():
    assert INSTRUCTOR_NOTEBOOKS, "the class analytics and the debrief notebooks are in grading/"
    released = {p.name for p in student_notebooks()}
    assert not released & {p.name for p in INSTRUCTOR_NOTEBOOKS}
    listed = {a.id for a in release.manifest()}
    assert not listed & {"analytics", "instructor", "facilitation"}
    for notebook in student_notebooks():  # the facilitator says the code words; no notebook holds one
        assert set(re.findall(r'code_word=\\"([^"\\]*)', notebook.read_text(encoding="utf-8"))) <= {""}


def test_manifest_lists_every_source_folder():
    assert release.unlisted_sources() == []
    assert {p.relative_to(ROOT) for p in student_notebooks()} == {
        __import__("pathlib").Path(a.destination) / n.name for a in release.manifest() for n in a.notebooks(COURSE)}


@pytest.mark.parametrize("path", STUDENTS, ids=ids(STUDENTS))
def test_student_notebook_has_no_solution_or_hidden_test(path):
    notebook = read_notebook(path)
    text = "\n".join(cell_text(c) for c in notebook["cells"])
    for marker in MARKERS:
        assert marker not in text
    source = next(a.source_dir(COURSE) / path.name for a in release.all_assignments()
                  if path.parent == ROOT / a.destination and (a.source_dir(COURSE) / path.name).exists())
    for cell in read_notebook(source)["cells"]:
        for block in re.findall(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END", cell_text(cell), re.S):
            for line in block.splitlines():
                if len(line.strip()) >= 20:
                    assert line.strip() not in text, f"solution or hidden test leaked: {line.strip()}"
    for cell in notebook["cells"]:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell["cell_type"] == "markdown":
            assert cell_text(cell) == TEXT_STUB[edition_of(path)]  # model answers stay with the instructors


# instructors' notebooks (class analytics, the crisis simulation's debrief): in grading/, never released
INSTRUCTOR_NOTEBOOKS = sorted(p for folder in ("analytics", "instructor") for p in (COURSE / folder).glob("*.ipynb"))


@pytest.mark.parametrize("path", SOURCES + STUDENTS + INSTRUCTOR_NOTEBOOKS, ids=ids(SOURCES + STUDENTS + INSTRUCTOR_NOTEBOOKS))
def test_notebooks_are_committed_without_outputs(path):
    for cell in read_notebook(path)["cells"]:
        assert not cell.get("outputs") and not cell.get("execution_count")


# --- the notebook frame (DESIGN: notebook frame) -------------------------------------------------------

# the frame's headings and labels in each edition (the catalogues' translators use exactly these)
FRAME = {"en": ("**Questions**", "## Learning objectives", "**Time:**", "**Prerequisites:**", "**Seed reading:**",
                "## Keypoints"),
         "es": ("**Preguntas**", "## Objetivos de aprendizaje", "**Tiempo:**", "**Requisitos previos:**",
                "**Lectura base:**", "## Puntos clave")}


@pytest.mark.parametrize("path", SOURCES, ids=ids(SOURCES))
def test_notebook_frame(path):
    notebook = read_notebook(path)
    cells = notebook["cells"]
    intro = cell_text(cells[0])
    edition = edition_of(path)
    *opening, keypoints = FRAME[edition]
    assert intro.startswith("# ")
    for part in opening:
        assert part in intro, f"the first cell lacks {part}"
    assert keypoints in cell_text(cells[-1])
    meta = notebook["metadata"]["dpdlab"]
    assert meta["title"] and meta["topic"] and meta["minutes"]["reading"] > 0

    code = [c for c in cells if c["cell_type"] == "code"]
    call = "setup()" if edition == "en" else f'setup(edition="{edition}")'
    setup_cells = [c for c in code if re.search(r"^setup\(", cell_text(c), re.M)]
    assert len(setup_cells) == 1 and setup_cells[0] is code[0], "one set-up cell, the first code cell"
    assert call in cell_text(setup_cells[0]), f"the set-up cell should call {call}"
    for cell in code[1:]:
        meta_cell = nbgrader_meta(cell)
        if meta_cell.get("solution"):
            continue  # a student's answer may need its own import
        assert not re.search(r"^\s*(import|from)\s+\S+", cell_text(cell), re.M), (
            f"imports belong in the set-up cell:\n{cell_text(cell)[:200]}")
        if not meta_cell.get("grade"):
            assert len(cell_text(cell).splitlines()) <= 15, f"code cell longer than 15 lines:\n{cell_text(cell)[:200]}"


@pytest.mark.parametrize("path", SOURCES, ids=ids(SOURCES))
def test_exercises_assign_named_variables_and_have_checks_with_points(path):
    cells = read_notebook(path)["cells"]
    for index, cell in enumerate(cells):
        meta = nbgrader_meta(cell)
        if meta.get("solution") and not meta.get("grade") and cell["cell_type"] == "code":
            names = re.findall(r"^(q\d+[a-z]?_\w+)\s*=", cell_text(cell), re.M)
            assert names, f"exercise cell assigns no q<N>_ variable:\n{cell_text(cell)}"
            test_cell = cells[index + 1]
            assert nbgrader_meta(test_cell).get("grade") and nbgrader_meta(test_cell).get("points", 0) > 0
            assert all(name in cell_text(test_cell) for name in names)
            assert "passed(" in cell_text(test_cell), "visible checks end by confirming success"
            assert "### BEGIN HIDDEN TESTS" in cell_text(test_cell)
        if meta.get("grade") and meta.get("solution"):
            assert cell["cell_type"] == "markdown" and meta.get("points", 0) > 0
            rubric = COURSE / "rubrics" / f"{path.stem}.md"
            assert rubric.exists(), f"written answers need a rubric at {rubric}"
            assert meta["grade_id"] in rubric.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SOURCES, ids=ids(SOURCES))
def test_later_cells_do_not_use_exercise_answers(path):
    # a student who skips an exercise must be able to run every later non-exercise cell
    for cell in read_notebook(path)["cells"]:
        meta = nbgrader_meta(cell)
        if cell["cell_type"] == "code" and not meta.get("solution") and not meta.get("grade"):
            assert not re.search(r"\bq\d+[a-z]?_\w+", cell_text(cell)), cell_text(cell)


def test_readme_course_map_is_the_generated_one():
    from dpdlab.course import course_map_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert course_map_markdown() in readme, "update the README's table with `dpdlab notebooks map`"
    for path in student_notebooks():
        assert str(path.relative_to(ROOT)) in readme
