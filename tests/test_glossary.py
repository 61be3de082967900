"""The glossary covers every student notebook and every entry points to one; the reading list links every
entry and cites only known source keys; the README links both."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, student_notebooks
from dpdlab import data

GLOSSARY = ROOT / "course" / "glossary.md"
READING_LIST = ROOT / "course" / "reading_list.md"
LINK = re.compile(r"\[[^\]]+\]\(([^)\s]+)\)")


def notebook_links(text: str, base: Path) -> set[Path]:
    """The notebooks a Markdown text links to, as paths relative to the project root."""
    found = set()
    for target in LINK.findall(text):
        if target.endswith(".ipynb"):
            found.add((base / target).resolve().relative_to(ROOT.resolve()))
    return found


def entries(text: str) -> list[str]:
    """The list items of a Markdown text (a line starting with '- ' and its indented continuation lines)."""
    items: list[str] = []
    open_item = False
    for line in text.splitlines():
        if line.startswith("- "):
            items.append(line)
            open_item = True
        elif open_item and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
        else:
            open_item = False
    return items


def test_helpers_on_a_known_text(tmp_path):
    text = "- **A** — one. *Used in:* [04](04_x.ipynb), [AR](../cases/y.ipynb)\n  more\n\n- **B** — two.\n"
    assert notebook_links(text, ROOT / "course") == {Path("course/04_x.ipynb"), Path("cases/y.ipynb")}
    assert entries(text) == ["- **A** — one. *Used in:* [04](04_x.ipynb), [AR](../cases/y.ipynb) more",
                             "- **B** — two."]


@pytest.mark.parametrize("notebook", student_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_glossary_points_to_every_student_notebook(notebook):
    linked = notebook_links(GLOSSARY.read_text(encoding="utf-8"), GLOSSARY.parent)
    relative = notebook.relative_to(ROOT)
    assert relative in linked, f"course/glossary.md has no entry that points to {relative}: add its terms"


def test_every_glossary_entry_points_to_a_notebook_in_course_or_cases():
    text = GLOSSARY.read_text(encoding="utf-8")
    terms = [item for item in entries(text) if item.startswith("- **")]
    assert len(terms) >= 60
    for item in terms:
        linked = notebook_links(item, GLOSSARY.parent)
        assert linked, f"glossary entry without a notebook: {item[:60]}"
        assert all(p.parts[0] in ("course", "cases") for p in linked), item[:60]


def test_glossary_terms_are_in_alphabetical_order_within_sections():
    text = GLOSSARY.read_text(encoding="utf-8")
    for section in text.split("\n## ")[1:]:
        names = [m.lower() for m in re.findall(r"^- \*\*([^*]+)\*\*", section, re.M)]
        assert names == sorted(names), section.splitlines()[0]


def test_every_reading_list_entry_has_a_link():
    text = READING_LIST.read_text(encoding="utf-8")
    items = entries(text)
    assert len(items) >= 25
    for item in items:
        assert re.search(r"https?://\S+", item), f"reading-list entry without a link: {item[:70]}"


def test_reading_list_cites_only_known_source_keys_and_marks_what_is_unconfirmed():
    text = READING_LIST.read_text(encoding="utf-8")
    cited = set(re.findall(r"\[([a-z0-9][a-z0-9-]+)\](?!\()", text))  # [key], not [text](link)
    assert cited and cited <= data.source_keys()
    assert text.count("[UNCONFIRMED]") >= 10


def test_readme_links_the_glossary_and_the_reading_list():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(course/glossary.md)" in readme and "(course/reading_list.md)" in readme


def test_start_page_links_the_glossary_and_the_reading_list():
    start = (ROOT / "course" / "00_start_here.ipynb").read_text(encoding="utf-8")
    assert "(glossary.md)" in start and "(reading_list.md)" in start
