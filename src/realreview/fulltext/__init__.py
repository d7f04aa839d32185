"""Full texts: the text of a study's PDF or text file, and a content-addressed store for the file.

``extract_document`` is what the services call: it checks the size, tells PDF from plain text by the
bytes and returns an :class:`ExtractedText` (one string, pages separated by form feeds, with their
spans). :class:`FileStore` keeps the original files by SHA-256.

This package imports only the standard library and pypdfium2, whose calls are serialised behind
``realreview.fulltext.pdf.PDFIUM_LOCK`` and run in a child process capped by :class:`ParseLimits`.
"""

from __future__ import annotations

from realreview.fulltext.extract import extract_document, sniff_media_type
from realreview.fulltext.model import ExtractedText, PageSpan, split_pages
from realreview.fulltext.pdf import extract_pdf
from realreview.fulltext.plain import extract_plain
from realreview.fulltext.sandbox import ParseLimits, run_limited
from realreview.fulltext.store import FileStore

__all__ = [
    "ExtractedText",
    "FileStore",
    "PageSpan",
    "ParseLimits",
    "extract_document",
    "extract_pdf",
    "extract_plain",
    "run_limited",
    "sniff_media_type",
    "split_pages",
]
