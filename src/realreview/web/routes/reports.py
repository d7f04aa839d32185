"""The PRISMA page: the flow diagram of the review, its boxes, the sums that do not hold, entered counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.errors import NotFoundError, ValidationError
from realreview.reporting import BOX_LABELS
from realreview.web.deps import CSRF, Reading, Writing, download, render

router = APIRouter()

MEDIA = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


@router.get("/reviews/{review_id}/prisma")
def prisma_page(request: Request, scope: Reading) -> Response:
    """The flow diagram with its counts, what does not add up, and (for owners) the form to enter a count."""
    report = services.prisma_report(scope.session, scope.ctx)
    context = {
        "review": scope.ctx.review,
        "report": report,
        "counts": report.flow.counts(),
        "labels": BOX_LABELS,
        "can_enter": scope.ctx.can(services.Action.ENTER_COUNTS),
        "study_reports": services.study_reports(scope.session, scope.ctx),
        "can_mark": scope.ctx.can(services.Action.MARK_REPORTS),
    }
    return render(request, "prisma.html", context)


@router.get("/reviews/{review_id}/prisma.{fmt}")
def prisma_file(scope: Reading, fmt: str, download_it: str = "") -> Response:
    """The diagram (SVG shown inline unless ``?download_it=1``; PNG, PDF) or the PRISMA2020 package's CSV."""
    if fmt not in MEDIA:
        raise NotFoundError(f"no PRISMA format {fmt!r}: svg, png, pdf or csv")
    body = services.prisma_output(scope.session, scope.ctx, fmt=fmt)
    if fmt == "csv":
        return download(body, media_type=MEDIA[fmt], filename="PRISMA.csv")
    if fmt == "svg" and not download_it:
        return Response(body, media_type=MEDIA[fmt])
    return download(body, media_type=MEDIA[fmt], filename=f"prisma-flow.{fmt}")


@router.post("/reviews/{review_id}/prisma", dependencies=CSRF)
def enter_count(
    scope: Writing,
    box: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    clear: Annotated[str, Form()] = "",
) -> Response:
    """Enter a count from outside the tool, or go back to the counted one."""
    if clear:
        services.clear_prisma_count(scope.session, scope.ctx, box=box)
    else:
        services.enter_prisma_count(scope.session, scope.ctx, box=box, value=value, note=note)
    return RedirectResponse(f"/reviews/{scope.ctx.review_id}/prisma", status_code=303)


@router.post("/reviews/{review_id}/prisma/reports", dependencies=CSRF)
def mark_report(
    scope: Writing,
    record: Annotated[int, Form()],
    study: Annotated[int | None, Form()] = None,
    note: Annotated[str, Form()] = "",
    undo: Annotated[str, Form()] = "",
) -> Response:
    """Mark a record as another report of an included study, or take the mark back."""
    if undo:
        services.unmark_study_report(scope.session, scope.ctx, record_id=record)
    elif study is None:
        raise ValidationError("name the record of the study's main report")
    else:
        services.mark_study_report(
            scope.session, scope.ctx, record_id=record, study_record_id=study, note=note
        )
    return RedirectResponse(f"/reviews/{scope.ctx.review_id}/prisma#reports", status_code=303)
