"""Sign in and out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.web.deps import render, require_csrf, unit_of_work
from realreview.web.security import LoginLimiter, SessionData

router = APIRouter()


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return render(request, "login.html", {"next": _safe(next), "error": None})


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    session: Annotated[services.Session, Depends(unit_of_work)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password (rate-limited per address and per client); start a new session."""
    limiter: LoginLimiter = request.app.state.limiter
    keys = (f"email:{email.strip().lower()}", f"client:{request.client.host if request.client else '-'}")
    if limiter.blocked(*keys):
        context = {
            "next": _safe(next),
            "error": "Too many failed attempts; wait a few minutes and try again.",
        }
        return render(request, "login.html", context, status_code=429)
    user = services.authenticate(session, email=email, password=password)
    if user is None:
        limiter.failed(*keys)
        context = {"next": _safe(next), "error": "Wrong e-mail address or password."}
        return render(request, "login.html", context, status_code=401)
    limiter.succeeded(*keys)
    # A new CSRF token with the new identity (no session fixation).
    request.state.session = SessionData(email=user.email, csrf=_new_token())
    return RedirectResponse(_safe(next), status_code=303)


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    """End the session."""
    request.state.session = SessionData(email=None, csrf=_new_token())
    return RedirectResponse("/login", status_code=303)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _safe(target: str) -> str:
    """Only same-site paths after login (no open redirect to another host)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
