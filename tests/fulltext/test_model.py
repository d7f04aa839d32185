from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.fulltext import ExtractedText, PageSpan, split_pages


def _doc(text: str) -> ExtractedText:
    return ExtractedText(text, split_pages(text), "text/plain")


def test_page_of_counts_a_page_end_to_that_page() -> None:
    doc = _doc("ab\fcd\f\fe")

    assert [doc.page_of(i) for i in range(-1, len(doc.text) + 2)] == [None, 1, 1, 1, 2, 2, 2, 3, 4, 4, None]


def test_page_of_without_pages_is_none() -> None:
    assert ExtractedText("", (), "text/plain").page_of(0) is None


def test_values_are_frozen() -> None:
    doc = _doc("ab")

    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.pages[0].start = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "pages",
    [
        (PageSpan(1, 0, 5),),
        (PageSpan(1, 2, 1),),
        (PageSpan(1, -1, 2),),
        (PageSpan(1, 0, 3), PageSpan(2, 2, 4)),
    ],
    ids=["past-the-end", "reversed", "negative", "overlapping"],
)
def test_spans_outside_the_text_are_refused(pages: tuple[PageSpan, ...]) -> None:
    with pytest.raises(ValueError, match=r"^page \d spans \[-?\d, \d\), which is out of order or outside"):
        ExtractedText("abcd", pages, "text/plain")


@given(st.text(alphabet=st.sampled_from("ab\f\n"), max_size=40))
def test_split_pages_tiles_the_text_and_page_of_agrees(text: str) -> None:
    doc = _doc(text)

    assert "\f".join(text[p.start : p.end] for p in doc.pages) == text
    for page in doc.pages:
        assert "\f" not in text[page.start : page.end]
        for offset in range(page.start, page.end + 1):
            assert doc.page_of(offset) == page.number
