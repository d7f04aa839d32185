"""Narrow dedup queries for one pair or one group at a time, so no request loads a whole run.

:mod:`realreview.storage.dedup` reads a run's links as explained :class:`StoredLink` objects, which
suits a run and the command line. At 100,000 records a run holds tens of thousands of links, and the
pair review must answer in milliseconds (issue #14): here each question is one indexed query (the
next undecided pair, a count, the members of one group), and the regrouping after a decision reads
bare ``(a, b)`` columns instead of ORM rows with their JSON explanations.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from realreview.storage.audit import check_audited
from realreview.storage.dedup import StoredLink
from realreview.storage.models import Base, DedupDecisionRow, DedupLinkRow, RecordRow

__all__ = [
    "NEEDS_REVIEW",
    "count_groups",
    "count_status",
    "decided_pairs",
    "decision_on",
    "edges_of_run",
    "group_of",
    "group_page",
    "last_decision_by",
    "link_between",
    "set_roots",
    "verdicts",
]

NEEDS_REVIEW = "needs_review"


def _stored(row: DedupLinkRow) -> StoredLink:
    return StoredLink(
        row.id,
        row.record_a_id,
        row.record_b_id,
        row.score,
        row.status,
        tuple(row.agreed),
        tuple(row.conflicted),
        row.reason,
    )


def decided_pairs(session: Session, *, review_id: int) -> set[tuple[int, int]]:
    """Every pair someone decided in the review (the pair index answers it alone)."""
    query = (
        select(DedupDecisionRow.record_a_id, DedupDecisionRow.record_b_id)
        .where(DedupDecisionRow.review_id == review_id)
        .distinct()
    )
    return {(a, b) for a, b in session.execute(query)}


def count_status(session: Session, *, run_id: int, status: str) -> int:
    """How many of the run's links have ``status``."""
    query = select(func.count(DedupLinkRow.id)).where(
        DedupLinkRow.run_id == run_id, DedupLinkRow.status == status
    )
    return session.scalar(query) or 0


def link_between(session: Session, *, run_id: int, a: int, b: int) -> StoredLink | None:
    """The run's pair to review between two records, if it made one (the run-status index serves it)."""
    low, high = sorted((a, b))
    query = select(DedupLinkRow).where(
        DedupLinkRow.run_id == run_id,
        DedupLinkRow.status == NEEDS_REVIEW,
        DedupLinkRow.record_a_id == low,
        DedupLinkRow.record_b_id == high,
    )
    row = session.scalars(query.limit(1)).first()
    return _stored(row) if row else None


def decision_on(session: Session, *, review_id: int, a: int, b: int) -> DedupDecisionRow | None:
    """The verdict in force on a pair (the latest), if anyone decided it."""
    low, high = sorted((a, b))
    query = select(DedupDecisionRow).where(
        DedupDecisionRow.review_id == review_id,
        DedupDecisionRow.record_a_id == low,
        DedupDecisionRow.record_b_id == high,
    )
    return session.scalars(query.order_by(DedupDecisionRow.id.desc()).limit(1)).first()


def last_decision_by(
    session: Session, *, review_id: int, reviewer: str, actions: Iterable[str]
) -> DedupDecisionRow | None:
    """``reviewer``'s latest decision in the review among ``actions``."""
    query = select(DedupDecisionRow).where(
        DedupDecisionRow.review_id == review_id,
        DedupDecisionRow.reviewer == reviewer,
        DedupDecisionRow.action.in_(list(actions)),
    )
    return session.scalars(query.order_by(DedupDecisionRow.id.desc()).limit(1)).first()


def edges_of_run(session: Session, *, run_id: int) -> list[tuple[int, int, str]]:
    """Every link of a run as bare ``(a, b, status)``, in the matcher's order of trust (best first)."""
    query = (
        select(DedupLinkRow.record_a_id, DedupLinkRow.record_b_id, DedupLinkRow.status)
        .where(DedupLinkRow.run_id == run_id)
        .order_by(DedupLinkRow.score.desc(), DedupLinkRow.id)
    )
    return [(a, b, status) for a, b, status in session.execute(query)]


def verdicts(session: Session, *, review_id: int) -> dict[tuple[int, int], str]:
    """The verdict in force on each decided pair (latest wins), pairs in the order first decided."""
    query = (
        select(DedupDecisionRow.record_a_id, DedupDecisionRow.record_b_id, DedupDecisionRow.verdict)
        .where(DedupDecisionRow.review_id == review_id)
        .order_by(DedupDecisionRow.id)
    )
    return {(a, b): verdict for a, b, verdict in session.execute(query)}


def group_of(session: Session, *, review_id: int, record_id: int) -> list[int]:
    """The members of ``record_id``'s duplicate group, root first (just the record when it has none)."""
    root = session.scalar(
        select(func.coalesce(RecordRow.duplicate_of, RecordRow.id)).where(
            RecordRow.review_id == review_id, RecordRow.id == record_id
        )
    )
    if root is None:
        return []
    members = session.scalars(
        select(RecordRow.id)
        .where(RecordRow.review_id == review_id, RecordRow.duplicate_of == root)
        .order_by(RecordRow.id)
    ).all()
    return [root, *members] if members else [record_id]


def count_groups(session: Session, *, review_id: int) -> tuple[int, int]:
    """``(groups, duplicates)``: how many groups there are and how many records point to a root."""
    query = select(func.count(func.distinct(RecordRow.duplicate_of)), func.count(RecordRow.id)).where(
        RecordRow.review_id == review_id, RecordRow.duplicate_of.is_not(None)
    )
    groups, duplicates = session.execute(query).one()
    return int(groups or 0), int(duplicates or 0)


def group_page(session: Session, *, review_id: int, offset: int, limit: int) -> list[list[int]]:
    """One page of groups (root first, then members by id), listed by root."""
    roots = session.scalars(
        select(RecordRow.duplicate_of)
        .where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_not(None))
        .group_by(RecordRow.duplicate_of)
        .order_by(RecordRow.duplicate_of)
        .offset(offset)
        .limit(limit)
    ).all()
    found: dict[int, list[int]] = {root: [root] for root in roots if root is not None}
    if found:
        query = (
            select(RecordRow.duplicate_of, RecordRow.id)
            .where(RecordRow.review_id == review_id, RecordRow.duplicate_of.in_(list(found)))
            .order_by(RecordRow.id)
        )
        for root, member in session.execute(query):
            if root is not None:
                found[root].append(member)
    return list(found.values())


def set_roots(session: Session, *, review_id: int, ids: Iterable[int], roots: dict[int, int]) -> int:
    """Make ``duplicate_of`` match ``roots`` for the records ``ids`` only (the rest are left alone)."""
    wanted = sorted(set(ids))
    current: dict[int, int | None] = {}
    for start in range(0, len(wanted), 1000):
        query = select(RecordRow.id, RecordRow.duplicate_of).where(
            RecordRow.review_id == review_id, RecordRow.id.in_(wanted[start : start + 1000])
        )
        current.update((record, root) for record, root in session.execute(query))
    changes = [
        {"record": record, "root": roots.get(record)}
        for record in current
        if current[record] != roots.get(record)
    ]
    if changes:
        check_audited(session, table="records.update", count=len(changes))
        table = Base.metadata.tables["records"]
        statement = (
            table.update().where(table.c.id == bindparam("record")).values(duplicate_of=bindparam("root"))
        )
        session.execute(statement, changes)
    return len(changes)
