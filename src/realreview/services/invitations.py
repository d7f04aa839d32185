"""Invitation links: how an owner brings someone into a review without an e-mail server (issue #14).

The owner names an e-mail address and a role and gets a link, ``/invite/<token>``, to hand over
(chat, a message they send themselves); nothing is mailed. The token is 32 random bytes that only the
link holds: the ``invitations`` table keeps its SHA-256, so a copy of the database lets nobody in.
A link works once (``used_at``), lapses after :data:`LIFETIME` (``expires_at``) and can be withdrawn
by an owner (``revoked_at``); the three say different things to the person who opens it.

Opening the link:

- for an address with no account yet, the holder chooses a name and a password: the account is
  made, joins the review with the role, and is signed in;
- for an address that already has an account, the holder must be signed in as that account (a link
  must never set the password of someone who already has one), and then joins with the role.

A **password reset** is the same kind of link, marked by :data:`PASSWORD_RESET` in the role column:
its holder sets a new password for an existing member, and every older session of the account ends.
An owner never types or learns a colleague's password this way. Because the new password opens
every review the account is in, an owner may reset only an account whose every review they own;
anyone else asks whoever runs the server (``realreview members password``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Role
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.accounts import create_user, set_password
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.sessions import SessionPolicy, start_session, utcnow
from realreview.storage.models import InvitationRow, MemberRow, ReviewRow, UserRow

__all__ = [
    "LIFETIME",
    "PASSWORD_RESET",
    "Accepted",
    "Invitation",
    "InvitationOffer",
    "IssuedInvitation",
    "accept_invitation",
    "create_invitation",
    "create_password_reset",
    "invitation_offer",
    "invitations_of",
    "revoke_invitation",
]

#: How long a link works after it was made.
LIFETIME = dt.timedelta(days=7)
#: The role column's value on a password-reset link (the invitations table has no column of its own
#: for the purpose; a reset never grants a role, so no real role is lost by this).
PASSWORD_RESET = "reset"


@dataclass(frozen=True, slots=True)
class Invitation:
    """An invitation as the owner's members page lists it (never its token)."""

    id: int
    email: str
    role: str
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime
    state: str

    @property
    def is_reset(self) -> bool:
        """Whether the link resets a password rather than inviting."""
        return self.role == PASSWORD_RESET


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    """A new link: the token is shown this once, and only its hash is kept."""

    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        """The link's path on the server (the page prefixes the server's address)."""
        return f"/invite/{self.token}"


@dataclass(frozen=True, slots=True)
class InvitationOffer:
    """What the invited person reads when they open a live link."""

    review_title: str
    email: str
    role: str
    is_reset: bool
    has_account: bool
    #: Whether the request is signed in as the invited account (it may join with one click).
    signed_in_as_invitee: bool


@dataclass(frozen=True, slots=True)
class Accepted:
    """An accepted link: the review joined, and a new session's id when the holder was signed in here."""

    review_id: int
    email: str
    session_token: str | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _state(row: InvitationRow, now: dt.datetime) -> str:
    if row.used_at is not None:
        return "used"
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if now >= _aware(row.expires_at) else "open"


def _invitation(row: InvitationRow, now: dt.datetime) -> Invitation:
    return Invitation(
        row.id, row.email, row.role, row.created_at, row.created_by, row.expires_at, _state(row, now)
    )


def _address(text: str) -> str:
    address = text.strip().lower()
    if "@" not in address or any(ch.isspace() for ch in address):
        raise ValidationError(f"{text!r} is not an e-mail address")
    return address


def _issue(
    session: Session, ctx: ReviewContext, *, email: str, role: str, now: dt.datetime
) -> IssuedInvitation:
    token = secrets.token_urlsafe(32)
    row = InvitationRow(
        review_id=ctx.review_id,
        email=email,
        role=role,
        token_hash=_digest(token),
        created_at=now,
        created_by=ctx.actor,
        expires_at=now + LIFETIME,
    )
    session.add(row)
    session.flush()
    audit.note(session, entity_id=ctx.review_id, invitation_id=row.id, email=email, role=role)
    return IssuedInvitation(_invitation(row, now), token)


@mutation(Action.MANAGE_MEMBERS, audit="invitation.create", entity="review")
def create_invitation(
    session: Session, ctx: ReviewContext, *, email: str, role: Role, now: dt.datetime | None = None
) -> IssuedInvitation:
    """A one-time link that makes its holder ``email``'s member of the review with ``role``."""
    return _issue(session, ctx, email=_address(email), role=Role(role).value, now=now or utcnow())


@mutation(Action.MANAGE_MEMBERS, audit="invitation.reset", entity="review")
def create_password_reset(
    session: Session, ctx: ReviewContext, *, email: str, now: dt.datetime | None = None
) -> IssuedInvitation:
    """A one-time link with which the member ``email`` sets a new password.

    Raises:
        NotFoundError: ``email`` is no member of the review.
        ForbiddenError: the account is also in a review the owner does not own (see the module).
    """
    address = _address(email)
    user_id = session.scalar(
        select(UserRow.id)
        .join(MemberRow, MemberRow.user_id == UserRow.id)
        .where(MemberRow.review_id == ctx.review_id, UserRow.email == address)
    )
    if user_id is None:
        raise NotFoundError(f"{address} is no member of review {ctx.review_id}")
    owned = set(
        session.scalars(
            select(MemberRow.review_id)
            .join(UserRow, UserRow.id == MemberRow.user_id)
            .where(UserRow.email == ctx.actor, MemberRow.role == Role.OWNER.value)
        )
    )
    others = set(session.scalars(select(MemberRow.review_id).where(MemberRow.user_id == user_id))) - owned
    if others and address != ctx.actor:
        raise ForbiddenError(
            f"{address} is also a member of reviews you do not own; whoever runs the server resets"
            f" the password (realreview members password {address})"
        )
    return _issue(session, ctx, email=address, role=PASSWORD_RESET, now=now or utcnow())


@mutation(Action.MANAGE_MEMBERS, audit="invitation.revoke", entity="review")
def revoke_invitation(
    session: Session, ctx: ReviewContext, *, invitation_id: int, now: dt.datetime | None = None
) -> Invitation:
    """Withdraw a link that has not been used: opening it then says so."""
    now = now or utcnow()
    row = session.get(InvitationRow, invitation_id)
    if row is None or row.review_id != ctx.review_id:
        raise NotFoundError(f"no invitation {invitation_id} in review {ctx.review_id}")
    if row.used_at is not None:
        raise ValidationError(f"the invitation for {row.email} was already used")
    if row.revoked_at is None:
        row.revoked_at = now
        audit.note(session, entity_id=ctx.review_id, invitation_id=row.id, email=row.email)
    return _invitation(row, now)


@reads(Action.MANAGE_MEMBERS)
def invitations_of(
    session: Session, ctx: ReviewContext, *, now: dt.datetime | None = None
) -> list[Invitation]:
    """Every link made for the review, newest first, with whether it is open, used, expired or revoked."""
    now = now or utcnow()
    rows = session.scalars(
        select(InvitationRow)
        .where(InvitationRow.review_id == ctx.review_id)
        .order_by(InvitationRow.id.desc())
    )
    return [_invitation(row, now) for row in rows]


def _live(session: Session, token: str, now: dt.datetime) -> InvitationRow:
    """The invitation whose link holds ``token``; a clear error when it no longer works."""
    row = session.scalar(select(InvitationRow).where(InvitationRow.token_hash == _digest(token or "")))
    if row is None:
        raise NotFoundError("this invitation link is not valid: ask the review's owner for a new one")
    state = _state(row, now)
    if state == "used":
        raise ValidationError(
            "this invitation link was already used; sign in, or ask the owner for a new one"
        )
    if state == "revoked":
        raise ValidationError("the owner withdrew this invitation link; ask them for a new one")
    if state == "expired":
        expired = _aware(row.expires_at).strftime("%Y-%m-%d")
        raise ValidationError(f"this invitation link expired on {expired}; ask the owner for a new one")
    return row


def _user(session: Session, email: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.email == email))


def invitation_offer(
    session: Session, *, token: str, signed_in: str | None, now: dt.datetime | None = None
) -> InvitationOffer:
    """What a live link offers (read by anyone holding it: the token is the permission)."""
    row = _live(session, token, now or utcnow())
    review = session.get(ReviewRow, row.review_id)
    user = _user(session, row.email)
    return InvitationOffer(
        review_title=review.title if review else "",
        email=row.email,
        role=row.role,
        is_reset=row.role == PASSWORD_RESET,
        has_account=user is not None and user.password_hash is not None,
        signed_in_as_invitee=signed_in is not None and signed_in.strip().lower() == row.email,
    )


@mutation(None, audit="invitation.accept", entity="review_member")
def accept_invitation(
    session: Session,
    *,
    token: str,
    email: str,
    password: str | None = None,
    name: str | None = None,
    signed_in: str | None = None,
    client: str | None = None,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> Accepted:
    """Use the link: join the review with its role (or, on a reset link, set the password).

    ``email`` is the address the page showed, checked against the link's; ``signed_in`` is who the
    request is signed in as. A new account or a new password starts a session (``session_token``),
    so the holder lands in the review signed in.

    Raises:
        ValidationError: the link was used, withdrawn or has expired; a short password; an existing
            account that is not the one signed in.
    """
    now = now or utcnow()
    row = _live(session, token, now)
    if email.strip().lower() != row.email:
        raise ValidationError(f"this link is for {row.email}")
    user = _user(session, row.email)
    started: str | None = None
    if row.role == PASSWORD_RESET:
        if user is None or not password:
            raise ValidationError("choose a new password")
        set_password(session, email=row.email, password=password, actor=row.email)
        started = start_session(
            session, user_id=user.id, client=client, policy=policy or SessionPolicy(), now=now
        )
    elif user is not None and user.password_hash is not None:
        if (signed_in or "").strip().lower() != row.email:
            raise ValidationError(f"there is already an account for {row.email}: sign in as it first")
    else:
        if not password:
            raise ValidationError("choose a password")
        if user is None:
            create_user(
                session,
                email=row.email,
                name=(name or "").strip() or None,
                password=password,
                actor=row.email,
            )
        else:  # an account made without a password (realreview members add): the holder sets it
            set_password(session, email=row.email, password=password, actor=row.email)
            if name and name.strip():
                user.name = name.strip()
        user = _user(session, row.email)
        assert user is not None
        started = start_session(
            session, user_id=user.id, client=client, policy=policy or SessionPolicy(), now=now
        )
    assert user is not None
    member = _join(session, row, user_id=user.id)
    row.used_at = now
    audit.note(session, entity_id=member.id, review_id=row.review_id, invitation_id=row.id, role=member.role)
    return Accepted(row.review_id, row.email, started)


def _join(session: Session, row: InvitationRow, *, user_id: int) -> MemberRow:
    """The membership the link grants (a reset grants none: the member's own row)."""
    member = session.scalar(
        select(MemberRow).where(MemberRow.review_id == row.review_id, MemberRow.user_id == user_id)
    )
    if row.role == PASSWORD_RESET:
        if member is None:
            raise ValidationError(f"{row.email} is no longer a member of the review")
        return member
    if member is None:
        member = MemberRow(review_id=row.review_id, user_id=user_id, role=row.role, added_by=row.created_by)
        session.add(member)
    else:
        member.role = row.role
    session.flush()
    return member
