"""The codebook pages: the code tree and its forms, one code's excerpts, the code × document matrix.

Each handler makes one service call (a write: the change, then the tree htmx swaps in) and renders
the service's page; who may edit or merge codes is the services' business.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.services import CodeOrigin
from realreview.web.deps import CSRF, Reading, Scope, Writing, download, is_htmx, optional_id, render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reviews/{review_id}/codes")
def codes_page(request: Request, scope: Reading) -> Response:
    """The code tree with its forms (for htmx, just the tree)."""
    page = services.codes_page(scope.session, scope.ctx)
    return render(request, "_code_tree.html" if is_htmx(request) else "codes.html", page)


def _changed(request: Request, scope: Scope) -> Response:
    """After a change to the codebook: the tree for htmx, else back to the codes page."""
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{scope.ctx.review_id}/codes", status_code=303)
    return render(request, "_code_tree.html", services.codes_page(scope.session, scope.ctx))


@router.post("/reviews/{review_id}/codes", dependencies=CSRF)
def create_code(
    request: Request,
    scope: Writing,
    name: Annotated[str, Form()],
    parent_id: Annotated[str, Form()] = "",
    origin: Annotated[CodeOrigin, Form()] = CodeOrigin.INDUCTIVE,
    color: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    """Add a code to the codebook."""
    services.create_code(
        scope.session,
        scope.ctx,
        name=name,
        parent_id=optional_id(parent_id, what="code"),
        description=description or None,
        color=color or None,
        origin=origin,
    )
    return _changed(request, scope)


@router.post("/reviews/{review_id}/codes/{code_id}", dependencies=CSRF)
def update_code(
    request: Request,
    code_id: int,
    scope: Writing,
    name: Annotated[str, Form()],
    origin: Annotated[CodeOrigin, Form()],
    color: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    """Rename, recolour or describe a code, or change its origin."""
    services.update_code(
        scope.session,
        scope.ctx,
        code_id=code_id,
        name=name,
        description=description,
        color=color or None,
        origin=origin,
    )
    return _changed(request, scope)


@router.post("/reviews/{review_id}/codes/{code_id}/move", dependencies=CSRF)
def move_code(
    request: Request, code_id: int, scope: Writing, parent_id: Annotated[str, Form()] = ""
) -> Response:
    """Put a code under another one (or at the top)."""
    services.move_code(
        scope.session, scope.ctx, code_id=code_id, parent_id=optional_id(parent_id, what="code")
    )
    return _changed(request, scope)


@router.post("/reviews/{review_id}/codes/{code_id}/merge", dependencies=CSRF)
def merge_code(request: Request, code_id: int, scope: Writing, target_id: Annotated[int, Form()]) -> Response:
    """Merge a code into another: its excerpts and children move to the target."""
    services.merge_codes(scope.session, scope.ctx, source_id=code_id, target_id=target_id)
    return _changed(request, scope)


@router.get("/reviews/{review_id}/codes/{code_id}")
def code_page(
    request: Request, code_id: int, scope: Reading, children: bool = False, document: int | None = None
) -> Response:
    """Every excerpt coded with one code across the documents (or in one: a matrix cell), with context."""
    page = services.code_page(
        scope.session, scope.ctx, code_id=code_id, children=children, document_id=document
    )
    return render(request, "_code_excerpts.html" if is_htmx(request) else "code.html", page)


@router.get("/reviews/{review_id}/matrix")
def matrix_page(request: Request, scope: Reading) -> Response:
    """The code × document matrix: how many excerpts of each document carry each code."""
    return render(request, "matrix.html", services.matrix_page(scope.session, scope.ctx))


@router.get("/reviews/{review_id}/matrix.csv")
def matrix_csv(review_id: int, scope: Reading) -> Response:
    """The matrix as CSV."""
    body = services.matrix_csv(scope.session, scope.ctx)
    return download(body, media_type="text/csv; charset=utf-8", filename=f"review-{review_id}-matrix.csv")


@router.get("/reviews/{review_id}/matrix.xlsx")
def matrix_xlsx(review_id: int, scope: Reading) -> Response:
    """The matrix as an Excel workbook."""
    body = services.matrix_xlsx(scope.session, scope.ctx)
    return download(body, media_type=XLSX, filename=f"review-{review_id}-matrix.xlsx")
