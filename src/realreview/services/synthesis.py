"""Use cases for the realist synthesis: clusters, CMOCs, the evidence behind each part, relations.

The synthesis is team work, argued over and never blinded: every reviewer sees and may reword every
CMOC, and each edit keeps the earlier wording with its author and time (``cmoc_edits``). An evidence
link is its author's judgement: only they, or an owner giving a reason, take it back, and a link
taken back stays in the database, marked. The panel role reads all of it (never screening).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation
from realreview.services.context import ReviewContext
from realreview.services.memos import require_removal
from realreview.services.synthesis_rows import clusters_of, cmoc_of, cmoc_row, cmoc_rows, relations_of
from realreview.storage.models import (
    CMOCEditRow,
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
    FieldChange,
    Relation,
    RelationKind,
    Role,
    add_relation,
    changed_fields,
    check_placement,
)
from realreview.synthesis.history import FIELDS

__all__ = ["add_cluster", "link_evidence", "relate_cmocs", "save_cmoc", "unlink_evidence"]


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
        position = len(clusters_of(session, ctx.review_id))
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
    check_placement([cmoc], clusters_of(session, ctx.review_id))
    row = session.scalar(select(CMOCRow).where(CMOCRow.review_id == ctx.review_id, CMOCRow.label == label))
    before = None if row is None else cmoc_of(row)
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
    cmoc = cmoc_row(session, ctx.review_id, label)
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
    labels = {row.label for row in cmoc_rows(session, ctx.review_id)}
    add_relation(relations_of(session, ctx.review_id), relation, labels=labels)
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
