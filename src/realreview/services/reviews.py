"""Use cases for reviews: create one, list them, and find the one a command means."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation
from realreview.storage import queries
from realreview.storage.models import ReviewRow

if TYPE_CHECKING:
    from realreview.services.context import ReviewContext

__all__ = ["ReviewInfo", "create_review", "get_review", "list_reviews", "set_question", "set_review_details"]


@dataclass(frozen=True, slots=True)
class ReviewInfo:
    """A review as the edges show it."""

    id: int
    title: str
    question: str | None
    #: Where the protocol is registered (PROSPERO CRD..., an OSF link).
    protocol: str | None = None
    #: Who funded the review.
    funding: str | None = None


def _info(row: ReviewRow) -> ReviewInfo:
    return ReviewInfo(
        id=row.id, title=row.title, question=row.question, protocol=row.protocol, funding=row.funding
    )


@mutation(None, audit="review.create", entity="review")
def create_review(session: Session, *, title: str, question: str | None = None, actor: str) -> ReviewInfo:
    """Create a review; the title must not be blank."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise ValidationError('a review needs a title, e.g. realreview init "Equity in quality improvement"')
    row = ReviewRow(title=cleaned, question=question, created_by=actor)
    session.add(row)
    session.flush()
    audit.note(session, title=cleaned)
    return _info(row)


def list_reviews(session: Session) -> list[ReviewInfo]:
    """Every review in the database, oldest first."""
    return [_info(row) for row in queries.reviews(session)]


def get_review(session: Session, *, review_id: int | None) -> ReviewInfo:
    """The review ``review_id``, or the only review when no id is given.

    A database may hold several reviews; guessing between them would put records in the wrong one, so
    with more than one review the caller must name it.
    """
    if review_id is not None:
        row = session.get(ReviewRow, review_id)
        if row is None:
            raise NotFoundError(f"no review with id {review_id}")
        return _info(row)
    rows = queries.reviews(session)
    if not rows:
        raise NotFoundError('this database holds no review yet; create one with: realreview init "Title"')
    if len(rows) > 1:
        listing = ", ".join(f"{row.id} ({row.title})" for row in rows)
        raise ValidationError(
            f"this database holds {len(rows)} reviews; choose one with --review ID: {listing}"
        )
    return _info(rows[0])


@mutation(Action.EDIT_SETUP, audit="review.question", entity="review")
def set_question(session: Session, ctx: ReviewContext, *, question: str | None) -> ReviewInfo:
    """Set (or clear) the review question; the change is audited with the old and the new text."""
    row = session.get(ReviewRow, ctx.review_id)
    if row is None:
        raise NotFoundError(f"no review with id {ctx.review_id}")
    cleaned = " ".join((question or "").split()) or None
    if cleaned != row.question:
        audit.note(session, entity_id=row.id, old=row.question, new=cleaned)
        row.question = cleaned
    return _info(row)


@mutation(Action.EDIT_SETUP, audit="review.details", entity="review")
def set_review_details(
    session: Session,
    ctx: ReviewContext,
    *,
    title: str | None = None,
    protocol: str | None = None,
    funding: str | None = None,
) -> ReviewInfo:
    """Change the title, the protocol registration or the funding: ``None`` leaves one as it is, ``""`` clears it.

    Raises:
        ValidationError: a blank title.
    """
    row = session.get(ReviewRow, ctx.review_id)
    if row is None:
        raise NotFoundError(f"no review with id {ctx.review_id}")
    changes: dict[str, tuple[str | None, str | None]] = {}
    if title is not None:
        cleaned = " ".join(title.split())
        if not cleaned:
            raise ValidationError("a review needs a title")
        changes["title"] = (row.title, cleaned)
    for name, value in (("protocol", protocol), ("funding", funding)):
        if value is not None:
            changes[name] = (getattr(row, name), " ".join(value.split()) or None)
    for name, (old, new) in changes.items():
        if old != new:
            setattr(row, name, new)
    audit.note(
        session, entity_id=row.id, **{k: {"old": o, "new": n} for k, (o, n) in changes.items() if o != n}
    )
    return _info(row)
