"""Use cases for reading records back: list, count and export them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview import formats
from realreview.records import Record
from realreview.services.reviews import get_review
from realreview.services.searches import get_search
from realreview.storage import queries

__all__ = ["StoredRecord", "count_records", "export_records", "iter_records"]


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record with the ids it has in the review."""

    id: int
    search_id: int
    record: Record


def _scope(session: Session, review_id: int | None, search_id: int | None) -> tuple[int, int | None]:
    review = get_review(session, review_id=review_id)
    if search_id is not None:
        get_search(session, review_id=review.id, search_id=search_id)
    return review.id, search_id


def iter_records(
    session: Session, *, review_id: int | None, search_id: int | None = None
) -> Iterator[StoredRecord]:
    """Stream the review's records (or one search's) in import order."""
    review, search = _scope(session, review_id, search_id)
    for record_id, record_search, record in queries.iter_records(session, review_id=review, search_id=search):
        yield StoredRecord(record_id, record_search, record)


def count_records(session: Session, *, review_id: int | None, search_id: int | None = None) -> int:
    """Number of records in the review (or one search)."""
    review, search = _scope(session, review_id, search_id)
    return queries.count_records(session, review_id=review, search_id=search)


def export_records(
    session: Session, *, review_id: int | None, format_name: str, search_id: int | None = None
) -> str:
    """The review's records written as RIS, CSV or BibTeX."""
    stored = iter_records(session, review_id=review_id, search_id=search_id)
    return formats.dumps((item.record for item in stored), format_name)
