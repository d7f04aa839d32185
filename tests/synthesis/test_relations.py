"""Relations between CMOCs: directed claims with a note; no self-relation, duplicate or dangling end."""

from __future__ import annotations

import pytest

from realreview.synthesis import (
    Relation,
    RelationError,
    RelationKind,
    UnknownCMOCError,
    add_relation,
    check_relations,
    relations_of,
    remove_relation,
    without_cmoc,
)

LABELS = {"1A", "1B", "2", "3"}


def test_a_relation_reads_as_a_sentence_and_keeps_its_note() -> None:
    relation = Relation("1B", "depends_on", "1A", note="  needs the duty first ")  # type: ignore[arg-type]
    assert relation.kind is RelationKind.DEPENDS_ON
    assert str(relation) == "1B depends on 1A"
    assert relation.note == "needs the duty first"


def test_self_relation_is_refused() -> None:
    with pytest.raises(RelationError, match="itself"):
        Relation("2", RelationKind.REFINES, "2")


def test_add_relation_appends_and_refuses_unknown_cmocs() -> None:
    first = add_relation((), Relation("1B", RelationKind.REFINES, "1A"), labels=LABELS)
    assert len(first) == 1
    with pytest.raises(UnknownCMOCError, match="no CMOC 9"):
        add_relation(first, Relation("1B", RelationKind.REFINES, "9"), labels=LABELS)
    with pytest.raises(UnknownCMOCError, match="no CMOC 0"):
        add_relation(first, Relation("0", RelationKind.REFINES, "1A"), labels=LABELS)


def test_duplicates_are_refused_whatever_the_note() -> None:
    relations = add_relation((), Relation("1B", RelationKind.REFINES, "1A", note="a"), labels=LABELS)
    with pytest.raises(RelationError, match="already recorded"):
        add_relation(relations, Relation("1B", RelationKind.REFINES, "1A", note="b"), labels=LABELS)


def test_direction_matters_except_for_contrast() -> None:
    relations = check_relations(
        [Relation("1B", RelationKind.REFINES, "1A"), Relation("1A", RelationKind.REFINES, "1B")],
        labels=LABELS,
    )
    assert len(relations) == 2
    contrast = add_relation((), Relation("2", RelationKind.CONTRASTS_WITH, "3"), labels=LABELS)
    with pytest.raises(RelationError):
        add_relation(contrast, Relation("3", RelationKind.CONTRASTS_WITH, "2"), labels=LABELS)
    # a different kind between the same two CMOCs is a different claim
    assert len(add_relation(contrast, Relation("3", RelationKind.DEPENDS_ON, "2"), labels=LABELS)) == 2


def test_remove_relation_matches_by_claim() -> None:
    relations = (Relation("2", RelationKind.CONTRASTS_WITH, "3", note="x"), Relation("1B", "refines", "1A"))  # type: ignore[arg-type]
    assert remove_relation(relations, Relation("3", RelationKind.CONTRASTS_WITH, "2")) == relations[1:]
    with pytest.raises(UnknownCMOCError, match="not recorded"):
        remove_relation(relations, Relation("1A", RelationKind.REFINES, "1B"))


def test_deleting_a_cmoc_drops_its_relations() -> None:
    relations = (
        Relation("1B", RelationKind.REFINES, "1A"),
        Relation("2", RelationKind.DEPENDS_ON, "1B"),
        Relation("2", RelationKind.CONTRASTS_WITH, "3"),
    )
    assert without_cmoc(relations, "1B") == (relations[2],)
    assert relations_of("1B", relations) == relations[:2]
