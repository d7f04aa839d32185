"""RIS (``TY  - JOUR`` ... ``ER  -``): a streaming reader and a writer.

Why not rispy: it renames tags to its own field names (so the raw tags a database wrote are lost), keeps
no line numbers, reads a whole file into memory, drops a final record that has no ``ER`` line, and
trips on the text real exports put around records. This reader is a single pass over lines that knows
those exports:

* Ovid writes a result number (``"2. "``) before each ``TY`` and, after ``ER``, an ``NL`` tag and an
  untagged ``Link to the Ovid Full Text ...`` line: both are kept with the record they follow.
* The Cochrane Library writes a 3-line header (``Record #3 of 18``, ``Provider: ...``,
  ``Content: ...``) before each record and two spaces after the hyphen (``TY  -  JOUR``).
* Untagged lines continue the previous value (keywords one per line in Rayyan, cited references under
  Scopus ``N1``, EndNote multi-value ``AD``/``KW``, WoS indented abstract paragraphs).
* Rayyan stores screening decisions in ``N1`` notes; we add their structured pairs (see
  :mod:`realreview.formats.rayyan`) right after the note.

Each record keeps every ``(tag, value)`` pair in file order (``ER`` excepted), so :func:`dumps` can write
an RIS record back verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.formats.rayyan import has_rayyan_notes, parse_rayyan_notes
from realreview.records import Record, make_record

__all__ = ["dump", "dumps", "read"]

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])  -(?: +(.*))?")
_RIS_TAG = re.compile(r"[A-Z][A-Z0-9]")
# Text that export tools put between records: Ovid result numbers and Cochrane's per-record header.
_SEPARATOR = re.compile(r"\d+\.|Record #\d+ of \d+|(?:Provider|Content): .*")
_PMID_VALUE = re.compile(r"(?:(?:PMID|PUBMED|MEDLINE)\s*:?\s*)?\d{1,9}", re.IGNORECASE)
_PUBMED_URL = re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/", re.IGNORECASE)
_TYPE_CODE = re.compile(r"[A-Z]{3,6}")
# Give up on text that is not RIS after this many lines outside any record, rather than read it all.
_MAX_LINES_BEFORE_FIRST_RECORD = 200


@dataclass(slots=True)
class _Draft:
    """The record being read: its pairs, each value held as a list of lines until the record ends."""

    position: int
    line: int
    pairs: list[tuple[str, list[str]]] = field(default_factory=list)
    closed: bool = False  # its ER line was seen
    tail: bool = False  # a tag followed ER (Ovid's NL), so untagged lines still continue it
    blank: int = 0  # blank lines seen since the last line of text; kept if a continuation follows

    def add(self, tag: str, value: str) -> None:
        self.pairs.append((tag, [value]))
        self.blank = 0

    def extend(self, text: str) -> None:
        parts = self.pairs[-1][1]
        parts.extend([""] * self.blank)
        parts.append(text)
        self.blank = 0


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Yield the records of an RIS export, one at a time.

    Args:
        lines: the decoded lines of the file (each may keep its ``"\\n"``).
        diagnostics: where repairs and skipped text are reported.

    Yields:
        One :class:`~realreview.records.Record` per ``TY`` ... ``ER`` block.

    Raises:
        ParseError: the text holds no RIS record at all.
    """
    draft: _Draft | None = None
    count = 0
    first_text: tuple[int, str] | None = None
    number = 0
    for number, line in enumerate(lines, 1):
        text = line.rstrip()
        if number == 1:
            text = text.lstrip("\ufeff")
        match = _TAG_LINE.fullmatch(text)
        if match is not None:
            tag, value = match.group(1), match.group(2) or ""
            if tag == "ER":
                if draft is None or draft.closed:
                    diagnostics.add("ER line outside a record ignored", line=number)
                else:
                    draft.closed = True
            elif tag == "TY" or draft is None:
                if draft is not None:
                    yield _finish(draft, diagnostics, next_line=number)
                elif tag != "TY":
                    diagnostics.add(f"no TY line; record started at {tag}; kept", record=count + 1, line=number)
                count += 1
                draft = _Draft(count, number)
                draft.add(tag, value)
            else:
                if draft.closed and tag != "NL":  # Ovid writes NL after ER; anything else is unusual
                    diagnostics.add(f"{tag} line after ER; kept with this record", record=count, line=number)
                draft.tail = draft.closed
                draft.add(tag, value)
        elif not text or text.isspace():
            if draft is not None:
                draft.blank += 1
        elif draft is not None and not draft.closed:
            draft.extend(text)
        elif _SEPARATOR.fullmatch(text.strip()):
            continue
        elif draft is not None and draft.tail:
            draft.extend(text)
        else:
            diagnostics.add(f"text outside a record ignored: {text.strip()[:80]!r}", line=number)
            if count == 0:
                first_text = first_text or (number, text.strip())
                if number > _MAX_LINES_BEFORE_FIRST_RECORD:
                    raise _not_ris(first_text)
    if draft is not None:
        yield _finish(draft, diagnostics, next_line=None)
    elif first_text is not None:
        raise _not_ris(first_text)


def _not_ris(first_text: tuple[int, str]) -> ParseError:
    number, text = first_text
    return ParseError(f"line {number}: not RIS: expected a 'TY  - ' line to start a record, found {text[:80]!r}")


def _finish(draft: _Draft, diagnostics: Diagnostics, *, next_line: int | None) -> Record:
    if not draft.closed:
        where = "" if next_line is None else f" before the next TY (line {next_line})"
        diagnostics.add(f"no ER line{where}; kept", record=draft.position, line=draft.line)
    raw: list[tuple[str, str]] = []
    for tag, parts in draft.pairs:
        value = "\n".join(parts)
        raw.append((tag, value))
        if tag == "N1" and has_rayyan_notes(value):
            raw.extend(parse_rayyan_notes(value))
    return _record(raw, position=draft.position, line=draft.line)


def _record(raw: list[tuple[str, str]], *, position: int, line: int) -> Record:
    """Map RIS tags to the normalised fields (candidates in order of preference)."""
    by_tag: dict[str, list[str]] = {}
    for tag, value in raw:
        by_tag.setdefault(tag, []).append(value)

    def values(*tags: str) -> list[str]:
        return [value for tag in tags for value in by_tag.get(tag, ())]

    def first(tag: str) -> str | None:
        return next((value for value in by_tag.get(tag, ()) if value.strip()), None)

    authors = [name for tag, value in raw if tag in ("AU", "A1") for name in value.split("\n")]
    links = values("UR", "L2", "L1")
    return make_record(
        raw,
        title=values("TI", "T1", "CT", "BT"),
        authors=authors,
        year=values("PY", "Y1", "DA"),
        # Full journal names first: JA/J2/J1 are abbreviations, JO is either.
        journal=values("T2", "JF", "JO", "JA", "J2", "J1"),
        volume=values("VL"),
        issue=values("IS"),
        start_page=first("SP"),
        end_page=first("EP"),
        doi=values("DO", "DI") + _doi_fallbacks(by_tag.get("L3", []), links),
        pmid=_pmid_candidates(by_tag, links),
        abstract=values("AB", "N2"),
        keywords=values("KW"),
        language=values("LA"),
        publication_type=values("TY", "M3"),
        position=position,
        line=line,
    )


def _doi_fallbacks(related: list[str], links: list[str]) -> list[str]:
    """A bare DOI in L3 (EBSCOhost puts it there), then doi.org links in UR/L2/L1."""
    return [value for value in related if value.startswith("10.")] + [
        link[link.find("doi.org/") :] for link in links if "doi.org/" in link
    ]


def _pmid_candidates(by_tag: dict[str, list[str]], links: list[str]) -> list[str]:
    """Where each database puts the PubMed id: AN (PubMed via EndNote), C5 (Embase), C2 (Scopus), C3 (Cochrane)."""
    source = " ".join(by_tag.get("DB", []) + by_tag.get("DP", [])).lower()
    is_pubmed = any(name in source for name in ("pubmed", "medline", "nlm"))
    candidates = [
        value
        for value in by_tag.get("AN", ())
        if (is_pubmed or not source) and _PMID_VALUE.fullmatch(value.strip())
    ]
    candidates += [value for value in by_tag.get("C5", ()) if value.strip().isdigit()]
    if "scopus" in source:
        candidates += [value for value in by_tag.get("C2", ()) if value.strip().isdigit()]
    candidates += [value for value in by_tag.get("C3", ()) if value.upper().startswith("PUBMED")]
    candidates += [link for link in links if _PUBMED_URL.search(link)]
    return candidates


def dumps(records: Iterable[Record]) -> str:
    """Write records as RIS text.

    A record read from RIS is written back tag for tag (so load, dump and load again gives the same
    record); any other record is written from its normalised fields.
    """
    return "".join(_record_text(record) for record in records)


def dump(records: Iterable[Record], fp: TextIO) -> None:
    """Write records as RIS to an open text file, one record at a time."""
    for record in records:
        fp.write(_record_text(record))


def _record_text(record: Record) -> str:
    pairs = _raw_pairs(record) if _is_ris(record) else _normalised_pairs(record)
    return "".join(f"{tag}  - {value}\n" for tag, value in pairs) + "ER  - \n\n"


def _is_ris(record: Record) -> bool:
    return bool(record.raw) and record.raw[0][0] == "TY" and all(
        _RIS_TAG.fullmatch(tag) or tag.startswith("rayyan:") for tag, _ in record.raw
    )


def _raw_pairs(record: Record) -> list[tuple[str, str]]:
    # rayyan:* pairs are derived from N1 again when the file is read back.
    return [(tag, value) for tag, value in record.raw if not tag.startswith("rayyan:")]


def _normalised_pairs(record: Record) -> list[tuple[str, str]]:
    kind = record.publication_type or ""
    is_code = bool(_TYPE_CODE.fullmatch(kind))
    pairs = [("TY", kind if is_code else "JOUR")]
    pairs += [("TI", record.title)] if record.title else []
    pairs += [("AU", str(author)) for author in record.authors]
    pairs += [("PY", str(record.year))] if record.year else []
    pairs += [("T2", record.journal)] if record.journal else []
    pairs += [("VL", record.volume)] if record.volume else []
    pairs += [("IS", record.issue)] if record.issue else []
    if record.pages:
        start, dash, end = record.pages.partition("-")
        pairs += [("SP", start), ("EP", end)] if dash else [("SP", start)]
    pairs += [("DO", record.doi)] if record.doi else []
    pairs += [("AN", record.pmid)] if record.pmid else []
    pairs += [("AB", record.abstract)] if record.abstract else []
    pairs += [("KW", keyword) for keyword in record.keywords]
    pairs += [("LA", record.language)] if record.language else []
    pairs += [("M3", kind)] if kind and not is_code else []
    return pairs
