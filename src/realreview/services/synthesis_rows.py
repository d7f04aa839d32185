"""The synthesis tables read as domain objects: shared by the synthesis services that write and read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.storage.models import (
    CMOCRelationRow,
    CMOCRow,
    EvidenceLinkRow,
    ExcerptRow,
    SynthesisClusterRow,
)
from realreview.synthesis import (
    CMOC,
    Cluster,
    Component,
    EvidenceLink,
    Relation,
    RelationKind,
    UnknownCMOCError,
    label_sort_key,
)

__all__ = [
    "WORKING",
    "clusters_of",
    "cmoc_of",
    "cmoc_row",
    "cmoc_rows",
    "documents_of",
    "domain_links",
    "links_of",
    "relations_of",
]

WORKING = "working"


def clusters_of(session: Session, review_id: int) -> tuple[Cluster, ...]:
    """The review's clusters in their order."""
    rows = session.scalars(
        select(SynthesisClusterRow)
        .where(SynthesisClusterRow.review_id == review_id)
        .order_by(SynthesisClusterRow.position, SynthesisClusterRow.id)
    )
    return tuple(Cluster(r.key, r.title, r.description, tuple(r.subthemes)) for r in rows)


def cmoc_of(row: CMOCRow) -> CMOC:
    """The stored CMOC as the domain's CMOC."""
    return CMOC(
        row.label,
        row.cluster,
        context=row.context,
        mechanism=row.mechanism,
        outcome=row.outcome,
        subtheme=row.subtheme,
        direction=row.direction,  # type: ignore[arg-type]
        confidence=row.confidence,  # type: ignore[arg-type]
        status=row.status,  # type: ignore[arg-type]
    )


def cmoc_rows(session: Session, review_id: int) -> list[CMOCRow]:
    """The review's CMOC rows, by label as a reader sorts them."""
    rows = list(session.scalars(select(CMOCRow).where(CMOCRow.review_id == review_id)))
    return sorted(rows, key=lambda row: label_sort_key(row.label))


def cmoc_row(session: Session, review_id: int, label: str) -> CMOCRow:
    """The row of CMOC ``label``; :class:`UnknownCMOCError` when the review has none."""
    row = session.scalar(select(CMOCRow).where(CMOCRow.review_id == review_id, CMOCRow.label == label))
    if row is None:
        raise UnknownCMOCError(f"review {review_id} has no CMOC {label!r}")
    return row


def relations_of(session: Session, review_id: int) -> tuple[Relation, ...]:
    """The recorded relations, oldest first."""
    rows = session.scalars(
        select(CMOCRelationRow).where(CMOCRelationRow.review_id == review_id).order_by(CMOCRelationRow.id)
    )
    return tuple(Relation(r.source, RelationKind(r.kind), r.target, r.note) for r in rows)


def links_of(
    session: Session, review_id: int, *, cmoc_id: int | None = None
) -> list[tuple[EvidenceLinkRow, str]]:
    """Standing links with their CMOC's label, in the order they were made."""
    query = (
        select(EvidenceLinkRow, CMOCRow.label)
        .join(CMOCRow, CMOCRow.id == EvidenceLinkRow.cmoc_id)
        .where(EvidenceLinkRow.review_id == review_id, EvidenceLinkRow.removed_at.is_(None))
        .order_by(EvidenceLinkRow.id)
    )
    if cmoc_id is not None:
        query = query.where(EvidenceLinkRow.cmoc_id == cmoc_id)
    return [(row, label) for row, label in session.execute(query)]


def documents_of(session: Session, excerpt_ids: Iterable[int]) -> dict[int, int]:
    """The document of each excerpt."""
    ids = list(set(excerpt_ids))
    if not ids:
        return {}
    return dict(
        session.execute(select(ExcerptRow.id, ExcerptRow.document_id).where(ExcerptRow.id.in_(ids))).all()
    )


def domain_links(session: Session, rows: Sequence[tuple[EvidenceLinkRow, str]]) -> tuple[EvidenceLink, ...]:
    """The standing links of :func:`links_of` as the domain's evidence links, with their documents."""
    documents = documents_of(session, (row.excerpt_id for row, _ in rows))
    return tuple(
        EvidenceLink(
            label,
            Component(row.component),
            row.excerpt_id,
            documents.get(row.excerpt_id, 0),
            role=row.role,  # type: ignore[arg-type]
            interpretation=row.interpretation,
            answers=tuple((key, text) for key, text in row.answers),
        )
        for row, label in rows
    )
