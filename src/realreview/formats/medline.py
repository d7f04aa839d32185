"""PubMed's MEDLINE format (``.nbib``, "Send to: Citation manager"), streamed record by record.

A record is a run of tagged lines, ``PMID- 30922926``: a tag of up to four characters padded to four,
then ``"- "`` and the value; long values wrap onto continuation lines indented by six spaces. Records
are separated by a blank line, and each starts with ``PMID``.

This reader is hand-written rather than taken from a library because the format needs nothing beyond
the standard library, because it must stream (a 100,000-record download is read one record at a
time), and because it keeps every tag as it came, e.g. ``("FAU", "Keefer, Amy")`` and
``("LID", "10.1097/x [doi]")``, so that nothing PubMed wrote is lost. Wrapped lines are joined with
one space.

Nothing marks the end of a record, so a cut-off download shows as a record without the ``SO``
(source) line PubMed always writes last; such a record is kept, with a diagnostic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from realreview.formats.base import Diagnostics
from realreview.records import Record, make_record

__all__ = ["read"]

_FIELD = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*\S)?", re.MULTILINE)
_DOI_SUFFIX = " [doi]"

Fields = list[tuple[str, str]]


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Yield one :class:`~realreview.records.Record` per MEDLINE record in ``lines``.

    Args:
        lines: The decoded lines of the file, each with its newline (the last one may lack it).
        diagnostics: Where lines that are not in ``TAG - value`` form and a cut-off record are reported.

    Yields:
        Records in file order, numbered from 1, each with the line its first tag is on.
    """
    position = 0
    for start, block in _blocks(lines):
        fields = _parse_block(block, start, diagnostics)
        if fields:
            position += 1
            yield _to_record(fields, position=position, line=start, diagnostics=diagnostics)


def _blocks(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Group lines into one text block per record: a blank line or a ``PMID-`` line starts a new one.

    This loop runs once per line of files with millions of lines, so it only tests and collects;
    :func:`_parse_block` splits each block into fields with one regex call.
    """
    block: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        if line.isspace() or line.startswith("PMID-"):
            if block:
                yield start, "".join(block)
                block = []
            if line.isspace():
                continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, "".join(block)


def _parse_block(block: str, start: int, diagnostics: Diagnostics) -> Fields:
    """Split one record's text into ``(tag, value)`` pairs, joining wrapped lines with one space."""
    text = block.lstrip("\ufeff").replace(" \n      ", " ").replace("\n      ", " ")
    fields: Fields = _FIELD.findall(text)
    if len(fields) == text.count("\n") + (not text.endswith("\n")):
        return fields
    return _parse_lines(block.lstrip("\ufeff").splitlines(), start, diagnostics)


def _parse_lines(lines: list[str], start: int, diagnostics: Diagnostics) -> Fields:
    """Parse a block line by line, the slow way, to report the lines that are not in MEDLINE form."""
    fields: Fields = []
    for number, line in enumerate(lines, start):
        match = _FIELD.fullmatch(line.rstrip())
        text = line.strip()
        if match is not None:
            fields.append((match.group(1), match.group(2) or ""))
        elif not fields:
            diagnostics.add(f"text outside any record ({text[:40]!r}); skipped", line=number)
        elif text:
            tag, value = fields[-1]
            if not line.startswith("      "):
                diagnostics.add(
                    f"line is neither 'TAG - value' nor a 6-space continuation; joined to {tag}", line=number
                )
            fields[-1] = (tag, f"{value} {text}" if value else text)
    return fields


def _to_record(raw: Fields, *, position: int, line: int, diagnostics: Diagnostics) -> Record:
    """Map MEDLINE tags onto the normalised fields of a record."""
    values: defaultdict[str, list[str]] = defaultdict(list)
    for tag, value in raw:
        values[tag].append(value)
    if "SO" not in values:
        diagnostics.add(
            "no SO (source) line, which PubMed writes last: the record may be cut short; kept",
            record=position,
            line=line,
        )
    # FAU and CN (collective names) interleave in author order; AU is the fallback for old records.
    person_tag = "FAU" if "FAU" in values else "AU"
    authors = [value for tag, value in raw if tag == person_tag or tag == "CN"]
    dois = [value for value in values["LID"] + values["AID"] if value.endswith(_DOI_SUFFIX)]
    mesh = [heading.split("/", 1)[0].lstrip("*") for heading in values["MH"]]
    return make_record(
        raw,
        title=values["TI"] or values["BTI"],
        authors=authors,
        year=values["DP"],
        journal=values["JT"] or values["TA"],
        volume=values["VI"],
        issue=values["IP"],
        pages=values["PG"],
        doi=dois,
        pmid=values["PMID"],
        abstract=values["AB"],
        keywords=values["OT"] + mesh,
        language=values["LA"],
        publication_type=values["PT"],
        position=position,
        line=line,
        diagnostics=diagnostics,
    )
