"""The text of a full-text document and where its pages lie in it.

Excerpts, coding and REFI-QDA exports all address a document by character offsets into one string,
so the extracted text is stored once with the page boundaries beside it rather than page by page.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["ExtractedText", "PageSpan", "split_pages"]


@dataclass(frozen=True, slots=True)
class PageSpan:
    """One page of a document's text.

    Attributes:
        number: The page number as a reader counts it, from 1.
        start: Offset of the page's first character in :attr:`ExtractedText.text`.
        end: Offset just past its last character (exclusive), so ``text[start:end]`` is the page; the
            form feed that separates it from the next page is not part of it.
    """

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ExtractedText:
    r"""The plain text of a document, its pages and what extraction noticed on the way.

    Attributes:
        text: The whole text; pages are separated by one form feed (``"\f"``).
        pages: The pages in order; their spans never overlap and lie within ``text``.
        media_type: ``"application/pdf"`` or ``"text/plain"``: what the file was, not what the text is.
        notes: Sentences for the user about things that did not stop extraction (pages without a text
            layer, the encoding that was guessed).

    Example:
        >>> doc = ExtractedText("one\ftwo", (PageSpan(1, 0, 3), PageSpan(2, 4, 7)), "text/plain")
        >>> doc.text[doc.pages[1].start : doc.pages[1].end]
        'two'
        >>> doc.page_of(5), doc.page_of(3), doc.page_of(8)
        (2, 1, None)
    """

    text: str
    pages: tuple[PageSpan, ...]
    media_type: str
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Offsets are stored and exchanged (REFI-QDA); a span outside the text would only surface much
        # later as a wrong excerpt, so refuse it where it is made.
        previous_end = 0
        for page in self.pages:
            if not previous_end <= page.start <= page.end <= len(self.text):
                raise ValueError(
                    f"page {page.number} spans [{page.start}, {page.end}), which is out of order or "
                    f"outside the text of {len(self.text)} characters"
                )
            previous_end = page.end

    def page_of(self, offset: int) -> int | None:
        """The number of the page that ``offset`` falls on, or ``None`` outside the text.

        An offset equal to a page's ``end`` (the form feed after it, or the end of the text) counts to
        that page, so the exclusive end of an excerpt lands on the page the excerpt ends on.
        """
        if offset < 0:
            return None
        index = bisect_right(self.pages, offset, key=lambda page: page.start) - 1
        if index < 0 or offset > self.pages[index].end:
            return None
        return self.pages[index].number


def split_pages(text: str) -> tuple[PageSpan, ...]:
    r"""Page spans of ``text``, one page per form-feed-separated part (one page when there is none).

    Every part counts, even an empty one after a final form feed, so that a text exported by
    RealReview (pages joined by form feeds) reads back with the same pages.

    Example:
        >>> [(page.number, page.start, page.end) for page in split_pages("a\fbc\f")]
        [(1, 0, 1), (2, 2, 4), (3, 5, 5)]
    """
    spans, start = [], 0
    for number, part in enumerate(text.split("\f"), start=1):
        spans.append(PageSpan(number, start, start + len(part)))
        start += len(part) + 1
    return tuple(spans)
