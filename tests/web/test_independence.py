"""Independent extraction over HTTP: no page, partial or download shows a blinded reviewer a colleague's values.

Issue #10: Ben saw Ana's values on the characteristics page and in the downloaded sheet before
extracting, and his uploaded sheet left him with "0 of 8 fields".
"""

from __future__ import annotations

import io
from urllib.parse import quote

import openpyxl
from fastapi.testclient import TestClient
from tests.web.conftest import ANA, BEN, OWNER, Client, csrf, member_ctx
from tests.web.test_characteristics import PAGE, query, save, upload

from realreview import services

#: A value nobody else types: wherever it shows up, it came from Ana's extraction.
MARK = "Zebrafish-asthma-7"
ANAS = {
    "country": "Iceland",
    "care_setting": ["tertiary"],
    "year": "1999",
    "clinical_topic": MARK,
    "study_design": "case-control",
    "progress_plus": ["Religion"],
    "intervention_type": "gradient",
    "effect_on_inequalities": "increased",
}
SHOWN = ("Iceland", "tertiary", "1999", MARK, "case-control", "Religion", "gradient", "increased")


def _everything(client: TestClient) -> dict[str, bytes]:
    """Every characteristics page, partial and download a reviewer can ask for (Ana named in the query)."""
    paths = [
        PAGE,
        f"{PAGE}?first={quote(ANA)}&second={quote(BEN)}",
        "/reviews/1/characteristics.xlsx",
        f"/reviews/1/characteristics.xlsx?extractor={quote(BEN)}",
        "/reviews/1/summary",
        "/reviews/1/summary.csv",
    ]
    found = {path: client.get(path).content for path in paths}
    found["partial"] = client.get(PAGE, headers={"HX-Request": "true"}).content
    return found


def _cells(data: bytes) -> list[object]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [cell for row in sheet.iter_rows(min_row=3, values_only=True) for cell in row[2:]]


def test_no_page_partial_or_download_shows_ben_anas_values(web: Client) -> None:
    ana, ben = web(ANA), web(BEN)
    upload(ana, b"Full text of record 1.", "r1.txt", record_id="1")
    save(ben, 1, {"year": "2018"})
    before = _everything(ben)
    assert save(ana, 1, ANAS).status_code == 303  # type: ignore[attr-defined]
    after = _everything(ben)
    for path, body in after.items():
        if path.endswith(".xlsx") or "xlsx?" in path:
            assert _cells(body) == _cells(before[path]), path  # the same cells as before Ana extracted
            assert not set(_cells(body)) & {*SHOWN, 1999}, path
        else:
            assert body == before[path], path  # byte for byte: no value, count or flag of Ana's
            assert MARK.encode() not in body and b"Iceland" not in body, path
    refused = ben.get(f"/reviews/1/characteristics.xlsx?extractor={quote(ANA)}")
    assert refused.status_code == 403 and MARK not in refused.text
    owner = web(OWNER)
    assert MARK in owner.get(PAGE).text and "one extractor only" in owner.get(PAGE).text
    settled = owner.post(
        f"{PAGE}/1/consensus",
        data={"field_key": "clinical_topic", "value": MARK, "csrf_token": csrf(owner, PAGE)},
        follow_redirects=False,
    )
    assert settled.status_code == 303
    assert MARK in ben.get(PAGE).text and MARK in _cells(ben.get("/reviews/1/characteristics.xlsx").content)
    assert "Iceland" not in ben.get(PAGE).text  # only the settled field


def test_bens_uploaded_sheet_becomes_his_eight_values(web: Client) -> None:
    ana, ben = web(ANA), web(BEN)
    upload(ana, b"Full text of record 1.", "r1.txt", record_id="1")
    save(ana, 1, ANAS)
    download = ben.get(f"/reviews/1/characteristics.xlsx?extractor={quote(BEN)}")
    assert (
        download.headers["content-disposition"] == 'attachment; filename="review-1-characteristics-mine.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == 1)
    assert [sheet.cell(row, c).value for c in range(3, len(keys) + 1)] == [None] * 8  # nothing of Ana's
    bens = dict(ANAS, year="2000", care_setting="tertiary", progress_plus="Religion")
    for key, value in bens.items():
        sheet.cell(row, keys.index(key) + 1).value = value
    edited = io.BytesIO()
    book.save(edited)
    answer = ben.post(
        "/reviews/1/characteristics.xlsx",
        data={"csrf_token": csrf(ben, PAGE)},
        files={"file": ("ben.xlsx", edited.getvalue(), "application/octet-stream")},
    )
    assert answer.status_code == 200 and answer.context["report"].rejected == ()  # type: ignore[attr-defined]
    assert "ben.xlsx: 8 changes, 0 refused" in answer.text
    assert "your values (8 of 8 fields)" in answer.text
    assert len(query(ben, services.study_values, BEN, extractor=BEN)[1]) == 8
    assert query(ben, services.study_values, ANA, extractor=ANA)[1]["year"] == 1999  # Ana's untouched
    differences = web(OWNER).get(f"{PAGE}?first={quote(ANA)}&second={quote(BEN)}").context["differences"]  # type: ignore[attr-defined]
    assert [d.key for d in differences[1]] == ["year"]


def test_unblinded_reviewers_see_each_others_values(web: Client) -> None:
    ana, ben = web(ANA), web(BEN)
    upload(ana, b"Full text of record 1.", "r1.txt", record_id="1")
    save(ana, 1, {"clinical_topic": MARK})
    with ben.app.state.database.unit_of_work() as session:  # type: ignore[attr-defined]
        services.configure_screening(session, member_ctx(session, OWNER), blinded=False)
    page = ben.get(PAGE)
    assert page.context["blind"] is False and MARK in page.text  # type: ignore[attr-defined]
    assert MARK in _cells(ben.get(f"/reviews/1/characteristics.xlsx?extractor={quote(ANA)}").content)
