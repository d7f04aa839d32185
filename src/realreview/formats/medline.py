"""PubMed's MEDLINE format (``.nbib``, "Send to: Citation manager"), read line by line.

A record is a run of tagged lines, ``PMID- 30922926``: a tag of up to four characters padded to four,
then ``"- "`` and the value; long values wrap onto continuation lines indented by six spaces. Records
are separated by a blank line, and each starts with ``PMID``.

This reader is hand-written rather than taken from a library because the format needs nothing beyond
the standard library, because it must stream (a 100,000-record download is read one record at a
time), and because it keeps every tag as it came (``("FAU", "Keefer, Amy")``, ``("LID", "10.1/x
[doi]")``) so that nothing PubMed wrote is lost. Wrapped lines are joined with one space.

Nothing marks the end of the last record, so a cut-off download is noticed by its last record lacking
the ``SO`` (source) line PubMed always writes last; that record is kept, with a diagnostic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from realreview.formats.base import Diagnostics
from realreview.records import Record, make_record

__all__ = ["read"]

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]{0,3}) *- ?(.*)")
_DOI_SUFFIX = " [doi]"

Fields = list[list[str]]
"""The fields of one record being read, as mutable ``[tag, value]`` pairs."""


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Yield one :class:`~realreview.records.Record` per MEDLINE record in ``lines``.

    Args:
        lines: The decoded lines of the file, each ending with ``"\\n"`` (the last one may not).
        diagnostics: Where lines that are not in ``TAG - value`` form and a cut-off last record are
            reported.

    Yields:
        Records in file order, numbered from 1, each with the line its first tag is on.
    """
    position = 0
    for start, fields in _split_records(lines, diagnostics):
        position += 1
        if not any(tag == "SO" for tag, _ in fields):
            diagnostics.add(
                "no SO (source) line, which PubMed writes last: the record may be cut short; kept",
                record=position,
                line=start,
            )
        yield _to_record(fields, position=position, line=start)


def _split_records(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[tuple[int, Fields]]:
    """Group lines into records of ``[tag, value]`` pairs, joining continuation lines."""
    fields: Fields = []
    start = 0
    for number, text in enumerate(lines, 1):
        line = text.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        # Fast path for the usual "TAG - value" layout; the regex handles "GN - KIE: ..." and the like.
        if line[4:6] == "- " and line[:1] != " ":
            tag, value = line[:4].rstrip(), line[6:].rstrip()
        elif line[:1] == " ":
            _continue_value(fields, line, diagnostics, number)
            continue
        elif not line.strip():
            if fields:
                yield start, fields
                fields = []
            continue
        else:
            match = _TAG_LINE.fullmatch(line)
            if match is None:
                _continue_value(fields, line, diagnostics, number)
                continue
            tag, value = match.group(1), match.group(2).rstrip()
        if tag == "PMID" and fields:
            yield start, fields
            fields = []
        if not fields:
            start = number
        fields.append([tag, value])
    if fields:
        yield start, fields


def _continue_value(fields: Fields, line: str, diagnostics: Diagnostics, number: int) -> None:
    """Join a wrapped line to the value before it, or report a line that belongs to nothing."""
    if not fields:
        diagnostics.add(f"text outside any record ({line.strip()[:40]!r}); skipped", line=number)
        return
    if line[:6] != "      ":
        diagnostics.add(
            f"line is neither 'TAG - value' nor a 6-space continuation; joined to {fields[-1][0]}",
            line=number,
        )
    continuation = line.strip()
    if continuation:
        fields[-1][1] = f"{fields[-1][1]} {continuation}" if fields[-1][1] else continuation


def _to_record(fields: Fields, *, position: int, line: int) -> Record:
    """Map MEDLINE tags onto the normalised fields of a record."""
    raw = [(tag, value) for tag, value in fields]
    values: defaultdict[str, list[str]] = defaultdict(list)
    for tag, value in raw:
        values[tag].append(value)
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
    )
