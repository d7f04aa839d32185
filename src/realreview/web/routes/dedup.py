"""The pair review and the duplicate groups in the browser: keyboard first, htmx partials (issue #14).

Decisions go through :func:`realreview.services.decide_pair` and
:func:`~realreview.services.unmerge_record`, so each is kept and audited as from the command line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.errors import ValidationError
from realreview.services.dedup_views import parse_pair
from realreview.web.deps import CSRF, Reading, database, is_htmx, render, signed_in

router = APIRouter()


def _pair_answer(request: Request, review_id: int, page: services.DedupPage, status: int = 200) -> Response:
    """The pair panel (htmx) or the page; the address follows the pair shown, so a reload returns to it."""
    response = render(
        request, "_dedup_pair.html" if is_htmx(request) else "dedup.html", page, status_code=status
    )
    if is_htmx(request):
        suffix = f"?pair={page.pair.key}" if page.pair else ""
        response.headers["HX-Push-Url"] = f"/reviews/{review_id}/dedup{suffix}"
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/reviews/{review_id}/dedup")
def pair_review(
    request: Request,
    review_id: int,
    scope: Reading,
    pair: str | None = None,
    after: str | None = None,
    last: bool = False,
    said: str = "",
) -> Response:
    """The next uncertain pair side by side (``pair``: that one; ``after``: skip; ``last``: undo)."""
    page = services.dedup_page(
        scope.session, scope.ctx, pair=parse_pair(pair), after=parse_pair(after), reopen_last=last, said=said
    )
    return _pair_answer(request, review_id, page)


@router.post("/reviews/{review_id}/dedup/decide", dependencies=CSRF)
def decide(
    request: Request,
    review_id: int,
    a: Annotated[int, Form()],
    b: Annotated[int, Form()],
    action: Annotated[Literal["accept", "merge", "reject"], Form()],
) -> Response:
    """Store a verdict on a pair, then show the next one (two units of work: the write commits first)."""
    email, db = signed_in(request), database(request)
    said, message, status = f"{action}:{a}-{b}", "", 200
    try:
        with db.unit_of_work(write=True) as session:
            ctx = services.review_context(session, review_id=review_id, email=email)
            services.decide_pair(session, ctx, record_a=a, record_b=b, action=action, summarise=False)
    except ValidationError as error:
        said, message, status = "", str(error), 400
    if not is_htmx(request) and status < 400:
        return RedirectResponse(f"/reviews/{review_id}/dedup?said={said}", status_code=303)
    with db.unit_of_work() as session:
        ctx = services.review_context(session, review_id=review_id, email=email)
        page = services.dedup_page(session, ctx, said=said, message=message, error=status >= 400)
        return _pair_answer(request, review_id, page, status)


@router.get("/reviews/{review_id}/dedup/groups")
def groups(request: Request, review_id: int, scope: Reading, page: int = 1, said: str = "") -> Response:
    """The duplicate groups, each with its canonical record and the member each field came from."""
    message = f"Record {said} taken out of its group." if said.isdigit() else ""
    found = services.dedup_groups_page(scope.session, scope.ctx, page=page, message=message)
    return render(request, "_dedup_groups.html" if is_htmx(request) else "dedup_groups.html", found)


@router.post("/reviews/{review_id}/dedup/unmerge", dependencies=CSRF)
def unmerge(
    request: Request, review_id: int, record_id: Annotated[int, Form()], page: Annotated[int, Form()] = 1
) -> Response:
    """Take a record out of its group (recorded as "different" from each other member)."""
    email, db = signed_in(request), database(request)
    with db.unit_of_work(write=True) as session:
        ctx = services.review_context(session, review_id=review_id, email=email)
        services.unmerge_record(session, ctx, record_id=record_id)
    if not is_htmx(request):
        return RedirectResponse(
            f"/reviews/{review_id}/dedup/groups?page={page}&said={record_id}", status_code=303
        )
    with db.unit_of_work() as session:
        ctx = services.review_context(session, review_id=review_id, email=email)
        message = f"Record {record_id} taken out of its group."
        found = services.dedup_groups_page(session, ctx, page=page, message=message)
        return render(request, "_dedup_groups.html", found)
