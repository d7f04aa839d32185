"""The review context: who acts on which review, in which role, under which setup; resolved once per edge call.

The web app resolves it from the signed-in member (someone who is not a member gets
:class:`~realreview.errors.NotFoundError`: they must not learn that the review exists); the CLI,
run by whoever holds the database, is trusted as the review's owner. Every service that acts on a
review takes it, checks the permission table through :meth:`ReviewContext.require` and asks
:meth:`ReviewContext.sees` what of other people's work to show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import BLINDED_WORK, Action, Role, Work, is_allowed, may_see, roles_allowed
from realreview.errors import ForbiddenError, NotFoundError
from realreview.screening import ScreeningSetup
from realreview.services.reviews import ReviewInfo, get_review
from realreview.storage import queries
from realreview.storage.models import MemberRow, UserRow

__all__ = ["ReviewContext", "review_context", "trusted_context"]


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """One person acting on one review."""

    review: ReviewInfo
    actor: str
    role: Role
    setup: ScreeningSetup

    @property
    def review_id(self) -> int:
        """The review's id."""
        return self.review.id

    def can(self, action: Action) -> bool:
        """Whether the actor's role allows ``action`` (the permission table)."""
        return is_allowed(self.role, action)

    def require(self, action: Action) -> None:
        """Refuse ``action`` with :class:`ForbiddenError` unless the permission table allows it."""
        if not self.can(action):
            allowed = ", ".join(sorted(role.value for role in roles_allowed(action)))
            raise ForbiddenError(
                f"{self.actor} is {self.role} of review {self.review_id}; to {action} needs the role: {allowed}"
            )

    def sees(self, author: str | None = None, *, work: Work = Work.SCREENING) -> bool:
        """Whether the actor may see ``author``'s ``work`` (``None``: everyone else's at once).

        The one blinding rule (:func:`realreview.access.may_see`); the setup's blinding governs the
        independent judgements (:data:`realreview.access.BLINDED_WORK`: screening, extraction,
        appraisal), while memos and codings stay visible to the team.
        """
        blinded = self.setup.blinded and work in BLINDED_WORK
        return may_see(viewer=self.actor, role=self.role, author=author, work=work, blinded=blinded)

    def with_setup(self, setup: ScreeningSetup) -> ReviewContext:
        """The same context after the setup changed."""
        return replace(self, setup=setup)


def review_context(session: Session, *, review_id: int, email: str) -> ReviewContext:
    """The context of the member ``email`` in review ``review_id``; a non-member gets NotFoundError."""
    address = email.strip().lower()
    role = session.scalar(
        select(MemberRow.role)
        .join(UserRow, UserRow.id == MemberRow.user_id)
        .where(MemberRow.review_id == review_id, UserRow.email == address)
    )
    if role is None:
        raise NotFoundError(f"no review with id {review_id}")
    return _context(session, review=get_review(session, review_id=review_id), actor=address, role=Role(role))


def trusted_context(session: Session, *, review_id: int | None, actor: str) -> ReviewContext:
    """The command line's context: whoever holds the database acts as the review's owner.

    ``review_id=None`` means the only review in the database (refused when there are several).
    """
    return _context(session, review=get_review(session, review_id=review_id), actor=actor, role=Role.OWNER)


def _context(session: Session, *, review: ReviewInfo, actor: str, role: Role) -> ReviewContext:
    return ReviewContext(review, actor, role, queries.screening_setup(session, review_id=review.id))
