"""Signing in, with failed attempts throttled in the database so that every worker shares the count.

Each failed sign-in counts against three keys, each with its own rule (:class:`Rule`): after
``threshold`` failures within :attr:`LoginPolicy.window`, every further failure makes that key wait
``base * 2**(failures - threshold)`` seconds, capped at ``cap``:

- the **pair** (this account from this client address): threshold 5, 2 s doubling to 5 minutes.
  This is what slows down a guesser, and a colleague's typos slow only that colleague.
- the **account** from anywhere: threshold 5, 1 s doubling to 30 s. A guesser spread over many
  addresses gets at most one try per 30 s per account, while the account's owner, from a client
  that has not failed, waits 30 s at most however long the attack goes on: nobody can lock a
  chosen account for longer (issue #11: anyone could lock one for 5 minutes, and one person's
  typos locked out a whole office behind one address).
- the **client address** over every account: threshold 30, 2 s doubling to 10 minutes; looser, so
  an office behind one address is not held up by one person, yet one address cannot spray guesses.

A refused attempt while a key waits is answered at once, without checking the password, and adds
nothing, so a flood neither grows the wait nor costs an argon2 hash. A success clears the pair and
the account, never the address (else an attacker with an account of their own could reset it).

Workers agree because the three rows are read with ``SELECT ... FOR UPDATE`` (PostgreSQL) or under
SQLite's single write lock, inside the same transaction that checks the password: concurrent
attempts on one account queue instead of slipping past the count together.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from realreview.services import audit
from realreview.services.accounts import authenticate
from realreview.services.audit import mutation
from realreview.services.sessions import SessionPolicy, start_session, utcnow
from realreview.storage import audit as recorder
from realreview.storage.models import LoginThrottleRow

__all__ = ["LoginPolicy", "Outcome", "Rule", "SignIn", "sign_in"]


@dataclass(frozen=True, slots=True)
class Rule:
    """After ``threshold`` failures each further one waits ``base`` seconds, doubling up to ``cap``."""

    threshold: int
    base: float
    cap: float

    def wait(self, failures: int) -> dt.timedelta | None:
        """The wait after ``failures`` failures (``None``: not yet)."""
        if failures < self.threshold:
            return None
        return dt.timedelta(seconds=min(self.base * 2 ** min(failures - self.threshold, 30), self.cap))


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """The three rules, and how long a key remembers its failures (since the latest one)."""

    pair: Rule = Rule(threshold=5, base=2.0, cap=300.0)
    account: Rule = Rule(threshold=5, base=1.0, cap=30.0)
    client: Rule = Rule(threshold=30, base=2.0, cap=600.0)
    window: dt.timedelta = dt.timedelta(hours=1)
    sessions: SessionPolicy = field(default_factory=SessionPolicy)


class Outcome(enum.StrEnum):
    """How a sign-in ended."""

    SIGNED_IN = "signed in"
    WRONG = "wrong e-mail address or password"
    WAIT = "too many failed attempts"


@dataclass(frozen=True, slots=True)
class SignIn:
    """The answer to a sign-in: the session's random id when it succeeded, the wait when refused."""

    outcome: Outcome
    email: str
    token: str | None = None
    retry_after: int = 0


@mutation(None, audit="user.sign_in", entity="user")
def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    client: str,
    policy: LoginPolicy | None = None,
    now: dt.datetime | None = None,
) -> SignIn:
    """Check the password under the throttles of :mod:`this module <realreview.services.logins>`.

    A success starts a session (:mod:`realreview.services.sessions`); each attempt leaves one audit
    row (a refused one only when it changed nothing: none).
    """
    policy = policy or LoginPolicy()
    now = now or utcnow()
    address = email.strip().lower()
    _forget_stale(session, before=now - policy.window)
    rules = {
        f"account:{address}": policy.account,
        f"pair:{address}|{client}": policy.pair,
        f"client:{client}": policy.client,
    }
    rows = {key: _locked(session, key, now=now) for key in rules}  # this order everywhere: no deadlock
    waits = [row.blocked_until for row in rows.values() if row.blocked_until is not None]
    until = max((_aware(value) for value in waits), default=now)
    if until > now:
        audit.note(session, client=client, outcome=Outcome.WAIT.value)
        return SignIn(Outcome.WAIT, address, retry_after=max(1, int((until - now).total_seconds() + 0.999)))
    user = authenticate(session, email=address, password=password)
    audit.note(session, client=client)
    if user is None:
        for key, rule in rules.items():
            _fail(rows[key], rule, now=now)
        audit.note(session, outcome=Outcome.WRONG.value)
        return SignIn(Outcome.WRONG, address)
    for key in list(rules)[:2]:  # the account and the pair; the address keeps its count
        rows[key].failures, rows[key].blocked_until, rows[key].updated_at = 0, None, now
    token = start_session(session, user_id=user.id, client=client, policy=policy.sessions, now=now)
    audit.note(session, entity_id=user.id, outcome=Outcome.SIGNED_IN.value)
    return SignIn(Outcome.SIGNED_IN, address, token=token)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _locked(session: Session, key: str, *, now: dt.datetime) -> LoginThrottleRow:
    """The throttle row of ``key``, created when missing, locked until the transaction ends."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    created = session.execute(
        insert(LoginThrottleRow)
        .values(key=key, failures=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    if created.rowcount:  # type: ignore[attr-defined]
        recorder.check_audited(session, table="login_throttles.insert")
    return session.scalars(
        select(LoginThrottleRow)
        .where(LoginThrottleRow.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _fail(row: LoginThrottleRow, rule: Rule, *, now: dt.datetime) -> None:
    row.failures += 1
    row.updated_at = now
    wait = rule.wait(row.failures)
    row.blocked_until = now + wait if wait else None


def _forget_stale(session: Session, *, before: dt.datetime) -> None:
    """Drop keys whose latest failure (or success) is older than the window: their count has lapsed."""
    stale = session.scalars(
        select(LoginThrottleRow.id).where(LoginThrottleRow.updated_at < before).limit(500)
    ).all()
    if stale:
        session.execute(delete(LoginThrottleRow).where(LoginThrottleRow.id.in_(stale)))
        recorder.check_audited(session, table="login_throttles.delete", count=len(stale))
