"""The RAMESES page: the checklist, the links to the data behind it, the owners' form, the downloads."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient
from tests.web.conftest import ANA, OWNER, VIV, XSS, csrf


def _post(client: TestClient, **form: str):  # type: ignore[no-untyped-def]
    data = {**form, "csrf_token": csrf(client, "/reviews/1/rameses")}
    return client.post("/reviews/1/rameses", data=data, follow_redirects=False)


def test_the_page_shows_each_item_with_its_status_and_the_data_behind_it(web) -> None:  # type: ignore[no-untyped-def]
    ana = web(ANA)
    page = ana.get("/reviews/1/rameses")
    assert page.status_code == 200 and page.template.name == "rameses.html"  # type: ignore[attr-defined]
    lines = page.context["lines"]  # type: ignore[attr-defined]
    assert [line.item.number for line in lines] == list(range(1, 20))
    assert '<tr id="item-12" data-item="12" data-coverage="partly">' in page.text
    assert '<span class="badge coverage-authors">authors must write</span>' in page.text
    assert '<a href="/reviews/1/prisma">the PRISMA 2020 flow</a>' in page.text
    assert 'href="/reviews/1/setup"' not in page.text  # the setup page is the owner's
    assert "<code>realreview searches</code>" in page.text
    assert 'class="stack rameses-entry"' not in page.text  # entering is the owner's
    assert 'href="/reviews/1/rameses"' in ana.get("/reviews/1").text  # linked beside the PRISMA flow


def test_an_owner_enters_and_clears_where_the_paper_reports_an_item(web) -> None:  # type: ignore[no-untyped-def]
    owner, ana = web(OWNER), web(ANA)
    response = _post(owner, item="8", location=f"Methods, p. 5 {XSS}", note="Appendix 1")
    assert response.status_code == 303 and response.headers["location"] == "/reviews/1/rameses#item-8"
    page = owner.get("/reviews/1/rameses")
    assert page.text.count('class="stack rameses-entry"') == 19
    assert "Methods, p. 5 &lt;script&gt;" in page.text and XSS not in page.text
    assert page.context["lines"][7].note == "Appendix 1"  # type: ignore[attr-defined]
    markdown = ana.get("/reviews/1/rameses.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert 'filename="RAMESES-checklist.md"' in markdown.headers["content-disposition"]
    assert markdown.text.startswith("# RAMESES checklist: Equity QI\n")
    assert "| Appendix 1 |" in markdown.text
    docx = ana.get("/reviews/1/rameses.docx")
    row = Document(io.BytesIO(docx.content)).tables[3].rows[4]
    assert [cell.text for cell in row.cells][6:] == [f"Methods, p. 5 {XSS}", "Appendix 1"]
    assert ana.get("/reviews/1/rameses.pdf").status_code == 400
    assert _post(owner, item="8", clear="1").status_code == 303
    assert owner.get("/reviews/1/rameses").context["lines"][7].entry is None  # type: ignore[attr-defined]
    assert _post(owner, item="twenty", location="p. 1").status_code == 400
    assert _post(owner, item="20", location="p. 1").status_code == 400


def test_a_viewer_reads_but_cannot_enter(web) -> None:  # type: ignore[no-untyped-def]
    viv = web(VIV)
    assert viv.get("/reviews/1/rameses").status_code == 200
    assert _post(viv, item="8", location="p. 5").status_code == 403
