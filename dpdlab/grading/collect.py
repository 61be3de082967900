"""The collect step through nbgrader's exchange: ``inbound/`` into ``submitted/``, regular files only.

Every student can write into the exchange's ``inbound/`` folder, so what is there is hostile input: a
submission folder can be a symbolic link (to the instructor's ``source/`` with its solutions, to ``/root``),
hold links to files only the grader can read, FIFOs that block whoever opens them, or carry a name nbgrader
cannot parse. Stock nbgrader copies it with ``shutil.copytree``, which follows links, and stops the whole
collect at the first name or file it cannot handle. :class:`SafeExchangeCollect` (wired in by
:func:`dpdlab.grading.config.configure`, so ``nbgrader collect`` and the Formgrader's collect button use it)
keeps nbgrader's choice of submissions and replaces the copy: regular files only, read with
:mod:`dpdlab.grading.files` (no link followed, no FIFO opened), each refusal logged with what it was.
"""
from __future__ import annotations

import datetime
import fnmatch
import os
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import parse_utc

from dpdlab.grading.files import UnsafeFile, entries_beneath, read_beneath, write_new

MESSAGES = {
    "bad_name": "Not collecting inbound/{name}: {reason}.",
    "bad_parts": "the name is not <student>+<assignment>+<timestamp>",
    "bad_student": "'{student}' is not a student id",
    "bad_time": "'{value}' is not a timestamp",
    "not_collected": "Not collecting {student}'s submission inbound/{name}: {reason}",
    "left_out": "Collecting {student}'s submission inbound/{name} without {reason}",
    "link": "'{path}', a symbolic link (to '{target}'): links are not followed",
    "special": "'{path}', a {kind}: only regular files are collected",
    "too_large_file": "'{path}' ({kb:,} kB, more than CourseDirectory.max_file_size, {limit:,} kB)",
    "too_large": "it holds {kb:,} kB, more than CourseDirectory.max_dir_size ({limit:,} kB)",
    "bad_timestamp": "{student}'s timestamp.txt says '{value}', which is not a timestamp; it is replaced with "
                     "the time in the submission's name, {time}.",
}
# the username nbgrader gives a record it must not collect: a NUL cannot be in a file name, so no student
# has it, and each refused name gets a group of its own
REFUSED = "\0refused:"


class SafeExchangeCollect(ExchangeCollect):
    """nbgrader's exchange collect, copying regular files only and never following a link."""

    def init_src(self):
        """nbgrader's choice of the newest submission per student, without the names refused."""
        super().init_src()
        self.src_records = [r for r in self.src_records if not r["username"].startswith(REFUSED)]

    def _path_to_record(self, path):
        """The record of an inbound folder name; a name that cannot be parsed is logged and left out
        instead of stopping the collect of the class."""
        filename = os.path.basename(path)
        parts = filename.rsplit("+", 3)
        reason = ""
        if len(parts) < 3:
            reason = MESSAGES["bad_parts"]
        elif not parts[0] or parts[0].startswith("."):  # never "." or "..": it becomes a folder name
            reason = MESSAGES["bad_student"].format(student=parts[0])
        else:
            try:
                timestamp = parse_utc(parts[2])
            except (ValueError, OverflowError):
                reason = MESSAGES["bad_time"].format(value=parts[2][:80])
        if reason:
            self.log.error(MESSAGES["bad_name"].format(name=filename, reason=reason))
            return {"username": REFUSED + filename, "filename": filename, "timestamp": datetime.datetime.min}
        return {"username": parts[0], "filename": filename, "timestamp": timestamp}

    def do_copy(self, src, dest, log=None):
        """Copy the regular files of the submission folder ``src`` to ``dest``; log what is left out."""
        inbound, name = os.path.realpath(os.path.dirname(src)), os.path.basename(src)
        student = name.rsplit("+", 3)[0]
        try:
            files, left_out = self._listing(Path(inbound), name)
        except UnsafeFile as error:
            self.log.error(MESSAGES["not_collected"].format(student=student, name=name, reason=error))
            return
        total_kb = sum(size for _, size in files) // 1000
        if self.coursedir.max_dir_size and total_kb > self.coursedir.max_dir_size:
            reason = MESSAGES["too_large"].format(kb=total_kb, limit=self.coursedir.max_dir_size)
            self.log.error(MESSAGES["not_collected"].format(student=student, name=name, reason=reason))
            return
        os.makedirs(dest, exist_ok=True)
        for relative, _ in files:
            try:
                data = read_beneath(Path(inbound), Path(name, relative), limit_mb=self._limit_mb())
            except UnsafeFile as error:  # changed since it was listed
                left_out.append(str(error))
                continue
            write_new(Path(dest, relative), data, mode=0o664 if self.coursedir.groupshared else 0o644)
        for reason in left_out:
            self.log.warning(MESSAGES["left_out"].format(student=student, name=name, reason=reason))
        self._check_timestamp(Path(dest), name)
        if self.coursedir.groupshared:  # as stock nbgrader leaves it: folders ug+rwx and setgid
            for folder, _, _ in os.walk(dest):
                os.chmod(folder, os.stat(folder).st_mode | 0o2770)

    def _listing(self, inbound: Path, name: str) -> tuple[list[tuple[str, int]], list[str]]:
        """The regular files of ``inbound/name`` to copy (path inside it, size), and what is left out.

        Walked without following links: a link or special file anywhere, the submission folder included,
        is refused. nbgrader's ``CourseDirectory.ignore``, ``include`` and ``max_file_size`` apply as in
        stock nbgrader.
        """
        files, left_out, pending = [], [], [Path()]
        while pending:
            folder = pending.pop()
            for entry in entries_beneath(inbound, Path(name, folder)):
                relative = folder / entry.name
                if any(fnmatch.fnmatch(entry.name, glob) for glob in self.coursedir.ignore):
                    continue
                if entry.kind == "folder":
                    pending.append(relative)
                elif entry.kind == "link":
                    left_out.append(MESSAGES["link"].format(path=relative, target=entry.target))
                elif entry.kind != "file":
                    left_out.append(MESSAGES["special"].format(path=relative, kind=entry.kind))
                elif not any(fnmatch.fnmatch(entry.name, glob) for glob in self.coursedir.include):
                    continue
                elif self.coursedir.max_file_size and entry.size > 1000 * self.coursedir.max_file_size:
                    left_out.append(MESSAGES["too_large_file"].format(
                        path=relative, kb=entry.size // 1000, limit=self.coursedir.max_file_size))
                else:
                    files.append((str(relative), entry.size))
        return sorted(files), left_out

    def _limit_mb(self) -> float:
        """The largest file to read, in MB (nbgrader's max_file_size is in kB)."""
        return (self.coursedir.max_file_size or 10**9) * 1000 / 2**20

    def _check_timestamp(self, dest: Path, name: str) -> None:
        """Replace a ``timestamp.txt`` nbgrader cannot parse (it would stop the next ``collect --update``
        for the class) with the time in the submission's name."""
        path = dest / "timestamp.txt"
        if not path.is_file():
            return
        value = path.read_text(encoding="utf-8", errors="replace").strip()
        try:
            parse_utc(value)
            return
        except (ValueError, OverflowError):
            time = name.rsplit("+", 3)[2]
        self.log.warning(MESSAGES["bad_timestamp"].format(student=name.rsplit("+", 3)[0], value=value[:80],
                                                          time=time))
        write_new(path, time.encode("utf-8"))
