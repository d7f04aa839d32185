"""One set of memo and appraisal handlers for documents, codes and excerpts (routes/notes.py)."""

from __future__ import annotations

from tests.web.conftest import ANA, csrf
from tests.web.test_documents import Client, web  # noqa: F401
from tests.web.test_excerpts import excerpt  # noqa: F401

from realreview import services
from realreview.services import MemoTarget


def test_a_memo_on_a_code_and_no_appraisal_of_a_code(web: Client, excerpt: int) -> None:  # noqa: F811
    client = web(ANA)
    token = csrf(client, "/reviews/1/codes/1")
    memo = client.post(
        "/reviews/1/codes/1/memos",
        data={"csrf_token": token, "text": "Use for trust between staff"},
        headers={"HX-Request": "true"},
    )
    assert memo.template.name == "_doc_memos.html"  # type: ignore[attr-defined]
    assert memo.context["memo_box"] == "memos-code-1"  # type: ignore[attr-defined]
    refused = client.post(
        "/reviews/1/codes/1/appraisals",
        data={"csrf_token": token, "relevance": "high"},
        follow_redirects=False,
    )
    assert refused.status_code == 400 and "a code is not appraised" in refused.text
    assert (
        client.post("/reviews/1/records/1/memos", data={"csrf_token": token, "text": "x"}).status_code == 422
    )
    factory = services.connect(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    with services.transaction(factory) as session:
        memos = services.memos_of(session, review_id=1, target_kind=MemoTarget.CODE, target_id=1)
    factory.kw["bind"].dispose()
    assert [m.text for m in memos] == ["Use for trust between staff"]


def test_a_memo_edit_without_htmx_goes_back_to_the_page(web: Client, excerpt: int) -> None:  # noqa: F811
    client = web(ANA)
    url = f"/reviews/1/excerpts/{excerpt}"
    token = csrf(client, url)
    client.post(url + "/memos", data={"csrf_token": token, "text": "first"})
    factory = services.connect(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    with services.transaction(factory) as session:
        memo = services.memos_of(session, review_id=1, target_kind=MemoTarget.EXCERPT, target_id=excerpt)[0]
    edited = client.post(
        f"{url}/memos/{memo.id}", data={"csrf_token": token, "text": "second"}, follow_redirects=False
    )
    assert edited.status_code == 303 and edited.headers["location"] == url
    with services.transaction(factory) as session:
        current = services.memos_of(session, review_id=1, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    factory.kw["bind"].dispose()
    assert [(m.text, m.versions) for m in current] == [("second", 2)]
