"""The codebook pages: the code tree and its forms, one code's excerpts, the code × document matrix.

Reviewers build the codebook as they code (adding, renaming, moving codes); merging folds one code's
codings into another's for everyone, so it is the owner's call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from realreview import services
from realreview.coding.codebook import CodeNode, ordered
from realreview.coding.matrix import to_csv, to_xlsx
from realreview.services import Code, CodeOrigin, MemoTarget, Role
from realreview.web.deps import db, db_write, is_htmx, optional_id, render, require_csrf, signed_in
from realreview.web.routes.notes import NoteTarget, notes_context

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[Session, Depends(db)]
DbWrite = Annotated[Session, Depends(db_write)]
CSRF = [Depends(require_csrf)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The colour a new code's picker starts at, and the highlight of a code without a colour (pale yellow).
NEW_CODE_COLOR = "#FDE68A"


@dataclass(frozen=True, slots=True)
class Branch:
    """A code with the codes under it, for the nested list of the code tree."""

    code: Code
    depth: int
    children: tuple[Branch, ...]


def code_rows(codes: Sequence[Code]) -> list[tuple[Code, int]]:
    """The codes in tree order (depth first, siblings by name), each with its depth."""
    by_id = {code.id: code for code in codes}
    nodes = [CodeNode(code.id, code.parent_id, code.name) for code in codes]
    return [(by_id[node.id], depth) for node, depth in ordered(nodes)]


def _branches(rows: Sequence[tuple[Code, int]], start: int = 0, depth: int = 0) -> tuple[list[Branch], int]:
    """Nest the depth-first ``rows`` from ``start``: the branches at ``depth`` and where they stop."""
    found, at = [], start
    while at < len(rows) and rows[at][1] == depth:
        children, after = _branches(rows, at + 1, depth + 1)
        found.append(Branch(rows[at][0], depth, tuple(children)))
        at = after
    return found, at


def _codes_context(session: Session, *, review_id: int, user: str) -> dict[str, object]:
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    codes = services.codebook(session, review_id=review_id)
    memos: dict[int | None, list[services.Memo]] = defaultdict(list)
    for memo in services.memos_of(session, review_id=review_id, target_kind=MemoTarget.CODE):
        memos[memo.target_id].append(memo)
    rows = code_rows(codes)
    return {
        "review": services.get_review(session, review_id=review_id),
        "role": role,
        "can_write": role is not Role.VIEWER,
        "can_merge": role is Role.OWNER,
        "codes": codes,
        "code_rows": rows,
        "tree": _branches(rows)[0],
        "memos_by_code": memos,
        "origins": list(CodeOrigin),
        "new_code_color": NEW_CODE_COLOR,
    }


@router.get("/reviews/{review_id}/codes")
def codes_page(request: Request, review_id: int, user: User, session: Db) -> Response:
    """The code tree with its forms (for htmx, just the tree)."""
    context = _codes_context(session, review_id=review_id, user=user)
    return render(request, "_code_tree.html" if is_htmx(request) else "codes.html", context)


def _changed(request: Request, session: Session, *, review_id: int, user: str) -> Response:
    """After a change to the codebook: the tree for htmx, else back to the codes page."""
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{review_id}/codes", status_code=303)
    return render(request, "_code_tree.html", _codes_context(session, review_id=review_id, user=user))


@router.post("/reviews/{review_id}/codes", dependencies=CSRF)
def create_code(
    request: Request,
    review_id: int,
    user: User,
    session: DbWrite,
    name: Annotated[str, Form()],
    parent_id: Annotated[str, Form()] = "",
    origin: Annotated[CodeOrigin, Form()] = CodeOrigin.INDUCTIVE,
    color: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    """Add a code to the codebook."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.create_code(
        session,
        review_id=review_id,
        name=name,
        actor=user,
        parent_id=optional_id(parent_id, what="code"),
        description=description or None,
        color=color or None,
        origin=origin,
    )
    return _changed(request, session, review_id=review_id, user=user)


@router.post("/reviews/{review_id}/codes/{code_id}", dependencies=CSRF)
def update_code(
    request: Request,
    review_id: int,
    code_id: int,
    user: User,
    session: DbWrite,
    name: Annotated[str, Form()],
    origin: Annotated[CodeOrigin, Form()],
    color: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    """Rename, recolour or describe a code, or change its origin."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.update_code(
        session,
        review_id=review_id,
        code_id=code_id,
        actor=user,
        name=name,
        description=description,
        color=color or None,
        origin=origin,
    )
    return _changed(request, session, review_id=review_id, user=user)


@router.post("/reviews/{review_id}/codes/{code_id}/move", dependencies=CSRF)
def move_code(
    request: Request,
    review_id: int,
    code_id: int,
    user: User,
    session: DbWrite,
    parent_id: Annotated[str, Form()] = "",
) -> Response:
    """Put a code under another one (or at the top)."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.move_code(
        session,
        review_id=review_id,
        code_id=code_id,
        parent_id=optional_id(parent_id, what="code"),
        actor=user,
    )
    return _changed(request, session, review_id=review_id, user=user)


@router.post("/reviews/{review_id}/codes/{code_id}/merge", dependencies=CSRF)
def merge_code(
    request: Request,
    review_id: int,
    code_id: int,
    user: User,
    session: DbWrite,
    target_id: Annotated[int, Form()],
) -> Response:
    """Merge a code into another (owner only): its excerpts and children move to the target."""
    services.require_role(session, review_id=review_id, email=user, role=Role.OWNER)
    services.merge_codes(session, review_id=review_id, source_id=code_id, target_id=target_id, actor=user)
    return _changed(request, session, review_id=review_id, user=user)


def _memo_context(session: Session, *, review_id: int, code_id: int, user: str) -> dict[str, object]:
    return notes_context(session, review_id=review_id, target=NoteTarget.CODES, target_id=code_id, user=user)


@router.get("/reviews/{review_id}/codes/{code_id}")
def code_page(
    request: Request, review_id: int, code_id: int, user: User, session: Db, children: bool = False
) -> Response:
    """Every excerpt coded with one code across the documents (with its sub-codes when asked)."""
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    excerpts = services.excerpts_of_code(
        session, review_id=review_id, code_id=code_id, with_children=children
    )
    codes = {code.id: code for code in services.codebook(session, review_id=review_id)}
    context = _memo_context(session, review_id=review_id, code_id=code_id, user=user) | {
        "code": codes[code_id],
        "codes_by_id": codes,
        "excerpts": excerpts,
        "children": children,
        "has_children": any(code.parent_id == code_id for code in codes.values()),
        "can_write": role is not Role.VIEWER,
    }
    return render(request, "_code_excerpts.html" if is_htmx(request) else "code.html", context)


@router.get("/reviews/{review_id}/matrix")
def matrix_page(request: Request, review_id: int, user: User, session: Db) -> Response:
    """The code × document matrix: how many excerpts of each document carry each code."""
    services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    matrix = services.code_matrix(session, review_id=review_id)
    review = services.get_review(session, review_id=review_id)
    return render(request, "matrix.html", {"review": review, "matrix": matrix, "rows": matrix.rows()})


def _download(body: str | bytes, *, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/reviews/{review_id}/matrix.csv")
def matrix_csv(review_id: int, user: User, session: Db) -> Response:
    """The matrix as CSV."""
    services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    matrix = services.code_matrix(session, review_id=review_id)
    return _download(
        to_csv(matrix), media_type="text/csv; charset=utf-8", filename=f"review-{review_id}-matrix.csv"
    )


@router.get("/reviews/{review_id}/matrix.xlsx")
def matrix_xlsx(review_id: int, user: User, session: Db) -> Response:
    """The matrix as an Excel workbook."""
    services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    matrix = services.code_matrix(session, review_id=review_id)
    return _download(to_xlsx(matrix), media_type=XLSX, filename=f"review-{review_id}-matrix.xlsx")
