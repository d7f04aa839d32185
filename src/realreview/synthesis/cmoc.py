"""Context–mechanism–outcome configurations (CMOCs), the unit a realist synthesis builds (issue #12).

A CMOC says that *when* a context holds, an outcome follows *because* a mechanism fires. The team
assembles one across documents, so a CMOC with only one or two of its statements written is normal
and never refused; a CMOC with none of them says nothing and is.

Labels follow the reviews' own habit of a number and an optional letter ("7A", "12"); they sort
naturally (:func:`label_sort_key`), so "10" comes after "9B".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from realreview.errors import NotFoundError, ValidationError

__all__ = [
    "CMOC",
    "MAX_STATEMENT",
    "CMOCError",
    "Component",
    "Confidence",
    "Direction",
    "Status",
    "UnknownCMOCError",
    "check_key",
    "label_sort_key",
]

#: The longest statement kept: a paragraph, not a pasted document.
MAX_STATEMENT = 2000

_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,15}")
_KEY = re.compile(r"[a-z0-9][a-z0-9_\-]{0,39}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NATURAL = re.compile(r"(\d+)")


class CMOCError(ValidationError):
    """A CMOC, cluster or link was given a label, key or statement that cannot be kept."""


class UnknownCMOCError(NotFoundError):
    """A CMOC label that is not among the CMOCs in hand (a relation or link to nothing)."""


class Direction(StrEnum):
    """Which way the CMOC moves the review's outcome of interest (for the seed review: inequalities)."""

    REDUCES = "reduces"
    WORSENS = "worsens"
    MIXED = "mixed"
    UNCLEAR = "unclear"

    def label(self, outcome: str = "inequalities") -> str:
        """The direction as a reader sees it, naming the review's outcome of interest.

        >>> Direction.REDUCES.label()
        'reduces inequalities'
        >>> Direction.MIXED.label("waiting times")
        'mixed effect on waiting times'
        """
        if self in (Direction.REDUCES, Direction.WORSENS):
            return f"{self.value} {outcome}"
        return f"{self.value} effect on {outcome}"

    @property
    def symbol(self) -> str:
        """A one-character mark for tables and diagrams, so direction does not rest on colour alone."""
        return {"reduces": "↓", "worsens": "↑", "mixed": "↕", "unclear": "?"}[self.value]


class Confidence(StrEnum):
    """How sure the team is of the CMOC, given the evidence and its trustworthiness."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


class Status(StrEnum):
    """Whether the CMOC is still one reviewer's draft or the team has agreed its wording."""

    DRAFT = "draft"
    AGREED = "agreed"


class Component(StrEnum):
    """The three parts of a CMOC, each of which evidence can be linked to."""

    CONTEXT = "context"
    MECHANISM = "mechanism"
    OUTCOME = "outcome"

    @property
    def letter(self) -> str:
        """The initial reviews write in tables and code names (C, M, O)."""
        return self.value[0].upper()


def label_sort_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Sort labels by their numbers, then their letters, as a reader expects.

    >>> sorted(["10", "2B", "2A", "1"], key=label_sort_key)
    ['1', '2A', '2B', '10']
    """
    parts = (part for part in _NATURAL.split(label.upper()) if part)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


def check_key(key: str, *, what: str = "cluster key") -> str:
    """Refuse a key that would not survive a URL or a CSV header: lower-case letters, digits, ``-``, ``_``.

    >>> check_key("values")
    'values'
    >>> try:
    ...     check_key("Data")
    ... except CMOCError as error:
    ...     print(error)
    cluster key 'Data' must be 1-40 of a-z, 0-9, '-' or '_'
    """
    if not _KEY.fullmatch(key):
        raise CMOCError(f"{what} {key!r} must be 1-40 of a-z, 0-9, '-' or '_'")
    return key


def _statement(text: str, *, label: str, field: str) -> str:
    text = text.strip()
    if len(text) > MAX_STATEMENT:
        raise CMOCError(f"CMOC {label}: the {field} has {len(text)} characters; at most {MAX_STATEMENT}")
    if _CONTROL.search(text):
        raise CMOCError(f"CMOC {label}: the {field} holds a control character")
    return text


def _clause(text: str) -> str:
    return text.rstrip(" .;,")


@dataclass(frozen=True)
class CMOC:
    """One configuration: its label, where it sits, its three statements and the team's judgement of it.

    Statements are stripped of surrounding space; an empty one means "not yet stated".

    >>> CMOC("7A", "design", context="patients help design the project", outcome="uptake rises").missing()
    (<Component.MECHANISM: 'mechanism'>,)
    >>> try:
    ...     CMOC("7 A", "design", context="x")
    ... except CMOCError as error:
    ...     print(error)
    CMOC label '7 A' must be 1-16 letters, digits, '.' or '-' (like 7A)
    """

    label: str
    cluster: str
    context: str = ""
    mechanism: str = ""
    outcome: str = ""
    subtheme: str | None = None
    direction: Direction = Direction.UNCLEAR
    confidence: Confidence = Confidence.LOW
    status: Status = Status.DRAFT

    def __post_init__(self) -> None:
        if not _LABEL.fullmatch(self.label):
            raise CMOCError(f"CMOC label {self.label!r} must be 1-16 letters, digits, '.' or '-' (like 7A)")
        check_key(self.cluster)
        for component in Component:
            text = _statement(getattr(self, component.value), label=self.label, field=component.value)
            object.__setattr__(self, component.value, text)
        if not any(self.statement(component) for component in Component):
            raise CMOCError(f"CMOC {self.label} needs at least one of context, mechanism or outcome")
        if self.subtheme is not None:
            subtheme = self.subtheme.strip()
            object.__setattr__(self, "subtheme", subtheme or None)
        # Enums arrive as plain strings from forms and storage; coerce so comparisons hold.
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "confidence", Confidence(self.confidence))
        object.__setattr__(self, "status", Status(self.status))

    def statement(self, component: Component) -> str:
        """The statement for one component ("" when not yet stated)."""
        text: str = getattr(self, Component(component).value)
        return text

    def missing(self) -> tuple[Component, ...]:
        """The components with no statement yet, in C, M, O order."""
        return tuple(component for component in Component if not self.statement(component))

    def is_complete(self) -> bool:
        """Whether all of context, mechanism and outcome are stated."""
        return not self.missing()

    def sentence(self) -> str:
        """The configuration as "When C, then O, because M.", leaving out any part not yet stated.

        >>> CMOC("1", "values", context="staff value equity", mechanism="they feel responsible",
        ...      outcome="equity is built into QI.").sentence()
        'When staff value equity, then equity is built into QI, because they feel responsible.'
        >>> CMOC("2", "values", outcome="Gaps widen", mechanism="staff favour equal shares").sentence()
        'Gaps widen, because staff favour equal shares.'
        >>> CMOC("3", "data", mechanism="teams see who is missed").sentence()
        'Because teams see who is missed.'
        """
        context, mechanism, outcome = (_clause(self.statement(c)) for c in Component)
        parts = []
        if context:
            parts.append(f"when {context}")
        if outcome:
            parts.append(f"then {outcome}" if context else outcome)
        if mechanism:
            parts.append(f"because {mechanism}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:] + "."
