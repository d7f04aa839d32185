"""What the screening pages show: the queue, progress, one record, the overview, all within blinding.

Read-only use cases for the web app, one page dataclass per screen. Every function takes the viewing
member's review context and returns only what they may see (:meth:`ReviewContext.sees`): while
blinding is on, a reviewer's queue, counts and filters use their own calls alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Role
from realreview.errors import NotFoundError
from realreview.records import Record
from realreview.screening import (
    STATE_LABELS,
    Call,
    Event,
    RecordState,
    Resolution,
    ReviewerState,
    ScreeningSetup,
    Stage,
)
from realreview.screening.decisions import VERDICT_OF
from realreview.services.answer_keys import is_answer_key
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.reviews import ReviewInfo
from realreview.services.screening import calls_visible_to
from realreview.services.screening_filters import FilterValues, filter_values
from realreview.services.screening_outcome import record_states
from realreview.services.screening_queue import (
    decided,
    head,
    stage_ids,
    waiting,
    waiting_counter,
)
from realreview.services.screening_state import dual, resolutions, stage_record_ids
from realreview.storage import queries
from realreview.storage.models import DocumentRow

__all__ = [
    "Filter",
    "Progress",
    "RecordPage",
    "RecordView",
    "ScreeningPage",
    "decision_line",
    "first_undecided",
    "undo_line",
    "progress",
    "queue",
    "record_page",
    "record_view",
    "screening_page",
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
    #: The owner's standing resolution of a conflict on it, for those who see the others' calls.
    resolution: Resolution | None = None
    #: Whether it is in the dual-screening sample (None for those who do not see the others' calls).
    in_sample: bool | None = None

    @property
    def raw_fields(self) -> tuple[tuple[str, str], ...]:
        """The record's raw fields a screener may see: all but a data set's answer key (:func:`is_answer_key`)."""
        return tuple((tag, value) for tag, value in self.record.raw if not is_answer_key(tag))

    @property
    def state_label(self) -> str:
        """The record's state in words ("Excluded (conflict resolved)"), or "" when not shown."""
        return STATE_LABELS[self.state] if self.state is not None else ""


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
    ids = stage_ids(session, ctx, stage=stage)
    if filter is Filter.UNDECIDED:
        ids = waiting(session, ctx, stage=stage, ids=ids, actor=ctx.actor)
        if not (tag or reason or text or reviewer):
            return ids
    visible = calls_visible_to(session, ctx, stage=stage)
    mine = {record_id: call for (record_id, who), call in visible.items() if who == ctx.actor}
    if filter in _MINE:
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
    """The records allotted to the viewer at the stage (decided or waiting) and how many they decided."""
    ids = stage_ids(session, ctx, stage=stage)
    done = decided(session, ctx, stage=stage, ids=ids)
    left = waiting_counter(session, ctx, stage=stage).waiting(ctx.actor)
    return Progress(total=len(done) + left, decided=len(done))


@reads(Action.VIEW_SCREENING)
def record_view(session: Session, ctx: ReviewContext, *, record_id: int, stage: Stage) -> RecordView:
    """One record with the viewer's call and, unless blinded, the others' calls and the record state."""
    found = queries.records_by_id(session, review_id=ctx.review_id, record_ids={record_id})
    if record_id not in found:
        raise NotFoundError(f"review {ctx.review_id} has no record {record_id}")
    visible = calls_visible_to(session, ctx, stage=stage, record_id=record_id)
    calls = {who: call for (r, who), call in visible.items() if r == record_id}
    mine = calls.pop(ctx.actor, None)
    state = resolution = in_sample = None
    if ctx.sees():
        state = record_states(
            session, review_id=ctx.review_id, setup=ctx.setup, stage=stage, record_ids=[record_id]
        )[record_id]
        resolution = resolutions(session, review_id=ctx.review_id, stage=stage).get(record_id)
        in_sample = record_id in dual(session, review_id=ctx.review_id, setup=ctx.setup)
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
    return RecordView(record_id, found[record_id], mine, calls, state, documents, resolution, in_sample)


@reads(Action.VIEW_SCREENING)
def first_undecided(session: Session, ctx: ReviewContext, *, limit: int = 2) -> tuple[list[int], Progress]:
    """The next ``limit`` title/abstract records waiting for the viewer, and their progress.

    The screening loop's hot path ("decide and get the next record"): grouped, indexed queries
    instead of replaying every event, with the same answer as :func:`queue` and :func:`progress`
    for the title/abstract stage (a standing call is one more decision than undos, by the
    transitions table).
    """
    fast = head(session, ctx, limit=limit)
    if fast is not None:
        ids, count, mine = fast
        return ids, Progress(total=mine + count, decided=mine)
    ids = stage_record_ids(session, review_id=ctx.review_id)
    left = waiting(session, ctx, stage=Stage.TITLE_ABSTRACT, ids=ids, actor=ctx.actor)
    done = decided(session, ctx, stage=Stage.TITLE_ABSTRACT, ids=ids)
    return left[:limit], Progress(total=len(done) + len(left), decided=len(done))


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
    #: One line confirming what the viewer just recorded or undid, or why it was refused ("" when nothing).
    message: str = ""
    #: Whether ``message`` says why a write was refused.
    error: bool = False
    #: Whether an exclusion here must name a reason (full text): said beside the button.
    exclusion_needs_reason: bool = False
    #: Whether the viewer may attach a full text to the record from its panel (full text stage).
    can_attach: bool = False
    #: The filters' drop-down values (only the full page needs them: None for the record panel).
    filter_values: FilterValues | None = None


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
    message: str = "",
    said: str = "",
    with_filters: bool = False,
) -> ScreeningPage:
    """The screening page; the plain title/abstract queue takes the grouped-query fast path.

    ``with_filters`` adds the filters' drop-down values (:func:`filter_values`), which the full page
    shows and the record panel, swapped in after each decision, does not.
    """
    fast = (
        stage is Stage.TITLE_ABSTRACT
        and filter is Filter.UNDECIDED
        and not (tag or reason or q or record or reviewer)
    )
    if fast:
        ids, done = first_undecided(session, ctx, limit=2)
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
        message=message or _said(session, ctx, stage=stage, said=said),
        exclusion_needs_reason=stage is Stage.FULL_TEXT,
        can_attach=stage is Stage.FULL_TEXT and ctx.can(Action.ADD_DOCUMENTS),
        filter_values=(
            filter_values(session, ctx, stage=stage, chosen=(tag or "", reason or "", reviewer or ""))
            if with_filters
            else None
        ),
    )


def _title(session: Session, ctx: ReviewContext, record_id: int) -> str:
    found = queries.records_by_id(session, review_id=ctx.review_id, record_ids={record_id})
    title = (found[record_id].title or "untitled") if record_id in found else "untitled"
    return title if len(title) <= 90 else title[:89] + "…"


@reads(Action.VIEW_SCREENING)
def decision_line(session: Session, ctx: ReviewContext, *, record_id: int, event: Event, call: Call) -> str:
    """One line confirming a decision: record, verdict, reasons, tags ("Recorded: exclude · record 12 …")."""
    if event is Event.UNDO:
        return undo_line(session, ctx, record_id=record_id, call=call)
    parts = [f"Recorded: {event.value}", f"record {record_id} “{_title(session, ctx, record_id)}”"]
    if call.reasons:
        parts.append("reasons: " + ", ".join(call.reasons))
    if call.tags:
        parts.append("tags: " + ", ".join(call.tags))
    return " · ".join(parts)


@reads(Action.VIEW_SCREENING)
def undo_line(session: Session, ctx: ReviewContext, *, record_id: int, call: Call) -> str:
    """One line saying which record an undo reopened and what the viewer's call on it is now."""
    now = "undecided" if call.state is ReviewerState.UNDECIDED else f"back to {call.state.value}"
    return f"Undone: your call on record {record_id} “{_title(session, ctx, record_id)}” is {now}; it is shown below."


def _said(session: Session, ctx: ReviewContext, *, stage: Stage, said: str) -> str:
    """The confirmation line named in the address after a redirect (``recorded:12``, ``reopened:12``)."""
    kind, _, number = said.partition(":")
    if kind not in {"recorded", "reopened"} or not number.isdigit():
        return ""
    record_id = int(number)
    mine = calls_visible_to(session, ctx, stage=stage, record_id=record_id).get((record_id, ctx.actor))
    if mine is None:
        return ""
    if kind == "reopened":
        return undo_line(session, ctx, record_id=record_id, call=mine)
    if mine.state is ReviewerState.UNDECIDED:
        return ""
    return decision_line(
        session, ctx, record_id=record_id, event=Event(VERDICT_OF[mine.state].value), call=mine
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
