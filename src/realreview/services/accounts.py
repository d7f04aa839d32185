"""Use cases for people: accounts with argon2-hashed passwords, and their role in each review.

What each role may do is the permission table of :mod:`realreview.access`; who is a member of a
review, and in which role, is resolved once per call into a
:class:`~realreview.services.context.ReviewContext`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.access import Action, Role
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.sessions import revoke_sessions
from realreview.storage.models import MemberRow, ReviewRow, UserRow

__all__ = [
    "Member",
    "Role",
    "User",
    "add_member",
    "authenticate",
    "create_user",
    "members_of",
    "remove_member",
    "reviews_of",
    "set_password",
]

_HASHER = PasswordHasher()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


@dataclass(frozen=True, slots=True)
class User:
    """A person as the edges show them (never the password hash)."""

    id: int
    email: str
    name: str | None


@dataclass(frozen=True, slots=True)
class Member:
    """A user's role in one review."""

    user: User
    review_id: int
    role: Role


def _user(row: UserRow) -> User:
    return User(id=row.id, email=row.email, name=row.name)


def _email(text: str) -> str:
    email = text.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationError(f"{text!r} is not an e-mail address")
    return email


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD} characters")
    return _HASHER.hash(password)


@mutation(None, audit="user.create", entity="user")
def create_user(
    session: Session, *, email: str, name: str | None = None, password: str | None = None, actor: str
) -> User:
    """Create an account; refused when the e-mail address is taken. No password: cannot sign in yet."""
    address = _email(email)
    if session.scalar(select(UserRow).where(UserRow.email == address)) is not None:
        raise ValidationError(f"there is already an account for {address}")
    row = UserRow(email=address, name=name, password_hash=_hash(password) if password else None)
    session.add(row)
    session.flush()
    return _user(row)


@mutation(None, audit="user.password", entity="user")
def set_password(session: Session, *, email: str, password: str, actor: str) -> None:
    """Set or change a user's password; every session of the account ends (a thief's cookie too)."""
    row = _user_row(session, email)
    row.password_hash = _hash(password)
    audit.note(session, entity_id=row.id, sessions_ended=revoke_sessions(session, user_id=row.id))


@mutation(None, audit="user.rehash", entity="user")
def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The user when the password matches, else ``None`` (the same answer for an unknown address)."""
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if row is None or row.password_hash is None:
        # Spend the same time as a real check, so that response time does not reveal who has an account.
        _HASHER.hash(password or "x")
        return None
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    return _user(row)


def _user_row(session: Session, email: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if row is None:
        raise NotFoundError(f"no account for {email}")
    return row


def _keep_an_owner(session: Session, *, review_id: int, leaving: MemberRow, email: str) -> None:
    """Refuse to leave a review without an owner: nobody could then manage its members or resolve."""
    others = session.scalar(
        select(func.count(MemberRow.id)).where(
            MemberRow.review_id == review_id, MemberRow.role == Role.OWNER.value, MemberRow.id != leaving.id
        )
    )
    if not others:
        raise ValidationError(
            f"{email} is the only owner of review {review_id}: make another member owner first"
        )


@mutation(Action.MANAGE_MEMBERS, audit="member.set", entity="review_member")
def add_member(session: Session, ctx: ReviewContext, *, email: str, role: Role) -> Member:
    """Give ``email`` a role in the review (changing the role of an existing member)."""
    review_id = ctx.review_id
    user = _user_row(session, email)
    member = session.scalar(
        select(MemberRow).where(MemberRow.review_id == review_id, MemberRow.user_id == user.id)
    )
    if member is None:
        member = MemberRow(review_id=review_id, user_id=user.id, role=role.value, added_by=ctx.actor)
        session.add(member)
    else:
        if member.role == Role.OWNER.value and role is not Role.OWNER:
            _keep_an_owner(session, review_id=review_id, leaving=member, email=user.email)
        member.role = role.value
    session.flush()
    audit.note(session, entity_id=member.id, email=user.email, role=role.value)
    return Member(_user(user), review_id, role)


@mutation(Action.MANAGE_MEMBERS, audit="member.remove", entity="review_member")
def remove_member(session: Session, ctx: ReviewContext, *, email: str) -> None:
    """Take ``email`` off the review; every session of the account ends, so no open page keeps working.

    Their work (decisions, codings, memos) stays: the audit trail and the review need it.
    """
    user = _user_row(session, email)
    member = session.scalar(
        select(MemberRow).where(MemberRow.review_id == ctx.review_id, MemberRow.user_id == user.id)
    )
    if member is None:
        raise NotFoundError(f"{user.email} is no member of review {ctx.review_id}")
    if member.role == Role.OWNER.value:
        _keep_an_owner(session, review_id=ctx.review_id, leaving=member, email=user.email)
    audit.note(session, entity_id=member.id, email=user.email, role=member.role)
    session.delete(member)
    session.flush()
    audit.note(session, sessions_ended=revoke_sessions(session, user_id=user.id))


@reads(Action.VIEW_REVIEW)
def members_of(session: Session, ctx: ReviewContext) -> list[Member]:
    """The review's members, by e-mail address."""
    review_id = ctx.review_id
    rows = session.execute(
        select(MemberRow, UserRow)
        .join(UserRow, UserRow.id == MemberRow.user_id)
        .where(MemberRow.review_id == review_id)
    ).all()
    return sorted(
        (Member(_user(user), review_id, Role(member.role)) for member, user in rows),
        key=lambda m: m.user.email,
    )


def reviews_of(session: Session, *, email: str) -> list[tuple[int, str, Role]]:
    """(review id, title, role) of every review the user is a member of."""
    rows = session.execute(
        select(ReviewRow.id, ReviewRow.title, MemberRow.role)
        .join(MemberRow, MemberRow.review_id == ReviewRow.id)
        .join(UserRow, UserRow.id == MemberRow.user_id)
        .where(UserRow.email == email.strip().lower())
        .order_by(ReviewRow.id)
    ).all()
    return [(review_id, title, Role(role)) for review_id, title, role in rows]
