"""A REFI-QDA project as plain frozen dataclasses, independent of the XML that carries it.

The model follows the parts of QDA-XML 1.0 (``Project-mrt2019.xsd``) that RealReview uses: users, a
nested codebook, text and PDF sources with their plain-text selections and codings, notes (memos),
variables and cases (study characteristics), and sets. Everything is referred to by GUID, as in the
file, so a project read from NVivo keeps its identities when it is written back.

Offsets are the one deliberate difference from the file: :attr:`QdaSelection.start` and
:attr:`QdaSelection.end` are Python ``str`` indices (code points) into :attr:`QdaSource.text`, while
the file counts UTF-16 code units; :mod:`realreview.coding.offsets` converts at the boundary, so no
caller ever slices a text with UTF-16 positions (an emoji before a selection would shift it).

Datetimes read from a file are timezone-aware UTC. An empty name or description of a selection, and
an empty description anywhere, reads as ``None`` (NVivo writes ``name=""`` and ``<Description />``
on every selection to mean "none").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

__all__ = [
    "VARIABLE_TYPES",
    "CaseValue",
    "QdaCase",
    "QdaCode",
    "QdaCoding",
    "QdaCounts",
    "QdaNote",
    "QdaProject",
    "QdaSelection",
    "QdaSet",
    "QdaSource",
    "QdaUser",
    "QdaVariable",
    "count",
    "walk_codes",
]

#: The ``typeOfVariable`` values the schema allows.
VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")

#: A case's value of a variable; dates and datetimes are ISO strings, ``None`` means "no value".
CaseValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class QdaUser:
    """Someone who created codes, selections or notes."""

    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class QdaCode:
    """A code of the codebook with its child codes (the tree is nested, as in the file)."""

    guid: str
    name: str
    is_codable: bool = True
    color: str | None = None
    description: str | None = None
    children: tuple[QdaCode, ...] = ()
    note_guids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QdaCoding:
    """The application of one code to a selection."""

    guid: str
    code_guid: str
    creating_user: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class QdaSelection:
    """A span of a source's text; ``start``/``end`` are ``str`` indices into it, end exclusive."""

    guid: str
    start: int
    end: int
    name: str | None = None
    description: str | None = None
    codings: tuple[QdaCoding, ...] = ()
    note_guids: tuple[str, ...] = ()
    creating_user: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class QdaSource:
    """A document: its plain text, and for a PDF the file's bytes when the project carried them."""

    guid: str
    name: str
    text: str
    kind: Literal["text", "pdf"] = "text"
    pdf: bytes | None = None
    description: str | None = None
    selections: tuple[QdaSelection, ...] = ()
    note_guids: tuple[str, ...] = ()
    creating_user: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class QdaNote:
    """A memo; what it is about is whichever element lists its GUID in ``note_guids``."""

    guid: str
    name: str | None
    text: str
    creating_user: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class QdaVariable:
    """An attribute of cases; ``type`` is one of :data:`VARIABLE_TYPES`."""

    guid: str
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class QdaCase:
    """A unit of analysis (for RealReview: a study), its variable values and its sources."""

    guid: str
    name: str
    description: str | None = None
    values: tuple[tuple[str, CaseValue], ...] = ()
    source_guids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QdaSet:
    """A named group of codes and sources (RealReview marks its deductive codes with one)."""

    guid: str
    name: str
    description: str | None = None
    code_guids: tuple[str, ...] = ()
    source_guids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QdaProject:
    """A whole project; ``notes_on_import`` says what reading a file left out, and why."""

    name: str
    origin: str | None = None
    users: tuple[QdaUser, ...] = ()
    codes: tuple[QdaCode, ...] = ()
    sources: tuple[QdaSource, ...] = ()
    notes: tuple[QdaNote, ...] = ()
    variables: tuple[QdaVariable, ...] = ()
    cases: tuple[QdaCase, ...] = ()
    description: str | None = None
    note_guids: tuple[str, ...] = ()
    sets: tuple[QdaSet, ...] = ()
    notes_on_import: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QdaCounts:
    """How many of each thing a project holds (codes including nested ones)."""

    users: int
    codes: int
    sources: int
    selections: int
    codings: int
    notes: int
    cases: int
    variables: int


def walk_codes(codes: Iterable[QdaCode]) -> Iterator[QdaCode]:
    """Every code of a tree, depth first, parents before their children.

    >>> tree = (QdaCode("a", "A", children=(QdaCode("b", "B"),)), QdaCode("c", "C"))
    >>> [code.name for code in walk_codes(tree)]
    ['A', 'B', 'C']
    """
    for code in codes:
        yield code
        yield from walk_codes(code.children)


def count(project: QdaProject) -> QdaCounts:
    """Count a project's contents, as an import summary shows them.

    >>> count(QdaProject("p", codes=(QdaCode("a", "A", children=(QdaCode("b", "B"),)),)))
    QdaCounts(users=0, codes=2, sources=0, selections=0, codings=0, notes=0, cases=0, variables=0)
    """
    selections = [selection for source in project.sources for selection in source.selections]
    return QdaCounts(
        users=len(project.users),
        codes=sum(1 for _ in walk_codes(project.codes)),
        sources=len(project.sources),
        selections=len(selections),
        codings=sum(len(selection.codings) for selection in selections),
        notes=len(project.notes),
        cases=len(project.cases),
        variables=len(project.variables),
    )
