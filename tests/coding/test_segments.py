"""The reading view's layout: page text cut where excerpts begin and end, nothing lost or added."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from realreview.coding import Excerpt, cuts, page_views
from realreview.fulltext import PageSpan, split_pages


@st.composite
def page_and_spans(draw: st.DrawFn) -> tuple[str, int, int, list[tuple[int, int, int]]]:
    text = draw(st.text(min_size=1, max_size=40))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    bounds = st.integers(0, len(text))
    pairs = draw(st.lists(st.tuples(bounds, bounds).filter(lambda p: p[0] < p[1]), max_size=6))
    return text, start, end, [(number, s, e) for number, (s, e) in enumerate(pairs, start=1)]


@given(page_and_spans())
def test_cuts_keep_the_page_text_and_mark_exactly_the_covering_excerpts(
    case: tuple[str, int, int, list[tuple[int, int, int]]],
) -> None:
    text, start, end, spans = case
    pieces = cuts(text, start=start, end=end, spans=spans)
    assert "".join(piece for piece, _ in pieces) == text[start:end]
    at = start
    for piece, ids in pieces:
        assert piece  # no empty pieces: each becomes an element or text node
        for offset in range(at, at + len(piece)):
            assert ids == tuple(i for i, s, e in spans if s <= offset < e)
        at += len(piece)


def _excerpt(excerpt_id: int, start: int, end: int, code_ids: tuple[int, ...]) -> Excerpt:
    return Excerpt(excerpt_id, f"g{excerpt_id}", 1, "a.txt", 1, start, end, "", code_ids, "ana", None)  # type: ignore[arg-type]


def test_page_views_cover_each_page_and_colour_runs_by_the_last_excerpt() -> None:
    text = "Trust grew.\fManagers listened."
    excerpts = [_excerpt(1, 0, 5, (7,)), _excerpt(2, 6, 18, ()), _excerpt(3, 12, 20, (8, 7))]
    views = page_views(text, split_pages(text), excerpts, {7: "#112233"}, default_color="#FFFFFF")
    assert [(v.number, v.start) for v in views] == [(1, 0), (2, 12)]
    assert [(s.text, s.excerpt_ids, s.color) for v in views for s in v.segments] == [
        ("Trust", (1,), "#112233"),
        (" ", (), ""),
        ("grew.", (2,), "#FFFFFF"),  # an excerpt without codes
        ("Manage", (2, 3), "#FFFFFF"),  # code 8 has no colour of its own
        ("rs", (3,), "#FFFFFF"),
        (" listened.", (), ""),
    ]
    assert ["".join(s.text for s in v.segments) for v in views] == text.split("\f")
    assert PageSpan(2, 12, len(text)) == split_pages(text)[1]
