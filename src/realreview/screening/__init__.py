"""Screening: decisions as events, the state machine that derives states, agreement, dual sampling."""

from realreview.screening.agreement import Agreement, agreement
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
    TRANSITIONS,
    Event,
    IllegalTransition,
    RecordState,
    ReviewerState,
    Stage,
    Verdict,
    transition,
)
from realreview.screening.vocabularies import EQUITY_APPROACHES, PROGRESS_PLUS

__all__ = [
    "DEFAULT_TAGS",
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
