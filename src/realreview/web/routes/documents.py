"""Full texts: the list and upload form, and the reading view where excerpts are selected and coded.

The reading view puts each page of the stored text in its own ``<div class="page" data-start="N">``
and nothing else there (no whitespace from the template), so that ``static/coding.js`` can count a
selection's offset as ``data-start`` plus the code points before it on the page (issue #5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from realreview import services
from realreview.errors import ReviewError, ValidationError
from realreview.fulltext import FileStore
from realreview.services import Role
from realreview.web.deps import db, db_write, is_htmx, optional_id, render, require_csrf, signed_in
from realreview.web.routes.coding import NEW_CODE_COLOR, code_rows
from realreview.web.routes.notes import NoteTarget, notes_context

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[Session, Depends(db)]
DbWrite = Annotated[Session, Depends(db_write)]
CSRF = [Depends(require_csrf)]
BASE = "/reviews/{review_id}/documents/{document_id}"
#: The highlight of an excerpt whose codes have no colour of their own.
DEFAULT_COLOR = NEW_CODE_COLOR


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of page text covered by the same excerpts (none: plain text)."""

    text: str
    excerpt_ids: tuple[int, ...]
    color: str

    @property
    def html(self) -> Markup:
        r"""The text escaped for HTML, carriage returns as ``&#13;``.

        The HTML parser turns a literal CR (or CRLF) into LF, which would shift every later offset of
        a text file with Windows line ends; a character reference survives as CR.

        >>> Segment("a<b\r\n", (), "").html
        Markup('a&lt;b&#13;\n')
        """
        return Markup(str(escape(self.text)).replace("\r", "&#13;"))


@dataclass(frozen=True, slots=True)
class PageView:
    """One page of the reading view: its number, where it starts in the text, its segments."""

    number: int
    start: int
    segments: tuple[Segment, ...]


def _cuts(
    text: str, *, start: int, end: int, spans: Sequence[tuple[int, int, int]]
) -> list[tuple[str, tuple[int, ...]]]:
    """``text[start:end]`` cut where excerpts begin or end, each piece with the excerpts covering it.

    ``spans`` are ``(excerpt id, start, end)``; overlapping excerpts give pieces covered by several,
    listed in the order given.

    >>> _cuts("abcdef", start=1, end=6, spans=[(7, 0, 3), (8, 2, 4)])
    [('b', (7,)), ('c', (7, 8)), ('d', (8,)), ('ef', ())]
    """
    inside = [(i, max(s, start), min(e, end)) for i, s, e in spans if s < end and e > start]
    bounds = sorted({start, end, *(s for _, s, _ in inside), *(e for _, _, e in inside)})
    return [
        (text[a:b], tuple(i for i, s, e in inside if s <= a and b <= e))
        for a, b in zip(bounds, bounds[1:], strict=False)
        if a < b
    ]


def _pages(
    document: services.DocumentText, excerpts: Sequence[services.Excerpt], colors: dict[int, str]
) -> list[PageView]:
    spans = [(x.id, x.start, x.end) for x in excerpts]
    by_id = {x.id: x for x in excerpts}

    def color(ids: tuple[int, ...]) -> str:
        if not ids:
            return ""
        codes = by_id[ids[-1]].code_ids
        return colors.get(codes[0], DEFAULT_COLOR) if codes else DEFAULT_COLOR

    return [
        PageView(
            page.number,
            page.start,
            tuple(
                Segment(piece, ids, color(ids))
                for piece, ids in _cuts(document.text, start=page.start, end=page.end, spans=spans)
            ),
        )
        for page in document.pages
    ]


def _coding_context(session: Session, *, review_id: int, document_id: int, user: str) -> dict[str, object]:
    """What the coding part of the reading view shows: pages, excerpts, the codes to pick from."""
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    document = services.document_text(session, review_id=review_id, document_id=document_id)
    excerpts = services.excerpts_of_document(session, review_id=review_id, document_id=document_id)
    codes = services.codebook(session, review_id=review_id)
    colors = {code.id: code.color for code in codes if code.color}
    return {
        "review": services.get_review(session, review_id=review_id),
        "role": role,
        "can_code": role is not Role.VIEWER,
        "can_write": role is not Role.VIEWER,
        "document": document,
        "pages": _pages(document, excerpts, colors),
        "excerpts": excerpts,
        "codes": codes,
        "code_rows": code_rows(codes),
        "codes_by_id": {code.id: code for code in codes},
        "default_color": DEFAULT_COLOR,
    }


def _notes_context(session: Session, *, review_id: int, document_id: int, user: str) -> dict[str, object]:
    """The memos and appraisals of a document, and the signed-in reviewer's own appraisal."""
    return notes_context(
        session, review_id=review_id, target=NoteTarget.DOCUMENTS, target_id=document_id, user=user
    )


def _reading_context(session: Session, *, review_id: int, document_id: int, user: str) -> dict[str, object]:
    coding = _coding_context(session, review_id=review_id, document_id=document_id, user=user)
    return coding | _notes_context(session, review_id=review_id, document_id=document_id, user=user)


def _list_context(session: Session, *, review_id: int, user: str) -> dict[str, object]:
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    return {
        "review": services.get_review(session, review_id=review_id),
        "role": role,
        "can_upload": role is not Role.VIEWER,
        "documents": services.list_documents(session, review_id=review_id),
        "studies": services.studies(session, review_id=review_id),
        "error": None,
    }


@router.get("/reviews/{review_id}/documents")
def documents_page(request: Request, review_id: int, user: User, session: Db) -> Response:
    """The review's full texts, with the upload form for reviewers."""
    return render(request, "documents.html", _list_context(session, review_id=review_id, user=user))


@router.post("/reviews/{review_id}/documents", dependencies=CSRF)
def upload(
    request: Request,
    review_id: int,
    user: User,
    session: DbWrite,
    file: Annotated[UploadFile, File()],
    record_id: Annotated[str, Form()] = "",
) -> Response:
    """Attach a PDF or text file; an unusable file is shown as a message on the page (400).

    The file is read up to one byte past the limit, so that an oversized upload is refused by the
    service's own size check without holding all of it in memory. Every refusal comes before anything
    is written, so the transaction commits nothing.
    """
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    settings = request.app.state.settings
    name = file.filename or "upload"
    try:
        added = services.add_document(
            session,
            review_id=review_id,
            data=file.file.read(settings.max_document_bytes + 1),
            name=name,
            record_id=optional_id(record_id, what="record"),
            store=FileStore(settings.file_store_root()),
            max_bytes=settings.max_document_bytes,
            actor=user,
            size=file.size,
        )
    except ReviewError as error:
        context = _list_context(session, review_id=review_id, user=user) | {"error": str(error)}
        return render(request, "documents.html", context, status_code=400)
    return RedirectResponse(BASE.format(review_id=review_id, document_id=added.info.id), status_code=303)


@router.get("/reviews/{review_id}/documents/{document_id}")
def reading_view(request: Request, review_id: int, document_id: int, user: User, session: Db) -> Response:
    """The reading view (for htmx, just the pages and excerpts)."""
    if is_htmx(request):
        context = _coding_context(session, review_id=review_id, document_id=document_id, user=user)
        return render(request, "_doc_coding.html", context)
    context = _reading_context(session, review_id=review_id, document_id=document_id, user=user)
    return render(request, "document.html", context)


def _coded(request: Request, session: Session, *, review_id: int, document_id: int, user: str) -> Response:
    """After a change to excerpts: the refreshed coding partial for htmx, else back to the page."""
    if not is_htmx(request):
        return RedirectResponse(BASE.format(review_id=review_id, document_id=document_id), status_code=303)
    context = _coding_context(session, review_id=review_id, document_id=document_id, user=user)
    return render(request, "_doc_coding.html", context)


def _code_ids(
    session: Session, *, review_id: int, code_ids: list[str] | None, new_code: str, user: str
) -> list[int]:
    """The picked codes, plus the one named in "new code" (made now, inductive: it came from the text)."""
    ids = [int(i) for i in code_ids or [] if i.strip().isdigit()]
    if new_code.strip():
        ids.append(services.create_code(session, review_id=review_id, name=new_code, actor=user).id)
    if not ids:
        raise ValidationError("pick a code (or name a new one) for the excerpt")
    return ids


@router.post("/reviews/{review_id}/documents/{document_id}/excerpts", dependencies=CSRF)
def add_excerpt(
    request: Request,
    review_id: int,
    document_id: int,
    user: User,
    session: DbWrite,
    start: Annotated[int, Form()],
    end: Annotated[int, Form()],
    text: Annotated[str | None, Form()] = None,
    code_ids: Annotated[list[str] | None, Form()] = None,
    new_code: Annotated[str, Form()] = "",
) -> Response:
    """Code characters ``start``-``end`` (code points); ``text`` is what the browser had selected."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.add_excerpt(
        session,
        review_id=review_id,
        document_id=document_id,
        start=start,
        end=end,
        code_ids=_code_ids(session, review_id=review_id, code_ids=code_ids, new_code=new_code, user=user),
        actor=user,
        expected_text=text or None,
    )
    return _coded(request, session, review_id=review_id, document_id=document_id, user=user)


@router.get("/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/picker")
def code_picker(
    request: Request, review_id: int, document_id: int, excerpt_id: int, user: User, session: Db
) -> Response:
    """The "add code" form of one excerpt, loaded when a reviewer opens it (htmx)."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    context = {
        "excerpt": services.get_excerpt(session, review_id=review_id, excerpt_id=excerpt_id),
        "code_rows": code_rows(services.codebook(session, review_id=review_id)),
        "url": BASE.format(review_id=review_id, document_id=document_id),
    }
    return render(request, "_doc_code_picker.html", context)


@router.post("/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/codes", dependencies=CSRF)
def apply_code(
    request: Request,
    review_id: int,
    document_id: int,
    excerpt_id: int,
    user: User,
    session: DbWrite,
    code_id: Annotated[int, Form()],
) -> Response:
    """Apply one more code to an excerpt."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.apply_code(session, review_id=review_id, excerpt_id=excerpt_id, code_id=code_id, actor=user)
    return _coded(request, session, review_id=review_id, document_id=document_id, user=user)


@router.post(
    "/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/codes/{code_id}/remove",
    dependencies=CSRF,
)
def remove_code(
    request: Request,
    review_id: int,
    document_id: int,
    excerpt_id: int,
    code_id: int,
    user: User,
    session: DbWrite,
) -> Response:
    """Take a code off an excerpt (the coding is kept, marked removed)."""
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    services.remove_code(session, review_id=review_id, excerpt_id=excerpt_id, code_id=code_id, actor=user)
    return _coded(request, session, review_id=review_id, document_id=document_id, user=user)
