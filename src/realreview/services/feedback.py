"""Stakeholder feedback on the synthesis: threaded comments on CMOCs and versions, and the engagement log.

Realist reviews refine their programme theory with an expert panel and a patient and public
involvement (PPI) group (the worked example's PPI group met monthly, Johnson et al. 2025). Panel
members and reviewers comment on a CMOC or on a version; replies thread under the comment they
answer; a reviewer marks a comment addressed, naming the version that addressed it. A comment is
its author's and is never edited or deleted: it is what was said. The engagement log records each
meeting: date, group, attendees, notes and the CMOCs discussed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.names import clean_name
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage.models import CMOCRow, EngagementRow, SynthesisCommentRow, TheoryVersionRow

__all__ = [
    "Comment",
    "Engagement",
    "add_comment",
    "comments_on",
    "engagements",
    "log_engagement",
    "mark_addressed",
]

MAX_COMMENT = 5000


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment with its replies (oldest first); ``addressed_in`` names the version that answered it."""

    id: int
    cmoc: str | None
    version: str | None
    body: str
    author: str
    created_at: dt.datetime
    addressed_by: str | None
    addressed_at: dt.datetime | None
    addressed_in: str | None
    replies: tuple[Comment, ...] = ()


def _has_cmoc(session: Session, review_id: int, label: str) -> bool:
    return (
        session.scalar(select(CMOCRow.id).where(CMOCRow.review_id == review_id, CMOCRow.label == label))
        is not None
    )


def _has_version(session: Session, review_id: int, name: str) -> bool:
    found = session.scalar(
        select(TheoryVersionRow.id).where(
            TheoryVersionRow.review_id == review_id, TheoryVersionRow.name == name
        )
    )
    return found is not None


def _text(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError("a comment needs some text")
    if len(body) > MAX_COMMENT:
        raise ValidationError(f"a comment has at most {MAX_COMMENT} characters, not {len(body)}")
    return body


@mutation(Action.COMMENT_SYNTHESIS, audit="synthesis.comment", entity="synthesis_comment")
def add_comment(
    session: Session,
    ctx: ReviewContext,
    *,
    body: str,
    cmoc: str | None = None,
    version: str | None = None,
    reply_to: int | None = None,
) -> Comment:
    """Comment on CMOC ``cmoc`` or version ``version``, or reply to comment ``reply_to`` (its target is kept).

    Raises:
        ValidationError: no text, or neither or both of a CMOC and a version.
        NotFoundError: no such CMOC, version or comment in the review.
    """
    text = _text(body)
    parent = None
    if reply_to is not None:
        parent = session.get(SynthesisCommentRow, reply_to)
        if parent is None or parent.review_id != ctx.review_id:
            raise NotFoundError(f"review {ctx.review_id} has no comment {reply_to}")
        cmoc, version = parent.cmoc, parent.version
    if (cmoc is None) == (version is None):
        raise ValidationError("comment on one CMOC or on one version")
    if cmoc is not None and not _has_cmoc(session, ctx.review_id, cmoc):
        raise NotFoundError(f"review {ctx.review_id} has no CMOC {cmoc!r}")
    if version is not None and not _has_version(session, ctx.review_id, version):
        raise NotFoundError(f"review {ctx.review_id} has no programme theory version {version!r}")
    row = SynthesisCommentRow(
        review_id=ctx.review_id,
        cmoc=cmoc,
        version=version,
        parent_id=None if parent is None else (parent.parent_id or parent.id),
        body=text,
        author=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, entity_id=row.id, cmoc=cmoc, version=version, reply_to=reply_to)
    return _comment(row)


@mutation(
    Action.SYNTHESISE, audit="synthesis.comment_addressed", entity="synthesis_comment", entity_id="comment_id"
)
def mark_addressed(session: Session, ctx: ReviewContext, *, comment_id: int, version: str) -> Comment:
    """Mark a comment addressed by version ``version`` (a reviewer's act; the comment stays as written).

    Raises:
        NotFoundError: no such comment or version.
    """
    row = session.get(SynthesisCommentRow, comment_id)
    if row is None or row.review_id != ctx.review_id:
        raise NotFoundError(f"review {ctx.review_id} has no comment {comment_id}")
    if not _has_version(session, ctx.review_id, version.strip()):
        raise NotFoundError(f"review {ctx.review_id} has no programme theory version {version!r}")
    row.addressed_at, row.addressed_by, row.addressed_in = dt.datetime.now(dt.UTC), ctx.actor, version.strip()
    return _comment(row)


def _comment(row: SynthesisCommentRow, replies: tuple[Comment, ...] = ()) -> Comment:
    return Comment(
        row.id,
        row.cmoc,
        row.version,
        row.body,
        row.author,
        row.created_at,
        row.addressed_by,
        row.addressed_at,
        row.addressed_in,
        replies,
    )


@reads(Action.VIEW_SYNTHESIS)
def comments_on(
    session: Session, ctx: ReviewContext, *, cmoc: str | None = None, version: str | None = None
) -> list[Comment]:
    """The threads on a CMOC or a version (or, with neither, every thread), oldest first."""
    query = select(SynthesisCommentRow).where(SynthesisCommentRow.review_id == ctx.review_id)
    if cmoc is not None:
        query = query.where(SynthesisCommentRow.cmoc == cmoc)
    if version is not None:
        query = query.where(SynthesisCommentRow.version == version)
    rows = list(session.scalars(query.order_by(SynthesisCommentRow.id)))
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.parent_id is not None:
            replies.setdefault(row.parent_id, []).append(_comment(row))
    return [_comment(row, tuple(replies.get(row.id, ()))) for row in rows if row.parent_id is None]


@dataclass(frozen=True, slots=True)
class Engagement:
    """One stakeholder meeting."""

    id: int
    held_on: dt.date
    group: str
    attendees: str
    notes: str
    cmocs: tuple[str, ...]
    created_by: str


@mutation(Action.LOG_ENGAGEMENT, audit="synthesis.engagement", entity="engagement")
def log_engagement(
    session: Session,
    ctx: ReviewContext,
    *,
    held_on: dt.date,
    group: str,
    attendees: str = "",
    notes: str = "",
    cmocs: Sequence[str] = (),
) -> Engagement:
    """Record a meeting with a stakeholder group and the CMOCs it discussed.

    Raises:
        ValidationError: no group named.
        NotFoundError: a CMOC the review lacks.
    """
    if not group.strip():
        raise ValidationError("name the group that met (an expert panel, a PPI group)")
    try:
        name = clean_name(group, what="group name")
    except ValueError as error:
        raise ValidationError(str(error)) from None
    for label in cmocs:
        if not _has_cmoc(session, ctx.review_id, label):
            raise NotFoundError(f"review {ctx.review_id} has no CMOC {label!r}")
    row = EngagementRow(
        review_id=ctx.review_id,
        held_on=held_on,
        group=name,
        attendees=attendees.strip(),
        notes=notes.strip(),
        cmocs=list(dict.fromkeys(cmocs)),
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, entity_id=row.id, group=name, held_on=held_on.isoformat())
    return _engagement(row)


def _engagement(row: EngagementRow) -> Engagement:
    return Engagement(
        row.id, row.held_on, row.group, row.attendees, row.notes, tuple(row.cmocs), row.created_by
    )


@reads(Action.VIEW_SYNTHESIS)
def engagements(session: Session, ctx: ReviewContext) -> list[Engagement]:
    """The engagement log, newest meeting first."""
    rows = session.scalars(
        select(EngagementRow)
        .where(EngagementRow.review_id == ctx.review_id)
        .order_by(EngagementRow.held_on.desc(), EngagementRow.id.desc())
    )
    return [_engagement(row) for row in rows]
