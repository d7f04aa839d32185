"""The web app: ``create_app(settings)`` builds it; nothing global, so tests build as many as they like."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.screening import STATE_LABELS, stage_label
from realreview.settings import Settings
from realreview.web.deps import open_session, render
from realreview.web.headers import SECURITY_HEADERS
from realreview.web.highlight import highlight
from realreview.web.runner import run_jobs_while_serving
from realreview.web.security import COOKIE, SessionSigner

__all__ = ["close_app", "create_app"]

HERE = Path(__file__).parent


def create_app(settings: Settings) -> FastAPI:
    """The RealReview web app over ``settings.database_url``.

    Without ``settings.secret_key`` a random one is made, which suits one process (``make run``);
    several workers must share one key (``REALREVIEW_SECRET_KEY``), or each would reject the others'
    session cookies. The app never migrates the schema (several workers would race each other): a
    database that is behind is refused with the command to run (``realreview db upgrade``, or
    ``realreview serve``, which upgrades before it starts the workers).
    """
    from realreview.web.routes import (
        auth,
        characteristics,
        coding,
        dedup,
        documents,
        excerpts,
        exports,
        imports,
        interchange,
        members,
        notes,
        rameses,
        reports,
        reviews,
        screening,
        setup_pages,
        synthesis,
    )

    app = FastAPI(title="RealReview", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.database = services.connect(settings.database_url, upgrade=False)
    app.state.signer = SessionSigner(
        settings.secret_key or secrets.token_urlsafe(48), max_age=settings.session_max_days * 86400
    )
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.templates.env.globals["zip"] = zip
    app.state.templates.env.filters["highlight"] = highlight
    app.state.templates.env.filters["stage_label"] = stage_label
    app.state.templates.env.filters["state_label"] = STATE_LABELS.get
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def session_cookie(request: Request, call_next):  # type: ignore[no-untyped-def]
        signer: SessionSigner = request.app.state.signer
        # The server-side session is looked up (and at times touched) off the event loop.
        request.state.session = await run_in_threadpool(open_session, request)
        response: Response = await call_next(request)
        response.set_cookie(
            COOKIE,
            signer.dumps(request.state.session),
            max_age=signer.max_age,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    for error, status in ((NotFoundError, 404), (ForbiddenError, 403), (ValidationError, 400)):
        app.add_exception_handler(error, _error_page(status))

    app.include_router(auth.router)
    # Before reviews: /reviews/new must not be read as /reviews/{review_id}.
    app.include_router(setup_pages.router)
    app.include_router(members.router)
    app.include_router(reviews.router)
    app.include_router(screening.router)
    app.include_router(dedup.router)
    app.include_router(documents.router)
    app.include_router(coding.router)
    app.include_router(excerpts.router)
    app.include_router(exports.router)
    app.include_router(interchange.router)
    app.include_router(notes.router)
    app.include_router(characteristics.router)
    app.include_router(synthesis.router)
    app.include_router(reports.router)
    app.include_router(rameses.router)
    app.include_router(imports.router)
    run_jobs_while_serving(app)
    return app


def close_app(app: FastAPI) -> None:
    """Release the app's database connections (a test or a process manager that builds many apps)."""
    app.state.database.close()


def _error_page(status: int):  # type: ignore[no-untyped-def]
    async def handle(request: Request, error: Exception) -> Response:
        if request.headers.get("HX-Request"):
            return HTMLResponse(
                f'<p class="error" role="alert">{_escape(str(error))}</p>', status_code=status
            )
        return render(request, "error.html", {"status": status, "message": str(error)}, status_code=status)

    return handle


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
