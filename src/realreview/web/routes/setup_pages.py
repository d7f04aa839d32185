"""The owner's setup in the browser (issue #14): a new review, its details, the search log, the form editor.

Members and invitation links are in :mod:`realreview.web.routes.members`; the screening setup
(criteria, reasons, tags, blinding) stays on ``/reviews/{id}/setup``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.errors import ValidationError
from realreview.web.deps import CSRF, Reading, Writing, render, signed_in, write_unit

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
WriteDb = Annotated[services.Session, Depends(write_unit, scope="function")]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@router.get("/reviews/new")
def new_review(request: Request, user: User) -> Response:
    """The form for a new review: title, question, protocol registration, criteria."""
    return render(request, "review_new.html", {})


@router.post("/reviews/new", dependencies=CSRF)
def create_review(
    user: User,
    session: WriteDb,
    title: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    protocol: Annotated[str, Form()] = "",
    inclusion: Annotated[str, Form()] = "",
    exclusion: Annotated[str, Form()] = "",
) -> Response:
    """Create the review with the signed-in user as its owner, and open it."""
    review = services.start_review(
        session,
        title=title,
        actor=user,
        question=question,
        protocol=protocol,
        inclusion=_lines(inclusion),
        exclusion=_lines(exclusion),
    )
    return RedirectResponse(f"/reviews/{review.id}", status_code=303)


@router.get("/reviews/{review_id}/searches")
def searches(request: Request, review_id: int, scope: Reading) -> Response:
    """The search log: reported hits, imported records and the difference, per search."""
    return render(request, "searches.html", services.searches_page(scope.session, scope.ctx))


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise ValidationError(f"the search date {text!r} is not a date like 2025-03-04") from None


def _hits(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValidationError(f"hits {text!r}: a whole number, zero or more")
    return int(text)


@router.post("/reviews/{review_id}/searches", dependencies=CSRF)
def log_search(
    review_id: int,
    scope: Writing,
    database: Annotated[str, Form()],
    platform: Annotated[str, Form()] = "",
    date_run: Annotated[str, Form()] = "",
    query: Annotated[str, Form()] = "",
    reported_hits: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
) -> Response:
    """Log one search (the owner's); its records are imported afterwards."""
    services.add_search(
        scope.session,
        scope.ctx,
        database=database,
        platform=platform or None,
        date_run=_date(date_run),
        query=query or None,
        reported_hits=_hits(reported_hits),
        kind=kind or None,
    )
    return RedirectResponse(f"/reviews/{review_id}/searches", status_code=303)


@router.get("/reviews/{review_id}/form")
def form_editor(request: Request, review_id: int, scope: Reading) -> Response:
    """The extraction form's fields as rows to edit, add, remove and reorder."""
    return render(request, "form_editor.html", services.form_editor_page(scope.session, scope.ctx))


def _position(text: str, default: int) -> float:
    try:
        return float(text)
    except ValueError:
        return float(default)


@router.post("/reviews/{review_id}/form", dependencies=CSRF)
def save_form(
    request: Request,
    review_id: int,
    scope: Writing,
    key: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies a default
    label: Annotated[list[str], Form()] = [],  # noqa: B006
    kind: Annotated[list[str], Form()] = [],  # noqa: B006
    choices: Annotated[list[str], Form()] = [],  # noqa: B006
    help: Annotated[list[str], Form()] = [],  # noqa: B006
    position: Annotated[list[str], Form()] = [],  # noqa: B006
    required: Annotated[list[str], Form()] = [],  # noqa: B006 - the checked rows' numbers
    remove: Annotated[list[str], Form()] = [],  # noqa: B006 - the checked rows' numbers
) -> Response:
    """Save the rows through the form's rules; on a problem nothing is saved and the rows come back."""

    def cell(values: list[str], n: int) -> str:
        return values[n] if n < len(values) else ""

    rows = [
        services.FormRow(
            key=cell(key, n),
            label=cell(label, n),
            kind=cell(kind, n) or "text",
            choices=cell(choices, n),
            help=cell(help, n),
            required=str(n) in required,
            position=_position(cell(position, n), n + 1),
            remove=str(n) in remove,
        )
        for n in range(len(key))
    ]
    page = services.save_form_editor(scope.session, scope.ctx, rows=rows)
    return render(request, "form_editor.html", page, status_code=400 if page.error else 200)


@router.post("/reviews/{review_id}/details", dependencies=CSRF)
def save_details(
    review_id: int,
    scope: Writing,
    title: Annotated[str, Form()],
    protocol: Annotated[str, Form()] = "",
    funding: Annotated[str, Form()] = "",
) -> Response:
    """The review's title, protocol registration and funding (``realreview review set`` in the browser)."""
    services.set_review_details(scope.session, scope.ctx, title=title, protocol=protocol, funding=funding)
    return RedirectResponse(f"/reviews/{review_id}/setup?details=saved", status_code=303)
