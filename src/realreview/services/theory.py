"""Use cases for programme theory versions: named snapshots, their diff, the diagram and the tables.

A version is frozen whole (clusters, CMOCs, relations and which excerpts back what) with a note on
what changed and why; it is never edited afterwards, so "initial", "refined" and "final" stay what
they were when the team named them. ``working`` is the synthesis as it stands now, and can be
diffed, drawn and tabled like any version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview import tables
from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.synthesis_reads import WORKING, working_theory
from realreview.storage.models import CMOCRow, DocumentRow, EvidenceLinkRow, ExcerptRow, TheoryVersionRow
from realreview.synthesis import ProgrammeTheory, TheoryDiff, diff
from realreview.synthesis.diagram import mermaid, svg
from realreview.synthesis.serial import theory_from_dict, theory_to_dict
from realreview.synthesis.table import EvidenceRow, cmoc_table, evidence_appendix

__all__ = [
    "TheoryVersionInfo",
    "cmoc_tables",
    "diff_theories",
    "snapshot_theory",
    "theory_diagram",
    "theory_version",
    "theory_versions",
]


@dataclass(frozen=True, slots=True)
class TheoryVersionInfo:
    """A stored version as a list shows it."""

    name: str
    note: str
    created_by: str
    created_at: dt.datetime
    cmocs: int
    clusters: int


@mutation(Action.SNAPSHOT_THEORY, audit="theory.snapshot", entity="theory_version")
def snapshot_theory(session: Session, ctx: ReviewContext, *, name: str, note: str) -> TheoryVersionInfo:
    """Freeze the synthesis as it stands as version ``name``, with ``note`` saying what changed and why.

    Raises:
        ValidationError: the name is taken (a version is never overwritten) or is ``working``, or
            there is no CMOC to freeze yet.
    """
    name = name.strip()
    if name.lower() == WORKING:
        raise ValidationError(f"{WORKING!r} names the synthesis as it stands; give the version another name")
    taken = session.scalar(
        select(TheoryVersionRow.id).where(
            TheoryVersionRow.review_id == ctx.review_id, TheoryVersionRow.name == name
        )
    )
    if taken is not None:
        raise ValidationError(
            f"review {ctx.review_id} already has a version {name!r}; versions are never overwritten"
        )
    theory = working_theory(session, ctx, name=name, note=note)
    if not theory.cmocs:
        raise ValidationError("there is no CMOC to snapshot yet")
    row = TheoryVersionRow(
        review_id=ctx.review_id,
        name=theory.name,
        note=theory.note,
        body=theory_to_dict(theory),
        created_at=theory.created_at,
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, entity_id=row.id, name=theory.name, cmocs=len(theory.cmocs))
    return _info(theory)


def _info(theory: ProgrammeTheory) -> TheoryVersionInfo:
    return TheoryVersionInfo(
        theory.name,
        theory.note,
        theory.created_by,
        theory.created_at,
        len(theory.cmocs),
        len(theory.clusters),
    )


@reads(Action.VIEW_SYNTHESIS)
def theory_versions(session: Session, ctx: ReviewContext) -> list[TheoryVersionInfo]:
    """The stored versions, oldest first."""
    rows = session.scalars(
        select(TheoryVersionRow)
        .where(TheoryVersionRow.review_id == ctx.review_id)
        .order_by(TheoryVersionRow.id)
    )
    return [_info(theory_from_dict(row.body)) for row in rows]


@reads(Action.VIEW_SYNTHESIS)
def theory_version(session: Session, ctx: ReviewContext, *, name: str | None = None) -> ProgrammeTheory:
    """Version ``name``, or the synthesis as it stands (``None`` or ``working``).

    Raises:
        NotFoundError: no version of that name.
    """
    if name is None or name.strip().lower() == WORKING:
        return working_theory(session, ctx)
    row = session.scalar(
        select(TheoryVersionRow).where(
            TheoryVersionRow.review_id == ctx.review_id, TheoryVersionRow.name == name.strip()
        )
    )
    if row is None:
        known = [info.name for info in theory_versions(session, ctx)]
        raise NotFoundError(
            f"review {ctx.review_id} has no programme theory version {name!r}; "
            f"versions: {', '.join(known) or 'none yet'} (and {WORKING!r}, the synthesis as it stands)"
        )
    return theory_from_dict(row.body)


@reads(Action.VIEW_SYNTHESIS)
def diff_theories(session: Session, ctx: ReviewContext, *, old: str, new: str) -> TheoryDiff:
    """What changed from version ``old`` to version ``new`` (either may be ``working``)."""
    return diff(theory_version(session, ctx, name=old), theory_version(session, ctx, name=new))


@reads(Action.VIEW_SYNTHESIS)
def theory_diagram(session: Session, ctx: ReviewContext, *, fmt: str, version: str | None = None) -> str:
    """The version drawn as ``svg`` or written as ``mermaid`` text.

    Raises:
        ValidationError: another format.
    """
    theory = theory_version(session, ctx, name=version)
    if fmt == "svg":
        return svg(theory)
    if fmt == "mermaid":
        return mermaid(theory)
    raise ValidationError(f"diagram format {fmt!r}: use svg or mermaid")


def _evidence(session: Session, ctx: ReviewContext, theory: ProgrammeTheory) -> dict[str, list[EvidenceRow]]:
    """Per CMOC label, the version's evidence as appendix rows (excerpt text and document from the coding)."""
    keys = {(key.cmoc, key.component.value, key.excerpt_id) for key in theory.evidence}
    found = session.execute(
        select(CMOCRow.label, EvidenceLinkRow, ExcerptRow, DocumentRow.name)
        .join(CMOCRow, CMOCRow.id == EvidenceLinkRow.cmoc_id)
        .join(ExcerptRow, ExcerptRow.id == EvidenceLinkRow.excerpt_id)
        .join(DocumentRow, DocumentRow.id == ExcerptRow.document_id)
        .where(EvidenceLinkRow.review_id == ctx.review_id)
        .order_by(EvidenceLinkRow.id)
    )
    rows: dict[str, list[EvidenceRow]] = {}
    for label, link, excerpt, document in found:
        if (label, link.component, link.excerpt_id) in keys:
            rows.setdefault(label, []).append(
                (link.component, link.role, document, excerpt.page, excerpt.text, link.interpretation)
            )
    return rows


@reads(Action.VIEW_SYNTHESIS)
def cmoc_tables(
    session: Session, ctx: ReviewContext, *, fmt: str, version: str | None = None, appendix: bool = False
) -> str | bytes:
    """The CMOC table (and, with ``appendix``, the evidence per CMOC) as ``csv``, ``md`` or ``docx``.

    Raises:
        ValidationError: another format.
    """
    theory = theory_version(session, ctx, name=version)
    evidence = _evidence(session, ctx, theory)
    documents = {label: list(dict.fromkeys(row[2] for row in rows)) for label, rows in evidence.items()}
    table = cmoc_table(theory, documents=documents)
    parts = [("CMOCs", table)] + (evidence_appendix(theory, evidence=evidence) if appendix else [])
    title = f"{ctx.review.title}: programme theory {theory.name}"
    if fmt == "docx":
        return tables.to_docx(parts, title=title)
    if fmt == "md":
        return "\n".join(f"## {heading}\n\n{tables.to_markdown(part)}" for heading, part in parts)
    if fmt == "csv":
        if appendix:
            raise ValidationError(
                "the evidence appendix is written as md or docx; the CSV holds the CMOC table"
            )
        return tables.to_csv(table)
    raise ValidationError(f"table format {fmt!r}: use csv, md or docx")
