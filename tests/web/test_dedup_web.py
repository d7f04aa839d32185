"""The pair review and the groups over HTTP: pages, htmx partials, the address, permissions (issue #14)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.dedup_kit import add_uncertain_pairs
from tests.web.conftest import ANA, OWNER, VIV, csrf

from realreview import services
from realreview.storage.models import DedupDecisionRow

HX = {"HX-Request": "true"}


@pytest.fixture
def pairs(app_url: str, tmp_path: Path) -> str:
    database = services.connect(app_url)
    add_uncertain_pairs(database, 1, tmp_path)
    database.close()
    return app_url


def _shown(text: str) -> str:
    found = re.search(r'data-pair="(\d+-\d+)"', text)
    assert found, text[:500]
    return found.group(1)


def test_the_owner_sees_the_pair_side_by_side_with_conflicts_marked(pairs: str, web) -> None:  # type: ignore[no-untyped-def]
    client = web(OWNER)
    page = client.get("/reviews/1/dedup?pair=1-11")
    assert page.status_code == 200
    assert page.template.name == "dedup.html"  # type: ignore[attr-defined]
    assert page.context["waiting"] == 10  # type: ignore[attr-defined]
    assert 'data-field="volume" data-mark="conflict"' in page.text
    assert 'data-field="title" data-mark="agree"' in page.text
    assert "/static/dedup.js" in page.text and "/static/dedup.css" in page.text
    assert 'action="/reviews/1/dedup/run"' in page.text  # the background run (another route)
    partial = client.get("/reviews/1/dedup", headers=HX)
    assert partial.template.name == "_dedup_pair.html"  # type: ignore[attr-defined]
    assert partial.headers["HX-Push-Url"] == f"/reviews/1/dedup?pair={_shown(partial.text)}"
    assert partial.headers["Vary"] == "HX-Request"


def test_a_decision_answers_with_the_next_pair_and_the_address_follows(pairs: str, web) -> None:  # type: ignore[no-untyped-def]
    client = web(OWNER)
    first = _shown(client.get("/reviews/1/dedup").text)
    a, b = first.split("-")
    token = csrf(client, "/reviews/1/dedup")
    answer = client.post(
        "/reviews/1/dedup/decide",
        data={"a": a, "b": b, "action": "accept"},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert answer.status_code == 200
    following = _shown(answer.text)
    assert following != first
    assert answer.headers["HX-Push-Url"] == f"/reviews/1/dedup?pair={following}"
    assert "9 pairs waiting" in answer.text and f"Merged: records {a} and {b}" in answer.text
    # Without htmx: a redirect that names what to confirm, so a reload does not post again.
    c, d = following.split("-")
    plain = client.post(
        "/reviews/1/dedup/decide",
        data={"a": c, "b": d, "action": "reject", "csrf_token": token},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == f"/reviews/1/dedup?said=reject:{c}-{d}"
    assert "Kept apart" in client.get(plain.headers["location"]).text
    undo = client.get("/reviews/1/dedup?last=true", headers=HX)
    assert _shown(undo.text) == following and "decided: kept apart" in undo.text
    database = services.connect(pairs)
    with database.unit_of_work() as session:
        assert session.scalars(select(DedupDecisionRow.action).order_by(DedupDecisionRow.id)).all() == [
            "accept",
            "reject",
        ]
    database.close()


def test_a_refused_decision_shows_the_reason_in_the_panel(pairs: str, web) -> None:  # type: ignore[no-untyped-def]
    client = web(OWNER)
    token = csrf(client, "/reviews/1/dedup")
    answer = client.post(
        "/reviews/1/dedup/decide",
        data={"a": "1", "b": "2", "action": "accept"},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert answer.status_code == 400
    assert "data-errors" in answer.text and "not a suggested pair" in answer.text


def test_groups_show_provenance_and_the_owner_unmerges(pairs: str, web) -> None:  # type: ignore[no-untyped-def]
    owner = web(OWNER)
    token = csrf(owner, "/reviews/1/dedup")
    owner.post("/reviews/1/dedup/decide", data={"a": "1", "b": "11", "action": "merge", "csrf_token": token})
    page = owner.get("/reviews/1/dedup/groups")
    assert page.template.name == "dedup_groups.html"  # type: ignore[attr-defined]
    assert 'data-root="1"' in page.text and 'data-member="11"' in page.text
    assert 'data-field="DOI"' in page.text and 'data-source="1"' in page.text
    viewer = web(VIV).get("/reviews/1/dedup/groups")
    assert viewer.status_code == 200 and "Unmerge" not in viewer.text
    answer = owner.post(
        "/reviews/1/dedup/unmerge", data={"record_id": "11"}, headers={**HX, "X-CSRF-Token": token}
    )
    assert answer.template.name == "_dedup_groups.html"  # type: ignore[attr-defined]
    assert "No duplicate groups." in answer.text and "Record 11 taken out" in answer.text


def test_reviewers_and_viewers_may_not_review_pairs(pairs: str, web) -> None:  # type: ignore[no-untyped-def]
    for email in (ANA, VIV):
        client = web(email)
        assert client.get("/reviews/1/dedup").status_code == 403
        token = csrf(client, "/")
        refused = client.post(
            "/reviews/1/dedup/decide", data={"a": "1", "b": "11", "action": "accept", "csrf_token": token}
        )
        assert refused.status_code == 403


def test_a_bad_pair_in_the_address_is_a_clear_400(pairs: str, web) -> None:  # type: ignore[no-untyped-def]
    client = web(OWNER)
    assert client.get("/reviews/1/dedup?pair=oops").status_code == 400
    assert client.get("/reviews/1/dedup?pair=1-2").status_code == 404
