"""Links to the course on Binder, built from the one place the repository's address is written.

The address is ``Repository`` under ``[project.urls]`` in ``pyproject.toml``. :func:`badge` is the
Markdown badge the README shows; its link opens JupyterLab on the start page (``labpath=``). The Binder
configuration itself is in ``binder/`` (see ``binder/README.md``).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import quote

from dpdlab import paths
from dpdlab.i18n import messages

START_PAGE = "course/00_start_here.ipynb"
BINDER = "https://mybinder.org"
PLACEHOLDER_OWNER = "OWNER"
MESSAGES = messages(__name__, {
    "badge_alt": "Launch the course on Binder",
    "no_url": "pyproject.toml has no [project.urls] Repository entry: add the repository's public address there.",
    "not_github": "The Repository address {url!r} in pyproject.toml is not a https://github.com/<owner>/<name> "
                  "address, which the Binder link needs.",
})
_GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$")


def repository_url(root: Path | None = None) -> str:
    """The repository's public address, from ``pyproject.toml``."""
    with open((root or paths.project_root()) / "pyproject.toml", "rb") as handle:
        url = tomllib.load(handle).get("project", {}).get("urls", {}).get("Repository")
    if not url:
        raise ValueError(MESSAGES["no_url"])
    return url


def github_repository(url: str) -> tuple[str, str]:
    """``(owner, name)`` of a GitHub address."""
    match = _GITHUB.match(url.strip())
    if not match:
        raise ValueError(MESSAGES["not_github"].format(url=url))
    return match.group(1), match.group(2)


def is_placeholder(root: Path | None = None) -> bool:
    """True while the address in ``pyproject.toml`` is still the placeholder."""
    return github_repository(repository_url(root))[0] == PLACEHOLDER_OWNER


def binder_url(path: str = START_PAGE, ref: str = "HEAD", root: Path | None = None) -> str:
    """The Binder link that builds the repository at ``ref`` and opens JupyterLab on ``path``."""
    owner, name = github_repository(repository_url(root))
    return f"{BINDER}/v2/gh/{owner}/{name}/{ref}?labpath={quote(path, safe='')}"


def badge(path: str = START_PAGE, root: Path | None = None) -> str:
    """The README's Markdown badge: Binder's logo linking to :func:`binder_url`."""
    return f"[![{MESSAGES['badge_alt']}]({BINDER}/badge_logo.svg)]({binder_url(path, root=root)})"
