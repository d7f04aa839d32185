"""Everything that leaves or enters a review as a file, on one page: records, decisions, REFI-QDA, tables.

The page only links to the downloads (each route checks its own action through the service it
calls); the REFI-QDA project and codebook are served here, and a project or codebook from NVivo,
ATLAS.ti, MAXQDA or Taguette is imported here, all or nothing, with the counts shown after.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from realreview import services
from realreview.errors import ForbiddenError, ReviewError
from realreview.fulltext import FileStore
from realreview.web.deps import CSRF, Reading, Writing, download, render

router = APIRouter()

QDPX = "application/vnd.refi-qda.qdpx"  # REFI-QDA Project Exchange 1.0, a zip
QDC = "application/xml"


def _page(scope: Reading | Writing, **extra: object) -> dict[str, object]:
    can = scope.ctx.can
    Action = services.Action
    return {
        "review": scope.ctx.review,
        "can_export_records": can(Action.EXPORT_RECORDS),
        "can_export_decisions": can(Action.EXPORT_DECISIONS),
        "can_export_project": can(Action.EXPORT_PROJECT),
        "can_import_project": can(Action.IMPORT_PROJECT),
        "can_export_tables": can(Action.EXPORT_TABLES),
        "can_view_reports": can(Action.VIEW_REPORTS),
        **extra,
    }


@router.get("/reviews/{review_id}/exchange")
def exchange_page(request: Request, scope: Reading) -> Response:
    """The review's files out and in, each shown to those who may take it."""
    return render(request, "exchange.html", _page(scope))


@router.get("/reviews/{review_id}/project.qdpx")
def project_file(request: Request, review_id: int, scope: Reading) -> Response:
    """The review as a REFI-QDA project: codebook, documents, selections, codings, memos, cases."""
    store = FileStore(request.app.state.settings.file_store_root())
    body = services.export_qdpx(scope.session, scope.ctx, store=store)
    return download(body, media_type=QDPX, filename=f"review-{review_id}.qdpx")


@router.get("/reviews/{review_id}/codebook.qdc")
def codebook_file(review_id: int, scope: Reading) -> Response:
    """The codebook alone as a REFI-QDA codebook (codes, tree, colours, descriptions)."""
    body = services.export_codebook(scope.session, scope.ctx)
    return download(body, media_type=QDC, filename=f"review-{review_id}-codebook.qdc")


@router.post("/reviews/{review_id}/project", dependencies=CSRF)
def import_project(request: Request, scope: Writing, file: Annotated[UploadFile, File()]) -> Response:
    """Import a REFI-QDA project or codebook; a broken file is named on the page and nothing is stored."""
    settings = request.app.state.settings
    try:
        report = services.import_qdpx(
            scope.session,
            scope.ctx,
            data=file.file.read(),
            name=file.filename or "upload.qdpx",
            store=FileStore(settings.file_store_root()),
            limits=settings.qda_limits,
        )
    except ForbiddenError:
        raise
    except ReviewError as error:
        return render(
            request, "exchange.html", _page(scope, error=f"{file.filename}: {error}"), status_code=400
        )
    return render(request, "exchange.html", _page(scope, imported=report, file_name=file.filename))
