"""The excerpt page: memos and relevance/rigour appraisal on one excerpt, with the roles and CSRF."""

from __future__ import annotations

from tests.web.conftest import ANA, BEN, EVE, VIV, XSS, Client, csrf
from tests.web.test_documents import query

from realreview import services
from realreview.services import Judgement, MemoTarget


def test_the_page_shows_the_excerpt_and_its_code(web: Client, excerpt: int) -> None:
    page = web(VIV).get(f"/reviews/1/excerpts/{excerpt}")
    assert page.status_code == 200 and page.template.name == "excerpt.html"  # type: ignore[attr-defined]
    assert page.context["excerpt"].text == "Staff trusted the audit data."  # type: ignore[attr-defined]
    flags = {k: page.context[k] for k in ("can_comment", "can_appraise", "can_code")}  # type: ignore[attr-defined]
    assert flags == {"can_comment": False, "can_appraise": False, "can_code": False}
    assert "Add memo" not in page.text and "Save appraisal" not in page.text
    assert ">Trust</a>" in page.text
    assert web(EVE).get(f"/reviews/1/excerpts/{excerpt}").status_code == 404
    assert web(ANA).get("/reviews/1/excerpts/999").status_code == 404


def test_a_reviewer_writes_a_memo_and_appraises_the_excerpt(web: Client, excerpt: int) -> None:
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
    memos = query(client, services.memos_of, BEN, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    appraisals = query(client, services.appraisals_of, BEN, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    assert [m.text for m in memos] == [f"A mechanism {XSS}"]
    assert [(a.reviewer, a.relevance, a.rigour, a.rigour_rationale) for a in appraisals] == [
        (BEN, Judgement.HIGH, Judgement.LOW, "one site")
    ]


def test_a_viewer_cannot_write_and_a_post_needs_the_csrf_token(web: Client, excerpt: int) -> None:
    url = f"/reviews/1/excerpts/{excerpt}"
    viewer = web(VIV)
    token = csrf(viewer, url)
    assert viewer.post(url + "/memos", data={"csrf_token": token, "text": "x"}).status_code == 403
    reviewer = web(ANA)
    reviewer.get(url)
    assert reviewer.post(url + "/memos", data={"text": "no token"}).status_code == 403


def test_the_code_picker_is_for_those_who_code(web: Client, excerpt: int) -> None:
    path = f"/reviews/1/documents/1/excerpts/{excerpt}/picker"
    assert web(VIV).get(path).status_code == 403
    offered = web(ANA).get(path)
    assert offered.status_code == 200 and "Every code is on this excerpt already." in offered.text
    page = web(ANA).get(f"/reviews/1/excerpts/{excerpt}")
    assert "Every code is on this excerpt already." in page.text  # the picker is on the excerpt page too
