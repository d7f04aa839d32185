"""The screening page: one record at a time, criteria beside it, keyboard first, htmx partials."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from realreview import services
from realreview.screening import Event, Stage
from realreview.services import Role
from realreview.services.screening_views import Filter, first_undecided, progress, queue, record_view
from realreview.web.deps import db, is_htmx, render, require_csrf, signed_in, writing
from realreview.web.highlight import highlight

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[Session, Depends(db)]


def _screen_context(
    session: Session,
    *,
    review_id: int,
    stage: Stage,
    user: str,
    filter: Filter,
    tag: str | None,
    reason: str | None,
    q: str | None,
    record: int | None,
    reviewer: str | None = None,
) -> dict[str, object]:
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    setup = services.screening_setup(session, review_id=review_id)
    fast = (
        stage is Stage.TITLE_ABSTRACT
        and filter is Filter.UNDECIDED
        and not (tag or reason or q or record or reviewer)
    )
    if fast:
        # The screening loop: the next undecided records and the progress, without replaying events.
        ids, done = first_undecided(session, review_id=review_id, viewer=user)
        queue_size = done.total - done.decided
    else:
        ids = queue(
            session,
            review_id=review_id,
            stage=stage,
            viewer=user,
            filter=filter,
            tag=tag,
            reason=reason,
            text=q,
            reviewer=reviewer,
        )
        queue_size = len(ids)
        done = progress(session, review_id=review_id, stage=stage, viewer=user)
    current = record if record is not None else (ids[0] if ids else None)
    view = (
        record_view(session, review_id=review_id, record_id=current, stage=stage, viewer=user)
        if current is not None
        else None
    )
    position = ids.index(current) if current in ids else -1
    return {
        "review": services.get_review(session, review_id=review_id),
        "role": role,
        "can_decide": role is not Role.VIEWER,
        "setup": setup,
        "stage": stage,
        "filter": filter,
        "filters": list(Filter),
        "tag": tag or "",
        "reason": reason or "",
        "q": q or "",
        "reviewer": reviewer or "",
        "unblinded": not setup.blinded or role is Role.OWNER,
        "queue_size": queue_size,
        "previous": ids[position - 1] if position > 0 else None,
        "next": ids[position + 1] if 0 <= position < len(ids) - 1 else None,
        "view": view,
        "progress": done,
        "title_html": highlight(
            view.record.title if view else None, setup.include_words, setup.exclude_words
        ),
        "abstract_html": highlight(
            view.record.abstract if view else None, setup.include_words, setup.exclude_words
        ),
    }


@router.get("/reviews/{review_id}/screen/{stage}")
def screen(
    request: Request,
    review_id: int,
    stage: Stage,
    user: User,
    session: Db,
    filter: Filter = Filter.UNDECIDED,
    tag: str | None = None,
    reason: str | None = None,
    q: str | None = None,
    record: int | None = None,
    reviewer: str | None = None,
) -> Response:
    """The screening page (or, for htmx, just the record panel)."""
    context = _screen_context(
        session,
        review_id=review_id,
        stage=stage,
        user=user,
        filter=filter,
        tag=tag,
        reason=reason,
        q=q,
        record=record,
        reviewer=reviewer,
    )
    return render(request, "_record.html" if is_htmx(request) else "screen.html", context)


@router.post("/reviews/{review_id}/screen/{stage}/{record_id}", dependencies=[Depends(require_csrf)])
def decide(
    request: Request,
    review_id: int,
    stage: Stage,
    record_id: int,
    user: User,
    event: Annotated[Event, Form()],
    reasons: Annotated[list[str] | None, Form()] = None,
    tags: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form()] = "",
    filter: Annotated[Filter, Form()] = Filter.UNDECIDED,
) -> Response:
    """Record a decision (or an undo) and show the next record.

    Two transactions: the decision is stored and committed first, which releases SQLite's single
    write lock before the next record is read and rendered, so reviewers do not queue behind pages.
    """
    with writing(request) as session:
        services.record_decision(
            session,
            review_id=review_id,
            record_id=record_id,
            stage=stage,
            reviewer=user,
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
    with services.transaction(request.app.state.factory) as session:
        context = _screen_context(
            session,
            review_id=review_id,
            stage=stage,
            user=user,
            filter=filter,
            tag=None,
            reason=None,
            q=None,
            record=target,
        )
        return render(request, "_record.html", context)


@router.get("/reviews/{review_id}/records/{record_id}")
def record_detail(
    request: Request,
    review_id: int,
    record_id: int,
    user: User,
    session: Db,
    stage: Stage = Stage.TITLE_ABSTRACT,
) -> Response:
    """Every field of one record, with the calls the user may see."""
    view = record_view(session, review_id=review_id, record_id=record_id, stage=stage, viewer=user)
    review = services.get_review(session, review_id=review_id)
    return render(request, "record.html", {"review": review, "view": view, "stage": stage})
