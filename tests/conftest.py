"""Shared fixtures: the project's paths and discovery of every notebook."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpdlab import paths, release

ROOT = paths.project_root()
COURSE = paths.course_dir()


def source_notebooks() -> list[Path]:
    """Every nbgrader source notebook, discovered (not listed)."""
    return sorted((COURSE / "source").glob("*/*.ipynb"))


def student_notebooks() -> list[Path]:
    """Every committed student notebook in the folders the manifest releases to."""
    folders = sorted({a.destination for a in release.manifest()})
    return sorted(p for folder in folders for p in (ROOT / folder).glob("*.ipynb"))


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def ids(paths_: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths_]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
