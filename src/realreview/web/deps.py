"""What routes share: the database session, the signed-in user, CSRF checks and rendering."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from realreview import services
from realreview.errors import ValidationError
from realreview.web.security import tokens_match

__all__ = ["db", "db_write", "is_htmx", "optional_id", "render", "require_csrf", "signed_in", "writing"]


def db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises."""
    with services.transaction(request.app.state.factory) as session:
        yield session


@contextmanager
def writing(request: Request) -> Iterator[Session]:
    """A write transaction that takes SQLite's write lock up front (see :func:`db_write`).

    Within one worker, writers first queue on a Python lock: SQLite's own busy handler retries with
    growing sleeps (up to 100 ms), which turns a 3 ms wait into a long tail; only writers of other
    worker processes meet it.
    """
    factory = request.app.state.factory
    if factory.kw["bind"].dialect.name != "sqlite":
        with services.transaction(factory) as session:
            yield session
        return
    with request.app.state.write_lock, services.transaction(factory) as session:
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def db_write(request: Request) -> Iterator[Session]:
    """Like :func:`db`, but a request that will write takes SQLite's write lock first.

    SQLite lets one writer at a time; a transaction that reads and then writes can fail at once
    ("database is locked") if another worker wrote in between. ``BEGIN IMMEDIATE`` waits for the lock
    up front instead (the driver's busy timeout), so concurrent reviewers queue rather than fail.
    PostgreSQL needs nothing: its row-level locking handles concurrent writers.
    """
    with writing(request) as session:
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


def optional_id(text: str, *, what: str) -> int | None:
    """An id posted by a select or a number input: ``""`` means none (the top of a tree, no study)."""
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValidationError(f"{what} id {text!r} is not a number")
    return int(text)
