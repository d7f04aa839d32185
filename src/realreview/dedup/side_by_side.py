"""Two records field by field, as a reviewer compares them: which fields agree, which conflict.

Raw text would call "Nat. Commun." and "Nature Communications" a conflict and "10.1038/X" and
"https://doi.org/10.1038/x" two DOIs. Each field is compared through the matcher's own normalisers
(:mod:`realreview.dedup.keys`, ``names``, ``venues``, ``places``), so the page highlights what the
matcher would call a difference, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from realreview.dedup.fields import title_similarity
from realreview.dedup.keys import fold
from realreview.dedup.names import author_overlap
from realreview.dedup.places import page_agreement
from realreview.dedup.profile import Profile, profile
from realreview.dedup.venues import venues_match
from realreview.records import Record

__all__ = ["FieldMark", "FieldPair", "compare_fields"]


class FieldMark(StrEnum):
    """How one field of a pair compares."""

    AGREE = "agree"
    CONFLICT = "conflict"
    MISSING = "missing"  # one record has it, the other not
    EMPTY = "empty"  # neither has it


@dataclass(frozen=True, slots=True)
class FieldPair:
    """One row of the side-by-side table: the field, each record's value as shown, the mark."""

    name: str
    label: str
    left: str
    right: str
    mark: FieldMark


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


def _same(flag: bool) -> FieldMark:
    return FieldMark.AGREE if flag else FieldMark.CONFLICT


# Pages that locate one item in two ways (an article number beside print pages) are not a conflict.
_PAGES_AGREE = frozenset({"same", "end", "overlap", "form"})

Compare = Callable[[Record, Record, Profile, Profile], bool]

_RULES: tuple[tuple[str, str, Compare], ...] = (
    ("title", "Title", lambda _a, _b, p, q: (title_similarity(p.title, q.title) or 0.0) >= 0.95),
    ("authors", "Authors", lambda _a, _b, p, q: (author_overlap(p.authors, q.authors) or (0.0,))[0] >= 0.9),
    ("year", "Year", lambda a, b, _p, _q: a.year == b.year),
    ("journal", "Journal", lambda _a, _b, p, q: venues_match(p.journal, q.journal)),
    ("volume", "Volume", lambda _a, _b, p, q: p.volume == q.volume),
    ("issue", "Issue", lambda _a, _b, p, q: p.issue == q.issue or bool(p.issue_numbers & q.issue_numbers)),
    (
        "pages",
        "Pages",
        lambda _a, _b, p, q: (
            page_agreement((p.first_page, p.last_page, p.locator), (q.first_page, q.last_page, q.locator))
            in _PAGES_AGREE
        ),
    ),
    ("doi", "DOI", lambda _a, _b, p, q: p.doi == q.doi),
    ("pmid", "PMID", lambda _a, _b, p, q: p.pmid == q.pmid),
    (
        "publication_type",
        "Type",
        lambda a, b, _p, _q: fold(a.publication_type or "") == fold(b.publication_type or ""),
    ),
    ("language", "Language", lambda a, b, _p, _q: fold(a.language or "") == fold(b.language or "")),
    (
        "abstract",
        "Abstract",
        lambda a, b, _p, _q: (title_similarity(fold(a.abstract or ""), fold(b.abstract or "")) or 0.0) >= 0.9,
    ),
)


def compare_fields(left: Record, right: Record) -> tuple[FieldPair, ...]:
    """Every displayed field of two records with its mark (normalised comparison, not raw equality).

    >>> from realreview.records import make_record
    >>> a = make_record((), title="Equity in QI.", journal="Nat. Commun.", year="2020", doi="10.1000/X")
    >>> b = make_record((), title="Equity in QI", journal="Nature Communications", year="2021")
    >>> {row.name: row.mark.value for row in compare_fields(a, b)
    ...  if row.name in ("title", "journal", "year", "doi", "pmid")}
    {'title': 'agree', 'year': 'conflict', 'journal': 'agree', 'doi': 'missing', 'pmid': 'empty'}
    """
    p, q = profile(left), profile(right)
    rows = []
    for name, label, same in _RULES:
        shown_left, shown_right = _shown(left, name), _shown(right, name)
        if not shown_left and not shown_right:
            mark = FieldMark.EMPTY
        elif not shown_left or not shown_right:
            mark = FieldMark.MISSING
        else:
            mark = _same(same(left, right, p, q))
        rows.append(FieldPair(name, label, shown_left, shown_right, mark))
    return tuple(rows)


def _shown(record: Record, name: str) -> str:
    value = getattr(record, name)
    if name == "authors":
        return "; ".join(str(author) for author in value)
    return _text(value)
