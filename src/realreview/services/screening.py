"""Use cases for screening: setup, decisions, states, agreement, conflicts and their resolution.

Decisions are stored as append-only events (:class:`~realreview.storage.models.ScreeningEventRow`)
and every state is derived from them by :mod:`realreview.screening` (the one state machine); an undo
is a new event, a resolution is a new row, nothing is updated or deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.errors import ForbiddenError, NotFoundError, ReviewError, ValidationError
from realreview.screening import (
    EQUITY_APPROACHES,
    PROGRESS_PLUS,
    Agreement,
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
    agreement,
    current_calls,
    dual_sample,
    passes_stage,
    record_state,
    validate_event,
)
from realreview.screening.decisions import VERDICT_OF
from realreview.services.accounts import Role, require_role
from realreview.storage import queries
from realreview.storage.models import RecordRow, ScreeningEventRow, ScreeningResolutionRow, ScreeningSetupRow

__all__ = [
    "EXPORT_COLUMNS",
    "PairAgreement",
    "calls_visible_to",
    "export_decisions",
    "import_decisions",
    "ScreeningSetup",
    "agreement_report",
    "configure_screening",
    "conflicts",
    "record_decision",
    "record_states",
    "resolve_conflict",
    "screening_setup",
    "stage_events",
]

DEFAULT_TAGS = {"PROGRESS-Plus": PROGRESS_PLUS, "Equity approach": EQUITY_APPROACHES}


@dataclass(frozen=True, slots=True)
class ScreeningSetup:
    """How a review screens: criteria shown beside each record, reasons, vocabularies, highlights."""

    inclusion: tuple[str, ...] = ()
    exclusion: tuple[str, ...] = ()
    exclusion_reasons: tuple[str, ...] = ()
    tags: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_TAGS))
    include_words: tuple[str, ...] = ()
    exclude_words: tuple[str, ...] = ()
    blinded: bool = True
    dual_fraction: float = 0.0
    dual_seed: int = 0
    maybe_rule: MaybeRule = MaybeRule.AS_INCLUDE


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement of two reviewers at one stage, on the records both decided."""

    first: str
    second: str
    stage: Stage
    result: Agreement


def screening_setup(session: Session, *, review_id: int) -> ScreeningSetup:
    """The review's setup; the defaults (PROGRESS-Plus and equity vocabularies, blinded) until configured.

    Remembered for the rest of the transaction; :func:`configure_screening` replaces it.
    """
    memo: dict[int, ScreeningSetup] = session.info.setdefault("realreview.setups", {})
    if review_id not in memo:
        memo[review_id] = _load_setup(session, review_id=review_id)
    return memo[review_id]


def _load_setup(session: Session, *, review_id: int) -> ScreeningSetup:
    row = session.get(ScreeningSetupRow, review_id)
    if row is None:
        return ScreeningSetup()
    return ScreeningSetup(
        inclusion=tuple(row.inclusion),
        exclusion=tuple(row.exclusion),
        exclusion_reasons=tuple(row.exclusion_reasons),
        tags={name: tuple(values) for name, values in row.tags.items()},
        include_words=tuple(row.include_words),
        exclude_words=tuple(row.exclude_words),
        blinded=row.blinded,
        dual_fraction=row.dual_fraction,
        dual_seed=row.dual_seed,
        maybe_rule=MaybeRule(row.maybe_rule),
    )


def configure_screening(session: Session, *, review_id: int, owner: str, **changes: object) -> ScreeningSetup:
    """Change the setup (owner only); ``changes`` name :class:`ScreeningSetup` fields."""
    require_role(session, review_id=review_id, email=owner, role=Role.OWNER)
    unknown = set(changes) - set(ScreeningSetup.__dataclass_fields__)
    if unknown:
        raise ValidationError(f"unknown screening settings: {', '.join(sorted(unknown))}")
    setup = replace(screening_setup(session, review_id=review_id), **changes)  # type: ignore[arg-type]
    if not 0.0 <= setup.dual_fraction <= 1.0:
        raise ValidationError(
            f"the dual-screening fraction must be between 0 and 1, not {setup.dual_fraction}"
        )
    row = session.get(ScreeningSetupRow, review_id) or ScreeningSetupRow(review_id=review_id)
    row.inclusion, row.exclusion = list(setup.inclusion), list(setup.exclusion)
    row.exclusion_reasons = list(setup.exclusion_reasons)
    row.tags = {name: list(values) for name, values in setup.tags.items()}
    row.include_words, row.exclude_words = list(setup.include_words), list(setup.exclude_words)
    row.blinded, row.dual_fraction, row.dual_seed = setup.blinded, setup.dual_fraction, setup.dual_seed
    row.maybe_rule = MaybeRule(setup.maybe_rule).value
    session.add(row)
    session.info.setdefault("realreview.setups", {})[review_id] = setup
    queries.add_audit(
        session,
        actor=owner,
        action="screening.configure",
        entity="review",
        entity_id=review_id,
        review_id=review_id,
        details={name: str(value) for name, value in changes.items()},
    )
    return setup


def _event(row: ScreeningEventRow) -> DecisionEvent:
    return DecisionEvent(
        row.record_id,
        Stage(row.stage),
        row.reviewer,
        Event(row.event),
        row.at,
        tuple(row.reasons),
        tuple(row.tags),
        row.note,
    )


def stage_events(
    session: Session,
    *,
    review_id: int,
    stage: Stage,
    record_id: int | None = None,
    reviewer: str | None = None,
) -> list[DecisionEvent]:
    """The stage's decision events in the order they were made."""
    query = select(ScreeningEventRow).where(
        ScreeningEventRow.review_id == review_id, ScreeningEventRow.stage == stage.value
    )
    if record_id is not None:
        query = query.where(ScreeningEventRow.record_id == record_id)
    if reviewer is not None:
        query = query.where(ScreeningEventRow.reviewer == reviewer)
    return [_event(row) for row in session.scalars(query.order_by(ScreeningEventRow.id))]


def _record(session: Session, *, review_id: int, record_id: int) -> RecordRow:
    row = session.get(RecordRow, record_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"review {review_id} has no record {record_id}")
    if row.duplicate_of is not None:
        raise ValidationError(
            f"record {record_id} is a duplicate of record {row.duplicate_of}; screen record {row.duplicate_of}"
        )
    return row


def record_decision(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    stage: Stage,
    reviewer: str,
    event: Event,
    reasons: Sequence[str] = (),
    tags: Sequence[str] = (),
    note: str | None = None,
    source: str = "realreview",
    at: dt.datetime | None = None,
) -> Call:
    """Store one decision event (a reviewer or owner only) and return the reviewer's new call."""
    require_role(session, review_id=review_id, email=reviewer, role=Role.REVIEWER)
    return _store_event(
        session,
        review_id=review_id,
        decision=DecisionEvent(
            record_id,
            stage,
            reviewer,
            event,
            at or dt.datetime.now(dt.UTC),
            tuple(reasons),
            tuple(tags),
            note,
        ),
        source=source,
    )


def _store_event(session: Session, *, review_id: int, decision: DecisionEvent, source: str) -> Call:
    record = _record(session, review_id=review_id, record_id=decision.record_id)
    try:
        validate_event(decision)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    setup = screening_setup(session, review_id=review_id)
    _check_vocabulary(decision, setup)
    if decision.stage is Stage.FULL_TEXT and decision.event is not Event.UNDO:
        states = record_states(
            session, review_id=review_id, stage=Stage.TITLE_ABSTRACT, record_ids=[record.id]
        )
        if not passes_stage(states[record.id]):
            raise ValidationError(
                f"record {record.id} has not passed title/abstract screening ({states[record.id]})"
            )
    history = stage_events(
        session, review_id=review_id, stage=decision.stage, record_id=record.id, reviewer=decision.reviewer
    )
    try:
        call = current_calls([*history, decision])[(record.id, decision.stage, decision.reviewer)]
    except IllegalTransition as error:
        raise ValidationError(f"record {record.id}: {error}") from error
    session.add(
        ScreeningEventRow(
            review_id=review_id,
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
    queries.add_audit(
        session,
        actor=decision.reviewer,
        action=f"screening.{decision.event.value}",
        entity="record",
        entity_id=record.id,
        review_id=review_id,
        details={"stage": decision.stage.value, "source": source},
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


def _dual(session: Session, *, review_id: int, setup: ScreeningSetup) -> frozenset[int]:
    if setup.dual_fraction <= 0:
        return frozenset()
    ids = session.scalars(
        select(RecordRow.id).where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
    ).all()
    return dual_sample(ids, fraction=setup.dual_fraction, seed=setup.dual_seed)


def _resolutions(session: Session, *, review_id: int, stage: Stage) -> dict[int, Resolution]:
    rows = session.scalars(
        select(ScreeningResolutionRow)
        .where(ScreeningResolutionRow.review_id == review_id, ScreeningResolutionRow.stage == stage.value)
        .order_by(ScreeningResolutionRow.id)
    )
    return {
        row.record_id: Resolution(row.record_id, stage, row.owner, Verdict(row.verdict), row.at, row.note)
        for row in rows
    }


def record_states(
    session: Session, *, review_id: int, stage: Stage, record_ids: Iterable[int] | None = None
) -> dict[int, RecordState]:
    """Each record's state at ``stage`` (every non-duplicate record, or those named)."""
    setup = screening_setup(session, review_id=review_id)
    dual = _dual(session, review_id=review_id, setup=setup)
    ids = (
        list(record_ids)
        if record_ids is not None
        else session.scalars(
            select(RecordRow.id).where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
        ).all()
    )
    calls_by_record: dict[int, list[Call]] = defaultdict(list)
    for (record_id, _stage, _reviewer), call in current_calls(
        stage_events(session, review_id=review_id, stage=stage)
    ).items():
        calls_by_record[record_id].append(call)
    resolutions = _resolutions(session, review_id=review_id, stage=stage)
    return {
        record_id: record_state(
            calls_by_record.get(record_id, []),
            dual=record_id in dual,
            resolution=resolutions.get(record_id),
            maybe=setup.maybe_rule,
        )
        for record_id in ids
    }


def conflicts(session: Session, *, review_id: int, stage: Stage) -> list[int]:
    """Records whose reviewers disagree at ``stage`` and that no owner has resolved yet."""
    states = record_states(session, review_id=review_id, stage=stage)
    return sorted(record_id for record_id, state in states.items() if state is RecordState.CONFLICT)


def resolve_conflict(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    stage: Stage,
    owner: str,
    verdict: Verdict,
    note: str | None = None,
) -> RecordState:
    """An owner's final decision on a conflict, with who, when and a note (e.g. "resolved by discussion")."""
    require_role(session, review_id=review_id, email=owner, role=Role.OWNER)
    _record(session, review_id=review_id, record_id=record_id)
    state = record_states(session, review_id=review_id, stage=stage, record_ids=[record_id])[record_id]
    if state is not RecordState.CONFLICT:
        raise ValidationError(f"record {record_id} is not in conflict at {stage.value} ({state})")
    if verdict is Verdict.MAYBE:
        raise ValidationError("a resolution is include or exclude")
    session.add(
        ScreeningResolutionRow(
            review_id=review_id,
            record_id=record_id,
            stage=stage.value,
            owner=owner,
            verdict=verdict.value,
            note=note,
        )
    )
    session.flush()
    queries.add_audit(
        session,
        actor=owner,
        action="screening.resolve",
        entity="record",
        entity_id=record_id,
        review_id=review_id,
        details={"stage": stage.value, "verdict": verdict.value, "note": note},
    )
    return record_states(session, review_id=review_id, stage=stage, record_ids=[record_id])[record_id]


def _sees_everyone(session: Session, *, review_id: int, viewer: str) -> bool:
    """Whether ``viewer`` may see other reviewers' calls: an owner, or anyone while blinding is off."""
    role = require_role(session, review_id=review_id, email=viewer, role=Role.VIEWER)
    return role is Role.OWNER or not screening_setup(session, review_id=review_id).blinded


def agreement_report(
    session: Session, *, review_id: int, stage: Stage, viewer: str | None = None
) -> list[PairAgreement]:
    """Agreement for every pair of reviewers who both decided some records at ``stage``.

    With a ``viewer``: refused (ForbiddenError) while blinding hides the others' calls from them.
    """
    if viewer is not None and not _sees_everyone(session, review_id=review_id, viewer=viewer):
        raise ForbiddenError("agreement is shown to owners while blinding is on")
    setup = screening_setup(session, review_id=review_id)
    by_reviewer: dict[str, dict[int, Verdict]] = defaultdict(dict)
    for (record_id, _stage, reviewer), call in current_calls(
        stage_events(session, review_id=review_id, stage=stage)
    ).items():
        if call.state is not ReviewerState.UNDECIDED:
            by_reviewer[reviewer][record_id] = VERDICT_OF[call.state]
    report = []
    for first, second in combinations(sorted(by_reviewer), 2):
        shared = sorted(set(by_reviewer[first]) & set(by_reviewer[second]))
        if not shared:
            continue
        pairs = [(by_reviewer[first][r], by_reviewer[second][r]) for r in shared]
        report.append(PairAgreement(first, second, stage, agreement(pairs, maybe=setup.maybe_rule)))
    return report


def calls_visible_to(
    session: Session, *, review_id: int, stage: Stage, viewer: str, record_id: int | None = None
) -> dict[tuple[int, str], Call]:
    """The (record, reviewer) calls ``viewer`` may see: while blinding is on, a reviewer sees only their own.

    Owners see every call (they resolve conflicts); a viewer or reviewer under blinding sees their own
    calls and nothing of anyone else's, so that no page, count or export can leak another's decision.
    """
    only_own = not _sees_everyone(session, review_id=review_id, viewer=viewer)
    events = stage_events(
        session, review_id=review_id, stage=stage, record_id=record_id, reviewer=viewer if only_own else None
    )
    return {
        (record_id, reviewer): call for (record_id, _stage, reviewer), call in current_calls(events).items()
    }


EXPORT_COLUMNS = ("record_id", "stage", "reviewer", "event", "reasons", "tags", "note", "at", "source")


def export_decisions(session: Session, *, review_id: int, viewer: str | None = None) -> list[dict[str, str]]:
    """Every decision event of the review, oldest first, as CSV rows (lists joined with "; ").

    With a ``viewer`` (a member, from the web app) blinding applies: a blinded reviewer or viewer gets
    their own events only. Without one (the command line, run by whoever holds the database) all.
    """
    query = select(ScreeningEventRow).where(ScreeningEventRow.review_id == review_id)
    if viewer is not None and not _sees_everyone(session, review_id=review_id, viewer=viewer):
        query = query.where(ScreeningEventRow.reviewer == viewer)
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
    ]


def import_decisions(
    session: Session, *, review_id: int, rows: Iterable[tuple[int, dict[str, str]]], source: str
) -> int:
    """Store decision events from ``(line number, CSV row)`` pairs; the first bad row stops the import.

    The caller's transaction makes it all or nothing: a bad line leaves the review as it was.
    """
    stored = 0
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
            require_role(session, review_id=review_id, email=decision.reviewer, role=Role.REVIEWER)
        except NotFoundError:
            raise ValidationError(
                f"line {line}: {decision.reviewer} is not a member of review {review_id}; "
                f"add them with: realreview members add {decision.reviewer} --role reviewer"
            ) from None
        except ReviewError as error:
            raise ValidationError(f"line {line}: {error}") from error
        try:
            _store_event(session, review_id=review_id, decision=decision, source=source)
        except ReviewError as error:
            raise ValidationError(f"line {line}: {error}") from error
        stored += 1
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
