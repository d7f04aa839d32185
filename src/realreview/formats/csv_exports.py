"""CSV exports from bibliographic databases (Scopus, Embase, PubMed, CINAHL, Cochrane CENTRAL, Rayyan).

Every database writes "a CSV", but each names its columns differently (``Title``, ``Article Title``,
``title``; ``Authors``, ``Author(s)``, ``Author Names``) and some put lines before the header (Embase
writes the search query, a row of dashes and a blank line). Rather than one reader per database, one
reader finds the header row and maps its columns through a table of known header names, matched
case-insensitively; adding a database is adding names to :data:`FIELD_COLUMNS`.

Parsing is left to the standard :mod:`csv` module, which handles RFC 4180 quoting, quoted newlines
and the unquoted headers older exports use, and streams over the line iterator, so a 100,000-row file
is read row by row. Every non-empty cell is kept in ``Record.raw`` under its column header as written
in the file; Rayyan's ``notes`` cell is also split into structured ``rayyan:...`` fields.

:func:`dumps` writes RealReview's own CSV (one column per normalised field), which :func:`read` reads
back into the same normalised fields. Its cells are defused against spreadsheet formulas by
:func:`realreview.tables.csv_text` (``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``); when
:func:`read` meets a header made only of RealReview's own columns it takes that quote off again
(:func:`realreview.tables.csv_untext`), so export and import round-trip exactly. Other databases'
CSV is read as written.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.formats.notes import NOTE_COLUMNS, RecordNotes
from realreview.formats.rayyan import parse_rayyan_notes
from realreview.records import FIELDS, Author, Record, make_record
from realreview.tables import csv_text, csv_untext

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["FIELD_COLUMNS", "WRITER_COLUMNS", "dumps", "read", "split_authors"]

FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "primary title", "ti"),
    "authors": ("authors", "author", "author(s)", "author names", "author/s", "au", "author full names"),
    "year": (
        "year",
        "publication year",
        "published year",
        "publication_year",
        "py",
        "publication date",
        "date of publication",
    ),
    "journal": (
        "source title",
        "journal",
        "journal/book",
        "journal title",
        "publication title",
        "secondary title",
        "pubtitle",
        "journal name",
        "so",
    ),
    "volume": ("volume", "vl"),
    "issue": ("issue", "number", "issue number", "is"),
    "pages": ("pages",),
    "start_page": ("page start", "first page", "start page", "bp"),
    "end_page": ("page end", "last page", "end page", "ep"),
    "doi": ("doi", "digitalobjectidentifier", "di"),
    "pmid": ("pmid", "pubmed id", "medline pmid", "pubmed_id", "pubmedid", "pm"),
    "abstract": ("abstract", "abstract note", "ab"),
    "keywords": (
        "author keywords",
        "index keywords",
        "keywords",
        "subject",
        "subjects",
        "manual tags",
        "automatic tags",
    ),
    "language": ("language of original document", "language", "article language", "la"),
    "publication_type": (
        "document type",
        "publication type",
        "publication_type",
        "doctype",
        "item type",
        "dt",
    ),
}
"""Normalised field -> header names (lower case) that hold it, most preferred first."""

_FALLBACK_COLUMNS = {"source": "citation"}
"""Headers used only when no column of the table above supplies the field.

``Source`` is the journal in Cochrane CSV, a whole citation in 2019 Embase CSV, and the literal
``"Scopus"`` in Scopus CSV (which also has ``Source title``), so it is read as a citation and only
when the header has no journal column.
"""

_HEADER_FIELDS = ("title", "authors", "doi")
_HEADER_SEARCH_ROWS = 20
_FIELD_LIMIT = 1 << 30

WRITER_COLUMNS = FIELDS
"""The columns :func:`dumps` writes, one per normalised field of :class:`~realreview.records.Record`."""

_OWN_COLUMNS = frozenset((*WRITER_COLUMNS, *NOTE_COLUMNS, "id", "search_id"))
"""Headers of RealReview's own CSV (``export --format csv`` and ``records --format csv``)."""

_LOOKUP = {name: field for field, names in FIELD_COLUMNS.items() for name in names}
_RANK = {name: rank for names in FIELD_COLUMNS.values() for rank, name in enumerate(names)}


@dataclass(frozen=True, slots=True)
class _Header:
    """The header row: column names as written, and which columns feed each field, best first."""

    names: tuple[str, ...]
    fields: dict[str, tuple[int, ...]]
    notes_column: int | None
    is_own: bool = False  # RealReview's own CSV, whose defused cells get their quote back


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Read records from a database CSV export, one per non-blank row after the header.

    Args:
        lines: The file's decoded lines (each keeping its line ending), e.g. an open text file.
        diagnostics: Receives a note for every row that needed repair (e.g. a ragged row).

    Yields:
        One :class:`~realreview.records.Record` per data row, with ``line`` the row's first line.

    Raises:
        ParseError: If no header row with a title, author or DOI column is found, or the CSV is broken.
    """
    # Scopus "References" cells of long reviews exceed the csv module's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    head, rest = _peek(iter(lines))
    rows = csv.reader(itertools.chain(head, rest), delimiter=_delimiter(head))
    header = _find_header(rows)
    position = 0
    end_line = rows.line_num
    for cells in _rows(rows):
        start_line, end_line = end_line + 1, rows.line_num
        if not any(cell.strip() for cell in cells):
            continue
        position += 1
        if len(cells) != len(header.names):
            diagnostics.add(
                f"row has {len(cells)} cells, header has {len(header.names)}; kept",
                record=position,
                line=start_line,
            )
        yield _make_record(header, cells, diagnostics, position=position, line=start_line)


def _peek(lines: Iterator[str]) -> tuple[list[str], Iterator[str]]:
    return list(itertools.islice(lines, _HEADER_SEARCH_ROWS)), lines


def _delimiter(head: Sequence[str]) -> str:
    """``,`` unless the header row is separated by ``;`` or tabs (European spreadsheet exports)."""
    for line in head:
        for delimiter in (",", ";", "\t"):
            cells = next(csv.reader([line], delimiter=delimiter), [])
            if len(cells) > 1 and any(cell.strip().lower().lstrip("\ufeff") in _LOOKUP for cell in cells):
                return delimiter
    return ","


def _rows(rows: CsvReader) -> Iterator[list[str]]:
    """Iterate ``rows``, turning :class:`csv.Error` into a :class:`ParseError` naming the line."""
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raise ParseError(f"line {rows.line_num}: unreadable CSV: {error}") from error
        yield cells


def _find_header(rows: CsvReader) -> _Header:
    """Consume rows up to and including the header row (Embase puts a preamble before it)."""
    first_line: int | None = None
    searched = 0
    previous_line = rows.line_num
    for cells in _rows(rows):
        start_line, previous_line = previous_line + 1, rows.line_num
        if not any(cell.strip() for cell in cells):
            continue
        first_line = first_line or start_line
        header = _map_header(cells)
        if any(field in header.fields for field in _HEADER_FIELDS):
            return header
        searched += 1
        if searched >= _HEADER_SEARCH_ROWS:
            break
    raise ParseError(f"line {first_line or 1}: no header row with a title, author or DOI column found")


def _map_header(cells: Sequence[str]) -> _Header:
    names = list(cells)
    if names:
        names[0] = names[0].lstrip("\ufeff")
    keys = [name.strip().lower() for name in names]
    found: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key in _LOOKUP:
            found.setdefault(_LOOKUP[key], []).append(index)
    fields = {field: tuple(sorted(indexes, key=lambda i: _RANK[keys[i]])) for field, indexes in found.items()}
    if "journal" not in fields:
        for index, key in enumerate(keys):
            if key in _FALLBACK_COLUMNS:
                fields.setdefault(_FALLBACK_COLUMNS[key], (index,))
    is_rayyan = "key" in keys and "notes" in keys
    is_own = bool(names) and all(name in _OWN_COLUMNS for name in names)
    return _Header(tuple(names), fields, keys.index("notes") if is_rayyan else None, is_own)


def _raw_pairs(header: _Header, cells: Sequence[str]) -> list[tuple[str, str]]:
    """Every non-empty cell as ``(column header, value)``; Rayyan notes also as structured pairs."""
    names = header.names
    if len(cells) > len(names):
        names = names + tuple(f"column {index + 1}" for index in range(len(names), len(cells)))
    if header.notes_column is None:
        pairs = zip(names, cells, strict=False)
        return [(name, value) for name, value in pairs if value and not value.isspace()]
    raw: list[tuple[str, str]] = []
    for index, (name, value) in enumerate(zip(names, cells, strict=False)):
        if value and not value.isspace():
            raw.append((name, value))
            if index == header.notes_column:
                raw.extend(parse_rayyan_notes(value))
    return raw


def _make_record(
    header: _Header, cells: Sequence[str], diagnostics: Diagnostics, *, position: int, line: int
) -> Record:
    if header.is_own:
        cells = [csv_untext(cell) for cell in cells]
    width = len(cells)

    def values(field: str) -> list[str]:
        return [cells[i] for i in header.fields.get(field, ()) if i < width]

    def first(field: str) -> str | None:
        return next((value for value in values(field) if value and not value.isspace()), None)

    journal, year, volume, issue, pages = (
        values("journal"),
        values("year"),
        values("volume"),
        values("issue"),
        values("pages"),
    )
    citation = first("citation")
    if citation is not None:
        parts = _parse_citation(citation)
        journal.append(parts.get("journal") or citation)
        year.append(parts.get("year", ""))
        volume.append(parts.get("volume", ""))
        issue.append(parts.get("issue", ""))
        pages.append(parts.get("pages", ""))
    author_text = first("authors")
    return make_record(
        _raw_pairs(header, cells),
        title=values("title"),
        authors=split_authors(author_text) if author_text else (),
        year=year,
        journal=journal,
        volume=volume,
        issue=issue,
        pages=pages,
        start_page=first("start_page"),
        end_page=first("end_page"),
        doi=values("doi"),
        pmid=values("pmid"),
        abstract=values("abstract"),
        keywords=values("keywords"),
        language=values("language"),
        publication_type=values("publication_type"),
        position=position,
        line=line,
        diagnostics=diagnostics,
    )


_CITATION = re.compile(
    r"^(?P<journal>.+?) \((?P<year>\d{4})\)"
    r"(?: (?P<volume>[^\s:(]+)(?::(?P<issue>[^\s(]+))?)?"
    r"(?: \((?P<pages>[^)]+)\))?"
)


def _parse_citation(text: str) -> dict[str, str]:
    """Split an Embase ``Source`` citation such as ``"Cancer (2004) 102:4 (253-258). Date of ..."``.

    >>> _parse_citation("Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004")
    {'journal': 'Cancer', 'year': '2004', 'volume': '102', 'issue': '4', 'pages': '253-258'}
    >>> _parse_citation("Trials")
    {}
    """
    match = _CITATION.match(text.strip())
    if match is None:
        return {}
    return {key: value for key, value in match.groupdict().items() if value}


_AND = re.compile(r"\s+and\s+")
_ENDS_WITH_INITIALS = re.compile(r"\s(?:[A-Z]\.?-?){1,4}$")
_SCOPUS_AUTHOR_ID = re.compile(r"\s*\(\d+\)")


def split_authors(text: str) -> list[str]:
    """Split an author cell into names, whichever separator the database used.

    Scopus, CINAHL and Cochrane separate names with ``;``, Rayyan with `` and ``, and PubMed, older
    Scopus and Embase with ``,`` (``"Smith J, Doe A"``). A comma splits only when the part before it
    ends in initials, so that a single ``"Curry Rogers, Kristina"`` stays one name. Scopus author ids
    in ``Author full names`` (``"Wilson, Lauren N. (58975547800)"``) are dropped.

    >>> split_authors("Griffin DK, Larkin DM, O'Connor RE.")
    ['Griffin DK', 'Larkin DM', "O'Connor RE."]
    >>> split_authors("Yang, Z. and Jiang, B.")
    ['Yang, Z.', 'Jiang, B.']
    >>> split_authors("Curry Rogers, Kristina")
    ['Curry Rogers, Kristina']
    """
    text = _SCOPUS_AUTHOR_ID.sub("", text)
    if ";" in text:
        parts = text.split(";")
    elif _AND.search(text):
        parts = _AND.split(text)
    elif "," in text and _ENDS_WITH_INITIALS.search(text.split(",", 1)[0].strip()):
        parts = text.split(",")
    else:
        parts = [text]
    return [part.strip() for part in parts if part.strip()]


def dumps(
    records: Iterable[Record], *, defuse_formulas: bool = True, notes: Iterable[RecordNotes] | None = None
) -> str:
    """Write records as RealReview CSV: a header of :data:`WRITER_COLUMNS`, then one row per record.

    Authors are written ``"Family, Given; Family, Given"`` and keywords joined with ``"; "``;
    :func:`read` reads the text back into the same normalised fields. Cells a spreadsheet would run
    get a leading ``'`` (:func:`realreview.tables.csv_text`) unless ``defuse_formulas`` is false.
    ``notes`` (one per record, in order) adds the columns of :data:`~realreview.formats.notes.NOTE_COLUMNS`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(WRITER_COLUMNS if notes is None else (*WRITER_COLUMNS, *NOTE_COLUMNS))
    rows = (
        (_row(record) for record in records)
        if notes is None
        else (_row(record) + note.cells() for record, note in zip(records, notes, strict=True))
    )
    for row in rows:
        writer.writerow([csv_text(cell) for cell in row] if defuse_formulas else row)
    return buffer.getvalue()


def _row(record: Record) -> list[str]:
    return [
        record.title or "",
        _format_authors(record.authors),
        str(record.year) if record.year is not None else "",
        record.journal or "",
        record.volume or "",
        record.issue or "",
        record.pages or "",
        record.doi or "",
        record.pmid or "",
        record.abstract or "",
        "; ".join(record.keywords),
        record.language or "",
        record.publication_type or "",
    ]


def _format_authors(authors: Sequence[Author]) -> str:
    names = [str(author) for author in authors]
    text = "; ".join(names)
    # A lone "Ministry of Health and Welfare" would read back as two names: a trailing ";" marks
    # the cell as ";"-separated.
    return text if split_authors(text) == names else f"{text};"
