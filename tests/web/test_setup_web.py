"""The owner's setup pages through the ASGI app (issue #14): templates, context, and what each post does.

Who may reach each route is walked in test_permissions_http.py (ROUTES); here, what the pages do.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.web.conftest import ANA, EVE, OWNER, PASSWORD, VIV, csrf, login

from realreview import services

NEW = "nia@example.org"


def _post(client: TestClient, path: str, data: dict[str, object], *, page: str = "/") -> object:
    return client.post(path, data={**data, "csrf_token": csrf(client, page)}, follow_redirects=False)


def test_a_new_review_makes_its_creator_owner(client_for) -> None:  # type: ignore[no-untyped-def]
    eve = client_for(EVE)  # a member of nothing yet
    home = eve.get("/")
    assert 'href="/reviews/new"' in home.text
    page = eve.get("/reviews/new")
    assert page.template.name == "review_new.html"  # type: ignore[attr-defined]
    made = _post(
        eve,
        "/reviews/new",
        {
            "title": "Equity in diabetes care",
            "question": "What works for whom?",
            "protocol": "PROSPERO CRD42023381062",
            "inclusion": "Quality improvement\nPrimary care",
            "exclusion": "Not about health care",
        },
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    target = made.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/reviews/\d+", target)
    overview = eve.get(target)
    assert overview.status_code == 200
    review_id = int(target.rsplit("/", 1)[1])
    setup = eve.get(f"/reviews/{review_id}/setup")
    assert setup.context["setup"].inclusion == ("Quality improvement", "Primary care")  # type: ignore[attr-defined]
    assert setup.context["review"].protocol == "PROSPERO CRD42023381062"  # type: ignore[attr-defined]
    members = eve.get(f"/reviews/{review_id}/members").context["members"]  # type: ignore[attr-defined]
    assert [(m.user.email, m.role) for m in members] == [(EVE, services.Role.OWNER)]
    assert _post(eve, "/reviews/new", {"title": "   "}).status_code == 400  # type: ignore[attr-defined]


def test_the_owner_changes_title_protocol_and_funding_on_the_setup_page(client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for(OWNER)
    page = "/reviews/1/setup"
    assert 'action="/reviews/1/details"' in owner.get(page).text
    saved = _post(
        owner,
        "/reviews/1/details",
        {"title": "Equity QI (update)", "protocol": "PROSPERO CRD42023381062", "funding": "NIHR"},
        page=page,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/reviews/1/setup?details=saved"  # type: ignore[attr-defined]
    after = owner.get(saved.headers["location"])  # type: ignore[attr-defined]
    review = after.context["review"]  # type: ignore[attr-defined]
    assert (review.title, review.protocol, review.funding) == (
        "Equity QI (update)",
        "PROSPERO CRD42023381062",
        "NIHR",
    )
    assert "Details saved." in after.text
    refused = _post(owner, "/reviews/1/details", {"title": "  ", "protocol": "changed"}, page=page)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert owner.get(page).context["review"].protocol == "PROSPERO CRD42023381062"  # type: ignore[attr-defined]


def test_members_page_adds_changes_and_removes(client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for(OWNER)
    page = owner.get("/reviews/1/members")
    assert page.template.name == "members.html"  # type: ignore[attr-defined]
    assert {m.user.email for m in page.context["members"]} >= {OWNER, ANA, VIV}  # type: ignore[attr-defined]
    assert _post(owner, "/reviews/1/members", {"email": EVE, "role": "viewer"}).status_code == 303  # type: ignore[attr-defined]
    assert _post(owner, "/reviews/1/members", {"email": EVE, "role": "reviewer"}).status_code == 303  # type: ignore[attr-defined]
    roles = {m.user.email: m.role for m in owner.get("/reviews/1/members").context["members"]}  # type: ignore[attr-defined]
    assert roles[EVE] is services.Role.REVIEWER
    assert _post(owner, "/reviews/1/members/remove", {"email": EVE}).status_code == 303  # type: ignore[attr-defined]
    emails = {m.user.email for m in owner.get("/reviews/1/members").context["members"]}  # type: ignore[attr-defined]
    assert EVE not in emails
    missing = _post(owner, "/reviews/1/members", {"email": "nobody@example.org", "role": "viewer"})
    assert missing.status_code == 404 and "no account" in missing.text  # type: ignore[attr-defined]


def _invite(owner: TestClient, email: str = NEW, role: str = "reviewer") -> str:
    answer = _post(owner, "/reviews/1/invitations", {"email": email, "role": role})
    assert answer.status_code == 200  # type: ignore[attr-defined]
    issued = answer.context["issued"]  # type: ignore[attr-defined]
    assert f"http://testserver/invite/{issued.token}" in answer.text  # type: ignore[attr-defined]
    return str(issued.path)


def test_an_invitation_link_is_shown_once_and_signs_the_newcomer_in(client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for(OWNER)
    link = _invite(owner)
    listing = owner.get("/reviews/1/members")
    assert listing.context["issued"] is None and link not in listing.text  # type: ignore[attr-defined]
    assert [i.state for i in listing.context["invitations"]] == ["open"]  # type: ignore[attr-defined]

    newcomer = client_for()
    page = newcomer.get(link)
    assert page.template.name == "invite.html"  # type: ignore[attr-defined]
    assert page.context["offer"].email == NEW  # type: ignore[attr-defined]
    differs = _post(newcomer, link, {"email": NEW, "password": PASSWORD, "confirm": "other horse"}, page=link)
    assert differs.status_code == 400 and "differ" in differs.text  # type: ignore[attr-defined]
    joined = _post(
        newcomer, link, {"email": NEW, "name": "Nia", "password": PASSWORD, "confirm": PASSWORD}, page=link
    )
    assert joined.status_code == 303 and joined.headers["location"] == "/reviews/1"  # type: ignore[attr-defined]
    assert newcomer.get("/reviews/1").status_code == 200  # signed in, a member
    again = client_for().get(link)
    assert again.status_code == 400 and "already used" in again.text
    assert [i.state for i in owner.get("/reviews/1/members").context["invitations"]] == ["used"]  # type: ignore[attr-defined]


def test_an_existing_account_signs_in_then_joins(client_for) -> None:  # type: ignore[no-untyped-def]
    link = _invite(client_for(OWNER), email=EVE, role="viewer")
    eve = client_for()
    page = eve.get(link)
    assert f'href="/login?next={link}"' in page.text
    login(eve, EVE)
    page = eve.get(link)
    assert page.context["offer"].signed_in_as_invitee and "Join the review" in page.text  # type: ignore[attr-defined]
    assert _post(eve, link, {"email": EVE}, page=link).status_code == 303  # type: ignore[attr-defined]
    assert eve.get("/reviews/1").status_code == 200


def test_a_revoked_link_and_a_reset_link(client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for(OWNER)
    _invite(owner)
    invitation = owner.get("/reviews/1/members").context["invitations"][0]  # type: ignore[attr-defined]
    assert _post(owner, f"/reviews/1/invitations/{invitation.id}/revoke", {}).status_code == 303  # type: ignore[attr-defined]
    assert owner.get("/reviews/1/members").context["invitations"][0].state == "revoked"  # type: ignore[attr-defined]

    answer = _post(owner, "/reviews/1/members/reset", {"email": VIV})
    reset = answer.context["issued"]  # type: ignore[attr-defined]
    assert reset.invitation.is_reset and "Password reset link" in answer.text  # type: ignore[attr-defined]
    viv = client_for()
    assert "Set a new password" in viv.get(reset.path).text
    done = _post(
        viv, reset.path, {"email": VIV, "password": "a new one!", "confirm": "a new one!"}, page=reset.path
    )
    assert done.status_code == 303  # type: ignore[attr-defined]
    fresh = client_for()
    login(fresh, VIV, password="a new one!")


def test_search_log_lists_and_logs_searches(client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for(OWNER)
    page = owner.get("/reviews/1/searches")
    assert page.template.name == "searches.html" and page.context["can_log"]  # type: ignore[attr-defined]
    before = len(page.context["searches"])  # type: ignore[attr-defined]
    logged = _post(
        owner,
        "/reviews/1/searches",
        {
            "database": "CINAHL",
            "platform": "EBSCOhost",
            "date_run": "2024-05-01",
            "query": "equity AND quality",
            "reported_hits": "120",
            "kind": "database",
        },
    )
    assert logged.status_code == 303  # type: ignore[attr-defined]
    page = owner.get("/reviews/1/searches")
    found = page.context["searches"][-1]  # type: ignore[attr-defined]
    assert len(page.context["searches"]) == before + 1  # type: ignore[attr-defined]
    assert (found.database, found.reported_hits, found.imported, found.difference) == ("CINAHL", 120, 0, -120)
    assert "equity AND quality" in page.text and "-120" in page.text
    assert _post(owner, "/reviews/1/searches", {"database": "X", "date_run": "soon"}).status_code == 400  # type: ignore[attr-defined]
    viewer = client_for(VIV).get("/reviews/1/searches")
    assert not viewer.context["can_log"] and "Log a search" not in viewer.text  # type: ignore[attr-defined]


def _form_rows(page) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return [
        {"key": r.key, "label": r.label, "kind": r.kind, "choices": r.choices, "help": r.help}
        for r in page.context["rows"]
    ]


def _form_post(rows: list[dict[str, str]], **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        name: [row[name] for row in rows] for name in ("key", "label", "kind", "choices", "help")
    }
    data["position"] = [str(n) for n in range(1, len(rows) + 1)]
    return {**data, **extra}


def test_form_editor_adds_reorders_removes_and_refuses_bad_rows(client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for(OWNER)
    page = owner.get("/reviews/1/form")
    assert page.template.name == "form_editor.html"  # type: ignore[attr-defined]
    rows = _form_rows(page)
    assert rows[0]["key"] == "country"
    added = [
        *rows,
        {"key": "sample_size", "label": "Sample size", "kind": "number", "choices": "", "help": ""},
    ]
    data = _form_post(added, required=[str(len(rows))], remove=["1"])
    data["position"] = ["5", *data["position"][1:-1], "0"]  # type: ignore[index]  # new field first, country fifth
    saved = owner.post("/reviews/1/form", data={**data, "csrf_token": csrf(owner, "/reviews/1/form")})
    assert saved.status_code == 200 and saved.context["saved"], saved.text  # type: ignore[attr-defined]
    with_keys = [r.key for r in saved.context["rows"]]  # type: ignore[attr-defined]
    assert with_keys[0] == "sample_size" and rows[1]["key"] not in with_keys and "country" in with_keys
    assert saved.context["rows"][0].required  # type: ignore[attr-defined]

    bad = _form_post([{"key": "Bad Key", "label": "Bad", "kind": "choice", "choices": "", "help": ""}])
    refused = owner.post("/reviews/1/form", data={**bad, "csrf_token": csrf(owner, "/reviews/1/form")})
    assert refused.status_code == 400 and "Nothing was saved" in refused.text
    assert refused.context["rows"][0].key == "Bad Key"  # type: ignore[attr-defined]
    assert [r.key for r in owner.get("/reviews/1/form").context["rows"]] == with_keys  # type: ignore[attr-defined]


def test_review_memos_write_reword_read_versions_and_remove(client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for(ANA)
    page = ana.get("/reviews/1/memos")
    assert page.template.name == "review_memos.html" and page.context["memos"] == []  # type: ignore[attr-defined]
    assert (
        _post(ana, "/reviews/1/memos", {"text": "Scope: primary care only.", "title": "Scope"}).status_code
        == 303
    )  # type: ignore[attr-defined]
    memo = ana.get("/reviews/1/memos").context["memos"][0]  # type: ignore[attr-defined]
    token = csrf(ana, "/reviews/1/memos")
    partial = ana.post(
        f"/reviews/1/memos/{memo.id}",
        data={"text": "Scope: primary and community care."},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert partial.template.name == "_doc_memos.html"  # type: ignore[attr-defined]
    current = partial.context["memos"][0]  # type: ignore[attr-defined]
    assert current.versions == 2
    versions = ana.get(f"/reviews/1/memos/{current.id}/versions", headers={"HX-Request": "true"})
    assert versions.template.name == "_doc_memo_versions.html" and "primary care only" in versions.text  # type: ignore[attr-defined]
    assert ana.get(f"/reviews/1/memos/{current.id}/versions").template.name == "memo.html"  # type: ignore[attr-defined]
    owner = client_for(OWNER)
    assert [m.text for m in owner.get("/reviews/1/memos").context["memos"]] == [
        "Scope: primary and community care."
    ]  # type: ignore[attr-defined]
    assert _post(owner, f"/reviews/1/memos/{current.id}/remove", {}).status_code == 400  # type: ignore[attr-defined]  # say why
    assert _post(ana, f"/reviews/1/memos/{current.id}/remove", {}).status_code == 303  # type: ignore[attr-defined]
    assert ana.get("/reviews/1/memos").context["removed"][0].id == current.id  # type: ignore[attr-defined]
