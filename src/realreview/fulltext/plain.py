"""Text extraction from plain-text files, keeping the text exactly as it is.

Excerpt offsets are exchanged with other QDA tools (REFI-QDA counts over the file's own text, CRLF
included), so nothing is normalised here: no line-end conversion, no trimming. Only a byte-order mark
is removed, as those tools do.
"""

from __future__ import annotations

import codecs

from realreview.errors import EmptyFileError, EncodingError
from realreview.fulltext.model import ExtractedText, split_pages

__all__ = ["MEDIA_TYPE", "decode_text", "extract_plain"]

MEDIA_TYPE = "text/plain"

_LF = b"\n"

# A byte-order mark names the encoding (the codec decodes what follows the mark).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 little-endian"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 big-endian"),
)


def extract_plain(data: bytes, *, name: str) -> ExtractedText:
    r"""The text of a plain-text file; form feeds, if any, separate its pages.

    Args:
        data: The file's bytes.
        name: The file name, which begins every error message.

    Raises:
        EmptyFileError: the file holds no bytes, or nothing but whitespace.
        EncodingError: the file starts with a byte-order mark but is not valid in that encoding.

    Example:
        >>> doc = extract_plain(b"Page one.\r\n\fPage two.", name="notes.txt")
        >>> doc.pages
        (PageSpan(number=1, start=0, end=11), PageSpan(number=2, start=12, end=21))
        >>> doc.text[:11]
        'Page one.\r\n'
    """
    if not data:
        raise EmptyFileError(f"{name}: file is empty")
    text, note = decode_text(data, name=name)
    if not text.strip():
        raise EmptyFileError(f"{name}: file holds only whitespace")
    return ExtractedText(text, split_pages(text), MEDIA_TYPE, (note,) if note else ())


def decode_text(data: bytes, *, name: str) -> tuple[str, str | None]:
    """Decode ``data`` and say how, when it was not plain UTF-8.

    A byte-order mark decides the encoding; otherwise UTF-8 is tried, then Windows-1252 (what most
    "ANSI" text files are), then Latin-1, which decodes any bytes.

    Raises:
        EncodingError: a byte-order mark names an encoding the rest of the bytes are not valid in
            (guessing another one would give text whose offsets mean nothing).

    Returns:
        The text, and a note naming the encoding, or ``None`` for UTF-8 without a mark.

    Example:
        >>> decode_text("café".encode("cp1252"), name="notes.txt")
        ('café', 'not valid UTF-8 (first at line 1); read as Windows-1252 (cp1252)')
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(
                    codec
                ), f"read as {label}; its byte-order mark is not part of the text"
            except UnicodeDecodeError as error:
                at = error.start + len(bom)
                raise EncodingError(
                    f"{name}: starts with a {label} byte-order mark, but byte {at} "
                    f"(line {_line_at(data, at, codec)}) is not valid {label} ({error.reason}); "
                    "save the file again as UTF-8"
                ) from error
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        first = f"line {data.count(_LF, 0, error.start) + 1}"
    try:
        return data.decode("cp1252"), f"not valid UTF-8 (first at {first}); read as Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), (
            f"not valid UTF-8 (first at {first}) or Windows-1252; read as Latin-1 (ISO-8859-1)"
        )


def _line_at(data: bytes, offset: int, codec: str) -> int:
    """The 1-based line holding byte ``offset``, counting line feeds in the file's own code units."""
    width = 4 if "32" in codec else 2 if "16" in codec else 1
    newline = (10).to_bytes(width, "little" if codec.endswith("le") else "big")
    head = data[: offset - offset % width]
    return sum(1 for at in range(0, len(head), width) if head[at : at + width] == newline) + 1
