"""Reading the synthesis: the overview of clusters and CMOCs, one CMOC with its evidence, the working theory.

The synthesis is team work and never blinded; the panel reads all of it (``VIEW_SYNTHESIS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.synthesis_rows import (
    WORKING,
    clusters_of,
    cmoc_of,
    cmoc_row,
    cmoc_rows,
    domain_links,
    links_of,
    relations_of,
)
from realreview.storage.models import (
    CMOCEditRow,
    DocumentRow,
    ExcerptRow,
)
from realreview.synthesis import (
    CMOC,
    ClusterGroup,
    CMOCEdit,
    Component,
    EvidenceCount,
    EvidenceLink,
    FieldChange,
    ProgrammeTheory,
    Relation,
    evidence_counts,
    gaps,
    group_by_cluster,
    snapshot,
)

__all__ = [
    "WORKING",
    "CMOCPage",
    "EvidenceItem",
    "SynthesisOverview",
    "cmoc_page",
    "synthesis_overview",
    "working_theory",
]


@dataclass(frozen=True, slots=True)
class SynthesisOverview:
    """Clusters and CMOCs at a glance: each CMOC's evidence count and the components lacking evidence."""

    groups: tuple[ClusterGroup, ...]
    counts: dict[str, EvidenceCount]
    gaps: dict[str, tuple[Component, ...]]
    relations: tuple[Relation, ...]


@reads(Action.VIEW_SYNTHESIS)
def synthesis_overview(session: Session, ctx: ReviewContext) -> SynthesisOverview:
    """The working synthesis, cluster by cluster."""
    clusters = clusters_of(session, ctx.review_id)
    cmocs = [cmoc_of(row) for row in cmoc_rows(session, ctx.review_id)]
    links = domain_links(session, links_of(session, ctx.review_id))
    counts = dict(evidence_counts(links, labels=[c.label for c in cmocs]))
    by_label: dict[str, list[EvidenceLink]] = {}
    for link in links:
        by_label.setdefault(link.cmoc, []).append(link)
    return SynthesisOverview(
        groups=group_by_cluster(cmocs, clusters),
        counts=counts,
        gaps={cmoc.label: gaps(cmoc, by_label.get(cmoc.label, ())) for cmoc in cmocs},
        relations=relations_of(session, ctx.review_id),
    )


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One standing link with what a reader needs: the excerpt's text, its document and page, who linked it."""

    id: int
    link: EvidenceLink
    text: str
    document: str
    page: int | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CMOCPage:
    """A CMOC with every excerpt behind it (per component), its gaps, relations and its history."""

    cmoc: CMOC
    evidence: tuple[EvidenceItem, ...]
    gaps: tuple[Component, ...]
    relations: tuple[Relation, ...]
    history: tuple[CMOCEdit, ...]

    def documents(self) -> tuple[str, ...]:
        """The documents behind the CMOC, each once, in the order first linked."""
        return tuple(dict.fromkeys(item.document for item in self.evidence))


@reads(Action.VIEW_SYNTHESIS)
def cmoc_page(session: Session, ctx: ReviewContext, *, label: str) -> CMOCPage:
    """CMOC ``label`` and the passages it rests on.

    Raises:
        UnknownCMOCError: no CMOC ``label`` in the review.
    """
    row = cmoc_row(session, ctx.review_id, label)
    rows = links_of(session, ctx.review_id, cmoc_id=row.id)
    links = domain_links(session, rows)
    excerpts = {
        excerpt.id: (excerpt, name)
        for excerpt, name in session.execute(
            select(ExcerptRow, DocumentRow.name)
            .join(DocumentRow, DocumentRow.id == ExcerptRow.document_id)
            .where(ExcerptRow.id.in_([r.excerpt_id for r, _ in rows] or [-1]))
        )
    }
    evidence = tuple(
        EvidenceItem(
            r.id,
            link,
            excerpts[r.excerpt_id][0].text,
            excerpts[r.excerpt_id][1],
            excerpts[r.excerpt_id][0].page,
            r.created_by,
            r.created_at,
        )
        for (r, _), link in zip(rows, links, strict=True)
    )
    edits = session.scalars(select(CMOCEditRow).where(CMOCEditRow.cmoc_id == row.id).order_by(CMOCEditRow.id))
    history = tuple(
        CMOCEdit(
            label, tuple(FieldChange(str(f), old, new) for f, old, new in edit.changes), edit.author, edit.at
        )
        for edit in edits
    )
    cmoc = cmoc_of(row)
    relations = tuple(r for r in relations_of(session, ctx.review_id) if label in (r.source, r.target))
    return CMOCPage(cmoc, evidence, gaps(cmoc, links), relations, history)


def working_theory(
    session: Session, ctx: ReviewContext, *, name: str = WORKING, note: str = ""
) -> ProgrammeTheory:
    """The synthesis as it stands, frozen as a :class:`ProgrammeTheory` named ``name`` (internal)."""
    ctx.require(Action.VIEW_SYNTHESIS)
    return snapshot(
        name,
        note=note,
        created_by=ctx.actor,
        created_at=dt.datetime.now(dt.UTC),
        clusters=clusters_of(session, ctx.review_id),
        cmocs=[cmoc_of(row) for row in cmoc_rows(session, ctx.review_id)],
        relations=relations_of(session, ctx.review_id),
        links=domain_links(session, links_of(session, ctx.review_id)),
    )
