"""`dpdlab grade import`: LMS exports mapped to student ids, with a report of what could not be mapped."""
from __future__ import annotations

import zipfile

import pytest

from dpdlab import cli, grading, release

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
