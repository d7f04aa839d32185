"""Turning what a person typed, or what a spreadsheet cell holds, into a typed field value.

The same rules serve the web form, the XLSX import and the REFI-QDA import, so a value means the same
wherever it came from. Every function takes the field's label, because its error messages are shown
to the person as they are ("Study design: 'RTC' is not one of: ...").

A value that is several values (care settings, countries) is written ``"a; b"``. Commas are accepted
as separators too, but several PROGRESS-Plus groups contain a comma ("Gender, sex"), so a
comma-separated part is read as the longest run of pieces that names a choice.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeAlias

from realreview.characteristics.countries import normalise_country
from realreview.errors import ValidationError

__all__ = [
    "CELL_LIMIT",
    "NUMBER_LIMIT",
    "YEAR_RANGE",
    "Value",
    "choice_key",
    "parse_choice",
    "parse_choices",
    "parse_countries",
    "parse_number",
    "parse_text",
    "parse_year",
]

Value: TypeAlias = str | int | float | tuple[str, ...] | None
"""A field's value: text, a number or year, a tuple for several values, None when not extracted."""

YEAR_RANGE = (1800, 2100)
CELL_LIMIT = 32767  # the most characters an Excel cell holds; longer text would not survive a sheet
NUMBER_LIMIT = 1e300  # a sheet rounds a number near the float limit up to infinity; stay well below
_EXACT_INT = 2**53  # the largest integer a float (and so a spreadsheet cell) holds exactly
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_SEPARATOR = re.compile(r"[;\n]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _shown(raw: object) -> str:
    """The raw value as an error message quotes it: short enough for one line."""
    text = str(raw)
    return text if len(text) <= 80 else text[:79] + "…"


def choice_key(text: str) -> str:
    """What two spellings of a choice share: case, runs of spaces and spaces at commas do not matter.

    >>> choice_key("  Mixed   Methods "), choice_key("Gender ,sex")
    ('mixed methods', 'gender, sex')
    """
    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return re.sub(r" ?, ?", ", ", folded).strip()


def _as_text(label: str, raw: object) -> str | None:
    """Any scalar a cell or a REFI-QDA case can hold, as the text a person would have typed."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else repr(raw)
    elif isinstance(raw, dt.datetime):
        text = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    else:
        raise ValidationError(f"{label}: a value of type {type(raw).__name__} cannot be read")
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text or None


def parse_text(label: str, raw: object) -> str | None:
    r"""Free text, trimmed, with Windows line ends made plain and control characters dropped.

    >>> parse_text("Topic", "  diabetes\r\n care "), parse_text("Topic", 12), parse_text("Topic", " ")
    ('diabetes\n care', '12', None)
    """
    text = _as_text(label, raw)
    if text is not None and len(text) > CELL_LIMIT:
        raise ValidationError(f"{label}: text longer than {CELL_LIMIT:,} characters (the most a cell holds)")
    return text


def parse_number(label: str, raw: object) -> int | float | None:
    """A number: an int when written without a point or exponent, else a finite float.

    An integer beyond 2^53 becomes the nearest float, because that is all a spreadsheet cell keeps;
    numbers beyond 1e300 are refused, since a sheet rounds those near the float limit to infinity.

    >>> parse_number("Sample size", "120"), parse_number("Sample size", " 2.50 "), parse_number("n", 3.0)
    (120, 2.5, 3.0)
    """
    if isinstance(raw, bool):
        raise ValidationError(f"{label}: '{raw}' is not a number")
    if isinstance(raw, int | float):
        number: int | float = raw
    else:
        text = _as_text(label, raw)
        if text is None:
            return None
        if not _NUMBER.fullmatch(text):
            raise ValidationError(f"{label}: '{_shown(text)}' is not a number")
        number = int(text) if text.lstrip("+-").isdigit() else float(text)
    if isinstance(number, float) and not math.isfinite(number):
        raise ValidationError(f"{label}: '{_shown(raw)}' is not a finite number")
    if abs(number) > NUMBER_LIMIT:
        raise ValidationError(f"{label}: '{_shown(raw)}' is too large a number (the limit is 1e300)")
    if isinstance(number, int) and abs(number) > _EXACT_INT:
        return float(number)  # a cell holds a double, so the sheet would make it one anyway
    return number


def parse_year(label: str, raw: object) -> int | None:
    """A year from 1800 to 2100, from text, a number cell or a date cell.

    >>> parse_year("Year", "2019"), parse_year("Year", 2019.0), parse_year("Year", dt.date(2020, 5, 1))
    (2019, 2019, 2020)
    """
    low, high = YEAR_RANGE
    problem = f"{label}: '{_shown(raw)}' is not a year ({low}-{high})"
    if isinstance(raw, bool):
        raise ValidationError(problem)
    if isinstance(raw, dt.date):
        year = raw.year
    elif isinstance(raw, int):
        year = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationError(problem)
        year = int(raw)
    else:
        text = _as_text(label, raw)
        if text is None:
            return None
        if not re.fullmatch(r"\d{4}(\.0+)?", text):
            raise ValidationError(problem)
        year = int(text.split(".")[0])
    if not low <= year <= high:
        raise ValidationError(problem)
    return year


def parse_choice(label: str, raw: object, choices: Sequence[str]) -> str | None:
    """One of ``choices``, matched without regard to case, returned as the form spells it.

    >>> parse_choice("Design", "rct", ("RCT", "cohort"))
    'RCT'
    """
    text = _as_text(label, raw)
    if text is None:
        return None
    found = {choice_key(c): c for c in choices}.get(choice_key(text))
    if found is None:
        raise ValidationError(f"{label}: '{_shown(text)}' is not one of: {', '.join(choices)}")
    return found


def _parts(label: str, raw: object) -> list[str]:
    """The pieces of a multi-value: a list's items, or a text split at ``;`` and line ends."""
    items = raw if isinstance(raw, list | tuple) else [raw]
    parts: list[str] = []
    for item in items:
        text = _as_text(label, item)
        if text is not None:
            parts.extend(p.strip() for p in _SEPARATOR.split(text) if p.strip())
    return parts


def _split_known(part: str, lookup: Callable[[str], str | None]) -> list[str] | None:
    """Read ``part`` as one known value, else as comma-separated known values (longest match first)."""
    whole = lookup(part)
    if whole is not None:
        return [whole]
    pieces = [p.strip() for p in part.split(",") if p.strip()]
    found: list[str] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            value = lookup(", ".join(pieces[start:end]))
            if value is not None:
                found.append(value)
                start = end
                break
        else:
            return None
    return found


def _unique(values: list[str]) -> tuple[str, ...] | None:
    return tuple(dict.fromkeys(values)) or None


def parse_choices(label: str, raw: object, choices: Sequence[str]) -> tuple[str, ...] | None:
    """Several of ``choices``, each once, in the form's order; None when there are none.

    >>> parse_choices("Setting", "Community, primary", ("primary", "secondary", "community"))
    ('primary', 'community')
    >>> parse_choices("Groups", "gender, sex; education", ("Gender, sex", "Education"))
    ('Gender, sex', 'Education')
    """
    by_key = {choice_key(c): c for c in choices}
    found: list[str] = []
    for part in _parts(label, raw):
        values = _split_known(part, lambda text: by_key.get(choice_key(text)))
        if values is None:
            raise ValidationError(f"{label}: '{_shown(part)}' is not one of: {', '.join(choices)}")
        found.extend(values)
    order = {c: i for i, c in enumerate(choices)}
    return _unique(sorted(found, key=order.__getitem__))


def parse_countries(label: str, raw: object) -> tuple[str, ...] | None:
    """Countries under their canonical names, each once, in the order given.

    >>> parse_countries("Country", "UK; France, USA")
    ('United Kingdom', 'France', 'United States')
    """
    found: list[str] = []
    for part in _parts(label, raw):
        values = _split_known(part, normalise_country)
        if values is None:
            raise ValidationError(
                f"{label}: '{_shown(part)}' is not a country (an ISO 3166-1 name or a common alias)"
            )
        found.extend(values)
    return _unique(found)
