"""What the calls add up to: each record's state at a stage, whether its screening is complete, who passed.

Derived from the calls and resolutions that :mod:`.screening_state` reads. On a large review most
records are untouched (unscreened, not complete), so the work is done over the records someone
called or resolved (:func:`touched_states`, :func:`touched_complete`), once per read transaction,
and kept per process until a call, a resolution, the sample, the setup or the screeners change
(:func:`.screening_tally.derived`). :func:`record_states` and :func:`stage_complete` give the
same answers over a list of records, for the callers that want every record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.screening import (
    Call,
    RecordState,
    ScreeningSetup,
    Stage,
    complete,
    passes_stage,
    record_state,
)
from realreview.services.screening_state import (
    allotment,
    calls,
    dual,
    resolutions,
    stage_record_id_set,
    stage_record_ids,
    standing_callers,
)
from realreview.services.screening_tally import derived, read_memo, tallied_states
from realreview.storage.models import ScreeningResolutionRow

__all__ = ["passed_title_abstract", "record_states", "stage_complete", "touched_complete", "touched_states"]


def _setup_key(setup: ScreeningSetup) -> tuple[object, ...]:
    """What of the setup a record's state or completeness depends on (a memo key)."""
    return (setup.allocation, setup.lead_reviewer, setup.maybe_rule, setup.dual_fraction)


def _resolutions_version(session: Session, *, review_id: int, stage: Stage) -> tuple[object, ...]:
    """How many resolution rows the stage has and the latest (rows are only ever added)."""
    row = session.execute(
        select(func.count(ScreeningResolutionRow.id), func.max(ScreeningResolutionRow.id)).where(
            ScreeningResolutionRow.review_id == review_id, ScreeningResolutionRow.stage == stage.value
        )
    ).one()
    return tuple(row)


def touched_states(
    session: Session, *, review_id: int, setup: ScreeningSetup, stage: Stage
) -> dict[int, RecordState]:
    """The state at ``stage`` of each record someone has called or resolved (every other one is unscreened).

    On a large review most records are untouched: this keeps the cost to the records screened,
    worked out once per read transaction and kept per process until a call, a resolution, the
    sample or the setup changes (:func:`.screening_tally.derived`). Shared: do not change it.
    """
    memo = read_memo(session)
    key = ("touched states", review_id, stage, _setup_key(setup))
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    in_sample = dual(session, review_id=review_id, setup=setup)
    inputs = (
        _resolutions_version(session, review_id=review_id, stage=stage),
        _setup_key(setup),
        len(in_sample),
    )
    states = derived(
        session,
        review_id=review_id,
        stage=stage,
        name=key,
        inputs=inputs,
        compute=lambda: _states_of_touched(session, review_id=review_id, setup=setup, stage=stage),
    )
    if memo is not None:
        memo[key] = states
    return states


def _states_of_touched(
    session: Session, *, review_id: int, setup: ScreeningSetup, stage: Stage
) -> dict[int, RecordState]:
    in_sample = dual(session, review_id=review_id, setup=setup)
    calls_by_record: dict[int, list[Call]] = defaultdict(list)
    standing = tallied_states(session, review_id=review_id, stage=stage)
    if standing is not None:  # the per-process tally: no replay of every event per page
        for record_id, standing_states in standing.items():
            calls_by_record[record_id] = [Call(state) for state in standing_states]
    else:
        for (record_id, _reviewer), call in calls(session, review_id=review_id, stage=stage).items():
            calls_by_record[record_id].append(call)
    resolved = resolutions(session, review_id=review_id, stage=stage)
    return {
        record_id: record_state(
            calls_by_record.get(record_id, []),
            dual=record_id in in_sample,
            resolution=resolved.get(record_id),
            maybe=setup.maybe_rule,
        )
        for record_id in calls_by_record.keys() | resolved.keys()
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
    ids = list(record_ids) if record_ids is not None else stage_record_ids(session, review_id=review_id)
    if len(ids) == 1:  # one record (the record page): its own events only
        record_id = ids[0]
        found = calls(session, review_id=review_id, stage=stage, record_id=record_id)
        own = [call for (root, _reviewer), call in found.items() if root == record_id]
        resolution = resolutions(session, review_id=review_id, stage=stage).get(record_id)
        if not own and resolution is None:
            return {record_id: RecordState.UNSCREENED}
        in_sample = record_id in dual(session, review_id=review_id, setup=setup)
        return {record_id: record_state(own, dual=in_sample, resolution=resolution, maybe=setup.maybe_rule)}
    touched = touched_states(session, review_id=review_id, setup=setup, stage=stage)
    states = dict.fromkeys(ids, RecordState.UNSCREENED)
    for record_id in touched.keys() & states.keys():
        states[record_id] = touched[record_id]
    return states


def touched_complete(
    session: Session, *, review_id: int, setup: ScreeningSetup, stage: Stage
) -> frozenset[int]:
    """The records whose screening at ``stage`` is complete: every call it needs, or resolved.

    No call and no resolution is never complete (every allocation asks one call at least), so only
    the records someone has called or resolved are looked at; worked out once per read transaction
    and kept per process as :func:`touched_states` is (the screeners are an input too).
    """
    memo = read_memo(session)
    key = ("touched complete", review_id, stage, _setup_key(setup))
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    placing = allotment(session, review_id=review_id, setup=setup)
    in_sample = dual(session, review_id=review_id, setup=setup)

    def compute() -> frozenset[int]:
        callers = standing_callers(session, review_id=review_id, stage=stage)
        resolved = resolutions(session, review_id=review_id, stage=stage)
        return frozenset(resolved.keys()) | frozenset(
            record_id
            for record_id, who in callers.items()
            if complete(placing, in_sample=record_id in in_sample, callers=who)
        )

    inputs = (
        _resolutions_version(session, review_id=review_id, stage=stage),
        _setup_key(setup),
        len(in_sample),
        placing.screeners,
        len(placing.assigned),
    )
    done = derived(session, review_id=review_id, stage=stage, name=key, inputs=inputs, compute=compute)
    if memo is not None:
        memo[key] = done
    return done


def stage_complete(
    session: Session,
    *,
    review_id: int,
    setup: ScreeningSetup,
    stage: Stage,
    record_ids: Iterable[int] | None = None,
) -> dict[int, bool]:
    """Whether each record's screening at ``stage`` is complete: every call it needs, or resolved."""
    ids = list(record_ids) if record_ids is not None else stage_record_ids(session, review_id=review_id)
    finished = touched_complete(session, review_id=review_id, setup=setup, stage=stage)
    return {record_id: record_id in finished for record_id in ids}


def passed_title_abstract(session: Session, *, review_id: int, setup: ScreeningSetup) -> list[int]:
    """The records at the full-text stage: title/abstract screening complete, and passed, by id.

    The same list for everyone who asks: a complete outcome is the team's, not one reviewer's call,
    and it cannot reveal a call to someone who still has to make theirs (a complete record is in
    no one's queue). Found from the records someone called, not by walking every record.
    """
    memo = read_memo(session)
    key = ("passed", review_id, _setup_key(setup))
    remembered = memo.get(key) if memo is not None else None
    if isinstance(remembered, list):
        return list(remembered)
    at_stage = stage_record_id_set(session, review_id=review_id)
    stage = Stage.TITLE_ABSTRACT
    states = touched_states(session, review_id=review_id, setup=setup, stage=stage)
    finished = touched_complete(session, review_id=review_id, setup=setup, stage=stage)
    passed = sorted(r for r in finished if r in at_stage and r in states and passes_stage(states[r]))
    if memo is not None:
        memo[key] = passed
    return list(passed)
