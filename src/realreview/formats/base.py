r"""What every format module shares: diagnostics, the parse result and the reader signature.

A reader is a generator ``read(lines, diagnostics) -> Iterator[Record]`` over decoded text lines (each
line keeps its ``"\n"``). Readers stream, so a 100,000-record export never has to sit in memory as
text and records at once; they never drop a record silently: whatever they repair or cannot read goes
into ``diagnostics`` with the record number and line, and whatever they cannot survive raises
:class:`~realreview.errors.ParseError` naming the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from realreview.records import Record

__all__ = ["Diagnostic", "Diagnostics", "ParseResult", "Reader", "Source"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something a reader noticed and how it handled it, e.g. ``record 7 (line 120): no ER line; kept``."""

    message: str
    record: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = []
        if self.record is not None:
            where.append(f"record {self.record}")
        if self.line is not None:
            where.append(f"line {self.line}" if not where else f"(line {self.line})")
        return f"{' '.join(where)}: {self.message}" if where else self.message


class Diagnostics(list[Diagnostic]):
    """The list a reader appends its diagnostics to."""

    def add(self, message: str, *, record: int | None = None, line: int | None = None) -> None:
        """Record one diagnostic."""
        self.append(Diagnostic(message, record=record, line=line))


@dataclass(frozen=True, slots=True)
class Source:
    """The database and platform that produced a file, as far as the file tells, with a confidence in [0, 1]."""

    database: str | None
    platform: str | None
    confidence: float


@dataclass(slots=True)
class ParseResult:
    """Records read from one file, with the detected format, source and every diagnostic."""

    format: str
    records: list[Record]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    source: Source | None = None


Reader = Callable[[Iterable[str], Diagnostics], Iterator[Record]]
