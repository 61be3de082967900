"""Files the grader takes from untrusted folders: regular files only, never through a link.

A student (or student code) can leave anything in a folder the grader later reads as root: a symbolic link
named like the notebook that points at the gradebook or at ``/etc/shadow``, a FIFO that blocks whoever opens
it, a device. Everything here opens paths one component at a time relative to a trusted folder, with
``O_NOFOLLOW`` (a link anywhere on the way is refused, not followed) and ``O_NONBLOCK`` (a FIFO cannot make
the grader wait), then checks with ``fstat`` that it holds a regular file before reading a byte. Copies
are written as new regular files with the grader's own mode bits (never the source's setuid or sticky
bits).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MESSAGES = {
    "link": "'{path}' is a symbolic link (to '{target}'); the grader does not follow links.",
    "special": "'{path}' is a {kind}, not a regular file; the grader does not open it.",
    "missing": "'{path}' does not exist.",
    "not_folder": "'{path}' is not a folder.",
    "too_large": "'{path}' is {mb:.0f} MB, more than the {limit} MB the grader reads.",
}
KINDS = {stat.S_IFIFO: "FIFO (named pipe)", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device",
         stat.S_IFBLK: "block device", stat.S_IFDIR: "folder", stat.S_IFLNK: "symbolic link"}
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class UnsafeFile(OSError):
    """A path the grader refuses to read (a link, a special file, too large); the message says which."""


@dataclass(frozen=True)
class Entry:
    """One entry of a folder, as ``lstat`` sees it (links are not followed)."""

    name: str
    kind: str          # "file", "folder", "link", or a special kind from KINDS
    size: int
    target: str = ""   # where a link points (read, never followed)


def kind_of(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        return "link"
    return KINDS.get(stat.S_IFMT(mode), "special file")


def _open_folder(root: Path, parts: tuple[str, ...], shown: str) -> int:
    """A descriptor of ``root/parts...``, refusing a link at any step below ``root``."""
    fd = os.open(root, _DIRECTORY_FLAGS)
    try:
        for index, part in enumerate(parts):
            if part in ("", ".", "..") or "/" in part:
                raise UnsafeFile(MESSAGES["not_folder"].format(path=shown))
            try:
                child = os.open(part, _DIRECTORY_FLAGS, dir_fd=fd)
            except OSError as error:
                _explain(fd, part, "/".join(parts[:index + 1]), error)
                raise
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise


def _explain(folder_fd: int, name: str, shown: str, error: OSError) -> None:
    """Turn an open() refusal into a message that says what is really there."""
    try:
        info = os.lstat(name, dir_fd=folder_fd)
    except FileNotFoundError:
        raise UnsafeFile(MESSAGES["missing"].format(path=shown)) from None
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFile(MESSAGES["link"].format(path=shown, target=_link_target(folder_fd, name))) from None
    if not stat.S_ISDIR(info.st_mode) and not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(MESSAGES["special"].format(path=shown, kind=kind_of(info.st_mode))) from None
    if stat.S_ISREG(info.st_mode) and getattr(error, "errno", None) == 20:  # ENOTDIR
        raise UnsafeFile(MESSAGES["not_folder"].format(path=shown)) from None


def _link_target(folder_fd: int, name: str) -> str:
    try:
        return os.readlink(name, dir_fd=folder_fd)[:200]
    except OSError:
        return "?"


def read_beneath(root: Path, relative: str | Path, limit_mb: float = 64) -> bytes:
    """The bytes of the regular file ``root/relative``; raises :class:`UnsafeFile` if any component below
    ``root`` is a link, the file is special, or it is larger than ``limit_mb``."""
    parts = Path(relative).parts
    shown = "/".join(parts)
    folder = _open_folder(Path(root), parts[:-1], shown)
    try:
        # look before opening: opening a device can do something; fstat below checks again after the open
        try:
            info = os.lstat(parts[-1], dir_fd=folder)
        except FileNotFoundError:
            raise UnsafeFile(MESSAGES["missing"].format(path=shown)) from None
        if not stat.S_ISREG(info.st_mode):
            _explain(folder, parts[-1], shown, OSError())
            raise UnsafeFile(MESSAGES["special"].format(path=shown, kind=kind_of(info.st_mode)))
        try:
            fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
        except OSError as error:
            _explain(folder, parts[-1], shown, error)
            raise
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnsafeFile(MESSAGES["special"].format(path=shown, kind=kind_of(info.st_mode)))
            if info.st_size > limit_mb * 2**20:
                raise UnsafeFile(MESSAGES["too_large"].format(path=shown, mb=info.st_size / 2**20, limit=limit_mb))
            data = handle.read(int(limit_mb * 2**20) + 1)
            if len(data) > limit_mb * 2**20:
                raise UnsafeFile(MESSAGES["too_large"].format(path=shown, mb=len(data) / 2**20, limit=limit_mb))
            return data
    finally:
        os.close(folder)


def entries_beneath(root: Path, relative: str | Path = ".") -> list[Entry]:
    """The entries of the folder ``root/relative`` (not recursive, links not followed), sorted by name."""
    parts = tuple(p for p in Path(relative).parts if p != ".")
    folder = _open_folder(Path(root), parts, "/".join(parts) or ".")
    try:
        found = []
        for name in sorted(os.listdir(folder)):
            info = os.lstat(name, dir_fd=folder)
            kind = kind_of(info.st_mode)
            found.append(Entry(name, kind, info.st_size, _link_target(folder, name) if kind == "link" else ""))
        return found
    finally:
        os.close(folder)


def write_new(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to a new regular file at ``path``, replacing whatever entry was there (a link is
    removed, never written through)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(str(path))
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def left_behind(folder: Path, limit: int = 20) -> list[Entry]:
    """Links and special files anywhere under ``folder`` (walked without following links), with their
    path relative to it: what student code left that the grader must not touch."""
    found: list[Entry] = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(top) / name
            info = os.lstat(path)
            kind = kind_of(info.st_mode)
            if kind in ("file", "folder"):
                continue
            target = os.readlink(path)[:200] if kind == "link" else ""
            found.append(Entry(str(path.relative_to(folder)), kind, info.st_size, target))
            if len(found) >= limit:
                return found
    return found
