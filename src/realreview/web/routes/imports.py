"""Import in the browser, and the progress of every job (issue #14).

The owner chooses files (or drops them on the page); ``static/imports.js`` uploads each to the
preview, which shows the detected format, database and a record count before anything is stored.
Confirming queues one job per file (the file was kept at the preview, so it is uploaded once) and
each job's card polls its own partial until the job ends, then shows the report or the error.
Without JavaScript the form posts the files straight to the queue and the page lists the jobs.

A request never runs the work itself: the app's :class:`~realreview.services.JobRunner` (or
``realreview worker``) does, and the job's row is what every worker and every reload shows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from realreview import services
from realreview.errors import ValidationError
from realreview.fulltext import FileStore
from realreview.web.deps import CSRF, Reading, Writing, is_htmx, optional_id, render

router = APIRouter()

PAGE = "/reviews/{review_id}/import"
JOB = "/reviews/{review_id}/jobs/{job_id}"


def _store(request: Request) -> FileStore:
    return FileStore(request.app.state.settings.file_store_root())


def _wake(request: Request) -> BackgroundTask | None:
    """Tell this app's job threads to look now, once the job's transaction has committed."""
    runner = getattr(request.app.state, "runner", None)
    return BackgroundTask(runner.wake) if runner is not None else None


def _read(upload: UploadFile, limit: int) -> bytes:
    """The upload, read to one byte past ``limit`` so the service's size check can refuse it."""
    return upload.file.read(limit + 1)


@router.get(PAGE)
def import_form(request: Request, scope: Reading) -> Response:
    """The import page: the search to add to, the drop zone, and the review's latest jobs."""
    limit = request.app.state.settings.max_import_bytes
    return render(request, "import.html", services.import_page(scope.session, scope.ctx, max_bytes=limit))


@router.post(PAGE + "/preview", dependencies=CSRF)
def preview(request: Request, scope: Reading, files: Annotated[list[UploadFile], File()]) -> Response:
    """Each uploaded file as detected (format, database, count, first titles), nothing imported."""
    settings = request.app.state.settings
    previews = [
        services.preview_export(
            scope.session,
            scope.ctx,
            data=_read(upload, settings.max_import_bytes),
            file_name=upload.filename or "upload",
            store=_store(request),
            max_bytes=settings.max_import_bytes,
            max_line_chars=settings.max_line_chars,
        )
        for upload in files
    ]
    return render(request, "_import_preview.html", {"previews": previews, "review": scope.ctx.review})


@router.post(PAGE, dependencies=CSRF)
def queue(
    request: Request,
    review_id: int,
    scope: Writing,
    search_id: Annotated[str, Form()] = "",
    database: Annotated[str, Form()] = "",
    staged: Annotated[list[str] | None, Form()] = None,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Queue one import job per file: the ones a preview staged (``SHA256/name``), or uploaded here."""
    settings = request.app.state.settings
    common = {
        "store": _store(request),
        "max_bytes": settings.max_import_bytes,
        "search_id": optional_id(search_id, what="search"),
        "database": database.strip() or None,
    }
    jobs = []
    for item in staged or ():
        sha256, _, name = item.partition("/")
        jobs.append(services.queue_import(scope.session, scope.ctx, file_name=name, staged=sha256, **common))
    for upload in files or ():
        if upload.filename:  # an empty file input still posts one nameless part
            data = _read(upload, settings.max_import_bytes)
            jobs.append(
                services.queue_import(
                    scope.session, scope.ctx, file_name=upload.filename, data=data, **common
                )
            )
    if not jobs:
        raise ValidationError("choose at least one export file to import")
    response: Response = (
        render(request, "_jobs.html", {"jobs": jobs, "review": scope.ctx.review})
        if is_htmx(request)
        else RedirectResponse(PAGE.format(review_id=review_id), status_code=303)
    )
    response.background = _wake(request)
    return response


@router.post("/reviews/{review_id}/dedup/run", dependencies=CSRF)
def run_dedup(request: Request, review_id: int, scope: Writing) -> Response:
    """Queue a deduplication run and show its progress."""
    job = services.queue_dedup(scope.session, scope.ctx)
    url = (JOB + "/view").format(review_id=review_id, job_id=job.id)
    return RedirectResponse(url, status_code=303, background=_wake(request))


@router.get(JOB)
def job_json(job_id: int, scope: Reading) -> Response:
    """The job as JSON: status, done of total, message, then result or error (for scripts and polls)."""
    return JSONResponse(services.get_job(scope.session, scope.ctx, job_id=job_id).as_json())


@router.get(JOB + "/view")
def job_view(request: Request, job_id: int, scope: Reading) -> Response:
    """The job's page; for htmx, its card alone (which polls again until the job ends)."""
    page = services.job_page(scope.session, scope.ctx, job_id=job_id)
    response = render(request, "_job.html" if is_htmx(request) else "job.html", page)
    response.headers["Vary"] = "HX-Request"
    response.headers["Cache-Control"] = "no-store"
    return response
