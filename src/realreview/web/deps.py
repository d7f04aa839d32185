"""What routes share: the review scope, the signed-in user, CSRF checks and rendering.

The review scope is a unit of work and the member's review context.

A route that acts on a review takes :data:`Reading` or :data:`Writing`: the dependency opens one
unit of work for the request and resolves the signed-in member's
:class:`~realreview.services.ReviewContext` once (someone who is not a member gets 404 from the
service). Permissions and blinding are the services' business; no route checks a role.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from realreview import services
from realreview.errors import ValidationError
from realreview.settings import Settings
from realreview.web.security import COOKIE, SessionData, SessionSigner, tokens_match

__all__ = [
    "CSRF",
    "Reading",
    "Scope",
    "Writing",
    "database",
    "download",
    "is_htmx",
    "open_session",
    "optional_id",
    "render",
    "require_csrf",
    "signed_in",
    "unit_of_work",
    "write_unit",
]


@dataclasses.dataclass(frozen=True, slots=True)
class Scope:
    """One request's unit of work on one review, and who acts in it."""

    session: services.Session
    ctx: services.ReviewContext


def database(request: Request) -> services.Database:
    """The app's database."""
    db: services.Database = request.app.state.database
    return db


def unit_of_work(request: Request) -> Iterator[services.Session]:
    """One transaction per request that acts on no review (the login, the list of reviews)."""
    with database(request).unit_of_work() as session:
        yield session


def write_unit(request: Request) -> Iterator[services.Session]:
    """One writing transaction for a request that acts on no review (signing in and out)."""
    with database(request).unit_of_work(write=True) as session:
        yield session


def session_policy(settings: Settings) -> services.SessionPolicy:
    """How long sessions live under ``settings``."""
    return services.SessionPolicy(
        idle=dt.timedelta(minutes=settings.session_idle_minutes),
        lifetime=dt.timedelta(days=settings.session_max_days),
    )


def open_session(request: Request) -> SessionData:
    """The request's session: the cookie's ids, and who is signed in if its server-side session is live.

    Blocking (it reads the database): the session middleware runs it in the thread pool. It writes
    only when the session's ``last_seen_at`` is due (see :mod:`realreview.services.sessions`).
    """
    signer: SessionSigner = request.app.state.signer
    data = signer.loads(request.cookies.get(COOKIE))
    if data.sid is None:
        return data
    policy = session_policy(request.app.state.settings)
    with database(request).unit_of_work() as session:
        live = services.current_session(session, token=data.sid, policy=policy)
    if live is None:  # revoked, idle, expired or unknown: anonymous from now on
        return SessionData(email=None, csrf=data.csrf)
    if live.needs_touch:
        with database(request).unit_of_work(write=True) as session:
            services.touch_session(session, session_id=live.session_id, email=live.email)
    return dataclasses.replace(data, email=live.email)


def signed_in(request: Request) -> str:
    """The signed-in e-mail address; a page request without one goes to the login page."""
    email: str | None = request.state.session.email
    if email is None:
        if is_htmx(request):
            raise HTTPException(status_code=401, headers={"HX-Redirect": "/login"})
        raise HTTPException(status_code=303, headers={"Location": f"/login?next={request.url.path}"})
    return email


def _scope(request: Request, review_id: int, *, write: bool) -> Iterator[Scope]:
    email = signed_in(request)
    with database(request).unit_of_work(write=write) as session:
        yield Scope(session, services.review_context(session, review_id=review_id, email=email))


def reading(request: Request, review_id: int) -> Iterator[Scope]:
    """The review scope of a request that reads."""
    yield from _scope(request, review_id, write=False)


def writing(request: Request, review_id: int) -> Iterator[Scope]:
    """The review scope of a request that writes: on SQLite it queues for the write lock up front."""
    yield from _scope(request, review_id, write=True)


# scope="function": the unit of work commits before the response is sent. FastAPI's default
# ("request") ends a yield dependency after sending, so a browser following a 303 could read the
# database before the write it was redirected from had committed (a sign-in whose session is not
# found yet sent the user back to the login page).
Reading = Annotated[Scope, Depends(reading, scope="function")]
Writing = Annotated[Scope, Depends(writing, scope="function")]


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request that does not echo the session's CSRF token."""
    given = request.headers.get("X-CSRF-Token")
    if given is None:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not tokens_match(request.state.session.csrf, given):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


CSRF = [Depends(require_csrf)]


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request (it then wants a partial, not a page)."""
    return request.headers.get("HX-Request") == "true"


def render(request: Request, template: str, context: Any, *, status_code: int = 200) -> HTMLResponse:
    """Render ``template`` with the request, the user and the CSRF token in the context.

    ``context`` is a dict or a service's page dataclass, whose fields become the template's names.
    """
    templates: Jinja2Templates = request.app.state.templates
    names = (
        {field.name: getattr(context, field.name) for field in dataclasses.fields(context)}
        if dataclasses.is_dataclass(context)
        else dict(context)
    )
    names = {"user": request.state.session.email, "csrf_token": request.state.session.csrf, **names}
    return templates.TemplateResponse(request, template, names, status_code=status_code)


def download(body: str | bytes, *, media_type: str, filename: str) -> Response:
    """A file to save: ``body`` with a Content-Disposition naming ``filename``."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


def optional_id(text: str, *, what: str) -> int | None:
    """An id posted by a select or a number input: ``""`` means none (the top of a tree, no study)."""
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValidationError(f"{what} id {text!r} is not a number")
    return int(text)
