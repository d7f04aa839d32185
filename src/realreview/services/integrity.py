"""``realreview db check``: find stored histories that the state machine cannot replay.

Writes are serialised per record (:func:`.screening.lock_record`), so no new impossible history can
be stored; a database written before that (twelve concurrent undos of one include stored eleven
undo events on PostgreSQL) may still hold one. The pages skip such events and stay up; this check
names every one, with the record, stage, reviewer and event, so an owner can see what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.screening import DecisionEvent, ScreeningSetup, Stage, current_calls
from realreview.services.screening_state import REOPENED, event_of, resolution_rows
from realreview.storage import queries
from realreview.storage.models import ReviewRow, ScreeningEventRow

__all__ = ["HistoryProblem", "check_histories"]


@dataclass(frozen=True, slots=True)
class HistoryProblem:
    """One stored event or resolution that cannot have happened."""

    review_id: int
    record_id: int
    stage: Stage
    who: str
    row_id: int
    problem: str

    def describe(self) -> str:
        """One line naming the review, record, stage, person and stored row."""
        return (
            f"review {self.review_id}, record {self.record_id}, {self.stage.value}, {self.who}: "
            f"{self.problem} (row {self.row_id})"
        )


def check_histories(session: Session) -> list[HistoryProblem]:
    """Every impossible decision event (an undo with nothing to undo), in every review."""
    problems: list[HistoryProblem] = []
    rows = list(session.scalars(select(ScreeningEventRow).order_by(ScreeningEventRow.id)))
    events: list[DecisionEvent] = []
    row_of: dict[int, ScreeningEventRow] = {}
    for row in rows:
        event = event_of(row)
        events.append(event)
        row_of[id(event)] = row

    def report(event: DecisionEvent) -> None:
        row = row_of[id(event)]
        problems.append(
            HistoryProblem(
                row.review_id,
                row.record_id,
                event.stage,
                event.reviewer,
                row.id,
                f"{event.event.value} with nothing to undo",
            )
        )

    current_calls(events, on_illegal=report)
    for review_id in session.scalars(select(ReviewRow.id).order_by(ReviewRow.id)):
        setup = queries.screening_setup(session, review_id=review_id)
        for stage in Stage:
            problems += _resolutions_without_conflict(session, review_id=review_id, setup=setup, stage=stage)
    return problems


def _resolutions_without_conflict(
    session: Session, *, review_id: int, setup: ScreeningSetup, stage: Stage
) -> list[HistoryProblem]:
    """Reopenings of records that no standing resolution covered (a race between two owners)."""
    problems = []
    standing: set[int] = set()
    for row in resolution_rows(session, review_id=review_id, stage=stage):
        if row.verdict == REOPENED:
            if row.record_id not in standing:
                problems.append(
                    HistoryProblem(
                        review_id, row.record_id, stage, row.owner, row.id, "reopened with no resolution"
                    )
                )
            standing.discard(row.record_id)
        else:
            standing.add(row.record_id)
    return problems
