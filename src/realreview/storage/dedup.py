"""Storage for deduplication: runs, their explained links, reviewer decisions and ``duplicate_of``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from realreview.storage.audit import check_audited
from realreview.storage.models import Base, DedupDecisionRow, DedupLinkRow, DedupRunRow, RecordRow

__all__ = [
    "StoredLink",
    "add_decision",
    "add_links",
    "add_run",
    "current_decisions",
    "latest_run",
    "links_of_run",
    "set_duplicate_of",
]


@dataclass(frozen=True, slots=True)
class StoredLink:
    """A machine link between two stored records."""

    id: int
    a: int
    b: int
    score: float
    status: str
    agreed: tuple[str, ...]
    conflicted: tuple[str, ...]
    reason: str


def add_run(session: Session, *, review_id: int, actor: str, record_count: int, seconds: float) -> int:
    """Record one dedup run; returns its id."""
    row = DedupRunRow(review_id=review_id, actor=actor, record_count=record_count, seconds=seconds)
    session.add(row)
    session.flush()
    return row.id


def add_links(session: Session, *, review_id: int, run_id: int, links: Iterable[StoredLink]) -> int:
    """Store a run's links in bulk; returns how many."""
    rows = [
        {
            "review_id": review_id,
            "run_id": run_id,
            "record_a_id": link.a,
            "record_b_id": link.b,
            "score": link.score,
            "status": link.status,
            "agreed": list(link.agreed),
            "conflicted": list(link.conflicted),
            "reason": link.reason,
        }
        for link in links
    ]
    if rows:
        check_audited(session, table="dedup_links.insert", count=len(rows))
        session.execute(insert(DedupLinkRow), rows)
    return len(rows)


def latest_run(session: Session, *, review_id: int) -> DedupRunRow | None:
    """The review's most recent dedup run."""
    query = select(DedupRunRow).where(DedupRunRow.review_id == review_id).order_by(DedupRunRow.id.desc())
    return session.scalars(query.limit(1)).first()


def links_of_run(session: Session, *, run_id: int) -> list[StoredLink]:
    """Every link of a run, best score first (ties in the order stored, on every database)."""
    query = (
        select(DedupLinkRow)
        .where(DedupLinkRow.run_id == run_id)
        .order_by(DedupLinkRow.score.desc(), DedupLinkRow.id)
    )
    return [
        StoredLink(
            row.id,
            row.record_a_id,
            row.record_b_id,
            row.score,
            row.status,
            tuple(row.agreed),
            tuple(row.conflicted),
            row.reason,
        )
        for row in session.scalars(query)
    ]


def add_decision(
    session: Session,
    *,
    review_id: int,
    pair: tuple[int, int],
    verdict: str,
    action: str,
    reviewer: str,
    note: str | None,
) -> int:
    """Append a reviewer's verdict on a pair (stored with the smaller id first)."""
    a, b = sorted(pair)
    row = DedupDecisionRow(
        review_id=review_id,
        record_a_id=a,
        record_b_id=b,
        verdict=verdict,
        action=action,
        reviewer=reviewer,
        note=note,
    )
    session.add(row)
    session.flush()
    return row.id


def current_decisions(session: Session, *, review_id: int) -> dict[tuple[int, int], DedupDecisionRow]:
    """The verdict in force on each decided pair: the latest one."""
    query = (
        select(DedupDecisionRow).where(DedupDecisionRow.review_id == review_id).order_by(DedupDecisionRow.id)
    )
    return {(row.record_a_id, row.record_b_id): row for row in session.scalars(query)}


def set_duplicate_of(session: Session, *, review_id: int, roots: dict[int, int]) -> int:
    """Make ``duplicate_of`` match ``roots`` (record id -> its group's root) for the whole review.

    Only the records whose root changed are written, so a single decision in a large review costs a
    handful of updates, not one per duplicate. Returns how many records changed.
    """
    current = dict(
        session.execute(
            select(RecordRow.id, RecordRow.duplicate_of).where(
                RecordRow.review_id == review_id, RecordRow.duplicate_of.is_not(None)
            )
        ).all()
    )
    changes = [{"record": record, "root": None} for record in current if record not in roots]
    changes += [
        {"record": record, "root": root} for record, root in roots.items() if current.get(record) != root
    ]
    if changes:
        check_audited(session, table="records.update", count=len(changes))
        table = Base.metadata.tables["records"]
        statement = (
            table.update().where(table.c.id == bindparam("record")).values(duplicate_of=bindparam("root"))
        )
        session.execute(statement, changes)
    return len(changes)
