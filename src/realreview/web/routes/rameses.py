"""The RAMESES page: the 19 items, what the review's data provide, and where the paper reports each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.errors import ValidationError
from realreview.reporting import RAMESES_SOURCES
from realreview.web.deps import CSRF, Reading, Writing, download, render

router = APIRouter()

MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: The page that shows each source of the data, and what it takes to open it (the search log has no
#: page: ``realreview searches`` prints it).
PAGES = {
    "setup": ("setup", services.Action.EDIT_SETUP),
    "prisma": ("prisma", services.Action.VIEW_REPORTS),
    "documents": ("documents", services.Action.READ_FULL_TEXTS),
    "codes": ("codes", services.Action.READ_FULL_TEXTS),
    "characteristics": ("characteristics", services.Action.VIEW_CHARACTERISTICS),
    "summary": ("summary", services.Action.VIEW_CHARACTERISTICS),
    "synthesis": ("synthesis", services.Action.VIEW_SYNTHESIS),
    "theory": ("theory", services.Action.VIEW_SYNTHESIS),
}


def _links(ctx: services.ReviewContext) -> dict[str, tuple[str, str]]:
    """Source key -> (href, what it shows), for the pages this member may open."""
    return {
        key: (f"/reviews/{ctx.review_id}/{path}", RAMESES_SOURCES[key])
        for key, (path, action) in PAGES.items()
        if ctx.can(action)
    }


@router.get("/reviews/{review_id}/rameses")
def rameses_page(request: Request, scope: Reading) -> Response:
    """The checklist with links to the data behind each item and (for owners) the form per item."""
    checklist = services.rameses_checklist(scope.session, scope.ctx)
    context = {
        "review": scope.ctx.review,
        "lines": checklist.lines,
        "links": _links(scope.ctx),
        "sources": RAMESES_SOURCES,
        "can_enter": scope.ctx.can(services.Action.ENTER_CHECKLIST),
    }
    return render(request, "rameses.html", context)


@router.get("/reviews/{review_id}/rameses.{fmt}")
def rameses_file(scope: Reading, fmt: str) -> Response:
    """The checklist as Markdown or as a Word document (another format: 400, from the service)."""
    body = services.rameses_output(scope.session, scope.ctx, fmt=fmt)
    return download(body, media_type=MEDIA[fmt], filename=f"RAMESES-checklist.{fmt}")


@router.post("/reviews/{review_id}/rameses", dependencies=CSRF)
def enter_item(
    scope: Writing,
    item: Annotated[str, Form()],
    location: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    clear: Annotated[str, Form()] = "",
) -> Response:
    """Record where the paper reports an item, or remove the entry."""
    if not item.strip().isdigit():
        raise ValidationError(f"RAMESES item {item!r} is not a number")
    if clear:
        services.clear_checklist_item(scope.session, scope.ctx, item=int(item))
    else:
        services.enter_checklist_item(scope.session, scope.ctx, item=int(item), location=location, note=note)
    return RedirectResponse(f"/reviews/{scope.ctx.review_id}/rameses#item-{item.strip()}", status_code=303)
