"""Excerpts: coded spans of a document's text, addressed by character offsets.

An excerpt is ``document.text[start:end]`` (code points, as Python counts them; REFI-QDA files count
UTF-16 units, see :mod:`realreview.coding.offsets`), on the page its first character is on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Excerpt", "page_of"]


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A coded span of a document: ``text == document.text[start:end]``."""

    id: int
    guid: str
    document_id: int
    document_name: str
    page: int | None
    start: int
    end: int
    text: str
    code_ids: tuple[int, ...]
    created_by: str
    created_at: dt.datetime
    #: Who applied each of ``code_ids`` (same order): a coding is its coder's to remove.
    coded_by: tuple[str, ...] = ()

    def coder_of(self, code_id: int) -> str | None:
        """Who applied ``code_id`` to this excerpt (None: it does not carry that code)."""
        pairs = dict(zip(self.code_ids, self.coded_by, strict=False))
        return pairs.get(code_id)


def page_of(pages: Iterable[Sequence[int]], offset: int) -> int | None:
    """The number of the page that character ``offset`` is on; pages are ``(number, start, end)``.

    An offset at a page's end (the form feed after it) is on no page, except on an empty page.

    >>> pages = [(1, 0, 4), (2, 5, 5), (3, 6, 9)]
    >>> page_of(pages, 0), page_of(pages, 4), page_of(pages, 5), page_of(pages, 8), page_of(pages, 9)
    (1, None, 2, 3, None)
    """
    for number, start, end in pages:
        if start <= offset < end or (offset == end and start == end):
            return int(number)
    return None
