"""Screening: decisions as events, the state machine that derives states, agreement, dual sampling."""

from realreview.screening.agreement import Agreement, agreement
from realreview.screening.allocation import (
    Allocation,
    Allotment,
    allotted_to,
    calls_needed,
    complete,
    in_queue,
    split_evenly,
)
from realreview.screening.decisions import (
    Call,
    DecisionEvent,
    MaybeRule,
    Resolution,
    current_calls,
    passes_stage,
    record_state,
    validate_event,
)
from realreview.screening.sampling import dual_sample
from realreview.screening.setup import DEFAULT_TAGS, ScreeningSetup, changed_setup
from realreview.screening.states import (
    STATE_LABELS,
    TRANSITIONS,
    Event,
    IllegalTransition,
    RecordState,
    ReviewerState,
    Stage,
    Verdict,
    stage_label,
    transition,
)
from realreview.screening.vocabularies import EQUITY_APPROACHES, PROGRESS_PLUS

__all__ = [
    "Allocation",
    "Allotment",
    "allotted_to",
    "calls_needed",
    "complete",
    "in_queue",
    "split_evenly",
    "DEFAULT_TAGS",
    "STATE_LABELS",
    "stage_label",
    "ScreeningSetup",
    "changed_setup",
    "EQUITY_APPROACHES",
    "PROGRESS_PLUS",
    "TRANSITIONS",
    "Agreement",
    "Call",
    "DecisionEvent",
    "Event",
    "IllegalTransition",
    "MaybeRule",
    "RecordState",
    "Resolution",
    "ReviewerState",
    "Stage",
    "Verdict",
    "agreement",
    "current_calls",
    "dual_sample",
    "passes_stage",
    "record_state",
    "transition",
    "validate_event",
]
