"""What the codebook pages show: the code tree with its forms, one code's excerpts, the matrix.

Read-only use cases for the web app, one page dataclass per screen. Reviewers build the codebook as
they code; merging folds one code's codings into another's for everyone, so only those the
permission table lets merge (owners) see the merge form (``can_merge``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.coding.codebook import DEFAULT_COLOR, Branch, Code, CodeOrigin, branches, tree_rows
from realreview.coding.excerpts import Excerpt
from realreview.coding.matrix import CodeDocumentMatrix
from realreview.coding.notes import Memo, MemoTarget
from realreview.services.audit import reads
from realreview.services.coding import codebook
from realreview.services.context import ReviewContext
from realreview.services.excerpts import code_matrix, excerpts_of_code
from realreview.services.memos import memos_of
from realreview.services.reading_views import NotesPanel, notes_panel, panel_values
from realreview.services.reviews import ReviewInfo

__all__ = ["CodePage", "CodesPage", "MatrixPage", "code_page", "codes_page", "matrix_page"]


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
    codes = codebook(session, ctx)
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
    )


@dataclass(frozen=True, kw_only=True)
class CodePage(NotesPanel):
    """One code's excerpts across the documents (with its sub-codes' when asked), and its memos."""

    code: Code
    codes_by_id: dict[int, Code]
    excerpts: list[Excerpt]
    children: bool
    has_children: bool


@reads(Action.READ_FULL_TEXTS)
def code_page(session: Session, ctx: ReviewContext, *, code_id: int, children: bool = False) -> CodePage:
    """The page of one code."""
    excerpts = excerpts_of_code(session, ctx, code_id=code_id, with_children=children)
    codes = {code.id: code for code in codebook(session, ctx)}
    notes = notes_panel(session, ctx, target=MemoTarget.CODE, target_id=code_id)
    return CodePage(
        **panel_values(notes),
        code=codes[code_id],
        codes_by_id=codes,
        excerpts=excerpts,
        children=children,
        has_children=any(code.parent_id == code_id for code in codes.values()),
    )


@dataclass(frozen=True, slots=True)
class MatrixPage:
    """The code × document matrix and its table (header, a row per code, the totals)."""

    review: ReviewInfo
    matrix: CodeDocumentMatrix
    rows: list[list[str | int]]


@reads(Action.READ_FULL_TEXTS)
def matrix_page(session: Session, ctx: ReviewContext) -> MatrixPage:
    """How many excerpts of each document carry each code."""
    matrix = code_matrix(session, ctx)
    return MatrixPage(review=ctx.review, matrix=matrix, rows=matrix.rows())
