"""Use cases for the realist synthesis: clusters, CMOCs, the evidence behind each part, relations.

The synthesis is team work, argued over and never blinded: every reviewer sees and may reword every
CMOC, and each edit keeps the earlier wording with its author and time (``cmoc_edits``). An evidence
link is its author's judgement: only they, or an owner giving a reason, take it back, and a link
taken back stays in the database, marked. The panel role reads all of it (never screening).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.memos import require_removal
from realreview.storage.models import (
    CMOCEditRow,
    CMOCRelationRow,
    CMOCRow,
    DocumentRow,
    EvidenceLinkRow,
    ExcerptRow,
    SynthesisClusterRow,
)
from realreview.synthesis import (
    CMOC,
    Cluster,
    ClusterGroup,
    CMOCEdit,
    Component,
    EvidenceCount,
    EvidenceLink,
    FieldChange,
    ProgrammeTheory,
    Relation,
    RelationKind,
    Role,
    UnknownCMOCError,
    add_relation,
    changed_fields,
    check_placement,
    evidence_counts,
    gaps,
    group_by_cluster,
    label_sort_key,
    snapshot,
)
from realreview.synthesis.history import FIELDS

__all__ = [
    "CMOCPage",
    "EvidenceItem",
    "SynthesisOverview",
    "add_cluster",
    "cmoc_page",
    "link_evidence",
    "relate_cmocs",
    "save_cmoc",
    "synthesis_overview",
    "unlink_evidence",
    "working_theory",
]

WORKING = "working"


def _clusters(session: Session, review_id: int) -> tuple[Cluster, ...]:
    rows = session.scalars(
        select(SynthesisClusterRow)
        .where(SynthesisClusterRow.review_id == review_id)
        .order_by(SynthesisClusterRow.position, SynthesisClusterRow.id)
    )
    return tuple(Cluster(r.key, r.title, r.description, tuple(r.subthemes)) for r in rows)


def _cmoc(row: CMOCRow) -> CMOC:
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


def _cmoc_rows(session: Session, review_id: int) -> list[CMOCRow]:
    rows = list(session.scalars(select(CMOCRow).where(CMOCRow.review_id == review_id)))
    return sorted(rows, key=lambda row: label_sort_key(row.label))


def _cmoc_row(session: Session, review_id: int, label: str) -> CMOCRow:
    row = session.scalar(select(CMOCRow).where(CMOCRow.review_id == review_id, CMOCRow.label == label))
    if row is None:
        raise UnknownCMOCError(f"review {review_id} has no CMOC {label!r}")
    return row


def _relations(session: Session, review_id: int) -> tuple[Relation, ...]:
    rows = session.scalars(
        select(CMOCRelationRow).where(CMOCRelationRow.review_id == review_id).order_by(CMOCRelationRow.id)
    )
    return tuple(Relation(r.source, RelationKind(r.kind), r.target, r.note) for r in rows)


def _links(
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


def _document_of(session: Session, excerpt_ids: Iterable[int]) -> dict[int, int]:
    ids = list(set(excerpt_ids))
    if not ids:
        return {}
    return dict(
        session.execute(select(ExcerptRow.id, ExcerptRow.document_id).where(ExcerptRow.id.in_(ids))).all()
    )


def _domain_links(session: Session, rows: Sequence[tuple[EvidenceLinkRow, str]]) -> tuple[EvidenceLink, ...]:
    documents = _document_of(session, (row.excerpt_id for row, _ in rows))
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


@mutation(Action.SYNTHESISE, audit="cluster.add", entity="cluster")
def add_cluster(
    session: Session,
    ctx: ReviewContext,
    *,
    key: str,
    title: str,
    description: str = "",
    subthemes: Sequence[str] = (),
) -> Cluster:
    """Add a cluster at the end of the review's order, or retitle the one with ``key``."""
    cluster = Cluster(key, title, description, tuple(subthemes))
    row = session.scalar(
        select(SynthesisClusterRow).where(
            SynthesisClusterRow.review_id == ctx.review_id, SynthesisClusterRow.key == key
        )
    )
    if row is None:
        position = len(_clusters(session, ctx.review_id))
        row = SynthesisClusterRow(review_id=ctx.review_id, key=key, position=position, created_by=ctx.actor)
        session.add(row)
    row.title, row.description, row.subthemes = cluster.title, cluster.description, list(cluster.subthemes)
    session.flush()
    audit.note(session, entity_id=row.id, key=key)
    return cluster


@mutation(Action.SYNTHESISE, audit="cmoc.save", entity="cmoc")
def save_cmoc(
    session: Session,
    ctx: ReviewContext,
    *,
    label: str,
    cluster: str,
    context: str = "",
    mechanism: str = "",
    outcome: str = "",
    subtheme: str | None = None,
    direction: str = "unclear",
    confidence: str = "low",
    status: str = "draft",
) -> CMOC:
    """Create CMOC ``label``, or reword it: each changed field is kept with its earlier value.

    Raises:
        CMOCError: a statement, label or value the domain refuses; a cluster the review lacks, or a
            subtheme its cluster lacks.
    """
    cmoc = CMOC(
        label,
        cluster,
        context=context,
        mechanism=mechanism,
        outcome=outcome,
        subtheme=subtheme,
        direction=direction,  # type: ignore[arg-type]
        confidence=confidence,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
    )
    check_placement([cmoc], _clusters(session, ctx.review_id))
    row = session.scalar(select(CMOCRow).where(CMOCRow.review_id == ctx.review_id, CMOCRow.label == label))
    before = None if row is None else _cmoc(row)
    if row is None:
        row = CMOCRow(review_id=ctx.review_id, label=label, created_by=ctx.actor)
        session.add(row)
    changes = _created(cmoc) if before is None else changed_fields(before, cmoc)
    if not changes:
        return cmoc
    row.cluster, row.subtheme = cmoc.cluster, cmoc.subtheme
    row.context, row.mechanism, row.outcome = cmoc.context, cmoc.mechanism, cmoc.outcome
    row.direction, row.confidence, row.status = cmoc.direction.value, cmoc.confidence.value, cmoc.status.value
    session.flush()
    session.add(
        CMOCEditRow(
            cmoc_id=row.id,
            changes=[[change.field, change.old, change.new] for change in changes],
            author=ctx.actor,
        )
    )
    audit.note(session, entity_id=row.id, label=label, fields=[change.field for change in changes])
    return cmoc


def _created(cmoc: CMOC) -> tuple[FieldChange, ...]:
    """A new CMOC's first wording, as changes from nothing (so its history starts with it)."""
    return tuple(
        FieldChange(field, None, str(value.value if hasattr(value, "value") else value))
        for field in FIELDS
        if (value := getattr(cmoc, field)) not in ("", None)
    )


@mutation(Action.SYNTHESISE, audit="evidence.link", entity="evidence_link")
def link_evidence(
    session: Session,
    ctx: ReviewContext,
    *,
    label: str,
    component: str,
    excerpt_id: int,
    role: str = "supports",
    interpretation: str = "",
    answers: Sequence[tuple[str, str]] = (),
) -> EvidenceLink:
    """Use excerpt ``excerpt_id`` as evidence for one component of CMOC ``label``.

    Raises:
        NotFoundError: no such CMOC or excerpt in the review.
        CMOCError: the excerpt already backs that component (its role is one claim), or a prompt
            key that is not one of the prompts.
    """
    cmoc = _cmoc_row(session, ctx.review_id, label)
    excerpt = session.get(ExcerptRow, excerpt_id)
    if excerpt is None or excerpt.review_id != ctx.review_id:
        raise NotFoundError(f"review {ctx.review_id} has no excerpt {excerpt_id}")
    link = EvidenceLink(
        label,
        Component(component),
        excerpt_id,
        excerpt.document_id,
        Role(role),
        interpretation,
        tuple(answers),
    )
    row = session.scalar(
        select(EvidenceLinkRow).where(
            EvidenceLinkRow.cmoc_id == cmoc.id,
            EvidenceLinkRow.component == link.component.value,
            EvidenceLinkRow.excerpt_id == excerpt_id,
        )
    )
    if row is not None and row.removed_at is None:
        raise ValidationError(
            f"excerpt {excerpt_id} is already evidence for the {link.component} of CMOC {label}"
        )
    if row is None:
        row = EvidenceLinkRow(
            review_id=ctx.review_id, cmoc_id=cmoc.id, component=link.component.value, excerpt_id=excerpt_id
        )
        session.add(row)
    row.role, row.interpretation = link.role.value, link.interpretation
    row.answers = [list(pair) for pair in link.answers]
    row.created_by, row.created_at = ctx.actor, dt.datetime.now(dt.UTC)
    row.removed_at = row.removed_by = row.removal_reason = None
    session.flush()
    audit.note(session, entity_id=row.id, cmoc=label, component=link.component.value, excerpt=excerpt_id)
    return link


@mutation(Action.SYNTHESISE, audit="evidence.unlink", entity="evidence_link", entity_id="link_id")
def unlink_evidence(session: Session, ctx: ReviewContext, *, link_id: int, reason: str | None = None) -> None:
    """Take an evidence link back; it stays in the database, marked with who, when and why.

    Raises:
        NotFoundError: no standing link ``link_id`` in the review.
        ForbiddenError: the link is a colleague's and the actor is not an owner.
    """
    row = session.get(EvidenceLinkRow, link_id)
    if row is None or row.review_id != ctx.review_id or row.removed_at is not None:
        raise NotFoundError(f"review {ctx.review_id} has no evidence link {link_id}")
    row.removal_reason = require_removal(
        ctx, author=row.created_by, what=f"evidence link {link_id}", reason=reason
    )
    row.removed_at, row.removed_by = dt.datetime.now(dt.UTC), ctx.actor


@mutation(Action.SYNTHESISE, audit="cmoc.relate", entity="cmoc_relation")
def relate_cmocs(
    session: Session, ctx: ReviewContext, *, source: str, kind: str, target: str, note: str = ""
) -> Relation:
    """Record that CMOC ``source`` refines, contrasts with or depends on CMOC ``target``.

    Raises:
        UnknownCMOCError: either label is not a CMOC of the review.
        RelationError: a CMOC related to itself, or the same claim recorded already.
    """
    relation = Relation(source, RelationKind(kind), target, note)
    labels = {row.label for row in _cmoc_rows(session, ctx.review_id)}
    add_relation(_relations(session, ctx.review_id), relation, labels=labels)
    row = CMOCRelationRow(
        review_id=ctx.review_id,
        source=relation.source,
        kind=relation.kind.value,
        target=relation.target,
        note=relation.note,
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, entity_id=row.id, relation=str(relation))
    return relation


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
    clusters = _clusters(session, ctx.review_id)
    cmocs = [_cmoc(row) for row in _cmoc_rows(session, ctx.review_id)]
    links = _domain_links(session, _links(session, ctx.review_id))
    counts = dict(evidence_counts(links, labels=[c.label for c in cmocs]))
    by_label: dict[str, list[EvidenceLink]] = {}
    for link in links:
        by_label.setdefault(link.cmoc, []).append(link)
    return SynthesisOverview(
        groups=group_by_cluster(cmocs, clusters),
        counts=counts,
        gaps={cmoc.label: gaps(cmoc, by_label.get(cmoc.label, ())) for cmoc in cmocs},
        relations=_relations(session, ctx.review_id),
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
    row = _cmoc_row(session, ctx.review_id, label)
    rows = _links(session, ctx.review_id, cmoc_id=row.id)
    links = _domain_links(session, rows)
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
    cmoc = _cmoc(row)
    relations = tuple(r for r in _relations(session, ctx.review_id) if label in (r.source, r.target))
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
        clusters=_clusters(session, ctx.review_id),
        cmocs=[_cmoc(row) for row in _cmoc_rows(session, ctx.review_id)],
        relations=_relations(session, ctx.review_id),
        links=_domain_links(session, _links(session, ctx.review_id)),
    )
