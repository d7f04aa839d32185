"""Use cases for excerpts of full texts: coded spans, codings applied and removed, the matrix.

An excerpt is ``document.text[start:end]`` (characters), on the page it starts on. A coding belongs
to whoever applied it: they may take it off again, and an owner may take anyone's off, saying why.
A coding taken off is marked removed (who, when, why), never deleted. Codings are team work: everyone
who reads the full texts sees them (they are not blinded).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.coding.codebook import CodeOrigin, descendants
from realreview.coding.excerpts import Excerpt, page_of
from realreview.coding.matrix import CodeDocumentMatrix, build_matrix, to_csv, to_xlsx
from realreview.errors import NotFoundError, ValidationError
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.coding import active_codes, code_nodes, code_row, create_code
from realreview.services.context import ReviewContext
from realreview.services.documents import get_document_row
from realreview.services.memos import require_removal
from realreview.storage.models import CodingRow, DocumentRow, ExcerptRow

__all__ = [
    "Excerpt",
    "add_excerpt",
    "apply_code",
    "code_matrix",
    "code_selection",
    "excerpts_of_code",
    "excerpts_of_document",
    "get_excerpt",
    "matrix_csv",
    "matrix_xlsx",
    "remove_code",
]


@mutation(Action.CODE, audit="excerpt.add", entity="excerpt")
def add_excerpt(
    session: Session,
    ctx: ReviewContext,
    *,
    document_id: int,
    start: int,
    end: int,
    code_ids: Sequence[int],
    expected_text: str | None = None,
    guid: str | None = None,
) -> Excerpt:
    """Make ``document.text[start:end]`` an excerpt and apply ``code_ids`` to it.

    ``expected_text`` is what the reviewer saw selected; if it is not the stored text at those offsets,
    the browser and the server disagree about the document and nothing is stored.
    """
    review_id = ctx.review_id
    document = get_document_row(session, review_id=review_id, document_id=document_id)
    if not 0 <= start < end <= len(document.text):
        raise ValidationError(
            f"document {document_id}: excerpt {start}-{end} is outside its text (0-{len(document.text)})"
        )
    text = document.text[start:end]
    if expected_text is not None and " ".join(expected_text.split()) != " ".join(text.split()):
        raise ValidationError(
            f"document {document_id}: the selected text does not match characters {start}-{end}; "
            "reload the page and select again"
        )
    codes = [code_row(session, review_id=review_id, code_id=code_id) for code_id in dict.fromkeys(code_ids)]
    row = ExcerptRow(
        review_id=review_id,
        document_id=document.id,
        guid=guid or str(uuid.uuid4()),
        page=page_of(document.pages, start),
        start=start,
        end=end,
        text=text,
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    for code in codes:
        session.add(
            CodingRow(excerpt_id=row.id, code_id=code.id, guid=str(uuid.uuid4()), created_by=ctx.actor)
        )
    audit.note(session, document=document.id, start=start, end=end, codes=[c.id for c in codes])
    return _excerpt(row, document.name, tuple(code.id for code in codes))


@mutation(Action.CODE, audit="excerpt.add", entity="excerpt")
def code_selection(
    session: Session,
    ctx: ReviewContext,
    *,
    document_id: int,
    start: int,
    end: int,
    code_ids: Sequence[int],
    new_code: str = "",
    expected_text: str | None = None,
) -> Excerpt:
    """Code a selection of the reading view: the picked codes, plus the one named in ``new_code``.

    The new code is made now (inductive: it came from the text) and audited on its own, as is the
    excerpt; a selection needs at least one code.
    """
    ids = list(code_ids)
    if new_code.strip():
        ids.append(create_code(session, ctx, name=new_code, origin=CodeOrigin.INDUCTIVE).id)
    if not ids:
        raise ValidationError("pick a code (or name a new one) for the excerpt")
    return add_excerpt(
        session, ctx, document_id=document_id, start=start, end=end, code_ids=ids, expected_text=expected_text
    )


def _excerpt(
    row: ExcerptRow, document_name: str, code_ids: tuple[int, ...], coded_by: tuple[str, ...] = ()
) -> Excerpt:
    return Excerpt(
        id=row.id,
        guid=row.guid,
        document_id=row.document_id,
        document_name=document_name,
        page=row.page,
        start=row.start,
        end=row.end,
        text=row.text,
        code_ids=code_ids,
        created_by=row.created_by,
        created_at=row.created_at,
        coded_by=coded_by or (row.created_by,) * len(code_ids),
    )


def _excerpt_row(
    session: Session, *, review_id: int, excerpt_id: int, document_id: int | None = None
) -> ExcerptRow:
    """The excerpt of the review (and of the document the caller named, when it named one)."""
    row = session.get(ExcerptRow, excerpt_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"no excerpt {excerpt_id} in review {review_id}")
    if document_id is not None and row.document_id != document_id:
        raise NotFoundError(f"no excerpt {excerpt_id} in document {document_id}")
    return row


@mutation(Action.CODE, audit="coding.add", entity="excerpt", entity_id="excerpt_id")
def apply_code(
    session: Session, ctx: ReviewContext, *, excerpt_id: int, code_id: int, document_id: int | None = None
) -> None:
    """Apply a code to an excerpt (applying it twice changes nothing, and leaves no audit row).

    ``document_id`` is the document the caller reached the excerpt through (a URL's), when any.
    """
    excerpt = _excerpt_row(session, review_id=ctx.review_id, excerpt_id=excerpt_id, document_id=document_id)
    code = code_row(session, review_id=ctx.review_id, code_id=code_id)
    present = session.scalar(
        select(CodingRow).where(
            CodingRow.excerpt_id == excerpt.id, CodingRow.code_id == code.id, CodingRow.removed_at.is_(None)
        )
    )
    if present is not None:
        return
    session.add(
        CodingRow(excerpt_id=excerpt.id, code_id=code.id, guid=str(uuid.uuid4()), created_by=ctx.actor)
    )
    audit.note(session, code=code.id)


@mutation(Action.CODE, audit="coding.remove", entity="excerpt", entity_id="excerpt_id")
def remove_code(
    session: Session,
    ctx: ReviewContext,
    *,
    excerpt_id: int,
    code_id: int,
    reason: str | None = None,
    document_id: int | None = None,
) -> None:
    """Take a code off an excerpt: the coding is marked removed (who, when, why), not deleted.

    Whoever applied the coding may; an owner may take off anyone's, saying why (``reason``).
    ``document_id`` is the document the caller reached the excerpt through (a URL's), when any.
    """
    excerpt = _excerpt_row(session, review_id=ctx.review_id, excerpt_id=excerpt_id, document_id=document_id)
    coding = session.scalar(
        select(CodingRow).where(
            CodingRow.excerpt_id == excerpt.id, CodingRow.code_id == code_id, CodingRow.removed_at.is_(None)
        )
    )
    if coding is None:
        raise NotFoundError(f"excerpt {excerpt_id} is not coded with code {code_id}")
    why = require_removal(
        ctx,
        author=coding.created_by,
        what=f"the coding of excerpt {excerpt_id} with code {code_id}",
        reason=reason,
    )
    coding.removed_at, coding.removed_by = dt.datetime.now(dt.UTC), ctx.actor
    coding.removal_reason = why
    audit.note(session, code=code_id, coder=coding.created_by, reason=why)


def excerpts_where(session: Session, *, review_id: int, where: object) -> list[Excerpt]:
    """The review's excerpts matching ``where``, in reading order, with their codes (internal)."""
    rows = list(
        session.execute(
            select(ExcerptRow, DocumentRow.name)
            .join(DocumentRow, DocumentRow.id == ExcerptRow.document_id)
            .where(ExcerptRow.review_id == review_id, where)  # type: ignore[arg-type]
            .order_by(ExcerptRow.document_id, ExcerptRow.start, ExcerptRow.id)
        ).all()
    )
    codes: dict[int, list[int]] = defaultdict(list)
    coders: dict[int, list[str]] = defaultdict(list)
    ids = [row.id for row, _name in rows]
    for excerpt_id, code_id, coder in session.execute(
        select(CodingRow.excerpt_id, CodingRow.code_id, CodingRow.created_by)
        .where(CodingRow.excerpt_id.in_(ids), CodingRow.removed_at.is_(None))
        .order_by(CodingRow.id)
    ):
        codes[excerpt_id].append(code_id)
        coders[excerpt_id].append(coder)
    return [_excerpt(row, name, tuple(codes[row.id]), tuple(coders[row.id])) for row, name in rows]


@reads(Action.READ_FULL_TEXTS)
def get_excerpt(session: Session, ctx: ReviewContext, *, excerpt_id: int) -> Excerpt:
    """One excerpt of the review with its document's name and its codes."""
    _excerpt_row(session, review_id=ctx.review_id, excerpt_id=excerpt_id)
    return excerpts_where(session, review_id=ctx.review_id, where=ExcerptRow.id == excerpt_id)[0]


@reads(Action.READ_FULL_TEXTS)
def excerpts_of_document(session: Session, ctx: ReviewContext, *, document_id: int) -> list[Excerpt]:
    """Every excerpt of one document, in reading order, with its codes."""
    get_document_row(session, review_id=ctx.review_id, document_id=document_id)
    return excerpts_where(session, review_id=ctx.review_id, where=ExcerptRow.document_id == document_id)


@reads(Action.READ_FULL_TEXTS)
def excerpts_of_code(
    session: Session, ctx: ReviewContext, *, code_id: int, with_children: bool = False
) -> list[Excerpt]:
    """Every excerpt across documents coded with ``code_id`` (and its descendants when asked)."""
    code_row(session, review_id=ctx.review_id, code_id=code_id)
    wanted = {code_id}
    if with_children:
        wanted |= descendants(code_nodes(active_codes(session, ctx.review_id)), code_id)
    coded = select(CodingRow.excerpt_id).where(CodingRow.code_id.in_(wanted), CodingRow.removed_at.is_(None))
    return excerpts_where(session, review_id=ctx.review_id, where=ExcerptRow.id.in_(coded))


@reads(Action.READ_FULL_TEXTS)
def code_matrix(session: Session, ctx: ReviewContext) -> CodeDocumentMatrix:
    """Code × document counts of coded excerpts (merged codes left out)."""
    review_id = ctx.review_id
    codes = [(row.id, row.name) for row in active_codes(session, review_id)]
    documents = [
        (row.id, row.name)
        for row in session.execute(
            select(DocumentRow.id, DocumentRow.name)
            .where(DocumentRow.review_id == review_id)
            .order_by(DocumentRow.id)
        )
    ]
    pairs = session.execute(
        select(CodingRow.code_id, ExcerptRow.document_id)
        .join(ExcerptRow, ExcerptRow.id == CodingRow.excerpt_id)
        .where(ExcerptRow.review_id == review_id, CodingRow.removed_at.is_(None))
    ).all()
    return build_matrix(codes, documents, [(code, document) for code, document in pairs])


@reads(Action.EXPORT_TABLES)
def matrix_csv(session: Session, ctx: ReviewContext, *, raw: bool = False) -> str:
    """The code × document matrix as CSV text; formula-like labels get a ``'`` unless ``raw``."""
    return to_csv(code_matrix(session, ctx), defuse_formulas=not raw)


@reads(Action.EXPORT_TABLES)
def matrix_xlsx(session: Session, ctx: ReviewContext) -> bytes:
    """The code × document matrix as an Excel workbook."""
    return to_xlsx(code_matrix(session, ctx))
