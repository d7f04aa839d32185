"""Web of Science exports: "Plain text" (field-tagged) and "Tab-delimited", read line by line.

Plain text files open with ``FN``/``VR`` header lines and end with ``EF``; each record runs from ``PT``
to ``ER``. A line is a two-character tag, a space and a value; a value continues on lines indented by
three spaces. For the tags WoS writes one item per line (authors, addresses, cited references: see
:data:`ITEM_PER_LINE`) each continuation line is a value of its own; for the others (title, abstract,
keywords) it is wrapped text and is joined with one space.

Tab-delimited files have a header row of field tags and one record per line; data rows usually end
with a tab the header lacks. The "(Win)" variant is UTF-16; the caller decodes it, so both variants
reach :func:`read_tabdelimited` as the same text.

These readers are hand-written because the standard library suffices, because they must stream
(one record in memory at a time), and because they keep every tag as it came, e.g. ``("AF",
"Owen-Smith, Jason")`` and ``("CR", "Ahuja G, 2000, ...")``, so nothing Web of Science wrote is lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.records import Record, make_record

__all__ = ["ITEM_PER_LINE", "read_plaintext", "read_tabdelimited"]

ITEM_PER_LINE = frozenset({"AU", "AF", "BA", "BF", "BE", "ED", "C1", "CR"})
"""Tags whose plain-text continuation lines are separate values (as in wosfile's ``tags.py``)."""

_FILE_TAGS = frozenset({"FN", "VR", "EF"})

Fields = list[list[str]]
"""The fields of one record being read, as mutable ``[tag, value]`` pairs."""


def read_plaintext(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Yield one :class:`~realreview.records.Record` per ``PT`` ... ``ER`` block of a plain-text export.

    Args:
        lines: The decoded lines of the file, each with its newline (the last one may lack it).
        diagnostics: Where a record without ``ER``, a record not starting with ``PT`` and stray lines
            are reported.

    Yields:
        Records in file order, numbered from 1, each with the line of its ``PT``.
    """
    position = 0
    for start, fields, closed in _split_records(lines, diagnostics):
        position += 1
        if not closed:
            diagnostics.add(
                "no ER line ends this record (file truncated?); kept", record=position, line=start
            )
        yield _to_record(fields, diagnostics, position=position, line=start)


def _split_records(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[tuple[int, Fields, bool]]:
    """Group lines into ``(start line, fields, ended by ER)`` records."""
    fields: Fields = []
    start = 0
    for number, text in enumerate(lines, 1):
        line = text.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if line[:1] == " ":
            _continue_value(fields, line, diagnostics, number)
            continue
        if not line.strip():
            continue
        tag, value = line[:2], line[3:].rstrip()
        if not _is_tag(tag) or line[2:3] not in ("", " "):
            _continue_value(fields, line, diagnostics, number)
        elif tag == "ER":
            if fields:
                yield start, fields, True
                fields = []
            else:
                diagnostics.add("ER line without a record; ignored", line=number)
        elif tag in _FILE_TAGS:
            if fields:
                yield start, fields, False
                fields = []
        else:
            if fields and tag == "PT":
                yield start, fields, False
                fields = []
            if not fields:
                start = number
                if tag != "PT":
                    diagnostics.add(f"record starts with {tag}, not PT; read as a new record", line=number)
            fields.append([tag, value])
    if fields:
        yield start, fields, False


def _is_tag(tag: str) -> bool:
    return len(tag) == 2 and "A" <= tag[0] <= "Z" and (tag[1].isdigit() or "A" <= tag[1] <= "Z")


def _continue_value(fields: Fields, line: str, diagnostics: Diagnostics, number: int) -> None:
    """Add a continuation line as a new value (one-item-per-line tags) or join it to the last value."""
    text = line.strip()
    if not fields:
        diagnostics.add(f"text outside any record ({text[:40]!r}); skipped", line=number)
        return
    if line[:3] != "   ":
        diagnostics.add(
            f"line is neither 'TAG value' nor a 3-space continuation; joined to {fields[-1][0]}", line=number
        )
    tag = fields[-1][0]
    if tag in ITEM_PER_LINE:
        fields.append([tag, text])
    elif text:
        fields[-1][1] = f"{fields[-1][1]} {text}" if fields[-1][1] else text


def read_tabdelimited(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Yield one :class:`~realreview.records.Record` per data row of a tab-delimited export.

    Args:
        lines: The decoded lines of the file (UTF-16 files already decoded by the caller).
        diagnostics: Where rows whose field count differs from the header's are reported.

    Yields:
        Records in file order, numbered from 1, each with the line of its row.

    Raises:
        ParseError: If the first non-blank line is not a row of Web of Science field tags.
    """
    header: list[str] | None = None
    position = 0
    for number, text in enumerate(lines, 1):
        line = text.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        if header is None:
            header = _read_header(line, number)
            continue
        position += 1
        cells = _fit_cells(line.split("\t"), header, diagnostics, position, number)
        raw = [(tag, cell) for tag, cell in zip(header, cells, strict=False) if cell.strip()]
        extra = enumerate(cells[len(header) :], len(header) + 1)
        raw.extend((f"column {index}", cell) for index, cell in extra if cell.strip())
        yield _to_record(raw, diagnostics, position=position, line=number)


def _read_header(line: str, number: int) -> list[str]:
    tags = [cell.strip() for cell in line.split("\t")]
    while tags and not tags[-1]:
        tags.pop()
    if not any(_is_tag(tag) for tag in tags):
        raise ParseError(
            f"line {number}: the header row does not list Web of Science field tags (PT, AU, ...)"
        )
    return tags


def _fit_cells(
    cells: list[str], header: list[str], diagnostics: Diagnostics, position: int, number: int
) -> list[str]:
    """Drop the trailing empty cell WoS adds to each row; report any other mismatch with the header."""
    if len(cells) == len(header) + 1 and not cells[-1].strip():
        cells.pop()
    elif len(cells) != len(header):
        diagnostics.add(
            f"row has {len(cells)} tab-separated fields but the header has {len(header)} tags; "
            "fields matched to tags by position, extra fields kept as 'column N'",
            record=position,
            line=number,
        )
        while len(cells) > len(header) and not cells[-1].strip():
            cells.pop()
    return cells


def _split_list(values: Sequence[str]) -> list[str]:
    """Split ``"Owen-Smith, J; Powell, WW"`` (tab-delimited) into names; plain-text values pass through."""
    return [part.strip() for value in values for part in value.split(";") if part.strip()]


def _to_record(raw: Iterable[Sequence[str]], diagnostics: Diagnostics, *, position: int, line: int) -> Record:
    """Map Web of Science tags onto the normalised fields of a record."""
    pairs = [(tag, value) for tag, value in raw]
    values: defaultdict[str, list[str]] = defaultdict(list)
    for tag, value in pairs:
        values[tag].append(value)
    authors = values["AF"] or values["AU"] or values["CA"] or values["GP"]
    begin = values["BP"][0] if values["BP"] else None
    return make_record(
        pairs,
        title=values["TI"],
        authors=_split_list(authors),
        year=values["PY"] + values["EY"] + values["EA"] + values["PD"],
        journal=values["SO"],
        volume=values["VL"],
        issue=values["IS"],
        pages=None if begin else values["AR"],
        start_page=begin,
        end_page=values["EP"][0] if values["EP"] else None,
        doi=values["DI"] + values["D2"],
        pmid=values["PM"],
        abstract=values["AB"],
        keywords=values["DE"] + values["ID"],
        language=values["LA"],
        publication_type=values["DT"],
        position=position,
        line=line,
        diagnostics=diagnostics,
    )
