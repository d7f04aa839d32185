"""Who waits for which record: the queue's allocation rule applied, and the counts that add up.

The building blocks of the screening pages' queues and progress bars (:mod:`.screening_views`),
kept apart so that every count comes from one place: the records at a stage, the ones the
allocation still asks of a reviewer (:func:`waiting`), the ones they decided (:func:`decided`), and
the stage's allocation summary for the overview and ``realreview screen status``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, KeysView
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.screening import Allocation, Event, Stage, calls_needed, in_queue
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.screening_outcome import passed_title_abstract, touched_complete
from realreview.services.screening_state import (
    allotment,
    dual,
    screeners,
    stage_record_id_set,
    stage_record_ids,
    standing_callers,
)
from realreview.services.screening_tally import cached_stage_ids, read_memo, tallied_sets
from realreview.storage.models import RecordRow, ScreeningEventRow

__all__ = [
    "AllocationSummary",
    "ReviewerLoad",
    "allocation_summary",
    "decided",
    "stage_id_set",
    "stage_ids",
    "waiting",
    "waiting_counter",
]


def stage_ids(session: Session, ctx: ReviewContext, *, stage: Stage) -> list[int]:
    """The records at ``stage``: the same list whoever asks (see :func:`passed_title_abstract`)."""
    if stage is Stage.TITLE_ABSTRACT:
        return stage_record_ids(session, review_id=ctx.review_id)
    return passed_title_abstract(session, review_id=ctx.review_id, setup=ctx.setup)


def stage_id_set(session: Session, ctx: ReviewContext, *, stage: Stage) -> frozenset[int]:
    """The records at ``stage`` as a set (title/abstract: kept per process with the list)."""
    if stage is Stage.TITLE_ABSTRACT:
        return stage_record_id_set(session, review_id=ctx.review_id)
    return frozenset(stage_ids(session, ctx, stage=stage))


def waiting(session: Session, ctx: ReviewContext, *, stage: Stage, ids: list[int], actor: str) -> list[int]:
    """The records of ``ids`` that the allocation asks ``actor`` to screen and they have not yet.

    Reads who has a standing call on each record, never what the call was: a blinded reviewer's
    queue shrinks when a colleague has screened a record that needed one call, but the same way
    whether the colleague included or excluded it. Two reviewers who reach for the same record
    at once both keep their call (:func:`.screening.record_decision` refuses neither).
    """
    placing = allotment(session, review_id=ctx.review_id, setup=ctx.setup)
    sample = dual(session, review_id=ctx.review_id, setup=ctx.setup)
    callers = standing_callers(session, review_id=ctx.review_id, stage=stage)
    allocation = placing.allocation
    if allocation is Allocation.LEAD and actor != placing.lead:
        candidates = [record_id for record_id in ids if record_id in sample]
    elif allocation is Allocation.SPLIT and actor in placing.screeners:
        assigned = placing.assigned
        candidates = [r for r in ids if r in sample or assigned.get(r, actor) == actor]
    else:
        candidates = ids
    found = [
        record_id
        for record_id in candidates
        if record_id not in callers
        or in_queue(
            placing,
            actor=actor,
            record_id=record_id,
            in_sample=record_id in sample,
            callers=callers[record_id],
        )
    ]
    return found


def head(session: Session, ctx: ReviewContext, *, limit: int) -> tuple[list[int], int, int] | None:
    """The first ``limit`` title/abstract records waiting for the viewer, how many wait, how many they decided.

    The screening loop's hot path, without reading every record id: where a record with no call
    waits for everyone (``everyone``, ``shared``, and the lead under ``lead``), only the records
    someone has called can leave the viewer's queue, so the count is the stage's records less
    those, and the head is found by walking the id index past them. None where the allocation
    narrows the queue itself (the others under ``lead``, ``split``): the caller takes the full path.
    """
    placing = allotment(session, review_id=ctx.review_id, setup=ctx.setup, with_deal=False)
    narrow = placing.allocation is Allocation.SPLIT or (
        placing.allocation is Allocation.LEAD and ctx.actor != placing.lead
    )
    if narrow:
        return None
    review_id = ctx.review_id
    sets = tallied_sets(session, review_id=review_id, stage=Stage.TITLE_ABSTRACT)
    if sets is not None:
        own = sets.by_reviewer.get(ctx.actor, set())
        if placing.allocation is Allocation.SHARED:
            sample = dual(session, review_id=review_id, setup=ctx.setup) if sets.once else frozenset()
            # Out of my queue: what I called, and what has the calls it needs (one, two in the sample).
            left_out = own | (sets.once - sample) | (sets.twice & sample)
        else:  # everyone, or the lead: only my own calls take a record out of my queue
            left_out = own
        mine = len(own)
    else:
        callers = standing_callers(session, review_id=review_id, stage=Stage.TITLE_ABSTRACT)
        sample = dual(session, review_id=review_id, setup=ctx.setup) if callers else frozenset()
        left_out = {
            record_id
            for record_id, who in callers.items()
            if not in_queue(
                placing, actor=ctx.actor, record_id=record_id, in_sample=record_id in sample, callers=who
            )
        }
        mine = sum(1 for who in callers.values() if ctx.actor in who)
    every = cached_stage_ids(session, review_id=review_id)
    if every is not None:
        ids = []
        for record_id in every:
            if record_id not in left_out:
                ids.append(record_id)
                if len(ids) == limit:
                    break
        return ids, len(every) - len(left_out), mine
    base = select(RecordRow.id).where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
    connection = session.connection()
    total = connection.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    ids = []
    after, chunk = 0, limit + 256
    while len(ids) < limit:
        batch = list(
            connection.execute(base.where(RecordRow.id > after).order_by(RecordRow.id).limit(chunk)).scalars()
        )
        if not batch:
            break
        ids.extend(record_id for record_id in batch if record_id not in left_out)
        after, chunk = batch[-1], chunk * 4
    # Roots only: a call on a duplicate counts for its root, which is a screened record.
    return ids[:limit], total - len(left_out), mine


def decided_by(review_id: int, stage: Stage, viewer: str):  # type: ignore[no-untyped-def]
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


def decided(session: Session, ctx: ReviewContext, *, stage: Stage, ids: list[int]) -> set[int]:
    """The records of ``ids`` on which the viewer has a standing call (their own events only)."""
    mine = set(session.scalars(decided_by(ctx.review_id, stage, ctx.actor)))
    if not mine:
        return set()
    roots: dict[int, int] = {}
    ordered = sorted(mine)
    for start in range(0, len(ordered), 5000):
        roots.update(
            (row[0], int(row[1] or 0))
            for row in session.execute(
                select(RecordRow.id, RecordRow.duplicate_of).where(
                    RecordRow.id.in_(ordered[start : start + 5000]), RecordRow.duplicate_of.is_not(None)
                )
            )
        )
    at_stage = set(ids)
    return {roots.get(record_id, record_id) for record_id in mine} & at_stage


@dataclass(frozen=True, slots=True)
class ReviewerLoad:
    """One reviewer's share of a stage: records they decided, records still waiting for them."""

    reviewer: str
    decided: int
    waiting: int


@dataclass(frozen=True, slots=True)
class AllocationSummary:
    """How a stage's records are allocated, and what remains: the counts add up.

    ``records`` = ``complete`` + ``remaining``; each reviewer's ``waiting`` counts the records the
    allocation still asks of them (a record waiting for two reviewers counts for both).
    """

    stage: Stage
    allocation: Allocation
    lead: str | None
    records: int
    sample: int
    complete: int
    remaining: int
    reviewers: tuple[ReviewerLoad, ...]


class _WaitingCounter:
    """How many records :func:`waiting` would list for each person, without listing them.

    The same rule as :func:`waiting`: a candidate nobody has called waits; a called one waits when
    :func:`in_queue` says so. Counting the uncalled candidates by set sizes keeps the summary of 20
    reviewers over 100,000 records to the records actually screened.
    """

    def __init__(self, session: Session, ctx: ReviewContext, *, stage: Stage) -> None:
        self.placing = allotment(session, review_id=ctx.review_id, setup=ctx.setup)
        self.ids = stage_id_set(session, ctx, stage=stage)
        self.sample = set(dual(session, review_id=ctx.review_id, setup=ctx.setup) & self.ids)
        self.callers = {
            r: who
            for r, who in standing_callers(session, review_id=ctx.review_id, stage=stage).items()
            if r in self.ids
        }
        allocation = self.placing.allocation
        self.open = {
            r
            for r, who in self.callers.items()
            if len(who) < calls_needed(allocation, in_sample=r in self.sample)
        }
        self.owned: dict[str | None, set[int]] = {}
        if self.placing.allocation is Allocation.SPLIT:
            for record_id in self.ids - self.sample:
                self.owned.setdefault(self.placing.assigned.get(record_id), set()).add(record_id)

    def _candidates(self, actor: str) -> set[int] | frozenset[int] | None:
        """The records the allocation could ask of ``actor`` (None: every record at the stage)."""
        placing = self.placing
        if placing.allocation is Allocation.LEAD and actor != placing.lead:
            return self.sample
        if placing.allocation is Allocation.SPLIT and actor in placing.screeners:
            return self.sample | self.owned.get(actor, set()) | self.owned.get(None, set())
        return None

    def waiting(self, actor: str) -> int:
        candidates = self._candidates(actor)
        placing = self.placing
        called: set[int] | KeysView[int]
        if candidates is None:  # every record at the stage: count by set sizes, check the open ones
            pool_size, called = len(self.ids), self.callers.keys()
        else:
            pool_size, called = len(candidates), self.callers.keys() & candidates
        if placing.allocation is Allocation.EVERYONE or (
            placing.allocation is Allocation.LEAD and actor == placing.lead
        ):
            # in_queue is then "not called by them yet": nothing else to ask per record.
            return pool_size - sum(1 for r in called if actor in self.callers[r])
        if placing.allocation is Allocation.LEAD:
            checked: Iterable[int] = called
        else:  # shared or split: a record with the calls it needs is in no one's queue
            checked = self.open if candidates is None else self.open & candidates
        queued = sum(
            1
            for r in checked
            if in_queue(
                placing, actor=actor, record_id=r, in_sample=r in self.sample, callers=self.callers[r]
            )
        )
        return pool_size - len(called) + queued


def waiting_counter(session: Session, ctx: ReviewContext, *, stage: Stage) -> _WaitingCounter:
    """The stage's :class:`_WaitingCounter`, built once per read transaction (a page asks it per person)."""
    memo = read_memo(session)
    key = ("waiting counter", ctx.review_id, stage, ctx.setup.allocation, ctx.setup.lead_reviewer)
    known = memo.get(key) if memo is not None else None
    if isinstance(known, _WaitingCounter):
        return known
    counter = _WaitingCounter(session, ctx, stage=stage)
    if memo is not None:
        memo[key] = counter
    return counter


@reads(Action.VIEW_SCREENING)
def allocation_summary(session: Session, ctx: ReviewContext, *, stage: Stage) -> AllocationSummary:
    """The stage's allocation counts; under blinding a reviewer's own share only (no colleague's pace)."""
    ids = stage_ids(session, ctx, stage=stage)
    at_stage = stage_id_set(session, ctx, stage=stage)
    sample = dual(session, review_id=ctx.review_id, setup=ctx.setup) & at_stage
    finished = touched_complete(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage) & at_stage
    callers = standing_callers(session, review_id=ctx.review_id, stage=stage)
    people = sorted(
        set(screeners(session, review_id=ctx.review_id)) | {w for c in callers.values() for w in c}
    )
    if not ctx.sees():
        people = [ctx.actor] if ctx.can(Action.SCREEN) else []
    decided: Counter[str] = Counter(
        person for record_id, who in callers.items() if record_id in at_stage for person in who
    )
    counter = waiting_counter(session, ctx, stage=stage)
    loads = tuple(ReviewerLoad(person, decided[person], counter.waiting(person)) for person in people)
    complete = len(finished)
    return AllocationSummary(
        stage,
        ctx.setup.allocation,
        ctx.setup.lead_reviewer,
        len(ids),
        len(sample),
        complete,
        len(ids) - complete,
        loads,
    )
