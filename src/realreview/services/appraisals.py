"""Use cases for relevance and rigour appraisals (RAMESES) of documents and excerpts.

An appraisal is append-only: a reviewer's latest judgement on a target is the one in force. Each is
an independent judgement, blinded like screening (:meth:`ReviewContext.sees` with
``Work.APPRAISAL``): while the review is blinded, a reviewer or viewer sees only their own appraisal
of a target, and nothing (no row, no count) of a colleague's; the owner sees every one. Colleagues'
appraisals become visible to every member when the owner turns blinding off in the review's setup,
the same moment screening calls do, so that nobody is anchored by another's judgement before giving
their own.

Only its author changes an appraisal (by appraising again). Its author, or an owner with a reason,
removes it: every one of that reviewer's judgements on the target is marked removed (who, when,
why) and stays in the database; the reviewer may appraise again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Work
from realreview.coding.notes import APPRAISED, Appraisal, Judgement, MemoTarget, parse_judgement
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.memos import check_target, require_removal
from realreview.storage.models import AppraisalRow

__all__ = ["Appraisal", "Judgement", "appraisals_of", "appraise", "remove_appraisal"]


@mutation(Action.APPRAISE, audit="appraisal.add", entity="appraisal")
def appraise(
    session: Session,
    ctx: ReviewContext,
    *,
    target_kind: MemoTarget,
    target_id: int,
    relevance: str | None,
    rigour: str | None,
    relevance_rationale: str | None = None,
    rigour_rationale: str | None = None,
) -> Appraisal:
    """Record the actor's relevance and rigour judgement (with rationale) on a document or an excerpt."""
    kind = MemoTarget(target_kind)
    if kind not in APPRAISED:
        raise ValidationError(f"a {kind.value} is not appraised; appraise a document or an excerpt")
    check_target(session, review_id=ctx.review_id, kind=kind, target_id=target_id)
    try:
        relevance_value = parse_judgement(relevance, what="relevance")
        rigour_value = parse_judgement(rigour, what="rigour")
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if relevance_value is None and rigour_value is None:
        raise ValidationError("an appraisal needs a relevance or a rigour judgement")
    row = AppraisalRow(
        review_id=ctx.review_id,
        target_kind=kind.value,
        target_id=target_id,
        reviewer=ctx.actor,
        relevance=relevance_value.value if relevance_value else None,
        relevance_rationale=(relevance_rationale or "").strip() or None,
        rigour=rigour_value.value if rigour_value else None,
        rigour_rationale=(rigour_rationale or "").strip() or None,
    )
    session.add(row)
    session.flush()
    audit.note(
        session,
        entity_id=row.id,
        target=kind.value,
        target_id=target_id,
        relevance=row.relevance,
        rigour=row.rigour,
    )
    return _appraisal(row)


def _appraisal(row: AppraisalRow) -> Appraisal:
    return Appraisal(
        target_kind=MemoTarget(row.target_kind),
        target_id=row.target_id,
        reviewer=row.reviewer,
        relevance=Judgement(row.relevance) if row.relevance else None,
        relevance_rationale=row.relevance_rationale,
        rigour=Judgement(row.rigour) if row.rigour else None,
        rigour_rationale=row.rigour_rationale,
        at=row.at,
        id=row.id,
    )


def _active(session: Session, ctx: ReviewContext, *, target_kind: str, target_id: int) -> list[AppraisalRow]:
    return list(
        session.scalars(
            select(AppraisalRow)
            .where(
                AppraisalRow.review_id == ctx.review_id,
                AppraisalRow.target_kind == target_kind,
                AppraisalRow.target_id == target_id,
                AppraisalRow.removed_at.is_(None),
            )
            .order_by(AppraisalRow.id)
        )
    )


@reads(Action.READ_FULL_TEXTS)
def appraisals_of(
    session: Session, ctx: ReviewContext, *, target_kind: MemoTarget, target_id: int
) -> list[Appraisal]:
    """Each reviewer's latest appraisal of one document or excerpt, of those the actor may see."""
    rows = _active(session, ctx, target_kind=MemoTarget(target_kind).value, target_id=target_id)
    latest = {row.reviewer: row for row in rows if ctx.sees(row.reviewer, work=Work.APPRAISAL)}
    return [_appraisal(row) for row in latest.values()]


@mutation(Action.APPRAISE, audit="appraisal.remove", entity="appraisal", entity_id="appraisal_id")
def remove_appraisal(
    session: Session,
    ctx: ReviewContext,
    *,
    appraisal_id: int,
    reason: str | None = None,
    target_kind: MemoTarget | None = None,
    target_id: int | None = None,
) -> Appraisal:
    """Remove a reviewer's appraisal of a target (``appraisal_id`` is any of their judgements on it).

    Its author may; an owner may remove anyone's, saying why. A colleague's appraisal that blinding
    hides is not found, exactly like one that does not exist. ``target_kind``/``target_id`` are the
    target the caller reached it through (a URL's); one on another target is not found either.
    """
    row = session.get(AppraisalRow, appraisal_id)
    if (
        row is None
        or row.review_id != ctx.review_id
        or not ctx.sees(row.reviewer, work=Work.APPRAISAL)
        or (target_kind is not None and row.target_kind != MemoTarget(target_kind).value)
        or (target_id is not None and row.target_id != target_id)
    ):
        raise NotFoundError(f"no appraisal {appraisal_id} in review {ctx.review_id}")
    why = require_removal(ctx, author=row.reviewer, what=f"appraisal {appraisal_id}", reason=reason)
    rows = [
        active
        for active in _active(session, ctx, target_kind=row.target_kind, target_id=row.target_id)
        if active.reviewer == row.reviewer
    ]
    if not rows:
        raise ValidationError(f"appraisal {appraisal_id} was removed already")
    now = dt.datetime.now(dt.UTC)
    for active in rows:
        active.removed_at, active.removed_by, active.removal_reason = now, ctx.actor, why
    audit.note(session, reviewer=row.reviewer, reason=why, target=row.target_kind, target_id=row.target_id)
    return _appraisal(rows[-1])
