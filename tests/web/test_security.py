"""One test per authorization rule, blinding on every page, partial and export, XSS and CSRF."""

from __future__ import annotations

import pytest
from tests.web.conftest import ANA, BEN, EVE, OWNER, PASSWORD, VIV, XSS, csrf, member_ctx
from tests.web.test_routes import decide

from realreview import services

REVIEW_PAGES = [
    "/reviews/1",
    "/reviews/1/screen/title_abstract",
    "/reviews/1/screen/full_text",
    "/reviews/1/records/1",
    "/reviews/1/agreement",
    "/reviews/1/conflicts",
    "/reviews/1/setup",
    "/reviews/1/decisions.csv",
]


@pytest.mark.parametrize("path", REVIEW_PAGES)
def test_non_member_gets_404_for_every_page_of_the_review(client_for, path: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(EVE)
    assert client.get(path).status_code == 404
    assert client.get(path, headers={"HX-Request": "true"}).status_code == 404


def test_non_member_gets_404_for_writes_too(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(EVE)
    assert decide(client, 1, "include").status_code == 404


def test_missing_review_and_missing_record_are_404(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ANA)
    assert client.get("/reviews/99").status_code == 404
    assert client.get("/reviews/1/records/999").status_code == 404


def test_viewer_cannot_write(client_for) -> None:  # type: ignore[no-untyped-def]
    assert decide(client_for(VIV), 1, "include").status_code == 403


def test_reviewer_cannot_use_owner_pages(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ANA)
    assert client.get("/reviews/1/setup").status_code == 403
    assert client.get("/reviews/1/conflicts").status_code == 403
    token = csrf(client, "/reviews/1")
    assert client.post("/reviews/1/setup", data={"csrf_token": token}).status_code == 403
    assert (
        client.post("/reviews/1/conflicts/1", data={"csrf_token": token, "verdict": "include"}).status_code
        == 403
    )


def test_csrf_is_required_on_every_state_changing_request(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ANA)
    assert client.post("/reviews/1/screen/title_abstract/1", data={"event": "include"}).status_code == 403
    wrong = {"event": "include", "csrf_token": "forged"}
    assert client.post("/reviews/1/screen/title_abstract/1", data=wrong).status_code == 403
    assert client.post("/logout").status_code == 403
    anonymous = client_for()
    assert anonymous.post("/login", data={"email": ANA, "password": PASSWORD}).status_code == 403
    owner = client_for(OWNER)
    assert owner.post("/reviews/1/setup", data={"blinded": "true"}).status_code == 403


def test_login_is_rate_limited(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for()
    for _ in range(5):
        answer = client.post(
            "/login", data={"email": ANA, "password": "wrong one", "csrf_token": csrf(client)}
        )
        assert answer.status_code == 401
    blocked = client.post("/login", data={"email": ANA, "password": PASSWORD, "csrf_token": csrf(client)})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.text


def test_open_redirect_after_login_is_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for()
    answer = client.post(
        "/login",
        data={"email": ANA, "password": PASSWORD, "csrf_token": csrf(client), "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_blinding_hides_other_reviewers_everywhere(client_for) -> None:  # type: ignore[no-untyped-def]
    ben = client_for(BEN)
    decide(ben, 1, "exclude", reasons="wrong population", tags=["Plus: age"], note="BEN-SECRET-NOTE")
    ana = client_for(ANA)
    decide(ana, 2, "include")
    pages = [
        ana.get("/reviews/1"),
        ana.get("/reviews/1/screen/title_abstract?record=1&filter=all"),
        ana.get("/reviews/1/screen/title_abstract?record=1&filter=all", headers={"HX-Request": "true"}),
        ana.get("/reviews/1/records/1"),
        ana.get("/reviews/1/decisions.csv"),
    ]
    for page in pages:
        assert BEN not in page.text and "BEN-SECRET-NOTE" not in page.text, page.url
    assert ana.get("/reviews/1/agreement").status_code == 403
    assert ana.get("/reviews/1/screen/title_abstract?filter=conflicts").context["queue_size"] == 0  # type: ignore[attr-defined]
    # Counts: BEN's decisions do not move ANA's progress; filters see only ANA's calls.
    assert ana.get("/reviews/1").context["stages"][0][1].decided == 1  # type: ignore[attr-defined]
    assert ana.get("/reviews/1/screen/title_abstract?filter=excluded").context["queue_size"] == 0  # type: ignore[attr-defined]
    assert ana.get("/reviews/1/screen/title_abstract?filter=all&tag=Plus: age").context["queue_size"] == 0  # type: ignore[attr-defined]
    # The owner sees everything; with blinding off, so does ANA.
    owner = client_for(OWNER)
    assert BEN in owner.get("/reviews/1/decisions.csv").text
    owner.post(
        "/reviews/1/setup",
        # The form leaves the dual fraction out (0): mid-review that change is saved once confirmed.
        data={"csrf_token": csrf(owner, "/reviews/1/setup"), "progress_plus": "Plus: age", "confirm": "true"},
    )
    assert BEN in ana.get("/reviews/1/screen/title_abstract?record=1&filter=all").text


def test_an_imported_script_title_renders_as_text_everywhere(client_for, app_url: str) -> None:  # type: ignore[no-untyped-def]
    from realreview.storage.audit import recording
    from realreview.storage.models import RecordRow

    factory = services.connect(app_url)
    with services.transaction(factory) as session:
        with recording(session):  # a stand-in for an import of such a title
            session.get(RecordRow, 1).title = XSS  # type: ignore[union-attr]
        services.configure_screening(session, member_ctx(session, OWNER), include_words=("alert",))
    factory.close()
    decide(client_for(ANA), 1, "include")
    decide(client_for(BEN), 1, "exclude")
    owner = client_for(OWNER)
    ana = client_for(ANA)
    pages = [
        ana.get("/reviews/1/screen/title_abstract?record=1&filter=all"),
        ana.get("/reviews/1/screen/title_abstract?record=1&filter=all", headers={"HX-Request": "true"}),
        ana.get("/reviews/1/records/1"),
        owner.get("/reviews/1/conflicts"),
    ]
    for page in pages:
        assert XSS not in page.text, page.url
        assert "&lt;script&gt;" in page.text, page.url


def test_reviewer_filter_only_when_unblinded(client_for) -> None:  # type: ignore[no-untyped-def]
    decide(client_for(BEN), 1, "exclude")
    ana = client_for(ANA)
    page = ana.get(f"/reviews/1/screen/title_abstract?filter=all&reviewer={BEN}")
    assert 'name="reviewer"' not in page.text
    assert page.context["queue_size"] == 0  # type: ignore[attr-defined]
    owner = client_for(OWNER)
    assert owner.get(f"/reviews/1/screen/title_abstract?filter=all&reviewer={BEN}").context["queue_size"] == 1  # type: ignore[attr-defined]
