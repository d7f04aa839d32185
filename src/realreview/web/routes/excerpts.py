"""One excerpt: its text and codes, the memos on it, and each reviewer's relevance and rigour judgement.

The memo and appraisal forms post to :mod:`realreview.web.routes.notes`, as on a document.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from realreview import services
from realreview.web.deps import db, db_write, render, require_csrf, signed_in
from realreview.web.routes.coding import NEW_CODE_COLOR, code_rows
from realreview.web.routes.notes import NoteTarget, notes_context

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[Session, Depends(db)]
DbWrite = Annotated[Session, Depends(db_write)]
CSRF = [Depends(require_csrf)]
BASE = "/reviews/{review_id}/excerpts/{excerpt_id}"


def _context(session: Session, *, review_id: int, excerpt_id: int, user: str) -> dict[str, object]:
    codes = {code.id: code for code in services.codebook(session, review_id=review_id)}
    notes = notes_context(
        session, review_id=review_id, target=NoteTarget.EXCERPTS, target_id=excerpt_id, user=user
    )
    return notes | {
        "excerpt": services.get_excerpt(session, review_id=review_id, excerpt_id=excerpt_id),
        "codes_by_id": codes,
        "code_rows": code_rows(list(codes.values())),
        "default_color": NEW_CODE_COLOR,
    }


@router.get("/reviews/{review_id}/excerpts/{excerpt_id}")
def excerpt_page(request: Request, review_id: int, excerpt_id: int, user: User, session: Db) -> Response:
    """The excerpt with its memos and appraisals."""
    return render(
        request, "excerpt.html", _context(session, review_id=review_id, excerpt_id=excerpt_id, user=user)
    )
