"""One set of memo and appraisal handlers for documents, codes and excerpts (routes/notes.py)."""

from __future__ import annotations

from html import unescape

from tests.web.conftest import ANA, BEN, EVE, OWNER, VIV, Client, csrf, member_ctx
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


def _post(client: object, path: str, data: dict[str, str], *, htmx: bool = False) -> object:
    token = csrf(client, "/reviews/1/documents/1")  # type: ignore[arg-type]
    headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else {}
    return client.post(path, data={**data, "csrf_token": token}, headers=headers, follow_redirects=False)  # type: ignore[attr-defined]


def test_a_memo_cannot_be_reached_through_another_targets_url(web: Client, excerpt: int) -> None:
    ana, ben = web(ANA), web(BEN)
    _post(ana, f"/reviews/1/excerpts/{excerpt}/memos", {"text": "Ana on the excerpt"})
    (memo,) = query(ana, services.memos_of, ANA, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    _post(ben, "/reviews/1/codes/1/memos", {"text": "Ben on the code"})
    # Issue #10: posting to another target's memo URL superseded a colleague's memo.
    for path in (f"/reviews/1/codes/1/memos/{memo.id}", f"/reviews/1/documents/1/memos/{memo.id}"):
        answer = _post(ben, path, {"text": "Ben's wording"})
        assert answer.status_code == 404 and f"no memo {memo.id} on" in answer.text, path  # type: ignore[attr-defined]
    assert _post(ben, f"/reviews/1/codes/1/memos/{memo.id}/remove", {"reason": "x"}).status_code == 404  # type: ignore[attr-defined]
    own_url = f"/reviews/1/excerpts/{excerpt}/memos/{memo.id}"
    refused = _post(ben, own_url, {"text": "Ben's wording"})
    assert refused.status_code == 403 and "only its author rewords it" in unescape(refused.text)  # type: ignore[attr-defined]
    current = query(ana, services.memos_of, ANA, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    assert [(m.id, m.text, m.versions) for m in current] == [(memo.id, "Ana on the excerpt", 1)]
    page = ben.get(f"/reviews/1/excerpts/{excerpt}")
    assert f'action="{own_url}"' not in page.text and f'action="{own_url}/remove"' not in page.text


def test_every_wording_of_a_memo_can_be_read_with_author_and_time(web: Client, excerpt: int) -> None:
    ana, viv = web(ANA), web(VIV)
    url = f"/reviews/1/excerpts/{excerpt}/memos"
    _post(ana, url, {"text": "First wording"})
    (memo,) = query(ana, services.memos_of, ANA, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    edited = _post(ana, f"{url}/{memo.id}", {"text": "Second wording"}, htmx=True)
    assert "2 versions" in edited.text and "earlier wordings" in edited.text  # type: ignore[attr-defined]
    (current,) = edited.context["memos"]  # type: ignore[attr-defined]
    partial = viv.get(f"{url}/{current.id}/versions", headers={"HX-Request": "true"})
    assert partial.template.name == "_doc_memo_versions.html" and "<html" not in partial.text  # type: ignore[attr-defined]
    versions = partial.context["versions"]  # type: ignore[attr-defined]
    assert [(v.number, v.text, v.created_by) for v in versions] == [
        (1, "First wording", ANA),
        (2, "Second wording", ANA),
    ]
    assert (
        "First wording" in partial.text and versions[0].created_at.strftime("%Y-%m-%d %H:%M") in partial.text
    )
    page = viv.get(f"{url}/{memo.id}/versions")  # any version's id names the memo
    assert page.template.name == "memo.html" and page.context["versions"] == versions  # type: ignore[attr-defined]
    assert viv.get(f"/reviews/1/codes/1/memos/{memo.id}/versions").status_code == 404
    assert web(EVE).get(f"{url}/{memo.id}/versions").status_code == 404


def test_an_owner_removes_a_colleagues_memo_only_with_a_reason(web: Client, excerpt: int) -> None:
    ana, ben, owner = web(ANA), web(BEN), web(OWNER)
    url = f"/reviews/1/excerpts/{excerpt}/memos"
    _post(ana, url, {"text": "Ana's thought"})
    (memo,) = query(ana, services.memos_of, ANA, target_kind=MemoTarget.EXCERPT, target_id=excerpt)
    assert _post(ben, f"{url}/{memo.id}/remove", {"reason": "mine now"}).status_code == 403  # type: ignore[attr-defined]
    assert _post(owner, f"{url}/{memo.id}/remove", {}).status_code == 400  # type: ignore[attr-defined]
    page = owner.get(f"/reviews/1/excerpts/{excerpt}")
    assert f'action="{url}/{memo.id}/remove"' in page.text and f'action="{url}/{memo.id}"' not in page.text
    removed = _post(owner, f"{url}/{memo.id}/remove", {"reason": "Off topic"}, htmx=True)
    assert removed.template.name == "_doc_memos.html" and removed.context["memos"] == []  # type: ignore[attr-defined]
    assert "1 removed memo" in removed.text and "Off topic" in removed.text  # type: ignore[attr-defined]
    history = ana.get(f"{url}/{memo.id}/versions")
    assert "Ana&#39;s thought" in history.text and f"removed by {OWNER}" in history.text


def test_appraisals_are_blinded_and_removed_by_their_author_or_an_owner(web: Client, excerpt: int) -> None:
    ana, ben, owner = web(ANA), web(BEN), web(OWNER)
    url = f"/reviews/1/excerpts/{excerpt}/appraisals"
    _post(ana, url, {"relevance": "high", "relevance_rationale": "speaks to trust"})
    page = ben.get(f"/reviews/1/excerpts/{excerpt}")
    assert page.context["appraisals"] == [] and "speaks to trust" not in page.text  # type: ignore[attr-defined]
    partial = _post(ben, url, {"relevance": "low"}, htmx=True)
    assert [a.reviewer for a in partial.context["appraisals"]] == [BEN]  # type: ignore[attr-defined]
    (anas, bens) = owner.get(f"/reviews/1/excerpts/{excerpt}").context["appraisals"]  # type: ignore[attr-defined]
    hidden = _post(ben, f"{url}/{anas.id}/remove", {"reason": "x"})
    assert hidden.status_code == 404  # type: ignore[attr-defined]  # as if there were none
    assert _post(owner, f"{url}/{anas.id}/remove", {}).status_code == 400  # type: ignore[attr-defined]
    done = _post(owner, f"{url}/{anas.id}/remove", {"reason": "Wrong excerpt"}, htmx=True)
    assert [a.reviewer for a in done.context["appraisals"]] == [BEN]  # type: ignore[attr-defined]
    assert _post(ben, f"{url}/{bens.id}/remove", {}).status_code == 303  # type: ignore[attr-defined]
    assert query(ben, services.appraisals_of, OWNER, target_kind=MemoTarget.EXCERPT, target_id=excerpt) == []
    with ben.app.state.database.unit_of_work() as session:  # type: ignore[attr-defined]
        services.configure_screening(session, member_ctx(session, OWNER), blinded=False)
    _post(ana, url, {"relevance": "moderate", "relevance_rationale": "on second reading"})
    assert "on second reading" in ben.get(f"/reviews/1/excerpts/{excerpt}").text


def test_a_coding_is_removed_by_its_coder_or_an_owner_with_a_reason(web: Client, excerpt: int) -> None:
    ben, owner = web(BEN), web(OWNER)
    found = query(ben, services.get_excerpt, BEN, excerpt_id=excerpt)
    (code_id,) = found.code_ids
    path = f"/reviews/1/documents/{found.document_id}/excerpts/{excerpt}/codes/{code_id}/remove"
    page = ben.get(f"/reviews/1/documents/{found.document_id}")
    assert f'action="{path}"' not in page.text  # no remove button on Ana's coding for Ben
    assert _post(ben, path, {}).status_code == 403  # type: ignore[attr-defined]
    elsewhere = f"/reviews/1/documents/{found.document_id + 1}/excerpts/{excerpt}/codes/{code_id}/remove"
    assert _post(owner, elsewhere, {"reason": "x"}).status_code == 404  # type: ignore[attr-defined]
    assert 'name="reason" required' in owner.get(f"/reviews/1/documents/{found.document_id}").text
    assert _post(owner, path, {}).status_code == 400  # type: ignore[attr-defined]
    assert _post(owner, path, {"reason": "Not about trust"}).status_code == 303  # type: ignore[attr-defined]
    assert query(ben, services.get_excerpt, BEN, excerpt_id=excerpt).code_ids == ()
