from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from realreview.errors import (
    EmptyFileError,
    EncryptedDocumentError,
    FileTooLargeError,
    InputError,
    NoTextLayerError,
    ParseError,
)
from realreview.fulltext import extract_document, sniff_media_type

MiB = 2**20
NOT_A_DOCUMENT = "not a PDF or a plain-text file; save it as PDF or text first"


def test_pdf_is_recognised_by_content_whatever_its_name(new_pdf) -> None:
    data = new_pdf().text("Realist evaluation.").build()

    doc = extract_document(data, name="download", max_bytes=MiB)

    assert doc.media_type == "application/pdf"
    assert doc.text == "Realist evaluation."


def test_pdf_header_after_leading_junk_is_still_a_pdf(new_pdf) -> None:
    data = b"X-Mailer junk\r\n" * 60 + new_pdf().text("Realist evaluation.").build()
    assert data.index(b"%PDF-") == 900

    doc = extract_document(data, name="mail.pdf", max_bytes=MiB)

    assert (doc.media_type, doc.text) == ("application/pdf", "Realist evaluation.")


def test_pdf_marker_beyond_the_first_kilobyte_is_text() -> None:
    data = b"a" * 1024 + b"%PDF-1.4 mentioned in passing"

    assert extract_document(data, name="notes.txt", max_bytes=MiB).media_type == "text/plain"


def test_pdf_errors_come_through(new_pdf) -> None:
    with pytest.raises(EncryptedDocumentError):
        extract_document(new_pdf().text("x").build(encrypt="pw"), name="a.pdf", max_bytes=MiB)
    with pytest.raises(NoTextLayerError):
        extract_document(new_pdf().shapes().build(), name="a.pdf", max_bytes=MiB)
    with pytest.raises(ParseError) as caught:
        extract_document(b"%PDF-1.7\ntruncated", name="a.pdf", max_bytes=MiB)
    assert str(caught.value) == "a.pdf: not a readable PDF (pdfium error 3)"


def test_file_over_the_limit_is_refused_before_reading() -> None:
    data = b"%PDF-" + bytes(int(2.5 * MiB))

    with pytest.raises(FileTooLargeError) as caught:
        extract_document(data, name="x.pdf", max_bytes=MiB)
    assert str(caught.value) == (
        "x.pdf: 2.5 MiB is over the 1.0 MiB limit for documents (REALREVIEW_MAX_DOCUMENT_BYTES)"
    )


def test_small_limits_are_named_in_bytes() -> None:
    with pytest.raises(FileTooLargeError) as caught:
        extract_document(b"eleven byte", name="x.txt", max_bytes=10)
    assert str(caught.value) == (
        "x.txt: 11 bytes is over the 10 bytes limit for documents (REALREVIEW_MAX_DOCUMENT_BYTES)"
    )


def test_file_exactly_at_the_limit_is_accepted() -> None:
    assert extract_document(b"ten bytes!", name="x.txt", max_bytes=10).text == "ten bytes!"


def test_empty_file_is_refused() -> None:
    with pytest.raises(EmptyFileError) as caught:
        extract_document(b"", name="x.pdf", max_bytes=MiB)
    assert str(caught.value) == "x.pdf: file is empty"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Text</w:document>")
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("x.docx", _docx()),
        ("x.png", _png()),
        ("x.jpg", b"\xff\xd8\xff\xe0 JFIF"),
        ("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old Word"),
        ("x.rtf", b"{\\rtf1\\ansi Hello}"),
        ("x.bin", b"text then \x00 a NUL byte"),
    ],
    ids=["docx", "png", "jpeg", "ole", "rtf", "nul"],
)
def test_other_binary_formats_are_refused_with_advice(name: str, data: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        extract_document(data, name=name, max_bytes=MiB)
    assert str(caught.value) == f"{name}: {NOT_A_DOCUMENT}"
    assert isinstance(caught.value, InputError)


def test_utf16_text_with_nul_bytes_is_still_text() -> None:
    data = "\ufeffNVivo export".encode("utf-16-le")

    doc = extract_document(data, name="u16.txt", max_bytes=MiB)

    assert (doc.media_type, doc.text) == ("text/plain", "NVivo export")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.4\n", "application/pdf"),
        (b"\xef\xbb\xbf%PDF-1.4\n", "application/pdf"),
        (b"plain words", "text/plain"),
        ("caf\u00e9".encode("cp1252"), "text/plain"),
        (b"\xfe\xff\x00A", "text/plain"),
    ],
)
def test_sniff_media_type(data: bytes, expected: str) -> None:
    assert sniff_media_type(data, name="f") == expected


def test_an_upload_cut_at_the_limit_is_refused_with_its_real_size() -> None:
    from realreview.errors import FileTooLargeError

    with pytest.raises(FileTooLargeError, match=r"^big.txt: 2.0 MiB is over the 1.0 MiB limit"):
        extract_document(b"x" * (2**20 + 1), name="big.txt", max_bytes=2**20, size=2 * 2**20)


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"<!DOCTYPE html><html><body>Sign in to read</body></html>", "(it starts like a web page)"),
        (b"Plain words saved with the wrong name", ""),
    ],
)
def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(data: bytes, hint: str) -> None:
    from realreview.errors import ParseError

    with pytest.raises(ParseError, match=r"^paper\.PDF: named \.pdf but not a PDF") as raised:
        extract_document(data, name="paper.PDF", max_bytes=MiB)
    assert hint in str(raised.value)


def test_the_same_bytes_under_a_text_name_are_text() -> None:
    doc = extract_document(b"Plain words saved as text", name="paper.txt", max_bytes=MiB)
    assert doc.media_type == "text/plain"


def test_a_guessed_encoding_names_the_first_line_that_is_not_utf8() -> None:
    data = "Line one\nLine two\nCaf\u00e9 on line three\n".encode("cp1252")
    doc = extract_document(data, name="notes.txt", max_bytes=MiB)
    assert doc.text.endswith("Caf\u00e9 on line three\n")
    assert doc.notes == ("not valid UTF-8 (first at line 3); read as Windows-1252 (cp1252)",)


def test_a_broken_utf16_file_names_the_line_of_the_bad_bytes() -> None:
    from realreview.errors import EncodingError

    data = b"\xff\xfe" + "one\ntwo\n".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le")
    with pytest.raises(
        EncodingError,
        match=r"^u\.txt: starts with a UTF-16 little-endian byte-order mark, but byte 18 \(line 3\)",
    ):
        extract_document(data, name="u.txt", max_bytes=MiB)
