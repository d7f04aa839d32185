"""Screening state as the services derive it: events, resolutions, the sample, allocation, record states.

Internal building blocks for :mod:`.screening`, :mod:`.screening_views` and the other services that
need to know which records passed a stage. They take a review id and its setup, check no permission
and apply no blinding: the public services that call them do both, through the review context.

Two rules of the protocol live here:

* **A merged record keeps the calls of its group.** Calls made on a record that dedup later marks
  as a duplicate count for the group's root (a reviewer's latest standing call wins), so a merge
  never loses a decision; an unmerge gives the record its own calls back.
* **The sample is stored** (:mod:`.screening_sample`): a record's membership is its own and never
  follows a merge, so merges, unmerges and re-runs of dedup move no record in or out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from realreview.screening import (
    Allocation,
    Allotment,
    Call,
    DecisionEvent,
    Event,
    Resolution,
    ScreeningSetup,
    Stage,
    Verdict,
    current_calls,
    split_evenly,
)
from realreview.services.screening_tally import (
    cached_sample,
    cached_stage_id_set,
    cached_stage_ids,
    tallied_callers,
)
from realreview.storage.models import (
    MemberRow,
    RecordRow,
    ScreeningEventRow,
    ScreeningResolutionRow,
    ScreeningSampleRow,
    UserRow,
)

__all__ = [
    "REOPENED",
    "allotment",
    "screeners",
    "calls",
    "dual",
    "event_of",
    "resolution_rows",
    "resolutions",
    "stage_events",
    "stage_record_id_set",
    "stage_record_ids",
    "standing_callers",
]

#: The verdict stored on a resolution row that reopens a resolved conflict.
REOPENED = "reopened"


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
    """Every record that is screened (not a duplicate), by id (a Core query: no ORM rows to build)."""
    cached = cached_stage_ids(session, review_id=review_id)
    if cached is not None:
        return list(cached)
    query = (
        select(RecordRow.id)
        .where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
        .order_by(RecordRow.id)
    )
    return list(session.connection().execute(query).scalars())


def stage_record_id_set(session: Session, *, review_id: int) -> frozenset[int]:
    """The records of :func:`stage_record_ids` as a set (kept per process with the list). Shared."""
    cached = cached_stage_id_set(session, review_id=review_id)
    return cached if cached is not None else frozenset(stage_record_ids(session, review_id=review_id))


def dual(session: Session, *, review_id: int, setup: ScreeningSetup) -> frozenset[int]:
    """The records in the dual-screening sample, as stored (every record when everyone screens all)."""
    if setup.allocation is Allocation.EVERYONE:
        return frozenset(stage_record_ids(session, review_id=review_id))
    if setup.dual_fraction <= 0:
        return frozenset()
    cached = cached_sample(session, review_id=review_id)
    if cached is not None:
        return cached
    query = select(ScreeningSampleRow.record_id).where(ScreeningSampleRow.review_id == review_id)
    return frozenset(session.connection().execute(query).scalars())


def screeners(session: Session, *, review_id: int) -> tuple[str, ...]:
    """The members asked to screen: the reviewers, or the owners where a review has no reviewer."""
    rows = session.execute(
        select(UserRow.email, MemberRow.role)
        .join(MemberRow, MemberRow.user_id == UserRow.id)
        .where(MemberRow.review_id == review_id, MemberRow.role.in_(("reviewer", "owner")))
    ).all()
    reviewers = tuple(sorted(email for email, role in rows if role == "reviewer"))
    return reviewers or tuple(sorted(email for email, role in rows if role == "owner"))


def allotment(
    session: Session, *, review_id: int, setup: ScreeningSetup, with_deal: bool = True
) -> Allotment:
    """What the allocation needs to place records: mode, lead, screeners and, under ``split``, the deal."""
    people = screeners(session, review_id=review_id)
    assigned: dict[int, str] = {}
    if setup.allocation is Allocation.SPLIT and with_deal:
        sample = dual(session, review_id=review_id, setup=setup)
        every = (
            session.connection()
            .execute(select(RecordRow.id).where(RecordRow.review_id == review_id))
            .scalars()
        )
        assigned = split_evenly((r for r in every if r not in sample), people)
    return Allotment(setup.allocation, setup.lead_reviewer, people, assigned)


def _roots(session: Session, *, review_id: int, record_ids: Iterable[int]) -> dict[int, int]:
    """The duplicate group root of each named record that is a duplicate."""
    ids = sorted(set(record_ids))
    roots: dict[int, int] = {}
    for start in range(0, len(ids), 5000):
        part = ids[start : start + 5000]
        roots.update(
            (row[0], int(row[1] or 0))
            for row in session.execute(
                select(RecordRow.id, RecordRow.duplicate_of).where(
                    RecordRow.review_id == review_id,
                    RecordRow.id.in_(part),
                    RecordRow.duplicate_of.is_not(None),
                )
            ).all()
        )
    return roots


def calls(
    session: Session,
    *,
    review_id: int,
    stage: Stage,
    record_id: int | None = None,
    reviewer: str | None = None,
    on_illegal: Callable[[DecisionEvent], None] | None = None,
) -> dict[tuple[int, str], Call]:
    """Each (record, reviewer)'s standing call, with the calls of a record's duplicates folded in.

    A stored history that the state machine cannot replay (an undo with nothing to undo, left by a
    race before writes were serialised) does not take the pages down: the impossible event is
    skipped and passed to ``on_illegal`` (``realreview db check`` reports them).
    """
    if record_id is not None:
        group = [record_id, *session.scalars(select(RecordRow.id).where(RecordRow.duplicate_of == record_id))]
        query = select(ScreeningEventRow).where(ScreeningEventRow.record_id.in_(group))
    else:
        query = select(ScreeningEventRow).where(ScreeningEventRow.review_id == review_id)
    query = query.where(ScreeningEventRow.stage == stage.value)
    if reviewer is not None:
        query = query.where(ScreeningEventRow.reviewer == reviewer)
    events = [event_of(row) for row in session.scalars(query.order_by(ScreeningEventRow.id))]
    standing = current_calls(events, on_illegal=on_illegal or (lambda _event: None))
    roots = _roots(session, review_id=review_id, record_ids={key[0] for key in standing})
    folded: dict[tuple[int, str], Call] = {}
    for (record, _stage, who), call in standing.items():
        key = (roots.get(record, record), who)
        earlier = folded.get(key)
        if earlier is None or _later(call, earlier):
            folded[key] = call
    return folded


def _later(call: Call, than: Call) -> bool:
    """Whether ``call`` is the later standing call of one reviewer on two records of one group."""
    if not call.history or not than.history:
        return bool(call.history)
    return call.history[-1].at >= than.history[-1].at


def standing_callers(session: Session, *, review_id: int, stage: Stage) -> dict[int, set[str]]:
    """Who has a standing call on each record (group root), from one grouped query, no replay.

    A standing call is one more decision than undos (the transitions table: every undo pops one).
    Outside a write the per-process tally answers from the new events only
    (:mod:`.screening_tally`); inside one, the database is asked, uncommitted rows included.
    """
    tallied = tallied_callers(session, review_id=review_id, stage=stage)
    if tallied is not None:
        return tallied
    net = func.sum(case((ScreeningEventRow.event == Event.UNDO.value, -1), else_=1))
    root = func.coalesce(RecordRow.duplicate_of, RecordRow.id)
    rows = session.execute(
        select(root, ScreeningEventRow.reviewer)
        .join(RecordRow, RecordRow.id == ScreeningEventRow.record_id)
        .where(ScreeningEventRow.review_id == review_id, ScreeningEventRow.stage == stage.value)
        .group_by(
            ScreeningEventRow.record_id, RecordRow.duplicate_of, RecordRow.id, ScreeningEventRow.reviewer
        )
        .having(net > 0)
    ).all()
    callers: dict[int, set[str]] = defaultdict(set)
    for record_id, who in rows:
        callers[record_id].add(who)
    return callers


def resolution_rows(session: Session, *, review_id: int, stage: Stage) -> list[ScreeningResolutionRow]:
    """Every resolution row at ``stage`` (reopenings included), oldest first."""
    return list(
        session.scalars(
            select(ScreeningResolutionRow)
            .where(ScreeningResolutionRow.review_id == review_id, ScreeningResolutionRow.stage == stage.value)
            .order_by(ScreeningResolutionRow.id)
        )
    )


def resolutions(session: Session, *, review_id: int, stage: Stage) -> dict[int, Resolution]:
    """The owners' standing resolutions at ``stage``: the latest per record, unless it reopened it."""
    latest: dict[int, Resolution | None] = {}
    for row in resolution_rows(session, review_id=review_id, stage=stage):
        if row.verdict == REOPENED:
            latest[row.record_id] = None
        else:
            latest[row.record_id] = Resolution(
                row.record_id, stage, row.owner, Verdict(row.verdict), row.at, row.note
            )
    return {record_id: resolution for record_id, resolution in latest.items() if resolution is not None}
