"""What the package shows in a translated edition's notebooks is in the edition's language: each Spanish student
notebook is executed headless (as a learner who skips the exercises runs it), and every text the package put
on the page is read: widget labels and options, the notes under views, chart titles, axis titles and
descriptions, the hints of failing checks. Quotations and names are allowed (see ``english_sentences``), and
so is text that comes from the bundled data (a real record's description stays as its source gave it); the
notebooks' own ``print`` calls are code, the same in every edition, and not read."""
from __future__ import annotations

import functools
import re
from typing import Any, Iterator

import pandas as pd
import pytest

from conftest import edition_students, executed_student, ids
from dpdlab import chartwidget, paths, site, svg
from test_translation import english_sentences

CONTROL_TEXTS = ("description", "placeholder", "tooltip")


def _chart_texts(spec: Any) -> Iterator[str]:
    """The titles and descriptions anywhere in a Vega-Lite spec (not its data)."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("datasets", "data", "values"):
                continue
            if key in ("title", "description", "subtitle", "text") and isinstance(value, str):
                yield value
            elif key == "title" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _chart_texts(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _chart_texts(item)


def _output_texts(output: dict) -> Iterator[str]:
    data = output.get("data", {})
    if "text/markdown" in data:
        yield "".join(data["text/markdown"])
    if svg.MIMETYPE in data:
        yield from _chart_texts(data[svg.MIMETYPE])
    if output.get("output_type") == "error" and output.get("ename") == "CheckFailed":
        yield output.get("evalue", "")  # the package's hint (other errors are Python's own)


def shown_texts(notebook: dict) -> list[tuple[str, str]]:
    """``(where, text)`` for every text the package showed in an executed notebook."""
    states = site.widget_states(notebook)
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            found += [(f"cell {index}", t) for t in _output_texts(output)]
            view = output.get("data", {}).get(site.WIDGET_VIEW)
            for name, state in site.widget_models(view["model_id"], states) if view else []:
                found += [(f"cell {index}, {name}", str(state[k])) for k in CONTROL_TEXTS if state.get(k)]
                found += [(f"cell {index}, {name} option", str(o)) for o in state.get("_options_labels", [])]
                for inner in state.get("outputs", []) if name == "OutputModel" else []:
                    found += [(f"cell {index}, widget output", t) for t in _output_texts(inner)]
                spec = chartwidget.spec_of_state(state)
                if spec is not None:
                    found += [(f"cell {index}, chart", t) for t in [*_chart_texts(spec), state.get("alt", "")]]
    return found


@functools.cache
def data_text() -> str:
    """Every text cell of the bundled datasets, one per line."""
    cells = []
    for csv in sorted(paths.data_dir().glob("*.csv")):
        table = pd.read_csv(csv, dtype=str, keep_default_na=False)
        cells += [v for column in table.columns for v in table[column] if " " in v]
    return "\n".join(cells)


def from_the_data(sentence: str) -> bool:
    """Whether every English part of ``sentence`` (split at emphasis, dashes, brackets) is text of the data."""
    parts = [p.strip(" .,:") for p in re.split(r"\*\*|\s[—–]\s|\s\(|\)|;\s", sentence)]
    return all(part in data_text() for part in parts if english_sentences(part))


@pytest.mark.parametrize("path", edition_students(), ids=ids(edition_students()))
def test_what_the_package_shows_in_an_edition_notebook_is_in_its_language(path):
    texts = shown_texts(executed_student(path))  # (the primer shows none: it has no views)
    left = list(dict.fromkeys(sentence for _, text in texts for sentence in english_sentences(text)
                              if not from_the_data(sentence)))
    assert not left, f"{len(left)} English sentence(s) the package shows in {path.name}:\n" + "\n".join(left[:15])


def test_the_walk_reads_controls_charts_and_notes():
    found = shown_texts(executed_student(next(p for p in edition_students() if p.stem == "argentina_account_handover")))
    kinds = {where.split(", ", 1)[1].split(" ")[0] for where, _ in found if ", " in where}
    assert {"chart", "widget"} <= kinds and any(kind.endswith("Model") for kind in kinds), kinds
