"""The PRISMA 2020 flow of a review, counted from its data, with the counts entered by hand.

What each box counts:

- *Records identified*, per database: the records imported for its searches; a search with no
  import counts its reported hits, marked as entered (someone typed them). A database whose name
  says it is a register (a trial registry) goes to the registers box.
- *Duplicates removed*: records merged into another by deduplication.
- *Records screened*: the records left (one per group of duplicates); *excluded*: those whose
  title/abstract screening is complete and did not pass.
- *Reports sought*: records that passed title/abstract screening; *not retrieved*: those without
  a full text attached and without a full-text decision; *assessed*: the others.
- *Reports excluded*, by reason: full-text screening complete and not passed, counted under the
  reason most of the excluding calls gave ("No reason given" when none did).
- *New studies included* (and their reports): full-text screening complete and passed.

Only completed outcomes are counted, so the figure is the team's and never reveals a call to
someone who still has to make theirs; records still being screened are reported beside the flow.
A count entered by hand replaces the counted one and is marked as entered everywhere it appears.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import ValidationError
from realreview.reporting import (
    BOX_LABELS,
    OTHER_METHODS,
    Disagreement,
    PrismaFlow,
    check,
    prisma_figure,
    to_prisma2020_csv,
)
from realreview.screening import Call, ReviewerState, Stage
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.outcomes import Outcomes, outcomes
from realreview.services.screening_state import calls
from realreview.services.searches import search_kind
from realreview.services.study_reports import other_reports_of_studies
from realreview.storage import queries
from realreview.storage.models import DocumentRow, PrismaEntryRow, RecordRow

__all__ = [
    "ENTERABLE",
    "PRISMA_FORMATS",
    "PrismaReport",
    "clear_prisma_count",
    "enter_prisma_count",
    "prisma_output",
    "prisma_report",
]

#: What :func:`prisma_output` writes: the figure, or the PRISMA2020 package's input CSV.
PRISMA_FORMATS = ("svg", "png", "pdf", "csv")

_NAMED = frozenset(
    {"database_specific_results", "register_specific_results", "dbr_excluded", "other_excluded"}
)
#: The boxes a count may be entered for.
ENTERABLE = frozenset(BOX_LABELS) - {"total_studies", "total_reports"} | _NAMED
NO_REASON = "No reason given"


@dataclass(frozen=True, slots=True)
class PrismaReport:
    """The flow, the sums that do not hold, and what is still being screened."""

    flow: PrismaFlow
    problems: list[Disagreement]
    title_abstract_pending: int
    full_text_pending: int


def _reason(record_calls: list[Call]) -> str:
    reasons = Counter(
        reason for call in record_calls if call.state is ReviewerState.EXCLUDED for reason in call.reasons
    )
    if not reasons:
        return NO_REASON
    top = max(reasons.values())
    return str(sorted(reason for reason, n in reasons.items() if n == top)[0])


def _identified(session: Session, ctx: ReviewContext) -> tuple[dict[str, Any], set[str], dict[int, str]]:
    """Per source, the records its searches brought (or their reported hits), and each search's kind."""
    values: dict[str, Any] = {}
    entered: set[str] = set()
    named: dict[str, dict[str, int]] = {"database": {}, "register": {}}
    others: dict[str, int] = {}
    kinds: dict[int, str] = {}
    # Read the search log directly: the flow's counts are every member's to see (the panel's too),
    # while the search log's page is for those who see the records.
    imported = queries.record_counts_by_search(session, review_id=ctx.review_id)
    for search in queries.searches_of(session, review_id=ctx.review_id):
        kind = kinds[search.id] = search_kind(search)
        done = imported.get(search.id, 0)
        count = done if done or search.reported_hits is None else search.reported_hits
        typed = not done and search.reported_hits is not None  # typed into the search log
        if kind in OTHER_METHODS:
            others[kind] = others.get(kind, 0) + count
            if typed:
                entered.add(OTHER_METHODS[kind])
            continue
        if typed:  # a database's own line is marked; registers are drawn as one total
            entered.add(
                f"database_specific_results:{search.database}" if kind == "database" else "register_results"
            )
        named[kind][search.database] = named[kind].get(search.database, 0) + count
    values["database_specific_results"] = tuple(named["database"].items())
    values["database_results"] = sum(named["database"].values())
    if named["register"]:
        values["register_specific_results"] = tuple(named["register"].items())
        values["register_results"] = sum(named["register"].values())
    for kind, count in others.items():
        values[OTHER_METHODS[kind]] = count
    return values, entered, kinds


def _columns(session: Session, ctx: ReviewContext, kinds: dict[int, str]) -> tuple[set[int], int]:
    """The groups of duplicates found by a database or register, and the records they had removed.

    A group goes down the databases-and-registers column when any of its records came from a
    database or register; only what other methods alone found goes down the other column (whose
    template has no duplicates box). Removed are the column's records beyond one per group.
    """
    rows = session.execute(
        select(RecordRow.id, RecordRow.search_id, RecordRow.duplicate_of).where(
            RecordRow.review_id == ctx.review_id
        )
    ).all()
    database_groups: set[int] = set()
    database_records = 0
    for record_id, search_id, duplicate_of in rows:
        if kinds.get(search_id, "database") not in OTHER_METHODS:
            database_records += 1
            database_groups.add(duplicate_of or record_id)
    return database_groups, database_records - len(database_groups)


def _reports(
    session: Session, ctx: ReviewContext, outcome: Outcomes, roots: set[int], prefix: str
) -> tuple[dict[str, Any], int]:
    """From reports sought to reports excluded by reason, for the records of one column."""
    review_id = ctx.review_id
    passed = [r for r in outcome.full_text if r in roots]
    with_text = set(
        session.scalars(
            select(DocumentRow.record_id).where(
                DocumentRow.review_id == review_id, DocumentRow.record_id.is_not(None)
            )
        )
    )
    pending = [r for r in passed if r in outcome.full_text_pending]
    not_retrieved = [r for r in pending if r not in with_text]
    by_record: dict[int, list[Call]] = {}
    for (record_id, _who), call in calls(session, review_id=review_id, stage=Stage.FULL_TEXT).items():
        by_record.setdefault(record_id, []).append(call)
    excluded = [r for r in passed if r in outcome.full_text_excluded]
    reasons = Counter(_reason(by_record.get(r, [])) for r in excluded)
    values = {
        f"{prefix}_sought_reports": len(passed),
        f"{prefix}_notretrieved_reports": len(not_retrieved),
        f"{prefix}_assessed": len(passed) - len(not_retrieved),
        f"{prefix}_excluded": tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
    }
    return values, len(pending) - len(not_retrieved)


def _counted(session: Session, ctx: ReviewContext) -> tuple[dict[str, Any], set[str], int, int]:
    values, entered, kinds = _identified(session, ctx)
    outcome = outcomes(session, ctx)
    database_groups, removed = _columns(session, ctx, kinds)
    screened = [r for r in outcome.screened if r in database_groups]
    values["duplicates"] = removed
    values["records_screened"] = len(screened)
    values["records_excluded"] = len(outcome.title_abstract_excluded & database_groups)
    ta_pending = len(outcome.title_abstract_pending)
    reports, ft_pending = _reports(session, ctx, outcome, database_groups, "dbr")
    values.update(reports)
    if any(kind in OTHER_METHODS for kind in kinds.values()):
        other_groups = set(outcome.screened) - database_groups
        reports, other_pending = _reports(session, ctx, outcome, other_groups, "other")
        values.update(reports)
        ft_pending += other_pending
    included = outcome.included
    values["new_reports"] = len(included)
    values["new_studies"] = len(included - other_reports_of_studies(session, review_id=ctx.review_id))
    return values, entered, ta_pending, ft_pending


def _entries(session: Session, review_id: int) -> dict[str, Any]:
    rows = session.scalars(select(PrismaEntryRow).where(PrismaEntryRow.review_id == review_id))
    return {row.box: row.value for row in rows}


def _as_value(box: str, value: Any) -> Any:
    if box in _NAMED:
        return tuple((str(name), int(n)) for name, n in value)
    return int(value)


@reads(Action.VIEW_REPORTS)
def prisma_report(session: Session, ctx: ReviewContext) -> PrismaReport:
    """The review's PRISMA 2020 flow: counted from the data, entered counts in their place, checked."""
    values, entered, ta_pending, ft_pending = _counted(session, ctx)
    for box, value in _entries(session, ctx.review_id).items():
        values[box] = _as_value(box, value)
        entered.add(box)
        if box == "database_specific_results" and "database_results" not in _entries(session, ctx.review_id):
            values["database_results"] = sum(n for _, n in values[box])
    values.pop("total_studies", None)
    values.pop("total_reports", None)
    flow = PrismaFlow(**values, entered=frozenset(entered))
    return PrismaReport(flow, check(flow), ta_pending, ft_pending)


@reads(Action.VIEW_REPORTS)
def prisma_output(session: Session, ctx: ReviewContext, *, fmt: str) -> bytes:
    """The flow diagram as ``svg``, ``png`` or ``pdf``, or the PRISMA2020 package's input ``csv``.

    Raises:
        ValidationError: another format.
    """
    if fmt not in PRISMA_FORMATS:
        raise ValidationError(f"PRISMA format {fmt!r}: use one of {', '.join(PRISMA_FORMATS)}")
    flow = prisma_report(session, ctx).flow
    if fmt == "csv":
        return to_prisma2020_csv(flow).encode()
    return prisma_figure(flow, fmt=fmt, title=ctx.review.title)


def _parse(box: str, text: str) -> Any:
    """``"12"``, or for a named box ``"Reason 1, 12; Reason 2, 3"`` (the PRISMA2020 package's form).

    A named box entered as ``"-"`` is empty: the source gives only the total (the databases were
    searched, but their counts are not reported one by one).
    """
    if box not in ENTERABLE:
        raise ValidationError(f"{box!r} is not a PRISMA box; boxes: {', '.join(sorted(ENTERABLE))}")
    text = text.strip()
    if box in _NAMED and text == "-":
        return []  # known in total only: the source names no per-database (or per-reason) counts
    if box in _NAMED:
        pairs = []
        for part in filter(None, (piece.strip() for piece in text.split(";"))):
            name, comma, number = part.rpartition(",")
            if not comma or not name.strip() or not number.strip().isdigit():
                raise ValidationError(f"{box}: {part!r} is not 'name, number' (e.g. 'Wrong population, 12')")
            pairs.append([name.strip(), int(number)])
        if not pairs:
            raise ValidationError(f"{box}: give 'name, number' pairs separated by ';'")
        return pairs
    if not text.isdigit():
        raise ValidationError(f"{box}: {text!r} is not a whole number of zero or more")
    return int(text)


@mutation(Action.ENTER_COUNTS, audit="prisma.enter", entity="review")
def enter_prisma_count(session: Session, ctx: ReviewContext, *, box: str, value: str, note: str = "") -> None:
    """Enter the count of ``box`` by hand; it replaces the counted one and is marked as entered.

    Raises:
        ValidationError: not a box, or not a count (named boxes take ``"Name, n; Name, n"``).
    """
    parsed = _parse(box, value)
    row = session.scalar(
        select(PrismaEntryRow).where(PrismaEntryRow.review_id == ctx.review_id, PrismaEntryRow.box == box)
    )
    before = None if row is None else row.value
    if row is None:
        row = PrismaEntryRow(review_id=ctx.review_id, box=box, entered_by=ctx.actor)
        session.add(row)
    row.value, row.note, row.entered_by = parsed, note.strip(), ctx.actor
    audit.note(session, entity_id=ctx.review_id, box=box, value=parsed, before=before)


@mutation(Action.ENTER_COUNTS, audit="prisma.clear", entity="review")
def clear_prisma_count(session: Session, ctx: ReviewContext, *, box: str) -> None:
    """Go back to the counted value of ``box`` (the entered one stays in the audit log)."""
    row = session.scalar(
        select(PrismaEntryRow).where(PrismaEntryRow.review_id == ctx.review_id, PrismaEntryRow.box == box)
    )
    if row is not None:
        audit.note(session, entity_id=ctx.review_id, box=box, before=row.value)
        session.delete(row)
