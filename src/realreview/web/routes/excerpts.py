"""One excerpt: its text and codes, the memos on it, and each reviewer's relevance and rigour judgement.

The partials are the reading view's (``_doc_memos.html``, ``_doc_appraisals.html``), fed with this
excerpt's URLs, so a memo or an appraisal looks and works the same on a document and on an excerpt.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from realreview import services
from realreview.services import MemoTarget, Role
from realreview.web.deps import db, db_write, is_htmx, render, require_csrf, signed_in
from realreview.web.routes.coding import NEW_CODE_COLOR

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[Session, Depends(db)]
DbWrite = Annotated[Session, Depends(db_write)]
CSRF = [Depends(require_csrf)]
BASE = "/reviews/{review_id}/excerpts/{excerpt_id}"


def _context(session: Session, *, review_id: int, excerpt_id: int, user: str) -> dict[str, object]:
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    kind = MemoTarget.EXCERPT
    appraisals = services.appraisals_of(session, review_id=review_id, target_kind=kind, target_id=excerpt_id)
    url = BASE.format(review_id=review_id, excerpt_id=excerpt_id)
    codes = {code.id: code for code in services.codebook(session, review_id=review_id)}
    return {
        "review": services.get_review(session, review_id=review_id),
        "excerpt": services.get_excerpt(session, review_id=review_id, excerpt_id=excerpt_id),
        "codes_by_id": codes,
        "default_color": NEW_CODE_COLOR,
        "can_write": role is not Role.VIEWER,
        "memos": services.memos_of(session, review_id=review_id, target_kind=kind, target_id=excerpt_id),
        "memo_url": url + "/memos",
        "memo_box": f"memos-excerpt-{excerpt_id}",
        "appraisal_url": url + "/appraisals",
        "appraisals": appraisals,
        "mine": next((a for a in appraisals if a.reviewer == user), None),
        "judgements": list(services.Judgement),
    }


@router.get("/reviews/{review_id}/excerpts/{excerpt_id}")
def excerpt_page(request: Request, review_id: int, excerpt_id: int, user: User, session: Db) -> Response:
    """The excerpt with its memos and appraisals."""
    return render(
        request, "excerpt.html", _context(session, review_id=review_id, excerpt_id=excerpt_id, user=user)
    )


def _noted(
    request: Request, session: Session, *, review_id: int, excerpt_id: int, user: str, partial: str
) -> Response:
    if not is_htmx(request):
        return RedirectResponse(BASE.format(review_id=review_id, excerpt_id=excerpt_id), status_code=303)
    return render(request, partial, _context(session, review_id=review_id, excerpt_id=excerpt_id, user=user))


@router.post("/reviews/{review_id}/excerpts/{excerpt_id}/memos", dependencies=CSRF)
def add_memo(
    request: Request,
    review_id: int,
    excerpt_id: int,
    user: User,
    session: DbWrite,
    text: Annotated[str, Form()],
    title: Annotated[str, Form()] = "",
) -> Response:
    """Write a memo on the excerpt (why it matters, what it says about a mechanism)."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.add_memo(
        session,
        review_id=review_id,
        target_kind=MemoTarget.EXCERPT,
        target_id=excerpt_id,
        text=text,
        actor=user,
        title=title or None,
    )
    return _noted(
        request, session, review_id=review_id, excerpt_id=excerpt_id, user=user, partial="_doc_memos.html"
    )


@router.post("/reviews/{review_id}/excerpts/{excerpt_id}/memos/{memo_id}", dependencies=CSRF)
def edit_memo(
    request: Request,
    review_id: int,
    excerpt_id: int,
    memo_id: int,
    user: User,
    session: DbWrite,
    text: Annotated[str, Form()],
) -> Response:
    """Reword a memo on the excerpt (the earlier wording is kept)."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.edit_memo(session, review_id=review_id, memo_id=memo_id, text=text, actor=user)
    return _noted(
        request, session, review_id=review_id, excerpt_id=excerpt_id, user=user, partial="_doc_memos.html"
    )


@router.post("/reviews/{review_id}/excerpts/{excerpt_id}/appraisals", dependencies=CSRF)
def appraise(
    request: Request,
    review_id: int,
    excerpt_id: int,
    user: User,
    session: DbWrite,
    relevance: Annotated[str, Form()] = "",
    rigour: Annotated[str, Form()] = "",
    relevance_rationale: Annotated[str, Form()] = "",
    rigour_rationale: Annotated[str, Form()] = "",
) -> Response:
    """Record the signed-in reviewer's relevance and rigour judgement of the excerpt."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.appraise(
        session,
        review_id=review_id,
        target_kind=MemoTarget.EXCERPT,
        target_id=excerpt_id,
        reviewer=user,
        relevance=relevance or None,
        rigour=rigour or None,
        relevance_rationale=relevance_rationale or None,
        rigour_rationale=rigour_rationale or None,
    )
    return _noted(
        request,
        session,
        review_id=review_id,
        excerpt_id=excerpt_id,
        user=user,
        partial="_doc_appraisals.html",
    )
