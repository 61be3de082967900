"""The edition a notebook runs in, and what the package shows a student in that edition's language.

A translated edition's set-up cell names it, ``setup(edition="es")``: a kernel run by papermill or nbgrader
has no other way to know which edition its notebook belongs to.

Every text the package shows a student is written once, in English, in a table made with :func:`messages`
(``MESSAGES = messages(__name__, {...})``). Reading a key of that table gives the text in the kernel's
edition, looked up in the package's catalogue (``dpdlab/locale/<language>/LC_MESSAGES/dpdlab.mo``, compiled
from the ``.po`` beside it; see :mod:`dpdlab.translation`) by the key's context,
``<table>.<key>[.<key>...]``; a text with no translation stays English. The checks of the notebooks' test
cells translate their hints the same way, by their English text (:func:`check_text`).
"""
from __future__ import annotations

import contextlib
import functools
import gettext
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Callable, Iterator

ENGLISH = "en"
EDITIONS = (ENGLISH, "es")
DOMAIN = "dpdlab"
LOCALE = Path(__file__).resolve().parent / "locale"
CHECK_CONTEXT = "check"  # the hints and questions that notebooks' test cells pass to the checks
_current = [ENGLISH]
# every table made by messages(): context -> its English (what the catalogue template is made from)
REGISTRY: dict[str, Any] = {}


def set_edition(language: str) -> None:
    """Make ``language`` the edition of what the package shows from now on in this kernel."""
    if language not in EDITIONS:
        raise ValueError(f"no edition '{language}': the course has {', '.join(EDITIONS)}")
    _current[0] = language


def edition() -> str:
    """The language of the kernel's edition (``"en"`` unless ``setup`` named another)."""
    return _current[0]


@contextlib.contextmanager
def in_edition(language: str) -> Iterator[None]:
    """Show what the package shows in ``language`` inside the ``with`` block, then the edition before it
    (building one edition's files from another's kernel)."""
    before = _current[0]
    set_edition(language)
    try:
        yield
    finally:
        _current[0] = before


def english_assignment(assignment_id: str) -> str:
    """The English assignment an edition's assignment translates (``ni_una_menos_es`` -> ``ni_una_menos``);
    an English id as it is."""
    for language in EDITIONS[1:]:
        if assignment_id.endswith(f"_{language}"):
            return assignment_id[: -len(language) - 1]
    return assignment_id


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE, languages=[language], fallback=True)


def translate(context: str, english: str) -> str:
    """``english`` in the kernel's edition: its catalogue's translation for ``context``, or the English."""
    if _current[0] == ENGLISH or not english.strip():
        return english
    return _catalogue(_current[0]).pgettext(context, english)


def check_text(english: str) -> str:
    """A hint or a question a notebook's test cell passes to a check, in the kernel's edition."""
    return translate(CHECK_CONTEXT, english)


def _in_edition(context: str, value: Any) -> Any:
    if isinstance(value, str):
        return translate(context, value)
    if isinstance(value, dict):
        return Messages(context, value)
    if isinstance(value, (list, tuple)):
        return type(value)(_in_edition(f"{context}.{i}", item) for i, item in enumerate(value))
    return value


class Messages(Mapping):
    """A table of English texts whose values are read in the kernel's edition (nested tables too)."""

    def __init__(self, context: str, english: dict) -> None:
        self._context = context
        self._english = english

    def __getitem__(self, key: Any) -> Any:
        return _in_edition(f"{self._context}.{key}", self._english[key])

    def __iter__(self) -> Iterator:
        return iter(self._english)

    def english(self, key: Any) -> Any:
        """The English text of ``key``, whatever the edition."""
        return self._english[key]

    def __len__(self) -> int:
        return len(self._english)

    def __or__(self, other: Mapping) -> dict:
        return {**self, **other}

    def __ror__(self, other: Mapping) -> dict:
        return {**other, **self}

    def __repr__(self) -> str:
        return f"Messages({self._context!r}, {dict(self)!r})"


class MessageList(Sequence):
    """A list of English texts whose items are read in the kernel's edition."""

    def __init__(self, context: str, english: Sequence) -> None:
        self._context = context
        self._english = english

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return _in_edition(f"{self._context}.{index % len(self) if index < 0 else index}", self._english[index])

    def __len__(self) -> int:
        return len(self._english)


def messages(context: str, english: dict | list | tuple) -> Messages | MessageList:
    """The table ``english`` (texts by key, or a list of texts), read in the kernel's edition. ``context``
    names it in the catalogue: the module's ``__name__``, with the table's name if the module has several
    (``f"{__name__}.ROLE_NAMES"``)."""
    if REGISTRY.get(context, english) != english:  # (a module imported again registers the same table)
        raise ValueError(f"two message tables are called {context!r}")
    REGISTRY[context] = english
    return MessageList(context, english) if isinstance(english, (list, tuple)) else Messages(context, english)


def entries(context: str, english: Any) -> Iterator[tuple[str, str]]:
    """Every ``(context, English text)`` of a table, nested tables and lists included."""
    if isinstance(english, str):
        if english.strip():
            yield context, english
    elif isinstance(english, dict):
        for key, value in english.items():
            yield from entries(f"{context}.{key}", value)
    elif isinstance(english, (list, tuple)):
        for index, value in enumerate(english):
            yield from entries(f"{context}.{index}", value)


def cached_per_edition(function: Callable) -> Callable:
    """``functools.cache`` for what holds texts (a chart template with its axis titles): one cache per edition,
    so that a kernel that changes edition does not show the other edition's texts."""
    cached = functools.cache(lambda language, *args, **kwargs: function(*args, **kwargs))

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return cached(_current[0], *args, **kwargs)

    wrapper.cache_clear = cached.cache_clear
    return wrapper


# Dates as the package writes them in texts, in the kernel's edition (not the C library's English month names).
DATES = messages(f"{__name__}.DATES", {
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"],
    "short_months": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "short_days": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    # d3-time-format's patterns for Vega's time axes (see time_locale)
    "date_time": "%a %b %e %X %Y",
    "date": "%m/%d/%Y",
    "day": "{day:02d} {month} {year}",
    "month": "{month} {year}",
})
DATE_FORMS = {"%d %B %Y": ("day", "months"), "%d %b %Y": ("day", "short_months"), "%B %Y": ("month", "months"),
              "%b %Y": ("month", "short_months")}


def time_locale() -> dict:
    """The kernel's edition's names of months and days for Vega's time axes and labels: a d3-time-format
    locale definition (Vega-Lite's ``config.locale.time``)."""
    return {"dateTime": DATES["date_time"], "date": DATES["date"], "time": "%H:%M:%S", "periods": ["AM", "PM"],
            "days": list(DATES["days"]), "shortDays": list(DATES["short_days"]),
            "months": list(DATES["months"]), "shortMonths": list(DATES["short_months"])}


def date_text(moment: Any, form: str = "%d %b %Y") -> str:
    """``moment`` (anything ``pandas.Timestamp`` takes) as a text of ``form``, one of :data:`DATE_FORMS`'s
    strftime forms, with the month named in the kernel's edition."""
    import pandas as pd

    stamp = pd.Timestamp(moment)
    pattern, names = DATE_FORMS[form]
    return DATES[pattern].format(day=stamp.day, month=DATES[names][stamp.month - 1], year=stamp.year)
