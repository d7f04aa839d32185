"""One set of memo and appraisal handlers for documents, codes and excerpts (routes/notes.py)."""

from __future__ import annotations

from tests.web.conftest import ANA, Client, csrf
from tests.web.test_documents import query

from realreview import services
from realreview.services import MemoTarget


def test_a_memo_on_a_code_and_no_appraisal_of_a_code(web: Client, excerpt: int) -> None:
    client = web(ANA)
    token = csrf(client, "/reviews/1/codes/1")
    memo = client.post(
        "/reviews/1/codes/1/memos",
        data={"csrf_token": token, "text": "Use for trust between staff"},
        headers={"HX-Request": "true"},
    )
    assert memo.template.name == "_doc_memos.html"  # type: ignore[attr-defined]
    assert (memo.context["target"], memo.context["target_id"]) == (MemoTarget.CODE, 1)  # type: ignore[attr-defined]
    assert 'hx-target="#memos-code-1"' in memo.text and 'action="/reviews/1/codes/1/memos"' in memo.text
    refused = client.post(
        "/reviews/1/codes/1/appraisals",
        data={"csrf_token": token, "relevance": "high"},
        follow_redirects=False,
    )
    assert refused.status_code == 400 and "a code is not appraised" in refused.text
    assert (
        client.post("/reviews/1/records/1/memos", data={"csrf_token": token, "text": "x"}).status_code == 422
    )
    memos = query(client, services.memos_of, ANA, target_kind=MemoTarget.CODE, target_id=1)
    assert [m.text for m in memos] == ["Use for trust between staff"]


def test_a_memo_edit_without_htmx_goes_back_to_the_page(web: Client, excerpt: int) -> None:
    client = web(ANA)
    url = f"/reviews/1/excerpts/{excerpt}"
    token = csrf(client, url)
    client.post(url + "/memos", data={"csrf_token": token, "text": "first"})
    memo = query(client, services.memos_of, ANA, target_kind=MemoTarget.EXCERPT, target_id=excerpt)[0]
    edited = client.post(
        f"{url}/memos/{memo.id}", data={"csrf_token": token, "text": "second"}, follow_redirects=False
    )
    assert edited.status_code == 303 and edited.headers["location"] == url
    current = query(client, services.memos_of, ANA, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    assert [(m.text, m.versions) for m in current] == [("second", 2)]
