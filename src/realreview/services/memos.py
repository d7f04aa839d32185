"""Use cases for memos: what reviewers think about the review, codes, documents and excerpts.

A memo is never overwritten: an edit adds a new row that supersedes the old one, so every earlier
wording stays in the database and :func:`memo_versions` reads them back with author and time. A memo
belongs to its author (who wrote its first wording): only they reword it, and they or an owner remove
it. A removal marks the current wording (who, when, why; an owner removing a colleague's memo must say
why) and keeps every wording readable. Memos are team work, never blinded.

Each call that names a memo also names the target it was reached through (the URL's
``/documents/5/memos/12``); a memo on another target is not found there, so a form posted to one
target's URL can never change a memo on another.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Work
from realreview.coding.notes import Memo, MemoTarget, MemoVersion, Removal
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.names import clean_name
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage.models import CodeRow, DocumentRow, ExcerptRow, MemoRow

__all__ = [
    "Memo",
    "MemoTarget",
    "MemoVersion",
    "add_memo",
    "check_target",
    "edit_memo",
    "memo_versions",
    "memos_of",
    "remove_memo",
    "removed_memos",
    "require_removal",
]

_TARGET_ROWS: dict[MemoTarget, type[CodeRow] | type[DocumentRow] | type[ExcerptRow]] = {
    MemoTarget.CODE: CodeRow,
    MemoTarget.DOCUMENT: DocumentRow,
    MemoTarget.EXCERPT: ExcerptRow,
}


def check_target(session: Session, *, review_id: int, kind: MemoTarget, target_id: int | None) -> None:
    """Refuse a target that is not in the review (internal; appraisals share it)."""
    if kind is MemoTarget.REVIEW:
        if target_id not in (None, review_id):
            raise ValidationError("a review memo belongs to the review itself")
        return
    row: CodeRow | DocumentRow | ExcerptRow | None = (
        session.get(_TARGET_ROWS[kind], target_id) if target_id is not None else None  # type: ignore[assignment]
    )
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"no {kind.value} {target_id} in review {review_id}")


def require_removal(ctx: ReviewContext, *, author: str, what: str, reason: str | None) -> str | None:
    """Let the author remove their own work, or an owner anyone's with a reason; the reason, trimmed.

    Raises:
        ForbiddenError: the actor is neither the author nor allowed to remove a colleague's work.
        ValidationError: an owner removing a colleague's work gave no reason.
    """
    reason = (reason or "").strip() or None
    if author == ctx.actor:
        return reason
    if not ctx.can(Action.REMOVE_OTHERS_WORK):
        raise ForbiddenError(f"{what} is {author}'s: only its author or an owner may remove it")
    if reason is None:
        raise ValidationError(f"{what} is {author}'s: say why you remove it")
    return reason


def _removal(row: MemoRow) -> Removal | None:
    if row.removed_at is None:
        return None
    return Removal(row.removed_by or "", row.removed_at, row.removal_reason)


def _chain(session: Session, row: MemoRow) -> list[MemoRow]:
    """Every wording of the memo ``row`` is one of, oldest first (its supersedes links, both ways)."""
    chain = [row]
    while chain[0].supersedes is not None:
        previous = session.get(MemoRow, chain[0].supersedes)
        if previous is None:
            break
        chain.insert(0, previous)
    while (newer := session.scalar(select(MemoRow).where(MemoRow.supersedes == chain[-1].id))) is not None:
        chain.append(newer)
    return chain


def _memo(row: MemoRow, chain: list[MemoRow]) -> Memo:
    return Memo(
        id=row.id,
        guid=row.guid,
        target_kind=MemoTarget(row.target_kind),
        target_id=row.target_id,
        title=row.title,
        text=row.text,
        created_by=row.created_by,
        created_at=row.created_at,
        versions=len(chain),
        author=chain[0].created_by,
        removal=_removal(row),
    )


def _title(title: str | None) -> str | None:
    if title is None or not title.strip():
        return None
    try:
        return clean_name(title, what="memo title")
    except ValueError as error:
        raise ValidationError(str(error)) from None


def _target_id(ctx: ReviewContext, kind: MemoTarget, target_id: int | None) -> int | None:
    return ctx.review_id if kind is MemoTarget.REVIEW else target_id


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
    check_target(session, review_id=review_id, kind=kind, target_id=target_id)
    if not text.strip():
        raise ValidationError("a memo needs some text")
    row = MemoRow(
        review_id=review_id,
        guid=guid or str(uuid.uuid4()),
        target_kind=kind.value,
        target_id=_target_id(ctx, kind, target_id),
        title=_title(title),
        text=text,
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, target=kind.value, target_id=row.target_id)
    return _memo(row, [row])


def _memo_row(
    session: Session,
    ctx: ReviewContext,
    *,
    memo_id: int,
    target_kind: MemoTarget | None,
    target_id: int | None,
) -> MemoRow:
    """The memo ``memo_id`` of the review, on the target the caller named (when it named one)."""
    row = session.get(MemoRow, memo_id)
    missing = NotFoundError(f"no memo {memo_id} in review {ctx.review_id}")
    if row is None or row.review_id != ctx.review_id:
        raise missing
    if target_kind is not None:
        kind = MemoTarget(target_kind)
        if row.target_kind != kind.value or row.target_id != _target_id(ctx, kind, target_id):
            shown = kind.value if kind is MemoTarget.REVIEW else f"{kind.value} {target_id}"
            raise NotFoundError(f"no memo {memo_id} on {shown}")
    return row


def _current(session: Session, row: MemoRow, *, doing: str) -> None:
    newer = session.scalar(select(MemoRow.id).where(MemoRow.supersedes == row.id))
    if newer is not None:
        raise ValidationError(f"memo {row.id} was already edited (now memo {newer}); {doing} that one")
    if row.removed_at is not None:
        raise ValidationError(f"memo {row.id} was removed by {row.removed_by}")


@mutation(Action.COMMENT, audit="memo.edit", entity="memo")
def edit_memo(
    session: Session,
    ctx: ReviewContext,
    *,
    memo_id: int,
    text: str,
    target_kind: MemoTarget | None = None,
    target_id: int | None = None,
) -> Memo:
    """Give one's own memo new wording: a new row supersedes the current one, which is kept.

    ``target_kind``/``target_id`` are the target the caller reached the memo through; a memo on
    another target is not found.

    Raises:
        ForbiddenError: the memo is a colleague's (owners included: they may remove it, not reword it).
    """
    current = _memo_row(session, ctx, memo_id=memo_id, target_kind=target_kind, target_id=target_id)
    _current(session, current, doing="edit")
    chain = _chain(session, current)
    if chain[0].created_by != ctx.actor:
        raise ForbiddenError(f"memo {memo_id} is {chain[0].created_by}'s: only its author rewords it")
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
    return _memo(row, [*chain, row])


@mutation(Action.COMMENT, audit="memo.remove", entity="memo", entity_id="memo_id")
def remove_memo(
    session: Session,
    ctx: ReviewContext,
    *,
    memo_id: int,
    reason: str | None = None,
    target_kind: MemoTarget | None = None,
    target_id: int | None = None,
) -> Memo:
    """Remove a memo: its author may, and an owner may remove anyone's, saying why.

    The current wording is marked removed (who, when, why); no wording is deleted, and
    :func:`memo_versions` still reads them all.
    """
    current = _memo_row(session, ctx, memo_id=memo_id, target_kind=target_kind, target_id=target_id)
    _current(session, current, doing="remove")
    chain = _chain(session, current)
    author = chain[0].created_by
    why = require_removal(ctx, author=author, what=f"memo {memo_id}", reason=reason)
    current.removed_at, current.removed_by, current.removal_reason = dt.datetime.now(dt.UTC), ctx.actor, why
    audit.note(session, author=author, reason=why, target=current.target_kind, target_id=current.target_id)
    return _memo(current, chain)


def _memos(
    session: Session, ctx: ReviewContext, *, target_kind: MemoTarget | None, target_id: int | None
) -> list[tuple[MemoRow, list[MemoRow]]]:
    """The latest wording of each memo of one target (or all), with its chain."""
    query = select(MemoRow).where(MemoRow.review_id == ctx.review_id).order_by(MemoRow.id)
    if target_kind is not None:
        query = query.where(MemoRow.target_kind == MemoTarget(target_kind).value)
        if target_id is not None:
            query = query.where(MemoRow.target_id == target_id)
    rows = list(session.scalars(query))
    by_id = {row.id: row for row in rows}
    superseded = {row.supersedes for row in rows if row.supersedes is not None}
    found = []
    for row in rows:
        if row.id in superseded or not ctx.sees(row.created_by, work=Work.MEMO):
            continue
        chain = [row]
        while chain[0].supersedes is not None and chain[0].supersedes in by_id:
            chain.insert(0, by_id[chain[0].supersedes])
        found.append((row, chain))
    return found


@reads(Action.READ_FULL_TEXTS)
def memos_of(
    session: Session,
    ctx: ReviewContext,
    *,
    target_kind: MemoTarget | None = None,
    target_id: int | None = None,
) -> list[Memo]:
    """The current memos (latest wordings, removed ones left out) of one target, or of the whole review."""
    found = _memos(session, ctx, target_kind=target_kind, target_id=target_id)
    return [_memo(row, chain) for row, chain in found if row.removed_at is None]


@reads(Action.READ_FULL_TEXTS)
def removed_memos(
    session: Session,
    ctx: ReviewContext,
    *,
    target_kind: MemoTarget | None = None,
    target_id: int | None = None,
) -> list[Memo]:
    """The removed memos of one target (or of the review), with who removed them, when and why."""
    found = _memos(session, ctx, target_kind=target_kind, target_id=target_id)
    return [_memo(row, chain) for row, chain in found if row.removed_at is not None]


@reads(Action.READ_FULL_TEXTS)
def memo_versions(
    session: Session,
    ctx: ReviewContext,
    *,
    memo_id: int,
    target_kind: MemoTarget | None = None,
    target_id: int | None = None,
) -> list[MemoVersion]:
    """Every wording of the memo ``memo_id`` is one of (any of its ids will do), oldest first."""
    row = _memo_row(session, ctx, memo_id=memo_id, target_kind=target_kind, target_id=target_id)
    return [
        MemoVersion(
            id=version.id,
            number=number,
            title=version.title,
            text=version.text,
            created_by=version.created_by,
            created_at=version.created_at,
            removal=_removal(version),
        )
        for number, version in enumerate(_chain(session, row), start=1)
    ]
