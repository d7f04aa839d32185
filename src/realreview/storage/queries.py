"""Mapping between domain records and rows, and the few queries the services need.

Parsers never build ORM objects (STYLE.md): records arrive here as :class:`realreview.records.Record`
and leave as ``(id, search_id, Record)`` tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.records import Author, Record
from realreview.storage.models import AuditLogRow, ImportFileRow, RecordRow, ReviewRow, SearchRow

__all__ = [
    "add_audit",
    "count_records",
    "find_import_by_sha",
    "iter_records",
    "record_counts_by_search",
    "records_by_id",
    "reviews",
    "row_to_record",
    "searches_of",
]


def row_to_record(row: RecordRow) -> Record:
    """Rebuild the domain record from a stored row."""
    return Record(
        raw=tuple((tag, value) for tag, value in row.raw),
        title=row.title,
        authors=tuple(Author(family, given) for family, given in row.authors),
        year=row.year,
        journal=row.journal,
        volume=row.volume,
        issue=row.issue,
        pages=row.pages,
        doi=row.doi,
        pmid=row.pmid,
        abstract=row.abstract,
        keywords=tuple(row.keywords),
        language=row.language,
        publication_type=row.publication_type,
        position=row.position,
        line=row.line,
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
