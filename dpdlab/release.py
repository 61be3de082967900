"""Student notebooks from their nbgrader sources: one source per notebook, everything else generated.

``grading/manifest.toml`` says which assignment goes where. :func:`generate` runs the real
``nbgrader generate_assignment`` on a throwaway copy of the course (so the instructor's gradebook is not
touched) and returns the released notebooks; :func:`build` writes them to ``course/`` and ``cases/``;
:func:`check` lists every difference between the committed student notebooks and the sources.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from dpdlab import paths

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


def manifest(course: Path | None = None) -> list[Assignment]:
    """The assignments listed in ``grading/manifest.toml``, in order."""
    course = course or paths.course_dir()
    with open(course / MANIFEST, "rb") as handle:
        entries = tomllib.load(handle).get("assignment", [])
    assignments = [Assignment(e["id"], e["destination"]) for e in entries]
    for a in assignments:
        if not a.source_dir(course).is_dir():
            raise FileNotFoundError(f"{MANIFEST} lists '{a.id}' but {a.source_dir(course)} does not exist")
    return assignments


def unlisted_sources(course: Path | None = None) -> list[Path]:
    """Source folders that the manifest does not mention (they would never reach students)."""
    course = course or paths.course_dir()
    listed = {a.id for a in manifest(course)}
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
    """Copy the course's config, manifest and sources (not its gradebook or submissions) into ``target``."""
    course = course or paths.course_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("nbgrader_config.py", MANIFEST):
        shutil.copy2(course / name, target / name)
    for a in assignments or manifest(course):
        shutil.copytree(a.source_dir(course), a.source_dir(target), dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def generate(course: Path | None = None) -> dict[Path, bytes]:
    """Release every assignment with nbgrader; map each student notebook's path (relative to the project
    root) to its bytes."""
    course = course or paths.course_dir()
    assignments = manifest(course)
    released: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="dpdlab-release-") as tmp:
        work = copy_course(Path(tmp) / "course", course, assignments)
        for a in assignments:
            run_nbgrader(["generate_assignment", a.id, "--force"], work)
            for notebook in sorted((work / "release" / a.id).glob("*.ipynb")):
                released[Path(a.destination) / notebook.name] = notebook.read_bytes()
    return released


def check(root: Path | None = None) -> list[str]:
    """Differences between the committed student notebooks and what the sources generate (empty: none)."""
    root = root or paths.project_root()
    expected = generate()
    problems = []
    for relative, content in expected.items():
        committed = root / relative
        if not committed.exists():
            problems.append(f"{relative}: missing (run `dpdlab notebooks build`)")
        elif committed.read_bytes() != content:
            problems.append(f"{relative}: differs from what its source generates (edit the source under "
                            f"grading/source/, then run `dpdlab notebooks build`)")
    destinations = {Path(a.destination) for a in manifest()}
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
