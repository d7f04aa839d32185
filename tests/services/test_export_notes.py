"""Records out with their screening (issue #13 item 4): outcomes, reasons, tags and notes, within blinding."""

from __future__ import annotations

import pytest
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, ValidationError
from realreview.screening import Event, Stage, Verdict

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT


def _decide(review: Review, email: str, record: int, stage: Stage, event: Event, **extra: object) -> None:
    with review.session() as session:
        services.record_decision(
            session, review.ctx(session, email), record_id=record, stage=stage, event=event, **extra
        )


def _export(review: Review, email: str | None, **options: object) -> str:
    with review.session() as session:
        return services.export_records(session, review.ctx(session, email), notes=True, **options)  # type: ignore[arg-type]


def _records(ris: str) -> list[list[str]]:
    """The N1 values of each record of an RIS text that RealReview wrote."""
    blocks = [block for block in ris.split("ER  - \n") if block.strip()]
    return [
        [line[6:] for line in block.splitlines() if line.startswith("N1  - RealReview")] for block in blocks
    ]


@pytest.fixture
def screened(review: Review) -> Review:
    """Both reviewers screen r0 (included), r1 (excluded at full text); Ana alone has called r2."""
    r = review.record_ids
    with review.session() as session:
        services.configure_screening(session, review.ctx(session, OWNER), dual_fraction=1.0)
    for who, tag in ((ANA, "Gender, sex"), (BEN, "gap")):
        _decide(review, who, r[0], TA, Event.INCLUDE, tags=[tag], note=f"{who[:3]} thinks it fits")
        _decide(review, who, r[1], TA, Event.INCLUDE)
    for who in (ANA, BEN):
        _decide(review, who, r[0], FT, Event.INCLUDE)
        _decide(review, who, r[1], FT, Event.EXCLUDE, reasons=["Wrong population"])
    _decide(review, ANA, r[2], TA, Event.EXCLUDE, tags=["Education"], note="ana's first impression")
    return review


def test_an_included_record_carries_its_outcomes_tags_and_notes(screened: Review) -> None:
    (included,) = _records(_export(screened, OWNER, format_name="ris", state="included"))
    assert included == [
        "RealReview: title/abstract included (2 of 2 reviewers)",
        "RealReview: full text included (2 of 2 reviewers)",
        "RealReview tags (PROGRESS-Plus): Gender, sex",
        "RealReview tags (Equity approach): gap",
        "RealReview note (title/abstract): ana thinks it fits",
        "RealReview note (title/abstract): ben thinks it fits",
    ]
    (excluded,) = _records(_export(screened, OWNER, format_name="ris", state="full_text_excluded"))
    assert excluded == [
        "RealReview: title/abstract included (2 of 2 reviewers)",
        "RealReview: full text excluded (2 of 2 reviewers) — reason: Wrong population",
    ]


def test_the_owner_sees_a_call_in_progress_and_a_blinded_reviewer_does_not(screened: Review) -> None:
    r2 = screened.record_ids[2]
    owner = _export(screened, OWNER, format_name="ris", state="pending")
    assert "RealReview: title/abstract pending (1 call so far)" in owner
    assert "ana's first impression" in owner and "Education" in owner

    ben_all = _export(screened, BEN, format_name="ris")
    assert "ana's first impression" not in ben_all and "Education" not in ben_all
    assert "pending" not in ben_all  # not even that someone has called r2
    ana_pending = _records(_export(screened, ANA, format_name="ris", state="pending"))
    assert [lines for lines in ana_pending if lines] == [
        [
            "RealReview: title/abstract pending (your call: exclude)",
            "RealReview tags (PROGRESS-Plus): Education",
            "RealReview note (title/abstract): ana's first impression",
        ]
    ]
    with screened.session() as session:
        assert services.record_view(session, screened.ctx(session, BEN), record_id=r2, stage=TA).others == {}


def test_a_blinded_reviewer_gets_completed_outcomes_and_only_their_own_calls(screened: Review) -> None:
    (included,) = _records(_export(screened, BEN, format_name="ris", state="included"))
    assert included == [
        "RealReview: title/abstract included (your call: include)",
        "RealReview: full text included (your call: include)",
        "RealReview tags (Equity approach): gap",
        "RealReview note (title/abstract): ben thinks it fits",
    ]
    with screened.session() as session:
        services.configure_screening(session, screened.ctx(session, OWNER), blinded=False)
    assert "ana thinks it fits" in _export(screened, BEN, format_name="ris", state="included")


def test_a_resolved_conflict_says_so_to_the_owner_only(screened: Review) -> None:
    r3 = screened.record_ids[3]
    _decide(screened, ANA, r3, TA, Event.INCLUDE)
    _decide(screened, BEN, r3, TA, Event.EXCLUDE, reasons=["Not an intervention"])
    with screened.session() as session:
        owner = screened.ctx(session, OWNER)
        services.resolve_conflict(
            session, owner, record_id=r3, stage=TA, verdict=Verdict.INCLUDE, note="see protocol 2.1"
        )
    owner_text = _export(screened, OWNER, format_name="ris", state="full_text")
    assert "RealReview: title/abstract included (1 of 2 reviewers; conflict resolved)" in owner_text
    assert "RealReview note (title/abstract): resolution: see protocol 2.1" in owner_text
    ana_text = _export(screened, ANA, format_name="ris", state="full_text")
    assert "RealReview: title/abstract included (your call: include)" in ana_text
    assert "resolved" not in ana_text and "Not an intervention" not in ana_text


def test_bibtex_and_csv_carry_the_same_facts(screened: Review) -> None:
    bib = _export(screened, OWNER, format_name="bibtex", state="full_text_excluded")
    assert "annote = {RealReview: title/abstract included (2 of 2 reviewers)\n" in bib
    table = _export(screened, OWNER, format_name="csv", state="full_text_excluded")
    header, row = table.splitlines()[:2]
    assert header.endswith(
        "title_abstract_outcome,full_text_outcome,exclusion_reasons,screening_tags,decision_notes"
    )
    assert row.endswith(
        ",included (2 of 2 reviewers),excluded (2 of 2 reviewers) — reason: Wrong population,"
        "Wrong population,,"
    )


def test_without_notes_the_export_is_as_before_and_bad_options_are_refused(screened: Review) -> None:
    with screened.session() as session:
        owner = screened.ctx(session, OWNER)
        plain = services.export_records(session, owner, format_name="ris", state="included")
        assert "RealReview" not in plain
        with pytest.raises(ValidationError, match="format 'docx': use one of ris, csv, bibtex"):
            services.export_records(session, owner, format_name="docx")
        services.create_user(session, email="pan@example.org", actor="tester")
        services.add_member(session, owner, email="pan@example.org", role=services.Role.PANEL)
    with screened.session() as session:
        with pytest.raises(ForbiddenError):
            services.export_records(
                session, screened.ctx(session, "pan@example.org"), format_name="ris", notes=True
            )
