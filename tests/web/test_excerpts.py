"""The excerpt page: memos and relevance/rigour appraisal on one excerpt, with the roles and CSRF."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.conftest import ANA, BEN, EVE, VIV, XSS, csrf
from tests.web.test_documents import Client, web  # noqa: F401

from realreview import services
from realreview.fulltext import FileStore
from realreview.services import Judgement, MemoTarget

TEXT = "Staff trusted the audit data. Managers listened."


@pytest.fixture
def excerpt(app_url: str, tmp_path: Path) -> int:
    factory = services.connect(app_url)
    with services.transaction(factory) as session:
        document = services.add_document(
            session,
            review_id=1,
            data=TEXT.encode(),
            name="audit.txt",
            record_id=None,
            store=FileStore(tmp_path / "files"),
            max_bytes=10**6,
            actor=ANA,
        )
        code = services.create_code(session, review_id=1, name="Trust", actor=ANA)
        found = services.add_excerpt(
            session, review_id=1, document_id=document.info.id, start=0, end=29, code_ids=[code.id], actor=ANA
        )
    factory.kw["bind"].dispose()
    return found.id


def test_the_page_shows_the_excerpt_and_its_code(web: Client, excerpt: int) -> None:  # noqa: F811
    page = web(VIV).get(f"/reviews/1/excerpts/{excerpt}")
    assert page.status_code == 200 and page.template.name == "excerpt.html"  # type: ignore[attr-defined]
    assert page.context["excerpt"].text == "Staff trusted the audit data."  # type: ignore[attr-defined]
    assert page.context["can_write"] is False  # type: ignore[attr-defined]
    assert ">Trust</a>" in page.text
    assert web(EVE).get(f"/reviews/1/excerpts/{excerpt}").status_code == 404
    assert web(ANA).get("/reviews/1/excerpts/999").status_code == 404


def test_a_reviewer_writes_a_memo_and_appraises_the_excerpt(web: Client, excerpt: int) -> None:  # noqa: F811
    client = web(BEN)
    url = f"/reviews/1/excerpts/{excerpt}"
    token = csrf(client, url)
    memo = client.post(
        url + "/memos", data={"csrf_token": token, "text": f"A mechanism {XSS}"}, follow_redirects=False
    )
    assert memo.status_code == 303 and memo.headers["location"] == url
    partial = client.post(
        url + "/appraisals",
        data={"csrf_token": token, "relevance": "high", "rigour": "low", "rigour_rationale": "one site"},
        headers={"HX-Request": "true"},
    )
    assert partial.template.name == "_doc_appraisals.html"  # type: ignore[attr-defined]
    page = client.get(url)
    assert XSS not in page.text and "A mechanism &lt;script&gt;" in page.text
    factory = services.connect(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    with services.transaction(factory) as session:
        memos = services.memos_of(session, review_id=1, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
        appraisals = services.appraisals_of(
            session, review_id=1, target_kind=MemoTarget.EXCERPT, target_id=excerpt
        )
    factory.kw["bind"].dispose()
    assert [m.text for m in memos] == [f"A mechanism {XSS}"]
    assert [(a.reviewer, a.relevance, a.rigour, a.rigour_rationale) for a in appraisals] == [
        (BEN, Judgement.HIGH, Judgement.LOW, "one site")
    ]


def test_a_viewer_cannot_write_and_a_post_needs_the_csrf_token(web: Client, excerpt: int) -> None:  # noqa: F811
    url = f"/reviews/1/excerpts/{excerpt}"
    viewer = web(VIV)
    token = csrf(viewer, url)
    assert viewer.post(url + "/memos", data={"csrf_token": token, "text": "x"}).status_code == 403
    reviewer = web(ANA)
    reviewer.get(url)
    assert reviewer.post(url + "/memos", data={"text": "no token"}).status_code == 403


def test_the_code_picker_is_for_those_who_code(web: Client, excerpt: int) -> None:  # noqa: F811
    path = f"/reviews/1/documents/1/excerpts/{excerpt}/picker"
    assert web(VIV).get(path).status_code == 403
    offered = web(ANA).get(path)
    assert offered.status_code == 200 and "Every code is on this excerpt already." in offered.text
    page = web(ANA).get(f"/reviews/1/excerpts/{excerpt}")
    assert "Every code is on this excerpt already." in page.text  # the picker is on the excerpt page too
