"""Turning an export file's bytes into text lines, or refusing it with one clear line.

Everything a user can hand us by mistake is caught here, before any parser runs: an empty file, a
file over the size limit (checked from its size, never by reading it), a PDF/ZIP/image or other binary
file, and bytes that are not text in the chosen encoding (named by line). Exports are UTF-8 or UTF-16
in practice (WoS "Tab-delimited (Win)" is UTF-16LE with a BOM); we detect those by their BOM, honour an
XML declaration's encoding, and otherwise expect UTF-8. We do not guess Windows-1252 silently: a wrong
guess would put mojibake into a review without anyone noticing, so the error suggests ``--encoding``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from realreview.errors import EmptyFileError, EncodingError, FileTooLargeError, InputError

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_LINE_CHARS", "TextExport", "open_export"]

DEFAULT_MAX_BYTES = 1024**3
#: Longest line a line-based export may hold (``REALREVIEW_MAX_LINE_CHARS``). The longest line in
#: the real exports of ../shared/data is 60,540 characters (a Scopus CSV row with its references);
#: this is some 70 times that, and bounds what one line can cost before any parser sees it.
DEFAULT_MAX_LINE_CHARS = 4 * 1024 * 1024
HEAD_BYTES = 64 * 1024

_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (e.g. .docx, .xlsx, .qdpx)",
    b"\x1f\x8b": "a gzip-compressed file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document (.xls/.doc)",
    b"SQLite format 3": "an SQLite database",
}
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True, slots=True)
class TextExport:
    """An export file that passed the checks: its path, size, encoding and the first 64 KiB as text."""

    path: Path
    size: int
    encoding: str
    head: str

    def lines(self, *, max_line_chars: int | None = None) -> Iterator[str]:
        """Yield the file's lines (universal newlines, BOM removed); a decoding error names its line.

        With ``max_line_chars`` a longer line is refused as soon as that much of it is read, so a
        file of one enormous line costs at most that much memory (XML exports, often one line, are
        read without it).

        Raises:
            EncodingError: bytes not valid in the encoding (naming their line).
            FileTooLargeError: a line longer than ``max_line_chars``.
        """
        with open(self.path, encoding=self.encoding, newline=None) as handle:
            count = 0
            limit = -1 if max_line_chars is None else max_line_chars + 1
            try:
                while line := handle.readline(limit):
                    count += 1
                    if len(line) == limit and not line.endswith("\n"):
                        raise FileTooLargeError(
                            f"{self.path}: line {count} is longer than {max_line_chars:,} characters "
                            "(REALREVIEW_MAX_LINE_CHARS); no field of a bibliographic export is that long"
                        )
                    yield line
            except UnicodeDecodeError as error:
                line_number = _line_of_bad_byte(self.path, self.encoding) or count + 1
                raise _encoding_error(self.path, self.encoding, line_number, error) from None


def open_export(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None) -> TextExport:
    """Check that ``path`` is a readable text export and work out its encoding.

    Raises:
        InputError: (or a subclass) with a one-line message naming the file and the problem.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an export file")
    if size > max_bytes:
        raise FileTooLargeError(
            f"{path}: file is {_human(size)}, larger than the import limit of {_human(max_bytes)} "
            "(split the export, or raise REALREVIEW_MAX_IMPORT_BYTES)"
        )
    with open(path, "rb") as handle:
        head_bytes = handle.read(HEAD_BYTES)
    if not head_bytes.strip():
        raise EmptyFileError(f"{path}: file is empty" if size == 0 else f"{path}: file holds only whitespace")
    for magic, kind in _MAGIC.items():
        if head_bytes.startswith(magic):
            raise InputError(f"{path}: this is {kind}, not a bibliographic export")
    chosen = encoding or _detect_encoding(head_bytes)
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise InputError(f"{path}: unknown encoding {chosen!r}") from None
    if not chosen.lower().replace("-", "").startswith("utf16") and b"\x00" in head_bytes:
        raise InputError(f"{path}: binary data (NUL bytes) near the start; this is not a text export")
    head = _decode_head(path, head_bytes, chosen, is_whole_file=size <= HEAD_BYTES)
    if _looks_binary(head):
        raise InputError(f"{path}: mostly control characters; this is not a text export")
    return TextExport(path=path, size=size, encoding=chosen, head=head)


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] != 0:
        return "utf-16-be"
    declared = _XML_ENCODING.match(head.lstrip())
    if declared:
        name = declared.group(1).decode("ascii")
        if name.lower().replace("_", "-") not in {"utf-8", "utf8"}:
            return name
    return "utf-8-sig"


def _decode_head(path: Path, head: bytes, encoding: str, *, is_whole_file: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(head, final=is_whole_file)
    except UnicodeDecodeError as error:
        line = head[: error.start].count(b"\n") + 1
        raise _encoding_error(path, encoding, line, error) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 20)


def _line_of_bad_byte(path: Path, encoding: str) -> int | None:
    """Find the 1-based line holding the first undecodable byte (only runs on the error path)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return None


def _encoding_error(path: Path, encoding: str, line: int, error: UnicodeDecodeError) -> EncodingError:
    name = "UTF-8" if encoding.lower().startswith("utf-8") else encoding
    bad = error.object[error.start : error.start + 1]
    return EncodingError(
        f"{path}: line {line}: not valid {name} text (byte 0x{bad.hex()}: {error.reason}); "
        "re-export the file as UTF-8 or pass --encoding (e.g. --encoding cp1252)"
    )


def _human(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f} {unit}"
