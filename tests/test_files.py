"""Reading untrusted folders (dpdlab.grading.files): regular files only, never through a link, never a FIFO."""
from __future__ import annotations

import os
import threading

import pytest

from dpdlab.grading import files


@pytest.fixture()
def tree(tmp_path):
    """A folder as student code might leave it, beside a root-only file it should never reach."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root-only\n")
    secret.chmod(0o600)
    folder = tmp_path / "submitted" / "mallory" / "a"
    folder.mkdir(parents=True)
    (folder / "notebook.ipynb").write_text("{}")
    (folder / "link.ipynb").symlink_to(secret)
    (folder / "dangling").symlink_to(tmp_path / "nowhere")
    os.mkfifo(folder / "pipe")
    (tmp_path / "submitted" / "eve").symlink_to(folder, target_is_directory=True)
    return tmp_path


def test_a_regular_file_is_read(tree):
    assert files.read_beneath(tree, "submitted/mallory/a/notebook.ipynb") == b"{}"


@pytest.mark.parametrize("relative, words", [
    ("submitted/mallory/a/link.ipynb", "is a symbolic link (to '"),
    ("submitted/mallory/a/dangling", "is a symbolic link"),
    ("submitted/eve/notebook.ipynb", "'submitted/eve' is a symbolic link"),  # a link on the way
    ("submitted/mallory/a/pipe", "is a FIFO (named pipe)"),
    ("submitted/mallory/a", "is a folder"),
    ("submitted/mallory/a/missing.ipynb", "does not exist"),
])
def test_links_special_files_and_links_on_the_way_are_refused(tree, relative, words):
    with pytest.raises(files.UnsafeFile, match=words.replace("(", r"\(").replace(")", r"\)")):
        files.read_beneath(tree, relative)


def test_a_fifo_never_makes_the_grader_wait(tree):
    finished = threading.Event()

    def read():
        with pytest.raises(files.UnsafeFile):
            files.read_beneath(tree, "submitted/mallory/a/pipe")
        finished.set()

    threading.Thread(target=read, daemon=True).start()
    assert finished.wait(5)


def test_a_file_over_the_limit_is_refused(tree):
    (tree / "big.bin").write_bytes(b"x" * 3 * 2**20)
    with pytest.raises(files.UnsafeFile, match="more than the 1 MB"):
        files.read_beneath(tree, "big.bin", limit_mb=1)


def test_entries_are_listed_as_they_are(tree):
    entries = {e.name: e for e in files.entries_beneath(tree, "submitted/mallory/a")}
    assert {n: e.kind for n, e in entries.items()} == {
        "notebook.ipynb": "file", "link.ipynb": "link", "dangling": "link", "pipe": "FIFO (named pipe)"}
    assert entries["link.ipynb"].target.endswith("secret.txt")
    with pytest.raises(files.UnsafeFile, match="symbolic link"):
        files.entries_beneath(tree, "submitted/eve")


def test_writing_replaces_a_link_instead_of_writing_through_it(tree):
    target = tree / "submitted" / "mallory" / "a" / "link.ipynb"
    files.write_new(target, b"graded", mode=0o644)
    assert not target.is_symlink() and target.read_bytes() == b"graded"
    assert (tree / "secret.txt").read_text() == "root-only\n"
    assert (tree / "secret.txt").stat().st_mode & 0o777 == 0o600


def test_what_student_code_left_behind_is_listed_without_following_it(tree):
    left = {e.name: e.kind for e in files.left_behind(tree / "submitted")}
    assert left == {"eve": "link", "mallory/a/link.ipynb": "link", "mallory/a/dangling": "link",
                    "mallory/a/pipe": "FIFO (named pipe)"}
