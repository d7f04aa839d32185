"""Totals a source reports without the per-document values behind them ("29 documents from the USA").

A published review reproduced as an example, or a team that extracted outside the tool, may give
only the totals of a table. Spreading them over documents would invent data, so each total is kept
as what it is: a topic ("Country"), a label ("USA"), the number, and where it comes from. Pages and
tables show them beside the counted values, marked as reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.records import remove_control_characters
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage.models import ReportedFigureRow

__all__ = [
    "ReportedFigure",
    "ReportedTopic",
    "clear_reported_figure",
    "enter_reported_figure",
    "reported_figures",
]

_LIMIT = 200  # the columns' length


@dataclass(frozen=True, slots=True)
class ReportedFigure:
    """One reported total: ``value`` documents (or CMOCs, ...) under ``label`` of ``topic``."""

    topic: str
    label: str
    value: int
    source: str
    entered_by: str


@dataclass(frozen=True, slots=True)
class ReportedTopic:
    """The reported totals of one topic, in the order they were given."""

    topic: str
    figures: tuple[ReportedFigure, ...]

    @property
    def total(self) -> int:
        """The sum of the topic's totals (documents may count under several labels)."""
        return sum(figure.value for figure in self.figures)


def _text(name: str, value: str) -> str:
    text = remove_control_characters(value)[0].strip()
    if not text:
        raise ValidationError(f"a reported figure needs a {name}")
    if len(text) > _LIMIT:
        raise ValidationError(f"the {name} {text[:40]!r}… is longer than {_LIMIT} characters")
    return text


def _row(session: Session, review_id: int, topic: str, label: str) -> ReportedFigureRow | None:
    return session.scalar(
        select(ReportedFigureRow).where(
            ReportedFigureRow.review_id == review_id,
            ReportedFigureRow.topic == topic,
            ReportedFigureRow.label == label,
        )
    )


@mutation(Action.ENTER_COUNTS, audit="reported_figure.enter", entity="review")
def enter_reported_figure(
    session: Session, ctx: ReviewContext, *, topic: str, label: str, value: int, source: str = ""
) -> ReportedFigure:
    """Enter (or correct) the total a source reports for ``label`` of ``topic``.

    Raises:
        ValidationError: an empty or over-long topic or label, or a negative number.
    """
    topic, label = _text("topic", topic), _text("label", label)
    if value < 0:
        raise ValidationError(f"{topic}, {label}: a reported total is zero or more, not {value}")
    source = remove_control_characters(source)[0].strip()
    row = _row(session, ctx.review_id, topic, label)
    before = None if row is None else row.value
    if row is None:
        position = len(
            session.scalars(
                select(ReportedFigureRow.id).where(ReportedFigureRow.review_id == ctx.review_id)
            ).all()
        )
        row = ReportedFigureRow(
            review_id=ctx.review_id, topic=topic, label=label, position=position, entered_by=ctx.actor
        )
        session.add(row)
    row.value, row.source, row.entered_by = value, source, ctx.actor
    audit.note(session, entity_id=ctx.review_id, topic=topic, label=label, value=value, before=before)
    return ReportedFigure(topic, label, value, source, ctx.actor)


@mutation(Action.ENTER_COUNTS, audit="reported_figure.clear", entity="review")
def clear_reported_figure(session: Session, ctx: ReviewContext, *, topic: str, label: str) -> None:
    """Remove one reported total (its value stays in the audit log).

    Raises:
        NotFoundError: no such total.
    """
    row = _row(session, ctx.review_id, topic.strip(), label.strip())
    if row is None:
        raise NotFoundError(f"no reported figure {topic!r}, {label!r} in review {ctx.review_id}")
    audit.note(session, entity_id=ctx.review_id, topic=row.topic, label=row.label, before=row.value)
    session.delete(row)


@reads(Action.VIEW_REVIEW)
def reported_figures(session: Session, ctx: ReviewContext) -> list[ReportedTopic]:
    """The review's reported totals by topic, topics and labels in the order they were entered."""
    rows = session.scalars(
        select(ReportedFigureRow)
        .where(ReportedFigureRow.review_id == ctx.review_id)
        .order_by(ReportedFigureRow.position, ReportedFigureRow.id)
    ).all()
    first_seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        first_seen.setdefault(row.topic, index)
    ordered = sorted(rows, key=lambda row: (first_seen[row.topic], row.position, row.id))
    return [
        ReportedTopic(
            topic,
            tuple(ReportedFigure(r.topic, r.label, r.value, r.source, r.entered_by) for r in group),
        )
        for topic, group in groupby(ordered, key=lambda row: row.topic)
    ]
