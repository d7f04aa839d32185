"""Use cases for reading records back: list, count and export them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview import formats
from realreview.access import Action
from realreview.errors import ValidationError
from realreview.records import Record
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.outcomes import STATES, outcomes
from realreview.services.searches import get_search
from realreview.storage import queries

__all__ = ["StoredRecord", "count_records", "export_records", "iter_records"]


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record with the ids it has in the review."""

    id: int
    search_id: int
    record: Record


def _check_search(session: Session, ctx: ReviewContext, search_id: int | None) -> None:
    if search_id is not None:
        get_search(session, review_id=ctx.review_id, search_id=search_id)


@reads(Action.VIEW_RECORDS)
def iter_records(
    session: Session, ctx: ReviewContext, *, search_id: int | None = None
) -> Iterator[StoredRecord]:
    """Stream the review's records (or one search's) in import order."""
    _check_search(session, ctx, search_id)
    return _stream(session, ctx.review_id, search_id)


def _stream(session: Session, review_id: int, search_id: int | None) -> Iterator[StoredRecord]:
    for record_id, record_search, record in queries.iter_records(
        session, review_id=review_id, search_id=search_id
    ):
        yield StoredRecord(record_id, record_search, record)


@reads(Action.VIEW_RECORDS)
def count_records(session: Session, ctx: ReviewContext, *, search_id: int | None = None) -> int:
    """Number of records in the review (or one search)."""
    _check_search(session, ctx, search_id)
    return queries.count_records(session, review_id=ctx.review_id, search_id=search_id)


@reads(Action.EXPORT_RECORDS)
def export_records(
    session: Session,
    ctx: ReviewContext,
    *,
    format_name: str,
    search_id: int | None = None,
    raw: bool = False,
    state: str | None = None,
) -> str:
    """The review's records written as RIS, CSV or BibTeX (with ``state``, only the records in it).

    ``state`` is a completed screening outcome (:data:`realreview.services.outcomes.STATES`:
    included, excluded, full_text, ...); a record whose screening is not complete is ``pending``
    whoever exports, so the file shows no call before the protocol allows.

    CSV cells a spreadsheet would run as a formula get a leading ``'`` unless ``raw`` is true
    (:func:`realreview.tables.csv_text`; importing the file takes it off again).
    """
    _check_search(session, ctx, search_id)
    stored: Iterable[StoredRecord] = _stream(session, ctx.review_id, search_id)
    if state is not None:
        if state not in STATES:
            raise ValidationError(f"state {state!r}: use one of {', '.join(STATES)}")
        wanted = outcomes(session, ctx).in_state(state)
        stored = (item for item in stored if item.id in wanted)
    return formats.dumps((item.record for item in stored), format_name, defuse_formulas=not raw)
