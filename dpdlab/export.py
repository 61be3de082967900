"""Static charts in pages made out of the kernel: the nbconvert preprocessor :class:`ChartsToSVG`.

In a notebook, a chart's output is its Vega-Lite spec (:data:`~dpdlab.svg.MIMETYPE`), its text alternative
and a live widget view drawn in the browser (:mod:`dpdlab.charts`). A static page has no kernel and no widget,
so :class:`ChartsToSVG` gives each chart the SVG that :mod:`dpdlab.svg` draws (in a worker process, with
limits: specs in submissions are student input), as an inline figure announced as one image with the chart's
title and description, and drops the widget view. A chart that cannot be drawn keeps its text alternative.

It runs wherever a page is made:

- the website (:mod:`dpdlab.site`);
- nbgrader's feedback and the Formgrader (:mod:`dpdlab.grading.config`), before the sanitiser shows each chart
  as an image;
- a learner's own HTML export: JupyterLab's *File ▸ Save and Export Notebook As ▸ HTML* through this module's
  server extension, and ``jupyter nbconvert --to html``, through the configuration files that the package
  installs (``jupyter-config/``).
"""
from __future__ import annotations

import time
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import from_dict
from traitlets import Bool, Float

from dpdlab.svg import MIMETYPE, TIMEOUT, ChartError, SvgWorker, alt_text, figure_html

PREPROCESSOR = "dpdlab.export.ChartsToSVG"
# One worker for the process: nbgrader makes every student's feedback in one process, the site every page.
_WORKER = SvgWorker()


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


class ChartsToSVG(Preprocessor):
    """Draw every chart output (a Vega-Lite spec) as static SVG in an inline figure with its text
    alternative; a chart that cannot be drawn keeps its text alone. Running it again changes nothing."""

    enabled = Bool(True, help="Draw chart specs as static SVG (False: charts show their text alternative only)."
                   ).tag(config=True)
    chart_timeout = Float(TIMEOUT, help="Seconds one chart may take to draw.").tag(config=True)
    notebook_timeout = Float(120.0, help="Seconds all the charts of one notebook may take to draw.").tag(config=True)

    def preprocess(self, nb, resources):
        if not self.enabled:
            return nb, resources
        self._deadline = time.monotonic() + self.notebook_timeout
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [self._static(output) for output in cell.get("outputs", [])]
        return nb, resources

    def _static(self, output):
        data = output.get("data")
        if not isinstance(data, dict) or MIMETYPE not in data:
            return output
        spec = data[MIMETYPE]
        text = _text(data.get("text/plain")).strip() or (alt_text(spec) if isinstance(spec, dict) else "")
        left = self._deadline - time.monotonic()
        try:
            if left <= 0:
                raise ChartError(f"the notebook's charts took longer than {self.notebook_timeout:g} s")
            _WORKER.timeout = min(self.chart_timeout, left)
            svg = _WORKER.draw(spec)
        except ChartError as error:
            self.log.warning("A chart is shown by its text alternative only: %s", error)
            output["data"] = from_dict({"text/plain": text})
        else:
            output["data"] = from_dict({"image/svg+xml": svg, "text/html": figure_html(svg, text), "text/plain": text})
        output["metadata"] = from_dict({})
        return output


# -- a learner's export from JupyterLab ---------------------------------------------------------------------
def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "dpdlab.export"}]


def _load_jupyter_server_extension(server_app) -> None:
    """Add :class:`ChartsToSVG` to the HTML exporters the Jupyter server builds (JupyterLab's *Save and
    Export Notebook As ▸ HTML*; WebPDF and slides too, which are HTML exporters)."""
    section = server_app.config.HTMLExporter
    current = list(section.get("preprocessors", []))
    if PREPROCESSOR not in current:
        section.preprocessors = [PREPROCESSOR, *current]

