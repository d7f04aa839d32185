"""What the screening pages show: the queue, progress, one record, the overview, all within blinding.

Read-only use cases for the web app, one page dataclass per screen. Every function takes the viewing
member's review context and returns only what they may see (:meth:`ReviewContext.sees`): while
blinding is on, a reviewer's queue, counts and filters use their own calls alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from realreview.access import Action, Role
from realreview.errors import NotFoundError
from realreview.records import Record
from realreview.screening import Call, Event, RecordState, ReviewerState, ScreeningSetup, Stage, passes_stage
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.reviews import ReviewInfo, set_question
from realreview.services.screening import (
    PairAgreement,
    agreement_report,
    calls_visible_to,
    configure_screening,
)
from realreview.services.screening_state import record_states, stage_record_ids
from realreview.storage import queries
from realreview.storage.models import DocumentRow, RecordRow, ScreeningEventRow

__all__ = [
    "AgreementPage",
    "ConflictsPage",
    "Filter",
    "OverviewPage",
    "Progress",
    "RecordPage",
    "RecordView",
    "ScreeningPage",
    "SetupPage",
    "agreement_page",
    "conflicts_page",
    "first_undecided",
    "overview_page",
    "progress",
    "queue",
    "record_page",
    "record_view",
    "save_setup",
    "screening_page",
    "setup_page",
]


class Filter(StrEnum):
    """Which records a queue lists."""

    UNDECIDED = "undecided"
    ALL = "all"
    INCLUDED = "included"
    EXCLUDED = "excluded"
    MAYBE = "maybe"
    CONFLICTS = "conflicts"


_MINE = {
    Filter.INCLUDED: ReviewerState.INCLUDED,
    Filter.EXCLUDED: ReviewerState.EXCLUDED,
    Filter.MAYBE: ReviewerState.MAYBE,
}


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the viewer is: records at the stage, and how many they have decided."""

    total: int
    decided: int

    @property
    def percent(self) -> int:
        """Whole percent decided (0 for an empty stage)."""
        return round(100 * self.decided / self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class RecordView:
    """One record as the screening page shows it, with the calls the viewer may see."""

    id: int
    record: Record
    mine: Call | None
    others: dict[str, Call]
    state: RecordState | None
    #: At the full-text stage: the record's attached full texts as (document id, file name).
    documents: tuple[tuple[int, str], ...] = ()


def _stage_ids(session: Session, ctx: ReviewContext, *, stage: Stage) -> list[int]:
    ids = stage_record_ids(session, review_id=ctx.review_id)
    if stage is Stage.TITLE_ABSTRACT:
        return ids
    states = record_states(
        session, review_id=ctx.review_id, setup=ctx.setup, stage=Stage.TITLE_ABSTRACT, record_ids=ids
    )
    return [record_id for record_id in ids if passes_stage(states[record_id])]


@reads(Action.VIEW_SCREENING)
def queue(
    session: Session,
    ctx: ReviewContext,
    *,
    stage: Stage,
    filter: Filter = Filter.UNDECIDED,
    tag: str | None = None,
    reason: str | None = None,
    text: str | None = None,
    reviewer: str | None = None,
) -> list[int]:
    """Record ids for the viewer's queue, in order; filters use only calls the viewer may see.

    ``reviewer`` keeps the records that reviewer has decided; under blinding a reviewer sees only their
    own calls, so for anyone else's address the list is empty (nothing leaks).
    """
    ids = _stage_ids(session, ctx, stage=stage)
    visible = calls_visible_to(session, ctx, stage=stage)
    mine = {record_id: call for (record_id, who), call in visible.items() if who == ctx.actor}
    if filter is Filter.UNDECIDED:
        ids = [i for i in ids if i not in mine or mine[i].state is ReviewerState.UNDECIDED]
    elif filter in _MINE:
        ids = [i for i in ids if i in mine and mine[i].state is _MINE[filter]]
    elif filter is Filter.CONFLICTS:
        if not ctx.sees():
            return []  # a blinded reviewer must not learn that anyone disagreed
        states = record_states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=ids)
        ids = [i for i in ids if states[i] is RecordState.CONFLICT]
    if reviewer:
        theirs = {
            r
            for (r, who), call in visible.items()
            if who == reviewer and call.state is not ReviewerState.UNDECIDED
        }
        ids = [i for i in ids if i in theirs]
    if tag:
        ids = [i for i in ids if any(tag in call.tags for (r, _), call in visible.items() if r == i)]
    if reason:
        ids = [i for i in ids if any(reason in call.reasons for (r, _), call in visible.items() if r == i)]
    if text:
        needle = text.casefold()
        records = queries.records_by_id(session, review_id=ctx.review_id, record_ids=set(ids))
        ids = [i for i in ids if needle in f"{records[i].title or ''} {records[i].abstract or ''}".casefold()]
    return ids


@reads(Action.VIEW_SCREENING)
def progress(session: Session, ctx: ReviewContext, *, stage: Stage) -> Progress:
    """Records at the stage and how many of them the viewer has decided."""
    ids = set(_stage_ids(session, ctx, stage=stage))
    visible = calls_visible_to(session, ctx, stage=stage)
    decided = {
        record_id
        for (record_id, who), call in visible.items()
        if who == ctx.actor and call.state is not ReviewerState.UNDECIDED and record_id in ids
    }
    return Progress(total=len(ids), decided=len(decided))


@reads(Action.VIEW_SCREENING)
def record_view(session: Session, ctx: ReviewContext, *, record_id: int, stage: Stage) -> RecordView:
    """One record with the viewer's call and, unless blinded, the others' calls and the record state."""
    found = queries.records_by_id(session, review_id=ctx.review_id, record_ids={record_id})
    if record_id not in found:
        raise NotFoundError(f"review {ctx.review_id} has no record {record_id}")
    visible = calls_visible_to(session, ctx, stage=stage, record_id=record_id)
    calls = {who: call for (r, who), call in visible.items() if r == record_id}
    mine = calls.pop(ctx.actor, None)
    state = None
    if ctx.sees():
        state = record_states(
            session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=[record_id]
        )[record_id]
    documents: tuple[tuple[int, str], ...] = ()
    if stage is Stage.FULL_TEXT:
        documents = tuple(
            (row.id, row.name)
            for row in session.execute(
                select(DocumentRow.id, DocumentRow.name)
                .where(DocumentRow.review_id == ctx.review_id, DocumentRow.record_id == record_id)
                .order_by(DocumentRow.id)
            )
        )
    return RecordView(record_id, found[record_id], mine, calls, state, documents)


def _decided_by(review_id: int, stage: Stage, viewer: str):  # type: ignore[no-untyped-def]
    """Records the viewer has a standing call on: more decisions than undos (the event stack is not empty)."""
    net = func.sum(case((ScreeningEventRow.event == Event.UNDO.value, -1), else_=1))
    return (
        select(ScreeningEventRow.record_id)
        .where(
            ScreeningEventRow.review_id == review_id,
            ScreeningEventRow.stage == stage.value,
            ScreeningEventRow.reviewer == viewer,
        )
        .group_by(ScreeningEventRow.record_id)
        .having(net > 0)
    )


@reads(Action.VIEW_SCREENING)
def first_undecided(session: Session, ctx: ReviewContext, *, limit: int = 2) -> tuple[list[int], Progress]:
    """The next ``limit`` title/abstract records the viewer has not decided, and their progress.

    The screening loop's hot path ("decide and get the next record"): indexed queries instead of
    replaying every event, with the same answer as :func:`queue` and :func:`progress` for the
    title/abstract stage (a standing call is one more decision than undos, by the transitions table).
    Only the viewer's own events are read, so blinding holds by construction.
    """
    review_id = ctx.review_id
    decided = list(session.scalars(_decided_by(review_id, Stage.TITLE_ABSTRACT, ctx.actor)))
    base = select(RecordRow.id).where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_(None))
    ids: list[int] = []
    after = 0
    skip = set(decided)
    # Start where the reviewer's decided records stop being a run from the first record: both
    # databases then read a few index entries (a NOT IN over a grouped subquery made PostgreSQL
    # re-run the subquery per row, 0.7 s per request at 100,000 records).
    chunk = limit + 256
    while len(ids) < limit:
        batch = list(session.scalars(base.where(RecordRow.id > after).order_by(RecordRow.id).limit(chunk)))
        if not batch:
            break
        ids.extend(record_id for record_id in batch if record_id not in skip)
        after = batch[-1]
        chunk *= 4
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    done = 0
    for start in range(0, len(decided), 5000):
        part = decided[start : start + 5000]
        done += (
            session.scalar(select(func.count()).select_from(base.where(RecordRow.id.in_(part)).subquery()))
            or 0
        )
    return ids[:limit], Progress(total=total, decided=done)


@dataclass(frozen=True, slots=True)
class ScreeningPage:
    """The screening page: the queue's current record, its neighbours, the viewer's progress."""

    review: ReviewInfo
    role: Role
    can_decide: bool
    setup: ScreeningSetup
    stage: Stage
    filter: Filter
    tag: str
    reason: str
    q: str
    reviewer: str
    unblinded: bool
    queue_size: int
    previous: int | None
    next: int | None
    view: RecordView | None
    progress: Progress
    filters: tuple[Filter, ...] = tuple(Filter)


@reads(Action.VIEW_SCREENING)
def screening_page(
    session: Session,
    ctx: ReviewContext,
    *,
    stage: Stage,
    filter: Filter = Filter.UNDECIDED,
    tag: str | None = None,
    reason: str | None = None,
    q: str | None = None,
    record: int | None = None,
    reviewer: str | None = None,
) -> ScreeningPage:
    """The screening page; the plain title/abstract queue takes the indexed fast path."""
    fast = (
        stage is Stage.TITLE_ABSTRACT
        and filter is Filter.UNDECIDED
        and not (tag or reason or q or record or reviewer)
    )
    if fast:
        ids, done = first_undecided(session, ctx)
        queue_size = done.total - done.decided
    else:
        ids = queue(
            session, ctx, stage=stage, filter=filter, tag=tag, reason=reason, text=q, reviewer=reviewer
        )
        queue_size = len(ids)
        done = progress(session, ctx, stage=stage)
    current = record if record is not None else (ids[0] if ids else None)
    view = record_view(session, ctx, record_id=current, stage=stage) if current is not None else None
    position = ids.index(current) if current in ids else -1
    return ScreeningPage(
        review=ctx.review,
        role=ctx.role,
        can_decide=ctx.can(Action.SCREEN),
        setup=ctx.setup,
        stage=stage,
        filter=filter,
        tag=tag or "",
        reason=reason or "",
        q=q or "",
        reviewer=reviewer or "",
        unblinded=ctx.sees(),
        queue_size=queue_size,
        previous=ids[position - 1] if position > 0 else None,
        next=ids[position + 1] if 0 <= position < len(ids) - 1 else None,
        view=view,
        progress=done,
    )


@dataclass(frozen=True, slots=True)
class OverviewPage:
    """A review's front page: question, the viewer's progress per stage, what they may open."""

    review: ReviewInfo
    role: Role
    setup: ScreeningSetup
    stages: list[tuple[Stage, Progress]]
    can_edit_setup: bool
    can_resolve: bool
    sees_agreement: bool
    can_screen: bool


@reads(Action.VIEW_REVIEW)
def overview_page(session: Session, ctx: ReviewContext) -> OverviewPage:
    """The review's overview (screening progress only for those who may see screening)."""
    sees_screening = ctx.can(Action.VIEW_SCREENING)
    stages = [(stage, progress(session, ctx, stage=stage)) for stage in Stage] if sees_screening else []
    return OverviewPage(
        review=ctx.review,
        role=ctx.role,
        setup=ctx.setup,
        stages=stages,
        can_edit_setup=ctx.can(Action.EDIT_SETUP),
        can_resolve=ctx.can(Action.VIEW_CONFLICTS),
        sees_agreement=ctx.can(Action.VIEW_AGREEMENT) and ctx.sees(),
        can_screen=sees_screening,
    )


@dataclass(frozen=True, slots=True)
class SetupPage:
    """The owner's setup form."""

    review: ReviewInfo
    setup: ScreeningSetup
    saved: bool = False


@reads(Action.EDIT_SETUP)
def setup_page(session: Session, ctx: ReviewContext, *, saved: bool = False) -> SetupPage:
    """The setup form with the review's current setup."""
    return SetupPage(review=ctx.review, setup=ctx.setup, saved=saved)


@dataclass(frozen=True, slots=True)
class ConflictsPage:
    """The records the reviewers disagree on at one stage, with every call."""

    review: ReviewInfo
    stage: Stage
    views: list[RecordView] = field(default_factory=list)


@reads(Action.VIEW_CONFLICTS)
def conflicts_page(session: Session, ctx: ReviewContext, *, stage: Stage) -> ConflictsPage:
    """Every unresolved conflict at ``stage`` with the calls behind it."""
    states = record_states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage)
    ids = sorted(record_id for record_id, state in states.items() if state is RecordState.CONFLICT)
    return ConflictsPage(
        ctx.review, stage, [record_view(session, ctx, record_id=i, stage=stage) for i in ids]
    )


@dataclass(frozen=True, slots=True)
class RecordPage:
    """Every field of one record, with the calls the viewer may see."""

    review: ReviewInfo
    view: RecordView
    stage: Stage


@reads(Action.VIEW_SCREENING)
def record_page(session: Session, ctx: ReviewContext, *, record_id: int, stage: Stage) -> RecordPage:
    """One record's page."""
    return RecordPage(ctx.review, record_view(session, ctx, record_id=record_id, stage=stage), stage)


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


@mutation(Action.EDIT_SETUP, audit="review.setup", entity="review")
def save_setup(session: Session, ctx: ReviewContext, *, question: str | None, **changes: object) -> SetupPage:
    """Save the setup form: the screening settings and, when posted, the review question."""
    setup = configure_screening(session, ctx, **changes)
    review = set_question(session, ctx, question=question) if question is not None else ctx.review
    return SetupPage(review=review, setup=setup, saved=True)
