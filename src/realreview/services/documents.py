"""Use cases for full texts: attach a PDF or text file to a study, list them, read their text.

The file itself goes to the content-addressed :class:`~realreview.fulltext.FileStore` beside the
database (by SHA-256, so the same PDF attached twice is stored once); the extracted text and its page
offsets go to the database, so excerpts, coding and REFI-QDA exports never reopen the PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import DuplicateImportError, NotFoundError
from realreview.fulltext import ExtractedText, FileStore, PageSpan, ParseLimits, extract_document
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage.models import DocumentRow, ExcerptRow, RecordRow

__all__ = [
    "DocumentInfo",
    "DocumentText",
    "add_document",
    "document_text",
    "get_document_row",
    "list_documents",
    "store_document",
]


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A full text as the edges list it."""

    id: int
    record_id: int | None
    name: str
    media_type: str
    sha256: str
    size_bytes: int
    page_count: int
    characters: int
    excerpts: int
    created_at: dt.datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class DocumentText:
    """A document's text with its pages, for the reading view and for coding."""

    info: DocumentInfo
    text: str
    pages: tuple[PageSpan, ...]
    notes: tuple[str, ...] = ()

    def page_text(self, page: PageSpan) -> str:
        """The text of one page."""
        return self.text[page.start : page.end]


def _info(row: DocumentRow, excerpts: int = 0) -> DocumentInfo:
    return DocumentInfo(
        id=row.id,
        record_id=row.record_id,
        name=row.name,
        media_type=row.media_type,
        sha256=row.sha256,
        size_bytes=row.size_bytes,
        page_count=len(row.pages),
        characters=len(row.text),
        excerpts=excerpts,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def _pages(row: DocumentRow) -> tuple[PageSpan, ...]:
    return tuple(PageSpan(number, start, end) for number, start, end in row.pages)


@mutation(Action.ADD_DOCUMENTS, audit="document.add", entity="document")
def add_document(
    session: Session,
    ctx: ReviewContext,
    *,
    data: bytes,
    name: str,
    record_id: int | None = None,
    store: FileStore,
    max_bytes: int,
    size: int | None = None,
    limits: ParseLimits | None = None,
) -> DocumentText:
    """Extract the text of ``data`` and attach it to study ``record_id`` (``None``: not linked yet).

    ``size`` is the file's full size when only the first ``max_bytes + 1`` bytes were read (an upload).
    ``limits`` (``Settings.parse_limits``) bound the memory and time that reading a PDF may take.

    Raises the extraction errors of :func:`realreview.fulltext.extract_document` (encrypted PDF, no
    text layer, too large, not a PDF or text file) before anything is stored.
    """
    extracted = extract_document(data, name=name, max_bytes=max_bytes, size=size, limits=limits)
    document = store_document(
        session,
        review_id=ctx.review_id,
        data=data,
        name=name,
        extracted=extracted,
        record_id=record_id,
        store=store,
        actor=ctx.actor,
    )
    info = document.info
    audit.note(
        session, entity_id=info.id, name=name, sha256=info.sha256, record=record_id, pages=len(document.pages)
    )
    return document


def store_document(
    session: Session,
    *,
    review_id: int,
    data: bytes,
    name: str,
    extracted: ExtractedText,
    record_id: int | None,
    store: FileStore,
    actor: str,
    guid: str | None = None,
    shared_file: bool = False,
) -> DocumentText:
    """Store a document whose text is already known (from extraction or from a REFI-QDA project).

    An internal step of an audited service (:func:`add_document`, the REFI-QDA import), which writes
    the audit row. A file the review already holds is refused, unless ``shared_file``: a REFI-QDA
    project's sources may share one file's content, each its own document on the one stored file.
    """
    if record_id is not None:
        record = session.get(RecordRow, record_id)
        if record is None or record.review_id != review_id:
            raise NotFoundError(f"no record {record_id} in review {review_id}")
    sha = hashlib.sha256(data).hexdigest()
    existing = session.scalar(
        select(DocumentRow).where(DocumentRow.review_id == review_id, DocumentRow.sha256 == sha).limit(1)
    )
    if existing is not None and not shared_file:
        raise DuplicateImportError(
            f"{name}: the same file is already attached as document {existing.id} ({existing.name})"
        )
    store.put(data)
    row = DocumentRow(
        review_id=review_id,
        record_id=record_id,
        guid=guid or str(uuid.uuid4()),
        name=name,
        media_type=extracted.media_type,
        sha256=sha,
        size_bytes=len(data),
        text=extracted.text,
        pages=[[page.number, page.start, page.end] for page in extracted.pages],
        created_by=actor,
    )
    session.add(row)
    session.flush()
    return DocumentText(_info(row), row.text, extracted.pages, extracted.notes)


@reads(Action.READ_FULL_TEXTS)
def list_documents(
    session: Session, ctx: ReviewContext, *, record_id: int | None = None
) -> list[DocumentInfo]:
    """The review's documents (of one study when ``record_id`` is given), oldest first."""
    review_id = ctx.review_id
    counts = dict(
        session.execute(
            select(ExcerptRow.document_id, func.count())
            .where(ExcerptRow.review_id == review_id)
            .group_by(ExcerptRow.document_id)
        ).all()
    )
    query = select(DocumentRow).where(DocumentRow.review_id == review_id).order_by(DocumentRow.id)
    if record_id is not None:
        query = query.where(DocumentRow.record_id == record_id)
    return [_info(row, counts.get(row.id, 0)) for row in session.scalars(query)]


def get_document_row(session: Session, *, review_id: int, document_id: int) -> DocumentRow:
    """The stored document ``document_id`` of the review, or :class:`NotFoundError` (internal)."""
    row = session.get(DocumentRow, document_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"no document {document_id} in review {review_id}")
    return row


@reads(Action.READ_FULL_TEXTS)
def document_text(session: Session, ctx: ReviewContext, *, document_id: int) -> DocumentText:
    """The text and pages of one document."""
    row = get_document_row(session, review_id=ctx.review_id, document_id=document_id)
    excerpts = session.scalar(select(func.count()).where(ExcerptRow.document_id == row.id)) or 0
    return DocumentText(_info(row, excerpts), row.text, _pages(row))
