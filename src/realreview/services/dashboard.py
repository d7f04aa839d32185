"""A review's front page as a dashboard: where the records stand per stage, who has done what, what is next.

What each person sees follows the one blinding rule: the completed outcomes (awaiting, included,
excluded) are the team's and shown to every member who sees screening; how many records sit at
"maybe" or in conflict depends on who called what, so those counts go to the people who may see
everyone's calls (the owner, or everyone once blinding is off). Per-reviewer progress is the
allocation summary, which applies the same rule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.access import Action, Role
from realreview.screening import RecordState, ScreeningSetup, Stage, passes_stage, stage_label
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.dedup_views import dedup_pairs_waiting
from realreview.services.reviews import ReviewInfo
from realreview.services.screening_outcome import touched_complete, touched_states
from realreview.services.screening_queue import AllocationSummary, allocation_summary
from realreview.services.screening_state import stage_record_id_set, stage_record_ids
from realreview.services.screening_views import Progress, progress
from realreview.storage.models import DocumentRow, RecordRow, SearchRow

__all__ = ["NextStep", "OverviewPage", "StageTally", "overview_page"]


@dataclass(frozen=True, slots=True)
class StageTally:
    """One stage's records by completed outcome; ``maybe`` and ``conflict`` are None when not the viewer's to see."""

    stage: Stage
    records: int
    awaiting: int
    included: int
    excluded: int
    maybe: int | None
    conflict: int | None


@dataclass(frozen=True, slots=True)
class NextStep:
    """A link to what the team might do next, with why."""

    label: str
    href: str
    why: str


@dataclass(frozen=True, slots=True)
class OverviewPage:
    """A review's front page: question, the stages, the viewer's own progress, what they may open."""

    review: ReviewInfo
    role: Role
    setup: ScreeningSetup
    stages: list[tuple[Stage, Progress]]
    can_edit_setup: bool
    can_resolve: bool
    sees_agreement: bool
    can_screen: bool
    allocation: tuple[AllocationSummary, ...] = ()
    can_export: bool = False
    tallies: tuple[StageTally, ...] = ()
    records: int = 0
    searches: int = 0
    documents: int = 0
    pairs_waiting: int | None = None
    next_steps: tuple[NextStep, ...] = field(default_factory=tuple)


def _tallies(session: Session, ctx: ReviewContext, *, sees_all: bool) -> tuple[StageTally, ...]:
    review_id, setup = ctx.review_id, ctx.setup
    ids = stage_record_ids(session, review_id=review_id)
    at_stage: frozenset[int] = stage_record_id_set(session, review_id=review_id)
    out = []
    for stage in Stage:
        # Only the records someone called or resolved can be anything but awaiting and unscreened.
        states = touched_states(session, review_id=review_id, setup=setup, stage=stage)
        finished = touched_complete(session, review_id=review_id, setup=setup, stage=stage) & at_stage
        passed = sorted(r for r in finished if passes_stage(states.get(r, RecordState.UNSCREENED)))
        counted = Counter(state for r, state in states.items() if r in at_stage)
        out.append(
            StageTally(
                stage,
                records=len(ids),
                awaiting=len(ids) - len(finished),
                included=len(passed),
                excluded=len(finished) - len(passed),
                maybe=counted[RecordState.MAYBE] if sees_all else None,
                conflict=counted[RecordState.CONFLICT] if sees_all else None,
            )
        )
        ids, at_stage = passed, frozenset(passed)
    return tuple(out)


def _count(session: Session, model: type[SearchRow] | type[DocumentRow], review_id: int) -> int:
    return int(session.scalar(select(func.count(model.id)).where(model.review_id == review_id)) or 0)


def _records(session: Session, review_id: int) -> int:
    """Every record of the review: those screened (kept per process) and the duplicates (an index range).

    Counting 100,000 rows outright costs PostgreSQL 30 ms a page; the duplicates are few and indexed.
    """
    duplicates = session.scalar(
        select(func.count(RecordRow.id)).where(
            RecordRow.review_id == review_id, RecordRow.duplicate_of.is_not(None)
        )
    )
    return len(stage_record_id_set(session, review_id=review_id)) + int(duplicates or 0)


def _next_steps(
    ctx: ReviewContext,
    *,
    searches: int,
    records: int,
    waiting: int | None,
    stages: list[tuple[Stage, Progress]],
    tallies: tuple[StageTally, ...],
) -> tuple[NextStep, ...]:
    rid = ctx.review_id
    steps: list[NextStep] = []
    if ctx.can(Action.LOG_SEARCHES) and not searches:
        steps.append(NextStep("Log a search", f"/reviews/{rid}/searches", "no database search is logged yet"))
    if ctx.can(Action.IMPORT_RECORDS) and not records:
        steps.append(NextStep("Import records", f"/reviews/{rid}/import", "the review has no records yet"))
    if ctx.can(Action.DEDUPLICATE) and waiting:
        steps.append(NextStep("Review possible duplicates", f"/reviews/{rid}/dedup", f"{waiting} pairs wait"))
    for stage, mine in stages:
        if mine.total - mine.decided:
            steps.append(
                NextStep(
                    f"Screen ({stage_label(stage)})",
                    f"/reviews/{rid}/screen/{stage.value}",
                    f"{mine.total - mine.decided} records wait for you",
                )
            )
    conflicts = sum(tally.conflict or 0 for tally in tallies)
    if ctx.can(Action.RESOLVE_CONFLICTS) and conflicts:
        steps.append(
            NextStep("Resolve conflicts", f"/reviews/{rid}/conflicts", f"{conflicts} records in conflict")
        )
    return tuple(steps)


@reads(Action.VIEW_REVIEW)
def overview_page(session: Session, ctx: ReviewContext) -> OverviewPage:
    """The review's dashboard (the screening figures only for those who may see screening)."""
    review_id = ctx.review_id
    sees_screening = ctx.can(Action.VIEW_SCREENING)
    sees_all = ctx.can(Action.VIEW_CONFLICTS) or not ctx.setup.blinded
    stages = [(stage, progress(session, ctx, stage=stage)) for stage in Stage] if sees_screening else []
    tallies = _tallies(session, ctx, sees_all=sees_all) if sees_screening else ()
    records, searches = _records(session, review_id), _count(session, SearchRow, review_id)
    # The pair review's own count (the latest run's uncertain pairs), so both pages say the same.
    waiting = dedup_pairs_waiting(session, ctx) if ctx.can(Action.VIEW_RECORDS) else None
    return OverviewPage(
        review=ctx.review,
        role=ctx.role,
        setup=ctx.setup,
        stages=stages,
        can_edit_setup=ctx.can(Action.EDIT_SETUP),
        can_resolve=ctx.can(Action.VIEW_CONFLICTS),
        sees_agreement=ctx.can(Action.VIEW_AGREEMENT) and ctx.sees(),
        can_screen=sees_screening,
        allocation=(
            tuple(allocation_summary(session, ctx, stage=stage) for stage in Stage) if sees_screening else ()
        ),
        can_export=ctx.can(Action.EXPORT_RECORDS),
        tallies=tallies,
        records=records,
        searches=searches,
        documents=_count(session, DocumentRow, review_id),
        pairs_waiting=waiting,
        next_steps=_next_steps(
            ctx, searches=searches, records=records, waiting=waiting, stages=stages, tallies=tallies
        ),
    )
