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
from realreview.errors import ForbiddenError, NotFoundError, ReviewError, ValidationError
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
    validate_event,
)
from realreview.screening.decisions import VERDICT_OF
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext, review_context
from realreview.services.screening_state import record_states as _states
from realreview.services.screening_state import stage_events
from realreview.storage import queries
from realreview.storage.models import RecordRow, ScreeningEventRow, ScreeningResolutionRow

__all__ = [
    "EXPORT_COLUMNS",
    "PairAgreement",
    "agreement_report",
    "calls_visible_to",
    "configure_screening",
    "conflicts",
    "export_decisions",
    "import_decisions",
    "record_decision",
    "record_states",
    "resolve_conflict",
]


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement of two reviewers at one stage, on the records both decided."""

    first: str
    second: str
    stage: Stage
    result: Agreement


@mutation(Action.EDIT_SETUP, audit="screening.configure", entity="review")
def configure_screening(session: Session, ctx: ReviewContext, **changes: Any) -> ScreeningSetup:
    """Change the setup; ``changes`` name :class:`ScreeningSetup` fields. Returns the new setup."""
    try:
        setup = changed_setup(ctx.setup, changes)
    except (TypeError, ValueError) as error:
        raise ValidationError(str(error)) from error
    queries.save_screening_setup(session, review_id=ctx.review_id, setup=setup)
    audit.note(session, entity_id=ctx.review_id, **{name: str(value) for name, value in changes.items()})
    return setup


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
    record = _record(session, review_id=ctx.review_id, record_id=decision.record_id)
    try:
        validate_event(decision)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    _check_vocabulary(decision, ctx.setup)
    if decision.stage is Stage.FULL_TEXT and decision.event is not Event.UNDO:
        state = _states(
            session,
            review_id=ctx.review_id,
            setup=ctx.setup,
            stage=Stage.TITLE_ABSTRACT,
            record_ids=[record.id],
        )[record.id]
        if not passes_stage(state):
            raise ValidationError(f"record {record.id} has not passed title/abstract screening ({state})")
    history = stage_events(
        session,
        review_id=ctx.review_id,
        stage=decision.stage,
        record_id=record.id,
        reviewer=decision.reviewer,
    )
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


@mutation(Action.RESOLVE_CONFLICTS, audit="screening.resolve", entity="record", entity_id="record_id")
def resolve_conflict(
    session: Session,
    ctx: ReviewContext,
    *,
    record_id: int,
    stage: Stage,
    verdict: Verdict,
    note: str | None = None,
) -> RecordState:
    """An owner's final decision on a conflict, with who, when and a note (e.g. "resolved by discussion")."""
    _record(session, review_id=ctx.review_id, record_id=record_id)
    states = _states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=[record_id])
    if states[record_id] is not RecordState.CONFLICT:
        raise ValidationError(f"record {record_id} is not in conflict at {stage.value} ({states[record_id]})")
    if verdict is Verdict.MAYBE:
        raise ValidationError("a resolution is include or exclude")
    session.add(
        ScreeningResolutionRow(
            review_id=ctx.review_id,
            record_id=record_id,
            stage=stage.value,
            owner=ctx.actor,
            verdict=verdict.value,
            note=note,
        )
    )
    session.flush()
    audit.note(session, stage=stage.value, verdict=verdict.value, note=note)
    return _states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=[record_id])[
        record_id
    ]


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
    events = stage_events(
        session,
        review_id=ctx.review_id,
        stage=stage,
        record_id=record_id,
        reviewer=ctx.actor if only_own else None,
    )
    return {
        (record, reviewer): call
        for (record, _stage, reviewer), call in current_calls(events).items()
        if ctx.sees(reviewer)
    }


EXPORT_COLUMNS = ("record_id", "stage", "reviewer", "event", "reasons", "tags", "note", "at", "source")


@reads(Action.EXPORT_DECISIONS)
def export_decisions(session: Session, ctx: ReviewContext) -> list[dict[str, str]]:
    """Every decision event the actor may see, oldest first, as CSV rows (lists joined with "; ").

    Blinding applies through the context: a blinded reviewer or viewer gets their own events only;
    the command line acts as the owner and gets all of them.
    """
    query = select(ScreeningEventRow).where(ScreeningEventRow.review_id == ctx.review_id)
    if not ctx.sees():
        query = query.where(ScreeningEventRow.reviewer == ctx.actor)
    rows = session.scalars(query.order_by(ScreeningEventRow.id))
    return [
        {
            "record_id": str(row.record_id),
            "stage": row.stage,
            "reviewer": row.reviewer,
            "event": row.event,
            "reasons": "; ".join(row.reasons),
            "tags": "; ".join(row.tags),
            "note": row.note or "",
            "at": row.at.isoformat(),
            "source": row.source,
        }
        for row in rows
        if ctx.sees(row.reviewer)
    ]


@mutation(Action.IMPORT_DECISIONS, audit="screening.import", entity="review")
def import_decisions(
    session: Session, ctx: ReviewContext, *, rows: Iterable[tuple[int, dict[str, str]]], source: str
) -> int:
    """Store decision events from ``(line number, CSV row)`` pairs; the first bad row stops the import.

    Each event is the named reviewer's, who must be a member allowed to screen. The caller's
    transaction makes it all or nothing: a bad line leaves the review as it was.
    """
    stored = 0
    contexts: dict[str, ReviewContext] = {}
    for line, row in rows:
        try:
            decision = DecisionEvent(
                int(row["record_id"]),
                Stage(row["stage"].strip()),
                row["reviewer"].strip().lower(),
                Event(row["event"].strip()),
                _parse_time(row.get("at")),
                _split(row.get("reasons")),
                _split(row.get("tags")),
                (row.get("note") or "").strip() or None,
            )
        except (KeyError, ValueError) as error:
            raise ValidationError(f"line {line}: {_describe(error)}") from error
        try:
            if decision.reviewer not in contexts:
                contexts[decision.reviewer] = review_context(
                    session, review_id=ctx.review_id, email=decision.reviewer
                )
            contexts[decision.reviewer].require(Action.SCREEN)
        except NotFoundError:
            raise ValidationError(
                f"line {line}: {decision.reviewer} is not a member of review {ctx.review_id}; "
                f"add them with: realreview members add {decision.reviewer} --role reviewer"
            ) from None
        except ReviewError as error:
            raise ValidationError(f"line {line}: {error}") from error
        try:
            _store_event(session, contexts[decision.reviewer], decision=decision, source=source)
        except ReviewError as error:
            raise ValidationError(f"line {line}: {error}") from error
        stored += 1
    audit.note(session, entity_id=ctx.review_id, decisions=stored, source=source)
    return stored


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(";") if part.strip())


def _parse_time(text: str | None) -> dt.datetime:
    if not text or not text.strip():
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing column {error.args[0]!r} (columns: {', '.join(EXPORT_COLUMNS)})"
    return str(error)
