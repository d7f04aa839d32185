"""Bibliographic records as the rest of RealReview sees them, and the normalisers that build them.

A :class:`Record` keeps two things side by side:

* ``raw``: every field exactly as the export file had it, as ``(tag, value)`` pairs in file order, so
  that nothing a database wrote is ever lost and a record can be re-exported or re-interpreted later;
* normalised fields (title, authors, year, DOI, PMID, ...) that deduplication, screening and reports use.

Parsers collect the raw pairs and the candidate values for each normalised field, then call
:func:`make_record`, which applies the one set of normalisers below. Keeping normalisation here (and
not in each parser) is what makes a DOI from Scopus CSV and a DOI from an Ovid RIS file compare equal.

It is also the one place imported text is cleaned of control characters: NUL and the other C0
characters except tab, line feed and carriage return are removed from the raw and the normalised
values alike, the same on SQLite (which would store them) and PostgreSQL (which refuses NUL), and a
year that cannot be read is left empty with its text kept in the raw field. Both are reported
through the ``diagnostics`` the parser passes in, naming the record and its line.
"""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote

__all__ = [
    "FIELDS",
    "Author",
    "Record",
    "make_record",
    "normalise_doi",
    "normalise_pages",
    "normalise_pmid",
    "normalise_space",
    "normalise_year",
    "remove_control_characters",
    "split_keywords",
]

RawFields = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Author:
    """One author as a family name and the rest (given names or initials), or an organisation.

    Exports write authors as ``"Keefer, Amy"``, ``"Brownstein C D"``, ``"Yang Z."`` or
    ``"World Health Organization"``; :meth:`parse` keeps what it cannot split as a family name only.
    """

    family: str
    given: str = ""

    @classmethod
    def parse(cls, text: str) -> Author:
        """Split ``"Family, Given"``; fall back to ``"Family Initials"``; else keep the whole as family.

        >>> Author.parse("Keefer, Amy")
        Author(family='Keefer', given='Amy')
        >>> Author.parse("Brownstein C D")
        Author(family='Brownstein', given='C D')
        >>> Author.parse("World Health Organization")
        Author(family='World Health Organization', given='')
        """
        text = normalise_space(text).strip(" ;")
        if "," in text:
            family, _, given = text.partition(",")
            return cls(family.strip(), given.strip())
        parts = text.split(" ")
        # "Brownstein C D" / "Yang Z." / "Van der Berg JA": trailing tokens that are initials.
        if len(parts) >= 2 and _INITIALS.fullmatch(" ".join(parts[-1:])):
            cut = len(parts) - 1
            while cut > 1 and _INITIALS.fullmatch(parts[cut - 1]):
                cut -= 1
            return cls(" ".join(parts[:cut]), " ".join(parts[cut:]))
        return cls(text)

    def __str__(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")


@dataclass(frozen=True, slots=True)
class Record:
    """One bibliographic record from one export file: raw fields plus normalised ones.

    ``position`` is the record's 1-based place in its file and ``line`` the line it starts on (when the
    format is line based), so that diagnostics and later reviewers can point back into the file.
    """

    raw: RawFields
    title: str | None = None
    authors: tuple[Author, ...] = ()
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    language: str | None = None
    publication_type: str | None = None
    position: int = 0
    line: int | None = None

    def raw_values(self, tag: str) -> list[str]:
        """Every raw value stored under ``tag``, in file order."""
        return [value for key, value in self.raw if key == tag]


#: The normalised bibliographic fields of a record, in display order: the one list that the CSV
#: writer, the merged record of a duplicate group and the stored columns all follow.
FIELDS: tuple[str, ...] = tuple(
    field.name for field in dataclasses.fields(Record) if field.name not in {"raw", "position", "line"}
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def remove_control_characters(text: str) -> tuple[str, str]:
    r"""``text`` without C0 control characters other than tab and line ends, and which were removed.

    >>> remove_control_characters("a\x00b\tc\x07")
    ('ab\tc', 'U+0000, U+0007')
    >>> remove_control_characters("plain")
    ('plain', '')
    """
    if not _CONTROL.search(text):
        return text, ""
    removed = sorted({f"U+{ord(ch):04X}" for ch in _CONTROL.findall(text)})
    return _CONTROL.sub("", text), ", ".join(removed)


class Notes(Protocol):
    """Where :func:`make_record` reports what it repaired (a parser's ``Diagnostics``)."""

    def add(self, message: str, *, record: int | None = None, line: int | None = None) -> None:
        """Record one note about ``record`` at ``line``."""


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (including newlines and no-break spaces) to one space and strip."""
    # str.split() knows every Unicode space and is several times faster than a regex on long abstracts.
    return " ".join(text.split())


def _clean_text(text: str | None) -> str | None:
    if text is None:
        return None
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "&" in text:
        text = html.unescape(text)
    return normalise_space(text) or None


_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_DOI_TRAILING = ".,;:)]}>\"'"


def normalise_doi(text: str | None) -> str | None:
    """Return the bare lower-case DOI found in ``text``, or ``None``.

    Exports write DOIs as ``https://dx.doi.org/10.1186/...``, ``doi:10...``, ``10.1097/X [doi]`` or
    with a trailing full stop; DOIs are case-insensitive by definition, so we lower-case them.

    >>> normalise_doi("https://dx.doi.org/10.1186/S11689-021-09396-9.")
    '10.1186/s11689-021-09396-9'
    >>> normalise_doi("10.1016/j.jad.2020.01.001 [doi]")
    '10.1016/j.jad.2020.01.001'
    >>> normalise_doi("not a doi") is None
    True
    """
    if not text:
        return None
    match = _DOI.search(unquote(text))
    if match is None:
        return None
    return match.group(0).rstrip(_DOI_TRAILING).lower()


_PMID = re.compile(r"(?<!\d)(\d{1,9})(?!\d)")


def normalise_pmid(text: str | None) -> str | None:
    """Return a PubMed id as digits without leading zeros, from ``"12345"``, ``"PMID: 12345"``, ``"MEDLINE:12345"``.

    >>> normalise_pmid("PUBMED 21314913")
    '21314913'
    >>> normalise_pmid("https://pubmed.ncbi.nlm.nih.gov/33491384/")
    '33491384'
    >>> normalise_pmid("") is None
    True
    """
    if not text:
        return None
    match = _PMID.search(text)
    if match is None:
        return None
    digits = match.group(1).lstrip("0")
    return digits or None


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")


def normalise_year(text: str | None) -> int | None:
    """Find the publication year in a date field such as ``"2024/04/03/"``, ``"1989//"``, ``"2021 Sep"``.

    >>> normalise_year("2024/04/03/")
    2024
    >>> normalise_year("September  1, 2021")
    2021
    >>> normalise_year("n.d.") is None
    True
    """
    if not text:
        return None
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


_PAGE_RANGE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-\u2010-\u2015]+\s*([A-Za-z]*)(\d+)\s*$")


def normalise_pages(text: str | None) -> str | None:
    """Write a page range in full (``"H384-91"`` becomes ``"H384-H391"``); keep anything else as cleaned text.

    >>> normalise_pages("H384-91")
    'H384-H391'
    >>> normalise_pages("1309 - 1348")
    '1309-1348'
    >>> normalise_pages("e0245")
    'e0245'
    """
    cleaned = _clean_text(text)
    if cleaned is None:
        return None
    match = _PAGE_RANGE.match(cleaned)
    if match is None:
        return cleaned
    prefix, first, end_prefix, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{end_prefix or prefix}{last}"


def split_keywords(values: Iterable[str]) -> tuple[str, ...]:
    """Split keyword fields on ``;`` (and newlines), clean them and drop repeats (ignoring case), keeping order."""
    seen: dict[str, str] = {}
    for value in values:
        for part in (
            _KEYWORD_SEPARATORS.split(value) if (";" in value or "\n" in value or "\r" in value) else (value,)
        ):
            cleaned = _clean_text(part)
            if cleaned:
                seen.setdefault(cleaned.lower(), cleaned)
    return tuple(seen.values())


_KEYWORD_SEPARATORS = re.compile(r"[;\n\r]+")


def _first(values: Sequence[str | None] | str | None) -> str | None:
    if values is None or isinstance(values, str):
        return values
    for value in values:
        if value and value.strip():
            return value
    return None


def _without_controls(raw: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], str]:
    """The raw pairs with control characters removed from their values, and which ones were."""
    pairs = list(raw)
    if not any(_CONTROL.search(value) for _tag, value in pairs):
        return pairs, ""
    removed: set[str] = set()
    cleaned = []
    for tag, value in pairs:
        text, found = remove_control_characters(value)
        removed.update(found.split(", ") if found else ())
        cleaned.append((tag, text))
    return cleaned, ", ".join(sorted(removed))


def _clean_candidates(value: Any) -> Any:
    """One candidate or a sequence of them, with control characters removed from each."""
    if value is None:
        return None
    if isinstance(value, str):
        return remove_control_characters(value)[0]
    return [None if item is None else remove_control_characters(item)[0] for item in value]


def make_record(
    raw: Iterable[tuple[str, str]],
    *,
    title: Sequence[str | None] | str | None = None,
    authors: Iterable[str] = (),
    year: Sequence[str | None] | str | None = None,
    journal: Sequence[str | None] | str | None = None,
    volume: Sequence[str | None] | str | None = None,
    issue: Sequence[str | None] | str | None = None,
    pages: Sequence[str | None] | str | None = None,
    start_page: str | None = None,
    end_page: str | None = None,
    doi: Sequence[str | None] | str | None = None,
    pmid: Sequence[str | None] | str | None = None,
    abstract: Sequence[str | None] | str | None = None,
    keywords: Iterable[str] = (),
    language: Sequence[str | None] | str | None = None,
    publication_type: Sequence[str | None] | str | None = None,
    position: int = 0,
    line: int | None = None,
    diagnostics: Notes | None = None,
) -> Record:
    """Build a :class:`Record` from raw pairs and candidate values, normalising each field once.

    Each normalised field accepts one value or a sequence of candidates in order of preference (for
    example ``title=[T1, TI]``); the first non-blank candidate wins. Pages may be given whole or as
    ``start_page``/``end_page``. Control characters are removed from every value, and they and an
    unreadable year are reported to ``diagnostics`` (with ``position`` and ``line``).
    """
    raw, removed = _without_controls(raw)
    if removed or not raw:  # with no raw pairs to tell, clean the candidates anyway
        title, authors, year, journal, volume, issue, pages, doi, pmid = (
            _clean_candidates(value)
            for value in (title, authors, year, journal, volume, issue, pages, doi, pmid)
        )
        abstract, keywords, language, publication_type, start_page, end_page = (
            _clean_candidates(value)
            for value in (abstract, keywords, language, publication_type, start_page, end_page)
        )
        if removed and diagnostics is not None:
            diagnostics.add(f"removed control character(s) {removed}", record=position, line=line)
    year_text = _first(year)
    year_value = normalise_year(year_text)
    if year_value is None and year_text and year_text.strip() and diagnostics is not None:
        diagnostics.add(
            f"unreadable year {year_text.strip()[:40]!r}; year left empty, the text kept in the raw field",
            record=position,
            line=line,
        )
    page_text = _first(pages)
    if page_text is None and start_page and start_page.strip():
        page_text = (
            f"{start_page.strip()}-{end_page.strip()}" if end_page and end_page.strip() else start_page
        )
    doi_value = None
    for candidate in [doi] if isinstance(doi, str) or doi is None else doi:
        doi_value = normalise_doi(candidate)
        if doi_value:
            break
    pmid_value = None
    for candidate in [pmid] if isinstance(pmid, str) or pmid is None else pmid:
        pmid_value = normalise_pmid(candidate)
        if pmid_value:
            break
    return Record(
        raw=tuple(raw),
        title=_clean_text(_first(title)),
        authors=tuple(Author.parse(a) for a in authors if a and a.strip()),
        year=year_value,
        journal=_clean_text(_first(journal)),
        volume=_clean_text(_first(volume)),
        issue=_clean_text(_first(issue)),
        pages=normalise_pages(page_text),
        doi=doi_value,
        pmid=pmid_value,
        abstract=_clean_text(_first(abstract)),
        keywords=split_keywords(keywords),
        language=_clean_text(_first(language)),
        publication_type=_clean_text(_first(publication_type)),
        position=position,
        line=line,
    )
