"""Text extraction from PDF files with PDFium (through pypdfium2).

PDFium is not thread-safe, not even across different documents, and the web app runs sync endpoints
in a thread pool; so every pypdfium2 call in RealReview goes through :data:`PDFIUM_LOCK`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pypdfium2 as pdfium

from realreview.errors import EncryptedDocumentError, NoTextLayerError, ParseError
from realreview.fulltext.model import ExtractedText, split_pages

__all__ = ["MEDIA_TYPE", "PDFIUM_LOCK", "extract_pdf"]

MEDIA_TYPE = "application/pdf"

#: Held around all PDFium work in the process (the library keeps global state).
PDFIUM_LOCK = threading.Lock()

#: What PDFium puts where a word was hyphenated at a line end (it also drops the line break).
_BROKEN_HYPHEN = "\ufffe"


def extract_pdf(data: bytes, *, name: str) -> ExtractedText:
    """The text of the PDF ``data``, its pages joined by a form feed.

    Args:
        data: The PDF file's bytes.
        name: The file name, which begins every error message.

    Raises:
        EncryptedDocumentError: the PDF needs a password to be opened.
        NoTextLayerError: no page has any text (a scan; RealReview does no OCR).
        ParseError: the bytes are not a PDF that PDFium can read.
    """
    with PDFIUM_LOCK:
        page_texts, encrypted = _read_pages(data, name=name)
    if not page_texts:
        raise ParseError(f"{name}: the PDF has no pages")
    blank = [number for number, text in enumerate(page_texts, start=1) if not text.strip()]
    if len(blank) == len(page_texts):
        raise NoTextLayerError(
            f"{name}: no text layer on any of its {len(page_texts)} pages (a scan?); "
            "RealReview does not run OCR yet"
        )
    notes = []
    if encrypted:
        notes.append(
            "the PDF is encrypted with an owner password only (it restricts printing or copying, "
            "not reading); its text was read"
        )
    if blank:
        notes.append(f"{_pages_phrase(blank)} no text layer")
    text = "\f".join(page_texts)
    return ExtractedText(text, split_pages(text), MEDIA_TYPE, tuple(notes))


def _read_pages(data: bytes, *, name: str) -> tuple[list[str], bool]:
    """Each page's cleaned text and whether the document is encrypted; call with the lock held."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise _open_error(error, name=name) from error
    try:
        # -1 means no security handler; anything else is an encrypted PDF that opened without a
        # password, i.e. one with an empty user password and only an owner password.
        encrypted = pdfium.raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1
        texts = [_page_text(document, index, name=name) for index in range(len(document))]
    finally:
        document.close()
    return texts, encrypted


def _page_text(document: pdfium.PdfDocument, index: int, *, name: str) -> str:
    try:
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                return _clean_page_text(textpage.get_text_range())
            finally:
                textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError as error:
        raise ParseError(f"{name}: page {index + 1} of the PDF is not readable ({error})") from error


def _open_error(error: pdfium.PdfiumError, *, name: str) -> ParseError | EncryptedDocumentError:
    if error.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
        return EncryptedDocumentError(
            f"{name}: the PDF is protected by a password; remove the protection and attach it again"
        )
    return ParseError(f"{name}: not a readable PDF (pdfium error {error.err_code})")


def _clean_page_text(raw: str) -> str:
    r"""One page's text as PDFium gives it, made into RealReview's stored form.

    PDFium ends lines with ``"\r\n"``; the text is stored with ``"\n"``. A word hyphenated at a line
    end comes out as ``"trans\ufffeformation"`` with the line break already gone, so the marker is
    dropped to give back the word. A form feed inside a page becomes a line break, because form feeds
    are what separate the pages.

    Example:
        >>> _clean_page_text("The trans\ufffeformation was\r\nlarge.\fEnd\r")
        'The transformation was\nlarge.\nEnd\n'
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return text.replace(_BROKEN_HYPHEN, "")


def _pages_phrase(numbers: Sequence[int]) -> str:
    """``"page 3 has"`` or ``"pages 3, 4, 7-9 have"``: runs of three or more pages as a range.

    Example:
        >>> _pages_phrase([3]), _pages_phrase([3, 4]), _pages_phrase([1, 3, 4, 5, 6, 9])
        ('page 3 has', 'pages 3, 4 have', 'pages 1, 3-6, 9 have')
    """
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = []
    for run in runs:
        parts.extend([f"{run[0]}-{run[-1]}"] if len(run) >= 3 else [str(n) for n in run])
    return f"pages {', '.join(parts)} have"
