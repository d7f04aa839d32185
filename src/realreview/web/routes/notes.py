"""Memos and appraisals on a document, a code or an excerpt: one set of handlers for all three.

The URLs are the target's own (``/reviews/1/documents/5/memos``, ``/reviews/1/codes/3/memos``,
``/reviews/1/excerpts/8/appraisals``); the pages include ``_doc_memos.html`` and
``_doc_appraisals.html`` with :func:`notes_context`, and these handlers answer htmx with the same
partials (and a form post without htmx with a redirect back to the page).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from realreview import services
from realreview.errors import ValidationError
from realreview.services import MemoTarget, Role
from realreview.web.deps import db_write, is_htmx, render, require_csrf, signed_in

__all__ = ["NoteTarget", "notes_context", "router"]

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
DbWrite = Annotated[Session, Depends(db_write)]
CSRF = [Depends(require_csrf)]


class NoteTarget(StrEnum):
    """The part of the URL that names what a memo or an appraisal is about."""

    DOCUMENTS = "documents"
    CODES = "codes"
    EXCERPTS = "excerpts"

    @property
    def kind(self) -> MemoTarget:
        """The memo target this URL part stands for."""
        return {"documents": MemoTarget.DOCUMENT, "codes": MemoTarget.CODE, "excerpts": MemoTarget.EXCERPT}[
            self.value
        ]


def notes_context(
    session: Session, *, review_id: int, target: NoteTarget, target_id: int, user: str
) -> dict[str, object]:
    """What ``_doc_memos.html`` and ``_doc_appraisals.html`` show for one target."""
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    kind = target.kind
    url = f"/reviews/{review_id}/{target.value}/{target_id}"
    context: dict[str, object] = {
        "review": services.get_review(session, review_id=review_id),
        "can_write": role is not Role.VIEWER,
        "memos": services.memos_of(session, review_id=review_id, target_kind=kind, target_id=target_id),
        "memo_url": url + "/memos",
        "memo_box": f"memos-{kind.value}-{target_id}",
    }
    if target is not NoteTarget.CODES:  # codes are not appraised
        appraisals = services.appraisals_of(
            session, review_id=review_id, target_kind=kind, target_id=target_id
        )
        context |= {
            "appraisal_url": url + "/appraisals",
            "appraisals": appraisals,
            "mine": next((a for a in appraisals if a.reviewer == user), None),
            "judgements": list(services.Judgement),
        }
    return context


def _noted(
    request: Request,
    session: Session,
    *,
    review_id: int,
    target: NoteTarget,
    target_id: int,
    user: str,
    partial: str,
) -> Response:
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{review_id}/{target.value}/{target_id}", status_code=303)
    context = notes_context(session, review_id=review_id, target=target, target_id=target_id, user=user)
    return render(request, partial, context)


@router.post("/reviews/{review_id}/{target}/{target_id}/memos", dependencies=CSRF)
def add_memo(
    request: Request,
    review_id: int,
    target: NoteTarget,
    target_id: int,
    user: User,
    session: DbWrite,
    text: Annotated[str, Form()],
    title: Annotated[str, Form()] = "",
) -> Response:
    """Write a memo on the document, code or excerpt."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.add_memo(
        session,
        review_id=review_id,
        target_kind=target.kind,
        target_id=target_id,
        text=text,
        actor=user,
        title=title or None,
    )
    return _noted(
        request,
        session,
        review_id=review_id,
        target=target,
        target_id=target_id,
        user=user,
        partial="_doc_memos.html",
    )


@router.post("/reviews/{review_id}/{target}/{target_id}/memos/{memo_id}", dependencies=CSRF)
def edit_memo(
    request: Request,
    review_id: int,
    target: NoteTarget,
    target_id: int,
    memo_id: int,
    user: User,
    session: DbWrite,
    text: Annotated[str, Form()],
) -> Response:
    """Reword a memo (the earlier wording is kept)."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.edit_memo(session, review_id=review_id, memo_id=memo_id, text=text, actor=user)
    return _noted(
        request,
        session,
        review_id=review_id,
        target=target,
        target_id=target_id,
        user=user,
        partial="_doc_memos.html",
    )


@router.post("/reviews/{review_id}/{target}/{target_id}/appraisals", dependencies=CSRF)
def appraise(
    request: Request,
    review_id: int,
    target: NoteTarget,
    target_id: int,
    user: User,
    session: DbWrite,
    relevance: Annotated[str, Form()] = "",
    rigour: Annotated[str, Form()] = "",
    relevance_rationale: Annotated[str, Form()] = "",
    rigour_rationale: Annotated[str, Form()] = "",
) -> Response:
    """Record the signed-in reviewer's relevance and rigour judgement of a document or an excerpt."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    if target is NoteTarget.CODES:
        raise ValidationError("a code is not appraised; appraise a document or an excerpt")
    services.appraise(
        session,
        review_id=review_id,
        target_kind=target.kind,
        target_id=target_id,
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
        target=target,
        target_id=target_id,
        user=user,
        partial="_doc_appraisals.html",
    )
