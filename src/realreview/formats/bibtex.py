r"""BibTeX files (Web of Science, Zotero, JabRef and reference manager exports).

BibTeX looks simple but is not: nested braces, ``@string`` macros, ``#`` concatenation, LaTeX accents
(``M{\"u}ller``) and brace-protected names (``{World Health Organization}``). We use bibtexparser 2,
the maintained BibTeX library, for all of it: its splitter finds blocks and reports the ones it cannot
parse (``failed_blocks``, with their line), and its middlewares decode LaTeX and split author lists
and names. :func:`dumps` writes UTF-8 and escapes only what LaTeX would misread (``&``, ``%``, braces,
``--``), so that reading the file back gives exactly the text written.

``Record.raw`` keeps ``("ENTRYTYPE", type)``, ``("ID", key)`` and every field with its key and value as
written in the file (outer delimiters removed, LaTeX untouched); the normalised fields are decoded to
plain Unicode with case-protecting braces removed.

A field may appear more than once in an entry: Scopus writes one ``funding_details`` per funder
(issue #10). BibTeX says nothing about it and bibtexparser refuses the entry; we keep it. ``raw`` keeps
every occurrence as written, and the normalised value joins them in order (authors and editors with
``" and "``, an abstract with a blank line, anything else with ``"; "``), except a field that holds one
value by nature (title, year, DOI, volume...), whose first occurrence is used. Either way a note names
the record, the line and the field. Occurrences with the same value count once.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

# bibtexparser's top-level names are re-exports without __all__; import them from their modules.
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    NormalizeFieldKeys,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.middlewares.names import NameParts
from bibtexparser.middlewares.parsestack import default_parse_stack, default_unparse_stack
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
    String,
)

from realreview.formats.base import Diagnostics
from realreview.formats.notes import BIBTEX_FIELD, RecordNotes
from realreview.records import Author, Record, make_record

# bibtexparser's splitter logs each block it cannot split; every such block becomes one of our
# diagnostics with its line, so its log lines would only repeat them, unformatted, beside the one-line
# error (issue #11). A filter on the logger itself, not a handler: ``logging.config.dictConfig``
# (uvicorn's, for one) resets the handlers and propagation of loggers it does not name, not filters.
logging.getLogger("bibtexparser.splitter").addFilter(lambda _record: False)

__all__ = ["dumps", "read"]

_AND = re.compile(r"\s+and\s+")

# What :func:`_latex_escape` writes for the characters LaTeX treats specially; everything else,
# accented letters included, is written as UTF-8, which bibtexparser, biber and Zotero read as is.
_LATEX_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
    }
)
# LaTeX reads "--", "''", "``", "!`" and "?`" as ligatures (a dash, curly quotes, inverted marks);
# an empty group between the two characters keeps them as typed.
_LIGATURE = re.compile(r"([-'`!?])(?=[-'`])")
# The fields read into normalised values (besides author); only these are decoded.
_NORMALISED_FIELDS = frozenset(
    {"title", "year", "date", "journal", "journaltitle", "booktitle", "volume", "number", "issue", "pages"}
    | {"doi", "pmid", "pubmed", "abstract", "keywords", "keywords-plus", "language", "type"}
)
# Text without any of these reads the same before and after LaTeX decoding, so it skips the decoder
# (pylatexenc takes milliseconds per abstract).
_LATEX_MARKUP = re.compile(r"[\\{}$%~&^_#]|--|''|``|[!?]`")
# How the occurrences of a repeated field are joined (anything not listed: "; ").
_JOINERS = {"author": " and ", "editor": " and ", "abstract": "\n\n"}
# Fields that hold one value by nature: a repeated one keeps its first occurrence (joined DOIs or years
# would normalise to nothing).
_SINGLE_VALUED = frozenset(
    {"title", "year", "date", "journal", "journaltitle", "booktitle", "volume", "number", "issue", "pages"}
    | {"doi", "pmid", "pubmed", "language", "type"}
)


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Read the entries of a BibTeX file as records.

    bibtexparser parses a whole string, not a stream, so the lines are joined first: a BibTeX file
    sits in memory once as text while it is read.

    Args:
        lines: The file's decoded lines (each keeping its line ending), e.g. an open text file.
        diagnostics: Receives a note for each block that could not be parsed (skipped), each duplicate
            key (kept), each author list that could not be split into names and each value whose
            LaTeX could not be decoded (both kept as written).

    Yields:
        One :class:`~realreview.records.Record` per entry (``@comment``, ``@string`` and ``@preamble``
        blocks are not records), with ``line`` the line of its ``@type{``.
    """
    stack = [_KeepRepeatedFields(), *default_parse_stack()]
    library = parse_string("".join(lines).lstrip("\ufeff"), parse_stack=stack)
    position = 0
    for block in library.blocks:
        line = block.start_line + 1 if block.start_line is not None else None
        entry = _entry_of(block, diagnostics, line=line)
        if entry is None:
            continue
        position += 1
        yield _make_record(entry, diagnostics, position=position, line=line)


class _KeepRepeatedFields(BlockMiddleware):
    """Read an entry with a repeated field as the entry it is, duplicates and all (see the module doc).

    bibtexparser's splitter wraps such an entry in a failed block; unwrapping it first lets the rest of
    the parse stack (``@string`` references, enclosing braces) treat it like any other entry.
    """

    def transform_failed_block(self, failed_block: ParsingFailedBlock, library: Library) -> Block:
        if isinstance(failed_block, DuplicateFieldKeyBlock) and isinstance(
            failed_block.ignore_error_block, Entry
        ):
            return failed_block.ignore_error_block
        return failed_block


def _entry_of(block: Block, diagnostics: Diagnostics, *, line: int | None) -> Entry | None:
    """The entry a block holds, if any, noting duplicate keys (kept) and unparsable blocks (skipped)."""
    if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
        entry = block.ignore_error_block
        diagnostics.add(f"duplicate BibTeX key {entry.key!r}; entry kept", line=line)
        return entry
    if isinstance(block, ParsingFailedBlock):
        reason = str(block.error).strip().splitlines()[-1].strip() if str(block.error).strip() else "?"
        diagnostics.add(f"unreadable BibTeX block skipped: {reason}", line=line)
        return None
    return block if isinstance(block, Entry) else None


def _merged(entry: Entry, notes: list[str]) -> Entry:
    """The entry with each repeated field once, its occurrences joined (see the module docstring).

    A note for each repeated field goes to ``notes``, naming the field and the lines it is on.
    """
    by_key: dict[str, list[Field]] = {}
    for field in entry.fields:
        by_key.setdefault(field.key.lower(), []).append(field)
    if all(len(fields) == 1 for fields in by_key.values()):
        return entry
    merged = []
    for key, fields in by_key.items():
        values = list(dict.fromkeys(str(field.value) for field in fields))
        if len(fields) > 1:
            notes.append(_repeat_note(key, fields, values))
        if key in _SINGLE_VALUED or len(values) == 1:
            merged.append(Field(fields[0].key, values[0], fields[0].start_line))
        else:
            merged.append(Field(fields[0].key, _JOINERS.get(key, "; ").join(values), fields[0].start_line))
    return Entry(entry.entry_type, entry.key, merged, entry.start_line)


def _repeat_note(key: str, fields: list[Field], values: list[str]) -> str:
    lines = ", ".join(str(field.start_line + 1) for field in fields if field.start_line is not None)
    where = f"field {fields[0].key!r} appears {len(fields)} times" + (f" (lines {lines})" if lines else "")
    if len(values) == 1:
        return f"{where} with the same value; kept once"
    if key in _SINGLE_VALUED:
        return f"{where} with different values; the first is used, all are kept as written"
    return f"{where}; the values are kept in order, joined with {_JOINERS.get(key, '; ')!r}"


def _decoded_fields(entry: Entry, problems: list[str]) -> dict[str, str]:
    """The fields behind normalised values, by lower-case key, LaTeX decoded and case braces removed."""
    fields = {
        key: _unwrapped(field.value)
        for field in entry.fields
        if (key := field.key.lower()) in _NORMALISED_FIELDS and isinstance(field.value, str)
    }
    marked = [key for key, value in fields.items() if _LATEX_MARKUP.search(value)]
    fields.update(zip(marked, _latex_decode([fields[key] for key in marked], problems), strict=True))
    return fields


def _unwrapped(value: str) -> str:
    """Drop braces around the whole value, as Web of Science writes every field (``{{Title}}``).

    The decoder would drop them too; dropping them here lets plain text skip the (slow) decoder.

    >>> _unwrapped("{Essential {DNA} habitats}")
    'Essential {DNA} habitats'
    >>> _unwrapped("{DNA} and {RNA}")
    '{DNA} and {RNA}'
    """
    while value.startswith("{") and value.endswith("}") and _closing_brace(value) == len(value) - 1:
        value = value[1:-1]
    return value


def _closing_brace(text: str) -> int:
    """Index of the brace that closes the one at ``text[0]`` (``-1`` if unbalanced)."""
    depth = 0
    for index, char in enumerate(text):
        if char == "{" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "}" and (index == 0 or text[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return index
    return -1


def _authors(entry: Entry, problems: list[str]) -> list[str]:
    """The author names as ``"von Last, Jr, First"`` plain text; problems go to ``problems``.

    Names are split on the LaTeX source, where braces still protect ``{Smith and Sons}`` and
    ``{World Health Organization}``, and each part is decoded afterwards.
    """
    fields = [field for field in entry.fields if field.key.lower() == "author"]
    if not fields:
        return []
    steps = (NormalizeFieldKeys(allow_inplace_modification=False), SeparateCoAuthors(), SplitNameParts())
    split = _transformed(Entry(entry.entry_type, entry.key, fields), steps, problems)
    value = split["author"]
    names = value if isinstance(value, list) else _AND.split(str(value))
    parts = [_name_parts(name) for name in names]
    flat = [text for name in parts for text in name]
    marked = [index for index, text in enumerate(flat) if _LATEX_MARKUP.search(text)]
    for index, text in zip(marked, _latex_decode([flat[i] for i in marked], problems), strict=True):
        flat[index] = text
    decoded = iter(flat)
    return [", ".join(next(decoded) for _ in name) for name in parts]


@functools.cache
def _latex_decoder() -> LatexDecodingMiddleware:
    """The LaTeX decoder of bibtexparser, built once (building its pylatexenc context is slow)."""
    return LatexDecodingMiddleware()


def _name_parts(name: object) -> list[str]:
    if not isinstance(name, NameParts):
        return [str(name)]
    family = " ".join(name.von + name.last)
    return [family, *(" ".join(part) for part in (name.jr, name.first) if part)]


def _latex_decode(texts: Sequence[str], problems: list[str]) -> list[str]:
    """Decode LaTeX in each text with bibtexparser's decoder; a text it cannot decode is kept."""
    if not texts:
        return []
    library = Library([String(f"s{index}", text) for index, text in enumerate(texts)])
    decoded = []
    for block, text in zip(_latex_decoder().transform(library).blocks, texts, strict=True):
        if not isinstance(block, String):
            problems.append(f"LaTeX in {text[:40]!r} could not be decoded; kept as written")
        decoded.append(str(block.value) if isinstance(block, String) else text)
    return decoded


def _transformed(entry: Entry, steps: Sequence[BlockMiddleware], problems: list[str]) -> Entry:
    """Apply bibtexparser middlewares to one entry; a step that fails leaves its input as it was."""
    block: Block = entry
    for step in steps:
        result = step.transform(Library([block])).blocks[0]
        if isinstance(result, ParsingFailedBlock) and isinstance(result.ignore_error_block, Entry):
            problems.append(f"{step.metadata_key()} failed ({result.error}); value kept as written")
            result = result.ignore_error_block
        block = result
    assert isinstance(block, Entry)
    return block


def _make_record(entry: Entry, diagnostics: Diagnostics, *, position: int, line: int | None) -> Record:
    raw = [("ENTRYTYPE", entry.entry_type), ("ID", entry.key)]
    raw.extend((field.key, str(field.value)) for field in entry.fields)
    problems: list[str] = []
    entry = _merged(entry, problems)
    fields = _decoded_fields(entry, problems)
    authors = _authors(entry, problems)
    for problem in problems:
        diagnostics.add(problem, record=position, line=line)

    def text(*keys: str) -> list[str]:
        return [fields[key] for key in keys if key in fields]

    return make_record(
        raw,
        title=text("title"),
        authors=authors,
        year=text("year", "date"),
        journal=text("journal", "journaltitle", "booktitle"),
        volume=text("volume"),
        issue=text("number", "issue"),
        pages=text("pages"),
        doi=text("doi"),
        pmid=text("pmid", "pubmed"),
        abstract=text("abstract"),
        keywords=[part for value in text("keywords", "keywords-plus") for part in _keyword_parts(value)],
        language=text("language"),
        publication_type=text("type"),
        position=position,
        line=line,
        diagnostics=diagnostics,
    )


def _keyword_parts(value: str) -> list[str]:
    """Web of Science separates keywords with ``;``, Zotero and JabRef with ``,``."""
    return value.split(";") if ";" in value else value.split(",")


def dumps(records: Iterable[Record], *, notes: Iterable[RecordNotes] | None = None) -> str:
    """Write records as UTF-8 BibTeX with keys like ``kraufvelin2018`` (``a``, ``b`` on clashes).

    Fields are written from the normalised values (title, author, year, journal, volume, number,
    pages, doi, pmid, abstract, keywords, language, type), so :func:`read` gives the same normalised
    fields back. The entry type is the original BibTeX type when the record came from BibTeX.
    ``notes`` (one per record, in order) adds an ``annote`` field, one fact a line
    (:mod:`realreview.formats.notes`).
    """
    records = list(records)
    keys = _citation_keys(records)
    entries = [_entry(record, key) for record, key in zip(records, keys, strict=True)]
    if notes is not None:
        for entry, note in zip(entries, notes, strict=True):
            if lines := note.lines():
                entry.set_field(Field(BIBTEX_FIELD, _latex_escape("\n".join(lines))))
    blocks: list[Block] = list(entries)
    # The library is ours and thrown away, so the writer may add delimiters in place (no deep copies).
    return write_string(Library(blocks), unparse_stack=default_unparse_stack(allow_inplace_modification=True))


def _entry(record: Record, key: str) -> Entry:
    values = {
        "title": record.title,
        "year": str(record.year) if record.year is not None else None,
        "journal": record.journal,
        "volume": record.volume,
        "number": record.issue,
        "pages": record.pages,
        "doi": record.doi,
        "pmid": record.pmid,
        "abstract": record.abstract,
        "keywords": _join_keywords(record.keywords),
        "language": record.language,
        "type": record.publication_type,
    }
    fields = [Field(name, _latex_escape(value)) for name, value in values.items() if value]
    if record.authors:
        author_text = " and ".join(_protect_name(author) for author in record.authors)
        fields.insert(1 if record.title else 0, Field("author", author_text))
    entry_type = next(iter(record.raw_values("ENTRYTYPE")), None) or ("article" if record.journal else "misc")
    return Entry(entry_type, key, fields)


def _latex_escape(text: str) -> str:
    r"""Escape what LaTeX would not read back as typed (``&`` as ``\&``, ``--`` as ``-{}-``)."""
    return _LIGATURE.sub(r"\1{}", text.translate(_LATEX_SPECIALS))


def _protect_name(author: Author) -> str:
    """Write one name as ``Family, Given``, bracing the parts BibTeX would otherwise split or misread.

    An organisation (family name only) is always braced, so that ``{World Health Organization}`` is
    not read as first names ``World Health`` and family name ``Organization``.
    """
    family, given = _latex_escape(author.family), _latex_escape(author.given)
    if not author.given:
        return f"{{{family}}}"
    if _needs_braces(author.family):
        family = f"{{{family}}}"
    if _needs_braces(author.given):
        given = f"{{{given}}}"
    return f"{family}, {given}"


def _needs_braces(part: str) -> bool:
    return "," in part or _AND.search(f" {part} ") is not None


def _join_keywords(keywords: Sequence[str]) -> str | None:
    if not keywords:
        return None
    text = "; ".join(keywords)
    # A lone "Models, Biological" would read back as two keywords: a trailing ";" marks the separator.
    return f"{text};" if len(keywords) == 1 and "," in text else text


def _citation_keys(records: Sequence[Record]) -> list[str]:
    """``firstauthorfamilyYEAR`` keys (ASCII, lower case), with ``a``, ``b``, ... added on clashes."""
    bases = [_key_base(record) for record in records]
    seen: dict[str, int] = {}
    keys = []
    for base in bases:
        count = seen.get(base, 0)
        seen[base] = count + 1
        keys.append(base if count == 0 else f"{base}{_suffix(count - 1)}")
    return keys


def _key_base(record: Record) -> str:
    family = record.authors[0].family if record.authors else "anon"
    ascii_family = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode("ascii")
    letters = re.sub(r"[^a-z0-9]", "", ascii_family.lower()) or "anon"
    return f"{letters}{record.year if record.year is not None else 'nd'}"


def _suffix(index: int) -> str:
    """``a`` .. ``z``, then ``aa``, ``ab``, ... so that keys stay unique however many clash."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters
