"""The five readings are cited, mapped and listed truthfully.

- every reading's key is cited in at least one notebook source;
- every section the readings map (course/readings_map.md) points to exists: the notebook is there and has a
  markdown heading with that text, compared as JupyterLab shows it;
- no two keys of the bibliography (data/SOURCES.md) point to the same work: the same address, or the same
  author and title;
- the reading list cites only keys that exist, and every notebook it names under *Used in* does cite the
  entry's work (in its text, or in the rows of a dataset it loads).

Run ``python tests/test_readings.py`` to print, for every keyed entry of the reading list, the notebooks that
cite it now: the *Used in* lists to copy into course/reading_list.md after the notebooks change.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "SOURCES.md"
READINGS_MAP = ROOT / "course" / "readings_map.md"
READING_LIST = ROOT / "course" / "reading_list.md"
SOURCE_NOTEBOOKS = ROOT / "grading" / "source"

READINGS = ("aguirre-erlandsen-2018", "latinskaia-amerika-2025", "bradshaw-2015", "academic-block", "mischier")

KEY = r"[a-z0-9][a-z0-9-]*"
ENTRY = re.compile(r"^- \*\*\[(" + KEY + r")\]\*\*(.*?)(?=^- \*\*\[|^#|^\S|\Z)", re.M | re.S)
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
URL = re.compile(r"https?://[^\s)>\]]+")


# ---------------------------------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------------------------------

def cells(path: Path) -> list[dict]:
    """The cells of a notebook file."""
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text_of(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def shown_heading(raw: str) -> str:
    """A heading's text as JupyterLab shows it: no '#'s, emphasis or code marks, single spaces."""
    return " ".join(re.sub(r"[*`]", "", raw).split())


def headings(path: Path) -> set[str]:
    """The markdown headings of a notebook (any cell, any line outside a fenced code block)."""
    found = set()
    for cell in cells(path):
        if cell["cell_type"] != "markdown":
            continue
        fenced = False
        for line in text_of(cell).splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                continue
            match = None if fenced else HEADING.match(line)
            if match:
                found.add(shown_heading(match.group(1)))
    return found


def source_notebooks() -> list[Path]:
    """The English sources (an edition's are generated from them, with the same citations)."""
    from conftest import source_notebooks as english_sources

    return english_sources()


def source_of(student: Path) -> Path:
    """The English nbgrader source a student notebook (course/ or cases/) is generated from (same file name)."""
    matches = [p for p in source_notebooks() if p.name == student.name]
    if len(matches) != 1:
        raise FileNotFoundError(f"no single source notebook named {student.name} under grading/source/")
    return matches[0]


def mentions(text: str, key: str) -> bool:
    """Whether ``key`` occurs in ``text`` as a whole key (not as part of a longer one)."""
    return re.search(r"(?<![a-z0-9-])" + re.escape(key) + r"(?![a-z0-9-])", text) is not None


def cited_in_markdown(path: Path, key: str) -> bool:
    """Whether a notebook's markdown cites ``key`` as ``[key]`` (alone or among others) or as `key`."""
    for cell in cells(path):
        if cell["cell_type"] != "markdown":
            continue
        text = text_of(cell)
        brackets = re.findall(r"\[([^\]]+)\](?!\()", text)
        if any(key in (part.strip() for part in group.split(";")) for group in brackets):
            return True
        if f"`{key}`" in text:
            return True
    return False


@lru_cache(maxsize=None)
def dataset_keys(name: str) -> frozenset[str]:
    """The source keys a bundled dataset's rows cite (empty if it has no source column)."""
    path = ROOT / "data" / f"{name}.csv"
    if not path.exists():
        return frozenset()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return frozenset(k.strip() for row in rows for k in (row.get("source") or "").split(";") if k.strip())


def cites(path: Path, key: str) -> bool:
    """Whether a notebook cites ``key``: in the text of any cell, or in a dataset it loads by name."""
    for cell in cells(path):
        text = text_of(cell)
        if mentions(text, key):
            return True
        if cell["cell_type"] == "code":
            for name in re.findall(r"load_dataset\(\s*[\"']([a-z0-9_]+)[\"']", text):
                if key in dataset_keys(name):
                    return True
    return False


# ---------------------------------------------------------------------------------------------------
# The readings map
# ---------------------------------------------------------------------------------------------------

def map_rows(text: str) -> list[tuple[int, str, str]]:
    """(line number, notebook link, section) for each table row of the map that points to a notebook.

    A row's notebook cell holds a link to the notebook; the cell after it holds the section's heading text.
    """
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            continue
        cells_ = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        for i, cell in enumerate(cells_[:-1]):
            link = LINK.search(cell)
            if link and link.group(2).endswith(".ipynb"):
                rows.append((number, link.group(2), cells_[i + 1].replace("\\|", "|")))
                break
    return rows


def map_problems(text: str, base: Path) -> list[str]:
    """What is wrong with a readings map whose links are relative to ``base``; empty if nothing."""
    problems = []
    rows = map_rows(text)
    if not rows:
        problems.append("the map has no rows that point to a notebook section")
    for number, target, section in rows:
        notebook = (base / target).resolve()
        if not notebook.is_file():
            problems.append(f"line {number}: no notebook {target}")
            continue
        if shown_heading(section) not in headings(notebook):
            problems.append(f"line {number}: {target} has no heading {section!r}")
    return problems


# ---------------------------------------------------------------------------------------------------
# The bibliography
# ---------------------------------------------------------------------------------------------------

def normal_url(url: str) -> str:
    """An address reduced to what identifies the page: no scheme, 'www.', trailing '/' or AMP marker."""
    url = url.rstrip(".,;")
    url = re.sub(r"^https?://(www\d?\.)?", "", url, flags=re.I)
    url = re.sub(r"[?&]outputType=amp$", "", url)
    url = re.sub(r"/amp/?$", "", url)
    host, _, rest = url.partition("/")
    return host.lower() + ("/" + rest.rstrip("/") if rest.rstrip("/") else "")


def squeeze(text: str) -> str:
    return re.sub(r"[^0-9a-záéíóúñüç]+", " ", text.lower()).strip()


def author_and_title(body: str) -> tuple[str, str] | None:
    """The author part and title of an entry: the text before its first quoted or italic title, and that title.

    The quality tag at the end of an entry (" — *press*") is not a title and is cut off first.
    """
    body = re.sub(r"\s—\s\*(primary|academic|press|secondary)\b.*\Z", "", body, flags=re.S)
    match = re.search(r"\"([^\"]{8,})\"|\*([^*]{8,})\*", body)
    if not match:
        return None
    author = squeeze(body[:match.start()])
    title = squeeze(match.group(1) or match.group(2))
    return (author, title) if author and title else None


def bibliography(text: str) -> dict[str, str]:
    """Key → body of each entry of a SOURCES.md text."""
    return {key: body for key, body in ENTRY.findall(text)}


def duplicate_works(text: str) -> list[str]:
    """Pairs of keys of a SOURCES.md text that point to the same address or the same author and title."""
    seen_urls: dict[str, str] = {}
    seen_works: dict[tuple[str, str], str] = {}
    found = []
    for key, body in bibliography(text).items():
        for url in {normal_url(u) for u in URL.findall(body)}:
            if url in seen_urls and seen_urls[url] != key:
                found.append(f"[{seen_urls[url]}] and [{key}] share the address {url}")
            seen_urls.setdefault(url, key)
        work = author_and_title(body)
        if work:
            if work in seen_works:
                found.append(f"[{seen_works[work]}] and [{key}] are the same work: {work[0]}, {work[1]}")
            seen_works.setdefault(work, key)
    return found


# ---------------------------------------------------------------------------------------------------
# The reading list
# ---------------------------------------------------------------------------------------------------

def list_items(text: str) -> list[str]:
    """The list items of a Markdown text: a line starting with '- ' and its indented continuation lines."""
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


def cited_keys(text: str) -> set[str]:
    """The keys a Markdown text cites in square brackets (``[key]`` or ``[key; key]``, not ``[text](link)``)."""
    keys = set()
    for group in re.findall(r"\[([^\]]+)\](?!\()", text):
        parts = [p.strip() for p in group.split(";")]
        if all(re.fullmatch(KEY, p) for p in parts):
            keys.update(parts)
    return keys


def used_in_problems(text: str, base: Path) -> list[str]:
    """Reading-list entries whose *Used in* names a notebook that cites none of the entry's keys."""
    problems = []
    for item in list_items(text):
        if "*Used in:*" not in item:
            continue
        keys = cited_keys(item)
        if not keys:
            problems.append(f"an entry with *Used in* but no key: {item[:70]}")
            continue
        for _, target in LINK.findall(item.split("*Used in:*", 1)[1]):
            if not target.endswith(".ipynb"):
                continue
            student = (base / target).resolve()
            try:
                source = source_of(student)
            except FileNotFoundError as error:
                problems.append(str(error))
                continue
            if not any(cites(source, key) for key in keys):
                problems.append(f"{target} cites none of {sorted(keys)} ({item[:50]}…)")
    return problems


def used_in(key: str) -> list[str]:
    """The student notebooks (as links from course/) whose sources cite ``key``, in course order."""
    from dpdlab.release import manifest

    links = []
    for assignment in manifest():
        for source in sorted((SOURCE_NOTEBOOKS / assignment.id).glob("*.ipynb")):
            if cites(source, key):
                folder = "" if assignment.destination == "course" else f"../{assignment.destination}/"
                links.append(f"{folder}{source.name}")
    return links


# ---------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------

def test_every_reading_is_cited_in_a_notebook_source():
    notebooks = source_notebooks()
    for key in READINGS:
        assert any(cited_in_markdown(nb, key) for nb in notebooks), f"no notebook source cites [{key}]"


def test_every_reading_has_a_bibliography_entry_and_a_section_in_the_map():
    known = bibliography(SOURCES.read_text(encoding="utf-8"))
    text = READINGS_MAP.read_text(encoding="utf-8")
    for key in READINGS:
        assert key in known, f"data/SOURCES.md has no entry [{key}]"
        assert re.search(r"^## .*\[" + re.escape(key) + r"\]", text, re.M), f"the readings map has no section for [{key}]"


def test_every_section_the_readings_map_points_to_exists():
    problems = map_problems(READINGS_MAP.read_text(encoding="utf-8"), READINGS_MAP.parent)
    assert not problems, "\n".join(problems)


def test_no_two_bibliography_keys_point_to_the_same_work():
    problems = duplicate_works(SOURCES.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_the_reading_list_cites_only_known_keys():
    known = set(bibliography(SOURCES.read_text(encoding="utf-8")))
    unknown = cited_keys(READING_LIST.read_text(encoding="utf-8")) - known
    assert not unknown, f"course/reading_list.md cites keys that data/SOURCES.md lacks: {sorted(unknown)}"


def test_every_used_in_of_the_reading_list_is_true():
    problems = used_in_problems(READING_LIST.read_text(encoding="utf-8"), READING_LIST.parent)
    assert not problems, "\n".join(problems)


def test_the_start_page_and_the_reading_list_link_the_readings_map():
    start = SOURCE_NOTEBOOKS / "00_start_here" / "00_start_here.ipynb"
    assert "(readings_map.md)" in start.read_text(encoding="utf-8")
    assert "(readings_map.md)" in READING_LIST.read_text(encoding="utf-8")


def test_the_checks_catch_a_made_up_broken_map_and_bibliography(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    notebook = {"cells": [{"cell_type": "markdown", "source": ["## A *real* heading\n", "More text.\n",
                                                               "```\n", "# not a heading\n", "```"]}]}
    (course / "01_x.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    broken = ("| claim | use | notebook | section |\n|---|---|---|---|\n"
              "| a | taught | [01](01_x.ipynb) | A real heading |\n"
              "| b | taught | [01](01_x.ipynb) | A heading that is not there |\n"
              "| c | taught | [02](02_missing.ipynb) | Anything |\n"
              "| d | taught | [01](01_x.ipynb) | not a heading |\n")
    problems = map_problems(broken, course)
    assert len(problems) == 3 and "line 4" in problems[0] and "no notebook" in problems[1], problems
    assert map_problems("| no | links |\n", course) == ["the map has no rows that point to a notebook section"]

    sources = ("- **[a-2020]** Ann Author, \"A Title of Some Length\", 2020. https://www.example.org/x/ — *press*\n"
               "- **[b-2020]** Other, report. http://example.org/x — *press*\n"
               "- **[c-2021]** Ann Author, \"A title of some length\" (reprint). https://example.net/y — *press*\n"
               "- **[d-2021]** Ann Author, \"Another title entirely\". https://example.net/y?id=2 — *press*\n")
    found = duplicate_works(sources)
    assert len(found) == 2 and "[a-2020] and [b-2020]" in found[0] and "[a-2020] and [c-2021]" in found[1], found

    listing = ("- One work [a-2020]. https://example.org — *Used in:* [01](01_x.ipynb)\n"
               "- No key. https://example.org — *Used in:* [01](01_x.ipynb)\n")
    assert cited_keys(listing) == {"a-2020"}
    assert list_items(listing + "\n  not a continuation\n") == listing.splitlines()


LABELS = {"argentina_account_handover": "AR", "peru_icj_campaign": "PE", "ni_una_menos": "NUM"}


def label(link: str) -> str:
    """The short name the glossary and the reading list give a notebook: its number, or AR, PE, NUM."""
    stem = Path(link).stem
    return LABELS.get(stem, stem[:2] if stem[:2].isdigit() else stem)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for item in list_items(READING_LIST.read_text(encoding="utf-8")):
        for key in sorted(cited_keys(item)):
            links = ", ".join(f"[{label(t)}]({t})" for t in used_in(key))
            print(f"{key}: {links or '(cited in no notebook)'}")
