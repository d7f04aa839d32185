"""A small programme theory shaped like the worked example's (clusters of CMOCs), in invented words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from realreview.synthesis import (
    CMOC,
    Cluster,
    Direction,
    EvidenceLink,
    ProgrammeTheory,
    Relation,
    RelationKind,
    snapshot,
)

WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def clusters() -> tuple[Cluster, ...]:
    return (
        Cluster("values", "Values and understanding", subthemes=("Moral purpose", "Equity or equality")),
        Cluster("resources", "Resources"),
        Cluster("design", "Design", description="How projects are shaped", subthemes=("Co-design",)),
    )


def cmocs() -> tuple[CMOC, ...]:
    return (
        CMOC(
            "1A",
            "values",
            subtheme="Moral purpose",
            context="staff see unequal outcomes as unjust",
            mechanism="they feel a duty to act",
            outcome="projects set equity goals",
            direction=Direction.REDUCES,
        ),
        CMOC("2", "values", subtheme="Equity or equality", context="staff prefer equal shares"),
        CMOC("5", "resources", outcome="small teams drop equity work", direction=Direction.WORSENS),
        CMOC("7A", "design", subtheme="Co-design", mechanism="patients feel heard"),
    )


def links() -> tuple[EvidenceLink, ...]:
    return (
        EvidenceLink("1A", "context", excerpt_id=1, document_id=10),
        EvidenceLink("1A", "mechanism", excerpt_id=2, document_id=11),
        EvidenceLink("1A", "outcome", excerpt_id=2, document_id=11),
        EvidenceLink("1A", "outcome", excerpt_id=3, document_id=12, role="contradicts"),
        EvidenceLink("5", "outcome", excerpt_id=4, document_id=10, role="refines"),
    )


def theory(name: str = "initial", **changes: object) -> ProgrammeTheory:
    parts: dict[str, object] = {
        "clusters": clusters(),
        "cmocs": cmocs(),
        "relations": (Relation("2", RelationKind.CONTRASTS_WITH, "1A", note="equality versus equity"),),
        "links": links(),
    }
    parts.update(changes)
    return snapshot(name, note="", created_by="lj", created_at=WHEN, **parts)  # type: ignore[arg-type]


@pytest.fixture
def initial() -> ProgrammeTheory:
    return theory()
