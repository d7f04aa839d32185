"""The canonical record of a duplicate group: the best value of each field, and where it came from.

Exports of the same study differ in completeness: Embase may carry the abstract, PubMed the PMID,
Scopus the DOI. The canonical record takes, field by field, the most informative value any member has
and remembers which member gave it, so a reviewer can always see the record a value came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from realreview.records import FIELDS, Record

__all__ = ["FIELDS", "merge_records"]


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | tuple) else 1


# Longer is better for free text and lists (a full abstract beats a truncated one, a full author list
# beats "et al."); for identifiers and numbers the first member that has one wins.
_PREFER_LONGEST = frozenset({"title", "authors", "journal", "abstract", "keywords", "pages"})


def merge_records(members: Sequence[Record]) -> tuple[Record, dict[str, int]]:
    """Combine a group's records into one, returning it and ``field -> index of the member used``.

    The first member is the base (the group's root); it keeps its raw fields and position.

    >>> from realreview.records import make_record
    >>> a = make_record([], title="Equity in QI", year="2020")
    >>> b = make_record([], title="Equity in QI", doi="10.1000/x", abstract="Background ...")
    >>> merged, source = merge_records([a, b])
    >>> (merged.doi, merged.abstract, merged.year, source["doi"], source["year"])
    ('10.1000/x', 'Background ...', 2020, 1, 0)
    """
    if not members:
        raise ValueError("a duplicate group has at least one record")
    chosen: dict[str, Any] = {}
    source: dict[str, int] = {}
    for name in FIELDS:
        values = [getattr(member, name) for member in members]
        candidates = [index for index, value in enumerate(values) if value not in (None, "", ())]
        if not candidates:
            continue
        best = max(candidates, key=lambda i: _length(values[i])) if name in _PREFER_LONGEST else candidates[0]
        chosen[name] = values[best]
        source[name] = best
    return replace(members[0], **chosen), source
