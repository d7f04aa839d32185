"""Memos on the review, a document, a code or an excerpt, and appraisals: one set of handlers for all.

The URLs are the target's own (``/reviews/1/documents/5/memos``, ``/reviews/1/codes/3/memos``,
``/reviews/1/excerpts/8/appraisals``); the pages include ``_doc_memos.html`` and
``_doc_appraisals.html`` with the service's :class:`~realreview.services.NotesPanel`, and these
handlers answer htmx with the same partials (and a form post without htmx with a redirect back to the
page). The review's own memos have their page at ``/reviews/1/memos`` and share the handlers' work.
Each handler passes the URL's target to the service, which refuses a memo or an appraisal of
another target as not found; who may reword or remove what is the services' business.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.services import MemoTarget
from realreview.web.deps import CSRF, Reading, Scope, Writing, is_htmx, render

__all__ = ["NoteTarget", "router"]

router = APIRouter()


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


def _noted(request: Request, scope: Scope, *, target: NoteTarget, target_id: int, partial: str) -> Response:
    """After a memo or an appraisal: the partial for htmx, else back to the target's page."""
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{scope.ctx.review_id}/{target.value}/{target_id}", status_code=303)
    panel = services.notes_panel(scope.session, scope.ctx, target=target.kind, target_id=target_id)
    return render(request, partial, panel)


def _on_review(request: Request, scope: Scope) -> Response:
    """After a memo on the review itself: the panel for htmx, else back to the review's memo page."""
    review_id = scope.ctx.review_id
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{review_id}/memos", status_code=303)
    panel = services.notes_panel(scope.session, scope.ctx, target=MemoTarget.REVIEW, target_id=review_id)
    return render(request, "_doc_memos.html", panel)


def _write(scope: Scope, kind: MemoTarget, target_id: int, *, text: str, title: str) -> None:
    services.add_memo(
        scope.session, scope.ctx, target_kind=kind, target_id=target_id, text=text, title=title or None
    )


def _reword(scope: Scope, kind: MemoTarget, target_id: int, *, memo_id: int, text: str) -> None:
    services.edit_memo(
        scope.session, scope.ctx, memo_id=memo_id, text=text, target_kind=kind, target_id=target_id
    )


def _remove(scope: Scope, kind: MemoTarget, target_id: int, *, memo_id: int, reason: str) -> None:
    services.remove_memo(
        scope.session,
        scope.ctx,
        memo_id=memo_id,
        reason=reason or None,
        target_kind=kind,
        target_id=target_id,
    )


def _versions(request: Request, scope: Scope, kind: MemoTarget, target_id: int, *, memo_id: int) -> Response:
    page = services.memo_versions_page(
        scope.session, scope.ctx, target=kind, target_id=target_id, memo_id=memo_id
    )
    return render(request, "_doc_memo_versions.html" if is_htmx(request) else "memo.html", page)


@router.get("/reviews/{review_id}/memos")
def review_memos(request: Request, review_id: int, scope: Reading) -> Response:
    """Memos about the review as a whole (the team's thinking that belongs to no one document)."""
    panel = services.notes_panel(scope.session, scope.ctx, target=MemoTarget.REVIEW, target_id=review_id)
    return render(request, "review_memos.html", panel)


@router.post("/reviews/{review_id}/memos", dependencies=CSRF)
def add_review_memo(
    request: Request,
    review_id: int,
    scope: Writing,
    text: Annotated[str, Form()],
    title: Annotated[str, Form()] = "",
) -> Response:
    """Write a memo about the review."""
    _write(scope, MemoTarget.REVIEW, review_id, text=text, title=title)
    return _on_review(request, scope)


@router.post("/reviews/{review_id}/memos/{memo_id}", dependencies=CSRF)
def edit_review_memo(
    request: Request, review_id: int, memo_id: int, scope: Writing, text: Annotated[str, Form()]
) -> Response:
    """Reword one's own review memo (the earlier wording is kept)."""
    _reword(scope, MemoTarget.REVIEW, review_id, memo_id=memo_id, text=text)
    return _on_review(request, scope)


@router.post("/reviews/{review_id}/memos/{memo_id}/remove", dependencies=CSRF)
def remove_review_memo(
    request: Request, review_id: int, memo_id: int, scope: Writing, reason: Annotated[str, Form()] = ""
) -> Response:
    """Remove a review memo (one's own; an owner any, with a reason); its wordings are kept."""
    _remove(scope, MemoTarget.REVIEW, review_id, memo_id=memo_id, reason=reason)
    return _on_review(request, scope)


@router.get("/reviews/{review_id}/memos/{memo_id}/versions")
def review_memo_versions(request: Request, review_id: int, memo_id: int, scope: Reading) -> Response:
    """Every wording of a review memo (for htmx, just the list)."""
    return _versions(request, scope, MemoTarget.REVIEW, review_id, memo_id=memo_id)


@router.post("/reviews/{review_id}/{target}/{target_id}/memos", dependencies=CSRF)
def add_memo(
    request: Request,
    target: NoteTarget,
    target_id: int,
    scope: Writing,
    text: Annotated[str, Form()],
    title: Annotated[str, Form()] = "",
) -> Response:
    """Write a memo on the document, code or excerpt."""
    _write(scope, target.kind, target_id, text=text, title=title)
    return _noted(request, scope, target=target, target_id=target_id, partial="_doc_memos.html")


@router.post("/reviews/{review_id}/{target}/{target_id}/memos/{memo_id}", dependencies=CSRF)
def edit_memo(
    request: Request,
    target: NoteTarget,
    target_id: int,
    memo_id: int,
    scope: Writing,
    text: Annotated[str, Form()],
) -> Response:
    """Reword one's own memo (the earlier wording is kept)."""
    _reword(scope, target.kind, target_id, memo_id=memo_id, text=text)
    return _noted(request, scope, target=target, target_id=target_id, partial="_doc_memos.html")


@router.post("/reviews/{review_id}/{target}/{target_id}/memos/{memo_id}/remove", dependencies=CSRF)
def remove_memo(
    request: Request,
    target: NoteTarget,
    target_id: int,
    memo_id: int,
    scope: Writing,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Remove a memo (one's own; an owner any, with a reason): it is marked, and its wordings kept."""
    _remove(scope, target.kind, target_id, memo_id=memo_id, reason=reason)
    return _noted(request, scope, target=target, target_id=target_id, partial="_doc_memos.html")


@router.get("/reviews/{review_id}/{target}/{target_id}/memos/{memo_id}/versions")
def memo_versions(
    request: Request, target: NoteTarget, target_id: int, memo_id: int, scope: Reading
) -> Response:
    """Every wording of a memo with its author and time (for htmx, just the list)."""
    return _versions(request, scope, target.kind, target_id, memo_id=memo_id)


@router.post("/reviews/{review_id}/{target}/{target_id}/appraisals", dependencies=CSRF)
def appraise(
    request: Request,
    target: NoteTarget,
    target_id: int,
    scope: Writing,
    relevance: Annotated[str, Form()] = "",
    rigour: Annotated[str, Form()] = "",
    relevance_rationale: Annotated[str, Form()] = "",
    rigour_rationale: Annotated[str, Form()] = "",
) -> Response:
    """Record the signed-in reviewer's relevance and rigour judgement of a document or an excerpt."""
    services.appraise(
        scope.session,
        scope.ctx,
        target_kind=target.kind,
        target_id=target_id,
        relevance=relevance or None,
        rigour=rigour or None,
        relevance_rationale=relevance_rationale or None,
        rigour_rationale=rigour_rationale or None,
    )
    return _noted(request, scope, target=target, target_id=target_id, partial="_doc_appraisals.html")


@router.post("/reviews/{review_id}/{target}/{target_id}/appraisals/{appraisal_id}/remove", dependencies=CSRF)
def remove_appraisal(
    request: Request,
    target: NoteTarget,
    target_id: int,
    appraisal_id: int,
    scope: Writing,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Remove an appraisal (one's own; an owner any, with a reason); the judgements stay in the history."""
    services.remove_appraisal(
        scope.session,
        scope.ctx,
        appraisal_id=appraisal_id,
        reason=reason or None,
        target_kind=target.kind,
        target_id=target_id,
    )
    return _noted(request, scope, target=target, target_id=target_id, partial="_doc_appraisals.html")
