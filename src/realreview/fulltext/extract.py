"""The one entry point for full texts: check the file, tell PDF from text, extract.

The file's content decides how it is read, not its name: attachments arrive as ``paper.PDF``,
``download`` or ``notes.txt.pdf``, and a wrong guess would store garbage as the study's text.
"""

from __future__ import annotations

from realreview.errors import EmptyFileError, FileTooLargeError, ParseError
from realreview.fulltext import pdf, plain
from realreview.fulltext.model import ExtractedText
from realreview.fulltext.sandbox import ParseLimits

__all__ = ["extract_document", "sniff_media_type"]

#: PDF readers accept the ``%PDF-`` header anywhere in the first 1024 bytes (after junk some mailers add).
_PDF_HEADER_WINDOW = 1024
#: How far to look for NUL bytes, which text in a single-byte encoding or UTF-8 never holds.
_BINARY_WINDOW = 8192
#: Formats whose bytes could pass for text (no NUL early on) but that are not plain text.
_NOT_TEXT_MAGIC = (
    b"PK\x03\x04",  # zip: .docx, .xlsx, .odt, .epub
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE: .doc, .xls
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"{\\rtf",  # RTF is text, but its markup is not the document's text
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def extract_document(
    data: bytes, *, name: str, max_bytes: int, size: int | None = None, limits: ParseLimits | None = None
) -> ExtractedText:
    """The text of a full-text file (PDF or plain text), with its pages.

    Args:
        data: The file's bytes.
        name: The file name, which begins every error message.
        max_bytes: The largest file accepted (``Settings.max_document_bytes``).
        size: The file's full size, when ``data`` was read only up to the limit (an upload), so that
            the message quotes the real size.
        limits: The memory and time budget for reading a PDF (``Settings.parse_limits``); by default
            the ``REALREVIEW_PARSE_*`` environment settings.

    Raises:
        FileTooLargeError: ``data`` is longer than ``max_bytes``, or reading the PDF would take more
            memory or time than ``limits`` allow.
        EmptyFileError: the file holds no bytes (or, for text, only whitespace).
        ParseError: the file is neither a PDF nor plain text, or is a broken PDF.
        EncryptedDocumentError: a PDF that needs a password.
        NoTextLayerError: a PDF without text on any page.
        EncodingError: a text file whose byte-order mark does not match its bytes.

    Example:
        >>> extract_document(b"Context, mechanism, outcome.", name="notes.txt", max_bytes=1024).text
        'Context, mechanism, outcome.'
    """
    total = max(len(data), size or 0)
    if total > max_bytes:
        raise FileTooLargeError(
            f"{name}: {_size(total)} is over the {_size(max_bytes)} limit for documents "
            "(REALREVIEW_MAX_DOCUMENT_BYTES)"
        )
    if not data:
        raise EmptyFileError(f"{name}: file is empty")
    if sniff_media_type(data, name=name) == pdf.MEDIA_TYPE:
        return pdf.extract_pdf(data, name=name, limits=limits)
    return plain.extract_plain(data, name=name)


def sniff_media_type(data: bytes, *, name: str) -> str:
    r"""``"application/pdf"`` or ``"text/plain"``, judged from the bytes.

    The name is trusted only to refuse: a file named ``.pdf`` without a PDF header is refused rather
    than stored as text, because it is nearly always a download that returned a web page (a
    publisher's login or cookie page) and the reviewer believes the paper is attached.

    Raises:
        ParseError: the bytes are some other binary format (a Word file, an image), or the file is
            named ``.pdf`` and its bytes are not a PDF.

    Example:
        >>> sniff_media_type(b"\n%PDF-1.7\n", name="a.pdf"), sniff_media_type(b"Notes", name="a.txt")
        ('application/pdf', 'text/plain')
    """
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return pdf.MEDIA_TYPE
    if name.lower().endswith(".pdf"):
        start = data[:_BINARY_WINDOW].lstrip()[:40].decode("ascii", "replace")
        kind = (
            " (it starts like a web page)"
            if start.lower().startswith(("<!doctype", "<html", "<?xml"))
            else ""
        )
        raise ParseError(
            f"{name}: named .pdf but not a PDF{kind}; download the PDF again, or attach it as .txt if it is text"
        )
    if data.startswith(_UTF16_BOMS):
        return plain.MEDIA_TYPE
    if data.startswith(_NOT_TEXT_MAGIC) or b"\x00" in data[:_BINARY_WINDOW]:
        raise ParseError(f"{name}: not a PDF or a plain-text file; save it as PDF or text first")
    return plain.MEDIA_TYPE


def _size(count: int) -> str:
    """A byte count the way the limit is usually set: ``"512 bytes"``, ``"3.5 KiB"``, ``"100.0 MiB"``.

    Example:
        >>> _size(512), _size(3584), _size(120 * 2**20), _size(3 * 2**30)
        ('512 bytes', '3.5 KiB', '120.0 MiB', '3.0 GiB')
    """
    if count < 1024:
        return f"{count} bytes"
    value = count / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
