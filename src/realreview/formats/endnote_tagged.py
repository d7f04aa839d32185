"""EndNote tagged / Refer (``.enw``): ``%0 Journal Article``, ``%T title``, ``%A author`` ...

A record is a block of ``%X value`` lines; blank lines separate records. Real exports do not always
start a record with ``%0`` (the AIS eLibrary starts with ``%T`` and often omits ``%0``), so any tagged
line after a blank line starts a record. Untagged lines continue the previous value. There is no
maintained Python parser that keeps the raw tags and line numbers and streams, and the format is a
few lines of code, so we read it by hand like :mod:`realreview.formats.ris`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.records import Record, make_record

__all__ = ["read"]

_PMID_VALUE = re.compile(r"(?:PMID\s*:?\s*)?\d{1,9}", re.IGNORECASE)
_PUBMED_URL = re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/", re.IGNORECASE)
# Give up on text that is not EndNote tagged after this many lines outside any record.
_MAX_LINES_BEFORE_FIRST_RECORD = 200


@dataclass(slots=True)
class _Draft:
    position: int
    line: int
    pairs: list[tuple[str, list[str]]] = field(default_factory=list)
    blank: int = 0  # blank lines since the last line; a tag after them starts the next record


def _is_tag(text: str) -> bool:
    return len(text) >= 2 and text[0] == "%" and not text[1].isspace() and (len(text) == 2 or text[2] == " ")


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    r"""Yield the records of an EndNote tagged export, one at a time.

    Args:
        lines: the decoded lines of the file (each may keep its ``"\n"``).
        diagnostics: where repairs and skipped text are reported.

    Yields:
        One :class:`~realreview.records.Record` per block of ``%`` lines.

    Raises:
        ParseError: the text holds no EndNote tagged record at all.
    """
    draft: _Draft | None = None
    count = 0
    first_text: tuple[int, str] | None = None
    for number, line in enumerate(lines, 1):
        text = line.rstrip()
        if number == 1:
            text = text.lstrip("\ufeff")
        if _is_tag(text):
            if draft is None or draft.blank:
                if draft is not None:
                    yield _record(draft, diagnostics)
                count += 1
                draft = _Draft(count, number)
            draft.pairs.append((text[:2], [text[3:].strip()]))
            draft.blank = 0
        elif not text:
            if draft is not None:
                draft.blank += 1
        elif draft is not None:
            if draft.blank:
                tag = draft.pairs[-1][0]
                diagnostics.add(
                    f"untagged text after a blank line; kept as part of {tag}", record=count, line=number
                )
            draft.pairs[-1][1].extend([""] * draft.blank + [text])
            draft.blank = 0
        else:
            diagnostics.add(f"text outside a record ignored: {text.strip()[:80]!r}", line=number)
            first_text = first_text or (number, text.strip())
            if number > _MAX_LINES_BEFORE_FIRST_RECORD:
                raise _not_tagged(first_text)
    if draft is not None:
        yield _record(draft, diagnostics)
    elif first_text is not None:
        raise _not_tagged(first_text)


def _not_tagged(first_text: tuple[int, str]) -> ParseError:
    number, text = first_text
    return ParseError(
        f"line {number}: not EndNote tagged: expected a '%T ...'-style line, found {text[:80]!r}"
    )


def _record(draft: _Draft, diagnostics: Diagnostics) -> Record:
    raw = [(tag, "\n".join(parts)) for tag, parts in draft.pairs]
    by_tag: dict[str, list[str]] = {}
    for tag, value in raw:
        by_tag.setdefault(tag, []).append(value)

    def values(*tags: str) -> list[str]:
        return [value for tag in tags for value in by_tag.get(tag, ())]

    urls = values("%U")
    return make_record(
        raw,
        title=values("%T"),
        authors=[name for value in values("%A") for name in value.split("\n")],
        year=values("%D", "%8"),
        # %B is the book, proceedings or (in the AIS eLibrary) journal title.
        journal=values("%J", "%B"),
        volume=values("%V"),
        issue=values("%N"),
        pages=values("%P"),
        doi=values("%R") + [url[url.find("doi.org/") :] for url in urls if "doi.org/" in url],
        pmid=[value for value in values("%M") if _PMID_VALUE.fullmatch(value)]
        + [url for url in urls if _PUBMED_URL.search(url)],
        abstract=values("%X"),
        keywords=values("%K"),
        language=values("%G"),
        publication_type=values("%0"),
        position=draft.position,
        line=draft.line,
        diagnostics=diagnostics,
    )
