"""Study characteristics: own extractions, the owner's reconciliation, the XLSX round trip, the summary.

A row per study shows its settled values; each reviewer edits their own extraction, the owner
compares two extractors and settles their differences, and the summary gives the tables and bar
charts a results section reports.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from realreview import services
from realreview.characteristics import (
    ExtractionForm,
    bar_chart_svg,
    format_value,
    summary_csv,
)
from realreview.errors import ReviewError, ValidationError
from realreview.services import CONSENSUS, Role
from realreview.web.deps import db, db_write, is_htmx, render, require_csrf, signed_in

router = APIRouter()

User = Annotated[str, Depends(signed_in)]
Db = Annotated[Session, Depends(db)]
DbWrite = Annotated[Session, Depends(db_write)]
CSRF = [Depends(require_csrf)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The largest characteristics sheet accepted: a sheet of a few hundred studies is well under 1 MiB.
MAX_SHEET_BYTES = 20 * 2**20


async def _posted(request: Request) -> FormData:
    """The posted form as it is: the form's fields are the review's own, not known to the route."""
    return await request.form()


Posted = Annotated[FormData, Depends(_posted)]


def _pair(
    members: list[services.Member], first: str | None, second: str | None
) -> tuple[str | None, str | None]:
    """The two extractors to compare: as chosen, else the first two reviewers of the review."""
    reviewers = [m.user.email for m in members if m.role is Role.REVIEWER]
    return first or (reviewers[0] if reviewers else None), second or (
        reviewers[1] if len(reviewers) > 1 else None
    )


def _context(
    session: Session, *, review_id: int, user: str, first: str | None = None, second: str | None = None
) -> dict[str, object]:
    """The page: settled values per study, the user's own, and (for an owner) two extractors' differences."""
    role = services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    members = services.members_of(session, review_id=review_id)
    first, second = _pair(members, first, second) if role is Role.OWNER else (None, None)
    differences = (
        services.extraction_differences(session, review_id=review_id, first=first, second=second)
        if first and second and first != second
        else {}
    )
    studies = services.studies(session, review_id=review_id)
    return {
        "review": services.get_review(session, review_id=review_id),
        "role": role,
        "can_extract": role is not Role.VIEWER,
        "is_owner": role is Role.OWNER,
        "form": services.extraction_form(session, review_id=review_id),
        "studies": studies,
        "labels": {study.record_id: study.label for study in studies},
        "settled": services.study_values(session, review_id=review_id),
        "mine": services.study_values(session, review_id=review_id, extractor=user),
        "extractors": [m.user.email for m in members if m.role is not Role.VIEWER],
        "first": first,
        "second": second,
        "differences": differences,
        "fmt": format_value,
        "errors": {},
        "report": None,
        "error": None,
    }


@router.get("/reviews/{review_id}/characteristics")
def characteristics_page(
    request: Request,
    review_id: int,
    user: User,
    session: Db,
    first: str | None = None,
    second: str | None = None,
) -> Response:
    """A row per study; the user's own extraction form per study; an owner's reconciliation."""
    context = _context(session, review_id=review_id, user=user, first=first, second=second)
    return render(request, "_char_studies.html" if is_htmx(request) else "characteristics.html", context)


def _submitted(form: ExtractionForm, posted: FormData) -> dict[str, str]:
    """The posted fields as the service reads them: several ticked values joined by ``"; "``.

    Only fields present in the post count (a multi-choice field posts an empty hidden value, so that
    unticking every box clears it).
    """
    return {
        field.key: "; ".join(v.strip() for v in posted.getlist(field.key) if isinstance(v, str) and v.strip())
        for field in form.fields
        if field.key in posted
    }


@router.post("/reviews/{review_id}/characteristics/{record_id}", dependencies=CSRF)
def save_values(
    request: Request, review_id: int, record_id: int, user: User, session: DbWrite, posted: Posted
) -> Response:
    """Save the signed-in reviewer's values for one study; nothing is saved if any field is refused.

    Unchanged fields are not stored again: values are append-only, and a row per untouched field on
    every save would bury the real edits.
    """
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    form = services.extraction_form(session, review_id=review_id)
    saved = services.set_values(
        session,
        review_id=review_id,
        record_id=record_id,
        raw=_submitted(form, posted),
        extractor=user,
        actor=user,
    )
    if saved.errors:
        context = _context(session, review_id=review_id, user=user) | {"errors": {record_id: saved.errors}}
        return render(
            request,
            "_char_studies.html" if is_htmx(request) else "characteristics.html",
            context,
            status_code=400,
        )
    if not is_htmx(request):
        return RedirectResponse(f"/reviews/{review_id}/characteristics#study-{record_id}", status_code=303)
    return render(request, "_char_studies.html", _context(session, review_id=review_id, user=user))


@router.post("/reviews/{review_id}/characteristics/{record_id}/consensus", dependencies=CSRF)
def set_consensus(
    request: Request,
    review_id: int,
    record_id: int,
    user: User,
    session: DbWrite,
    field_key: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    first: Annotated[str, Form()] = "",
    second: Annotated[str, Form()] = "",
) -> Response:
    """Settle one field of one study (owner only): the consensus value is the study's from now on."""
    services.require_role(session, review_id=review_id, email=user, role=Role.OWNER)
    services.set_value(
        session,
        review_id=review_id,
        record_id=record_id,
        field_key=field_key,
        raw=value,
        extractor=CONSENSUS,
        actor=user,
    )
    if not is_htmx(request):
        query = f"?first={first}&second={second}" if first and second else ""
        return RedirectResponse(f"/reviews/{review_id}/characteristics{query}#differences", status_code=303)
    context = _context(session, review_id=review_id, user=user, first=first or None, second=second or None)
    return render(request, "_char_differences.html", context)


@router.get("/reviews/{review_id}/characteristics.xlsx")
def characteristics_xlsx(review_id: int, user: User, session: Db) -> Response:
    """The settled characteristics as a sheet to fill in or check offline."""
    services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    body = services.export_characteristics(session, review_id=review_id)
    headers = {"Content-Disposition": f'attachment; filename="review-{review_id}-characteristics.xlsx"'}
    return Response(body, media_type=XLSX, headers=headers)


@router.post("/reviews/{review_id}/characteristics.xlsx", dependencies=CSRF)
def import_sheet(
    request: Request, review_id: int, user: User, session: DbWrite, file: Annotated[UploadFile, File()]
) -> Response:
    """Read an edited sheet back as the user's values; the page reports each change and each refusal.

    A file that is no sheet at all is refused before anything is stored (400, with the reason).
    """
    services.require_role(session, review_id=review_id, email=user, role=Role.REVIEWER)
    name = file.filename or "characteristics.xlsx"
    try:
        data = file.file.read(MAX_SHEET_BYTES + 1)
        if len(data) > MAX_SHEET_BYTES:
            raise ValidationError(f"{name}: larger than {MAX_SHEET_BYTES // 2**20} MiB")
        report = services.import_characteristics(
            session, review_id=review_id, data=data, name=name, extractor=user, actor=user
        )
    except ReviewError as error:
        context = _context(session, review_id=review_id, user=user) | {"error": str(error)}
        return render(request, "characteristics.html", context, status_code=400)
    context = _context(session, review_id=review_id, user=user) | {"report": report, "sheet": name}
    return render(request, "characteristics.html", context)


@router.get("/reviews/{review_id}/summary")
def summary_page(request: Request, review_id: int, user: User, session: Db) -> Response:
    """Per field: a bar chart and a table of how many studies have each value."""
    services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    summaries = services.summarise_characteristics(session, review_id=review_id)
    # bar_chart_svg escapes every label itself: summary.html marks its markup |safe, and nothing else.
    charts = [(summary, bar_chart_svg(summary)) for summary in summaries]
    review = services.get_review(session, review_id=review_id)
    return render(request, "summary.html", {"review": review, "charts": charts})


@router.get("/reviews/{review_id}/summary.csv")
def summary_download(review_id: int, user: User, session: Db) -> Response:
    """The summary tables as one CSV (field, value, studies)."""
    services.require_role(session, review_id=review_id, email=user, role=Role.VIEWER)
    body = summary_csv(services.summarise_characteristics(session, review_id=review_id))
    headers = {"Content-Disposition": f'attachment; filename="review-{review_id}-summary.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
