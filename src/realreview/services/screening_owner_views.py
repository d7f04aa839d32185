"""The owner's screening pages: setup (with the sample warning), conflicts and their trail, agreement.

Read-only page builders, plus the setup form's save. The conflicts page shows each open conflict
whole (abstract, every reviewer's call with reasons, tags and note) and the resolved ones with who
resolved, when and the note, each of which can be reopened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.screening import Allocation, RecordState, ScreeningSetup, Stage, changed_setup
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.reviews import ReviewInfo, set_question
from realreview.services.screening import (
    PairAgreement,
    agreement_report,
    configure_screening,
    preview_screening_setup,
)
from realreview.services.screening_outcome import record_states
from realreview.services.screening_state import (
    resolution_rows,
    resolutions,
    screeners,
    standing_callers,
)
from realreview.services.screening_views import RecordView, record_view

__all__ = [
    "AgreementPage",
    "ConflictsPage",
    "SetupPage",
    "agreement_page",
    "conflicts_page",
    "save_setup",
    "setup_page",
]


@dataclass(frozen=True, slots=True)
class SetupPage:
    """The owner's setup form; ``warning`` asks to confirm a change that moves records in or out of the sample."""

    review: ReviewInfo
    setup: ScreeningSetup
    saved: bool = False
    screeners: tuple[str, ...] = ()
    allocations: tuple[Allocation, ...] = tuple(Allocation)
    warning: str = ""
    sample_note: str = ""


@reads(Action.EDIT_SETUP)
def setup_page(session: Session, ctx: ReviewContext, *, saved: bool = False) -> SetupPage:
    """The setup form with the review's current setup."""
    return SetupPage(
        review=ctx.review, setup=ctx.setup, saved=saved, screeners=screeners(session, review_id=ctx.review_id)
    )


@mutation(Action.EDIT_SETUP, audit="review.setup", entity="review")
def save_setup(
    session: Session, ctx: ReviewContext, *, question: str | None, confirm: bool = False, **changes: object
) -> SetupPage:
    """Save the setup form: the screening settings and, when posted, the review question.

    Once screening has begun, a fraction that moves records in or out of the sample is not saved
    until the owner confirms it: the page says what would change and asks again.
    """
    change = preview_screening_setup(session, ctx, **changes)
    begun = bool(standing_callers(session, review_id=ctx.review_id, stage=Stage.TITLE_ABSTRACT))
    people = screeners(session, review_id=ctx.review_id)
    if change.changed and begun and not confirm:
        pending = changed_setup(ctx.setup, dict(changes))
        return SetupPage(
            review=ctx.review,
            setup=pending,
            screeners=people,
            warning=change.describe() + " Save again to confirm.",
        )
    setup = configure_screening(session, ctx, **changes)
    review = set_question(session, ctx, question=question) if question is not None else ctx.review
    note = change.describe() if change.changed else ""
    return SetupPage(review=review, setup=setup, saved=True, screeners=people, sample_note=note)


@dataclass(frozen=True, slots=True)
class ResolvedConflict:
    """A resolved conflict with its record and the calls behind it; it can be reopened."""

    view: RecordView
    owner: str
    verdict: str
    note: str | None
    at: str


@dataclass(frozen=True, slots=True)
class ConflictsPage:
    """The records the reviewers disagree on at one stage, with every call, and the resolved ones."""

    review: ReviewInfo
    stage: Stage
    views: list[RecordView] = field(default_factory=list)
    resolved: list[ResolvedConflict] = field(default_factory=list)


@reads(Action.VIEW_CONFLICTS)
def conflicts_page(session: Session, ctx: ReviewContext, *, stage: Stage) -> ConflictsPage:
    """Every unresolved conflict at ``stage`` with the calls behind it, and the trail of resolved ones."""
    states = record_states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage)
    ids = sorted(record_id for record_id, state in states.items() if state is RecordState.CONFLICT)
    standing = resolutions(session, review_id=ctx.review_id, stage=stage)
    latest = {row.record_id: row for row in resolution_rows(session, review_id=ctx.review_id, stage=stage)}
    resolved = [
        ResolvedConflict(
            record_view(session, ctx, record_id=record_id, stage=stage),
            resolution.owner,
            resolution.verdict.value,
            resolution.note,
            latest[record_id].at.strftime("%Y-%m-%d %H:%M"),
        )
        for record_id, resolution in sorted(standing.items(), key=lambda item: item[1].at, reverse=True)
        if record_id in states
    ]
    return ConflictsPage(
        ctx.review, stage, [record_view(session, ctx, record_id=i, stage=stage) for i in ids], resolved
    )


@dataclass(frozen=True, slots=True)
class AgreementPage:
    """Agreement per pair of reviewers at one stage."""

    review: ReviewInfo
    stage: Stage
    report: list[PairAgreement]


@reads(Action.VIEW_AGREEMENT)
def agreement_page(session: Session, ctx: ReviewContext, *, stage: Stage) -> AgreementPage:
    """The agreement page (refused while blinding hides the others' calls)."""
    return AgreementPage(ctx.review, stage, agreement_report(session, ctx, stage=stage))
