"""`dpdlab grade import`: LMS exports mapped to student ids, with a report of what could not be mapped.

Student uploads are hostile input: the attacks here (a file named after a classmate, archive entries that
climb out or are links, devices or bombs, folders with links and FIFOs) are each refused with a specific
message, the rest of the class is imported, and nothing outside the course's downloaded/, submitted/ and
reports/ is written.
"""
from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from dpdlab import cli, grading, release
from dpdlab.grading import archives, importing

A = "argentina_account_handover"
NB = f"{A}.ipynb"
PATTERNS = list(grading.PATTERNS.values())
ROSTER = [{"student_id": "ana", "lms_id": "1001", "login": "aperez", "name": "Ana Perez"},
          {"student_id": "bruno", "lms_id": "1002", "login": "bsilva", "name": "Bruno Silva"}]


@pytest.mark.parametrize("name, expected", [
    (f"aperez_1001_77_{NB}", "ana"),                                   # Canvas
    (f"bsilva_LATE_1002_78_{NB}", "bruno"),                            # Canvas, late
    (f"Ana Perez_1001_assignsubmission_file_{NB}", "ana"),             # Moodle
    (f"bruno/{NB}", "bruno"),                                          # a folder per student
])
def test_lms_file_names_map_to_roster_ids(name, expected):
    info, note = grading.match_file(name, PATTERNS, ROSTER, [NB])
    assert info == {"student_id": expected, "file_id": NB} and note == ""


def test_unmappable_files_say_why():
    assert "no student in the roster has lms_id '9999'" in grading.match_file(
        f"zed_9999_1_{NB}", PATTERNS, ROSTER, [NB])[1]
    assert "matches none of the patterns" in grading.match_file("homework.ipynb", PATTERNS, None, [NB])[1]
    assert "not a notebook" in grading.match_file("notes.pdf", PATTERNS, None, [NB])[1]
    assert "not a usable student id" in grading.match_file(f"../x/{NB}", [r"^(?P<student_id>.*)/(?P<file_id>.+)$"],
                                                          None, [NB])[1]


def test_a_renamed_notebook_is_taken_when_the_assignment_has_one():
    info, note = grading.match_file(f"aperez_1001_77_{A} (1).ipynb", PATTERNS, ROSTER, [NB])
    assert info["file_id"] == NB and "file name differed" in note


def test_import_a_zip_export_with_a_roster_then_again(tmp_path, monkeypatch, capsys):
    course = release.copy_course(tmp_path / "course", assignments=[a for a in release.manifest() if a.id == A])
    monkeypatch.setenv("DPDLAB_COURSE", str(course))
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_id,login,name\nana,1001,aperez,Ana Perez\nbruno,1002,bsilva,Bruno\n")
    export = tmp_path / "submissions.zip"
    notebook = (course / "source" / A / NB).read_bytes()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(f"aperez_1001_77_{NB}", notebook)
        archive.writestr(f"bsilva_LATE_1002_78_{A}-1.ipynb", notebook)
        archive.writestr(f"zed_9999_79_{NB}", notebook)
    before = export.read_bytes()
    for _ in range(2):  # the same import twice gives the same result
        assert cli.main(["grade", "import", A, str(export), "--roster", str(roster)]) == 1
        out = capsys.readouterr().out
        assert "ok      ana:" in out and "ok      bruno:" in out
        assert "UNMAPPED zed_9999_79" in out and "lms_id '9999'" in out
        assert "2 student(s) imported, 1 file(s) not mapped" in out
        for student in ("ana", "bruno"):
            assert (course / "submitted" / student / A / NB).read_bytes() == notebook
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["ana", "bruno"]
    assert export.read_bytes() == before


def test_a_bad_roster_is_refused_with_its_line(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_id\nana,1\n../evil,2\n")
    with pytest.raises(ValueError, match="line 3: '../evil'"):
        grading.read_roster(roster)


# -- hostile input: what students upload, and the names they give it -------------------------------------
STUDENTS = "student_id,lms_id,login,name\nalice,123,alice,Alice A\nmallory,789,mallory,Mallory X\nbob,555,bob,Bob B\n"
KEPT = ("downloaded", "submitted", "reports")  # the only folders of the course an import may write


def notebook_of(who: str) -> bytes:
    """A small notebook that says whose it is."""
    return json.dumps(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"# by {who}", id="by")])).encode()


@pytest.fixture
def course(tmp_path, monkeypatch):
    course = release.copy_course(tmp_path / "course", assignments=[a for a in release.manifest() if a.id == A])
    monkeypatch.setenv("DPDLAB_COURSE", str(course))
    return course


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(STUDENTS)
    return path


@pytest.fixture
def canary(tmp_path):
    """A root-only file the import must never copy."""
    path = tmp_path / "secret" / "shadow"
    path.parent.mkdir()
    path.write_text("CANARY root-only\n")
    path.chmod(0o600)
    return path


def tree(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every entry under ``root`` (links not followed) but the folders an import may write: mode and content."""
    found = {}
    for top, dirs, files in os.walk(root):
        relative = Path(top).relative_to(root)
        if relative.parts[:2] in {("course", kept) for kept in KEPT}:
            continue
        for name in dirs + files:
            if (relative / name).parts[:2] in {("course", kept) for kept in KEPT}:
                continue
            path = Path(top) / name
            info = path.lstat()
            data = path.read_bytes() if stat.S_ISREG(info.st_mode) else os.readlink(path).encode() \
                if stat.S_ISLNK(info.st_mode) else b""
            found[str(relative / name)] = (info.st_mode, data)
    return found


def submitted(course: Path) -> dict[str, bytes]:
    return {str(p.relative_to(course / "submitted")): p.read_bytes()
            for p in sorted((course / "submitted").rglob("*")) if p.is_file()}


def run_import(source: Path, *args: str) -> tuple[int, str]:
    """``dpdlab grade import`` in a process of its own, with a time limit: a FIFO must not make it hang."""
    result = subprocess.run([sys.executable, "-m", "dpdlab.cli", "grade", "import", A, str(source), *args],
                            check=False, capture_output=True, text=True, timeout=300, env=os.environ.copy())
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("layout, files", [
    ("canvas", {f"alice_123_455_{NB}": "alice", "mallory_789_1011_alice_123_456_handover.ipynb": "mallory",
                f"bob_LATE_555_1012_{NB}": "bob"}),
    ("moodle folders", {f"Alice A_123_assignsubmission_file_/{NB}": "alice",
                        "Mallory X_789_assignsubmission_file_/alice_123_456_handover.ipynb": "mallory",
                        f"Bob B_555_assignsubmission_file_/{NB}": "bob"}),
    ("moodle flat", {f"Alice A_123_assignsubmission_file_{NB}": "alice",
                     "Mallory X_789_assignsubmission_file_alice_123_456_handover.ipynb": "mallory",
                     f"Bob B_555_assignsubmission_file_{NB}": "bob"}),
])
def test_a_file_named_after_a_classmate_is_its_uploaders(layout, files, roster):
    rows = grading.read_roster(roster)
    # the attack is live: the name mallory chose, alone, is a Canvas name of alice's
    assert grading.match_file("alice_123_456_handover.ipynb", PATTERNS, rows, [NB])[0]["student_id"] == "alice"
    plan = importing.plan_import(sorted(files), rows, [NB])
    assert {file: info["student_id"] for file, info in plan.files.items()} == files
    assert plan.unmapped == []


def test_impersonation_in_a_moodle_export_neither_succeeds_nor_stops_the_class(tmp_path, course, roster):
    export = tmp_path / "moodle"
    for folder, name, who in [("Alice A_123", NB, "alice"), ("Mallory X_789", "alice_123_456_handover.ipynb",
                                                              "mallory"), ("Bob B_555", NB, "bob")]:
        (export / f"{folder}_assignsubmission_file_").mkdir(parents=True)
        (export / f"{folder}_assignsubmission_file_" / name).write_bytes(notebook_of(who))
    status, out = run_import(export, "--roster", str(roster))
    assert status == 0, out
    assert submitted(course) == {f"{who}/{A}/{NB}": notebook_of(who) for who in ("alice", "bob", "mallory")}
    assert "taken as argentina_account_handover.ipynb for student mallory" in out


def test_two_files_for_one_notebook_are_refused_naming_both_and_the_class_is_imported(tmp_path, course, roster):
    export = tmp_path / "canvas.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(f"alice_123_455_{NB}", notebook_of("alice"))
        archive.writestr(f"mallory_789_1011_{NB}", notebook_of("mallory 1"))
        archive.writestr(f"mallory_789_1011_{A} (1).ipynb", notebook_of("mallory 2"))
        archive.writestr(f"bob_555_1012_{NB}", notebook_of("bob"))
    status, out = run_import(export, "--roster", str(roster))
    assert status == 1
    assert (f"UNMAPPED mallory_789_1011_{NB}: mallory's {NB} also comes from mallory_789_1011_{A} (1).ipynb; "
            "none of them is imported") in out
    assert f"UNMAPPED mallory_789_1011_{A} (1).ipynb: mallory's {NB} also comes from mallory_789_1011_{NB}" in out
    assert submitted(course) == {f"{who}/{A}/{NB}": notebook_of(who) for who in ("alice", "bob")}


def test_of_two_files_the_newer_by_the_lms_timestamp_is_taken(tmp_path, course):
    pattern = r"^(?P<student_id>[a-z]+)_(?P<timestamp>\d{8}T\d{6})_(?P<file_id>[^/]+\.ipynb)$"
    export = tmp_path / "export"
    export.mkdir()
    for name, who in [(f"ana_20260301T100000_{NB}", "old"), (f"ana_20260302T090000_{NB}", "new"),
                      (f"bruno_20260301T100000_{NB}", "bruno"), (f"zed_20269999T999999_{NB}", "zed")]:
        (export / name).write_bytes(notebook_of(who))
    report = grading.import_submissions(A, export, patterns=[pattern])
    assert submitted(course) == {f"ana/{A}/{NB}": notebook_of("new"), f"ana/{A}/timestamp.txt": b"2026-03-02 09:00:00",
                                 f"bruno/{A}/{NB}": notebook_of("bruno"),
                                 f"bruno/{A}/timestamp.txt": b"2026-03-01 10:00:00"}
    assert f"ana_20260301T100000_{NB}: ana's {NB} also comes from ana_20260302T090000_{NB}, which is newer" in \
        " ".join(report.notes)
    assert report.unmapped == [(f"zed_20269999T999999_{NB}: the timestamp '20269999T999999' is not a date and "
                                "time; not imported.")]


def test_roster_columns_that_disagree_or_share_a_name_map_no_one():
    rows = ROSTER + [{"student_id": "ana2", "lms_id": "1003", "login": "aperez2", "name": "Ana Perez"}]
    assert importing.lookup({"login": "aperez", "lms_id": "1002"}, rows, "x")[1] == \
        "x: the roster's columns name different students (lms_id '1002': bruno; login 'aperez': ana); not imported."
    assert "more than one student with name 'Ana Perez' (ana, ana2)" in importing.lookup({"name": "Ana Perez"}, rows,
                                                                                        "x")[1]
    assert importing.lookup({"name": "Ana Perez", "lms_id": "1003"}, rows, "x") == ("ana2", "")


def test_the_layout_is_decided_once_and_a_re_zipped_export_is_looked_into():
    files = [f"submissions/aperez_1001_77_{NB}", f"submissions/bsilva_1002_78_{NB}", f"submissions/bruno/{NB}"]
    plan = importing.plan_import(files, ROSTER, [NB])
    assert {f: i["student_id"] for f, i in plan.files.items()} == {f"aperez_1001_77_{NB}": "ana",
                                                                    f"bsilva_1002_78_{NB}": "bruno"}
    assert plan.unmapped == [(f"bruno/{NB}: not laid out like the rest of this export (canvas: "
                              "login[_LATE]_userid_submissionid_file.ipynb); not imported. Rename it or pass "
                              "--pattern.")]
    assert "in the folder 'submissions/'" in plan.notes[0]
    assert importing.choose_layout([f"ana/{NB}"]) == ("", "folders")  # one student's folder is not a wrapper


# -- archives ---------------------------------------------------------------------------------------------
def zip_entry(name: str, mode: int, data: bytes = b"") -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system, info.external_attr = 3, mode << 16
    return info, data


def test_hostile_zip_entries_are_reported_and_dropped(tmp_path, course, canary):
    export = tmp_path / "canvas.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for info, data in [zip_entry(f"ana_1_2_{NB}", stat.S_IFREG | 0o6777, notebook_of("ana")),
                           zip_entry("a_folder/", stat.S_IFDIR | 0o7777),
                           zip_entry(f"../../escaped_1_2_{NB}", stat.S_IFREG | 0o644, b"ESCAPED"),
                           zip_entry(f"{tmp_path}/absolute_1_2_{NB}", stat.S_IFREG | 0o644, b"ESCAPED"),
                           zip_entry(f"..\\..\\windows_1_2_{NB}", stat.S_IFREG | 0o644, b"ESCAPED"),
                           zip_entry(f"mallory_3_4_{NB}", stat.S_IFLNK | 0o777, str(canary).encode()),
                           zip_entry(f"eve_5_6_{NB}", stat.S_IFIFO | 0o644),
                           zip_entry(f"zed_7_8_{NB}", stat.S_IFCHR | 0o644)]:
            archive.writestr(info, data)
        archive.writestr(f"bob_9_10_{A}.zip", b"PK\x05\x06" + bytes(18))  # a student's own archive
    before = tree(tmp_path)
    status, out = run_import(export)
    assert status == 1
    for line in [f"REFUSED canvas.zip: entry '../../escaped_1_2_{NB}' has an absolute path or '..' in it",
                 f"REFUSED canvas.zip: entry '{tmp_path}/absolute_1_2_{NB}' has an absolute path or '..' in it",
                 f"REFUSED canvas.zip: entry '..\\..\\windows_1_2_{NB}' has an absolute path or '..' in it",
                 f"REFUSED canvas.zip: entry 'mallory_3_4_{NB}' is a symbolic link (to '{canary}'); links are not",
                 f"REFUSED canvas.zip: entry 'eve_5_6_{NB}' is a FIFO (named pipe); only files and folders",
                 f"REFUSED canvas.zip: entry 'zed_7_8_{NB}' is a character device; only files and folders",
                 f"UNMAPPED bob_9_10_{A}.zip: not a notebook (.ipynb); skipped."]:
        assert line in out
    assert submitted(course) == {f"ana/{A}/{NB}": notebook_of("ana")}
    unpacked = course / "downloaded" / A / "unpacked"
    assert sorted(p.name for p in unpacked.iterdir()) == ["a_folder", f"ana_1_2_{NB}", f"bob_9_10_{A}.zip"]
    assert stat.S_IMODE((unpacked / "a_folder").stat().st_mode) == 0o755
    for path in [unpacked / f"ana_1_2_{NB}", course / "submitted" / "ana" / A / NB]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert tree(tmp_path) == before  # nothing escaped, nothing changed outside the import's folders
    assert all(b"CANARY" not in data for data in submitted(course).values())


@pytest.mark.parametrize("name, mode", [("export.tar", "w"), ("export.tar.gz", "w:gz"), ("export.tgz", "w:gz")])
def test_hostile_tar_entries_are_reported_and_dropped(tmp_path, course, canary, name, mode):
    export = tmp_path / name
    with tarfile.open(export, mode) as archive:
        def add(entry: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", link: str = "", perm: int = 0o644):
            info = tarfile.TarInfo(entry)
            info.type, info.linkname, info.mode, info.size = kind, link, perm, len(data)
            archive.addfile(info, io.BytesIO(data))
        add(f"ana_1_2_{NB}", data=notebook_of("ana"), perm=0o6777)
        add(f"../escaped_1_2_{NB}", data=b"ESCAPED")
        add(f"/{tmp_path}/absolute_1_2_{NB}", data=b"ESCAPED")
        add(f"mallory_3_4_{NB}", tarfile.SYMTYPE, link=str(canary))
        add(f"eve_5_6_{NB}", tarfile.LNKTYPE, link=str(canary))
        add(f"zed_7_8_{NB}", tarfile.FIFOTYPE)
        add(f"kim_9_10_{NB}", tarfile.BLKTYPE)
    before = tree(tmp_path)
    status, out = run_import(export)
    assert status == 1
    for line in [f"REFUSED {name}: entry '../escaped_1_2_{NB}' has an absolute path or '..' in it",
                 f"REFUSED {name}: entry '/{tmp_path}/absolute_1_2_{NB}' has an absolute path or '..' in it",
                 f"REFUSED {name}: entry 'mallory_3_4_{NB}' is a symbolic link (to '{canary}')",
                 f"REFUSED {name}: entry 'eve_5_6_{NB}' is a hard link (to '{canary}')",
                 f"REFUSED {name}: entry 'zed_7_8_{NB}' is a FIFO (named pipe)",
                 f"REFUSED {name}: entry 'kim_9_10_{NB}' is a block device"]:
        assert line in out
    assert submitted(course) == {f"ana/{A}/{NB}": notebook_of("ana")}
    assert stat.S_IMODE((course / "submitted" / "ana" / A / NB).stat().st_mode) == 0o644
    assert tree(tmp_path) == before


def test_a_zip_bomb_is_refused_before_anything_is_extracted(tmp_path, course):
    export = tmp_path / "bomb.zip"
    zeros = bytes(59 * 2**20)  # nine files under the 60 MB a file may have, 531 MB in all
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number in range(9):
            archive.writestr(f"s{number}_{number}_1_{NB}", zeros)
    assert export.stat().st_size < 3 * 2**20
    status, out = run_import(export)
    assert status == 2
    assert "bomb.zip: declares more than 500 MB of files, the most an import accepts (a zip bomb?); refused" in out
    assert not (course / "submitted").exists() and not (course / "downloaded").exists()


def test_an_export_with_too_many_entries_is_refused(tmp_path, course):
    export = tmp_path / "many.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"f{number}", b"")
    status, out = run_import(export)
    assert status == 2 and "many.zip: holds more than 10,000 entries, the most an import accepts" in out
    assert not (course / "submitted").exists() and not (course / "downloaded").exists()


def test_one_file_over_the_size_limit_is_left_out_and_the_class_imported(tmp_path, course):
    export = tmp_path / "canvas.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"ana_1_2_{NB}", notebook_of("ana"))
        archive.writestr(f"bob_3_4_{NB}", bytes(2 * 2**20))
    report = grading.import_submissions(A, export, limits=archives.Limits(file_mb=1))
    assert report.refused == [(f"canvas.zip: entry 'bob_3_4_{NB}' is 2.0 MB, more than the 1 MB allowed for one "
                               "file; not extracted.")]
    assert submitted(course) == {f"ana/{A}/{NB}": notebook_of("ana")}


def test_a_zip_that_understates_its_sizes_gets_no_more_out(tmp_path, course):
    export = tmp_path / "liar.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"ana_1_2_{NB}", notebook_of("ana"))
        archive.writestr(f"bob_3_4_{NB}", bytes(4 * 2**20))
    data = bytearray(export.read_bytes())
    for header, offset in [(b"PK\x01\x02", 24), (b"PK\x03\x04", 22)]:  # bob's uncompressed size: 1000 bytes
        at = data.rfind(header)
        struct.pack_into("<I", data, at + offset, 1000)
    export.write_bytes(bytes(data))
    report = grading.import_submissions(A, export, limits=archives.Limits(total_mb=1, file_mb=1))
    assert report.refused == [(f"liar.zip: entry 'bob_3_4_{NB}' cannot be read (Bad CRC-32 for file "
                               f"'bob_3_4_{NB}'); not extracted.")]
    assert sorted(p.name for p in (course / "downloaded" / A / "unpacked").iterdir()) == [f"ana_1_2_{NB}"]


def test_the_limits_hold_while_extracting_when_the_declared_sizes_lie(tmp_path, course, monkeypatch):
    export = tmp_path / "bomb.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(4):
            archive.writestr(f"s{number}_{number}_1_{NB}", bytes(2**20))
    honest = archives._zip_members

    def lying(archive):  # as if the headers said one byte each and the reader believed them
        for member in honest(archive):
            yield dataclasses.replace(member, size=1)

    monkeypatch.setattr(archives, "_zip_members", lying)
    with pytest.raises(archives.ArchiveRefused, match=r"bomb.zip: holds more bytes than it declares, past the "
                                                      r"limit of 3 MB for the whole import .*nothing was kept"):
        grading.import_submissions(A, export, limits=archives.Limits(total_mb=3, file_mb=2))
    with pytest.raises(archives.ArchiveRefused, match="past the limit of 0.5 MB for one file"):
        grading.import_submissions(A, export, limits=archives.Limits(total_mb=3, file_mb=0.5))
    assert sorted((course / "downloaded" / A).iterdir()) == []


def test_stock_zip_collect_keeps_setuid_bits_and_has_no_size_limit(tmp_path, course):
    """The attacks above work on nbgrader's own extractor: the protection is real."""
    archive_folder = course / "downloaded" / A / "archive"
    archive_folder.mkdir(parents=True)
    with zipfile.ZipFile(archive_folder / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(*zip_entry(f"ana__{NB}", stat.S_IFREG | 0o6777, notebook_of("ana")))
        archive.writestr(f"bob__{NB}", bytes(61 * 2**20))
    release.run_nbgrader(["zip_collect", A, "--force",
                          r"--FileNameCollectorPlugin.named_regexp=.*/(?P<student_id>[a-z]+)__(?P<file_id>[^/]+)$"],
                         course, env={"DPDLAB_STOCK_NBGRADER": "1"})
    assert (course / "submitted" / "ana" / A / NB).stat().st_mode & stat.S_ISUID
    assert (course / "submitted" / "bob" / A / NB).stat().st_size == 61 * 2**20


# -- folders ----------------------------------------------------------------------------------------------
def test_a_folder_import_follows_no_link_and_opens_no_fifo(tmp_path, course, canary):
    export = tmp_path / "folders"
    (export / "ana").mkdir(parents=True)
    (export / "ana" / NB).write_bytes(notebook_of("ana"))
    (export / "mallory").mkdir()
    (export / "mallory" / NB).symlink_to(course / "source" / A / NB)      # the solutions
    (export / "eve").mkdir()
    (export / "eve" / NB).symlink_to(canary)                              # a root-only file
    (export / "zed").symlink_to(export / "ana")                           # a classmate's folder
    (export / "kim").mkdir()
    os.mkfifo(export / "kim" / NB)                                        # would block whoever opens it
    before = tree(tmp_path)
    status, out = run_import(export)
    assert status == 1
    for line in [f"REFUSED folders: entry 'mallory/{NB}' is a symbolic link (to '{course / 'source' / A / NB}')",
                 f"REFUSED folders: entry 'eve/{NB}' is a symbolic link (to '{canary}'); links are not extracted.",
                 f"REFUSED folders: entry 'zed' is a symbolic link (to '{export / 'ana'}')",
                 f"REFUSED folders: entry 'kim/{NB}' is a FIFO (named pipe); only files and folders are extracted."]:
        assert line in out
    assert submitted(course) == {f"ana/{A}/{NB}": notebook_of("ana")}
    assert tree(tmp_path) == before  # the source is unchanged, its links and FIFO too


def test_old_folder_imports_followed_links(tmp_path, canary):
    """What the import did before: shutil.copytree follows links, so the canary was copied."""
    export, copy = tmp_path / "folders", tmp_path / "copy"
    (export / "eve").mkdir(parents=True)
    (export / "eve" / NB).symlink_to(canary)
    shutil.copytree(export, copy)
    assert b"CANARY" in (copy / "eve" / NB).read_bytes()
