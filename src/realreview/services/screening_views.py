"""What a reviewer's screening pages show: the queue, progress, one record, all within blinding.

Read-only use cases for the web app. Every function takes the viewing member's e-mail and returns
only what that member may see: while blinding is on, a reviewer's queue, counts and filters use
their own calls alone (see :func:`realreview.services.screening.calls_visible_to`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from realreview.errors import NotFoundError
from realreview.records import Record
from realreview.screening import Call, Event, RecordState, ReviewerState, Stage, passes_stage
from realreview.services.accounts import Role, require_role
from realreview.services.screening import calls_visible_to, record_states, screening_setup
from realreview.storage import queries
from realreview.storage.models import DocumentRow, RecordRow, ScreeningEventRow

__all__ = ["Filter", "Progress", "RecordView", "first_undecided", "progress", "queue", "record_view"]


class Filter(StrEnum):
    """Which records a queue lists."""

    UNDECIDED = "undecided"
    ALL = "all"
    INCLUDED = "included"
    EXCLUDED = "excluded"
    MAYBE = "maybe"
    CONFLICTS = "conflicts"


_MINE = {
    Filter.INCLUDED: ReviewerState.INCLUDED,
    Filter.EXCLUDED: ReviewerState.EXCLUDED,
    Filter.MAYBE: ReviewerState.MAYBE,
}


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the viewer is: records at the stage, and how many they have decided."""

    total: int
    decided: int

    @property
    def percent(self) -> int:
        """Whole percent decided (0 for an empty stage)."""
        return round(100 * self.decided / self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class RecordView:
    """One record as the screening page shows it, with the calls the viewer may see."""

    id: int
    record: Record
    mine: Call | None
    others: dict[str, Call]
    state: RecordState | None
    #: At the full-text stage: the record's attached full texts as (document id, file name).
    documents: tuple[tuple[int, str], ...] = ()


def _stage_ids(session: Session, *, review_id: int, stage: Stage) -> list[int]:
    ids = list(
        session.scalars(
            select(RecordRow.id)
            .where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
            .order_by(RecordRow.id)
        )
    )
    if stage is Stage.TITLE_ABSTRACT:
        return ids
    states = record_states(session, review_id=review_id, stage=Stage.TITLE_ABSTRACT, record_ids=ids)
    return [record_id for record_id in ids if passes_stage(states[record_id])]


def queue(
    session: Session,
    *,
    review_id: int,
    stage: Stage,
    viewer: str,
    filter: Filter = Filter.UNDECIDED,
    tag: str | None = None,
    reason: str | None = None,
    text: str | None = None,
    reviewer: str | None = None,
) -> list[int]:
    """Record ids for the viewer's queue, in order; filters use only calls the viewer may see.

    ``reviewer`` keeps the records that reviewer has decided; under blinding a reviewer sees only their
    own calls, so for anyone else's address the list is empty (nothing leaks).
    """
    role = require_role(session, review_id=review_id, email=viewer, role=Role.VIEWER)
    ids = _stage_ids(session, review_id=review_id, stage=stage)
    visible = calls_visible_to(session, review_id=review_id, stage=stage, viewer=viewer)
    mine = {record_id: call for (record_id, reviewer), call in visible.items() if reviewer == viewer}
    if filter is Filter.UNDECIDED:
        ids = [i for i in ids if i not in mine or mine[i].state is ReviewerState.UNDECIDED]
    elif filter in _MINE:
        ids = [i for i in ids if i in mine and mine[i].state is _MINE[filter]]
    elif filter is Filter.CONFLICTS:
        setup = screening_setup(session, review_id=review_id)
        if setup.blinded and role is not Role.OWNER:
            return []  # a blinded reviewer must not learn that anyone disagreed
        states = record_states(session, review_id=review_id, stage=stage, record_ids=ids)
        ids = [i for i in ids if states[i] is RecordState.CONFLICT]
    if reviewer:
        theirs = {
            r
            for (r, who), call in visible.items()
            if who == reviewer and call.state is not ReviewerState.UNDECIDED
        }
        ids = [i for i in ids if i in theirs]
    if tag:
        ids = [i for i in ids if any(tag in call.tags for (r, _), call in visible.items() if r == i)]
    if reason:
        ids = [i for i in ids if any(reason in call.reasons for (r, _), call in visible.items() if r == i)]
    if text:
        needle = text.casefold()
        records = queries.records_by_id(session, review_id=review_id, record_ids=set(ids))
        ids = [i for i in ids if needle in f"{records[i].title or ''} {records[i].abstract or ''}".casefold()]
    return ids


def progress(session: Session, *, review_id: int, stage: Stage, viewer: str) -> Progress:
    """Records at the stage and how many of them the viewer has decided."""
    require_role(session, review_id=review_id, email=viewer, role=Role.VIEWER)
    ids = set(_stage_ids(session, review_id=review_id, stage=stage))
    visible = calls_visible_to(session, review_id=review_id, stage=stage, viewer=viewer)
    decided = {
        record_id
        for (record_id, reviewer), call in visible.items()
        if reviewer == viewer and call.state is not ReviewerState.UNDECIDED and record_id in ids
    }
    return Progress(total=len(ids), decided=len(decided))


def record_view(session: Session, *, review_id: int, record_id: int, stage: Stage, viewer: str) -> RecordView:
    """One record with the viewer's call and, unless blinded, the others' calls and the record state."""
    role = require_role(session, review_id=review_id, email=viewer, role=Role.VIEWER)
    found = queries.records_by_id(session, review_id=review_id, record_ids={record_id})
    if record_id not in found:
        raise NotFoundError(f"review {review_id} has no record {record_id}")
    visible = calls_visible_to(session, review_id=review_id, stage=stage, viewer=viewer, record_id=record_id)
    calls = {reviewer: call for (r, reviewer), call in visible.items() if r == record_id}
    mine = calls.pop(viewer, None)
    setup = screening_setup(session, review_id=review_id)
    state = None
    if not setup.blinded or role is Role.OWNER:
        state = record_states(session, review_id=review_id, stage=stage, record_ids=[record_id])[record_id]
    documents: tuple[tuple[int, str], ...] = ()
    if stage is Stage.FULL_TEXT:
        documents = tuple(
            (row.id, row.name)
            for row in session.execute(
                select(DocumentRow.id, DocumentRow.name)
                .where(DocumentRow.review_id == review_id, DocumentRow.record_id == record_id)
                .order_by(DocumentRow.id)
            )
        )
    return RecordView(record_id, found[record_id], mine, calls, state, documents)


def _decided_by(review_id: int, stage: Stage, viewer: str):  # type: ignore[no-untyped-def]
    """Records the viewer has a standing call on: more decisions than undos (the event stack is not empty)."""
    net = func.sum(case((ScreeningEventRow.event == Event.UNDO.value, -1), else_=1))
    return (
        select(ScreeningEventRow.record_id)
        .where(
            ScreeningEventRow.review_id == review_id,
            ScreeningEventRow.stage == stage.value,
            ScreeningEventRow.reviewer == viewer,
        )
        .group_by(ScreeningEventRow.record_id)
        .having(net > 0)
    )


def first_undecided(
    session: Session, *, review_id: int, viewer: str, limit: int = 2
) -> tuple[list[int], Progress]:
    """The next ``limit`` title/abstract records the viewer has not decided, and their progress.

    The screening loop's hot path ("decide and get the next record"): indexed queries instead of
    replaying every event, with the same answer as :func:`queue` and :func:`progress` for the
    title/abstract stage (a standing call is one more decision than undos, by the transitions table).
    """
    require_role(session, review_id=review_id, email=viewer, role=Role.VIEWER)
    decided = list(session.scalars(_decided_by(review_id, Stage.TITLE_ABSTRACT, viewer)))
    base = select(RecordRow.id).where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
    ids: list[int] = []
    after = 0
    skip = set(decided)
    # Start where the reviewer's decided records stop being a run from the first record: both
    # databases then read a few index entries (a NOT IN over a grouped subquery made PostgreSQL
    # re-run the subquery per row, 0.7 s per request at 100,000 records).
    chunk = limit + 256
    while len(ids) < limit:
        batch = list(session.scalars(base.where(RecordRow.id > after).order_by(RecordRow.id).limit(chunk)))
        if not batch:
            break
        ids.extend(record_id for record_id in batch if record_id not in skip)
        after = batch[-1]
        chunk *= 4
    total = _count_records(session, review_id=review_id)
    done = 0
    for start in range(0, len(decided), 5000):
        part = decided[start : start + 5000]
        done += (
            session.scalar(select(func.count()).select_from(base.where(RecordRow.id.in_(part)).subquery()))
            or 0
        )
    return ids[:limit], Progress(total=total, decided=done)


def _count_records(session: Session, *, review_id: int) -> int:
    return (
        session.scalar(
            select(func.count(RecordRow.id)).where(
                RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None)
            )
        )
        or 0
    )
