"""Untrusted trees unpacked safely: an LMS export (zip, tar, tar.gz) or a folder of submissions.

An export holds what students uploaded, so every entry is hostile input. :func:`unpack` writes a new folder
that holds regular files and folders only: entries with an absolute path or ``..`` are left out, and so are
links, devices and FIFOs, each reported with its name; files are written 0644 and folders 0755, whatever
mode the archive asks for. The export is read twice. The first pass writes nothing: it counts the entries
and adds up the sizes they declare, and refuses the export whole if it is over :class:`Limits`. The second
pass writes, and counts the bytes really written against the same limits, because an archive can lie about
its sizes; an export refused there leaves nothing behind either. Folders are read with
:mod:`dpdlab.grading.files` (links never followed, FIFOs never opened). Archives inside the export are not
unpacked: they are a student's files like any other.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from dpdlab.grading.files import UnsafeFile, entries_beneath, kind_of, read_beneath

MESSAGES = {
    "unsafe_name": "{source}: entry '{name}' has an absolute path or '..' in it; not extracted.",
    "link": "{source}: entry '{name}' is a {kind} (to '{target}'); links are not extracted.",
    "special": "{source}: entry '{name}' is a {kind}; only files and folders are extracted.",
    "encrypted": "{source}: entry '{name}' is encrypted; not extracted.",
    "damaged": "{source}: entry '{name}' cannot be read ({error}); not extracted.",
    "file_too_large": "{source}: entry '{name}' is {mb:.1f} MB, more than the {limit:g} MB allowed for one file; "
                      "not extracted.",
    "clash": "{source}: entry '{name}' clashes with an entry extracted before it (the same name, or a file where "
             "a folder is); only the first is kept.",
    "unwritable": "{source}: entry '{name}' cannot be written ({error}); not extracted.",
    "too_many": "{source}: holds more than {limit:,} entries, the most an import accepts; refused, nothing was "
                "extracted.",
    "too_large": "{source}: declares more than {limit:g} MB of files, the most an import accepts (a zip bomb?); "
                 "refused, nothing was extracted.",
    "overflow": "{source}: holds more bytes than it declares, past the limit of {limit:g} MB {what} (a zip "
                "bomb?); extraction stopped and nothing was kept.",
    "archive_too_large": "{source}: the archive is {mb:.0f} MB, more than the {limit:g} MB an import accepts; "
                         "refused, nothing was extracted.",
    "unreadable": "{source}: cannot be read as a {kind} archive ({error}); refused, nothing was extracted.",
    "not_archive": "{source} is neither a folder nor a zip or tar archive.",
}
CHUNK = 1 << 20
TAR_KINDS = {tarfile.SYMTYPE: "symbolic link", tarfile.LNKTYPE: "hard link", tarfile.FIFOTYPE: "FIFO (named pipe)",
             tarfile.CHRTYPE: "character device", tarfile.BLKTYPE: "block device"}
LINKS = {"link": "symbolic link", "symbolic link": "symbolic link", "hard link": "hard link"}
# what reading a damaged member can raise (gzip's BadGzipFile is an OSError, told apart from write errors)
READ_ERRORS = (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, NotImplementedError, OSError)


@dataclass(frozen=True)
class Limits:
    """What an import accepts: entries in the export, megabytes in all, megabytes in one file."""

    entries: int = 10_000
    total_mb: float = 500
    file_mb: float = 60   # the grader rejects notebooks over 50 MB anyway


LIMITS = Limits()


class ArchiveRefused(ValueError):
    """The whole export is refused (over a limit, or unreadable); nothing of it was kept."""


@dataclass(frozen=True)
class Member:
    """One entry of an export: its name there, what it is, the size it declares, how to read its data."""

    name: str
    kind: str                       # "file", "folder", or what else it is ("symbolic link", "FIFO", ...)
    size: int = 0
    target: str = ""                # where a link points (never followed)
    read: Callable[[], BinaryIO] | None = None
    problem: str = ""               # a MESSAGES key when the entry is left out for another reason
    detail: str = ""                # what that message says about it


class _Unreadable(Exception):
    """A member whose data cannot be read (damaged, a wrong CRC, changed since it was listed)."""


def unpack(source: Path, target: Path, limits: Limits = LIMITS) -> list[str]:
    """Unpack ``source`` (a zip, a tar or compressed tar, or a folder) into the new folder ``target``.

    ``target`` is replaced. Returns one message per entry left out. Raises :class:`ArchiveRefused` when
    the export is over ``limits`` or unreadable; then nothing of it is written and ``target`` is unchanged.
    """
    source, target = Path(source), Path(target)
    with closing(_listing(source, limits)) as listing:
        for _ in listing:  # the first pass: every limit checked before anything is written
            pass
    partial = target.with_name(target.name + ".partial")
    remove(partial)
    partial.mkdir(parents=True, mode=0o755)
    try:
        with closing(_listing(source, limits)) as listing:
            refused = _extract(listing, partial, source.name, limits)
    except BaseException:
        remove(partial)
        raise
    remove(target)  # only now: a refused export leaves the previous import as it was
    partial.rename(target)
    return refused


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a zip or tar file :func:`unpack` can read (by its content, not its name)."""
    path = Path(path)
    return path.is_file() and (zipfile.is_zipfile(path) or tarfile.is_tarfile(path))


def remove(path: Path) -> None:
    """Remove whatever is at ``path`` (a folder tree, a file or a link; a link is removed, not followed)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _listing(source: Path, limits: Limits) -> Iterator[Member]:
    """The members of ``source`` in order, checked against ``limits`` as they come."""
    with _members(source, limits) as members:
        yield from _tally(members, source.name, limits)


@contextmanager
def _members(source: Path, limits: Limits):
    """The members of ``source``, unchecked; the archive stays open while they are read."""
    if source.is_dir():
        yield _folder_members(source, limits)
        return
    if not is_archive(source):
        raise FileNotFoundError(MESSAGES["not_archive"].format(source=source))
    # a zip's index is read whole when it is opened: an archive larger than all it may unpack to is
    # refused before that (LMS exports are compressed notebooks, smaller than what they unpack to)
    if source.stat().st_size > limits.total_mb * 2**20:
        raise ArchiveRefused(MESSAGES["archive_too_large"].format(
            source=source.name, mb=source.stat().st_size / 2**20, limit=limits.total_mb))
    if zipfile.is_zipfile(source):
        with _open(zipfile.ZipFile, source, "zip") as archive:
            yield _zip_members(archive)
    else:
        # a stream ("r|*"): members are read in order, never seeking back through a compressed tar
        with _open(lambda path: tarfile.open(path, "r|*"), source, "tar") as archive:
            yield _tar_members(archive, source.name)


def _open(opener, source: Path, kind: str):
    """``opener(source)``; an archive it cannot open is refused whole."""
    try:
        return opener(source)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as error:
        raise ArchiveRefused(MESSAGES["unreadable"].format(source=source.name, kind=kind, error=error)) from None


def _tally(members: Iterable[Member], source: str, limits: Limits) -> Iterator[Member]:
    """``members``, refusing the export as soon as it has too many or declares too many bytes.

    It stops at the first limit passed, so listing a compressed tar never decompresses much more than the
    limit. A single file over ``limits.file_mb`` is marked to be left out, and not counted.
    """
    total = 0
    for count, member in enumerate(members, start=1):
        if count > limits.entries:
            raise ArchiveRefused(MESSAGES["too_many"].format(source=source, limit=limits.entries))
        if member.kind == "file" and not member.problem:
            if member.size > limits.file_mb * 2**20:
                member = Member(member.name, member.kind, member.size, problem="file_too_large")
            else:
                total += member.size
        if total > limits.total_mb * 2**20:
            raise ArchiveRefused(MESSAGES["too_large"].format(source=source, limit=limits.total_mb))
        yield member


def _zip_members(archive: zipfile.ZipFile) -> Iterator[Member]:
    """The entries of a zip, as its index declares them."""
    for info in archive.infolist():
        # zips made on Unix keep the file type in the high bits (links, FIFOs); other systems leave it out
        mode = info.external_attr >> 16 if info.create_system == 3 else 0
        if info.is_dir():
            kind = "folder"
        elif not stat.S_IFMT(mode) or stat.S_ISREG(mode):
            kind = "file"
        else:
            kind = kind_of(mode)
        problem = "encrypted" if kind == "file" and info.flag_bits & 0x1 else ""
        target = _zip_link_target(archive, info) if kind == "link" else ""
        yield Member(info.filename, kind, info.file_size, target, lambda info=info: archive.open(info), problem)


def _zip_link_target(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """Where a zip's link entry points (its data), for the report; never followed."""
    try:
        with archive.open(info) as handle:
            return handle.read(200).decode("utf-8", "replace")
    except (*READ_ERRORS, RuntimeError):
        return "?"


def _tar_members(archive: tarfile.TarFile, source: str) -> Iterator[Member]:
    """The entries of a tar, one header at a time (so that :func:`_tally` can stop a long listing early)."""
    while True:
        try:
            info = archive.next()
        except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
            raise ArchiveRefused(MESSAGES["unreadable"].format(source=source, kind="tar", error=error)) from None
        if info is None:
            return
        if info.isreg():
            yield Member(info.name, "file", info.size, read=lambda info=info: archive.extractfile(info))
        elif info.isdir():
            yield Member(info.name, "folder")
        else:
            yield Member(info.name, TAR_KINDS.get(info.type, "special file"), target=info.linkname)


def _folder_members(root: Path, limits: Limits) -> Iterator[Member]:
    """The entries under ``root``, walked without following links; a file is read only when extracted."""
    pending = deque([()])
    while pending:
        parts = pending.popleft()
        try:
            entries = entries_beneath(root, Path(*parts) if parts else ".")
        except UnsafeFile as error:  # replaced by a link since it was listed
            yield Member("/".join(parts), "folder", problem="damaged", detail=str(error))
            continue
        for entry in entries:
            relative = (*parts, entry.name)
            if entry.kind == "folder":
                pending.append(relative)
            read = partial(_read_folder_file, root, relative, limits) if entry.kind == "file" else None
            yield Member("/".join(relative), entry.kind, entry.size, entry.target, read)


def _read_folder_file(root: Path, relative: tuple[str, ...], limits: Limits) -> BinaryIO:
    """A regular file under ``root``, read whole (it is at most ``limits.file_mb``) without following links."""
    return io.BytesIO(read_beneath(root, Path(*relative), limit_mb=limits.file_mb))


def safe_parts(name: str) -> tuple[str, ...] | None:
    """The path components of an entry name, or None if it is absolute or climbs out with ``..``.

    Backslashes count as separators too (zips made on Windows use them), so ``..\\x`` cannot climb out.
    """
    if not name or name.startswith(("/", "\\")) or "\x00" in name:
        return None
    parts = tuple(part for part in re.split(r"[/\\]", name) if part not in ("", "."))
    return None if ".." in parts else parts


def _extract(members: Iterable[Member], target: Path, source: str, limits: Limits) -> list[str]:
    """Write the files and folders of ``members`` under ``target``; the messages of those left out."""
    refused, written = [], {}
    budget = int(limits.total_mb * 2**20)
    for member in members:
        parts = safe_parts(member.name)
        message = _refusal(member, source, limits)
        if not message and parts == () and member.kind == "folder":
            continue  # the archive's own top folder, "./"
        if not message and not parts:
            message = MESSAGES["unsafe_name"].format(source=source, name=member.name)
        if not message and _clashes(parts, member.kind, written):
            message = MESSAGES["clash"].format(source=source, name=member.name)
        if message:
            refused.append(message)
            continue
        try:
            _make_folders(target, parts if member.kind == "folder" else parts[:-1], written)
            if member.kind == "file":
                budget -= _write_file(member, target.joinpath(*parts), source, limits, budget)
                written[parts] = "file"
        except _Unreadable as error:
            refused.append(MESSAGES["damaged"].format(source=source, name=member.name, error=error))
        except OSError as error:
            refused.append(MESSAGES["unwritable"].format(source=source, name=member.name,
                                                         error=error.strerror or error))
    return refused


def _refusal(member: Member, source: str, limits: Limits) -> str:
    """Why ``member`` is left out, whatever its name ('' if it is a file or folder to extract)."""
    if member.problem == "file_too_large":
        return MESSAGES["file_too_large"].format(source=source, name=member.name, mb=member.size / 2**20,
                                                 limit=limits.file_mb)
    if member.problem:
        return MESSAGES[member.problem].format(source=source, name=member.name, error=member.detail)
    if member.kind in LINKS:
        return MESSAGES["link"].format(source=source, name=member.name, kind=LINKS[member.kind],
                                       target=member.target)
    if member.kind not in ("file", "folder"):
        return MESSAGES["special"].format(source=source, name=member.name, kind=member.kind)
    return ""


def _clashes(parts: tuple[str, ...], kind: str, written: dict) -> bool:
    """Whether ``parts`` was written already as a file, or lies under something written as a file."""
    if any(written.get(parts[:depth]) == "file" for depth in range(1, len(parts))):
        return True
    return parts in written and (kind == "file" or written[parts] == "file")


def _make_folders(target: Path, parts: tuple[str, ...], written: dict) -> None:
    """Create the folders ``target/parts...`` not made yet, mode 0755."""
    for depth in range(1, len(parts) + 1):
        if parts[:depth] not in written:
            folder = target.joinpath(*parts[:depth])
            folder.mkdir(mode=0o755)
            folder.chmod(0o755)  # whatever the umask or the archive says
            written[parts[:depth]] = "folder"


def _write_file(member: Member, path: Path, source: str, limits: Limits, budget: int) -> int:
    """Copy ``member`` into the new file ``path`` (mode 0644); returns the bytes really written.

    Past ``limits.file_mb`` for this file, or ``budget`` bytes left for the export, raises
    :class:`ArchiveRefused`: the archive holds more than it declared. A member that fails leaves no file.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    os.fchmod(fd, 0o644)  # whatever the umask says
    file_cap = int(limits.file_mb * 2**20)
    written = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(member):
                written += len(chunk)
                if written > min(file_cap, budget):
                    one = file_cap < budget
                    raise ArchiveRefused(MESSAGES["overflow"].format(
                        source=source, limit=limits.file_mb if one else limits.total_mb,
                        what="for one file" if one else "for the whole import"))
                out.write(chunk)
    except BaseException:
        path.unlink()  # nothing half-written is kept
        raise
    return written


def _chunks(member: Member) -> Iterator[bytes]:
    """The data of ``member`` in chunks; a read that fails raises :class:`_Unreadable`."""
    try:
        with member.read() as data:
            while chunk := data.read(CHUNK):
                yield chunk
    except READ_ERRORS as error:
        raise _Unreadable(str(error)) from None
