from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from reportlab.lib import pdfencrypt

from realreview.errors import EncryptedDocumentError, NoTextLayerError, ParseError
from realreview.fulltext import ExtractedText, PageSpan, extract_pdf
from realreview.fulltext.pdf import PDFIUM_LOCK

DATA = Path(__file__).parent.parent / "data" / "fulltext"

S1 = "The intervention improved trust between nurses and patients."
S2 = "Second line on page one with a comma, and a full stop."
S3 = "Page two reports motivation as the key mechanism."
PASSWORD_MESSAGE = "the PDF is protected by a password; remove the protection and attach it again"


def test_two_pages_give_exact_spans_joined_by_one_form_feed(new_pdf) -> None:
    data = new_pdf().text(S1, S2).text(S3).build()

    doc = extract_pdf(data, name="study.pdf")

    page_one, page_two = f"{S1}\n{S2}", S3
    assert doc == ExtractedText(
        text=f"{page_one}\f{page_two}",
        pages=(PageSpan(1, 0, len(page_one)), PageSpan(2, len(page_one) + 1, len(page_one) + 1 + len(S3))),
        media_type="application/pdf",
        notes=(),
    )
    assert [doc.text[p.start : p.end] for p in doc.pages] == [page_one, page_two]
    assert doc.text[doc.pages[0].end] == "\f"
    assert "\r" not in doc.text


def test_page_of_finds_the_page_of_a_sentence(new_pdf) -> None:
    doc = extract_pdf(new_pdf().text(S1, S2).text(S3).build(), name="study.pdf")

    assert doc.page_of(doc.text.index("trust")) == 1
    assert doc.page_of(doc.text.index("comma")) == 1
    assert doc.page_of(doc.text.index("motivation")) == 2
    assert doc.page_of(doc.text.index("\f")) == 1
    assert doc.page_of(len(doc.text)) == 2
    assert doc.page_of(len(doc.text) + 1) is None


def test_word_hyphenated_at_a_line_end_is_joined(new_pdf) -> None:
    data = new_pdf().text("The trans-", "formation was large.", "Next line.").build()

    doc = extract_pdf(data, name="hyphen.pdf")

    assert doc.text == "The transformation was large.\nNext line."
    assert "\ufffe" not in doc.text


def test_accented_and_typographic_characters_come_through(new_pdf) -> None:
    line = "Ünïcödé: café naïve, Müller – “quotes”"
    doc = extract_pdf(new_pdf().text(line).build(), name="accents.pdf")

    assert doc.text == line


@pytest.mark.parametrize(
    "encrypt",
    [
        "secret",
        pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=0, strength=128),
        pdfencrypt.StandardEncryption("secret", ownerPassword="owner", strength=40),
    ],
    ids=["user-password", "rc4-128-with-owner", "rc4-40"],
)
def test_password_protected_pdf_is_refused(new_pdf, encrypt: object) -> None:
    data = new_pdf().text(S1).build(encrypt=encrypt)

    with pytest.raises(EncryptedDocumentError) as caught:
        extract_pdf(data, name="locked.pdf")
    assert str(caught.value) == f"locked.pdf: {PASSWORD_MESSAGE}"


def test_pdf_encrypted_by_another_producer_is_refused() -> None:
    data = (DATA / "enc_pypdf_rc4.pdf").read_bytes()

    with pytest.raises(EncryptedDocumentError) as caught:
        extract_pdf(data, name="enc_pypdf_rc4.pdf")
    assert str(caught.value) == f"enc_pypdf_rc4.pdf: {PASSWORD_MESSAGE}"


def test_owner_password_only_opens_with_a_note(new_pdf) -> None:
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0)
    data = new_pdf().text(S1).text(S3).build(encrypt=encrypt)

    doc = extract_pdf(data, name="restricted.pdf")

    assert doc.text == f"{S1}\f{S3}"
    assert doc.notes == (
        "the PDF is encrypted with an owner password only (it restricts printing or copying, not reading); "
        "its text was read",
    )


def test_pages_without_text_on_every_page_is_a_scan(new_pdf) -> None:
    data = new_pdf().image().shapes().image().build()

    with pytest.raises(NoTextLayerError) as caught:
        extract_pdf(data, name="scan.pdf")
    assert str(caught.value) == (
        "scan.pdf: no text layer on any of its 3 pages (a scan?); RealReview does not run OCR yet"
    )


def test_a_single_image_page_is_a_scan(new_pdf) -> None:
    with pytest.raises(NoTextLayerError, match=r"^scan\.pdf: no text layer on any of its 1 pages"):
        extract_pdf(new_pdf().image().build(), name="scan.pdf")


def test_mixed_pdf_keeps_the_text_pages_and_notes_the_others(new_pdf) -> None:
    data = new_pdf().text(S1).image().shapes().text(S3).build()

    doc = extract_pdf(data, name="mixed.pdf")

    start = len(S1) + 3
    assert doc.text == f"{S1}\f\f\f{S3}"
    assert doc.pages == (
        PageSpan(1, 0, len(S1)),
        PageSpan(2, len(S1) + 1, len(S1) + 1),
        PageSpan(3, len(S1) + 2, len(S1) + 2),
        PageSpan(4, start, start + len(S3)),
    )
    assert doc.notes == ("pages 2, 3 have no text layer",)
    assert doc.page_of(doc.text.index("motivation")) == 4


def test_one_page_without_text_is_noted_in_the_singular(new_pdf) -> None:
    doc = extract_pdf(new_pdf().text(S1).text(S2).shapes().build(), name="appendix.pdf")

    assert doc.notes == ("page 3 has no text layer",)
    assert doc.pages[-1] == PageSpan(3, len(doc.text), len(doc.text))


def test_runs_of_blank_pages_are_noted_as_ranges(new_pdf) -> None:
    builder = new_pdf().text(S1)
    for _ in range(4):
        builder.image()
    doc = extract_pdf(builder.text(S2).image().build(), name="figures.pdf")

    assert doc.notes == ("pages 2-5, 7 have no text layer",)


def test_invisible_ocr_text_counts_as_a_text_layer(new_pdf) -> None:
    doc = extract_pdf(new_pdf().invisible_text("Invisible OCR layer text.").build(), name="ocr.pdf")

    assert doc.text == "Invisible OCR layer text."
    assert doc.notes == ()


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\nnot really a pdf", b"\x00\x01\x02 random bytes", b""],
    ids=["header-only", "garbage", "empty"],
)
def test_unreadable_bytes_are_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        extract_pdf(data, name="junk.pdf")
    assert str(caught.value) == "junk.pdf: not a readable PDF (pdfium error 3)"


def test_truncated_pdf_is_a_parse_error(new_pdf) -> None:
    data = new_pdf().text(S1).text(S3).build()

    with pytest.raises(ParseError) as caught:
        extract_pdf(data[:500], name="cut.pdf")
    assert str(caught.value) == "cut.pdf: not a readable PDF (pdfium error 3)"


def test_pdf_with_zero_pages_is_a_parse_error() -> None:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref

    with pytest.raises(
        ParseError, match=r"^none\.pdf: (not a readable PDF \(pdfium error \d\)|the PDF has no pages)$"
    ):
        extract_pdf(body, name="none.pdf")


def test_extraction_waits_for_the_pdfium_lock(new_pdf) -> None:
    data = new_pdf().text(S1).build()
    results: list[ExtractedText] = []

    with PDFIUM_LOCK:
        worker = threading.Thread(target=lambda: results.append(extract_pdf(data, name="a.pdf")))
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive()
        assert results == []
    worker.join(timeout=10)

    assert [doc.text for doc in results] == [S1]


def test_concurrent_extractions_give_the_same_text(new_pdf) -> None:
    documents = [
        new_pdf().text(f"Document {i} page one.").text(f"Document {i} page two.").build() for i in range(6)
    ]

    with ThreadPoolExecutor(max_workers=6) as pool:
        texts = list(pool.map(lambda d: extract_pdf(d, name="x.pdf").text, documents * 5))

    assert texts == [f"Document {i} page one.\fDocument {i} page two." for i in range(6)] * 5
