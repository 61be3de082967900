"""The teaching guide (grading/teaching_guide.md) names only what exists, and quotes the notebooks truthfully.

- every assignment of grading/manifest.toml has its student notebook linked in the syllabus;
- every link leads to a file that exists; a link into a notebook's section (``nb.ipynb#Anchor``) leads to a
  heading of that notebook, under the anchor the course website gives it (``dpdlab.site``, which renders
  headings as nbconvert does and names them by nbconvert's rule: the heading's text, spaces as hyphens);
- every exercise the guide names (a backticked name such as ``q3_days_to_half`` or ``days_to_reach``) is
  assigned in a solution region of the notebook it is set from: a notebook linked in the same paragraph or
  list item, or else in the same section of the guide; in a *Homework* item every backticked name must be one;
- every written answer it names (``q6-written``) is a manually graded cell of that notebook, and the rubric
  linked beside it names the cell;
- every key it cites in square brackets is in data/SOURCES.md;
- every time it quotes as "title cell: reading N min · exercises M min" is the time in that notebook's title
  cell;
- the weights table is the default of ``dpdlab.assessment`` (``WEIGHTS``), and the code the guide shows calls
  functions of the course's package with arguments they take;
- README.md and grading/README.md link the guide.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import textwrap
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from conftest import COURSE, ROOT, source_notebooks
from dpdlab import assessment, release, site, translation
from test_readings import bibliography, cited_keys

GUIDE = COURSE / "teaching_guide.md"
SOURCES = ROOT / "data" / "SOURCES.md"

LINK = re.compile(r"\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")  # a target may hold balanced parentheses
CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EXERCISE_NAME = re.compile(r"q\d+[a-z]?_[A-Za-z0-9_]+")  # the course's convention for answer variables
WRITTEN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-written")
QUOTED_TIME = re.compile(r"title cell: reading (\d+) min · exercises (\d+) min")
TITLE_TIME = re.compile(r"\*\*Time:\*\*\s*reading (\d+) min · exercises (\d+) min")
HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*$")


# ---------------------------------------------------------------------------------------------------
# The guide: sections and blocks
# ---------------------------------------------------------------------------------------------------

def blocks(text: str) -> list[tuple[int, str, list[str]]]:
    """(first line number, text, enclosing headings) of each paragraph, list item and table row of a Markdown
    text. A list item keeps its indented continuation lines (nested items included); code fences are skipped.
    """
    found: list[tuple[int, str, list[str]]] = []
    headings: list[str] = []
    current: list[str] = []
    start = 0
    fenced = False

    def close():
        nonlocal current
        if current:
            found.append((start, "\n".join(current), list(headings)))
        current = []

    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            close()
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = HEADING.match(line)
        if heading:
            close()
            level = len(heading.group(1))
            headings = headings[: level - 2] + [heading.group(2)]
            continue
        if not line.strip():
            close()
        elif line.startswith(("- ", "|")) or re.match(r"\d+\. ", line):
            close()
            start, current = number, [line]
        else:
            if not current:
                start = number
            current.append(line)
    close()
    return found


def section(text: str, title: str) -> str:
    """The text of the level-2 section ``## title`` (up to the next level-2 heading)."""
    match = re.search(r"^## " + re.escape(title) + r"\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"the guide has no section '## {title}'"
    return match.group(1)


def relative_links(text: str) -> list[str]:
    """Every Markdown link target of ``text`` that is a path (not a web or mail address)."""
    return [t for _, t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def notebook_links(text: str, base: Path) -> list[Path]:
    """The notebooks ``text`` links to, resolved against ``base``, in order (fragments dropped)."""
    return [(base / t.split("#", 1)[0]).resolve() for t in relative_links(text) if t.split("#", 1)[0].endswith(".ipynb")]


def code_spans(text: str) -> list[str]:
    return CODE.findall(text)


# ---------------------------------------------------------------------------------------------------
# The notebooks
# ---------------------------------------------------------------------------------------------------

def source_of(student: Path) -> Path | None:
    """The nbgrader source of a student notebook (same file name under grading/source/), if there is one."""
    matches = [p for p in all_sources() if p.name == student.name]
    return matches[0] if len(matches) == 1 else None


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text_of(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def solution_regions(path: Path) -> list[str]:
    """The code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in the code cells of a notebook."""
    regions = []
    for cell in cells(path):
        if cell["cell_type"] == "code":
            regions += re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text_of(cell), re.S)
    return regions


def bound_names(code: str) -> set[str]:
    """Names a piece of code assigns or defines at its top level (regular expressions if it does not parse)."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:
        names = set(re.findall(r"^\s*def\s+(\w+)", code, re.M))
        for targets in re.findall(r"^\s*([A-Za-z_][\w\s,]*?)\s*(?::[^=\n]+)?=(?!=)", code, re.M):
            names.update(t.strip() for t in targets.split(",") if t.strip())
        return names
    names: set[str] = set()

    def add(target):
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                add(element)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                add(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            add(node.target)
    return names


@lru_cache(maxsize=None)
def exercises(source: Path) -> frozenset[str]:
    """The names a source notebook's solution regions assign: its exercises' answers and functions."""
    return frozenset(name for region in solution_regions(source) for name in bound_names(region))


@lru_cache(maxsize=None)
def written_answers(source: Path) -> frozenset[str]:
    """The grade ids of a source notebook's manually graded answer cells."""
    found = set()
    for cell in cells(source):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and meta.get("grade") and meta.get("solution"):
            found.add(meta["grade_id"])
    return frozenset(found)


def all_sources() -> list[Path]:
    """The English sources: the guide teaches from them (each edition's say the same)."""
    return source_notebooks()


@lru_cache(maxsize=None)
def every_exercise() -> frozenset[str]:
    return frozenset().union(*(exercises(s) for s in all_sources()))


@lru_cache(maxsize=None)
def every_written_answer() -> frozenset[str]:
    return frozenset().union(*(written_answers(s) for s in all_sources()))


class HeadingIds(HTMLParser):
    """The ``id`` of every heading element of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            value = dict(attrs).get("id")
            if value:
                self.ids.add(value)


@lru_cache(maxsize=None)
def anchors(notebook: Path) -> frozenset[str]:
    """The anchors of a notebook's headings as the course website names them."""
    page = site.page_html(site.static_notebook(nbformat.read(notebook, as_version=4)), notebook.stem)
    parser = HeadingIds()
    parser.feed(page)
    return frozenset(parser.ids)


def title_time(notebook: Path) -> tuple[int, int] | None:
    """(reading, exercises) minutes from the title cell of a notebook (its source's, if it has one)."""
    path = source_of(notebook) or notebook
    match = TITLE_TIME.search(text_of(cells(path)[0]))
    return (int(match.group(1)), int(match.group(2))) if match else None


# ---------------------------------------------------------------------------------------------------
# Problems (each check returns what is wrong, so the tests below can also run it on made-up guides)
# ---------------------------------------------------------------------------------------------------

def syllabus_problems(text: str, base: Path, expected: list[Path]) -> list[str]:
    """Student notebooks of the manifest that the syllabus section does not link."""
    linked = set(notebook_links(section(text, "The syllabus"), base))
    return [f"the syllabus does not link {p.relative_to(ROOT)}" for p in expected if p.resolve() not in linked]


def link_problems(text: str, base: Path) -> list[str]:
    """Links to files that do not exist, and anchors that are not a heading of the notebook linked."""
    problems = []
    for target in relative_links(text):
        path, _, fragment = target.partition("#")
        file = (base / path).resolve() if path else None
        if file is None or not file.exists():
            problems.append(f"no file {path or '(empty)'} (link {target})")
            continue
        if fragment:
            if file.suffix != ".ipynb":
                problems.append(f"{target}: an anchor into a file that is not a notebook cannot be checked")
            elif fragment not in anchors(file):
                problems.append(f"{target}: {path} has no heading with the anchor {fragment!r}")
    return problems


def scope(block: str, headings: list[str], text_by_section: dict[tuple[str, ...], str], base: Path) -> list[Path]:
    """The notebooks a block's exercises are set from: those it links, or else those its section links."""
    linked = notebook_links(block, base)
    for depth in range(len(headings), 0, -1):
        if linked:
            break
        linked = notebook_links(text_by_section.get(tuple(headings[:depth]), ""), base)
    return linked


def sections_by_heading(text: str) -> dict[tuple[str, ...], str]:
    """All the text under each heading path (a section with its subsections)."""
    joined: dict[tuple[str, ...], list[str]] = {}
    for _, block, headings in blocks(text):
        for depth in range(1, len(headings) + 1):
            joined.setdefault(tuple(headings[:depth]), []).append(block)
    return {key: "\n".join(value) for key, value in joined.items()}


def exercise_problems(text: str, base: Path) -> list[str]:
    """Exercises and written answers the guide names that the notebook in scope does not set, and written
    answers whose linked rubric does not name them."""
    problems = []
    by_section = sections_by_heading(text)
    known = every_exercise()
    for line, block, headings in blocks(text):
        homework = block.lstrip("- ").startswith("**Homework")
        names = [s for s in code_spans(block) if IDENTIFIER.fullmatch(s)]
        wanted = list(dict.fromkeys(n for n in names if homework or n in known or EXERCISE_NAME.fullmatch(n)))
        written = list(dict.fromkeys(s for s in code_spans(block)
                                     if WRITTEN_ID.fullmatch(s) or s in every_written_answer()))
        if not wanted and not written:
            continue
        notebooks = scope(block, headings, by_section, base)
        if not notebooks:
            problems.append(f"line {line}: names {wanted + written} but links no notebook, nor does its section")
            continue
        sources = [s for s in (source_of(n) for n in notebooks) if s is not None]
        where = ", ".join(n.name for n in notebooks)
        for name in wanted:
            if not any(name in exercises(s) for s in sources):
                problems.append(f"line {line}: `{name}` is not assigned in a solution region of {where}")
        rubrics = [(base / t).resolve() for t in relative_links(block) if "rubrics/" in t]
        for answer in written:
            if not any(answer in written_answers(s) for s in sources):
                problems.append(f"line {line}: `{answer}` is not a manually graded answer of {where}")
            if not rubrics:
                problems.append(f"line {line}: `{answer}` is named without a link to its rubric")
            for rubric in rubrics:
                if rubric.exists() and f"`{answer}`" not in rubric.read_text(encoding="utf-8"):
                    problems.append(f"line {line}: {rubric.name} does not name `{answer}`")
    return problems


def time_problems(text: str, base: Path) -> list[str]:
    """Times quoted as the title cell's that are not the title cell's, or quoted without their notebook."""
    problems = []
    for line, block, _ in blocks(text):
        for match in QUOTED_TIME.finditer(block):
            before = notebook_links(block[: match.start()], base)
            if not before:
                problems.append(f"line {line}: a time quoted without a notebook link before it")
                continue
            notebook = before[-1]
            quoted = (int(match.group(1)), int(match.group(2)))
            actual = title_time(notebook) if notebook.exists() else None
            if quoted != actual:
                problems.append(f"line {line}: {notebook.name}: the guide says reading {quoted[0]} · exercises "
                                f"{quoted[1]} min, the title cell {actual}")
    return problems


def key_problems(text: str) -> list[str]:
    known = set(bibliography(SOURCES.read_text(encoding="utf-8")))
    return [f"[{key}] is not in data/SOURCES.md" for key in sorted(cited_keys(text) - known)]


# ---------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def manifest_notebooks() -> list[Path]:
    return [ROOT / a.destination / nb.name for a in release.manifest() for nb in a.notebooks(COURSE)]


def test_every_assignment_of_the_manifest_is_in_the_syllabus(guide):
    problems = syllabus_problems(guide, GUIDE.parent, manifest_notebooks())
    assert not problems, "\n".join(problems)


def test_every_link_and_section_the_guide_points_to_exists(guide):
    problems = link_problems(guide, GUIDE.parent)
    assert not problems, "\n".join(problems)


EDITION_DOCUMENTS = sorted(ROOT / translation.edition_document(d, e) for e in release.editions()
                           for kind in translation.DOCUMENT_SETS for d in translation.documents(kind=kind))


@pytest.mark.parametrize("document", EDITION_DOCUMENTS, ids=[str(d.relative_to(ROOT)) for d in EDITION_DOCUMENTS])
def test_every_link_of_a_translated_document_leads_to_a_file_and_a_section_of_its_edition(document):
    """The Spanish guide, rubrics, glossary, reading list and datasheets: a link into a notebook's section
    names the section's translated heading, in the edition's notebook."""
    problems = link_problems(document.read_text(encoding="utf-8"), document.parent)
    assert not problems, "\n".join(problems)


def test_a_translated_guides_section_links_name_the_translated_headings():
    spanish = (ROOT / "grading" / "es" / "teaching_guide.md").read_text(encoding="utf-8")
    into_sections = [t for t in relative_links(spanish) if ".ipynb#" in t]
    assert into_sections and all("/es/" in t for t in into_sections)
    assert not [t for t in into_sections if t.split("#", 1)[1] in anchors(ROOT / "course" / "00_start_here.ipynb")
                and "00_start_here" in t], "a Spanish link kept an English anchor"


def test_every_exercise_and_written_answer_the_guide_names_is_set_in_its_notebook(guide):
    problems = exercise_problems(guide, GUIDE.parent)
    assert not problems, "\n".join(problems)


def test_every_time_the_guide_quotes_is_the_title_cells(guide):
    problems = time_problems(guide, GUIDE.parent)
    assert not problems, "\n".join(problems)


def test_every_key_the_guide_cites_is_in_the_bibliography(guide):
    assert cited_keys(guide), "the guide cites no reading by its key"
    problems = key_problems(guide)
    assert not problems, "\n".join(problems)


WEIGHT_ROWS = {"Autograded exercises": "exercises", "Concept checks": "concept_checks",
               "Written answers": "written", "Crisis simulation": "simulation", "Participation": "participation"}


def test_the_weights_table_is_the_default_of_dpdlab_assessment(guide):
    weights = {}
    for line in section(guide, "Assessment").splitlines():
        cells_ = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells_[0] in WEIGHT_ROWS:
            weights[WEIGHT_ROWS[cells_[0]]] = float(cells_[-1].rstrip(" %")) / 100
    assert weights == pytest.approx(assessment.WEIGHTS), weights
    assert sum(weights.values()) == pytest.approx(1)


def test_the_code_the_guide_shows_calls_what_exists(guide):
    fences = re.findall(r"```python\n(.*?)```", guide, re.S)
    assert fences, "the guide shows no Python code"
    calls = 0
    for node in ast.walk(ast.parse("\n".join(fences))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            module, name = node.func.value.id, node.func.attr
            if module not in {"analytics", "assessment"}:
                continue
            function = getattr(importlib.import_module(f"dpdlab.{module}"), name, None)
            assert callable(function), f"dpdlab.{module} has no function {name}"
            parameters = inspect.signature(function).parameters
            for keyword in node.keywords:
                assert keyword.arg in parameters, f"dpdlab.{module}.{name} takes no argument {keyword.arg}"
            calls += 1
    assert calls >= 2


def test_the_readme_and_the_instructor_guide_link_the_teaching_guide():
    assert "(grading/teaching_guide.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(teaching_guide.md)" in (COURSE / "README.md").read_text(encoding="utf-8")


def test_the_checks_catch_a_made_up_broken_guide(tmp_path):
    # A made-up course folder beside the real notebooks: grading/ holds the guide, course/ one real module.
    base = tmp_path / "grading"
    base.mkdir()
    (base / "rubrics").mkdir()
    (base / "rubrics" / "01_vienna_to_timeline.md").write_text("## Exercise 5 (`q5-written`)\n", encoding="utf-8")
    (tmp_path / "course").mkdir()
    module = ROOT / "course" / "01_vienna_to_timeline.ipynb"
    (tmp_path / "course" / module.name).write_bytes(module.read_bytes())
    link = "../course/01_vienna_to_timeline.ipynb"
    broken = (f"## The syllabus\n\n### Week 2\n\n- **Notebook:** [01]({link}) (title cell: reading 1 min · exercises 2 min).\n"
              f"- A prompt on [a real section]({link}#Diplomacy-works-in-three-spheres) and "
              f"[a missing one]({link}#No-such-heading), [a missing file](../course/99_missing.ipynb).\n"
              f"- **Homework.** From [01]({link}): `q2_spheres`, `q2_sphere`, `q5-written` "
              f"([rubric](rubrics/01_vienna_to_timeline.md)) and `q6-written` ([rubric](rubrics/01_vienna_to_timeline.md)).\n"
              "\n## Elsewhere\n\nA stray `q1_years_to_training` with no notebook, and [not-a-key-2099].\n")
    assert blocks("a\nb\n\n- item\n  more\n| row |\n")[1] == (4, "- item\n  more", [])
    assert syllabus_problems(broken, base, [tmp_path / "course" / module.name]) == []
    assert syllabus_problems(broken, base, [ROOT / "cases" / "ni_una_menos.ipynb"]) == [
        "the syllabus does not link cases/ni_una_menos.ipynb"]
    problems = link_problems(broken, base)
    assert len(problems) == 2 and "No-such-heading" in problems[0] and "99_missing" in problems[1], problems
    problems = exercise_problems(broken, base)
    assert any("`q2_sphere` is not assigned" in p for p in problems), problems
    assert any("`q6-written` is not a manually graded answer" in p for p in problems), problems
    assert any("does not name `q6-written`" in p for p in problems), problems
    assert any("names ['q1_years_to_training'] but links no notebook" in p for p in problems), problems
    assert not any("`q2_spheres`" in p or "`q5-written` is not" in p for p in problems), problems
    assert time_problems(broken, base) == [
        "line 5: 01_vienna_to_timeline.ipynb: the guide says reading 1 · exercises 2 min, the title cell "
        f"{title_time(module)}"]
    assert key_problems(broken) == ["[not-a-key-2099] is not in data/SOURCES.md"]


def test_solution_regions_yield_the_names_they_assign():
    code = "q1_x = 3\nq2_a, q2_b = 1, 2\ndef scale(t):\n    inner = t\n    return inner\nq3_y: int = 4\n"
    assert bound_names(code) == {"q1_x", "q2_a", "q2_b", "scale", "q3_y"}
    assert bound_names("    q1_x = (1,\n") == {"q1_x"}  # does not parse: read line by line
    argentina = COURSE / "source" / "argentina_account_handover" / "argentina_account_handover.ipynb"
    assert {"q1_account_kinds", "days_to_reach", "q3_days_to_half"} <= exercises(argentina)
    assert written_answers(argentina) == {"q6-written"}
