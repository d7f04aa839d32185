"""What routes share: the database session, the signed-in user, CSRF checks and rendering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from realreview import services
from realreview.web.security import tokens_match

__all__ = ["db", "is_htmx", "render", "require_csrf", "signed_in"]


def db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises."""
    with services.transaction(request.app.state.factory) as session:
        yield session


def signed_in(request: Request) -> str:
    """The signed-in e-mail address; a page request without one goes to the login page."""
    email: str | None = request.state.session.email
    if email is None:
        if is_htmx(request):
            raise HTTPException(status_code=401, headers={"HX-Redirect": "/login"})
        raise HTTPException(status_code=303, headers={"Location": f"/login?next={request.url.path}"})
    return email


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request that does not echo the session's CSRF token."""
    given = request.headers.get("X-CSRF-Token")
    if given is None:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not tokens_match(request.state.session.csrf, given):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request (it then wants a partial, not a page)."""
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` with the request, the user and the CSRF token in the context."""
    templates: Jinja2Templates = request.app.state.templates
    context = {"user": request.state.session.email, "csrf_token": request.state.session.csrf, **context}
    return templates.TemplateResponse(request, template, context, status_code=status_code)
