"""UTF-16 offsets ↔ str indices: checked against Python's own UTF-16 encoder, and fast on a long text."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.coding.conftest import NVIVO, unzip

from realreview.coding import Utf16Map, index_to_utf16, utf16_to_index

TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=60) | st.lists(
    st.sampled_from(["a", "😀", "é", "\r\n", "𝔘", "\U0010ffff", "\uffff"]), max_size=40
).map("".join)


def _reference_units(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


@given(TEXTS)
def test_every_index_maps_to_its_utf16_offset_and_back(text: str) -> None:
    offsets = Utf16Map(text)
    assert offsets.units == len(text.encode("utf-16-le")) // 2
    assert offsets.length == len(text)
    for index in range(len(text) + 1):
        unit = offsets.to_utf16(index)
        assert unit == _reference_units(text, index)
        assert offsets.to_index(unit) == index


@given(TEXTS)
def test_utf16_slices_decode_to_the_str_slice(text: str) -> None:
    offsets = Utf16Map(text)
    encoded = text.encode("utf-16-le")
    boundaries = [offsets.to_utf16(i) for i in range(len(text) + 1)]
    for unit in range(offsets.units + 1):
        if unit in boundaries:
            index = offsets.to_index(unit)
            assert encoded[: 2 * unit].decode("utf-16-le") == text[:index]
        else:
            with pytest.raises(ValueError, match="falls inside a surrogate pair"):
                offsets.to_index(unit)


def test_out_of_range() -> None:
    offsets = Utf16Map("a😀")
    with pytest.raises(ValueError, match=r"^UTF-16 offset 4 is outside the text \(0 to 3\)$"):
        offsets.to_index(4)
    with pytest.raises(ValueError, match=r"^UTF-16 offset -1 is outside the text \(0 to 3\)$"):
        offsets.to_index(-1)
    with pytest.raises(ValueError, match=r"^index 3 is outside the text \(0 to 2\)$"):
        offsets.to_utf16(3)
    with pytest.raises(
        ValueError, match=r"^UTF-16 offset 2 falls inside a surrogate pair \(the character at index 1\)$"
    ):
        offsets.to_index(2)


def test_one_off_helpers() -> None:
    assert utf16_to_index("😀😀x", 4) == 2
    assert index_to_utf16("😀😀x", 2) == 4
    assert index_to_utf16("plain", 5) == utf16_to_index("plain", 5) == 5


def test_hundreds_of_offsets_in_a_600k_text_are_fast() -> None:
    text = unzip(NVIVO.read_bytes())["Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt"].decode("utf-8-sig")
    started = time.perf_counter()
    offsets = Utf16Map(text)
    units = [offsets.to_utf16(i) for i in range(0, len(text), 997)]
    back = [offsets.to_index(u) for u in units]
    elapsed = time.perf_counter() - started
    assert (len(text), offsets.units) == (600_490, 601_382)
    assert back == list(range(0, len(text), 997))
    assert elapsed < 1.0
