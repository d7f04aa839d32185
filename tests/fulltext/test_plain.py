from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.errors import EmptyFileError, EncodingError
from realreview.fulltext import ExtractedText, PageSpan, extract_plain

TEXT = "Context: rural clinics.\r\nMechanism: trust – “felt safe”.\r\nOutcome: café visits ↑ 😀\n"


def test_utf8_text_is_kept_exactly_with_its_crlf() -> None:
    doc = extract_plain(TEXT.encode("utf-8"), name="notes.txt")

    assert doc == ExtractedText(TEXT, (PageSpan(1, 0, len(TEXT)),), "text/plain", ())
    assert doc.text.count("\r\n") == 2


def test_utf8_byte_order_mark_is_removed_and_noted() -> None:
    doc = extract_plain(codecs.BOM_UTF8 + TEXT.encode("utf-8"), name="nvivo.txt")

    assert doc.text == TEXT
    assert doc.notes == ("read as UTF-8; its byte-order mark is not part of the text",)


def test_cp1252_text_is_read_when_not_utf8() -> None:
    text = "Programme theory – “what works” for whom: café, naïve, œuvre\r\n"

    doc = extract_plain(text.encode("cp1252"), name="ansi.txt")

    assert doc.text == text
    assert doc.notes == ("not valid UTF-8 (first at line 1); read as Windows-1252 (cp1252)",)


def test_bytes_cp1252_leaves_undefined_fall_back_to_latin1() -> None:
    data = b"caf\xe9 \x81 \x8d end"

    doc = extract_plain(data, name="odd.txt")

    assert doc.text == "café \x81 \x8d end"
    assert doc.notes == ("not valid UTF-8 (first at line 1) or Windows-1252; read as Latin-1 (ISO-8859-1)",)


@pytest.mark.parametrize(
    ("codec", "label"),
    [("utf-16-le", "UTF-16 little-endian"), ("utf-16-be", "UTF-16 big-endian")],
)
def test_utf16_with_a_byte_order_mark(codec: str, label: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE

    doc = extract_plain(bom + TEXT.encode(codec), name="unicode.txt")

    assert doc.text == TEXT
    assert doc.notes == (f"read as {label}; its byte-order mark is not part of the text",)


def test_byte_order_mark_that_lies_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError) as caught:
        extract_plain(codecs.BOM_UTF8 + b"caf\xe9", name="mixed.txt")
    assert str(caught.value) == (
        "mixed.txt: starts with a UTF-8 byte-order mark, but byte 6 (line 1) is not valid UTF-8 "
        "(unexpected end of data); save the file again as UTF-8"
    )


def test_odd_length_utf16_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError) as caught:
        extract_plain(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"c", name="cut.txt")
    assert str(caught.value) == (
        "cut.txt: starts with a UTF-16 little-endian byte-order mark, but byte 6 (line 1) is not valid "
        "UTF-16 little-endian (truncated data); save the file again as UTF-8"
    )


def test_form_feeds_separate_pages_and_are_not_part_of_them() -> None:
    text = "Page one.\r\n\fPage two.\f\fPage four."

    doc = extract_plain(text.encode("utf-8"), name="pages.txt")

    assert doc.text == text
    assert doc.pages == (PageSpan(1, 0, 11), PageSpan(2, 12, 21), PageSpan(3, 22, 22), PageSpan(4, 23, 33))
    assert doc.text[doc.pages[3].start : doc.pages[3].end] == "Page four."
    assert doc.page_of(text.index("four")) == 4


def test_empty_file_is_refused() -> None:
    with pytest.raises(EmptyFileError) as caught:
        extract_plain(b"", name="empty.txt")
    assert str(caught.value) == "empty.txt: file is empty"


@pytest.mark.parametrize("data", [b" \r\n\t\f ", codecs.BOM_UTF8 + b"\n", codecs.BOM_UTF8])
def test_whitespace_only_file_is_refused(data: bytes) -> None:
    with pytest.raises(EmptyFileError) as caught:
        extract_plain(data, name="blank.txt")
    assert str(caught.value) == "blank.txt: file holds only whitespace"


_TEXT = st.text(min_size=1).filter(lambda t: bool(t.strip()) and not t.startswith("\ufeff"))


@given(_TEXT)
def test_utf8_text_round_trips_exactly_and_pages_tile_it(text: str) -> None:
    doc = extract_plain(text.encode("utf-8"), name="any.txt")

    assert doc.text == text
    assert doc.notes == ()
    assert "\f".join(doc.text[p.start : p.end] for p in doc.pages) == text
    assert [p.number for p in doc.pages] == list(range(1, text.count("\f") + 2))


@given(st.binary(min_size=1))
def test_any_bytes_give_text_or_a_named_error(data: bytes) -> None:
    try:
        doc = extract_plain(data, name="any.txt")
    except (EmptyFileError, EncodingError) as error:
        assert str(error).startswith("any.txt: ")
    else:
        assert doc.text.strip()
        assert "\f".join(doc.text[p.start : p.end] for p in doc.pages) == doc.text
