"""Use cases for reading records back: list, count and export them."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview import formats
from realreview.access import Action
from realreview.errors import ValidationError
from realreview.records import Record
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.export_notes import screening_notes
from realreview.services.outcomes import STATES, outcomes
from realreview.services.searches import get_search
from realreview.storage import queries

__all__ = ["StoredRecord", "count_records", "export_records", "iter_records"]

_NO_NOTES = formats.RecordNotes()


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
    notes: bool = False,
) -> str:
    """The review's records written as RIS, CSV or BibTeX (with ``state``, only the records in it).

    ``state`` is a completed screening outcome (:data:`realreview.services.outcomes.STATES`:
    included, excluded, full_text, ...); a record whose screening is not complete is ``pending``
    whoever exports, so the file shows no call before the protocol allows.

    ``notes`` adds what the screening decided about each record, as far as the exporting person may
    see it (:mod:`.export_notes`): the outcome at each stage, exclusion reasons, tags and decision
    notes, as RIS ``N1`` lines, a BibTeX ``annote`` field or CSV columns.

    CSV cells a spreadsheet would run as a formula get a leading ``'`` unless ``raw`` is true
    (:func:`realreview.tables.csv_text`; importing the file takes it off again).
    """
    if format_name not in formats.WRITERS:
        raise ValidationError(f"format {format_name!r}: use one of {', '.join(formats.WRITERS)}")
    if state is not None and state not in STATES:
        raise ValidationError(f"state {state!r}: use one of {', '.join(STATES)}")
    _check_search(session, ctx, search_id)
    stored: Iterable[StoredRecord] = _stream(session, ctx.review_id, search_id)
    found = outcomes(session, ctx) if state is not None or notes else None
    if state is not None and found is not None:
        wanted = found.in_state(state)
        stored = (item for item in stored if item.id in wanted)
    if not notes or found is None:
        return formats.dumps((item.record for item in stored), format_name, defuse_formulas=not raw)
    by_id = screening_notes(session, ctx, found=found)
    # Two views of one stream (records, their notes), which the RIS and CSV writers consume in step:
    # the export still streams its records rather than holding them all in a list.
    left, right = itertools.tee(stored)
    return formats.dumps(
        (item.record for item in left),
        format_name,
        defuse_formulas=not raw,
        notes=(by_id.get(item.id, _NO_NOTES) for item in right),
    )
