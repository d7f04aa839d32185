"""The overview as a dashboard, and the way back to the review from its pages."""

from __future__ import annotations

from tests.web.conftest import ANA, OWNER


def test_owner_sees_maybe_and_conflicts_a_blinded_reviewer_does_not(client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for(OWNER).get("/reviews/1")
    assert owner.status_code == 200
    column = '<th scope="col">in conflict</th>'
    assert 'class="stage-tally"' in owner.text and column in owner.text
    reviewer = client_for(ANA).get("/reviews/1")
    assert 'class="stage-tally"' in reviewer.text and column not in reviewer.text
    assert "Blinded: how many records sit" in reviewer.text


def test_every_review_page_links_back_to_the_review(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(OWNER)
    for path in (
        "/reviews/1/screen/title_abstract",
        "/reviews/1/setup",
        "/reviews/1/conflicts",
        "/reviews/1/prisma",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'data-crumb="review" href' in page.text or 'href="/reviews/1" class="crumb"' in page.text, path
