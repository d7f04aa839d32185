"""Text extraction from PDF files with PDFium (through pypdfium2).

PDFium runs in a child process capped in memory and time (:func:`realreview.fulltext.sandbox.run_limited`):
a small PDF can decode to gigabytes (a Flate bomb) and PDFium has no budget of its own (issue 11).
The child is started under :data:`PDFIUM_LOCK`, so one server process reads one PDF at a time and
holds at most one budget's worth of memory for it. PDFium is not thread-safe either, not even
across different documents, so anything that calls pypdfium2 in this process takes the lock too.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pypdfium2 as pdfium

from realreview.errors import EncryptedDocumentError, NoTextLayerError, ParseError
from realreview.fulltext.model import ExtractedText, split_pages
from realreview.fulltext.sandbox import ParseLimits, run_limited

__all__ = ["MEDIA_TYPE", "PDFIUM_LOCK", "extract_pdf", "read_pdf_pages"]

MEDIA_TYPE = "application/pdf"

#: Held around all PDFium work in the process (the library keeps global state).
PDFIUM_LOCK = threading.Lock()

#: What PDFium puts where a word was hyphenated at a line end (it also drops the line break).
_BROKEN_HYPHEN = "\ufffe"


def extract_pdf(data: bytes, *, name: str, limits: ParseLimits | None = None) -> ExtractedText:
    """The text of the PDF ``data``, its pages joined by a form feed.

    Args:
        data: The PDF file's bytes.
        name: The file name, which begins every error message.
        limits: The memory and time budget of the extraction; by default the ``REALREVIEW_PARSE_*``
            settings.

    Raises:
        EncryptedDocumentError: the PDF needs a password to be opened.
        NoTextLayerError: no page has any text (a scan; RealReview does no OCR).
        ParseError: the bytes are not a PDF that PDFium can read.
        FileTooLargeError: reading it would take more memory or time than ``limits`` allow.
    """
    budget = ParseLimits.from_env() if limits is None else limits
    with PDFIUM_LOCK:
        reply = run_limited(
            "realreview.fulltext.pdf:read_pdf_pages",
            data,
            limits=budget,
            name=name,
            what="PDF text extraction",
        )
    page_texts, encrypted = _checked_reply(reply, name=name)
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


def read_pdf_pages(data: bytes, *, name: str) -> dict[str, object]:
    """``{"pages": [text, ...], "encrypted": bool}``: what the child process sends back.

    Run it through :func:`extract_pdf`, which caps its memory and time; called directly it has no
    budget. Raises the errors of :func:`extract_pdf` but the budget's.
    """
    with PDFIUM_LOCK:
        texts, encrypted = _read_pages(data, name=name)
    return {"pages": texts, "encrypted": encrypted}


def _checked_reply(reply: object, *, name: str) -> tuple[list[str], bool]:
    """The child's reply, checked: a child that a hostile file took over may send anything."""
    if isinstance(reply, dict):
        pages, encrypted = reply.get("pages"), reply.get("encrypted")
        if isinstance(pages, list) and all(isinstance(p, str) for p in pages) and isinstance(encrypted, bool):
            return pages, encrypted
    raise ParseError(f"{name}: PDF text extraction failed (an unexpected reply from the reader)")


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
