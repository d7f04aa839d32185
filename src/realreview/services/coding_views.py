"""What the codebook pages show: the code tree with its forms, one code's excerpts, the matrix.

Read-only use cases for the web app, one page dataclass per screen. Reviewers build the codebook as
they code; merging folds one code's codings into another's for everyone, so only those the
permission table lets merge (owners) see the merge form (``can_merge``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.coding.codebook import (
    DEFAULT_COLOR,
    Branch,
    Code,
    CodeNode,
    CodeOrigin,
    branches,
    descendants,
    tree_rows,
)
from realreview.coding.excerpts import Excerpt
from realreview.coding.matrix import CodeDocumentMatrix
from realreview.coding.notes import Memo, MemoTarget
from realreview.services.audit import reads
from realreview.services.code_palette import next_color, with_colors
from realreview.services.coding import codebook
from realreview.services.context import ReviewContext
from realreview.services.documents import document_text
from realreview.services.excerpts import code_matrix, excerpts_of_code
from realreview.services.memos import memos_of
from realreview.services.reading_views import NotesPanel, notes_panel, panel_values
from realreview.services.reviews import ReviewInfo
from realreview.storage.models import CodingRow, ExcerptRow

__all__ = ["CodePage", "CodesPage", "MatrixPage", "MatrixRow", "code_page", "codes_page", "matrix_page"]


@dataclass(frozen=True, slots=True)
class CodesPage:
    """The code tree (nested and flat, in tree order), each code's memos, and the forms' choices."""

    review: ReviewInfo
    can_edit: bool
    can_merge: bool
    can_comment: bool
    codes: list[Code]
    code_rows: list[tuple[Code, int]]
    tree: list[Branch]
    memos_by_code: dict[int | None, list[Memo]]
    #: Who is looking: a memo is its author's to reword; its author or an owner removes it.
    actor: str
    can_remove_any: bool
    origins: tuple[CodeOrigin, ...] = tuple(CodeOrigin)
    new_code_color: str = DEFAULT_COLOR


@reads(Action.READ_FULL_TEXTS)
def codes_page(session: Session, ctx: ReviewContext) -> CodesPage:
    """The codebook page (and the tree htmx swaps in after a change)."""
    codes = with_colors(codebook(session, ctx))
    memos: dict[int | None, list[Memo]] = defaultdict(list)
    for memo in memos_of(session, ctx, target_kind=MemoTarget.CODE):
        memos[memo.target_id].append(memo)
    rows = tree_rows(codes)
    return CodesPage(
        review=ctx.review,
        can_edit=ctx.can(Action.EDIT_CODEBOOK),
        can_merge=ctx.can(Action.MERGE_CODES),
        can_comment=ctx.can(Action.COMMENT),
        codes=codes,
        code_rows=rows,
        tree=branches(rows),
        memos_by_code=dict(memos),
        actor=ctx.actor,
        can_remove_any=ctx.can(Action.REMOVE_OTHERS_WORK),
        new_code_color=next_color(codes),
    )


#: How much of the text around an excerpt its code's page shows, on each side (characters).
AROUND = 150


@dataclass(frozen=True, kw_only=True)
class CodePage(NotesPanel):
    """One code's excerpts across the documents (with its sub-codes' when asked), and its memos.

    ``around`` holds each excerpt's surrounding text (up to :data:`AROUND` characters before and
    after), so a passage reads in its context; ``document`` narrows the list to one document (a
    cell of the matrix).
    """

    code: Code
    codes_by_id: dict[int, Code]
    excerpts: list[Excerpt]
    children: bool
    has_children: bool
    around: dict[int, tuple[str, str]] = field(default_factory=dict)
    document: tuple[int, str] | None = None


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to :data:`AROUND` characters before and after ``text[start:end]``, pages joined by a space.

    >>> _around("one two three", 4, 7)
    ('one ', ' three')
    """
    before, after = text[max(0, start - AROUND) : start], text[end : end + AROUND]
    return before.replace("\f", " "), after.replace("\f", " ")


@reads(Action.READ_FULL_TEXTS)
def code_page(
    session: Session,
    ctx: ReviewContext,
    *,
    code_id: int,
    children: bool = False,
    document_id: int | None = None,
) -> CodePage:
    """The page of one code (in one document, when ``document_id`` is given)."""
    excerpts = excerpts_of_code(session, ctx, code_id=code_id, with_children=children)
    document = None
    if document_id is not None:
        excerpts = [x for x in excerpts if x.document_id == document_id]
        document = (document_id, document_text(session, ctx, document_id=document_id).info.name)
    texts = {d: document_text(session, ctx, document_id=d).text for d in {x.document_id for x in excerpts}}
    codes = {code.id: code for code in with_colors(codebook(session, ctx))}
    notes = notes_panel(session, ctx, target=MemoTarget.CODE, target_id=code_id)
    return CodePage(
        **panel_values(notes),
        code=codes[code_id],
        codes_by_id=codes,
        excerpts=excerpts,
        children=children,
        has_children=any(code.parent_id == code_id for code in codes.values()),
        around={x.id: _around(texts[x.document_id], x.start, x.end) for x in excerpts},
        document=document,
    )


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One code's row of the matrix: excerpts per document (studies as columns) and the row's total.

    A parent's cells count the excerpts carrying it or any code under it (each excerpt once), so
    a branch of the code tree reads as one total; ``own`` keeps the parent's own count.
    """

    code: Code
    depth: int
    cells: tuple[int, ...]
    total: int
    is_parent: bool
    own: int


@dataclass(frozen=True, slots=True)
class MatrixPage:
    """The code × document matrix: the exported table (``rows``) and the page's rows in code-tree order."""

    review: ReviewInfo
    matrix: CodeDocumentMatrix
    rows: list[list[str | int]]
    tree: tuple[MatrixRow, ...] = ()
    #: Coded excerpts per document (with any code), and in all.
    totals: tuple[int, ...] = ()
    total: int = 0


@reads(Action.READ_FULL_TEXTS)
def matrix_page(session: Session, ctx: ReviewContext) -> MatrixPage:
    """How many excerpts of each document carry each code, in code-tree order with parent totals."""
    matrix = code_matrix(session, ctx)
    codes = with_colors(codebook(session, ctx))
    coded: dict[int, set[tuple[int, int]]] = defaultdict(set)  # code -> (document, excerpt)
    for code_id, document_id, excerpt_id in session.execute(
        select(CodingRow.code_id, ExcerptRow.document_id, ExcerptRow.id)
        .join(ExcerptRow, ExcerptRow.id == CodingRow.excerpt_id)
        .where(ExcerptRow.review_id == ctx.review_id, CodingRow.removed_at.is_(None))
    ):
        coded[code_id].add((document_id, excerpt_id))
    nodes = [CodeNode(code.id, code.parent_id, code.name) for code in codes]
    documents = [document_id for document_id, _ in matrix.documents]
    tree = []
    for code, depth in tree_rows(codes):
        below = descendants(nodes, code.id)
        pairs = set(coded[code.id]).union(*(coded[c] for c in below))
        cells = tuple(sum(1 for d, _ in pairs if d == document_id) for document_id in documents)
        tree.append(MatrixRow(code, depth, cells, sum(cells), bool(below), len(coded[code.id])))
    every = set().union(*coded.values()) if coded else set()
    totals = tuple(sum(1 for d, _ in every if d == document_id) for document_id in documents)
    return MatrixPage(
        review=ctx.review,
        matrix=matrix,
        rows=matrix.rows(),
        tree=tuple(tree),
        totals=totals,
        total=sum(totals),
    )
