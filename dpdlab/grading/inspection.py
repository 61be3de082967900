"""The inspection step: is a submitted notebook something nbgrader can grade, and what was done to it?

:func:`inspect_submission` rejects files nbgrader cannot read, with a message that says what is wrong and
where, and reports damage nbgrader repairs or grades around.
"""
from __future__ import annotations

import json
from pathlib import Path

MESSAGES = {
    "empty": "Rejected: the file is empty (0 bytes). Ask the student to submit again.",
    "too_large": "Rejected: the file is {mb:.0f} MB, more than the {limit} MB limit. Ask for the notebook "
                 "with outputs cleared (Edit > Clear Outputs of All Cells).",
    "not_utf8": "Rejected: the file is not UTF-8 text (invalid byte 0x{byte:02x} at offset {offset}). It is "
                "probably not a notebook, or was damaged in transfer.",
    "not_json": "Rejected: the file is not valid JSON ({error}; line {line}, column {column}). The notebook "
                "was damaged, e.g. edited in a text editor. Ask for a fresh copy.",
    "not_notebook_json": "Rejected: valid JSON but not a Jupyter notebook ({problem}).",
    "not_readable": "Rejected: nbformat cannot read this notebook: {error}",
    "missing_notebook": "Rejected: no {notebook} in the submission (files: {files}).",
    "unsafe": "Rejected: {problem} Ask the student to submit the notebook itself.",
    "deleted": "Grade cell '{id}' was deleted; nbgrader restores it from the release and grades it.",
    "duplicated": "Grade cell '{id}' appears {n} times; the first copy is graded, the others run as plain cells.",
    "reordered": "Graded cells are out of order ('{later}' comes before '{earlier}'); the notebook runs in the "
                 "submitted order, which may fail tests.",
    "type_changed": "Cell '{id}' was changed from {was} to {now}; nbgrader changes it back.",
    "edited": "Test cell '{id}' was edited; nbgrader restores the original before grading.",
    "unknown_id": "Cell '{id}' carries a grade id that is not in the assignment; it is graded as a plain cell.",
    "cell_ids": "{n} cell id(s) differ from the release (harmless: nbgrader matches cells by grade id).",
    "skip_tag": "Cell '{id}' is tagged 'skip-execution'; every cell runs anyway.",
}
MAX_SUBMISSION_MB = 50


def nbgrader_meta(cell: dict) -> dict:
    """A cell's nbgrader metadata ({} when it has none or it is damaged)."""
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    return meta.get("nbgrader", {}) if isinstance(meta, dict) and isinstance(meta.get("nbgrader"), dict) else {}


def cell_source(cell: dict) -> str:
    """A cell's source as one string (notebooks store it as a string or a list of lines)."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def inspect_submission(path: Path, release_notebook: dict, source_notebook: dict | None = None
                       ) -> tuple[bool, list[str], dict | None]:
    """Check a submitted notebook against its release before nbgrader sees it.

    Returns ``(accepted, messages, repaired)``. Files nbgrader cannot read are rejected with a message that
    says what is wrong and where; damage nbgrader repairs or grades around (deleted, duplicated, reordered,
    edited or retyped grade cells, changed ids, skip tags) is accepted and reported. Two kinds of damage
    make nbgrader 0.9 stop with a KeyError (a second copy of a grade cell, a grade id not in the
    assignment): ``repaired`` is then a copy of the notebook in which those cells are plain cells (the
    original file is not touched); otherwise it is None. A test cell counts as edited
    when it matches neither the release nor the instructor's ``source_notebook``.
    """
    import nbformat

    data = path.read_bytes()
    if not data.strip():
        return False, [MESSAGES["empty"]], None
    if len(data) > MAX_SUBMISSION_MB * 2**20:
        return False, [MESSAGES["too_large"].format(mb=len(data) / 2**20, limit=MAX_SUBMISSION_MB)], None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return False, [MESSAGES["not_utf8"].format(byte=data[error.start], offset=error.start)], None
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        return False, [MESSAGES["not_json"].format(error=error.msg, line=error.lineno, column=error.colno)], None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return False, [MESSAGES["not_notebook_json"].format(problem="no list of 'cells'")], None
    if notebook.get("nbformat") != 4:
        return False, [MESSAGES["not_notebook_json"].format(problem=f"nbformat {notebook.get('nbformat')!r}, "
                                                                     f"expected 4")], None
    try:
        nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises several kinds
        return False, [MESSAGES["not_readable"].format(error=str(error).splitlines()[0][:300])], None

    messages = []
    expected = [c for c in release_notebook["cells"] if nbgrader_meta(c).get("grade_id")]
    by_id = {nbgrader_meta(c)["grade_id"]: c for c in expected}
    order = [nbgrader_meta(c)["grade_id"] for c in expected]
    originals = {nbgrader_meta(c).get("grade_id"): cell_source(c).strip() for c in (source_notebook or {}).get("cells", [])}
    seen: dict[str, int] = {}
    submitted_order = []
    plain = []  # cells whose nbgrader metadata must go
    for cell in notebook["cells"]:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if "skip-execution" in (cell.get("metadata", {}).get("tags") or []):
            messages.append(MESSAGES["skip_tag"].format(id=grade_id or cell.get("id", "?")))
        if not grade_id:
            continue
        if grade_id not in by_id:
            messages.append(MESSAGES["unknown_id"].format(id=grade_id))
            plain.append(cell)
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        if seen[grade_id] > 1:
            plain.append(cell)
            continue
        submitted_order.append(grade_id)
        original = by_id[grade_id]
        if cell.get("cell_type") != original["cell_type"]:
            messages.append(MESSAGES["type_changed"].format(id=grade_id, was=original["cell_type"],
                                                            now=cell.get("cell_type")))
        elif nbgrader_meta(original).get("locked") and nbgrader_meta(original).get("grade") \
                and cell_source(cell).strip() not in (cell_source(original).strip(), originals.get(grade_id)):
            messages.append(MESSAGES["edited"].format(id=grade_id))
    for grade_id in order:
        if grade_id not in seen:
            messages.append(MESSAGES["deleted"].format(id=grade_id))
        elif seen[grade_id] > 1:
            messages.append(MESSAGES["duplicated"].format(id=grade_id, n=seen[grade_id]))
    ranks = [order.index(g) for g in submitted_order]
    for (a, rank_a), (b, rank_b) in zip(zip(submitted_order, ranks), zip(submitted_order[1:], ranks[1:])):
        if rank_b < rank_a:
            messages.append(MESSAGES["reordered"].format(later=a, earlier=b))
            break
    release_ids = {c.get("id") for c in release_notebook["cells"]}
    changed = sum(1 for c in notebook["cells"] if nbgrader_meta(c).get("grade_id") in by_id
                  and c.get("id") not in release_ids)
    if changed:
        messages.append(MESSAGES["cell_ids"].format(n=changed))
    for cell in plain:
        del cell["metadata"]["nbgrader"]
    return True, messages, notebook if plain else None

