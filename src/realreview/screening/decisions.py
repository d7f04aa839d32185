"""Decisions are append-only events; every current state is derived from them.

A reviewer's call on a record at a stage is the top of a stack: each decision pushes, each undo pops
(an undo is itself an event, so nothing is overwritten and the history stays readable). The state of
the record at the stage follows from the reviewers' calls, whether the record is in the dual-screening
sample, and an owner's resolution of a conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from realreview.screening.states import (
    Event,
    IllegalTransition,
    RecordState,
    ReviewerState,
    Stage,
    Verdict,
    transition,
)

__all__ = [
    "VERDICT_OF",
    "Call",
    "DecisionEvent",
    "MaybeRule",
    "Resolution",
    "counted",
    "current_calls",
    "passes_stage",
    "record_state",
    "validate_event",
]


class MaybeRule(StrEnum):
    """How a "maybe" counts when calls are compared (a review setting)."""

    AS_INCLUDE = "as_include"  # Covidence's rule: maybe moves on, like include
    OWN_CATEGORY = "own_category"


@dataclass(frozen=True, slots=True)
class DecisionEvent:
    """One reviewer's act on one record at one stage."""

    record_id: int
    stage: Stage
    reviewer: str
    event: Event
    at: datetime
    reasons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """An owner's final decision on a conflict, with the note that says how it was reached."""

    record_id: int
    stage: Stage
    owner: str
    verdict: Verdict
    at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Call:
    """A reviewer's current call on a record at a stage (what the latest standing decision said)."""

    state: ReviewerState
    reasons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None
    at: datetime | None = None
    history: tuple[DecisionEvent, ...] = field(default=(), repr=False)


_UNDECIDED = Call(ReviewerState.UNDECIDED)


def validate_event(event: DecisionEvent) -> None:
    """Refuse an event that no state may accept: an exclusion at full text needs a reason.

    >>> from datetime import UTC
    >>> validate_event(DecisionEvent(1, Stage.FULL_TEXT, "ana", Event.EXCLUDE, datetime.now(UTC)))
    Traceback (most recent call last):
    ...
    ValueError: record 1: an exclusion at full text needs a reason
    """
    if event.event is Event.EXCLUDE and event.stage is Stage.FULL_TEXT and not event.reasons:
        raise ValueError(f"record {event.record_id}: an exclusion at full text needs a reason")


def current_calls(
    events: Iterable[DecisionEvent], *, on_illegal: Callable[[DecisionEvent], None] | None = None
) -> dict[tuple[int, Stage, str], Call]:
    """Each (record, stage, reviewer)'s current call, replaying ``events`` in order.

    Raises :class:`~realreview.screening.states.IllegalTransition` for an undo with nothing to undo,
    unless ``on_illegal`` is given: then that event is passed to it and skipped, so a damaged stored
    history can still be read (and reported) instead of taking every page down.

    >>> from datetime import UTC
    >>> now = datetime.now(UTC)
    >>> undo = DecisionEvent(1, Stage.TITLE_ABSTRACT, "ana", Event.UNDO, now)
    >>> skipped = []
    >>> current_calls([undo, undo], on_illegal=skipped.append) == {} and len(skipped)
    2
    """
    stacks: dict[tuple[int, Stage, str], list[Call]] = {}
    for event in events:
        key = (event.record_id, event.stage, event.reviewer)
        stack = stacks.setdefault(key, [_UNDECIDED])
        top = stack[-1]
        previous = stack[-2].state if len(stack) > 1 else None
        try:
            state = transition(top.state, event.event, previous=previous)
        except IllegalTransition:
            if on_illegal is None:
                raise
            on_illegal(event)
            if len(stack) == 1 and not stack[0].history:
                del stacks[key]
            continue
        history = (*top.history, event)
        if event.event is Event.UNDO:
            stack.pop()
            stack[-1] = _with_history(stack[-1], history)
        else:
            stack.append(Call(state, event.reasons, event.tags, event.note, event.at, history))
    return {key: stack[-1] for key, stack in stacks.items()}


def _with_history(call: Call, history: tuple[DecisionEvent, ...]) -> Call:
    return Call(call.state, call.reasons, call.tags, call.note, call.at, history)


VERDICT_OF = {
    ReviewerState.INCLUDED: Verdict.INCLUDE,
    ReviewerState.EXCLUDED: Verdict.EXCLUDE,
    ReviewerState.MAYBE: Verdict.MAYBE,
}


def record_state(
    calls: Iterable[Call],
    *,
    dual: bool,
    resolution: Resolution | None = None,
    maybe: MaybeRule = MaybeRule.AS_INCLUDE,
) -> RecordState:
    """A record's state at a stage from its reviewers' calls.

    ``dual``: the record is in the double-screening sample, so it needs two calls.

    >>> inc, exc = Call(ReviewerState.INCLUDED), Call(ReviewerState.EXCLUDED)
    >>> record_state([inc], dual=True)
    <RecordState.AWAITING_SECOND: 'awaiting_second'>
    >>> record_state([inc, exc], dual=True)
    <RecordState.CONFLICT: 'conflict'>
    >>> record_state([inc, Call(ReviewerState.MAYBE)], dual=True)
    <RecordState.INCLUDED: 'included'>
    """
    if resolution is not None:
        if resolution.verdict is Verdict.EXCLUDE:
            return RecordState.RESOLVED_EXCLUDED
        return RecordState.RESOLVED_INCLUDED
    verdicts = [VERDICT_OF[call.state] for call in calls if call.state is not ReviewerState.UNDECIDED]
    if not verdicts:
        return RecordState.UNSCREENED
    if dual and len(verdicts) < 2:
        return RecordState.AWAITING_SECOND
    compared = {counted(v, maybe) for v in verdicts}
    if len(compared) > 1:
        return RecordState.CONFLICT
    if Verdict.EXCLUDE in compared:
        return RecordState.EXCLUDED
    if maybe is MaybeRule.AS_INCLUDE and Verdict.INCLUDE not in verdicts:
        return RecordState.MAYBE
    return RecordState.INCLUDED if compared == {Verdict.INCLUDE} else RecordState.MAYBE


def counted(verdict: Verdict, maybe: MaybeRule) -> Verdict:
    """The category a verdict counts in when calls are compared: "maybe" as include, or as itself."""
    return Verdict.INCLUDE if verdict is Verdict.MAYBE and maybe is MaybeRule.AS_INCLUDE else verdict


def passes_stage(state: RecordState) -> bool:
    """Whether a record at this state goes on to the next stage (include, maybe, resolved include)."""
    return state in {RecordState.INCLUDED, RecordState.MAYBE, RecordState.RESOLVED_INCLUDED}
