"""Server-side sessions: sign-in starts one, and logout, a password change or an owner ends it.

A session is a row of ``sessions`` keyed by the SHA-256 of a random id; only the browser's cookie
holds the id itself, so a copy of the database signs nobody in. A cookie reads and writes only
while its row is live: not revoked, used within the idle timeout, and younger than its absolute
lifetime. Logout revokes that one row; a password change, a member's removal and an owner's
:func:`sign_out_everywhere` revoke every row of the account (issue #11: a saved cookie used to keep
working for 14 days after logout and after ``members password``).

``last_seen_at`` is written at most once per :data:`TOUCH_INTERVAL` per session, so a page costs one
indexed read, not a write; every such write is an audited call like any other, and the coarse
interval keeps the audit log short. The idle timeout is therefore accurate to that interval.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError
from realreview.services import audit
from realreview.services.audit import mutation
from realreview.services.context import ReviewContext
from realreview.storage import audit as recorder
from realreview.storage.models import MemberRow, SessionRow, UserRow

__all__ = [
    "TOUCH_INTERVAL",
    "SessionPolicy",
    "SignedIn",
    "current_session",
    "end_session",
    "revoke_sessions",
    "sign_out_everywhere",
    "start_session",
    "touch_session",
]

#: How stale ``last_seen_at`` may get before a request writes it again.
TOUCH_INTERVAL = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """How long a session lives: ``idle`` without a request, ``lifetime`` at most."""

    idle: dt.timedelta = dt.timedelta(hours=12)
    lifetime: dt.timedelta = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live session: whose it is, and whether its ``last_seen_at`` is due a write."""

    email: str
    session_id: int
    needs_touch: bool


def utcnow() -> dt.datetime:
    """The current time in UTC (what every session and throttle time is compared in)."""
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every time stored here is UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session, *, user_id: int, client: str | None, policy: SessionPolicy, now: dt.datetime
) -> str:
    """Insert a new session for ``user_id``; the random id for the cookie. Runs inside an audited sign-in."""
    token = secrets.token_urlsafe(32)
    session.add(
        SessionRow(
            token_hash=_digest(token),
            user_id=user_id,
            client=(client or "")[:100] or None,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.lifetime,
        )
    )
    return token


def current_session(
    session: Session, *, token: str | None, policy: SessionPolicy, now: dt.datetime | None = None
) -> SignedIn | None:
    """The live session whose id is ``token``; ``None`` when it is unknown, revoked, idle or expired."""
    if not token:
        return None
    now = now or utcnow()
    found = session.execute(
        select(SessionRow, UserRow.email)
        .join(UserRow, UserRow.id == SessionRow.user_id)
        .where(SessionRow.token_hash == _digest(token), SessionRow.revoked_at.is_(None))
    ).first()
    if found is None:
        return None
    row, email = found
    last_seen = _aware(row.last_seen_at)
    if now >= _aware(row.expires_at) or now - last_seen >= policy.idle:
        return None
    return SignedIn(email=email, session_id=row.id, needs_touch=now - last_seen >= TOUCH_INTERVAL)


@mutation(None, audit="session.touch", entity="session", entity_id="session_id")
def touch_session(session: Session, *, session_id: int, email: str, now: dt.datetime | None = None) -> None:
    """Record that the session was used (keeps it from going idle)."""
    row = session.get(SessionRow, session_id)
    if row is not None:
        row.last_seen_at = now or utcnow()


@mutation(None, audit="session.end", entity="session")
def end_session(session: Session, *, token: str, email: str, now: dt.datetime | None = None) -> None:
    """Revoke the session whose id is ``token`` (logout): its cookie no longer reads or writes."""
    row = session.scalar(select(SessionRow).where(SessionRow.token_hash == _digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or utcnow()
        audit.note(session, entity_id=row.id)


def revoke_sessions(session: Session, *, user_id: int, now: dt.datetime | None = None) -> int:
    """Revoke every live session of ``user_id`` inside the audited call that asks (a password change...).

    Returns how many were live.
    """
    result = session.execute(
        update(SessionRow)
        .where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        recorder.check_audited(session, table="sessions.update", count=count)
    return count


@mutation(Action.MANAGE_MEMBERS, audit="session.revoke_all", entity="user")
def sign_out_everywhere(session: Session, ctx: ReviewContext, *, email: str) -> int:
    """Sign the review's member ``email`` out of every browser; how many sessions ended.

    Only for members of the review the owner manages: an owner cannot reach other people's accounts.
    """
    address = email.strip().lower()
    user_id = session.scalar(
        select(UserRow.id)
        .join(MemberRow, MemberRow.user_id == UserRow.id)
        .where(MemberRow.review_id == ctx.review_id, UserRow.email == address)
    )
    if user_id is None:
        raise NotFoundError(f"{address} is no member of review {ctx.review_id}")
    count = revoke_sessions(session, user_id=user_id)
    audit.note(session, entity_id=user_id, email=address, sessions=count)
    return count
