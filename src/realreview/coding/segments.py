"""The reading view's layout: each page of a document cut into runs covered by the same excerpts.

The web page puts each page's text in its own element and wraps the runs covered by an excerpt in a
highlight, so the text on the page is exactly ``text[page.start:page.end]`` and a selection's offset
is the page's start plus the characters before it (issue #5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from realreview.coding.codebook import DEFAULT_COLOR
from realreview.coding.excerpts import Excerpt
from realreview.fulltext import PageSpan

__all__ = ["PageView", "Segment", "cuts", "page_views"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of page text covered by the same excerpts (none: plain text), and its highlight colour."""

    text: str
    excerpt_ids: tuple[int, ...]
    color: str


@dataclass(frozen=True, slots=True)
class PageView:
    """One page of the reading view: its number, where it starts in the text, its segments."""

    number: int
    start: int
    segments: tuple[Segment, ...]


def cuts(
    text: str, *, start: int, end: int, spans: Sequence[tuple[int, int, int]]
) -> list[tuple[str, tuple[int, ...]]]:
    """``text[start:end]`` cut where excerpts begin or end, each piece with the excerpts covering it.

    ``spans`` are ``(excerpt id, start, end)``; overlapping excerpts give pieces covered by several,
    listed in the order given.

    >>> cuts("abcdef", start=1, end=6, spans=[(7, 0, 3), (8, 2, 4)])
    [('b', (7,)), ('c', (7, 8)), ('d', (8,)), ('ef', ())]
    """
    inside = [(i, max(s, start), min(e, end)) for i, s, e in spans if s < end and e > start]
    bounds = sorted({start, end, *(s for _, s, _ in inside), *(e for _, _, e in inside)})
    return [
        (text[a:b], tuple(i for i, s, e in inside if s <= a and b <= e))
        for a, b in zip(bounds, bounds[1:], strict=False)
        if a < b
    ]


def page_views(
    text: str,
    pages: Sequence[PageSpan],
    excerpts: Sequence[Excerpt],
    colors: Mapping[int, str],
    *,
    default_color: str = DEFAULT_COLOR,
) -> list[PageView]:
    """Every page cut by the excerpts; a run takes the colour of the first code of its last excerpt.

    ``colors`` maps code ids to their colour; a code without one (or an excerpt without codes) is
    highlighted in ``default_color``.

    >>> x = Excerpt(3, "g", 1, "a.txt", 1, 2, 5, "llo", (9,), "ana", None)  # type: ignore[arg-type]
    >>> (page,) = page_views("hello", [PageSpan(1, 0, 5)], [x], {9: "#112233"})
    >>> [(s.text, s.excerpt_ids, s.color) for s in page.segments]
    [('he', (), ''), ('llo', (3,), '#112233')]
    """
    spans = [(x.id, x.start, x.end) for x in excerpts]
    by_id = {x.id: x for x in excerpts}

    def color(ids: tuple[int, ...]) -> str:
        if not ids:
            return ""
        codes = by_id[ids[-1]].code_ids
        return colors.get(codes[0], default_color) if codes else default_color

    return [
        PageView(
            page.number,
            page.start,
            tuple(
                Segment(piece, ids, color(ids))
                for piece, ids in cuts(text, start=page.start, end=page.end, spans=spans)
            ),
        )
        for page in pages
    ]
