"""Binder builds the course from exactly the pinned requirements and opens it on the start page.

repo2docker's own detection runs here without Docker (``--no-build`` prints the Dockerfile it would
build), and every module the course imports must come from the pinned set, so a Binder build cannot need
anything that ``requirements.txt`` does not install.
"""
from __future__ import annotations

import ast
import importlib.metadata as md
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from conftest import ROOT, cell_text, source_notebooks, student_notebooks
from dpdlab import binder

BINDER = ROOT / "binder"
# Files at the top of the repository that repo2docker would read if binder/ did not exist; with binder/ they
# would be silently ignored, so none may exist (they would mislead whoever edits them).
IGNORED_ROOT_CONFIG = ["environment.yml", "environment.yaml", "runtime.txt", "apt.txt", "postBuild", "start",
                       "Dockerfile", "Project.toml", "REQUIRE", "install.R", "default.nix", "Pipfile",
                       "Pipfile.lock", "requirements3.txt", "setup.py", ".binder"]


def pins(path: Path = ROOT / "requirements.txt") -> dict[str, str]:
    """``{canonical name: version}`` of the ``name==version`` lines of a requirements file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            found[canonicalize_name(name)] = version.strip()
    return found


def runtime_python() -> str:
    text = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(3\.\d+)", text)
    assert match, f"binder/runtime.txt should read python-3.X, not {text!r}"
    return match.group(1)


def test_binder_folder_holds_only_a_pointer_to_the_pinned_requirements_and_the_python_version():
    assert sorted(p.name for p in BINDER.iterdir()) == ["README.md", "requirements.txt", "runtime.txt"]
    lines = [l.split("#", 1)[0].strip() for l in (BINDER / "requirements.txt").read_text().splitlines()]
    assert [l for l in lines if l] == ["-r ../requirements.txt"]
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()  # the course package itself
    present = [name for name in IGNORED_ROOT_CONFIG if (ROOT / name).exists()]
    assert not present, f"repo2docker ignores these while binder/ exists; move them into binder/: {present}"


def test_every_runtime_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith(("-", "./")):  # ./: a folder of this repository (its Jupyter config)
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s;]*", line), f"not an exact pin: {line}"
    pinned = pins()
    with open(ROOT / "pyproject.toml", "rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    unpinned = [d for d in dependencies if canonicalize_name(Requirement(d).name) not in pinned]
    assert not unpinned, f"`-e .` would install these unpinned; pin them in requirements.txt: {unpinned}"


def test_runtime_python_is_one_every_pinned_package_supports():
    version = runtime_python()
    with open(ROOT / "pyproject.toml", "rb") as handle:
        assert version in SpecifierSet(tomllib.load(handle)["project"]["requires-python"])
    for name, pinned in pins().items():
        installed = md.version(name)
        assert installed == pinned, f"{name}: {installed} installed, {pinned} pinned (reinstall requirements)"
        requires = md.metadata(name).get("Requires-Python")
        if requires:
            assert version in SpecifierSet(requires), f"{name}=={pinned} needs Python {requires}, runtime.txt says {version}"


def _closure(names: set[str]) -> set[str]:
    """The distributions ``names`` need, with all their (unconditional, platform-matching) dependencies."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for spec in md.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def _imported_modules(code: str) -> set[str]:
    lines = [l for l in code.splitlines() if not l.lstrip().startswith(("%", "!"))]
    modules = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_everything_the_course_imports_comes_from_the_pinned_requirements():
    code = [p.read_text(encoding="utf-8") for p in (ROOT / "dpdlab").rglob("*.py")]
    for notebook in source_notebooks() + student_notebooks():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code.extend(cell_text(c) for c in cells if c["cell_type"] == "code")
    modules = set().union(*(_imported_modules(c) for c in code)) - set(sys.stdlib_module_names) - {"dpdlab"}
    assert {"pandas", "altair", "ipywidgets"} <= modules  # the walk did find the course's imports
    available = _closure(set(pins()))
    providers = md.packages_distributions()
    outside = {m: providers.get(m) for m in modules
               if not {canonicalize_name(d) for d in providers.get(m, [])} & available}
    assert not outside, f"imported by the course but not installed by requirements.txt: {outside}"


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory) -> tuple[str, str]:
    """What repo2docker would build from a copy of the repository: (Dockerfile, log)."""
    copy = tmp_path_factory.mktemp("r2d") / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "test-artifacts", "build",
                                                              "__pycache__", "*.egg-info", ".pytest_cache"))
    return _repo2docker(copy)


def _repo2docker(repo: Path) -> tuple[str, str]:
    command = [str(Path(sys.executable).parent / "repo2docker"), "--no-build", "--user-id", "1000",
               "--user-name", "jovyan", str(repo)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{shlex.join(command)} failed:\n{result.stderr[-3000:]}"
    return result.stdout, result.stderr


def test_repo2docker_builds_python_from_runtime_txt_and_installs_only_the_pinned_requirements(dockerfile):
    text, log = dockerfile
    assert f"python={runtime_python()}" in log  # "Building conda environment for python=3.11"
    installs = [l.strip() for l in text.splitlines() if re.search(r"\bpip install\b", l)]
    assert installs == ['RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"']
    # the whole repository is copied before that install, so `-e .` and `-r ../requirements.txt` resolve
    assert text.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/") < text.index('-r "binder/requirements.txt"')


def test_without_the_binder_folder_repo2docker_would_reinstall_the_package_over_the_editable_one(tmp_path):
    # Why binder/ exists: at the top level, repo2docker runs its own `pip install .` for pyproject.toml,
    # which replaces the editable install (dpdlab would then look for data/ inside site-packages).
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("pyproject.toml", "requirements.txt", "README.md"):
        shutil.copy2(ROOT / name, repo / name)
    shutil.copy2(BINDER / "runtime.txt", repo / "runtime.txt")
    text, _ = _repo2docker(repo)
    assert "pip install --no-cache-dir ." in text


def test_binder_link_opens_jupyterlab_on_the_start_page():
    url = urlparse(binder.binder_url())
    assert url.netloc == "mybinder.org" and url.path.startswith("/v2/gh/")
    (labpath,) = parse_qs(url.query)["labpath"]
    assert labpath == binder.START_PAGE and (ROOT / labpath).is_file()
    assert Path(labpath) in [p.relative_to(ROOT) for p in student_notebooks()]


def test_readme_badge_is_built_from_the_one_recorded_repository_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert binder.badge() in readme, "README's Binder badge is stale: paste the output of `dpdlab binder badge`"
    owner, name = binder.github_repository(binder.repository_url())
    address = f"github.com/{owner}/{name}"
    recorded = [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in {".md", ".toml", ".py", ".cff", ".txt"}
                and not {".venv", ".git", "build", "test-artifacts"} & set(p.relative_to(ROOT).parts) and address in p.read_text(encoding="utf-8", errors="ignore")]
    assert [p.relative_to(ROOT) for p in recorded] == [Path("pyproject.toml")]


def test_repository_address_must_be_a_github_address():
    assert binder.github_repository("https://github.com/acme/dpd-latam.git") == ("acme", "dpd-latam")
    with pytest.raises(ValueError, match="not a https://github.com"):
        binder.github_repository("https://example.org/acme/dpd-latam")


def _readme_open_command() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(l for l in readme.splitlines() if "jupyter lab" in l and "&&" in l)
    return shlex.split(line.split("&&")[-1])


def test_make_lab_runs_the_readme_command_which_serves_the_whole_course():
    command = _readme_open_command()
    assert command[:2] == [".venv/bin/jupyter", "lab"] and command[-1] == binder.START_PAGE
    # given a file, Jupyter serves that file's folder unless told otherwise, and cases/ would be out of reach
    assert "--notebook-dir=." in command
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lab:.*\n\t(.+)$", makefile, re.M).group(1)
    assert recipe.split() == ["$(BIN)/jupyter", "lab", "$(ROOT_FLAG)", *command[2:]]
