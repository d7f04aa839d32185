from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from realreview.screening import (
    TRANSITIONS,
    Call,
    DecisionEvent,
    Event,
    IllegalTransition,
    MaybeRule,
    RecordState,
    Resolution,
    ReviewerState,
    Stage,
    Verdict,
    current_calls,
    passes_stage,
    record_state,
    validate_event,
)

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TA = Stage.TITLE_ABSTRACT


def event(reviewer: str, what: Event, minute: int, *, record: int = 1, **extra: object) -> DecisionEvent:
    return DecisionEvent(record, TA, reviewer, what, T0 + timedelta(minutes=minute), **extra)  # type: ignore[arg-type]


def test_latest_decision_stands_and_undo_restores_the_one_before() -> None:
    events = [
        event("ana", Event.INCLUDE, 0, tags=("Plus: age",)),
        event("ana", Event.EXCLUDE, 1, reasons=("wrong population",)),
        event("ana", Event.UNDO, 2),
    ]
    call = current_calls(events)[(1, TA, "ana")]
    assert call.state is ReviewerState.INCLUDED
    assert call.tags == ("Plus: age",)
    # Nothing is lost: the undone exclusion and the undo itself stay in the history.
    assert [e.event for e in call.history] == [Event.INCLUDE, Event.EXCLUDE, Event.UNDO]
    undone_all = current_calls([*events, event("ana", Event.UNDO, 3)])[(1, TA, "ana")]
    assert undone_all.state is ReviewerState.UNDECIDED


def test_undo_with_nothing_to_undo_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="nothing decided"):
        current_calls([event("ana", Event.UNDO, 0)])


def test_every_state_change_goes_through_the_table() -> None:
    assert TRANSITIONS[(ReviewerState.UNDECIDED, Event.EXCLUDE)] is ReviewerState.EXCLUDED
    assert (ReviewerState.UNDECIDED, Event.UNDO) not in TRANSITIONS
    assert all(
        TRANSITIONS[(state, Event.UNDO)] is None
        for state in ReviewerState
        if state is not ReviewerState.UNDECIDED
    )


def test_full_text_exclusion_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="record 3: an exclusion at full text needs a reason"):
        validate_event(DecisionEvent(3, Stage.FULL_TEXT, "ana", Event.EXCLUDE, T0))
    validate_event(
        DecisionEvent(3, Stage.FULL_TEXT, "ana", Event.EXCLUDE, T0, reasons=("not an intervention",))
    )
    validate_event(DecisionEvent(3, TA, "ana", Event.EXCLUDE, T0))


@pytest.mark.parametrize(
    ("states", "dual", "maybe", "expected"),
    [
        ([], False, MaybeRule.AS_INCLUDE, RecordState.UNSCREENED),
        ([ReviewerState.UNDECIDED], True, MaybeRule.AS_INCLUDE, RecordState.UNSCREENED),
        ([ReviewerState.EXCLUDED], False, MaybeRule.AS_INCLUDE, RecordState.EXCLUDED),
        ([ReviewerState.EXCLUDED], True, MaybeRule.AS_INCLUDE, RecordState.AWAITING_SECOND),
        ([ReviewerState.INCLUDED, ReviewerState.INCLUDED], True, MaybeRule.AS_INCLUDE, RecordState.INCLUDED),
        ([ReviewerState.INCLUDED, ReviewerState.EXCLUDED], True, MaybeRule.AS_INCLUDE, RecordState.CONFLICT),
        ([ReviewerState.INCLUDED, ReviewerState.MAYBE], True, MaybeRule.AS_INCLUDE, RecordState.INCLUDED),
        ([ReviewerState.INCLUDED, ReviewerState.MAYBE], True, MaybeRule.OWN_CATEGORY, RecordState.CONFLICT),
        ([ReviewerState.MAYBE, ReviewerState.MAYBE], True, MaybeRule.AS_INCLUDE, RecordState.MAYBE),
        ([ReviewerState.MAYBE, ReviewerState.EXCLUDED], True, MaybeRule.AS_INCLUDE, RecordState.CONFLICT),
    ],
)
def test_record_state(
    states: list[ReviewerState], dual: bool, maybe: MaybeRule, expected: RecordState
) -> None:
    assert record_state([Call(s) for s in states], dual=dual, maybe=maybe) is expected


def test_resolution_settles_a_conflict_and_decides_what_moves_on() -> None:
    calls = [Call(ReviewerState.INCLUDED), Call(ReviewerState.EXCLUDED)]
    assert not passes_stage(record_state(calls, dual=True))
    resolved = Resolution(1, TA, "owner", Verdict.INCLUDE, T0, note="resolved by discussion")
    state = record_state(calls, dual=True, resolution=resolved)
    assert state is RecordState.RESOLVED_INCLUDED
    assert passes_stage(state)
    excluded = Resolution(1, TA, "owner", Verdict.EXCLUDE, T0)
    assert not passes_stage(record_state(calls, dual=True, resolution=excluded))
