r"""BibTeX files (Web of Science, Zotero, JabRef and reference manager exports).

BibTeX looks simple but is not: nested braces, ``@string`` macros, ``#`` concatenation, LaTeX accents
(``M{\"u}ller``) and brace-protected names (``{World Health Organization}``). We use bibtexparser 2,
the maintained BibTeX library, for all of it: its splitter finds blocks and reports the ones it cannot
parse (``failed_blocks``, with their line), and its middlewares decode LaTeX, split author lists and
names, and encode LaTeX again for writing.

``Record.raw`` keeps ``("ENTRYTYPE", type)``, ``("ID", key)`` and every field with its key and value as
written in the file (outer delimiters removed, LaTeX untouched); the normalised fields are decoded to
plain Unicode with case-protecting braces removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

# bibtexparser's top-level names are re-exports without __all__; import them from their modules.
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    LatexEncodingMiddleware,
    NormalizeFieldKeys,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.middlewares.names import NameParts
from bibtexparser.model import Block, DuplicateBlockKeyBlock, Entry, Field, ParsingFailedBlock, String
from pylatexenc.latexencode import RULE_REGEX, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from realreview.formats.base import Diagnostics
from realreview.records import Author, Record, make_record

__all__ = ["dumps", "read"]

_BRACES = str.maketrans("", "", "{}")
_AND = re.compile(r"\s+and\s+")

_EXACT_TEXT = UnicodeToLatexConversionRule(
    rule_type=RULE_REGEX,
    rule=[
        # LaTeX reads "--", "''" and "``" as ligatures (an en dash, curly quotes) and '"' as a closing
        # quote; an empty group keeps the characters as typed.
        (re.compile(r"([-'`])(?=\1)"), r"\1{}"),
        (re.compile(r'"'), r'{"}'),
        # The default rules write U+2010 HYPHEN as "-"; the decoder reads the character itself.
        (re.compile("(\u2010)"), r"\1"),
    ],
)


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Read the entries of a BibTeX file as records.

    bibtexparser parses a whole string, not a stream, so the lines are joined first: a BibTeX file
    sits in memory once as text while it is read.

    Args:
        lines: The file's decoded lines (each keeping its line ending), e.g. an open text file.
        diagnostics: Receives a note for each block that could not be parsed (skipped), each duplicate
            key (kept) and each author list that could not be split into names.

    Yields:
        One :class:`~realreview.records.Record` per entry (``@comment``, ``@string`` and ``@preamble``
        blocks are not records), with ``line`` the line of its ``@type{``.
    """
    library = parse_string("".join(lines).lstrip("\ufeff"))
    position = 0
    for block in library.blocks:
        line = block.start_line + 1 if block.start_line is not None else None
        entry = _entry_of(block, diagnostics, line=line)
        if entry is None:
            continue
        position += 1
        yield _make_record(entry, diagnostics, position=position, line=line)


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


def _normalised(entry: Entry) -> tuple[Entry, list[str]]:
    """A decoded copy of ``entry``: lower-case keys, LaTeX decoded, authors as name parts.

    Braced groups survive decoding so that a brace-protected ``{Smith and Sons}`` stays one author;
    callers strip the braces afterwards. A middleware that fails leaves its input as it was, and its
    error is returned for the diagnostics.
    """
    steps = (
        NormalizeFieldKeys(allow_inplace_modification=False),
        LatexDecodingMiddleware(keep_braced_groups=True),
        SeparateCoAuthors(),
        SplitNameParts(),
    )
    problems: list[str] = []
    block: Block = entry
    for step in steps:
        result = step.transform(Library([block])).blocks[0]
        if isinstance(result, ParsingFailedBlock) and isinstance(result.ignore_error_block, Entry):
            problems.append(f"{step.metadata_key()} failed ({result.error}); value kept as written")
            result = result.ignore_error_block
        block = result
    assert isinstance(block, Entry)
    return block, problems


def _make_record(entry: Entry, diagnostics: Diagnostics, *, position: int, line: int | None) -> Record:
    raw = [("ENTRYTYPE", entry.entry_type), ("ID", entry.key)]
    raw.extend((field.key, str(field.value)) for field in entry.fields)
    decoded, problems = _normalised(entry)
    for problem in problems:
        diagnostics.add(problem, record=position, line=line)
    fields = {field.key: field.value for field in decoded.fields}

    def text(*keys: str) -> list[str]:
        return [_plain(fields[key]) for key in keys if isinstance(fields.get(key), str)]

    return make_record(
        raw,
        title=text("title"),
        authors=_author_names(fields.get("author")),
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
    )


def _plain(value: str) -> str:
    return value.translate(_BRACES)


def _author_names(value: object) -> list[str]:
    """Author names as ``"von Last, Jr, First"`` text, from name parts or (fallback) the raw list."""
    if isinstance(value, str):
        return [_plain(name) for name in _AND.split(value)]
    if not isinstance(value, list):
        return []
    return [_name_text(name) if isinstance(name, NameParts) else _plain(str(name)) for name in value]


def _name_text(name: NameParts) -> str:
    family = _plain(" ".join(name.von + name.last))
    rest = [_plain(" ".join(part)) for part in (name.jr, name.first) if part]
    return ", ".join([family, *rest])


def _keyword_parts(value: str) -> list[str]:
    """Web of Science separates keywords with ``;``, Zotero and JabRef with ``,``."""
    return value.split(";") if ";" in value else value.split(",")


def dumps(records: Iterable[Record]) -> str:
    """Write records as BibTeX, LaTeX-encoded, with keys like ``kraufvelin2018`` (``a``, ``b`` on clashes).

    Fields are written from the normalised values (title, author, year, journal, volume, number,
    pages, doi, pmid, abstract, keywords, language, type), so :func:`read` gives the same normalised
    fields back. The entry type is the original BibTeX type when the record came from BibTeX.
    """
    records = list(records)
    keys = _citation_keys(records)
    entries: list[Block] = [_entry(record, key) for record, key in zip(records, keys, strict=True)]
    return write_string(Library(entries))


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
    present = {name: value for name, value in values.items() if value}
    names = [str(author) for author in record.authors]
    encoded = _latex_encode([*present.values(), *names])
    fields = [Field(name, value) for name, value in zip(present, encoded, strict=False)]
    if record.authors:
        author_text = " and ".join(
            _protect_name(author, text)
            for author, text in zip(record.authors, encoded[len(present) :], strict=True)
        )
        fields.insert(1 if "title" in present else 0, Field("author", author_text))
    entry_type = next(iter(record.raw_values("ENTRYTYPE")), None) or ("article" if record.journal else "misc")
    return Entry(entry_type, key, fields)


def _latex_encode(texts: Sequence[str]) -> list[str]:
    r"""LaTeX-encode each text so that reading it back decodes to the same text (``\&``, ``\%``, accents)."""
    library = Library([String(f"s{index}", text) for index, text in enumerate(texts)])
    encoder = UnicodeToLatexEncoder(conversion_rules=[_EXACT_TEXT, "defaults"])
    encoded = LatexEncodingMiddleware(encoder=encoder).transform(library)
    return [str(string.value) for string in encoded.strings]


def _protect_name(author: Author, encoded: str) -> str:
    """Brace a name BibTeX would otherwise split: an organisation, or a family name containing "and"."""
    if (not author.given and " " in author.family) or _AND.search(author.family):
        return f"{{{encoded}}}"
    return encoded


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
