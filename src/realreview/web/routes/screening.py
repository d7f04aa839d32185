"""The screening page: one record at a time, criteria beside it, keyboard first, htmx partials."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.screening import Event, Stage
from realreview.services import Filter
from realreview.web.deps import CSRF, Reading, database, is_htmx, render, signed_in

router = APIRouter()


@router.get("/reviews/{review_id}/screen/{stage}")
def screen(
    request: Request,
    review_id: int,
    stage: Stage,
    scope: Reading,
    filter: Filter = Filter.UNDECIDED,
    tag: str | None = None,
    reason: str | None = None,
    q: str | None = None,
    record: int | None = None,
    reviewer: str | None = None,
) -> Response:
    """The screening page (or, for htmx, just the record panel)."""
    page = services.screening_page(
        scope.session,
        scope.ctx,
        stage=stage,
        filter=filter,
        tag=tag,
        reason=reason,
        q=q,
        record=record,
        reviewer=reviewer,
    )
    return render(request, "_record.html" if is_htmx(request) else "screen.html", page)


@router.post("/reviews/{review_id}/screen/{stage}/{record_id}", dependencies=CSRF)
def decide(
    request: Request,
    review_id: int,
    stage: Stage,
    record_id: int,
    event: Annotated[Event, Form()],
    reasons: Annotated[list[str] | None, Form()] = None,
    tags: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form()] = "",
    filter: Annotated[Filter, Form()] = Filter.UNDECIDED,
) -> Response:
    """Record a decision (or an undo) and show the next record.

    Two units of work: the decision is stored and committed first, which releases SQLite's single
    write lock before the next record is read and rendered, so reviewers do not queue behind pages.
    """
    email, db = signed_in(request), database(request)
    with db.unit_of_work(write=True) as session:
        services.record_decision(
            session,
            services.review_context(session, review_id=review_id, email=email),
            record_id=record_id,
            stage=stage,
            event=event,
            reasons=[r for r in reasons or [] if r],
            tags=[t for t in tags or [] if t],
            note=note.strip() or None,
            source="web",
        )
    target = record_id if event is Event.UNDO else None
    if not is_htmx(request):
        suffix = f"&record={target}" if target is not None else ""
        return RedirectResponse(
            f"/reviews/{review_id}/screen/{stage.value}?filter={filter.value}{suffix}", status_code=303
        )
    with db.unit_of_work() as session:
        ctx = services.review_context(session, review_id=review_id, email=email)
        page = services.screening_page(session, ctx, stage=stage, filter=filter, record=target)
        return render(request, "_record.html", page)


@router.get("/reviews/{review_id}/records/{record_id}")
def record_detail(
    request: Request, review_id: int, record_id: int, scope: Reading, stage: Stage = Stage.TITLE_ABSTRACT
) -> Response:
    """Every field of one record, with the calls the user may see."""
    page = services.record_page(scope.session, scope.ctx, record_id=record_id, stage=stage)
    return render(request, "record.html", page)
