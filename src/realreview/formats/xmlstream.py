"""Streaming XML: yield each record element of a large export as soon as it is complete.

PubMed XML and EndNote XML files hold thousands of records (EndNote writes them all on one line), so
both readers pull events from :class:`xml.etree.ElementTree.XMLPullParser` and clear each record once
it has been read; memory stays flat however large the file. Errors become
:class:`~realreview.errors.ParseError` naming the line (and column).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from realreview.errors import FileTooLargeError, ParseError
from realreview.formats.text import DEFAULT_MAX_LINE_CHARS

__all__ = ["iter_xml_elements"]

_FEED_SIZE = 1 << 16


def iter_xml_elements(lines: Iterable[str], tags: frozenset[str]) -> Iterator[tuple[ET.Element, int]]:
    """Stream ``lines`` through a pull parser, yielding each element named in ``tags`` once complete.

    Each element comes with the line its start tag was read on, and is cleared and detached from its
    parent once the caller moves on, so memory stays flat.

    Args:
        lines: Decoded lines of an XML document (a leading byte-order mark is tolerated).
        tags: Names of the record elements to yield.

    Yields:
        ``(element, start line)`` pairs in document order.

    Raises:
        ParseError: If the XML is not well-formed, or the document ends before its root closes.
        FileTooLargeError: more than :data:`~realreview.formats.text.DEFAULT_MAX_LINE_CHARS`
            characters pass without one tag completing (one enormous text node or tag): no field of
            a bibliographic record is that long, and expat would take minutes to build it.
    """
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    open_elements: list[ET.Element] = []
    starts: list[int] = []
    number = 0
    since_event = 0
    for number, line in enumerate(lines, 1):
        text = line.lstrip("\ufeff") if number == 1 else line
        # Whole exports can be one line (EndNote): feed long lines in slices so records are
        # yielded and cleared as they complete rather than after the whole tree is built.
        for offset in range(0, len(text), _FEED_SIZE):
            events = _events(parser, text[offset : offset + _FEED_SIZE])
            since_event = 0 if events else since_event + min(_FEED_SIZE, len(text) - offset)
            if since_event > DEFAULT_MAX_LINE_CHARS:
                raise FileTooLargeError(
                    f"line {number}: more than {DEFAULT_MAX_LINE_CHARS:,} characters without a tag; "
                    "no field of a bibliographic export is that long"
                )
            for event, element in events:
                if event == "start":
                    open_elements.append(element)
                    if element.tag in tags:
                        starts.append(number)
                    continue
                open_elements.pop()
                if element.tag in tags:
                    yield element, starts.pop()
                    element.clear()
                    if open_elements:
                        open_elements[-1].remove(element)
    try:
        parser.close()
    except ET.ParseError as error:
        if open_elements:
            inside = open_elements[-1].tag
            for element in reversed(open_elements):
                if element.tag in tags:
                    inside = element.tag
                    break
            raise ParseError(
                f"line {max(number, 1)}: the file ends inside a <{inside}> element (truncated?)"
            ) from error
        raise _not_well_formed(error) from error


def _events(parser: ET.XMLPullParser[ET.Element], text: str) -> list[tuple[str, ET.Element]]:
    """Feed ``text`` and return the events it completes (the pull parser reports errors as events)."""
    try:
        parser.feed(text)
        return list(parser.read_events())  # type: ignore[arg-type]
    except ET.ParseError as error:
        raise _not_well_formed(error) from error


def _not_well_formed(error: ET.ParseError) -> ParseError:
    line, column = error.position
    detail = str(error).split(": line ", 1)[0]
    return ParseError(f"line {line}, column {column + 1}: XML is not well-formed ({detail})")
