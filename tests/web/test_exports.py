"""Records out in the browser (issue #13 item 4): the download, its notes, the form, and blinding."""

from __future__ import annotations

import csv
import io

from tests.web.conftest import ANA, BEN, OWNER, PASSWORD, Client, member_ctx
from tests.web.test_blinding_http import _decide, _states

from realreview import services
from realreview.screening import Event, Stage

STATES = ("", "included", "excluded", "title_abstract_excluded", "full_text", "pending")


def _screen_two_in(app_url: str) -> None:
    """Records 1 and 2 pass title/abstract (Ana and Ben agree); record 1 gets tags and a note."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        for who in (ANA, BEN):
            services.record_decision(
                session,
                member_ctx(session, who),
                record_id=1,
                stage=Stage.TITLE_ABSTRACT,
                event=Event.INCLUDE,
                tags=["Education"] if who == ANA else ["targeted"],
                note=f"{who} says: equity",
            )
            _decide(session, who, 2, Event.INCLUDE)
    database.close()


def test_the_owner_downloads_the_included_studies_with_their_decisions(
    client_for: Client, app_url: str
) -> None:
    _screen_two_in(app_url)
    owner = client_for(OWNER)
    response = owner.get("/reviews/1/export?format=ris&state=full_text")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="review-1-full_text.ris"'
    assert response.headers["content-type"] == "application/x-research-info-systems; charset=utf-8"
    assert response.text.count("TY  - ") == 2
    assert "N1  - RealReview: title/abstract included (2 of 2 reviewers)\n" in response.text
    assert "N1  - RealReview tags (PROGRESS-Plus): Education\n" in response.text
    assert "N1  - RealReview tags (Equity approach): targeted\n" in response.text

    bib = owner.get("/reviews/1/export?format=bibtex&state=full_text")
    assert bib.headers["content-disposition"] == 'attachment; filename="review-1-full_text.bib"'
    assert "annote = {RealReview: title/abstract included (2 of 2 reviewers)" in bib.text
    table = owner.get("/reviews/1/export?format=csv&notes=false")
    assert table.headers["content-disposition"] == 'attachment; filename="review-1-records.csv"'
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert len(rows) == 10 and "title_abstract_outcome" not in rows[0]


def test_a_blinded_reviewer_downloads_only_their_own_calls(client_for: Client, app_url: str) -> None:
    _screen_two_in(app_url)
    text = client_for(BEN).get("/reviews/1/export?state=full_text").text
    assert "RealReview: title/abstract included (your call: include)" in text
    assert "targeted" in text and f"{BEN} says" in text
    assert "Education" not in text and f"{ANA} says" not in text


def test_bad_choices_are_a_400_naming_the_choices(client_for: Client) -> None:
    owner = client_for(OWNER)
    bad_state = owner.get("/reviews/1/export?state=maybe")
    assert bad_state.status_code == 400 and "use one of included, excluded" in bad_state.text
    bad_format = owner.get("/reviews/1/export?format=docx")
    assert bad_format.status_code == 400 and "use one of ris, csv, bibtex" in bad_format.text


def test_the_overview_offers_the_export_to_members_who_may_export(client_for: Client, app_url: str) -> None:
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        owner = services.trusted_context(session, review_id=1, actor="tester")
        services.create_user(session, email="pan@example.org", password=PASSWORD, actor="tester")
        services.add_member(session, owner, email="pan@example.org", role=services.Role.PANEL)
    database.close()
    page = client_for(ANA).get("/reviews/1")
    assert page.context["can_export"] is True  # type: ignore[attr-defined]
    assert 'action="/reviews/1/export"' in page.text and '<option value="bibtex">' in page.text
    panel = client_for("pan@example.org").get("/reviews/1")
    assert panel.status_code == 200 and panel.context["can_export"] is False  # type: ignore[attr-defined]
    assert 'action="/reviews/1/export"' not in panel.text


def test_a_colleague_changing_calls_changes_no_export_a_blinded_reviewer_gets(
    client_for: Client, app_url: str
) -> None:
    states = _states(app_url)
    ben = client_for(BEN)

    def exports() -> dict[str, str]:
        return {
            f"{fmt} {state}": ben.get(f"/reviews/1/export?format={fmt}&state={state}").text
            for fmt in ("ris", "bibtex", "csv")
            for state in STATES
        }

    before = exports()
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        for record_id, who, event in (
            (states["awaiting_include"], ANA, Event.EXCLUDE),
            (states["awaiting_exclude"], ANA, Event.INCLUDE),
            (states["conflict"], ANA, Event.EXCLUDE),  # the conflict becomes an agreed exclusion
            (states["unscreened"], OWNER, Event.INCLUDE),  # now awaiting a second call
        ):
            _decide(session, who, record_id, event)
    database.close()
    assert exports() == before
    assert "RealReview: title/abstract excluded\n" in before["ris excluded"]  # completed outcomes show
