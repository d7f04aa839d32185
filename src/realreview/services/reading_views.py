"""What the full-text pages show: the list, the reading view, an excerpt, and the notes beside them.

Read-only use cases for the web app, one page dataclass per screen (and per partial htmx swaps in).
Each carries what the viewer may do as flags from the permission table (``can_code``,
``can_comment``...), so no template or route compares roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy.orm import Session

from realreview.access import Action, Work
from realreview.coding.codebook import DEFAULT_COLOR, Code, tree_rows
from realreview.coding.excerpts import Excerpt
from realreview.coding.notes import APPRAISED, Appraisal, Judgement, Memo, MemoTarget, MemoVersion
from realreview.coding.segments import PageView, page_views
from realreview.fulltext import FileStore
from realreview.services.appraisals import appraisals_of
from realreview.services.audit import reads
from realreview.services.characteristics import Study, studies
from realreview.services.code_palette import with_colors
from realreview.services.coding import codebook
from realreview.services.context import ReviewContext
from realreview.services.documents import DocumentInfo, DocumentText, document_text, list_documents
from realreview.services.excerpts import excerpts_of_document, get_excerpt
from realreview.services.memos import memo_versions, memos_of, removed_memos
from realreview.services.reviews import ReviewInfo

__all__ = [
    "CodePicker",
    "DocumentFile",
    "CodingPanel",
    "DocumentsPage",
    "ExcerptPage",
    "MemoVersionsPage",
    "NotesPanel",
    "ReadingPage",
    "code_picker",
    "coding_panel",
    "document_file",
    "documents_page",
    "excerpt_page",
    "memo_versions_page",
    "notes_panel",
    "reading_page",
]


def panel_values(page: Any) -> dict[str, Any]:
    """A page's fields by name (shallow: the values stay the dataclasses they are)."""
    return {field.name: getattr(page, field.name) for field in fields(page)}


@dataclass(frozen=True, slots=True)
class DocumentsPage:
    """The review's full texts, the studies to attach one to, and an upload's refusal if any."""

    review: ReviewInfo
    can_upload: bool
    documents: list[DocumentInfo]
    studies: list[Study]
    error: str | None = None


@reads(Action.READ_FULL_TEXTS)
def documents_page(session: Session, ctx: ReviewContext, *, error: str | None = None) -> DocumentsPage:
    """The list of full texts (with the upload form for those who may add one)."""
    return DocumentsPage(
        review=ctx.review,
        can_upload=ctx.can(Action.ADD_DOCUMENTS),
        documents=list_documents(session, ctx),
        studies=studies(session, ctx),
        error=error,
    )


# The panels below are not slotted and take keywords only, so that a page made of two panels (the
# reading view) is a dataclass inheriting both, whose fields the template sees side by side.


@dataclass(frozen=True, kw_only=True)
class NotesPanel:
    """The memos and appraisals of one code, document or excerpt (``_doc_memos.html``, ``_doc_appraisals.html``).

    A memo is its author's to reword (``memo.author == actor``); its author, or one who
    ``can_remove_any`` (an owner, with a reason), removes it; the same goes for appraisals.
    ``appraisals_blinded``: the viewer sees only their own appraisal until blinding is turned off.
    """

    review: ReviewInfo
    actor: str
    target: MemoTarget
    target_id: int
    can_comment: bool
    can_appraise: bool
    can_remove_any: bool
    memos: list[Memo]
    removed: list[Memo]
    appraisals: list[Appraisal]
    appraisals_blinded: bool
    #: The viewer's own latest appraisal, to fill the form with.
    mine: Appraisal | None
    judgements: tuple[Judgement, ...] = tuple(Judgement)


@reads(Action.READ_FULL_TEXTS)
def notes_panel(session: Session, ctx: ReviewContext, *, target: MemoTarget, target_id: int) -> NotesPanel:
    """The memos on a target and, for a document or an excerpt, each reviewer's appraisal of it."""
    appraised = target in APPRAISED
    appraisals = appraisals_of(session, ctx, target_kind=target, target_id=target_id) if appraised else []
    return NotesPanel(
        review=ctx.review,
        actor=ctx.actor,
        target=target,
        target_id=target_id,
        can_comment=ctx.can(Action.COMMENT),
        can_appraise=appraised and ctx.can(Action.APPRAISE),
        can_remove_any=ctx.can(Action.REMOVE_OTHERS_WORK),
        memos=memos_of(session, ctx, target_kind=target, target_id=target_id),
        removed=removed_memos(session, ctx, target_kind=target, target_id=target_id),
        appraisals=appraisals,
        appraisals_blinded=appraised and not ctx.sees(None, work=Work.APPRAISAL),
        mine=next((a for a in appraisals if a.reviewer == ctx.actor), None),
    )


@dataclass(frozen=True, slots=True)
class MemoVersionsPage:
    """Every wording of one memo, oldest first, with its author and time (``_doc_memo_versions.html``)."""

    review: ReviewInfo
    target: MemoTarget
    target_id: int
    memo_id: int
    versions: list[MemoVersion]


@reads(Action.READ_FULL_TEXTS)
def memo_versions_page(
    session: Session, ctx: ReviewContext, *, target: MemoTarget, target_id: int, memo_id: int
) -> MemoVersionsPage:
    """The versions of a memo reached through its target (a memo on another target is not found)."""
    versions = memo_versions(session, ctx, memo_id=memo_id, target_kind=target, target_id=target_id)
    return MemoVersionsPage(ctx.review, target, target_id, memo_id, versions)


@dataclass(frozen=True, kw_only=True)
class CodingPanel:
    """The coded text of one document: its pages cut by excerpts, the excerpts, the codes to pick from."""

    review: ReviewInfo
    document: DocumentText
    pages: list[PageView]
    excerpts: list[Excerpt]
    codes: list[Code]
    code_rows: list[tuple[Code, int]]
    codes_by_id: dict[int, Code]
    can_code: bool
    #: Who is looking: a coding is its coder's to take off, or an owner's (``can_remove_any``).
    actor: str
    can_remove_any: bool
    default_color: str = DEFAULT_COLOR
    #: The codes on each highlighted run (keyed by its excerpt ids): named on hover, striped when several.
    marks: dict[tuple[int, ...], tuple[Code, ...]] = field(default_factory=dict)


def _marks(
    pages: list[PageView], excerpts: list[Excerpt], codes: dict[int, Code]
) -> dict[tuple[int, ...], tuple[Code, ...]]:
    """The codes of every highlighted run, once each, in the order its excerpts carry them."""
    by_id = {x.id: x for x in excerpts}
    runs = {seg.excerpt_ids for page in pages for seg in page.segments if seg.excerpt_ids}
    return {
        ids: tuple(codes[c] for c in dict.fromkeys(c for i in ids for c in by_id[i].code_ids) if c in codes)
        for ids in runs
    }


@reads(Action.READ_FULL_TEXTS)
def coding_panel(session: Session, ctx: ReviewContext, *, document_id: int) -> CodingPanel:
    """The coding part of the reading view (what htmx swaps in after a change to its excerpts)."""
    document = document_text(session, ctx, document_id=document_id)
    excerpts = excerpts_of_document(session, ctx, document_id=document_id)
    codes = with_colors(codebook(session, ctx))
    colors = {code.id: code.color for code in codes if code.color}
    pages = page_views(document.text, document.pages, excerpts, colors)
    by_id = {code.id: code for code in codes}
    return CodingPanel(
        review=ctx.review,
        document=document,
        pages=pages,
        excerpts=excerpts,
        codes=codes,
        code_rows=tree_rows(codes),
        codes_by_id=by_id,
        can_code=ctx.can(Action.CODE),
        actor=ctx.actor,
        can_remove_any=ctx.can(Action.REMOVE_OTHERS_WORK),
        marks=_marks(pages, excerpts, by_id),
    )


@dataclass(frozen=True, kw_only=True)
class ReadingPage(CodingPanel, NotesPanel):
    """The reading view: the coding panel and, beside it, the document's memos and appraisals."""


@reads(Action.READ_FULL_TEXTS)
def reading_page(session: Session, ctx: ReviewContext, *, document_id: int) -> ReadingPage:
    """One document's reading view."""
    coding = coding_panel(session, ctx, document_id=document_id)
    notes = notes_panel(session, ctx, target=MemoTarget.DOCUMENT, target_id=document_id)
    return ReadingPage(**(panel_values(notes) | panel_values(coding)))


@dataclass(frozen=True, slots=True)
class CodePicker:
    """The "add code" form of one excerpt: the codes it could still take."""

    review: ReviewInfo
    excerpt: Excerpt
    code_rows: list[tuple[Code, int]]


@reads(Action.CODE)
def code_picker(session: Session, ctx: ReviewContext, *, excerpt_id: int) -> CodePicker:
    """The picker of one excerpt, loaded when a reviewer opens it (only for those who code)."""
    excerpt = get_excerpt(session, ctx, excerpt_id=excerpt_id)
    return CodePicker(review=ctx.review, excerpt=excerpt, code_rows=tree_rows(codebook(session, ctx)))


@dataclass(frozen=True, kw_only=True)
class ExcerptPage(NotesPanel):
    """One excerpt: its text and codes, the code picker, its memos and appraisals."""

    excerpt: Excerpt
    codes_by_id: dict[int, Code]
    code_rows: list[tuple[Code, int]]
    can_code: bool
    default_color: str = DEFAULT_COLOR


@reads(Action.READ_FULL_TEXTS)
def excerpt_page(session: Session, ctx: ReviewContext, *, excerpt_id: int) -> ExcerptPage:
    """The excerpt page."""
    excerpt = get_excerpt(session, ctx, excerpt_id=excerpt_id)
    codes = with_colors(codebook(session, ctx))
    notes = notes_panel(session, ctx, target=MemoTarget.EXCERPT, target_id=excerpt_id)
    return ExcerptPage(
        **panel_values(notes),
        excerpt=excerpt,
        codes_by_id={code.id: code for code in codes},
        code_rows=tree_rows(codes),
        can_code=ctx.can(Action.CODE),
    )


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """A document's stored file, to show beside its text (a PDF as itself)."""

    info: DocumentInfo
    data: bytes

    @property
    def is_pdf(self) -> bool:
        """Whether the file is a PDF (the reading view frames it beside the text)."""
        return self.info.media_type == "application/pdf"


@reads(Action.READ_FULL_TEXTS)
def document_file(
    session: Session, ctx: ReviewContext, *, document_id: int, store: FileStore
) -> DocumentFile:
    """The file a document was extracted from, as stored (checked against its SHA-256)."""
    info = document_text(session, ctx, document_id=document_id).info
    return DocumentFile(info, store.get(info.sha256))
