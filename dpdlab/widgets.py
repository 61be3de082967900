"""Widget plumbing: controls wired to a plain *view function*.

A view function takes the controls' values as keyword arguments and returns something displayable —
usually a :class:`View` (a chart plus a small table of figures). It knows nothing about widgets, so it
is unit-tested and benchmarked without a browser; :func:`linked` only wires it to the controls. The view
is drawn once when the widget is built, so a notebook run headless (papermill, nbgrader) still shows it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import ipywidgets as w
import pandas as pd
from IPython.display import display

MESSAGES = {
    "error": "This view could not be drawn: {error}",
}


@dataclass
class View:
    """What a widget shows: a chart, a table of figures, and a line of text (each optional)."""

    chart: Any = None
    figures: pd.DataFrame | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def _ipython_display_(self) -> None:
        if self.chart is not None:
            display(self.chart)
        if self.figures is not None:
            display(self.figures)
        if self.note:
            display(_markdown(self.note))


def _markdown(text: str) -> Any:
    from IPython.display import Markdown

    return Markdown(text)


def linked(view: Callable[..., Any], controls: dict[str, w.ValueWidget],
           columns: int = 3) -> w.VBox:
    """A box with ``controls`` above an output area that shows ``view(**values)``.

    The output is redrawn whenever a control's value changes. An exception raised by the view is shown
    as a one-line message in the output area instead of breaking the widget.
    """
    output = w.Output()

    def redraw(_change: Any = None) -> None:
        values = {name: control.value for name, control in controls.items()}
        with output:
            output.clear_output(wait=True)
            try:
                display(view(**values))
            except Exception as error:  # the student should see why, and keep the controls working
                print(MESSAGES["error"].format(error=error))

    for control in controls.values():
        control.observe(redraw, names="value")
    rows = [list(controls.values())[i:i + columns] for i in range(0, len(controls), columns)]
    redraw()
    return w.VBox([*(w.HBox(row) for row in rows), output])


def labelled(control: w.ValueWidget, description: str, width: str = "22em") -> w.ValueWidget:
    """Give ``control`` a visible label that is not cut off, and return it."""
    control.description = description
    control.style = {"description_width": "initial"}
    control.layout = w.Layout(width=width)
    return control
