"""The initial programme theory seeds deductive codes; the CMOC × document matrix as CSV or XLSX.

Realist reviewers often code first against the initial programme theory: a parent code per
cluster, a child code per stated context, mechanism and outcome. :func:`seed_deductive_codes`
creates that tree (codes already there by name are kept, not duplicated), so passages coded with a
CMOC's code are easy to find when linking evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview import tables
from realreview.access import Action
from realreview.coding.codebook import CodeOrigin
from realreview.errors import ValidationError
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.coding import codebook, create_code
from realreview.services.context import ReviewContext
from realreview.services.synthesis_rows import domain_links, links_of
from realreview.services.theory import theory_version
from realreview.storage.models import DocumentRow
from realreview.synthesis import build_cmoc_matrix, deductive_codes

__all__ = ["SeededCodes", "cmoc_matrix", "seed_deductive_codes"]


@dataclass(frozen=True, slots=True)
class SeededCodes:
    """How many codes the theory proposed, and how many were new."""

    proposed: int
    created: int


@mutation(Action.EDIT_CODEBOOK, audit="codes.seed", entity="review")
def seed_deductive_codes(
    session: Session, ctx: ReviewContext, *, version: str | None = None, include_unstated: bool = False
) -> SeededCodes:
    """Create the deductive code tree of version ``version`` (default: the synthesis as it stands)."""
    theory = theory_version(session, ctx, name=version)
    proposed = deductive_codes(theory, include_unstated=include_unstated)
    existing = {(code.parent_id, code.name): code.id for code in codebook(session, ctx)}
    ids: dict[str, int] = {}
    created = 0
    for code in proposed:
        parent_id = ids[code.parent] if code.parent is not None else None
        found = existing.get((parent_id, code.name))
        if found is None:
            made = create_code(
                session,
                ctx,
                name=code.name,
                parent_id=parent_id,
                description=code.description or None,
                origin=CodeOrigin.DEDUCTIVE,
            )
            found, created = made.id, created + 1
        ids[code.key] = found
    audit.note(session, entity_id=ctx.review_id, version=theory.name, proposed=len(proposed), created=created)
    return SeededCodes(len(proposed), created)


@reads(Action.VIEW_SYNTHESIS)
def cmoc_matrix(session: Session, ctx: ReviewContext, *, fmt: str) -> str | bytes:
    """The CMOC × document matrix (distinct excerpts supporting and contradicting) as ``csv`` or ``xlsx``.

    Raises:
        ValidationError: another format.
    """
    theory = theory_version(session, ctx)
    links = domain_links(session, links_of(session, ctx.review_id))
    used = {link.document_id for link in links}
    documents = [
        (row.id, row.name)
        for row in session.execute(
            select(DocumentRow.id, DocumentRow.name)
            .where(DocumentRow.id.in_(used or [-1]))
            .order_by(DocumentRow.name)
        )
    ]
    table = build_cmoc_matrix([cmoc.label for cmoc in theory.cmocs], documents, links).table()
    if fmt == "csv":
        return tables.to_csv(table)
    if fmt == "xlsx":
        return tables.to_xlsx(table, title="CMOC x document")
    raise ValidationError(f"matrix format {fmt!r}: use csv or xlsx")
