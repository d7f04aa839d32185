"""Full texts in the web app: the list, uploads and their errors, the reading view, excerpts, memos, appraisal."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html import unescape
from typing import TypeVar

import lxml.html
import pytest
from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from tests.web.conftest import ANA, BEN, EVE, OWNER, VIV, XSS, Client, csrf, member_ctx

from realreview import services
from realreview.services import MemoTarget

# Three pages (form feeds), Windows line ends, a character outside the BMP (one code point, two
# UTF-16 units) and markup that must stay text.
TEXT = (
    "Trust between nurses and managers grew 😀 over the year.\r\nStaff felt heard.\f"
    f"Page two: {XSS} was in the minutes.\f"
    "The end."
)
SENTENCE = "Staff felt heard."
T = TypeVar("T")


def upload(client: TestClient, data: bytes, name: str = "paper.txt", record_id: str = "") -> object:
    token = csrf(client, "/reviews/1/documents")
    return client.post(
        "/reviews/1/documents",
        data={"csrf_token": token, "record_id": record_id},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def make_pdf(*pages: str, encrypt: str | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    for text in pages:
        if text:
            pdf.drawString(72, 770, text)
        else:
            pdf.rect(100, 100, 200, 200, fill=1)  # a page without any text
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def post(client: TestClient, path: str, data: dict[str, object], *, htmx: bool = False) -> object:
    token = csrf(client, "/reviews/1/documents/1")
    if htmx:
        return client.post(path, data=data, headers={"HX-Request": "true", "X-CSRF-Token": token})
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.fixture
def coded(web: Client) -> TestClient:
    """ANA's client, with TEXT uploaded as document 1 (linked to record 2) and a code "Trust" (1)."""
    client = web(ANA)
    assert upload(client, TEXT.encode(), record_id="2").headers["location"] == "/reviews/1/documents/1"  # type: ignore[attr-defined]
    token = csrf(client, "/reviews/1/codes")
    client.post("/reviews/1/codes", data={"csrf_token": token, "name": "Trust", "color": "#3366CC"})
    return client


def test_documents_page_lists_documents_and_offers_upload_to_reviewers(
    coded: TestClient, web: Client
) -> None:
    page = coded.get("/reviews/1/documents")
    assert page.template.name == "documents.html"  # type: ignore[attr-defined]
    (doc,) = page.context["documents"]  # type: ignore[attr-defined]
    assert (doc.id, doc.name, doc.record_id, doc.page_count, doc.characters) == (
        1,
        "paper.txt",
        2,
        3,
        len(TEXT),
    )
    assert page.context["can_upload"] is True  # type: ignore[attr-defined]
    assert [s.record_id for s in page.context["studies"]] == [2]  # type: ignore[attr-defined]
    assert 'enctype="multipart/form-data"' in page.text
    viewer = web(VIV).get("/reviews/1/documents")
    assert viewer.status_code == 200 and 'type="file"' not in viewer.text
    assert "paper.txt" in viewer.text


def test_an_unusable_upload_is_a_400_with_its_reason_on_the_page(web: Client) -> None:
    client = web(ANA, max_document_bytes=4000)
    cases = [
        (make_pdf("Secret", encrypt="pw"), "locked.pdf", "locked.pdf: the PDF is protected by a password"),
        (make_pdf("", ""), "scan.pdf", "scan.pdf: no text layer on any of its 2 pages (a scan?)"),
        (
            b"x" * 9000,
            "big.txt",
            "big.txt: 8.8 KiB is over the 3.9 KiB limit for documents",
        ),  # read up to limit + 1, but the message quotes the upload's size
        (b"", "empty.txt", "empty.txt: file is empty"),
        (b"PK\x03\x04 a word file", "paper.docx", "paper.docx: not a PDF or a plain-text file"),
        (b"Fine text.", "note.txt", None),
        (b"Fine text.", "again.txt", "again.txt: the same file is already attached as document 1 (note.txt)"),
        (b"Other text.", "x.txt", "no record 999 in review 1"),
    ]
    for data, name, message in cases:
        answer = upload(client, data, name, record_id="999" if name == "x.txt" else "")
        if message is None:
            assert answer.status_code == 303  # type: ignore[attr-defined]
            continue
        assert answer.status_code == 400, name  # type: ignore[attr-defined]
        assert answer.template.name == "documents.html"  # type: ignore[attr-defined]
        assert answer.context["error"].startswith(message), answer.context["error"]  # type: ignore[attr-defined]
        assert 'class="error" role="alert"' in answer.text  # type: ignore[attr-defined]
    assert [d.name for d in query(client, services.list_documents, ANA)] == ["note.txt"]


def query(client: TestClient, function: Callable[..., T], email: str, **arguments: object) -> T:
    """Call a service as the member ``email``, in its own unit of work over the client's database."""
    with client.app.state.database.unit_of_work() as session:  # type: ignore[attr-defined]
        return function(session, member_ctx(session, email), **arguments)


def test_a_pdf_upload_opens_its_reading_view_page_by_page(web: Client) -> None:
    client = web(ANA)
    answer = upload(client, make_pdf("Context: rural clinics.", "Outcome: fewer missed visits."), "study.pdf")
    assert answer.headers["location"] == "/reviews/1/documents/1"  # type: ignore[attr-defined]
    page = client.get("/reviews/1/documents/1")
    assert page.template.name == "document.html"  # type: ignore[attr-defined]
    views = page.context["pages"]  # type: ignore[attr-defined]
    assert [(v.number, v.start) for v in views] == [(1, 0), (2, len("Context: rural clinics.") + 1)]
    assert [seg.text for v in views for seg in v.segments] == [
        "Context: rural clinics.",
        "Outcome: fewer missed visits.",
    ]


def _pages_in(html: str) -> list[tuple[int, str]]:
    tree = lxml.html.fromstring(html)
    return [(int(div.get("data-start")), div.text_content()) for div in tree.xpath("//div[@class='page']")]


def test_reading_view_holds_exactly_the_text_of_each_page(coded: TestClient) -> None:
    page = coded.get("/reviews/1/documents/1")
    document = page.context["document"]  # type: ignore[attr-defined]
    expected = [(span.start, document.page_text(span)) for span in document.pages]
    # libxml2 reads &#13; back as CR, as browsers do; a literal CR would have become LF.
    assert _pages_in(page.text) == expected
    assert "heard.\r\n" not in page.text and "year.&#13;\nStaff" in page.text
    assert XSS not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    partial = coded.get("/reviews/1/documents/1", headers={"HX-Request": "true"})
    assert partial.template.name == "_doc_coding.html"  # type: ignore[attr-defined]
    assert "<html" not in partial.text and _pages_in(partial.text) == expected


def test_coding_a_selection_by_code_point_offsets(coded: TestClient) -> None:
    start = TEXT.index(SENTENCE)  # after the emoji: one code point, though two UTF-16 units
    answer = post(
        coded,
        "/reviews/1/documents/1/excerpts",
        {"start": start, "end": start + len(SENTENCE), "text": SENTENCE, "code_ids": ["1"]},
        htmx=True,
    )
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert answer.template.name == "_doc_coding.html"  # type: ignore[attr-defined]
    (excerpt,) = answer.context["excerpts"]  # type: ignore[attr-defined]
    assert (excerpt.start, excerpt.end, excerpt.text, excerpt.page, excerpt.code_ids) == (
        start,
        start + len(SENTENCE),
        SENTENCE,
        1,
        (1,),
    )
    mark = f'<mark data-excerpt="1" data-excerpts="1" data-color="#3366CC80" title="Trust">{SENTENCE}</mark>'
    assert mark in answer.text  # type: ignore[attr-defined]
    assert _pages_in(answer.text)[0][1] == TEXT.split("\f")[0]  # type: ignore[attr-defined]


def test_without_javascript_the_position_form_codes_and_redirects(coded: TestClient) -> None:
    start = TEXT.index("The end.")
    answer = post(
        coded, "/reviews/1/documents/1/excerpts", {"start": start, "end": start + 3, "new_code": "Ending"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/reviews/1/documents/1"  # type: ignore[attr-defined]
    page = coded.get("/reviews/1/documents/1")
    (excerpt,) = page.context["excerpts"]  # type: ignore[attr-defined]
    assert (excerpt.text, excerpt.page) == ("The", 3)
    (new,) = [c for c in page.context["codes"] if c.name == "Ending"]  # type: ignore[attr-defined]
    assert excerpt.code_ids == (new.id,) and new.origin.value == "inductive"
    assert 'name="start" min="0" required' in page.text  # the fallback form


def test_a_selection_that_does_not_match_the_text_is_refused(coded: TestClient) -> None:
    wrong = post(
        coded,
        "/reviews/1/documents/1/excerpts",
        {"start": 0, "end": 5, "text": "Staff", "code_ids": ["1"]},
        htmx=True,
    )
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert "the selected text does not match characters 0-5; reload the page and select again" in wrong.text  # type: ignore[attr-defined]
    no_code = post(coded, "/reviews/1/documents/1/excerpts", {"start": 0, "end": 5}, htmx=True)
    assert no_code.status_code == 400  # type: ignore[attr-defined]
    assert "pick a code (or name a new one) for the excerpt" in no_code.text  # type: ignore[attr-defined]
    outside = post(
        coded, "/reviews/1/documents/1/excerpts", {"start": 5, "end": 999, "code_ids": ["1"]}, htmx=True
    )
    assert f"excerpt 5-999 is outside its text (0-{len(TEXT)})" in outside.text  # type: ignore[attr-defined]
    assert query(coded, services.excerpts_of_document, ANA, document_id=1) == []


def test_apply_and_remove_a_code_on_an_excerpt(coded: TestClient) -> None:
    post(coded, "/reviews/1/documents/1/excerpts", {"start": 0, "end": 5, "text": "Trust", "code_ids": ["1"]})
    post(coded, "/reviews/1/codes", {"name": "Managers"})
    applied = post(coded, "/reviews/1/documents/1/excerpts/1/codes", {"code_id": 2}, htmx=True)
    assert applied.context["excerpts"][0].code_ids == (1, 2)  # type: ignore[attr-defined]
    assert 'aria-label="Code to add"' not in applied.text  # type: ignore[attr-defined]  # loaded when opened
    picker = coded.get("/reviews/1/documents/1/excerpts/1/picker", headers={"HX-Request": "true"})
    assert picker.template.name == "_doc_code_picker.html"  # type: ignore[attr-defined]
    assert "Every code is on this excerpt already." in picker.text  # both codes are on it
    removed = post(coded, "/reviews/1/documents/1/excerpts/1/codes/1/remove", {}, htmx=True)
    assert removed.template.name == "_doc_coding.html"  # type: ignore[attr-defined]
    assert removed.context["excerpts"][0].code_ids == (2,)  # type: ignore[attr-defined]
    offered = coded.get("/reviews/1/documents/1/excerpts/1/picker", headers={"HX-Request": "true"})
    assert 'aria-label="Code to add"' in offered.text and '<option value="1">' in offered.text
    assert '<option value="2">' not in offered.text  # already on the excerpt
    again = post(coded, "/reviews/1/documents/1/excerpts/1/codes/1/remove", {})
    assert again.status_code == 404 and "excerpt 1 is not coded with code 1" in again.text  # type: ignore[attr-defined]


def test_memos_on_a_document_are_added_and_reworded(coded: TestClient) -> None:
    added = post(coded, "/reviews/1/documents/1/memos", {"title": "First read", "text": XSS}, htmx=True)
    assert added.template.name == "_doc_memos.html"  # type: ignore[attr-defined]
    (memo,) = added.context["memos"]  # type: ignore[attr-defined]
    assert (memo.title, memo.text, memo.created_by) == ("First read", XSS, ANA)
    assert XSS not in added.text and 'hx-target="#memos-document-1"' in added.text  # type: ignore[attr-defined]
    edited = post(coded, f"/reviews/1/documents/1/memos/{memo.id}", {"text": "Trust is the mechanism."})
    assert edited.status_code == 303  # type: ignore[attr-defined]
    page = coded.get("/reviews/1/documents/1")
    (current,) = page.context["memos"]  # type: ignore[attr-defined]
    assert (current.text, current.versions) == ("Trust is the mechanism.", 2)


def test_appraisal_of_a_document(coded: TestClient, web: Client) -> None:
    fields = {"relevance": "high", "rigour": "moderate", "rigour_rationale": "small sample"}
    answer = post(coded, "/reviews/1/documents/1/appraisals", fields, htmx=True)
    assert answer.template.name == "_doc_appraisals.html"  # type: ignore[attr-defined]
    (mine,) = answer.context["appraisals"]  # type: ignore[attr-defined]
    assert (mine.reviewer, mine.relevance.value, mine.rigour.value, mine.rigour_rationale) == (
        ANA,
        "high",
        "moderate",
        "small sample",
    )
    assert answer.context["mine"] == mine  # type: ignore[attr-defined]
    ben = web(BEN)
    blinded = ben.get("/reviews/1/documents/1")
    assert blinded.context["appraisals"] == [] and "small sample" not in blinded.text  # type: ignore[attr-defined]
    assert "Blinded: colleagues' appraisals appear once the owner turns blinding off." in unescape(
        blinded.text
    )
    post(ben, "/reviews/1/documents/1/appraisals", {"relevance": "low"})
    appraisals = query(ben, services.appraisals_of, BEN, target_kind=MemoTarget.DOCUMENT, target_id=1)
    assert [(a.reviewer, a.relevance.value if a.relevance else None) for a in appraisals] == [(BEN, "low")]
    everyone = query(ben, services.appraisals_of, OWNER, target_kind=MemoTarget.DOCUMENT, target_id=1)
    assert [(a.reviewer, a.relevance.value if a.relevance else None) for a in everyone] == [
        (ANA, "high"),
        (BEN, "low"),
    ]
    bad = post(ben, "/reviews/1/documents/1/appraisals", {"relevance": "stellar"}, htmx=True)
    assert bad.status_code == 400 and "relevance 'stellar' is not one of: high, moderate, low" in unescape(
        bad.text
    )  # type: ignore[attr-defined]


DOCUMENT_PAGES = ["/reviews/1/documents", "/reviews/1/documents/1"]
DOCUMENT_WRITES = [
    ("/reviews/1/documents/1/excerpts", {"start": 0, "end": 5, "code_ids": ["1"]}),
    ("/reviews/1/documents/1/excerpts/1/codes", {"code_id": 1}),
    ("/reviews/1/documents/1/excerpts/1/codes/1/remove", {}),
    ("/reviews/1/documents/1/memos", {"text": "note"}),
    ("/reviews/1/documents/1/memos/1", {"text": "note"}),
    ("/reviews/1/documents/1/appraisals", {"relevance": "high"}),
]


def test_non_members_get_404_viewers_read_but_cannot_write(coded: TestClient, web: Client) -> None:
    post(coded, "/reviews/1/documents/1/excerpts", {"start": 0, "end": 5, "code_ids": ["1"]})
    post(coded, "/reviews/1/documents/1/memos", {"text": "note"})
    eve, viv = web(EVE), web(VIV)
    for path in DOCUMENT_PAGES:
        assert eve.get(path).status_code == 404, path
        assert viv.get(path).status_code == 200, path
    page = viv.get("/reviews/1/documents/1")
    assert 'id="code-panel"' not in page.text and "Add memo" not in page.text
    token = csrf(viv, "/reviews/1")
    for path, data in DOCUMENT_WRITES:
        assert viv.post(path, data={**data, "csrf_token": token}).status_code == 403, path
    assert upload(viv, b"Viewer text.").status_code == 403  # type: ignore[attr-defined]
    assert web(EVE).get("/reviews/1/documents/99").status_code == 404
    assert coded.get("/reviews/1/documents/99").status_code == 404


def test_csrf_is_required_for_every_document_write(coded: TestClient) -> None:
    for path, data in DOCUMENT_WRITES:
        assert coded.post(path, data=data).status_code == 403, path
        assert coded.post(path, data={**data, "csrf_token": "forged"}).status_code == 403, path
    files = {"file": ("a.txt", b"Some text.", "text/plain")}
    assert coded.post("/reviews/1/documents", files=files).status_code == 403


def test_code_names_are_escaped_in_the_reading_view(coded: TestClient, web: Client) -> None:
    post(coded, "/reviews/1/codes", {"name": XSS})
    post(coded, "/reviews/1/documents/1/excerpts", {"start": 0, "end": 5, "code_ids": ["2"]})
    page = web(OWNER).get("/reviews/1/documents/1")
    assert XSS not in page.text
    assert len(re.findall("&lt;script&gt;alert\\(1\\)&lt;/script&gt;", page.text)) >= 3  # text, panel, list
