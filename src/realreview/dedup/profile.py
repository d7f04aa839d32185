"""The comparable keys of one record, computed once before any pair is compared."""

from __future__ import annotations

import re
from dataclasses import dataclass

from realreview.dedup.keys import (
    cochrane_key,
    doi_match_key,
    is_supplement,
    main_title,
    title_key,
    title_kind,
    title_numbers,
)
from realreview.dedup.names import author_keys
from realreview.dedup.places import is_locator, issue_numbers, number_key, page_keys, unfold_volume
from realreview.dedup.venues import is_conference, is_proceedings, journal_key, split_embedded_citation
from realreview.records import Record

__all__ = ["AUTHORS_KEPT", "Profile", "profile"]

# Names beyond the first twenty add cost, not evidence (see names.AUTHORS_COMPARED).
AUTHORS_KEPT = 20


@dataclass(frozen=True, slots=True)
class Profile:
    """The comparable keys of one record (see :mod:`~realreview.dedup.keys`, ``names``, ``venues``, ``places``)."""

    title: str | None
    main: str | None
    numbers: str
    kind: str
    doi: str | None
    pmid: str | None
    authors: tuple[str, ...]
    year: int | None
    journal: tuple[str, ...]
    volume: str | None
    issue: str | None
    issue_numbers: frozenset[str]
    volume_numbers: frozenset[str]
    first_page: str | None
    last_page: str | None
    locator: bool
    conference: bool
    proceedings: bool
    supplement: bool
    cochrane: str | None


def profile(record: Record) -> Profile:
    """Compute the matching keys of ``record``.

    >>> from realreview.records import make_record
    >>> item = profile(make_record((), title="Sleep at 15: a cohort", authors=["Ng, A."], pages="e1754"))
    >>> item.title, item.main, item.authors, item.first_page, item.locator
    ('sleep at 15 a cohort', 'sleep at 15', ('ng',), '1754', True)
    """
    journal, volume, issue, pages = split_embedded_citation(record.journal)
    volume_text, issue_text, page_text = unfold_volume(
        record.volume or volume, record.issue or issue, record.pages or pages
    )
    first_page, last_page = page_keys(page_text)
    if record.year is not None and first_page == str(record.year):
        # Some exports (Ovid) fill the pages field with the year when the pages are unknown
        # ("2010", "2010-2Feb").
        first_page = last_page = None
    raw_title = record.title or ""
    cited_correction = bool("(" in raw_title and _CITED_CORRECTION.search(raw_title))
    if cited_correction:
        # The citation says what is corrected; the title without it is the corrected article's.
        raw_title = _CITED_CORRECTION.sub("", raw_title)
    title = title_key(raw_title)
    conference = is_conference(publication_type=record.publication_type, journal=record.journal)
    return Profile(
        title=title,
        main=main_title(raw_title),
        numbers=title_numbers(title),
        # A cited correction is an erratum whatever it corrects ("A commentary on ... (VOL 49 PG 1624 2019)").
        kind="erratum" if cited_correction else title_kind(title),
        doi=doi_match_key(record.doi),
        pmid=record.pmid,
        authors=author_keys(record.authors)[:AUTHORS_KEPT],
        year=record.year,
        journal=journal_key(journal),
        volume=_volume(volume_text, record.year),
        issue=number_key(issue_text),
        issue_numbers=issue_numbers(issue_text) or _NO_NUMBERS,
        volume_numbers=_volume_numbers(volume_text),
        first_page=first_page,
        last_page=last_page,
        locator=is_locator(page_text),
        conference=conference,
        proceedings=is_proceedings(
            publication_type=record.publication_type, journal=record.journal, conference=conference
        ),
        supplement=is_supplement(record.volume or volume, issue_text),
        cochrane=cochrane_key(record.doi, record.pages, record.issue, record.volume),
    )


# A correction notice that cites the corrected article instead of saying "Erratum": Web of Science
# writes "Title (vol 142, pg 310, 2003)" (or "(VOL 4 170633 2017)", with an article number), Embase
# "Title (New England Journal of Medicine (2009) 360 (542-544))".
_CITED_CORRECTION = re.compile(
    r"\((?:(?i:vol) \d+,? (?:(?i:pg) )?\w+,? \d{4}|[A-Z][^()]*\(\d{4}\)\s*\d+\s*\([\w-]+\))\)\s*$"
)

_NO_NUMBERS: frozenset[str] = frozenset()


def _volume_numbers(volume: str | None) -> frozenset[str]:
    # "Korsakova. Part 2. 117": a journal name spilled into the volume; any of its numbers may be the volume.
    numbers = issue_numbers(volume)
    return numbers if len(numbers) > 1 else _NO_NUMBERS


def _volume(text: str | None, year: int | None) -> str | None:
    # "2015 (3) (no pagination)": some exports put the year where the volume belongs.
    value = number_key(text)
    return None if value is not None and year is not None and value == str(year) else value
