"""Another report of an included study: a different paper about the same study, not a duplicate.

PRISMA 2020 counts studies and reports apart ("new studies included" and "reports of new included
studies"). Deduplication merges copies of one record; this marks a second paper (a protocol, a
follow-up, a secondary analysis) as belonging to a study already included, so the study is counted
once and the paper still as a report. A mark can be taken back; the row keeps who took it back and
when, and the audit log keeps both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage.models import RecordRow, StudyReportRow

__all__ = [
    "StudyReport",
    "mark_study_report",
    "other_reports_of_studies",
    "study_reports",
    "unmark_study_report",
]


@dataclass(frozen=True, slots=True)
class StudyReport:
    """``record_id`` is another report of the study whose main report is ``study_record_id``."""

    record_id: int
    study_record_id: int
    note: str
    marked_by: str


def _record(session: Session, ctx: ReviewContext, record_id: int) -> RecordRow:
    row = session.get(RecordRow, record_id)
    if row is None or row.review_id != ctx.review_id:
        raise NotFoundError(f"review {ctx.review_id} has no record {record_id}")
    if row.duplicate_of is not None:
        raise ValidationError(
            f"record {record_id} is a duplicate of record {row.duplicate_of}; mark the record it was merged into"
        )
    return row


def _active(session: Session, review_id: int) -> dict[int, StudyReportRow]:
    rows = session.scalars(
        select(StudyReportRow).where(
            StudyReportRow.review_id == review_id, StudyReportRow.removed_at.is_(None)
        )
    )
    return {row.record_id: row for row in rows}


def other_reports_of_studies(session: Session, *, review_id: int) -> frozenset[int]:
    """The records marked as another report of a study (internal: for counting studies)."""
    return frozenset(_active(session, review_id))


@reads(Action.VIEW_REPORTS)
def study_reports(session: Session, ctx: ReviewContext) -> list[StudyReport]:
    """The records marked as further reports of a study, by record id."""
    return [
        StudyReport(row.record_id, row.study_record_id, row.note, row.marked_by)
        for _, row in sorted(_active(session, ctx.review_id).items())
    ]


@mutation(Action.MARK_REPORTS, audit="study_report.mark", entity="record")
def mark_study_report(
    session: Session, ctx: ReviewContext, *, record_id: int, study_record_id: int, note: str = ""
) -> StudyReport:
    """Mark ``record_id`` as another report of the study reported by ``study_record_id``.

    Raises:
        NotFoundError: either record is not in the review.
        ValidationError: the same record, a merged duplicate, a study that is itself marked as a
            report of another (marks point at the study's main report), or a record whose own
            further reports would be left pointing at it.
    """
    if record_id == study_record_id:
        raise ValidationError(f"record {record_id} cannot be another report of itself")
    _record(session, ctx, record_id)
    _record(session, ctx, study_record_id)
    active = _active(session, ctx.review_id)
    if study_record_id in active:
        main = active[study_record_id].study_record_id
        raise ValidationError(
            f"record {study_record_id} is itself another report of the study of record {main}; "
            f"mark record {record_id} as a report of record {main}"
        )
    if any(row.study_record_id == record_id for row in active.values()):
        raise ValidationError(
            f"record {record_id} is the main report of a study with further reports; it cannot be "
            "marked as a report of another study"
        )
    row = session.scalar(
        select(StudyReportRow).where(
            StudyReportRow.review_id == ctx.review_id, StudyReportRow.record_id == record_id
        )
    )
    before = None if row is None or row.removed_at is not None else row.study_record_id
    if row is None:
        row = StudyReportRow(review_id=ctx.review_id, record_id=record_id, marked_by=ctx.actor)
        session.add(row)
    row.study_record_id, row.note, row.marked_by = study_record_id, note.strip(), ctx.actor
    row.marked_at, row.removed_at, row.removed_by = dt.datetime.now(dt.UTC), None, None
    session.flush()
    audit.note(session, entity_id=record_id, study_record_id=study_record_id, before=before)
    return StudyReport(record_id, study_record_id, row.note, ctx.actor)


@mutation(Action.MARK_REPORTS, audit="study_report.unmark", entity="record")
def unmark_study_report(session: Session, ctx: ReviewContext, *, record_id: int) -> None:
    """Take the mark back: the record counts as a study of its own again (the mark stays, removed).

    Raises:
        NotFoundError: the record is not marked as another report.
    """
    row = _active(session, ctx.review_id).get(record_id)
    if row is None:
        raise NotFoundError(f"record {record_id} is not marked as another report of a study")
    row.removed_at, row.removed_by = dt.datetime.now(dt.UTC), ctx.actor
    audit.note(session, entity_id=record_id, study_record_id=row.study_record_id)
