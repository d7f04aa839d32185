"""The PRISMA flow counted from a review's data: every box from the records, entered counts marked."""

from __future__ import annotations

from tests.services.conftest import ANA, OWNER, Review

from realreview import services
from realreview.screening import Event, Stage


def _screen(
    session: services.Session, review: Review, record: int, stage: Stage, event: Event, *reasons: str
) -> None:
    services.record_decision(
        session, review.ctx(session, ANA), record_id=record, stage=stage, event=event, reasons=reasons
    )


def test_every_box_is_counted_from_the_review(review: Review) -> None:
    r = review.record_ids
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        services.configure_screening(session, owner, dual_fraction=0.0)
        services.add_search(
            session, review.ctx(session), database="PsycINFO", reported_hits=25
        )  # not imported
        services.decide_pair(session, review.ctx(session), record_a=r[0], record_b=r[1], action="merge")
    with review.session() as session:
        for record in r[2:5] + [r[0]]:
            _screen(session, review, record, Stage.TITLE_ABSTRACT, Event.INCLUDE)
        for record in r[5:9]:
            _screen(session, review, record, Stage.TITLE_ABSTRACT, Event.EXCLUDE)
        _screen(session, review, r[0], Stage.FULL_TEXT, Event.INCLUDE)  # its full text is attached
        _screen(session, review, r[2], Stage.FULL_TEXT, Event.EXCLUDE, "Wrong population")
        _screen(session, review, r[3], Stage.FULL_TEXT, Event.EXCLUDE, "Wrong outcome")
        report = services.prisma_report(session, review.ctx(session, ANA))
    flow = report.flow
    assert flow.database_specific_results == (("Embase", 10), ("PsycINFO", 25))
    assert "database_specific_results:PsycINFO" in flow.entered  # reported hits, typed in
    assert (flow.identified, flow.duplicates, flow.records_screened, flow.records_excluded) == (35, 1, 9, 4)
    assert report.title_abstract_pending == 1  # r[9] is not screened yet
    assert (flow.dbr_sought_reports, flow.dbr_notretrieved_reports, flow.dbr_assessed) == (4, 1, 3)
    assert flow.dbr_excluded == (("Wrong outcome", 1), ("Wrong population", 1))
    assert (flow.new_studies, flow.new_reports) == (1, 1)
    assert [str(p) for p in report.problems][:2] == [
        "records identified and records removed before screening give 34, but records screened says 9",
        "records screened and records excluded give 5, but reports sought for retrieval says 4",
    ]

    with review.session() as session:
        owner = review.ctx(session, OWNER)
        services.enter_prisma_count(
            session, owner, box="database_specific_results", value="Embase, 10", note="imported"
        )
        _screen(session, review, r[9], Stage.TITLE_ABSTRACT, Event.EXCLUDE)
        report = services.prisma_report(session, review.ctx(session, ANA))
    assert report.problems == []
    assert report.flow.identified == 10 and "database_specific_results" in report.flow.entered
    with review.session() as session:
        services.clear_prisma_count(session, review.ctx(session, OWNER), box="database_specific_results")
        assert services.prisma_report(session, review.ctx(session, ANA)).flow.identified == 35


def test_a_bad_entry_names_the_box_and_changes_nothing(review: Review) -> None:
    import pytest

    from realreview.errors import ForbiddenError, ValidationError

    with review.session() as session:
        owner = review.ctx(session, OWNER)
        with pytest.raises(ValidationError, match="'nonsense' is not a PRISMA box"):
            services.enter_prisma_count(session, owner, box="nonsense", value="3")
        with pytest.raises(
            ValidationError, match="dbr_excluded: 'Wrong population, x' is not 'name, number'"
        ):
            services.enter_prisma_count(session, owner, box="dbr_excluded", value="Wrong population, x")
        with pytest.raises(ValidationError, match="duplicates: '-3' is not a whole number"):
            services.enter_prisma_count(session, owner, box="duplicates", value="-3")
        with pytest.raises(ForbiddenError):
            services.enter_prisma_count(session, review.ctx(session, ANA), box="duplicates", value="3")
        assert services.prisma_report(session, owner).flow.entered == frozenset()


def test_export_by_state_counts_completed_outcomes_only(review: Review) -> None:
    import pytest

    from realreview.errors import ValidationError

    r = review.record_ids
    with review.session() as session:
        services.configure_screening(session, review.ctx(session, OWNER), dual_fraction=0.0)
        _screen(session, review, r[0], Stage.TITLE_ABSTRACT, Event.INCLUDE)
        _screen(session, review, r[1], Stage.TITLE_ABSTRACT, Event.EXCLUDE)
        _screen(session, review, r[0], Stage.FULL_TEXT, Event.INCLUDE)
        owner = review.ctx(session, OWNER)
        included = services.export_records(session, owner, format_name="ris", state="included")
        excluded = services.export_records(session, owner, format_name="ris", state="excluded")
        pending = services.export_records(session, owner, format_name="ris", state="pending")
        with pytest.raises(ValidationError, match="state 'maybe': use one of included"):
            services.export_records(session, owner, format_name="ris", state="maybe")
    assert included.count("TY  - ") == 1
    assert excluded.count("TY  - ") == 1
    assert pending.count("TY  - ") == len(r) - 2
