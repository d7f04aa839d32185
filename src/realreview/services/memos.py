"""Use cases for memos and appraisals: what reviewers think about codes, documents and excerpts.

A memo is never overwritten: an edit adds a new row that supersedes the old one, so every earlier
wording stays in the database. An appraisal is append-only too; a reviewer's latest judgement on a
target is the one in force. What is shown of other people's memos and appraisals goes through the
blinding rule (:meth:`ReviewContext.sees`), which does not blind them today.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Work
from realreview.coding.notes import APPRAISED, Appraisal, Judgement, Memo, MemoTarget, parse_judgement
from realreview.errors import NotFoundError, ValidationError
from realreview.names import clean_name
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage.models import AppraisalRow, CodeRow, DocumentRow, ExcerptRow, MemoRow

__all__ = [
    "Appraisal",
    "Judgement",
    "Memo",
    "MemoTarget",
    "add_memo",
    "appraisals_of",
    "appraise",
    "edit_memo",
    "memos_of",
]

_TARGET_ROWS: dict[MemoTarget, type[CodeRow] | type[DocumentRow] | type[ExcerptRow]] = {
    MemoTarget.CODE: CodeRow,
    MemoTarget.DOCUMENT: DocumentRow,
    MemoTarget.EXCERPT: ExcerptRow,
}


def _check_target(session: Session, *, review_id: int, kind: MemoTarget, target_id: int | None) -> None:
    if kind is MemoTarget.REVIEW:
        if target_id not in (None, review_id):
            raise ValidationError("a review memo belongs to the review itself")
        return
    row: CodeRow | DocumentRow | ExcerptRow | None = (
        session.get(_TARGET_ROWS[kind], target_id) if target_id is not None else None  # type: ignore[assignment]
    )
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"no {kind.value} {target_id} in review {review_id}")


def _memo(row: MemoRow, versions: int = 1) -> Memo:
    return Memo(
        id=row.id,
        guid=row.guid,
        target_kind=MemoTarget(row.target_kind),
        target_id=row.target_id,
        title=row.title,
        text=row.text,
        created_by=row.created_by,
        created_at=row.created_at,
        versions=versions,
    )


def _title(title: str | None) -> str | None:
    if title is None or not title.strip():
        return None
    try:
        return clean_name(title, what="memo title")
    except ValueError as error:
        raise ValidationError(str(error)) from None


@mutation(Action.COMMENT, audit="memo.add", entity="memo")
def add_memo(
    session: Session,
    ctx: ReviewContext,
    *,
    target_kind: MemoTarget,
    target_id: int | None,
    text: str,
    title: str | None = None,
    guid: str | None = None,
) -> Memo:
    """Write a memo on a code, a document, an excerpt or the review (``target_id`` ``None``)."""
    review_id = ctx.review_id
    kind = MemoTarget(target_kind)
    _check_target(session, review_id=review_id, kind=kind, target_id=target_id)
    if not text.strip():
        raise ValidationError("a memo needs some text")
    row = MemoRow(
        review_id=review_id,
        guid=guid or str(uuid.uuid4()),
        target_kind=kind.value,
        target_id=review_id if kind is MemoTarget.REVIEW else target_id,
        title=_title(title),
        text=text,
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, target=kind.value, target_id=row.target_id)
    return _memo(row)


@mutation(Action.COMMENT, audit="memo.edit", entity="memo")
def edit_memo(session: Session, ctx: ReviewContext, *, memo_id: int, text: str) -> Memo:
    """Give a memo new wording: a new row supersedes the current one, which is kept."""
    current = session.get(MemoRow, memo_id)
    if current is None or current.review_id != ctx.review_id:
        raise NotFoundError(f"no memo {memo_id} in review {ctx.review_id}")
    newer = session.scalar(select(MemoRow.id).where(MemoRow.supersedes == memo_id))
    if newer is not None:
        raise ValidationError(f"memo {memo_id} was already edited (now memo {newer}); edit that one")
    if not text.strip():
        raise ValidationError("a memo needs some text")
    row = MemoRow(
        review_id=ctx.review_id,
        guid=current.guid,
        target_kind=current.target_kind,
        target_id=current.target_id,
        title=current.title,
        text=text,
        supersedes=current.id,
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, supersedes=current.id)
    return _memo(row, _versions(session, row))


def _versions(session: Session, row: MemoRow) -> int:
    count, at = 1, row
    while at.supersedes is not None:
        previous = session.get(MemoRow, at.supersedes)
        if previous is None:
            break
        count, at = count + 1, previous
    return count


@reads(Action.READ_FULL_TEXTS)
def memos_of(
    session: Session,
    ctx: ReviewContext,
    *,
    target_kind: MemoTarget | None = None,
    target_id: int | None = None,
) -> list[Memo]:
    """The current memos (latest wordings) of one target, or of the whole review when no kind is given."""
    query = select(MemoRow).where(MemoRow.review_id == ctx.review_id).order_by(MemoRow.id)
    if target_kind is not None:
        query = query.where(MemoRow.target_kind == MemoTarget(target_kind).value)
        if target_id is not None:
            query = query.where(MemoRow.target_id == target_id)
    rows = list(session.scalars(query))
    superseded = {row.supersedes for row in rows if row.supersedes is not None}
    return [
        _memo(row, _versions(session, row))
        for row in rows
        if row.id not in superseded and ctx.sees(row.created_by, work=Work.MEMO)
    ]


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
    _check_target(session, review_id=ctx.review_id, kind=kind, target_id=target_id)
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
    )


@reads(Action.READ_FULL_TEXTS)
def appraisals_of(
    session: Session, ctx: ReviewContext, *, target_kind: MemoTarget, target_id: int
) -> list[Appraisal]:
    """Each reviewer's latest appraisal of one document or excerpt."""
    rows = session.scalars(
        select(AppraisalRow)
        .where(
            AppraisalRow.review_id == ctx.review_id,
            AppraisalRow.target_kind == MemoTarget(target_kind).value,
            AppraisalRow.target_id == target_id,
        )
        .order_by(AppraisalRow.id)
    )
    latest = {row.reviewer: row for row in rows if ctx.sees(row.reviewer, work=Work.APPRAISAL)}
    return [_appraisal(row) for row in latest.values()]
