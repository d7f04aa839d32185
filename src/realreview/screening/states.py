"""Screening states and the one table of allowed transitions.

A reviewer's view of a record at a stage is a :class:`ReviewerState`; it changes only through
:func:`transition`, which looks the move up in :data:`TRANSITIONS` (issue #4: "the current state
derives from [decisions] through one state machine (a transitions table)"). Undo is not a special
case in the table: it is a new event that returns to the state before the undone decision.

The state of the record itself at a stage (:class:`RecordState`) is derived from the reviewers'
states and an owner's resolution in :mod:`realreview.screening.decisions`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "STATE_LABELS",
    "stage_label",
    "Event",
    "IllegalTransition",
    "RecordState",
    "ReviewerState",
    "Stage",
    "TRANSITIONS",
    "Verdict",
    "transition",
]


class Stage(StrEnum):
    """The two screening stages, in order."""

    TITLE_ABSTRACT = "title_abstract"
    FULL_TEXT = "full_text"


class Verdict(StrEnum):
    """A reviewer's call on a record."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"


class ReviewerState(StrEnum):
    """One reviewer's current call on one record at one stage."""

    UNDECIDED = "undecided"
    INCLUDED = "included"
    EXCLUDED = "excluded"
    MAYBE = "maybe"


class Event(StrEnum):
    """What a decision event does to a reviewer's state."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"
    UNDO = "undo"


class RecordState(StrEnum):
    """A record's state at a stage, from all reviewers' calls and any resolution."""

    UNSCREENED = "unscreened"
    AWAITING_SECOND = "awaiting_second"
    INCLUDED = "included"
    EXCLUDED = "excluded"
    MAYBE = "maybe"
    CONFLICT = "conflict"
    RESOLVED_INCLUDED = "resolved_included"
    RESOLVED_EXCLUDED = "resolved_excluded"


_DECIDED = {
    Event.INCLUDE: ReviewerState.INCLUDED,
    Event.EXCLUDE: ReviewerState.EXCLUDED,
    Event.MAYBE: ReviewerState.MAYBE,
}

#: (state, event) -> next state. A reviewer may change their mind (a new decision from any decided
#: state); UNDO is allowed from any decided state and its target is the state before the undone
#: decision, so the table marks it with ``None`` ("the previous state").
TRANSITIONS: dict[tuple[ReviewerState, Event], ReviewerState | None] = {
    **{(state, event): target for state in ReviewerState for event, target in _DECIDED.items()},
    **{(state, Event.UNDO): None for state in ReviewerState if state is not ReviewerState.UNDECIDED},
}


class IllegalTransition(ValueError):
    """A decision event that the transitions table does not allow from the current state."""


def transition(state: ReviewerState, event: Event, *, previous: ReviewerState | None = None) -> ReviewerState:
    """The state after ``event``; ``previous`` is the state an UNDO returns to.

    >>> transition(ReviewerState.UNDECIDED, Event.INCLUDE)
    <ReviewerState.INCLUDED: 'included'>
    >>> transition(ReviewerState.INCLUDED, Event.UNDO, previous=ReviewerState.UNDECIDED)
    <ReviewerState.UNDECIDED: 'undecided'>
    >>> transition(ReviewerState.UNDECIDED, Event.UNDO)
    Traceback (most recent call last):
    ...
    realreview.screening.states.IllegalTransition: cannot undo: nothing decided yet
    """
    key = (state, event)
    if key not in TRANSITIONS:
        raise IllegalTransition(
            "cannot undo: nothing decided yet" if event is Event.UNDO else f"cannot {event} from {state}"
        )
    target = TRANSITIONS[key]
    if target is None:
        if previous is None:
            raise IllegalTransition("cannot undo: the state before the decision is unknown")
        return previous
    return target


#: How a record's state reads on a page or in a report (never the raw value).
STATE_LABELS: dict[RecordState, str] = {
    RecordState.UNSCREENED: "Not screened",
    RecordState.AWAITING_SECOND: "Awaiting a second reviewer",
    RecordState.INCLUDED: "Included",
    RecordState.EXCLUDED: "Excluded",
    RecordState.MAYBE: "Maybe",
    RecordState.CONFLICT: "Conflict",
    RecordState.RESOLVED_INCLUDED: "Included (conflict resolved)",
    RecordState.RESOLVED_EXCLUDED: "Excluded (conflict resolved)",
}

_STAGE_LABELS = {Stage.TITLE_ABSTRACT: "title/abstract", Stage.FULL_TEXT: "full text"}


def stage_label(stage: Stage) -> str:
    """How a stage reads in a sentence.

    >>> stage_label(Stage.FULL_TEXT)
    'full text'
    """
    return _STAGE_LABELS[stage]
