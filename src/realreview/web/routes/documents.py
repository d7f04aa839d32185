"""Full texts: the list and upload form, and the reading view where excerpts are selected and coded.

The reading view puts each page of the stored text in its own ``<div class="page" data-start="N">``
and nothing else there (no whitespace from the template), so that ``static/coding.js`` can count a
selection's offset as ``data-start`` plus the code points before it on the page (issue #5); the
layout is :mod:`realreview.coding.segments`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.errors import ForbiddenError, ReviewError
from realreview.fulltext import FileStore
from realreview.web.deps import CSRF, Reading, Scope, Writing, is_htmx, optional_id, render

router = APIRouter()

BASE = "/reviews/{review_id}/documents/{document_id}"


@router.get("/reviews/{review_id}/documents")
def documents_page(request: Request, scope: Reading) -> Response:
    """The review's full texts, with the upload form for reviewers."""
    return render(request, "documents.html", services.documents_page(scope.session, scope.ctx))


@router.post("/reviews/{review_id}/documents", dependencies=CSRF)
def upload(
    request: Request,
    review_id: int,
    scope: Writing,
    file: Annotated[UploadFile, File()],
    record_id: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """Attach a PDF or text file; an unusable file is shown as a message on the page (400).

    ``back`` is the screening page the file was attached from (its record panel's one-step form):
    the answer returns there. Only this review's screening pages qualify, so it cannot send a
    reviewer anywhere else; otherwise the answer is the new document's reading view.

    The file is read up to one byte past the limit, so that an oversized upload is refused by the
    service's own size check without holding all of it in memory. Every refusal comes before anything
    is written, so the transaction commits nothing.
    """
    settings = request.app.state.settings
    try:
        added = services.add_document(
            scope.session,
            scope.ctx,
            data=file.file.read(settings.max_document_bytes + 1),
            name=file.filename or "upload",
            record_id=optional_id(record_id, what="record"),
            store=FileStore(settings.file_store_root()),
            max_bytes=settings.max_document_bytes,
            size=file.size,
            limits=settings.parse_limits,
        )
    except ForbiddenError:
        raise
    except ReviewError as error:
        page = services.documents_page(scope.session, scope.ctx, error=str(error))
        return render(request, "documents.html", page, status_code=400)
    if back.startswith(f"/reviews/{review_id}/screen/"):
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(BASE.format(review_id=review_id, document_id=added.info.id), status_code=303)


@router.get("/reviews/{review_id}/documents/{document_id}/file")
def document_file(request: Request, document_id: int, scope: Reading) -> Response:
    """The stored file itself (a PDF shown beside its text), inline.

    The app's policy forbids framing (``frame-ancestors 'none'``); this answer may be framed by the
    app's own reading view, and by nothing else, and runs nothing of its own.
    """
    store = FileStore(request.app.state.settings.file_store_root())
    found = services.document_file(scope.session, scope.ctx, document_id=document_id, store=store)
    suffix = "pdf" if found.is_pdf else "txt"
    headers = {
        "Content-Disposition": f'inline; filename="document-{document_id}.{suffix}"',
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'",
        "X-Frame-Options": "SAMEORIGIN",
    }
    return Response(found.data, media_type=found.info.media_type, headers=headers)


@router.get("/reviews/{review_id}/documents/{document_id}")
def reading_view(request: Request, document_id: int, scope: Reading) -> Response:
    """The reading view (for htmx, just the pages and excerpts)."""
    if is_htmx(request):
        panel = services.coding_panel(scope.session, scope.ctx, document_id=document_id)
        return render(request, "_doc_coding.html", panel)
    page = services.reading_page(scope.session, scope.ctx, document_id=document_id)
    return render(request, "document.html", page)


def _coded(request: Request, scope: Scope, *, document_id: int) -> Response:
    """After a change to excerpts: the refreshed coding partial for htmx, else back to the page."""
    if not is_htmx(request):
        url = BASE.format(review_id=scope.ctx.review_id, document_id=document_id)
        return RedirectResponse(url, status_code=303)
    panel = services.coding_panel(scope.session, scope.ctx, document_id=document_id)
    return render(request, "_doc_coding.html", panel)


@router.post("/reviews/{review_id}/documents/{document_id}/excerpts", dependencies=CSRF)
def add_excerpt(
    request: Request,
    document_id: int,
    scope: Writing,
    start: Annotated[int, Form()],
    end: Annotated[int, Form()],
    text: Annotated[str | None, Form()] = None,
    code_ids: Annotated[list[str] | None, Form()] = None,
    new_code: Annotated[str, Form()] = "",
) -> Response:
    """Code characters ``start``-``end`` (code points); ``text`` is what the browser had selected."""
    services.code_selection(
        scope.session,
        scope.ctx,
        document_id=document_id,
        start=start,
        end=end,
        code_ids=[int(i) for i in code_ids or [] if i.strip().isdigit()],
        new_code=new_code,
        expected_text=text or None,
    )
    return _coded(request, scope, document_id=document_id)


@router.get("/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/picker")
def code_picker(request: Request, excerpt_id: int, scope: Reading) -> Response:
    """The "add code" form of one excerpt, loaded when a reviewer opens it (htmx)."""
    picker = services.code_picker(scope.session, scope.ctx, excerpt_id=excerpt_id)
    return render(request, "_doc_code_picker.html", picker)


@router.post("/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/codes", dependencies=CSRF)
def apply_code(
    request: Request, document_id: int, excerpt_id: int, scope: Writing, code_id: Annotated[int, Form()]
) -> Response:
    """Apply one more code to an excerpt."""
    services.apply_code(
        scope.session, scope.ctx, excerpt_id=excerpt_id, code_id=code_id, document_id=document_id
    )
    return _coded(request, scope, document_id=document_id)


@router.post(
    "/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/codes/{code_id}/remove",
    dependencies=CSRF,
)
def remove_code(
    request: Request,
    document_id: int,
    excerpt_id: int,
    code_id: int,
    scope: Writing,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Take one's own code off an excerpt (an owner anyone's, with a reason); the coding is kept, marked."""
    services.remove_code(
        scope.session,
        scope.ctx,
        excerpt_id=excerpt_id,
        code_id=code_id,
        reason=reason or None,
        document_id=document_id,
    )
    return _coded(request, scope, document_id=document_id)
