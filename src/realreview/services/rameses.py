"""The RAMESES checklist of a review: the facts read from its data, the authors' entries, the files.

:func:`rameses_checklist` gathers what the review holds (the search log, the PRISMA flow, the
characteristics, appraisals, coding, CMOCs, theory versions and the engagement log) as counts and
names, and lets :func:`realreview.reporting.assess_rameses` say per item what they provide. The
facts are counts only, never anyone's call or value, so every member may read the checklist (the
panel too, as with the PRISMA flow), and counting everyone's appraisals and extractions reveals no
judgement that blinding hides.

An owner records where the manuscript reports each item (:func:`enter_checklist_item`); entering
again replaces the entry and :func:`clear_checklist_item` removes it. The audit log keeps every
entry as it was (``before`` in the details), so the history survives a change or a clearing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.characteristics.settle import is_blank
from realreview.coding import CodeOrigin
from realreview.errors import ValidationError
from realreview.records import remove_control_characters
from realreview.reporting import (
    RAMESES_ITEMS,
    ChecklistEntry,
    ChecklistLine,
    RamesesFacts,
    assess_rameses,
    rameses_docx,
    rameses_markdown,
)
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.characteristics import form_of, latest_values
from realreview.services.context import ReviewContext
from realreview.services.prisma import prisma_report
from realreview.storage import queries
from realreview.storage.models import (
    AppraisalRow,
    AuditLogRow,
    ChecklistEntryRow,
    CMOCRow,
    CodeRow,
    DocumentRow,
    EngagementRow,
    EvidenceLinkRow,
    ExcerptRow,
    MemoRow,
    ReportedFigureRow,
    ScreeningEventRow,
    SynthesisClusterRow,
    SynthesisCommentRow,
    TheoryVersionRow,
)

__all__ = [
    "RAMESES_FORMATS",
    "STANDARD",
    "RamesesChecklist",
    "clear_checklist_item",
    "enter_checklist_item",
    "rameses_checklist",
    "rameses_output",
]

#: The ``standard`` of the review's RAMESES rows in ``checklist_entries``.
STANDARD = "RAMESES"
#: What :func:`rameses_output` writes: Markdown text or a Word document.
RAMESES_FORMATS = ("md", "docx")
#: The audit actions that change the question, the criteria or the extraction form.
SETUP_ACTIONS = ("review.question", "review.setup", "screening.configure", "form.set")
MAX_LOCATION = 500
MAX_NOTE = 5000


@dataclass(frozen=True, slots=True)
class RamesesChecklist:
    """The facts read from the review and the 19 items assessed against them, entries beside them."""

    facts: RamesesFacts
    lines: tuple[ChecklistLine, ...]


def _count(session: Session, model: Any, *where: Any) -> int:
    """Rows of ``model`` matching ``where`` (each model here has an ``id``)."""
    return int(session.scalar(select(func.count(model.id)).where(*where)) or 0)


def _search_facts(session: Session, review_id: int) -> dict[str, Any]:
    searches = list(queries.searches_of(session, review_id=review_id))
    return {
        "searches": len(searches),
        "searches_with_query": sum(bool((s.query or "").strip()) for s in searches),
        "searches_with_date": sum(s.date_run is not None for s in searches),
        "databases": tuple(dict.fromkeys(s.database for s in searches)),
        "records_imported": sum(queries.record_counts_by_search(session, review_id=review_id).values()),
    }


def _flow_facts(session: Session, ctx: ReviewContext) -> dict[str, Any]:
    report = prisma_report(session, ctx)
    return {
        "records_identified": report.flow.identified,
        "records_screened": report.flow.records_screened,
        "records_decided": max(report.flow.records_screened - report.title_abstract_pending, 0),
        "included": report.flow.total_studies,
        "flow_problems": len(report.problems),
        "screening_pending": report.title_abstract_pending + report.full_text_pending,
    }


def _setup_changes(session: Session, review_id: int) -> int:
    """Edits to the question, setup or form after the first screening call (the protocol in use)."""
    began = session.scalar(
        select(func.min(ScreeningEventRow.at)).where(ScreeningEventRow.review_id == review_id)
    )
    if began is None:
        return 0
    return _count(
        session,
        AuditLogRow,
        AuditLogRow.review_id == review_id,
        AuditLogRow.action.in_(SETUP_ACTIONS),
        AuditLogRow.at > began,
    )


def _extraction_facts(session: Session, review_id: int) -> dict[str, Any]:
    latest = latest_values(session, review_id)
    extracted = sum(
        any(not is_blank(value) for by in fields.values() for value in by.values())
        for fields in latest.values()
    )
    return {
        "form_fields": len(form_of(session, review_id).fields),
        "studies_extracted": extracted,
        "reported_figures": _count(session, ReportedFigureRow, ReportedFigureRow.review_id == review_id),
    }


def _coding_facts(session: Session, review_id: int) -> dict[str, Any]:
    live = (AppraisalRow.review_id == review_id, AppraisalRow.removed_at.is_(None))
    codes = (CodeRow.review_id == review_id, CodeRow.merged_into.is_(None))
    superseded = select(MemoRow.supersedes).where(
        MemoRow.review_id == review_id, MemoRow.supersedes.is_not(None)
    )
    return {
        "documents": _count(session, DocumentRow, DocumentRow.review_id == review_id),
        "excerpts": _count(session, ExcerptRow, ExcerptRow.review_id == review_id),
        "relevance_judgements": _count(session, AppraisalRow, *live, AppraisalRow.relevance.is_not(None)),
        "rigour_judgements": _count(session, AppraisalRow, *live, AppraisalRow.rigour.is_not(None)),
        "codes": _count(session, CodeRow, *codes),
        "deductive_codes": _count(session, CodeRow, *codes, CodeRow.origin == CodeOrigin.DEDUCTIVE.value),
        "memos": _count(
            session,
            MemoRow,
            MemoRow.review_id == review_id,
            MemoRow.removed_at.is_(None),
            MemoRow.id.not_in(superseded),
        ),
    }


def _synthesis_facts(session: Session, review_id: int) -> dict[str, Any]:
    groups = session.scalars(
        select(EngagementRow.group).where(EngagementRow.review_id == review_id).order_by(EngagementRow.id)
    ).all()
    versions = session.scalars(
        select(TheoryVersionRow.name)
        .where(TheoryVersionRow.review_id == review_id)
        .order_by(TheoryVersionRow.created_at, TheoryVersionRow.id)
    ).all()
    return {
        "cmocs": _count(session, CMOCRow, CMOCRow.review_id == review_id),
        "clusters": _count(session, SynthesisClusterRow, SynthesisClusterRow.review_id == review_id),
        "evidence_links": _count(
            session,
            EvidenceLinkRow,
            EvidenceLinkRow.review_id == review_id,
            EvidenceLinkRow.removed_at.is_(None),
        ),
        "theory_versions": tuple(versions),
        "engagements": len(groups),
        "engagement_groups": tuple(dict.fromkeys(groups)),
        "panel_comments": _count(session, SynthesisCommentRow, SynthesisCommentRow.review_id == review_id),
    }


def _facts(session: Session, ctx: ReviewContext) -> RamesesFacts:
    review_id = ctx.review_id
    return RamesesFacts(
        title=ctx.review.title,
        question=ctx.review.question,
        protocol_registration=ctx.review.protocol or "",
        funding=ctx.review.funding or "",
        inclusion_criteria=len(ctx.setup.inclusion),
        exclusion_criteria=len(ctx.setup.exclusion),
        dual_fraction=ctx.setup.dual_fraction,
        setup_changes=_setup_changes(session, review_id),
        **_search_facts(session, review_id),
        **_flow_facts(session, ctx),
        **_extraction_facts(session, review_id),
        **_coding_facts(session, review_id),
        **_synthesis_facts(session, review_id),
    )


def _rows(session: Session, review_id: int) -> dict[int, ChecklistEntryRow]:
    rows = session.scalars(
        select(ChecklistEntryRow).where(
            ChecklistEntryRow.review_id == review_id, ChecklistEntryRow.standard == STANDARD
        )
    )
    return {row.item: row for row in rows}


def _entry(row: ChecklistEntryRow) -> ChecklistEntry:
    return ChecklistEntry(row.item, row.location, row.note, row.entered_by, row.entered_at)


@reads(Action.VIEW_REPORTS)
def rameses_checklist(session: Session, ctx: ReviewContext) -> RamesesChecklist:
    """The 19 RAMESES items: per item what the review's data provide and what the authors must write."""
    facts = _facts(session, ctx)
    entries = {item: _entry(row) for item, row in _rows(session, ctx.review_id).items()}
    return RamesesChecklist(facts, assess_rameses(facts, entries=entries))


@reads(Action.VIEW_REPORTS)
def rameses_output(session: Session, ctx: ReviewContext, *, fmt: str = "md") -> str | bytes:
    """The checklist as Markdown text (``md``) or a Word document's bytes (``docx``).

    Raises:
        ValidationError: another format.
    """
    if fmt not in RAMESES_FORMATS:
        raise ValidationError(f"RAMESES format {fmt!r}: use one of {', '.join(RAMESES_FORMATS)}")
    lines = rameses_checklist(session, ctx).lines
    if fmt == "docx":
        return rameses_docx(lines, title=ctx.review.title)
    return rameses_markdown(lines, title=ctx.review.title)


def _item(item: int) -> int:
    if not any(known.number == item for known in RAMESES_ITEMS):
        raise ValidationError(f"RAMESES has items 1 to {len(RAMESES_ITEMS)}, not {item}")
    return item


def _clean(text: str, *, what: str, limit: int) -> str:
    cleaned = remove_control_characters(text)[0].strip()
    if len(cleaned) > limit:
        raise ValidationError(f"the {what} is {len(cleaned)} characters long; keep it to {limit}")
    return cleaned


@mutation(Action.ENTER_CHECKLIST, audit="rameses.enter", entity="review")
def enter_checklist_item(
    session: Session, ctx: ReviewContext, *, item: int, location: str, note: str = ""
) -> ChecklistEntry:
    """Record where the manuscript reports RAMESES ``item`` (a page, a section) and a note on it.

    Entering again replaces the entry; the audit log keeps the one it replaced.

    Raises:
        ValidationError: not an item of the standard, neither a location nor a note, or text too long.
    """
    _item(item)
    location = _clean(location, what="location", limit=MAX_LOCATION)
    note = _clean(note, what="note", limit=MAX_NOTE)
    if not location and not note:
        raise ValidationError(f"item {item}: give where the manuscript reports it, or a note")
    row = _rows(session, ctx.review_id).get(item)
    before = None if row is None else {"location": row.location, "note": row.note}
    if row is None:
        row = ChecklistEntryRow(review_id=ctx.review_id, standard=STANDARD, item=item, entered_by=ctx.actor)
        session.add(row)
    if before != {"location": location, "note": note}:
        row.location, row.note, row.entered_by = location, note, ctx.actor
        row.entered_at = dt.datetime.now(dt.UTC)
        audit.note(session, entity_id=ctx.review_id, item=item, location=location, note=note, before=before)
    session.flush()
    return _entry(row)


@mutation(Action.ENTER_CHECKLIST, audit="rameses.clear", entity="review")
def clear_checklist_item(session: Session, ctx: ReviewContext, *, item: int) -> None:
    """Remove the entry of RAMESES ``item`` (it stays in the audit log)."""
    row = _rows(session, ctx.review_id).get(_item(item))
    if row is not None:
        audit.note(
            session, entity_id=ctx.review_id, item=item, before={"location": row.location, "note": row.note}
        )
        session.delete(row)
