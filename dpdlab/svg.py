"""Static SVG of the course's charts, made out of the kernel (website, nbconvert HTML, feedback, Formgrader).

A chart reaches a page as a Vega-Lite spec (the :data:`MIMETYPE` output that :mod:`dpdlab.charts` makes, or
a chart widget's saved state). vl-convert draws it here with the same Vega and Vega-Lite versions as the
browser does (``static/vega.json``); the SVG gets the chart's description as ``<desc>`` and ids of its own.

This module imports neither Altair nor pandas, so that a worker running it starts quickly: a spec in a
submission is student input, and :class:`SvgWorker` draws specs in a separate process with a time limit,
no data from any URL, and a size limit, so a chart that asks for a billion rows cannot hang or exhaust the
process making the page. Run as a script, the module is that worker.
"""
from __future__ import annotations

import html
import itertools
import json
import re
import secrets
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from dpdlab.i18n import messages

MIMETYPE = "application/vnd.vegalite.v6+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# vl-convert's name of the Vega-Lite version the bundle and Altair use (6.4.x)
VL_VERSION = "v6_4"
MESSAGES = messages(__name__, {
    "no_description": "Chart without a description. Add one with dpdlab.described(chart, title, description).",
    "alt_text": "Chart: {title}. {description}",
    "untitled": "untitled",  # the title a text alternative gives a chart that has none
})
MAX_SPEC_BYTES = 5_000_000  # the course's largest chart spec is ~0.3 MB
TIMEOUT = 20.0  # seconds for one chart (the course's charts take 0.05-0.5 s)

_svg_counter = itertools.count(1)
# Inline SVGs of several notebooks can share one page: ids must differ across processes too.
_SVG_PREFIX = f"dpd{secrets.token_hex(3)}"


class ChartError(ValueError):
    """A chart spec that is not drawn: too large, loads data from a URL, invalid, or too slow."""


def title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title)


def alt_text(spec: dict[str, Any]) -> str:
    """The text alternative of a chart spec: its title and description."""
    description = spec.get("description") or MESSAGES["no_description"]
    return MESSAGES["alt_text"].format(title=title_text(spec) or MESSAGES["untitled"], description=description)


def figure_html(svg: str, alternative: str) -> str:
    """The chart as inline HTML: the SVG in a figure that screen readers announce as one image, named with
    the chart's title and description; the roles Vega gives the SVG's marks stay out of the accessibility
    tree (an empty layer's mark group has a role and no name)."""
    label = html.escape(alternative, quote=True)
    svg = re.sub(r"<svg\b", '<svg aria-hidden="true"', svg, count=1)
    return f'<figure class="dpdlab-chart" role="img" aria-label="{label}" style="margin:0">{svg}</figure>'


def _unique_ids(svg: str) -> str:
    """Prefix the SVG's element ids, so several charts inlined in one HTML page cannot clash."""
    prefix = f"{_SVG_PREFIX}-{next(_svg_counter)}-"
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{old}"', f'id="{prefix}{old}"')
        svg = svg.replace(f"url(#{old})", f"url(#{prefix}{old})")
        svg = svg.replace(f'href="#{old}"', f'href="#{prefix}{old}"')
    return svg


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _with_description(svg: str, description: str | None, title: str = "") -> str:
    """The SVG with the chart's title as ``<title>`` and its description as ``<desc>``, its first children:
    what screen readers read of an SVG (vl-convert puts the description only in an aria-label)."""
    parts = ""
    if title and "<title>" not in svg:
        parts += f"<title>{_escape(title)}</title>"
    if isinstance(description, str) and description and "<desc>" not in svg:
        parts += f"<desc>{_escape(description)}</desc>"
    if parts:
        svg = re.sub(r"(<svg[^>]*>)", lambda m: f"{m.group(1)}{parts}", svg, count=1)
    return svg


def _json_references(node: Any, names: set[str], found: dict[str, bool]) -> Any:
    """``node`` with ``"format": {"type": "json"}`` on every data reference to one of ``names``; ``found``
    records, per name, whether all its references could take that format (none had a format of its own)."""
    if isinstance(node, dict):
        copied = {}
        for key, value in node.items():
            if key == "data" and isinstance(value, dict) and value.get("name") in names:
                name = value["name"]
                found[name] = found.get(name, True) and "format" not in value
                value = {**value, "format": {"type": "json"}} if "format" not in value else value
            copied[key] = _json_references(value, names, found)
        return copied
    if isinstance(node, list):
        return [_json_references(item, names, found) for item in node]
    return node


def compact(spec: dict[str, Any]) -> dict[str, Any]:
    """The same chart with each of its named datasets written as one JSON text (Vega-Lite's inline data
    with ``format: {"type": "json"}``), which Vega reads into the very same rows, so the chart is drawn
    exactly as before.

    A notebook stores the chart in this form: a row is no longer a JSON object of its own, and writing the
    notebook (which papermill does twice per cell, each time in full) costs a fraction of what it did. A
    dataset some reference of which sets its own format is left as it is.
    """
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return spec
    lists = {name for name, rows in datasets.items() if isinstance(rows, list)}
    found: dict[str, bool] = {}
    rest = _json_references({k: v for k, v in spec.items() if k != "datasets"}, lists, found)
    if not all(found.get(name, False) for name in lists):  # a dataset with its own format, or not referenced
        return spec
    rest["datasets"] = {name: json.dumps(rows, separators=(",", ":"), ensure_ascii=False) if name in lists else rows
                        for name, rows in datasets.items()}
    return rest


def _draw(spec: dict[str, Any]) -> str:
    import vl_convert

    # allowed_base_urls=[]: no data from any URL (a relative one included); inline data only
    return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION, allowed_base_urls=[])


def to_svg(spec: dict[str, Any]) -> str:
    """Draw a Vega-Lite spec (a dict) as a standalone SVG string, in this process (trusted specs only)."""
    return _unique_ids(_with_description(_draw(spec), spec.get("description"), title_text(spec)))


def _urls(node: Any) -> bool:
    """Whether a spec asks for data from a URL anywhere."""
    if isinstance(node, dict):
        return isinstance(node.get("url"), str) or any(_urls(v) for v in node.values())
    if isinstance(node, list):
        return any(_urls(v) for v in node)
    return False


def checked(spec: Any) -> tuple[dict[str, Any], str]:
    """``spec`` (untrusted) as a dict and its JSON text, or :class:`ChartError`."""
    if not isinstance(spec, dict):
        raise ChartError("a chart spec is a JSON object")
    text = json.dumps(spec)
    if len(text) > MAX_SPEC_BYTES:
        raise ChartError(f"the chart spec is larger than {MAX_SPEC_BYTES // 1_000_000} MB")
    if _urls(spec):
        raise ChartError("the chart loads data from a URL; only inline data is drawn")
    return spec, text


class SvgWorker:
    """vl-convert in a process of its own: :meth:`draw` sends it one spec and waits at most ``timeout``
    seconds for the SVG. A worker that is too slow or dies is stopped and the next chart starts a new one."""

    def __init__(self, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()  # one request at a time (a server may export from several threads)

    def _start(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            # -I: no user site, no PYTHON* variables, no current folder on the import path
            self._process = subprocess.Popen([sys.executable, "-I", str(Path(__file__).resolve())],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        return self._process

    def draw(self, spec: Any) -> str:
        """The SVG of ``spec`` (untrusted), with its description and unique ids; :class:`ChartError` if it
        cannot be drawn within the limits."""
        spec, text = checked(spec)
        with self._lock:
            line = self._exchange(text)
        answer = json.loads(line)
        if "error" in answer:
            raise ChartError(answer["error"])
        return _unique_ids(_with_description(answer["svg"], spec.get("description"), title_text(spec)))

    def _exchange(self, text: str) -> str:
        process = self._start()
        try:
            process.stdin.write(text + "\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], self.timeout)
            line = process.stdout.readline() if ready else ""
        except (BrokenPipeError, OSError) as error:
            self.close()
            raise ChartError(f"the chart could not be drawn ({error})") from error
        if not line:
            self.close()
            raise ChartError(f"the chart was not drawn within {self.timeout:g} s")
        return line

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def __enter__(self) -> SvgWorker:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()


def serve() -> None:
    """The worker's loop: one spec (JSON) per line in, one ``{"svg"}`` or ``{"error"}`` line out."""
    for line in sys.stdin:
        try:
            answer = {"svg": _draw(json.loads(line))}
        except Exception as error:  # the spec's problem, reported to the page as its text alternative
            answer = {"error": " ".join(str(error).split())[:300] or type(error).__name__}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
