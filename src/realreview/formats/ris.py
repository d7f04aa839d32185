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
  Scopus ``N1``, EndNote multi-value ``AD``/``KW``, WoS indented abstract paragraphs). Joined to a
  field that is one line in every export we know (a title, a year, a DOI), an untagged line is a
  repair, so it gets a note naming the record and the line (once per field).
* Rayyan stores screening decisions in ``N1`` notes; we add their structured pairs (see
  :mod:`realreview.formats.rayyan`) right after the note.

Each record keeps every ``(tag, value)`` pair in file order (``ER`` excepted), so :func:`dumps` can write
an RIS record back verbatim.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.formats.rayyan import has_rayyan_notes, parse_rayyan_notes
from realreview.records import Record, make_record

if TYPE_CHECKING:
    from realreview.formats.notes import RecordNotes

__all__ = ["dump", "dumps", "read"]

_TAGS = frozenset(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase + string.digits)
# Text that export tools put between records: Ovid result numbers and Cochrane's per-record header.
_SEPARATOR = re.compile(r"\d+\.|Record #\d+ of \d+|(?:Provider|Content): .*")
_PMID_VALUE = re.compile(r"(?:(?:PMID|PUBMED|MEDLINE)\s*:?\s*)?\d{1,9}", re.IGNORECASE)
_PUBMED_URL = re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/", re.IGNORECASE)
_TYPE_CODE = re.compile(r"[A-Z]{3,6}")
# Fields whose values run over several lines in real exports; an untagged line joined to any other
# field is reported.
_MULTILINE = frozenset("AB N2 N1 NL KW AD AU A1 A2 A3 A4 UR L1 L2 L3 L4 C1 M1 SN LA".split())
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
    noted: int = -1  # index of the last pair whose joined untagged line was reported

    def extend(self, text: str) -> None:
        parts = self.pairs[-1][1]
        parts.extend([""] * self.blank)
        parts.append(text)
        self.blank = 0


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    r"""Yield the records of an RIS export, one at a time.

    Args:
        lines: the decoded lines of the file (each may keep its ``"\n"``).
        diagnostics: where repairs and skipped text are reported.

    Yields:
        One :class:`~realreview.records.Record` per ``TY`` ... ``ER`` block.

    Raises:
        ParseError: the text holds no RIS record at all.
    """
    parser = _Parser(diagnostics)
    open_draft: _Draft | None = None  # the record being read while no ER was seen: the common case
    for number, line in enumerate(_without_bom(lines), 1):
        text = line.rstrip()
        # String tests rather than a regex: this runs once per line of files with millions of lines.
        if text[2:5] == "  -" and text[:2] in _TAGS and (len(text) == 5 or text[5] == " "):
            tag = text[:2]
            if open_draft is not None and tag != "TY" and tag != "ER" and not open_draft.blank:
                open_draft.pairs.append((tag, [text[5:].lstrip(" ")]))
                continue
            done = parser.tag(tag, text[5:].lstrip(" "), number)
            draft = parser.draft
            open_draft = draft if draft is not None and not draft.closed else None
            if done is not None:
                yield _finish(done, diagnostics, next_line=number)
        elif text:
            parser.text(text, number)
        elif parser.draft is not None:
            parser.draft.blank += 1
    if parser.draft is not None:
        yield _finish(parser.draft, diagnostics, next_line=None)
    elif parser.first_text is not None:
        raise _not_ris(parser.first_text)


def _without_bom(lines: Iterable[str]) -> Iterator[str]:
    iterator = iter(lines)
    first = next(iterator, "")
    return itertools.chain([first.lstrip("\ufeff")], iterator)


class _Parser:
    """What :func:`read` knows between lines: the record being read and whether any was found."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        self.draft: _Draft | None = None
        self.count = 0
        self.first_text: tuple[int, str] | None = None  # the first text outside a record

    def tag(self, tag: str, value: str, number: int) -> _Draft | None:
        """Take one tagged line; return the previous record when this line starts a new one."""
        draft = self.draft
        if draft is not None and not draft.closed and tag != "TY" and tag != "ER":
            draft.pairs.append((tag, [value]))
            draft.blank = 0
            return None
        if tag == "ER":
            if draft is None or draft.closed:
                self.diagnostics.add("ER line outside a record ignored", line=number)
            else:
                draft.closed = True
            return None
        if draft is not None and tag != "TY":
            if tag != "NL":  # Ovid writes NL after ER; anything else there is unusual
                self.diagnostics.add(
                    f"{tag} line after ER; kept with this record", record=self.count, line=number
                )
            draft.tail = True
            draft.pairs.append((tag, [value]))
            draft.blank = 0
            return None
        if tag != "TY":
            self.diagnostics.add(
                f"no TY line; record started at {tag}; kept", record=self.count + 1, line=number
            )
        self.count += 1
        self.draft = _Draft(self.count, number, [(tag, [value])])
        return draft

    def text(self, text: str, number: int) -> None:
        """Take one untagged, non-blank line: a continuation, a separator or stray text."""
        draft = self.draft
        if draft is not None and not draft.closed:
            draft.extend(text)
            tag = draft.pairs[-1][0]
            if tag not in _MULTILINE and draft.noted != len(draft.pairs) - 1:
                draft.noted = len(draft.pairs) - 1
                self.diagnostics.add(
                    f"untagged line joined to the {tag} field above: {text.strip()[:60]!r}",
                    record=draft.position,
                    line=number,
                )
        elif _SEPARATOR.fullmatch(text.strip()):
            return
        elif draft is not None and draft.tail:
            draft.extend(text)
        else:
            self.diagnostics.add(f"text outside a record ignored: {text.strip()[:80]!r}", line=number)
            if self.count == 0:
                self.first_text = self.first_text or (number, text.strip())
                if number > _MAX_LINES_BEFORE_FIRST_RECORD:
                    raise _not_ris(self.first_text)


def _not_ris(first_text: tuple[int, str]) -> ParseError:
    number, text = first_text
    return ParseError(
        f"line {number}: not RIS: expected a 'TY  - ' line to start a record, found {text[:80]!r}"
    )


def _finish(draft: _Draft, diagnostics: Diagnostics, *, next_line: int | None) -> Record:
    if not draft.closed:
        where = "" if next_line is None else f" before the next TY (line {next_line})"
        diagnostics.add(f"no ER line{where}; kept", record=draft.position, line=draft.line)
    raw: list[tuple[str, str]] = []
    for tag, parts in draft.pairs:
        value = "\n".join(parts)
        raw.append((tag, value))
        # A plain substring test first: N1 holds whole reference lists in Scopus exports.
        if tag == "N1" and "RAYYAN-" in value and has_rayyan_notes(value):
            raw.extend(parse_rayyan_notes(value))
    return _record(raw, diagnostics, position=draft.position, line=draft.line)


def _record(raw: list[tuple[str, str]], diagnostics: Diagnostics, *, position: int, line: int) -> Record:
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
        diagnostics=diagnostics,
    )


def _doi_fallbacks(related: list[str], links: list[str]) -> list[str]:
    """A bare DOI in L3 (EBSCOhost puts it there), then doi.org links in UR/L2/L1."""
    return [value for value in related if value.startswith("10.")] + [
        link[link.find("doi.org/") :] for link in links if "doi.org/" in link
    ]


def _pmid_candidates(by_tag: dict[str, list[str]], links: list[str]) -> list[str]:
    """Where databases put the PubMed id: AN (PubMed via EndNote), C5 (Embase), C2 (Scopus), C3 (Cochrane)."""
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


def dumps(records: Iterable[Record], *, notes: Iterable[RecordNotes] | None = None) -> str:
    """Write records as RIS text.

    A record read from RIS is written back tag for tag (so load, dump and load again gives the same
    record); any other record is written from its normalised fields. ``notes`` (one per record, in
    order) adds an ``N1`` line per fact after the record's own fields (:mod:`realreview.formats.notes`).
    """
    return "".join(_texts(records, notes))


def dump(records: Iterable[Record], fp: TextIO, *, notes: Iterable[RecordNotes] | None = None) -> None:
    """Write records as RIS to an open text file, one record at a time (``notes`` as in :func:`dumps`)."""
    for text in _texts(records, notes):
        fp.write(text)


def _texts(records: Iterable[Record], notes: Iterable[RecordNotes] | None) -> Iterator[str]:
    if notes is None:
        return (_record_text(record, ()) for record in records)
    return (_record_text(record, note.lines()) for record, note in zip(records, notes, strict=True))


def _record_text(record: Record, note_lines: Iterable[str]) -> str:
    pairs = _raw_pairs(record) if _is_ris(record) else _normalised_pairs(record)
    pairs += [("N1", line) for line in note_lines]
    return "".join(f"{tag}  - {value}\n" for tag, value in pairs) + "ER  - \n\n"


def _is_ris(record: Record) -> bool:
    return (
        bool(record.raw)
        and record.raw[0][0] == "TY"
        and all(tag in _TAGS or tag.startswith("rayyan:") for tag, _ in record.raw)
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
