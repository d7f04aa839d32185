"""Reading and writing bibliographic export files.

``read_export`` is the one entry point the services use: it checks the file (``text.open_export``),
detects its format and source (``sniff.detect``) and hands its lines to that format's streaming reader.
Readers and writers are looked up by name in two tables and imported on first use, so importing
``realreview.formats`` stays cheap.
"""

from __future__ import annotations

import functools
import importlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from realreview.errors import FileTooLargeError, InputError, ParseError, UnknownFormatError
from realreview.formats.base import Diagnostic, Diagnostics, ParseResult, Reader, Source
from realreview.formats.notes import RecordNotes, StageNote
from realreview.formats.sniff import Detection, detect
from realreview.formats.text import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_CHARS, open_export
from realreview.records import Record

__all__ = [
    "READERS",
    "WRITERS",
    "Diagnostic",
    "Diagnostics",
    "OpenedExport",
    "ParseResult",
    "RecordNotes",
    "Source",
    "StageNote",
    "detect",
    "dumps",
    "loads",
    "read_export",
]

READERS: dict[str, str] = {
    "ris": "realreview.formats.ris:read",
    "medline": "realreview.formats.medline:read",
    "pubmed-xml": "realreview.formats.pubmed_xml:read",
    "wos-plaintext": "realreview.formats.wos:read_plaintext",
    "wos-tab": "realreview.formats.wos:read_tabdelimited",
    "endnote-xml": "realreview.formats.endnote_xml:read",
    "endnote-tagged": "realreview.formats.endnote_tagged:read",
    "csv": "realreview.formats.csv_exports:read",
    "bibtex": "realreview.formats.bibtex:read",
}
WRITERS: dict[str, str] = {
    "ris": "realreview.formats.ris:dumps",
    "csv": "realreview.formats.csv_exports:dumps",
    "bibtex": "realreview.formats.bibtex:dumps",
}

_DESCRIPTION = (
    "RIS, PubMed MEDLINE/nbib, PubMed XML, Web of Science plain text or tab-delimited, Scopus/Embase/"
    "PubMed/CINAHL/Cochrane/Rayyan CSV, EndNote XML, EndNote tagged (.enw) or BibTeX"
)


def _load(target: str) -> Callable[..., object]:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]


def reader_for(format_name: str) -> Reader:
    """The streaming reader registered for ``format_name``."""
    if format_name not in READERS:
        raise InputError(f"unknown format {format_name!r}; known: {', '.join(sorted(READERS))}")
    return _load(READERS[format_name])  # type: ignore[return-value]


def dumps(
    records: Iterable[Record],
    format_name: str,
    *,
    defuse_formulas: bool = True,
    notes: Iterable[RecordNotes] | None = None,
) -> str:
    """Write records in one of the formats of :data:`WRITERS`.

    ``defuse_formulas`` applies to CSV only: cells a spreadsheet would run get a leading ``'``.
    ``notes``, one per record in order, adds what the review decided about each record: RIS ``N1``
    lines, a BibTeX ``annote`` field or CSV columns (:mod:`realreview.formats.notes`).
    """
    if format_name not in WRITERS:
        raise InputError(f"cannot write format {format_name!r}; choose one of: {', '.join(sorted(WRITERS))}")
    writer = _load(WRITERS[format_name])
    if format_name == "csv":
        return writer(records, defuse_formulas=defuse_formulas, notes=notes)  # type: ignore[return-value]
    return writer(records, notes=notes)  # type: ignore[return-value]


def loads(text: str, format_name: str | None = None) -> ParseResult:
    """Parse a whole export held in memory (tests, small files); detects the format if not given."""
    detection = _choose(detect(text[:65536]), format_name, "<text>")
    diagnostics = Diagnostics()
    # StringIO splits like reading a file does (\r, \n, \r\n only); str.splitlines would also split
    # on U+2028 and friends, which occur inside real exports' field values.
    lines = io.StringIO(text.lstrip("\ufeff"), newline=None)
    records = list(reader_for(detection.format)(lines, diagnostics))
    return ParseResult(detection.format, records, diagnostics, detection.source)


@dataclass(slots=True)
class OpenedExport:
    """A checked export file with its detected format; iterate :meth:`records` once to parse it."""

    path: Path
    size: int
    format: str
    confidence: float
    source: Source
    _lines: Callable[[], Iterator[str]]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    chars_read: int = 0

    def records(self) -> Iterator[Record]:
        """Stream the records; parse errors are re-raised with the file name in front."""
        reader = reader_for(self.format)
        try:
            yield from reader(self._counted_lines(), self.diagnostics)
        except ParseError as error:
            raise ParseError(f"{self.path}: {error}") from None
        except FileTooLargeError as error:
            if str(error).startswith(f"{self.path}:"):
                raise
            raise FileTooLargeError(f"{self.path}: {error}") from None

    def _counted_lines(self) -> Iterator[str]:
        # Characters approximate bytes well enough for a progress bar over the file size.
        for line in self._lines():
            self.chars_read += len(line)
            yield line


def read_export(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    format_name: str | None = None,
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
) -> OpenedExport:
    """Check ``path``, detect its format and return it ready to stream.

    ``max_line_chars`` bounds each line of a line-based format (``REALREVIEW_MAX_LINE_CHARS``); XML
    exports are often one line and are read without it.

    Raises:
        InputError: the file is empty, too large, binary, undecodable or in no known format; while
            streaming, a line longer than ``max_line_chars``.
    """
    text = open_export(path, max_bytes=max_bytes, encoding=encoding)
    detection = _choose(detect(text.head), format_name, str(path), first_line=text.head)
    return OpenedExport(
        path=path,
        size=text.size,
        format=detection.format,
        confidence=detection.confidence,
        source=detection.source,
        _lines=text.lines
        if detection.format.endswith("-xml")
        else functools.partial(text.lines, max_line_chars=max_line_chars),
    )


def _choose(found: list[Detection], format_name: str | None, name: str, first_line: str = "") -> Detection:
    if format_name is not None:
        reader_for(format_name)
        for detection in found:
            if detection.format == format_name:
                return detection
        return Detection(format_name, 1.0, Source(None, None, 0.0))
    if not found:
        snippet = first_line.lstrip("\ufeff").strip().split("\n", 1)[0][:60]
        shown = f" (it starts with {snippet!r})" if snippet else ""
        raise UnknownFormatError(f"{name}: not a recognised export format{shown}; expected {_DESCRIPTION}")
    return found[0]
