"""Sign in and out, and an owner signing a member out of every browser."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.web.deps import CSRF, Writing, render, session_policy, write_unit
from realreview.web.security import SessionData, client_address, new_token, trusted_networks

router = APIRouter()


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return render(request, "login.html", {"next": _safe(next), "error": None})


@router.post("/login", dependencies=CSRF)
def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    session: Annotated[services.Session, Depends(write_unit, scope="function")],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password under the database's login throttles; start a new server-side session."""
    settings = request.app.state.settings
    policy = services.LoginPolicy(sessions=session_policy(settings))
    client = client_address(
        request.client.host if request.client else None,
        request.headers.get("X-Forwarded-For"),
        trusted=_trusted(settings.trusted_proxies),
    )
    result = services.sign_in(session, email=email, password=password, client=client, policy=policy)
    if result.outcome is services.Outcome.WAIT:
        error = f"Too many failed attempts; try again in {result.retry_after} seconds."
        headers = {"Retry-After": str(result.retry_after)}
        response = render(request, "login.html", {"next": _safe(next), "error": error}, status_code=429)
        response.headers.update(headers)
        return response
    if result.token is None:
        context = {"next": _safe(next), "error": "Wrong e-mail address or password."}
        return render(request, "login.html", context, status_code=401)
    # A new CSRF token with the new identity (no session fixation).
    request.state.session = SessionData(email=result.email, csrf=new_token(), sid=result.token)
    return RedirectResponse(_safe(next), status_code=303)


@router.post("/logout", dependencies=CSRF)
def logout(
    request: Request, session: Annotated[services.Session, Depends(write_unit, scope="function")]
) -> Response:
    """End this session: its cookie, even a saved copy, no longer reads or writes."""
    current: SessionData = request.state.session
    if current.sid is not None and current.email is not None:
        services.end_session(session, token=current.sid, email=current.email)
    request.state.session = SessionData(email=None, csrf=new_token())
    return RedirectResponse("/login", status_code=303)


@router.post("/reviews/{review_id}/members/sign-out", dependencies=CSRF)
def sign_out_member(review_id: int, scope: Writing, email: Annotated[str, Form()]) -> Response:
    """An owner ends every session of a member of the review (a lost laptop, a leaver)."""
    services.sign_out_everywhere(scope.session, scope.ctx, email=email)
    return RedirectResponse(f"/reviews/{review_id}", status_code=303)


@functools.cache
def _trusted(entries: tuple[str, ...]):  # type: ignore[no-untyped-def]
    return trusted_networks(entries)


def _safe(target: str) -> str:
    """Only same-site paths after login (no open redirect to another host)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
