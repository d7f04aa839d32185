"""Records out in the browser: the review's records, or those with one screening outcome, as a file.

The same export as ``realreview export`` (:func:`realreview.services.export_records`), with the
exporting member's view of the decisions: blinding applies to the file as to the pages.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from realreview import services
from realreview.web.deps import Reading, download

router = APIRouter()

#: Each format's media type and file extension (RIS's type is the one reference managers register).
_FILES = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


@router.get("/reviews/{review_id}/export")
def export_records(
    review_id: int,
    scope: Reading,
    fmt: Annotated[str, Query(alias="format")] = "ris",
    state: str = "",
    notes: bool = True,
) -> Response:
    """The records (all, or those in ``state``) as RIS, BibTeX or CSV, with the decisions as notes."""
    text = services.export_records(
        scope.session, scope.ctx, format_name=fmt, state=state or None, notes=notes
    )
    # The service refused any other format or state, so both are safe in the header.
    media_type, extension = _FILES[fmt]
    return download(
        text, media_type=media_type, filename=f"review-{review_id}-{state or 'records'}.{extension}"
    )
