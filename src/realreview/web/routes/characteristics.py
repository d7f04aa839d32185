"""Study characteristics: own extractions, the owner's reconciliation, the XLSX round trip, the summary.

A row per study shows its settled values; each reviewer edits their own extraction (on the page, or
in their own sheet downloaded and uploaded back), the owner compares two extractors and settles their
differences, and the summary gives the tables and bar charts a results section reports. What of
colleagues' values anyone sees is the services' business (blinding).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from realreview import services
from realreview.errors import InputError, ValidationError
from realreview.services import CONSENSUS
from realreview.web.deps import CSRF, Reading, Writing, download, is_htmx, render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The largest characteristics sheet accepted: a sheet of a few hundred studies is well under 1 MiB.
MAX_SHEET_BYTES = 20 * 2**20


async def _posted(request: Request) -> FormData:
    """The posted form as it is: the form's fields are the review's own, not known to the route."""
    return await request.form()


Posted = Annotated[FormData, Depends(_posted)]


def _page_or_partial(request: Request) -> str:
    return "_char_studies.html" if is_htmx(request) else "characteristics.html"


@router.get("/reviews/{review_id}/characteristics")
def characteristics_page(
    request: Request, review_id: int, scope: Reading, first: str | None = None, second: str | None = None
) -> Response:
    """A row per study; the user's own extraction form per study; an owner's reconciliation."""
    page = services.characteristics_page(scope.session, scope.ctx, first=first, second=second)
    return render(request, _page_or_partial(request), page)


# Before "/characteristics/{record_id}", which would otherwise take "settle-agreed" for a record id.
@router.post("/reviews/{review_id}/characteristics/settle-agreed", dependencies=CSRF)
def settle_agreed(
    request: Request,
    review_id: int,
    scope: Writing,
    first: Annotated[str, Form()] = "",
    second: Annotated[str, Form()] = "",
) -> Response:
    """Settle every value the extractors agree on, or the only extractor's (owner only).

    For htmx, the reconciliation and (out of band) the table and settlement line, updated in place.
    """
    services.settle_agreed_values(scope.session, scope.ctx)
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{review_id}/characteristics", status_code=303)
    page = services.characteristics_page(scope.session, scope.ctx, first=first or None, second=second or None)
    return render(request, "_char_differences.html", replace(page, refresh=True))


@router.post("/reviews/{review_id}/characteristics/{record_id}", dependencies=CSRF)
def save_values(request: Request, review_id: int, record_id: int, scope: Writing, posted: Posted) -> Response:
    """Save the signed-in reviewer's values for one study; nothing is saved if any field is refused.

    Several ticked boxes of one field arrive as a list; the service leaves the CSRF token aside.
    """
    raw = {key: posted.getlist(key) for key in posted}
    saved = services.set_values(scope.session, scope.ctx, record_id=record_id, raw=raw)
    if saved.errors:
        page = services.characteristics_page(scope.session, scope.ctx, errors={record_id: saved.errors})
        return render(request, _page_or_partial(request), page, status_code=400)
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{review_id}/characteristics#study-{record_id}", status_code=303)
    return render(request, "_char_studies.html", services.characteristics_page(scope.session, scope.ctx))


@router.post("/reviews/{review_id}/characteristics/{record_id}/consensus", dependencies=CSRF)
def set_consensus(
    request: Request,
    review_id: int,
    record_id: int,
    scope: Writing,
    field_key: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    first: Annotated[str, Form()] = "",
    second: Annotated[str, Form()] = "",
) -> Response:
    """Settle one field of one study (owner only): the consensus value is the study's from now on."""
    services.set_value(
        scope.session, scope.ctx, record_id=record_id, field_key=field_key, raw=value, extractor=CONSENSUS
    )
    if not is_htmx(request):
        query = f"?first={first}&second={second}" if first and second else ""
        return RedirectResponse(f"/reviews/{review_id}/characteristics{query}#differences", status_code=303)
    page = services.characteristics_page(scope.session, scope.ctx, first=first or None, second=second or None)
    return render(request, "_char_differences.html", replace(page, refresh=True))


@router.get("/reviews/{review_id}/characteristics.xlsx")
def characteristics_xlsx(review_id: int, scope: Reading, extractor: str | None = None) -> Response:
    """The settled characteristics, or one extractor's own (``?extractor=``), as a sheet to fill in offline.

    A blinded reviewer may download their own values and the settled ones, never a colleague's.
    """
    body = services.export_characteristics(scope.session, scope.ctx, extractor=extractor or None)
    whose = "-mine" if extractor and extractor.strip().lower() == scope.ctx.actor else ""
    return download(body, media_type=XLSX, filename=f"review-{review_id}-characteristics{whose}.xlsx")


@router.post("/reviews/{review_id}/characteristics.xlsx", dependencies=CSRF)
def import_sheet(
    request: Request, review_id: int, scope: Writing, file: Annotated[UploadFile, File()]
) -> Response:
    """Read an edited sheet back as the user's values; the page reports each change and each refusal.

    A file that is no sheet at all is refused before anything is stored (400, with the reason).
    """
    name = file.filename or "characteristics.xlsx"
    data = file.file.read(MAX_SHEET_BYTES + 1)
    try:
        report = services.import_characteristics(
            scope.session,
            scope.ctx,
            data=data,
            name=name,
            max_bytes=MAX_SHEET_BYTES,
            limits=request.app.state.settings.parse_limits,
        )
    except (InputError, ValidationError) as error:
        page = services.characteristics_page(scope.session, scope.ctx, error=str(error))
        return render(request, "characteristics.html", page, status_code=400)
    page = services.characteristics_page(scope.session, scope.ctx, report=report, sheet=name)
    return render(request, "characteristics.html", page)


@router.get("/reviews/{review_id}/summary")
def summary_page(request: Request, review_id: int, scope: Reading) -> Response:
    """Per field: a bar chart and a table of how many studies have each value."""
    # bar_chart_svg escapes every label itself: summary.html marks its markup |safe, and nothing else.
    return render(request, "summary.html", services.summary_page(scope.session, scope.ctx))


@router.get("/reviews/{review_id}/summary.csv")
def summary_download(review_id: int, scope: Reading) -> Response:
    """The summary tables as one CSV (field, value, studies)."""
    body = services.export_summary(scope.session, scope.ctx)
    return download(body, media_type="text/csv; charset=utf-8", filename=f"review-{review_id}-summary.csv")
