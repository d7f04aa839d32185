"""Screens like Rayyan's, Covidence's and NVivo's (issue #14) through the ASGI app.

Screening filters are drop-downs of values the viewer may see; tags are one-click chips; a full
text is attached from its record in one step; the demo's answer key stays out of "all fields".
"""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import ANA, BEN, OWNER, Client, csrf
from tests.web.test_routes import decide

from realreview import services


def test_filters_offer_the_values_the_viewer_may_see(client_for: Client) -> None:
    ana, ben = client_for(ANA), client_for(BEN)
    decide(ana, 1, "exclude", reasons="wrong population", tags=["Plus: age"])
    decide(ben, 2, "exclude", reasons="not an intervention", tags=["Education"])
    page = ana.get("/reviews/1/screen/title_abstract")
    values = page.context["filter_values"]  # type: ignore[attr-defined]
    tags = {t for _, group in values.tag_groups for t in group}
    assert "Socioeconomic status" in tags and "targeted" in tags  # every vocabulary's tags
    assert values.reasons == ("wrong population", "not an intervention")
    assert values.reviewers == ()  # blinded: no colleague's address to filter by
    assert '<select name="tag">' in page.text and '<input name="tag"' not in page.text
    owner = client_for(OWNER).get("/reviews/1/screen/title_abstract?filter=all").context["filter_values"]  # type: ignore[attr-defined]
    assert [group for group, _ in owner.tag_groups] == ["PROGRESS-Plus", "Equity approach"]
    assert owner.reasons == ("wrong population", "not an intervention")  # the setup's, in its order
    assert owner.reviewers == (ANA, BEN)
    partial = ana.get("/reviews/1/screen/title_abstract", headers={"HX-Request": "true"})
    assert partial.context["filter_values"] is None  # type: ignore[attr-defined]


def test_tags_are_chips_with_my_call_checked(client_for: Client) -> None:
    ana = client_for(ANA)
    decide(ana, 1, "include", tags=["Socioeconomic status"])
    page = ana.get("/reviews/1/screen/title_abstract?record=1")
    assert 'name="tags" value="Socioeconomic status" checked' in page.text
    assert "multiple" not in page.text
    assert 'name="tags" value="targeted">' in page.text


def test_a_full_text_is_attached_from_its_record_in_one_step(client_for: Client) -> None:
    for reviewer in (ANA, BEN):
        decide(client_for(reviewer), 1, "include")
    ana = client_for(ANA)
    page = ana.get("/reviews/1/screen/full_text?filter=all&record=1")
    assert page.context["can_attach"]  # type: ignore[attr-defined]
    assert 'name="record_id" value="1"' in page.text and "attach one" not in page.text
    back = "/reviews/1/screen/full_text?filter=all&record=1"
    answer = ana.post(
        "/reviews/1/documents",
        data={"csrf_token": csrf(ana, back), "record_id": "1", "back": back},
        files={"file": ("paper.txt", b"Trust grew over the year.", "text/plain")},
        follow_redirects=False,
    )
    assert (answer.status_code, answer.headers["location"]) == (303, back)
    assert ana.get(back).context["view"].documents[0][1] == "paper.txt"  # type: ignore[attr-defined]
    elsewhere = ana.post(
        "/reviews/1/documents",
        data={"csrf_token": csrf(ana, back), "record_id": "1", "back": "https://example.com/"},
        files={"file": ("two.txt", b"Another text.", "text/plain")},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"].startswith("/reviews/1/documents/")  # never off the review


def test_stage_labels_read_as_words(client_for: Client) -> None:
    owner = client_for(OWNER)
    assert "Agreement: full text" in owner.get("/reviews/1/agreement?stage=full_text").text
    assert "Screening: <strong>full text</strong>" in owner.get("/reviews/1/screen/full_text").text


def test_all_fields_leave_out_the_data_set_s_answer_key(
    client_for: Client, app_url: str, tmp_path: Path
) -> None:
    csv = tmp_path / "benchmark.csv"
    csv.write_text(
        "record_id,title,abstract,label_included,label_abstract_screening,Included\n"
        "77,Nudges for nurses,An abstract.,1,1,yes\n",
        encoding="utf-8",
    )
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = services.review_context(session, review_id=1, email=OWNER)
        services.import_export(session, ctx, path=csv, max_bytes=1024**2)
    database.close()
    ana = client_for(ANA)
    record_id = ana.get("/reviews/1/screen/title_abstract?filter=all&q=nudges+for+nurses").context["view"].id  # type: ignore[attr-defined]
    page = ana.get(f"/reviews/1/records/{record_id}")
    assert "record_id" in page.text and "77" in page.text  # the record's own raw fields stay
    assert "label_included" not in page.text and "label_abstract_screening" not in page.text
    assert ">Included<" not in page.text
