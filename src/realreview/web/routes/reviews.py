"""The reviews a user belongs to, a review's overview, setup, agreement, conflicts and exports."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from realreview import services
from realreview.screening import MaybeRule, Stage, Verdict
from realreview.services import Role
from realreview.services.screening_views import progress, record_view
from realreview.web.deps import db, db_write, render, require_csrf, signed_in

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[Session, Depends(db)]
DbWrite = Annotated[Session, Depends(db_write)]


@router.get("/")
def home(request: Request, user: User, session: Db) -> Response:
    """The reviews the user is a member of."""
    return render(request, "reviews.html", {"reviews": services.reviews_of(session, email=user)})


@router.get("/reviews/{review_id}")
def overview(request: Request, review_id: int, user: User, session: Db) -> Response:
    """A review: question, criteria, the user's progress per stage, links to screen."""
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    review = services.get_review(session, review_id=review_id)
    setup = services.screening_setup(session, review_id=review_id)
    stages = [(stage, progress(session, review_id=review_id, stage=stage, viewer=user)) for stage in Stage]
    context = {"review": review, "role": role, "setup": setup, "stages": stages}
    return render(request, "overview.html", context)


@router.get("/reviews/{review_id}/setup")
def setup_page(request: Request, review_id: int, user: User, session: Db) -> Response:
    """The owner's setup form: question, criteria, reasons, tag vocabularies, highlights, blinding, dual sample."""
    services.require_role(session, review_id=review_id, email=user, role=Role.OWNER)
    review = services.get_review(session, review_id=review_id)
    setup = services.screening_setup(session, review_id=review_id)
    return render(request, "setup.html", {"review": review, "setup": setup, "saved": False})


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@router.post("/reviews/{review_id}/setup", dependencies=[Depends(require_csrf)])
def save_setup(
    request: Request,
    review_id: int,
    user: User,
    session: DbWrite,
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
    maybe_rule: Annotated[str, Form()] = "as_include",
    question: Annotated[str | None, Form()] = None,
) -> Response:
    """Save the setup (owner only)."""
    setup = services.configure_screening(
        session,
        review_id=review_id,
        owner=user,
        inclusion=_lines(inclusion),
        exclusion=_lines(exclusion),
        exclusion_reasons=_lines(exclusion_reasons),
        tags={"PROGRESS-Plus": _lines(progress_plus), "Equity approach": _lines(equity)},
        include_words=_lines(include_words),
        exclude_words=_lines(exclude_words),
        blinded=blinded,
        dual_fraction=dual_fraction,
        dual_seed=dual_seed,
        maybe_rule=MaybeRule(maybe_rule),
    )
    review = services.get_review(session, review_id=review_id)
    if question is not None:
        review = services.set_question(session, review_id=review_id, question=question, actor=user)
    return render(request, "setup.html", {"review": review, "setup": setup, "saved": True})


@router.get("/reviews/{review_id}/agreement")
def agreement_page(
    request: Request, review_id: int, user: User, session: Db, stage: Stage = Stage.TITLE_ABSTRACT
) -> Response:
    """Agreement per pair of reviewers (owners only while blinding is on)."""
    report = services.agreement_report(session, review_id=review_id, stage=stage, viewer=user)
    review = services.get_review(session, review_id=review_id)
    return render(request, "agreement.html", {"review": review, "stage": stage, "report": report})


@router.get("/reviews/{review_id}/conflicts")
def conflicts_page(
    request: Request, review_id: int, user: User, session: Db, stage: Stage = Stage.TITLE_ABSTRACT
) -> Response:
    """Records the reviewers disagree on, for the owner to resolve."""
    services.require_role(session, review_id=review_id, email=user, role=Role.OWNER)
    review = services.get_review(session, review_id=review_id)
    ids = services.conflicts(session, review_id=review_id, stage=stage)
    views = [record_view(session, review_id=review_id, record_id=i, stage=stage, viewer=user) for i in ids]
    return render(request, "conflicts.html", {"review": review, "stage": stage, "views": views})


@router.post("/reviews/{review_id}/conflicts/{record_id}", dependencies=[Depends(require_csrf)])
def resolve(
    request: Request,
    review_id: int,
    record_id: int,
    user: User,
    session: DbWrite,
    verdict: Annotated[Verdict, Form()],
    stage: Annotated[Stage, Form()] = Stage.TITLE_ABSTRACT,
    note: Annotated[str, Form()] = "",
) -> Response:
    """Resolve one conflict with a final decision and a note (owner only)."""
    services.resolve_conflict(
        session,
        review_id=review_id,
        record_id=record_id,
        stage=stage,
        owner=user,
        verdict=verdict,
        note=note or None,
    )
    return RedirectResponse(f"/reviews/{review_id}/conflicts?stage={stage.value}", status_code=303)


@router.get("/reviews/{review_id}/decisions.csv")
def decisions_csv(review_id: int, user: User, session: Db) -> Response:
    """The decision events as CSV: all of them for an owner or when unblinded, else the user's own."""
    rows = services.export_decisions(session, review_id=review_id, viewer=user)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=services.EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    headers = {"Content-Disposition": f'attachment; filename="review-{review_id}-decisions.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
