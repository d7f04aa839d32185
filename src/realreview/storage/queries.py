"""Mapping between domain records and rows, and the few queries the services need.

Parsers never build ORM objects (STYLE.md): records arrive here as :class:`realreview.records.Record`
and leave as ``(id, search_id, Record)`` tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.records import FIELDS, Author, Record
from realreview.screening import Allocation, MaybeRule, ScreeningSetup
from realreview.storage.models import (
    AuditLogRow,
    ImportFileRow,
    RecordRow,
    ReviewRow,
    ScreeningSetupRow,
    SearchRow,
)

__all__ = [
    "add_audit",
    "count_records",
    "find_import_by_sha",
    "iter_records",
    "record_counts_by_search",
    "records_by_id",
    "reviews",
    "row_to_record",
    "save_screening_setup",
    "screening_setup",
    "searches_of",
]


def row_to_record(row: RecordRow) -> Record:
    """Rebuild the domain record from a stored row (the columns are named as :data:`FIELDS`)."""
    values: dict[str, Any] = {name: getattr(row, name) for name in FIELDS}
    values["authors"] = tuple(Author(family, given) for family, given in row.authors)
    values["keywords"] = tuple(row.keywords)
    return Record(
        raw=tuple((tag, value) for tag, value in row.raw), position=row.position, line=row.line, **values
    )


def iter_records(
    session: Session, *, review_id: int, search_id: int | None = None, batch_size: int = 2000
) -> Iterator[tuple[int, int, Record]]:
    """Yield ``(record id, search id, record)`` in import order, streaming in batches."""
    query = select(RecordRow).where(RecordRow.review_id == review_id).order_by(RecordRow.id)
    if search_id is not None:
        query = query.where(RecordRow.search_id == search_id)
    for row in session.scalars(query.execution_options(yield_per=batch_size)):
        yield row.id, row.search_id, row_to_record(row)
        session.expunge(row)


def records_by_id(session: Session, *, review_id: int, record_ids: set[int]) -> dict[int, Record]:
    """The review's records with these ids (ids of other reviews are simply absent)."""
    found: dict[int, Record] = {}
    ordered = sorted(record_ids)
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        query = select(RecordRow).where(RecordRow.review_id == review_id, RecordRow.id.in_(chunk))
        found.update((row.id, row_to_record(row)) for row in session.scalars(query))
    return found


def count_records(session: Session, *, review_id: int, search_id: int | None = None) -> int:
    """Number of records in a review (or one of its searches)."""
    query = select(func.count(RecordRow.id)).where(RecordRow.review_id == review_id)
    if search_id is not None:
        query = query.where(RecordRow.search_id == search_id)
    return session.scalar(query) or 0


def record_counts_by_search(session: Session, *, review_id: int) -> dict[int, int]:
    """Imported record count per search id."""
    query = (
        select(RecordRow.search_id, func.count(RecordRow.id))
        .where(RecordRow.review_id == review_id)
        .group_by(RecordRow.search_id)
    )
    return {search_id: count for search_id, count in session.execute(query).all()}


def find_import_by_sha(session: Session, *, review_id: int, sha256: str) -> ImportFileRow | None:
    """The earlier import of the same file into the review, if any."""
    query = select(ImportFileRow).where(ImportFileRow.review_id == review_id, ImportFileRow.sha256 == sha256)
    return session.scalars(query).first()


def add_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    review_id: int | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one audit-log entry (never updated, never deleted)."""
    session.add(
        AuditLogRow(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            review_id=review_id,
            details=details or {},
        )
    )


def searches_of(session: Session, *, review_id: int) -> Iterable[SearchRow]:
    """The review's searches in the order they were logged."""
    return session.scalars(select(SearchRow).where(SearchRow.review_id == review_id).order_by(SearchRow.id))


def reviews(session: Session) -> Sequence[ReviewRow]:
    """Every review, oldest first."""
    return session.scalars(select(ReviewRow).order_by(ReviewRow.id)).all()


def screening_setup(session: Session, *, review_id: int) -> ScreeningSetup:
    """The review's stored screening setup, or the defaults until one is saved."""
    row = session.get(ScreeningSetupRow, review_id)
    if row is None:
        return ScreeningSetup()
    return ScreeningSetup(
        inclusion=tuple(row.inclusion),
        exclusion=tuple(row.exclusion),
        exclusion_reasons=tuple(row.exclusion_reasons),
        tags={name: tuple(values) for name, values in row.tags.items()},
        include_words=tuple(row.include_words),
        exclude_words=tuple(row.exclude_words),
        blinded=row.blinded,
        dual_fraction=row.dual_fraction,
        dual_seed=row.dual_seed,
        maybe_rule=MaybeRule(row.maybe_rule),
        allocation=Allocation(row.allocation or Allocation.SHARED),
        lead_reviewer=row.lead_reviewer,
    )


def save_screening_setup(session: Session, *, review_id: int, setup: ScreeningSetup) -> None:
    """Store ``setup`` as the review's screening setup."""
    row = session.get(ScreeningSetupRow, review_id) or ScreeningSetupRow(review_id=review_id)
    row.inclusion, row.exclusion = list(setup.inclusion), list(setup.exclusion)
    row.exclusion_reasons = list(setup.exclusion_reasons)
    row.tags = {name: list(values) for name, values in setup.tags.items()}
    row.include_words, row.exclude_words = list(setup.include_words), list(setup.exclude_words)
    row.blinded, row.dual_fraction, row.dual_seed = setup.blinded, setup.dual_fraction, setup.dual_seed
    row.maybe_rule = MaybeRule(setup.maybe_rule).value
    row.allocation, row.lead_reviewer = setup.allocation.value, setup.lead_reviewer
    session.add(row)
