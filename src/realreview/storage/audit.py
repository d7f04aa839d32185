"""The audit trail as a mechanism: every change a session flushes is counted inside an audited call.

A session made by :func:`realreview.storage.engine.session_factory` refuses to flush a change (or
to run a bulk insert) unless an audited service is running (:func:`recording`); the service layer's
``mutation`` decorator opens that recording and writes one audit row per call from what it saw. So
a write that forgot its audit fails loudly instead of leaving no trace.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from realreview.storage.models import AuditLogRow

__all__ = [
    "WROTE",
    "Recording",
    "UnauditedWriteError",
    "check_audited",
    "guard_flush",
    "may_have_written",
    "recording",
]

_STACK = "realreview.audit"


class UnauditedWriteError(RuntimeError):
    """A change reached the database outside an audited service: a programming error."""


@dataclass
class Recording:
    """What one audited call changed: rows per table and operation, and details the service added."""

    rows: Counter[str] = field(default_factory=Counter)
    details: dict[str, Any] = field(default_factory=dict)
    entity_id: int | None = None


@contextmanager
def recording(session: Session) -> Iterator[Recording]:
    """Count the changes ``session`` flushes until the block ends.

    A nested audited call counts its own changes, which then count for the call around it as well.
    """
    session.flush()  # what the caller had pending is the caller's (or, outside any call, refused)
    session.info[WROTE] = True  # this transaction may hold writes not yet committed
    stack: list[Recording] = session.info.setdefault(_STACK, [])
    entry = Recording()
    stack.append(entry)
    try:
        yield entry
        session.flush()
    finally:
        stack.pop()
    if stack:  # an audited call made inside another: the outer call changed those rows too
        stack[-1].rows.update(entry.rows)


#: ``session.info`` key set once a transaction has entered an audited write (see :func:`may_have_written`).
WROTE = "realreview.wrote"


def may_have_written(session: Session) -> bool:
    """Whether this transaction entered an audited write: what it reads may not be committed yet."""
    return bool(session.info.get(WROTE))


def current(session: Session) -> Recording | None:
    """The innermost running recording, if any."""
    stack: list[Recording] = session.info.get(_STACK, [])
    return stack[-1] if stack else None


def check_audited(session: Session, *, table: str, count: int = 1) -> None:
    """Refuse a write outside an audited call; inside one, count ``count`` rows into ``table``."""
    entry = current(session)
    if entry is None:
        raise UnauditedWriteError(f"a write to {table} outside an audited service")
    entry.rows[table] += count


def guard_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    """``before_flush`` listener: count each pending change, or refuse it outside an audited call."""
    changes = [
        (obj, op)
        for objs, op in ((session.new, "insert"), (session.dirty, "update"), (session.deleted, "delete"))
        for obj in objs
        if not isinstance(obj, AuditLogRow) and (op != "update" or session.is_modified(obj))
    ]
    if not changes:
        return
    entry = current(session)
    if entry is None:
        obj, op = changes[0]
        raise UnauditedWriteError(f"{op} of {type(obj).__name__} outside an audited service")
    for obj, op in changes:
        entry.rows[f"{obj.__tablename__}.{op}"] += 1
