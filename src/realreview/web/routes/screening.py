"""The screening page: one record at a time, criteria beside it, keyboard first, htmx partials."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.errors import ValidationError
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
    said: str = "",
) -> Response:
    """The screening page (or, for htmx, just the record panel); ``said`` confirms the last write."""
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
        said=said,
        with_filters=not is_htmx(request),
    )
    return render(request, "_record.html" if is_htmx(request) else "screen.html", page)


def _answer(
    request: Request,
    *,
    review_id: int,
    stage: Stage,
    filter: Filter,
    record: int | None,
    message: str,
    status: int = 200,
    said: str = "",
) -> Response:
    """The screening page (or its record panel, for htmx) after a write, with one line saying what happened.

    Without htmx a successful write redirects (so a reload does not post again), naming what to
    confirm in the address (``said=recorded:12``): the page rebuilds the line from the stored call.
    """
    email, db = signed_in(request), database(request)
    if not is_htmx(request) and status < 400:
        suffix = f"&record={record}" if record is not None else ""
        return RedirectResponse(
            f"/reviews/{review_id}/screen/{stage.value}?filter={filter.value}{suffix}&said={said}",
            status_code=303,
        )
    with db.unit_of_work() as session:
        ctx = services.review_context(session, review_id=review_id, email=email)
        page = services.screening_page(
            session,
            ctx,
            stage=stage,
            filter=filter,
            record=record,
            message=message,
            with_filters=not is_htmx(request),
        )
        template = "_record.html" if is_htmx(request) else "screen.html"
        response = render(request, template, replace(page, error=status >= 400))
    response.status_code = status
    return response


@router.post("/reviews/{review_id}/screen/{stage}/undo", dependencies=CSRF)
def undo_last(
    request: Request, review_id: int, stage: Stage, filter: Annotated[Filter, Form()] = Filter.UNDECIDED
) -> Response:
    """Undo my last decision at the stage, wherever I am, and show the record it reopened."""
    email, db = signed_in(request), database(request)
    try:
        with db.unit_of_work(write=True) as session:
            ctx = services.review_context(session, review_id=review_id, email=email)
            record_id, call = services.undo_last(session, ctx, stage=stage)
            message = services.undo_line(session, ctx, record_id=record_id, call=call)
    except ValidationError as error:
        return _answer(
            request,
            review_id=review_id,
            stage=stage,
            filter=filter,
            record=None,
            message=str(error),
            status=400,
        )
    return _answer(
        request,
        review_id=review_id,
        stage=stage,
        filter=filter,
        record=record_id,
        message=message,
        said=f"reopened:{record_id}",
    )


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
    """Record a decision (or an undo) and show the next record, with one line confirming it.

    Two units of work: the decision is stored and committed first, which releases SQLite's single
    write lock before the next record is read and rendered, so reviewers do not queue behind pages.
    A refused decision shows the record again with the reason, beside the buttons.
    """
    email, db = signed_in(request), database(request)
    try:
        with db.unit_of_work(write=True) as session:
            ctx = services.review_context(session, review_id=review_id, email=email)
            call = services.record_decision(
                session,
                ctx,
                record_id=record_id,
                stage=stage,
                event=event,
                reasons=[r for r in reasons or [] if r],
                tags=[t for t in tags or [] if t],
                note=note.strip() or None,
                source="web",
            )
            message = services.decision_line(session, ctx, record_id=record_id, event=event, call=call)
    except ValidationError as error:
        return _answer(
            request,
            review_id=review_id,
            stage=stage,
            filter=filter,
            record=record_id,
            message=str(error),
            status=400,
        )
    target = record_id if event is Event.UNDO else None
    return _answer(
        request,
        review_id=review_id,
        stage=stage,
        filter=filter,
        record=target,
        message=message,
        said=f"{'reopened' if event is Event.UNDO else 'recorded'}:{record_id}",
    )


@router.get("/reviews/{review_id}/records/{record_id}")
def record_detail(
    request: Request, review_id: int, record_id: int, scope: Reading, stage: Stage = Stage.TITLE_ABSTRACT
) -> Response:
    """Every field of one record, with the calls the user may see."""
    page = services.record_page(scope.session, scope.ctx, record_id=record_id, stage=stage)
    return render(request, "record.html", page)
