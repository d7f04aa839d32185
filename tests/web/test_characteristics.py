"""Study characteristics in the web app: own values, reconciliation, the XLSX round trip, the summary."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from html import unescape
from typing import TypeVar

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.web.conftest import ANA, BEN, EVE, OWNER, VIV, XSS, Client, csrf, member_ctx

from realreview import services
from realreview.storage.models import AuditLogRow, ExtractionValueRow

T = TypeVar("T")

PAGE = "/reviews/1/characteristics"


def save(client: TestClient, record_id: int, fields: dict[str, object], *, htmx: bool = False) -> object:
    token = csrf(client, PAGE)
    if htmx:
        headers = {"HX-Request": "true", "X-CSRF-Token": token}
        return client.post(f"{PAGE}/{record_id}", data=fields, headers=headers)
    return client.post(f"{PAGE}/{record_id}", data={**fields, "csrf_token": token}, follow_redirects=False)


def upload(client: TestClient, data: bytes, name: str, record_id: str) -> None:
    token = csrf(client, "/reviews/1/documents")
    answer = client.post(
        "/reviews/1/documents",
        data={"csrf_token": token, "record_id": record_id},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def query(client: TestClient, function: Callable[..., T], email: str, **arguments: object) -> T:
    """Call a service as the member ``email``, in its own unit of work over the client's database."""
    with client.app.state.database.unit_of_work() as session:  # type: ignore[attr-defined]
        return function(session, member_ctx(session, email), **arguments)


@pytest.fixture
def ana(web: Client) -> TestClient:
    """ANA, with full texts attached to records 1 and 2: the review's two studies."""
    client = web(ANA)
    for record_id in (1, 2):
        upload(
            client,
            f"Full text of record {record_id}.".encode(),
            f"r{record_id}.txt",
            record_id=str(record_id),
        )
    return client


def stored_rows(client: TestClient) -> int:
    with client.app.state.database.unit_of_work() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(ExtractionValueRow)) or 0)


def audit_actions(client: TestClient) -> list[tuple[str, str]]:
    with client.app.state.database.unit_of_work() as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(AuditLogRow.actor, AuditLogRow.action)
            .where(AuditLogRow.action.like("characteristics.%"))
            .order_by(AuditLogRow.id)
        )
        return [(actor, action) for actor, action in rows]


def test_page_has_a_row_per_study_and_a_form_per_study(ana: TestClient) -> None:
    page = ana.get(PAGE)
    assert page.template.name == "characteristics.html"  # type: ignore[attr-defined]
    assert [s.record_id for s in page.context["studies"]] == [1, 2]  # type: ignore[attr-defined]
    assert [f.key for f in page.context["form"].fields][:3] == ["country", "care_setting", "year"]  # type: ignore[attr-defined]
    assert page.text.count('<tr data-record="') == 2
    assert '<select id="s1-study_design" name="study_design">' in page.text  # choice: a select
    assert 'type="checkbox" name="care_setting" value="primary"' in page.text  # multi: checkboxes
    assert '<input id="s1-year" name="year" value=""' in page.text  # others: an input
    assert page.context["can_settle"] is False and "Reconcile" not in page.text  # type: ignore[attr-defined]
    partial = ana.get(PAGE, headers={"HX-Request": "true"})
    assert partial.template.name == "_char_studies.html" and "<html" not in partial.text  # type: ignore[attr-defined]


def test_saving_my_values_stores_only_what_changed(ana: TestClient) -> None:
    fields = {
        "country": "UK; france",
        "care_setting": ["", "primary", "community"],
        "year": "2019",
        "study_design": "rct",
        "clinical_topic": "",
    }
    answer = save(ana, 1, fields)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == f"{PAGE}#study-1"  # type: ignore[attr-defined]
    mine = query(ana, services.study_values, ANA, extractor=ANA)
    assert mine[1] == {
        "country": ("United Kingdom", "France"),
        "care_setting": ("primary", "community"),
        "year": 2019,
        "study_design": "RCT",
    }
    assert stored_rows(ana) == 4
    again = save(ana, 1, {**fields, "year": "2020"}, htmx=True)
    assert again.template.name == "_char_studies.html"  # type: ignore[attr-defined]
    assert again.context["mine"][1]["year"] == 2020  # type: ignore[attr-defined]
    assert again.context["settled"][1] == {}  # type: ignore[attr-defined]  # blinded: none settled yet
    assert stored_rows(ana) == 5  # only the year was stored again
    assert "United Kingdom; France" in again.text  # type: ignore[attr-defined]
    cleared = save(ana, 1, {"care_setting": ""})
    assert cleared.status_code == 303  # type: ignore[attr-defined]
    assert "care_setting" not in query(ana, services.study_values, ANA, extractor=ANA)[1]  # cleared
    assert stored_rows(ana) == 6
    assert save(ana, 1, fields).status_code == 303 and stored_rows(ana) == 8  # type: ignore[attr-defined]
    unchanged = save(ana, 1, fields)
    assert unchanged.status_code == 303 and stored_rows(ana) == 8  # type: ignore[attr-defined]
    assert audit_actions(ana) == [(ANA, "characteristics.values")] * 4  # a save that changed nothing: no row


def test_a_refused_value_saves_nothing_and_says_why(ana: TestClient) -> None:
    answer = save(ana, 2, {"year": "19x", "study_design": "survey", "clinical_topic": "diabetes"}, htmx=True)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert answer.template.name == "_char_studies.html"  # type: ignore[attr-defined]
    assert answer.context["errors"] == {  # type: ignore[attr-defined]
        2: {
            "year": "Year: '19x' is not a year (1800-2100)",
            "study_design": answer.context["errors"][2]["study_design"],  # type: ignore[attr-defined]
        }
    }
    assert answer.context["errors"][2]["study_design"].startswith("Study design: 'survey' is not one of: RCT")  # type: ignore[attr-defined]
    assert "data-errors" in answer.text and "Year: &#39;19x&#39; is not a year (1800-2100)" in answer.text  # type: ignore[attr-defined]
    assert stored_rows(ana) == 0
    page = save(ana, 2, {"year": "19x"})
    assert page.status_code == 400 and page.template.name == "characteristics.html"  # type: ignore[attr-defined]


def test_owner_compares_two_extractors_and_settles_the_difference(ana: TestClient, web: Client) -> None:
    save(ana, 1, {"year": "2019", "study_design": "RCT"})
    ben = web(BEN)
    save(ben, 1, {"year": "2018", "study_design": "RCT"})
    owner = web(OWNER)
    page = owner.get(f"{PAGE}?first={ANA}&second={BEN}")
    assert (page.context["first"], page.context["second"]) == (ANA, BEN)  # type: ignore[attr-defined]
    ((record_id, (difference,)),) = page.context["differences"].items()  # type: ignore[attr-defined]
    assert (record_id, difference.key, difference.first, difference.second) == (1, "year", 2019, 2018)
    assert page.context["settled"][1] == {"study_design": "RCT"}  # type: ignore[attr-defined]  # agreed
    assert page.context["standings"][1]["year"].standing.value == "extractors differ"  # type: ignore[attr-defined]
    assert 'data-standing="DIFFERENT"' in page.text
    defaults = owner.get(PAGE)
    assert (defaults.context["first"], defaults.context["second"]) == (ANA, BEN)  # type: ignore[attr-defined]
    token = csrf(owner, PAGE)
    settle = {"field_key": "year", "value": "2018", "first": ANA, "second": BEN}
    assert ana.post(f"{PAGE}/1/consensus", data={**settle, "csrf_token": csrf(ana, PAGE)}).status_code == 403
    settled = owner.post(
        f"{PAGE}/1/consensus", data=settle, headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert settled.template.name == "_char_differences.html"  # type: ignore[attr-defined]
    assert settled.context["differences"] == {}  # type: ignore[attr-defined]
    assert f"No differences left between {ANA} and {BEN}." in settled.text  # type: ignore[attr-defined]
    assert query(owner, services.study_values, OWNER)[1]["year"] == 2018
    assert audit_actions(owner)[-1] == (OWNER, "characteristics.value")
    plain = owner.post(f"{PAGE}/1/consensus", data={**settle, "csrf_token": token}, follow_redirects=False)
    assert plain.headers["location"] == f"{PAGE}?first={ANA}&second={BEN}#differences"


def test_xlsx_download_and_upload_report_changes_and_refusals(ana: TestClient) -> None:
    save(ana, 1, {"year": "2019"})
    download = ana.get("/reviews/1/characteristics.xlsx")
    assert download.headers["content-disposition"] == 'attachment; filename="review-1-characteristics.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(row=rows[1], column=keys.index("year") + 1, value=2021)
    sheet.cell(row=rows[2], column=keys.index("study_design") + 1, value="guesswork")
    sheet.cell(row=rows[2], column=keys.index("clinical_topic") + 1, value="asthma")
    edited = io.BytesIO()
    book.save(edited)
    token = csrf(ana, PAGE)
    files = {"file": ("edited.xlsx", edited.getvalue(), "application/octet-stream")}
    answer = ana.post("/reviews/1/characteristics.xlsx", data={"csrf_token": token}, files=files)
    assert answer.status_code == 200 and answer.template.name == "characteristics.html"  # type: ignore[attr-defined]
    report = answer.context["report"]  # type: ignore[attr-defined]
    assert sorted((c.record_id, c.key, c.old, c.new) for c in report.changes) == [
        (1, "year", 2019, 2021),
        (2, "clinical_topic", None, "asthma"),
    ]
    ((rejected),) = report.rejected
    assert (rejected.row, rejected.value) == (rows[2], "guesswork")
    assert "edited.xlsx: 2 changes, 1 refused" in answer.text
    assert unescape(rejected.reason) in unescape(answer.text)
    assert query(ana, services.study_values, ANA, extractor=ANA)[2] == {"clinical_topic": "asthma"}
    broken = {"file": ("notes.xlsx", b"not a workbook", "application/octet-stream")}
    refused = ana.post("/reviews/1/characteristics.xlsx", data={"csrf_token": token}, files=broken)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert refused.context["error"].startswith("notes.xlsx")  # type: ignore[attr-defined]
    assert 'class="error" role="alert"' in refused.text


def test_summary_page_charts_and_csv(ana: TestClient, web: Client) -> None:
    save(ana, 1, {"care_setting": ["primary", "community"], "clinical_topic": XSS})
    save(ana, 2, {"care_setting": ["primary"]})
    viv, owner = web(VIV), web(OWNER)
    blinded = viv.get("/reviews/1/summary")
    assert blinded.context["blind"] and blinded.context["settlement"].studies == 0  # type: ignore[attr-defined]
    assert "Blinded:" in blinded.text and "primary</td><td>2" not in blinded.text
    # Ana is the review's only extractor: the owner settles her values, and then everyone sees them.
    assert owner.get("/reviews/1/summary").context["settlement"].settled == 2  # type: ignore[attr-defined]
    settle = owner.post(
        f"{PAGE}/settle-agreed", data={"csrf_token": csrf(owner, PAGE)}, follow_redirects=False
    )
    assert settle.status_code == 303 and settle.headers["location"] == PAGE
    page = viv.get("/reviews/1/summary")
    assert page.template.name == "summary.html"  # type: ignore[attr-defined]
    summaries = {summary.key: summary for summary, _svg in page.context["charts"]}  # type: ignore[attr-defined]
    care = summaries["care_setting"]
    assert (care.counts, care.studies, care.missing) == (
        (("primary", 2), ("secondary", 0), ("tertiary", 0), ("community", 1)),
        2,
        0,
    )
    assert page.text.count("<svg ") == len(summaries)
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    rows = list(csv.reader(io.StringIO(web(VIV).get("/reviews/1/summary.csv").text)))
    assert rows[0] == ["field", "value", "studies"]
    assert ["Care setting", "primary", "2"] in rows and ["Clinical topic", XSS, "1"] in rows


def test_roles_csrf_and_escaping(ana: TestClient, web: Client) -> None:
    pages = [PAGE, "/reviews/1/characteristics.xlsx", "/reviews/1/summary", "/reviews/1/summary.csv"]
    eve, viv = web(EVE), web(VIV)
    for path in pages:
        assert eve.get(path).status_code == 404, path
        assert viv.get(path).status_code == 200, path
    assert "Save my values" not in viv.get(PAGE).text
    assert save(viv, 1, {"year": "2019"}).status_code == 403  # type: ignore[attr-defined]
    assert save(eve, 1, {"year": "2019"}).status_code == 404  # type: ignore[attr-defined]
    assert ana.post(f"{PAGE}/1", data={"year": "2019"}).status_code == 403  # no CSRF token
    files = {"file": ("a.xlsx", b"x", "application/octet-stream")}
    assert ana.post("/reviews/1/characteristics.xlsx", files=files).status_code == 403
    token = csrf(viv, PAGE)
    sheet = viv.get("/reviews/1/characteristics.xlsx").content
    upload_as_viewer = {"file": ("a.xlsx", sheet, "application/octet-stream")}
    refused = viv.post("/reviews/1/characteristics.xlsx", data={"csrf_token": token}, files=upload_as_viewer)
    assert refused.status_code == 403  # a viewer's sheet is refused for the role, not read
    settle = {"field_key": "year", "value": "2019", "csrf_token": token}
    assert viv.post(f"{PAGE}/1/consensus", data=settle).status_code == 403
    assert stored_rows(viv) == 0
    save(ana, 1, {"clinical_topic": XSS})
    page = web(OWNER).get(PAGE)
    assert XSS not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
