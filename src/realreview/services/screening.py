"""Use cases for screening: setup, decisions, states, agreement, conflicts and their resolution.

Decisions are stored as append-only events (:class:`~realreview.storage.models.ScreeningEventRow`)
and every state is derived from them by :mod:`realreview.screening` (the one state machine); an undo
is a new event, a resolution is a new row, nothing is updated or deleted. What of other reviewers'
calls a person sees is decided by the review context (:meth:`ReviewContext.sees`) and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.screening import (
    Agreement,
    Call,
    DecisionEvent,
    Event,
    IllegalTransition,
    RecordState,
    ReviewerState,
    ScreeningSetup,
    Stage,
    Verdict,
    agreement,
    changed_setup,
    current_calls,
    passes_stage,
    stage_label,
    validate_event,
)
from realreview.screening.decisions import VERDICT_OF
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext, review_context
from realreview.services.screening_outcome import record_states as _states
from realreview.services.screening_outcome import stage_complete
from realreview.services.screening_sample import SampleChange, change_sample, preview_sample_change
from realreview.services.screening_state import REOPENED, calls, resolutions, stage_events
from realreview.storage import queries
from realreview.storage.models import RecordRow, ScreeningEventRow, ScreeningResolutionRow

__all__ = [
    "PairAgreement",
    "agreement_report",
    "at_full_text",
    "calls_visible_to",
    "configure_screening",
    "conflicts",
    "lock_record",
    "preview_screening_setup",
    "record_decision",
    "record_states",
    "reopen_conflict",
    "resolve_conflict",
    "undo_last",
]


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement of two reviewers at one stage, on the records both decided."""

    first: str
    second: str
    stage: Stage
    result: Agreement


def _new_setup(session: Session, ctx: ReviewContext, changes: dict[str, Any]) -> ScreeningSetup:
    try:
        setup = changed_setup(ctx.setup, changes)
    except (TypeError, ValueError) as error:
        raise ValidationError(str(error)) from error
    if setup.lead_reviewer and setup.lead_reviewer != ctx.setup.lead_reviewer:
        try:
            review_context(session, review_id=ctx.review_id, email=setup.lead_reviewer).require(Action.SCREEN)
        except NotFoundError:
            raise ValidationError(
                f"the lead reviewer {setup.lead_reviewer} is not a member of review {ctx.review_id}"
            ) from None
        except ForbiddenError as error:
            raise ValidationError(f"the lead reviewer cannot screen: {error}") from None
    return setup


@reads(Action.EDIT_SETUP)
def preview_screening_setup(session: Session, ctx: ReviewContext, **changes: Any) -> SampleChange:
    """What ``changes`` would do to the dual-screening sample, without saving them (the owner's warning)."""
    setup = _new_setup(session, ctx, changes)
    return preview_sample_change(session, review_id=ctx.review_id, old=ctx.setup, new=setup)


@mutation(Action.EDIT_SETUP, audit="screening.configure", entity="review")
def configure_screening(session: Session, ctx: ReviewContext, **changes: Any) -> ScreeningSetup:
    """Change the setup; ``changes`` name :class:`ScreeningSetup` fields. Returns the new setup.

    A new fraction changes the stored sample (:func:`.screening_sample.change_sample`): it never
    redraws it, and never drops a record two reviewers have screened.
    """
    setup = _new_setup(session, ctx, changes)
    queries.save_screening_setup(session, review_id=ctx.review_id, setup=setup)
    change = change_sample(session, review_id=ctx.review_id, old=ctx.setup, new=setup)
    audit.note(
        session,
        entity_id=ctx.review_id,
        sample=change.describe(),
        **{name: str(value) for name, value in changes.items()},
    )
    return setup


def lock_record(session: Session, *, record_id: int) -> None:
    """Serialise writes on one record: a row lock on PostgreSQL until the transaction ends.

    SQLite needs none (a write transaction holds the database's one write lock from its start), and
    SQLAlchemy leaves ``FOR UPDATE`` out there. Every decision, undo, resolution and reopening takes
    this lock before it reads the history it validates against, so two concurrent writers on one
    record see each other's events and cannot store an impossible history.
    """
    session.execute(select(RecordRow.id).where(RecordRow.id == record_id).with_for_update())


def _record(session: Session, *, review_id: int, record_id: int) -> RecordRow:
    row = session.get(RecordRow, record_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"review {review_id} has no record {record_id}")
    if row.duplicate_of is not None:
        raise ValidationError(
            f"record {record_id} is a duplicate of record {row.duplicate_of}; screen record {row.duplicate_of}"
        )
    return row


@mutation(Action.SCREEN, audit="screening.decide", entity="record", entity_id="record_id")
def record_decision(
    session: Session,
    ctx: ReviewContext,
    *,
    record_id: int,
    stage: Stage,
    event: Event,
    reasons: Sequence[str] = (),
    tags: Sequence[str] = (),
    note: str | None = None,
    source: str = "realreview",
    at: dt.datetime | None = None,
) -> Call:
    """Store one decision event of the context's actor and return their new call."""
    decision = DecisionEvent(
        record_id, stage, ctx.actor, event, at or dt.datetime.now(dt.UTC), tuple(reasons), tuple(tags), note
    )
    call = _store_event(session, ctx, decision=decision, source=source)
    audit.note(session, stage=stage.value, event=event.value, source=source)
    return call


def _store_event(session: Session, ctx: ReviewContext, *, decision: DecisionEvent, source: str) -> Call:
    lock_record(session, record_id=decision.record_id)
    record = _record(session, review_id=ctx.review_id, record_id=decision.record_id)
    try:
        validate_event(decision)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    _check_vocabulary(decision, ctx.setup)
    if decision.stage is Stage.FULL_TEXT and decision.event is not Event.UNDO:
        if not at_full_text(session, review_id=ctx.review_id, setup=ctx.setup, record_id=record.id):
            # One answer whatever the reason (excluded, awaiting a second call, in conflict): a
            # blinded reviewer must not learn a colleague's title/abstract call from it.
            raise ValidationError(
                f"record {record.id} is not at the full-text stage: its title/abstract screening "
                "has not been completed with an include"
            )
    history = stage_events(
        session,
        review_id=ctx.review_id,
        stage=decision.stage,
        record_id=record.id,
        reviewer=decision.reviewer,
    )
    damaged: list[DecisionEvent] = []
    current_calls(history, on_illegal=damaged.append)
    skipped = {id(event) for event in damaged}
    history = [event for event in history if id(event) not in skipped]
    try:
        call = current_calls([*history, decision])[(record.id, decision.stage, decision.reviewer)]
    except IllegalTransition as error:
        raise ValidationError(f"record {record.id}: {error}") from error
    session.add(
        ScreeningEventRow(
            review_id=ctx.review_id,
            record_id=record.id,
            stage=decision.stage.value,
            reviewer=decision.reviewer,
            event=decision.event.value,
            reasons=list(decision.reasons),
            tags=list(decision.tags),
            note=decision.note,
            at=decision.at,
            source=source,
        )
    )
    return call


def _check_vocabulary(decision: DecisionEvent, setup: ScreeningSetup) -> None:
    if setup.exclusion_reasons:
        unknown = [reason for reason in decision.reasons if reason not in setup.exclusion_reasons]
        if unknown:
            raise ValidationError(
                f"record {decision.record_id}: unknown exclusion reason {unknown[0]!r}; "
                f"the review's reasons are: {'; '.join(setup.exclusion_reasons)}"
            )
    known = {tag for values in setup.tags.values() for tag in values}
    unknown_tags = [tag for tag in decision.tags if tag not in known]
    if unknown_tags:
        raise ValidationError(f"record {decision.record_id}: unknown tag {unknown_tags[0]!r}")


@reads(Action.VIEW_CONFLICTS)
def record_states(
    session: Session, ctx: ReviewContext, *, stage: Stage, record_ids: Iterable[int] | None = None
) -> dict[int, RecordState]:
    """Each record's state at ``stage`` from everyone's calls (every non-duplicate record, or those named)."""
    return _states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=record_ids)


@reads(Action.VIEW_CONFLICTS)
def conflicts(session: Session, ctx: ReviewContext, *, stage: Stage) -> list[int]:
    """Records whose reviewers disagree at ``stage`` and that no owner has resolved yet."""
    states = _states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage)
    return sorted(record_id for record_id, state in states.items() if state is RecordState.CONFLICT)


@mutation(Action.SCREEN, audit="screening.undo_last", entity="record")
def undo_last(session: Session, ctx: ReviewContext, *, stage: Stage) -> tuple[int, Call]:
    """Undo the actor's most recent standing decision at ``stage``, wherever they are now.

    Returns the record it reopened and the actor's call on it after the undo.
    """
    rows = session.execute(
        select(ScreeningEventRow.id, ScreeningEventRow.record_id, ScreeningEventRow.event)
        .where(
            ScreeningEventRow.review_id == ctx.review_id,
            ScreeningEventRow.stage == stage.value,
            ScreeningEventRow.reviewer == ctx.actor,
        )
        .order_by(ScreeningEventRow.id)
    ).all()
    stacks: dict[int, list[int]] = defaultdict(list)
    for event_id, record_id, event in rows:
        if event == Event.UNDO.value:
            if stacks[record_id]:
                stacks[record_id].pop()
        else:
            stacks[record_id].append(event_id)
    standing = {record_id: stack[-1] for record_id, stack in stacks.items() if stack}
    if not standing:
        raise ValidationError(f"you have no decision to undo at {stage_label(stage)}")
    record_id = max(standing, key=standing.__getitem__)
    decision = DecisionEvent(record_id, stage, ctx.actor, Event.UNDO, dt.datetime.now(dt.UTC))
    call = _store_event(session, ctx, decision=decision, source="undo")
    audit.note(session, entity_id=record_id, stage=stage.value)
    return record_id, call


@mutation(Action.RESOLVE_CONFLICTS, audit="screening.resolve", entity="record", entity_id="record_id")
def resolve_conflict(
    session: Session,
    ctx: ReviewContext,
    *,
    record_id: int,
    stage: Stage,
    verdict: Verdict,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> RecordState:
    """An owner's final decision on a conflict, with who, when and a note (e.g. "resolved by discussion")."""
    lock_record(session, record_id=record_id)
    _record(session, review_id=ctx.review_id, record_id=record_id)
    states = _states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=[record_id])
    if states[record_id] is not RecordState.CONFLICT:
        raise ValidationError(f"record {record_id} is not in conflict at {stage.value} ({states[record_id]})")
    if verdict is Verdict.MAYBE:
        raise ValidationError("a resolution is include or exclude")
    return _add_resolution(
        session, ctx, record_id=record_id, stage=stage, verdict=verdict.value, note=note, at=at
    )


def _add_resolution(
    session: Session,
    ctx: ReviewContext,
    *,
    record_id: int,
    stage: Stage,
    verdict: str,
    note: str | None,
    at: dt.datetime | None,
) -> RecordState:
    """Store an owner's resolution (or reopening) row and return the record's state after it."""
    session.add(
        ScreeningResolutionRow(
            review_id=ctx.review_id,
            record_id=record_id,
            stage=stage.value,
            owner=ctx.actor,
            verdict=verdict,
            note=note,
            at=at or dt.datetime.now(dt.UTC),
        )
    )
    session.flush()
    audit.note(session, stage=stage.value, verdict=verdict, note=note)
    return _states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=[record_id])[
        record_id
    ]


@mutation(Action.RESOLVE_CONFLICTS, audit="screening.reopen", entity="record", entity_id="record_id")
def reopen_conflict(
    session: Session,
    ctx: ReviewContext,
    *,
    record_id: int,
    stage: Stage,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> RecordState:
    """Withdraw a resolution: the record is in conflict again, and the resolution stays in the trail."""
    lock_record(session, record_id=record_id)
    _record(session, review_id=ctx.review_id, record_id=record_id)
    if record_id not in resolutions(session, review_id=ctx.review_id, stage=stage):
        raise ValidationError(f"record {record_id} has no resolution at {stage_label(stage)} to reopen")
    return _add_resolution(session, ctx, record_id=record_id, stage=stage, verdict=REOPENED, note=note, at=at)


@reads(Action.VIEW_AGREEMENT)
def agreement_report(session: Session, ctx: ReviewContext, *, stage: Stage) -> list[PairAgreement]:
    """Agreement for every pair of reviewers who both decided some records at ``stage``.

    Refused (ForbiddenError) while blinding hides the others' calls from the context's actor.
    """
    if not ctx.sees():
        raise ForbiddenError("agreement is shown to owners while blinding is on")
    by_reviewer: dict[str, dict[int, Verdict]] = defaultdict(dict)
    for (record_id, reviewer), call in calls_visible_to(session, ctx, stage=stage).items():
        if call.state is not ReviewerState.UNDECIDED:
            by_reviewer[reviewer][record_id] = VERDICT_OF[call.state]
    report = []
    for first, second in combinations(sorted(by_reviewer), 2):
        shared = sorted(set(by_reviewer[first]) & set(by_reviewer[second]))
        if not shared:
            continue
        pairs = [(by_reviewer[first][r], by_reviewer[second][r]) for r in shared]
        report.append(PairAgreement(first, second, stage, agreement(pairs, maybe=ctx.setup.maybe_rule)))
    return report


@reads(Action.VIEW_SCREENING)
def calls_visible_to(
    session: Session, ctx: ReviewContext, *, stage: Stage, record_id: int | None = None
) -> dict[tuple[int, str], Call]:
    """The (record, reviewer) calls the context's actor may see (:meth:`ReviewContext.sees`).

    Owners see every call (they resolve conflicts); under blinding a reviewer or viewer sees their
    own calls and nothing of anyone else's, so that no page, count or export can leak a decision.
    """
    only_own = not ctx.sees()
    standing = calls(
        session,
        review_id=ctx.review_id,
        stage=stage,
        record_id=record_id,
        reviewer=ctx.actor if only_own else None,
    )
    return {key: call for key, call in standing.items() if ctx.sees(key[1])}


def at_full_text(session: Session, *, review_id: int, setup: ScreeningSetup, record_id: int) -> bool:
    """Whether one record is at the full-text stage (title/abstract complete, and passed)."""
    state = _states(
        session, review_id=review_id, setup=setup, stage=Stage.TITLE_ABSTRACT, record_ids=[record_id]
    )
    done = stage_complete(
        session, review_id=review_id, setup=setup, stage=Stage.TITLE_ABSTRACT, record_ids=[record_id]
    )
    return passes_stage(state[record_id]) and done[record_id]
