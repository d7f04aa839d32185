"""Every route through the ASGI app: pages and htmx partials, the templates they use, what they show."""

from __future__ import annotations

import csv
import io

from tests.web.conftest import ANA, BEN, OWNER, VIV, csrf, login

from realreview.access import Role
from realreview.screening import ReviewerState


def decide(client, record: int, event: str, *, htmx: bool = False, stage: str = "title_abstract", **fields):  # type: ignore[no-untyped-def]
    token = csrf(client, f"/reviews/1/screen/{stage}")
    headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else {}
    data = {"event": event, **fields} if htmx else {"event": event, "csrf_token": token, **fields}
    return client.post(
        f"/reviews/1/screen/{stage}/{record}", data=data, headers=headers, follow_redirects=False
    )


def test_login_page_and_redirect_for_anonymous(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for()
    page = client.get("/login")
    assert page.status_code == 200
    assert page.template.name == "login.html"  # type: ignore[attr-defined]
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    assert client.get("/reviews/1/screen/title_abstract", headers={"HX-Request": "true"}).status_code == 401


def test_session_cookie_flags(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for()
    cookie = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    secure = client.get("https://testserver/login").headers["set-cookie"].lower()
    assert "secure" in secure


def test_home_lists_my_reviews(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(ANA).get("/")
    assert page.template.name == "reviews.html"  # type: ignore[attr-defined]
    assert page.context["reviews"] == [(1, "Equity QI", Role.REVIEWER)]  # type: ignore[attr-defined]
    assert "Equity QI" in page.text


def test_overview_shows_progress_per_stage(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ANA)
    decide(client, 1, "include")
    page = client.get("/reviews/1")
    assert page.template.name == "overview.html"  # type: ignore[attr-defined]
    (ta, ta_progress), (ft, ft_progress) = page.context["stages"]  # type: ignore[attr-defined]
    assert (ta_progress.total, ta_progress.decided) == (10, 1)
    assert ft_progress.total == 0  # nothing has passed both reviewers yet


def test_screen_page_and_partial(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ANA)
    page = client.get("/reviews/1/screen/title_abstract")
    assert page.template.name == "screen.html"  # type: ignore[attr-defined]
    assert page.context["view"].id == 1  # type: ignore[attr-defined]
    assert "Quality improvement intervention" in page.text  # criteria beside the record
    assert '<mark class="inc">dinosaur</mark>' in page.text  # include words highlighted
    partial = client.get("/reviews/1/screen/title_abstract", headers={"HX-Request": "true"})
    assert partial.template.name == "_record.html"  # type: ignore[attr-defined]
    assert "<html" not in partial.text


def test_deciding_moves_to_the_next_record_and_undo_comes_back(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ANA)
    answer = decide(client, 1, "include", htmx=True, tags=["Plus: age"], note="children only")
    assert answer.template.name == "_record.html"  # type: ignore[attr-defined]
    assert answer.context["view"].id == 2  # type: ignore[attr-defined]
    redirect = decide(client, 2, "exclude", reasons="wrong population")
    assert redirect.status_code == 303
    undo = decide(client, 2, "undo", htmx=True)
    assert undo.context["view"].id == 2  # type: ignore[attr-defined]
    assert undo.context["view"].mine.state is ReviewerState.UNDECIDED  # type: ignore[attr-defined]
    included = client.get("/reviews/1/screen/title_abstract?filter=included")
    assert included.context["queue_size"] == 1  # type: ignore[attr-defined]
    tagged = client.get("/reviews/1/screen/title_abstract?filter=all&tag=Plus: age")
    assert tagged.context["queue_size"] == 1  # type: ignore[attr-defined]
    found = client.get("/reviews/1/screen/title_abstract?filter=all&q=psittacosaurus")
    assert found.context["queue_size"] == 1  # type: ignore[attr-defined]


def test_full_text_exclusion_without_reason_is_a_clear_error(client_for) -> None:  # type: ignore[no-untyped-def]
    for reviewer in (ANA, BEN):
        decide(client_for(reviewer), 1, "include")
    client = client_for(ANA)
    refused = decide(client, 1, "exclude", htmx=True, stage="full_text")
    assert refused.status_code == 400
    assert "an exclusion at full text needs a reason" in refused.text
    accepted = decide(client, 1, "exclude", htmx=True, stage="full_text", reasons="not an intervention")
    assert accepted.status_code == 200


def test_record_detail_shows_every_field(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(ANA).get("/reviews/1/records/1")
    assert page.template.name == "record.html"  # type: ignore[attr-defined]
    assert "10.1038/s41467-024-48400-3" in page.text
    assert "L2029880245" in page.text  # raw fields too


def test_setup_page_and_save(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(OWNER)
    page = client.get("/reviews/1/setup")
    assert page.template.name == "setup.html"  # type: ignore[attr-defined]
    assert "Socioeconomic status" in page.text  # PROGRESS-Plus ships as the default vocabulary
    saved = client.post(
        "/reviews/1/setup",
        data={
            "csrf_token": csrf(client, "/reviews/1/setup"),
            "inclusion": "Adults\nPrimary care",
            "exclusion_reasons": "wrong population",
            "progress_plus": "Place of residence\nSocioeconomic status",
            "equity": "gap\ntargeted",
            "dual_fraction": "0.1",
            "dual_seed": "7",
            "maybe_rule": "own_category",
            "question": "Which nudges change what professionals do, for whom?",
        },
    )
    assert saved.context["review"].question == "Which nudges change what professionals do, for whom?"  # type: ignore[attr-defined]
    assert saved.context["saved"] is True  # type: ignore[attr-defined]
    setup = saved.context["setup"]  # type: ignore[attr-defined]
    assert setup.inclusion == ("Adults", "Primary care")
    assert setup.blinded is False and setup.dual_fraction == 0.1


def test_conflicts_resolution_and_agreement(client_for) -> None:  # type: ignore[no-untyped-def]
    decide(client_for(ANA), 1, "include")
    decide(client_for(BEN), 1, "exclude")
    owner = client_for(OWNER)
    conflicts = owner.get("/reviews/1/conflicts")
    assert conflicts.template.name == "conflicts.html"  # type: ignore[attr-defined]
    assert [view.id for view in conflicts.context["views"]] == [1]  # type: ignore[attr-defined]
    resolved = owner.post(
        "/reviews/1/conflicts/1",
        data={
            "csrf_token": csrf(owner, "/reviews/1/conflicts"),
            "verdict": "include",
            "note": "resolved by discussion",
        },
    )
    assert resolved.context["views"] == []  # type: ignore[attr-defined]
    agreement = owner.get("/reviews/1/agreement")
    assert agreement.template.name == "agreement.html"  # type: ignore[attr-defined]
    (pair,) = agreement.context["report"]  # type: ignore[attr-defined]
    assert (pair.first, pair.second, pair.result.table) == (ANA, BEN, ((0, 1), (0, 0)))
    assert "PABAK" in agreement.text


def test_decisions_csv(client_for) -> None:  # type: ignore[no-untyped-def]
    decide(client_for(ANA), 1, "include")
    decide(client_for(BEN), 2, "exclude")
    rows = list(csv.DictReader(io.StringIO(client_for(OWNER).get("/reviews/1/decisions.csv").text)))
    assert [(r["record_id"], r["reviewer"], r["source"]) for r in rows] == [
        ("1", ANA, "web"),
        ("2", BEN, "web"),
    ]


def test_viewer_sees_but_cannot_decide(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(VIV)
    page = client.get("/reviews/1/screen/title_abstract")
    assert page.status_code == 200
    assert 'name="event"' not in page.text
    assert decide(client, 1, "include").status_code == 403


def test_logout_ends_the_session(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ANA)
    client.post("/logout", data={"csrf_token": csrf(client, "/")})
    assert client.get("/", follow_redirects=False).status_code == 303
    login(client, ANA)
    assert client.get("/").status_code == 200
