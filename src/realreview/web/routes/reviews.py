"""The reviews a user belongs to, a review's overview, setup, agreement, conflicts and exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.screening import Allocation, MaybeRule, Stage, Verdict
from realreview.web.deps import CSRF, Reading, Writing, download, render, signed_in, unit_of_work

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[services.Session, Depends(unit_of_work, scope="function")]


@router.get("/")
def home(request: Request, user: User, session: Db) -> Response:
    """The reviews the user is a member of."""
    return render(request, "reviews.html", {"reviews": services.reviews_of(session, email=user)})


@router.get("/reviews/{review_id}")
def overview(request: Request, review_id: int, scope: Reading) -> Response:
    """A review: question, criteria, the user's progress per stage, links to screen."""
    return render(request, "overview.html", services.overview_page(scope.session, scope.ctx))


@router.get("/reviews/{review_id}/setup")
def setup_page(request: Request, review_id: int, scope: Reading) -> Response:
    """The owner's setup form: question, criteria, reasons, tag vocabularies, highlights, blinding, dual sample."""
    return render(request, "setup.html", services.setup_page(scope.session, scope.ctx))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@router.post("/reviews/{review_id}/setup", dependencies=CSRF)
def save_setup(
    request: Request,
    review_id: int,
    scope: Writing,
    inclusion: Annotated[str, Form()] = "",
    exclusion: Annotated[str, Form()] = "",
    exclusion_reasons: Annotated[str, Form()] = "",
    progress_plus: Annotated[str, Form()] = "",
    equity: Annotated[str, Form()] = "",
    include_words: Annotated[str, Form()] = "",
    exclude_words: Annotated[str, Form()] = "",
    blinded: Annotated[bool, Form()] = False,
    dual_fraction: Annotated[float, Form()] = 0.0,
    dual_seed: Annotated[int, Form()] = 0,
    maybe_rule: Annotated[str, Form()] = MaybeRule.AS_INCLUDE.value,
    allocation: Annotated[str, Form()] = Allocation.SHARED.value,
    lead_reviewer: Annotated[str, Form()] = "",
    confirm: Annotated[bool, Form()] = False,
    question: Annotated[str | None, Form()] = None,
) -> Response:
    """Save the setup (owner only); a change that moves records in or out of the sample asks to confirm."""
    page = services.save_setup(
        scope.session,
        scope.ctx,
        question=question,
        confirm=confirm,
        allocation=allocation,
        lead_reviewer=lead_reviewer or None,
        inclusion=_lines(inclusion),
        exclusion=_lines(exclusion),
        exclusion_reasons=_lines(exclusion_reasons),
        tags={"PROGRESS-Plus": _lines(progress_plus), "Equity approach": _lines(equity)},
        include_words=_lines(include_words),
        exclude_words=_lines(exclude_words),
        blinded=blinded,
        dual_fraction=dual_fraction,
        dual_seed=dual_seed,
        maybe_rule=maybe_rule,
    )
    return render(request, "setup.html", page)


@router.get("/reviews/{review_id}/agreement")
def agreement_page(
    request: Request, review_id: int, scope: Reading, stage: Stage = Stage.TITLE_ABSTRACT
) -> Response:
    """Agreement per pair of reviewers (owners only while blinding is on)."""
    return render(request, "agreement.html", services.agreement_page(scope.session, scope.ctx, stage=stage))


@router.get("/reviews/{review_id}/conflicts")
def conflicts_page(
    request: Request, review_id: int, scope: Reading, stage: Stage = Stage.TITLE_ABSTRACT
) -> Response:
    """Records the reviewers disagree on, for the owner to resolve."""
    return render(request, "conflicts.html", services.conflicts_page(scope.session, scope.ctx, stage=stage))


@router.post("/reviews/{review_id}/conflicts/{record_id}", dependencies=CSRF)
def resolve(
    review_id: int,
    record_id: int,
    scope: Writing,
    verdict: Annotated[Verdict, Form()],
    stage: Annotated[Stage, Form()] = Stage.TITLE_ABSTRACT,
    note: Annotated[str, Form()] = "",
) -> Response:
    """Resolve one conflict with a final decision and a note (owner only)."""
    services.resolve_conflict(
        scope.session, scope.ctx, record_id=record_id, stage=stage, verdict=verdict, note=note or None
    )
    return RedirectResponse(f"/reviews/{review_id}/conflicts?stage={stage.value}", status_code=303)


@router.post("/reviews/{review_id}/conflicts/{record_id}/reopen", dependencies=CSRF)
def reopen(
    review_id: int,
    record_id: int,
    scope: Writing,
    stage: Annotated[Stage, Form()] = Stage.TITLE_ABSTRACT,
    note: Annotated[str, Form()] = "",
) -> Response:
    """Reopen a resolved conflict (owner only); the resolution stays in the trail."""
    services.reopen_conflict(scope.session, scope.ctx, record_id=record_id, stage=stage, note=note or None)
    return RedirectResponse(f"/reviews/{review_id}/conflicts?stage={stage.value}", status_code=303)


@router.get("/reviews/{review_id}/decisions.csv")
def decisions_csv(review_id: int, scope: Reading) -> Response:
    """The decision events as CSV: all of them for an owner or when unblinded, else the user's own."""
    rows = services.export_decisions(scope.session, scope.ctx)
    return download(
        services.decisions_csv(rows),
        media_type="text/csv; charset=utf-8",
        filename=f"review-{review_id}-decisions.csv",
    )
