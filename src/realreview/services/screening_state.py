"""Screening state as the services derive it: events, resolutions, the dual sample, record states.

Internal building blocks for :mod:`.screening`, :mod:`.screening_views` and the other services that
need to know which records passed a stage. They take a review id and its setup, check no permission
and apply no blinding: the public services that call them do both, through the review context.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.screening import (
    Call,
    DecisionEvent,
    Event,
    RecordState,
    Resolution,
    ScreeningSetup,
    Stage,
    Verdict,
    current_calls,
    dual_sample,
    record_state,
)
from realreview.storage.models import RecordRow, ScreeningEventRow, ScreeningResolutionRow

__all__ = ["dual", "event_of", "record_states", "resolutions", "stage_events", "stage_record_ids"]


def event_of(row: ScreeningEventRow) -> DecisionEvent:
    """The domain event of a stored row."""
    return DecisionEvent(
        row.record_id,
        Stage(row.stage),
        row.reviewer,
        Event(row.event),
        row.at,
        tuple(row.reasons),
        tuple(row.tags),
        row.note,
    )


def stage_events(
    session: Session,
    *,
    review_id: int,
    stage: Stage,
    record_id: int | None = None,
    reviewer: str | None = None,
) -> list[DecisionEvent]:
    """The stage's decision events in the order they were made (of one record or reviewer if named)."""
    query = select(ScreeningEventRow).where(
        ScreeningEventRow.review_id == review_id, ScreeningEventRow.stage == stage.value
    )
    if record_id is not None:
        query = query.where(ScreeningEventRow.record_id == record_id)
    if reviewer is not None:
        query = query.where(ScreeningEventRow.reviewer == reviewer)
    return [event_of(row) for row in session.scalars(query.order_by(ScreeningEventRow.id))]


def stage_record_ids(session: Session, *, review_id: int) -> list[int]:
    """Every record that is screened (not a duplicate), by id."""
    return list(
        session.scalars(
            select(RecordRow.id)
            .where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
            .order_by(RecordRow.id)
        )
    )


def dual(session: Session, *, review_id: int, setup: ScreeningSetup) -> frozenset[int]:
    """The records in the dual-screening sample."""
    if setup.dual_fraction <= 0:
        return frozenset()
    ids = stage_record_ids(session, review_id=review_id)
    return dual_sample(ids, fraction=setup.dual_fraction, seed=setup.dual_seed)


def resolutions(session: Session, *, review_id: int, stage: Stage) -> dict[int, Resolution]:
    """The owners' resolutions at ``stage``, the latest per record."""
    rows = session.scalars(
        select(ScreeningResolutionRow)
        .where(ScreeningResolutionRow.review_id == review_id, ScreeningResolutionRow.stage == stage.value)
        .order_by(ScreeningResolutionRow.id)
    )
    return {
        row.record_id: Resolution(row.record_id, stage, row.owner, Verdict(row.verdict), row.at, row.note)
        for row in rows
    }


def record_states(
    session: Session,
    *,
    review_id: int,
    setup: ScreeningSetup,
    stage: Stage,
    record_ids: Iterable[int] | None = None,
) -> dict[int, RecordState]:
    """Each record's state at ``stage`` from everyone's calls (every non-duplicate record, or those named)."""
    in_sample = dual(session, review_id=review_id, setup=setup)
    ids = list(record_ids) if record_ids is not None else stage_record_ids(session, review_id=review_id)
    calls_by_record: dict[int, list[Call]] = defaultdict(list)
    for (record_id, _stage, _reviewer), call in current_calls(
        stage_events(session, review_id=review_id, stage=stage)
    ).items():
        calls_by_record[record_id].append(call)
    resolved = resolutions(session, review_id=review_id, stage=stage)
    return {
        record_id: record_state(
            calls_by_record.get(record_id, []),
            dual=record_id in in_sample,
            resolution=resolved.get(record_id),
            maybe=setup.maybe_rule,
        )
        for record_id in ids
    }
