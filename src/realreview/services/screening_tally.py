"""Who has a standing call on each record: a per-process tally kept up to date from the new events only.

The screening loop asks it on every decision, and on a large review the events number as many as
the records (100,000 and more): grouping them all per request made the next record cost one
event scan. Events are append-only, so the tally applies just the events it has not seen (id above
the last one), and counts what it applied: where the database holds another number of events for
the stage (on PostgreSQL, ids can commit out of order), it is rebuilt from the start. A tally is
only read or advanced outside an audited write, where every row it sees is committed. The folding
of a duplicate's calls into its group's root is redone whenever dedup changed the groups.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.screening import Event, ReviewerState, Stage
from realreview.storage.audit import may_have_written
from realreview.storage.models import (
    DedupDecisionRow,
    DedupRunRow,
    ImportFileRow,
    RecordRow,
    ReviewRow,
    ScreeningEventRow,
    ScreeningSampleRow,
)

__all__ = [
    "Standing",
    "cached_sample",
    "cached_stage_id_set",
    "cached_stage_ids",
    "derived",
    "read_memo",
    "tallied_callers",
    "tallied_sets",
    "tallied_states",
]


_GENERATIONS = itertools.count(1)
_T = TypeVar("_T")


@dataclass
class _Tally:
    #: Which tally this is: a rebuilt one is another, though it may reach the same counts.
    generation: int = field(default_factory=lambda: next(_GENERATIONS))
    last_id: int = 0
    applied: int = 0
    #: (record, reviewer) -> decisions less undos, never below zero (an impossible undo is skipped).
    depth: dict[tuple[int, str], int] = field(default_factory=dict)
    raw: dict[int, set[str]] = field(default_factory=dict)
    #: The same, turned round: each reviewer's records; and the records with one call or more, two or more.
    by_reviewer: dict[str, set[int]] = field(default_factory=dict)
    once: set[int] = field(default_factory=set)
    twice: set[int] = field(default_factory=set)
    groups: object = None
    roots: dict[int, int] = field(default_factory=dict)
    folded: dict[int, set[str]] | None = None
    #: (record, reviewer) -> the decisions standing, oldest first (an undo takes the last one off).
    stacks: dict[tuple[int, str], list[str]] = field(default_factory=dict)


_LOCK = threading.Lock()
_TALLIES: dict[tuple[object, ...], _Tally] = {}
_MEMO = "realreview.read_memo"


def read_memo(session: Session) -> dict[object, object] | None:
    """What this read transaction has already worked out (None inside a write: ask the database).

    A page asks the same questions several times (the dashboard's stages, progress and allocation
    each want the records at a stage and who called them); within one transaction the answer does
    not change, so it is worked out once. The memo belongs to the transaction: the next one starts empty.
    """
    if may_have_written(session):
        return None
    session.connection()  # begins the transaction the memo belongs to
    transaction = session.get_transaction()
    held = session.info.get(_MEMO)
    if held is None or held[0] is not transaction:
        held = session.info[_MEMO] = (transaction, {})
    memo: dict[object, object] = held[1]
    return memo


def _key(session: Session, review_id: int, stage: Stage) -> tuple[object, ...]:
    memo = read_memo(session)
    created = memo.get(("created", review_id)) if memo is not None else None
    if created is None:
        created = str(
            session.connection()
            .execute(select(ReviewRow.created_at).where(ReviewRow.id == review_id))
            .scalar()
        )
        if memo is not None:
            memo[("created", review_id)] = created
    return (str(session.connection().engine.url), review_id, created, stage.value)


def _groups_version(session: Session, review_id: int) -> tuple[object, ...]:
    connection = session.connection()
    runs = connection.execute(
        select(func.max(DedupRunRow.id)).where(DedupRunRow.review_id == review_id)
    ).scalar()
    decisions = connection.execute(
        select(func.max(DedupDecisionRow.id)).where(DedupDecisionRow.review_id == review_id)
    ).scalar()
    return (runs, decisions)


def _apply(tally: _Tally, rows: list[tuple[int, int, str, str]]) -> None:
    for event_id, record_id, reviewer, event in rows:
        key = (record_id, reviewer)
        stack = tally.stacks.setdefault(key, [])
        if event == Event.UNDO.value:
            if stack:
                stack.pop()
        else:
            stack.append(event)
        before = tally.depth.get(key, 0)
        after = before - 1 if event == Event.UNDO.value else before + 1
        if after < 0:
            after = 0  # an undo with nothing to undo: skipped, as the tolerant replay skips it
        tally.depth[key] = after
        if before == 0 and after > 0:
            who = tally.raw.setdefault(record_id, set())
            who.add(reviewer)
            tally.by_reviewer.setdefault(reviewer, set()).add(record_id)
            tally.once.add(record_id)
            if len(who) >= 2:
                tally.twice.add(record_id)
        elif before > 0 and after == 0:
            who = tally.raw[record_id]
            who.discard(reviewer)
            tally.by_reviewer[reviewer].discard(record_id)
            if len(who) < 2:
                tally.twice.discard(record_id)
            if not who:
                del tally.raw[record_id]
                tally.once.discard(record_id)
        tally.last_id = event_id
        tally.applied += 1
    if rows:
        tally.folded = None


def _roots(session: Session, review_id: int) -> dict[int, int]:
    return {
        row[0]: int(row[1] or 0)
        for row in session.connection().execute(
            select(RecordRow.id, RecordRow.duplicate_of).where(
                RecordRow.review_id == review_id, RecordRow.duplicate_of.is_not(None)
            )
        )
    }


def _fold(tally: _Tally) -> dict[int, set[str]]:
    roots, raw = tally.roots, tally.raw
    moved = [r for r in roots if r in raw] if len(roots) < len(raw) else [r for r in raw if r in roots]
    if not moved:
        return raw
    folded = {record_id: set(who) for record_id, who in raw.items() if record_id not in roots}
    for record_id in moved:
        folded.setdefault(roots[record_id], set()).update(raw[record_id])
    return folded


@dataclass(frozen=True, slots=True)
class Standing:
    """The tally's sets, for the queue's hot path (shared: callers must not change them)."""

    by_reviewer: dict[str, set[int]]
    once: set[int]
    twice: set[int]


def tallied_sets(session: Session, *, review_id: int, stage: Stage) -> Standing | None:
    """Each reviewer's records with a standing call, the records with one or more, with two or more.

    None inside a write, or where a duplicate holds calls (the sets are of records as called, and
    the queue then folds them into roots the slow way).
    """
    tally = _current(session, review_id=review_id, stage=stage)
    if tally is None or tally.folded is not tally.raw:
        return None
    return Standing(tally.by_reviewer, tally.once, tally.twice)


def tallied_callers(session: Session, *, review_id: int, stage: Stage) -> dict[int, set[str]] | None:
    """Who has a standing call on each record (group root), or None inside a write (ask the database).

    The answer is shared: callers must not change it.
    """
    tally = _current(session, review_id=review_id, stage=stage)
    return None if tally is None else tally.folded


_STATE_OF = {
    Event.INCLUDE.value: ReviewerState.INCLUDED,
    Event.EXCLUDE.value: ReviewerState.EXCLUDED,
    Event.MAYBE.value: ReviewerState.MAYBE,
}


def tallied_states(
    session: Session, *, review_id: int, stage: Stage
) -> dict[int, list[ReviewerState]] | None:
    """Each record's standing calls as states (one per reviewer with a call), from the tally.

    What :func:`record_state` needs of a record's calls, without replaying and decoding every event.
    None inside a write, or where a duplicate holds calls (folding a reviewer's calls on two records
    of a group keeps the later one, which needs the events' times: the caller replays them).
    """
    tally = _current(session, review_id=review_id, stage=stage)
    if tally is None or tally.folded is not tally.raw:
        return None
    states: dict[int, list[ReviewerState]] = {}
    with _LOCK:  # another request's thread may be applying new events to this tally
        for (record_id, _reviewer), stack in tally.stacks.items():
            if stack:
                states.setdefault(record_id, []).append(_STATE_OF[stack[-1]])
    return states


def _events_after(
    session: Session, *, review_id: int, stage: Stage, after: int | None
) -> list[tuple[int, int, str, str]]:
    """The stage's events with an id above ``after`` (all of them for None), oldest first."""
    query = select(
        ScreeningEventRow.id, ScreeningEventRow.record_id, ScreeningEventRow.reviewer, ScreeningEventRow.event
    ).where(ScreeningEventRow.review_id == review_id, ScreeningEventRow.stage == stage.value)
    if after is not None:
        query = query.where(ScreeningEventRow.id > after)
    rows = session.connection().execute(query.order_by(ScreeningEventRow.id))
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def _current(session: Session, *, review_id: int, stage: Stage) -> _Tally | None:
    """The tally brought up to date with the committed events (None inside a write)."""
    memo = read_memo(session)
    if memo is None:
        return None
    known = memo.get(("tally", review_id, stage))
    if isinstance(known, _Tally):
        return known
    key = _key(session, review_id, stage)
    connection = session.connection()
    with _LOCK:
        tally = _TALLIES.setdefault(key, _Tally())
        _apply(tally, _events_after(session, review_id=review_id, stage=stage, after=tally.last_id))
        total = connection.execute(
            select(func.count())
            .select_from(ScreeningEventRow)
            .where(ScreeningEventRow.review_id == review_id, ScreeningEventRow.stage == stage.value)
        ).scalar_one()
        if total != tally.applied:  # a row committed below the last id seen: start again
            tally = _TALLIES[key] = _Tally()
            _apply(tally, _events_after(session, review_id=review_id, stage=stage, after=None))
        version = _groups_version(session, review_id)
        if tally.groups != version:
            tally.roots, tally.groups, tally.folded = _roots(session, review_id), version, None
        if tally.folded is None:
            tally.folded = _fold(tally)
    memo[("tally", review_id, stage)] = tally
    return tally


_DERIVED: dict[tuple[object, ...], tuple[tuple[object, ...], object]] = {}


def derived(
    session: Session,
    *,
    review_id: int,
    stage: Stage,
    name: tuple[object, ...],
    inputs: tuple[object, ...],
    compute: Callable[[], _T],
) -> _T:
    """``compute()``, kept per process while the stage's calls and ``inputs`` are what they were.

    For what is worked out from the tally's calls and a few small inputs (resolutions, sample,
    setup, screeners), such as each touched record's state: on a large review that is thousands
    of records per page, and between two decisions it does not change. Inside a write (no tally)
    it is simply computed.
    """
    tally = _current(session, review_id=review_id, stage=stage)
    if tally is None:
        return compute()
    key = (_key(session, review_id, stage), *name)
    version = (tally.generation, tally.applied, tally.last_id, tally.groups, *inputs)
    with _LOCK:
        known = _DERIVED.get(key)
    if known is not None and known[0] == version:
        return known[1]  # type: ignore[return-value]
    value = compute()
    with _LOCK:
        _DERIVED[key] = (version, value)
    return value


_STAGE_IDS: dict[tuple[object, ...], tuple[tuple[object, ...], tuple[list[int], frozenset[int]]]] = {}


def cached_stage_ids(session: Session, *, review_id: int) -> list[int] | None:
    """The review's screened records (not duplicates) by id, or None inside a write (ask the database).

    Only an import (new records) or dedup (new groups) changes the list, so it is kept per process
    until one of them has happened. The list is shared: callers must not change it.
    """
    entry = _stage_ids_entry(session, review_id=review_id)
    return None if entry is None else entry[0]


def cached_stage_id_set(session: Session, *, review_id: int) -> frozenset[int] | None:
    """The same records as a set, kept with the list (None inside a write)."""
    entry = _stage_ids_entry(session, review_id=review_id)
    return None if entry is None else entry[1]


def _stage_ids_entry(session: Session, *, review_id: int) -> tuple[list[int], frozenset[int]] | None:
    memo = read_memo(session)
    if memo is None:
        return None
    remembered = memo.get(("stage ids", review_id))
    if isinstance(remembered, tuple):
        return remembered
    connection = session.connection()
    key = _key(session, review_id, Stage.TITLE_ABSTRACT)
    imports = connection.execute(
        select(func.max(ImportFileRow.id), func.count(ImportFileRow.id)).where(
            ImportFileRow.review_id == review_id
        )
    ).one()
    version = (tuple(imports), _groups_version(session, review_id))
    with _LOCK:
        known = _STAGE_IDS.get(key)
    if known is not None and known[0] == version:
        memo[("stage ids", review_id)] = known[1]
        return known[1]
    ids = list(
        connection.execute(
            select(RecordRow.id)
            .where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
            .order_by(RecordRow.id)
        ).scalars()
    )
    entry = (ids, frozenset(ids))
    with _LOCK:
        _STAGE_IDS[key] = (version, entry)
    memo[("stage ids", review_id)] = entry
    return entry


_SAMPLES: dict[tuple[object, ...], tuple[tuple[object, ...], frozenset[int]]] = {}


def cached_sample(session: Session, *, review_id: int) -> frozenset[int] | None:
    """The stored dual-screening sample, kept per process until its size changes (None inside a write).

    The sample only changes by a setup change or an import, and either changes its size.
    """
    memo = read_memo(session)
    if memo is None:
        return None
    remembered = memo.get(("sample", review_id))
    if isinstance(remembered, frozenset):
        return remembered
    connection = session.connection()
    key = _key(session, review_id, Stage.TITLE_ABSTRACT)
    size = connection.execute(
        select(func.count()).select_from(ScreeningSampleRow).where(ScreeningSampleRow.review_id == review_id)
    ).scalar_one()
    with _LOCK:
        known = _SAMPLES.get(key)
        if known is not None and known[0] == (size,):
            memo[("sample", review_id)] = known[1]
            return known[1]
    sample = frozenset(
        connection.execute(
            select(ScreeningSampleRow.record_id).where(ScreeningSampleRow.review_id == review_id)
        ).scalars()
    )
    with _LOCK:
        _SAMPLES[key] = ((size,), sample)
    memo[("sample", review_id)] = sample
    return sample
