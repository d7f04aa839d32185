"""Relations the reviewers record between CMOCs: one refines, contrasts with or depends on another.

They are the arrows of the programme theory's diagram, so each is a deliberate claim with a note on
why, not something inferred. A relation is directed (``source`` → ``target``), except that
"contrasts with" reads both ways, so recording it again the other way round is a duplicate.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from realreview.synthesis.cmoc import CMOCError, UnknownCMOCError

__all__ = [
    "Relation",
    "RelationError",
    "RelationKind",
    "add_relation",
    "check_relations",
    "relations_of",
    "remove_relation",
    "without_cmoc",
]


class RelationError(CMOCError):
    """A relation that cannot be recorded: a CMOC related to itself, or one already recorded."""


class RelationKind(StrEnum):
    """What a relation claims; ``label`` is how a sentence reads it ("4 depends on 3")."""

    REFINES = "refines"
    CONTRASTS_WITH = "contrasts_with"
    DEPENDS_ON = "depends_on"

    @property
    def label(self) -> str:
        """The kind as words (``contrasts with``)."""
        return self.value.replace("_", " ")

    @property
    def is_symmetric(self) -> bool:
        """Whether A → B says the same as B → A."""
        return self is RelationKind.CONTRASTS_WITH


@dataclass(frozen=True)
class Relation:
    """``source`` relates to ``target`` by ``kind``; the note says why the reviewers think so.

    >>> str(Relation("1B", RelationKind.REFINES, "1A"))
    '1B refines 1A'
    """

    source: str
    kind: RelationKind
    target: str
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RelationKind(self.kind))
        object.__setattr__(self, "note", self.note.strip())
        if self.source == self.target:
            raise RelationError(f"CMOC {self.source} cannot be related to itself ({self.kind.label})")

    def __str__(self) -> str:
        return f"{self.source} {self.kind.label} {self.target}"

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two relations the same claim; the note is not part of it."""
        if self.kind.is_symmetric:
            low, high = sorted((self.source, self.target))
            return low, self.kind.value, high
        return self.source, self.kind.value, self.target


def _check_known(relation: Relation, labels: Collection[str]) -> None:
    for label in (relation.source, relation.target):
        if label not in labels:
            raise UnknownCMOCError(f"cannot record '{relation}': there is no CMOC {label}")


def add_relation(
    relations: Iterable[Relation], relation: Relation, *, labels: Collection[str]
) -> tuple[Relation, ...]:
    """The relations with ``relation`` appended, once its CMOCs exist and it is not already recorded.

    Raises:
        UnknownCMOCError: the source or the target is not among ``labels``.
        RelationError: the same claim is already recorded (for "contrasts with", either way round).
    """
    relations = tuple(relations)
    _check_known(relation, labels)
    if any(existing.key == relation.key for existing in relations):
        raise RelationError(f"'{relation}' is already recorded")
    return (*relations, relation)


def check_relations(relations: Iterable[Relation], *, labels: Collection[str]) -> tuple[Relation, ...]:
    """Check a whole set at once (a snapshot, an import), returning it as a tuple."""
    checked: tuple[Relation, ...] = ()
    for relation in relations:
        checked = add_relation(checked, relation, labels=labels)
    return checked


def remove_relation(relations: Iterable[Relation], relation: Relation) -> tuple[Relation, ...]:
    """The relations without ``relation`` (matched by claim, not note); refuses one not recorded."""
    relations = tuple(relations)
    kept = tuple(existing for existing in relations if existing.key != relation.key)
    if len(kept) == len(relations):
        raise UnknownCMOCError(f"'{relation}' is not recorded")
    return kept


def without_cmoc(relations: Iterable[Relation], label: str) -> tuple[Relation, ...]:
    """The relations that survive deleting CMOC ``label``: those not touching it."""
    return tuple(r for r in relations if label not in (r.source, r.target))


def relations_of(label: str, relations: Iterable[Relation]) -> tuple[Relation, ...]:
    """Every relation in which CMOC ``label`` takes part, either end.

    >>> rels = [Relation("2", "depends_on", "1"), Relation("3", "refines", "4")]
    >>> [str(r) for r in relations_of("1", rels)]
    ['2 depends on 1']
    """
    return tuple(r for r in relations if label in (r.source, r.target))
