"""One excerpt: its text and codes, the memos on it, and each reviewer's relevance and rigour judgement.

The memo and appraisal forms post to :mod:`realreview.web.routes.notes`, as on a document.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from realreview import services
from realreview.web.deps import Reading, render

router = APIRouter()


@router.get("/reviews/{review_id}/excerpts/{excerpt_id}")
def excerpt_page(request: Request, excerpt_id: int, scope: Reading) -> Response:
    """The excerpt with its memos and appraisals."""
    return render(
        request, "excerpt.html", services.excerpt_page(scope.session, scope.ctx, excerpt_id=excerpt_id)
    )
