"""Every box of the PRISMA flow at once: both identification columns, further reports, an update.

The review is built so that each box holds a different non-zero count and every sum of the figure
holds; a count in the wrong box (a citation-search record screened in the databases column, a
second report counted as a study) breaks one of the equalities below.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.exports_table import EXPORTS
from tests.services.conftest import ANA, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, ValidationError
from realreview.reporting import flow_from_csv
from realreview.screening import Event, Stage
from realreview.storage.models import RecordRow


def _screen(
    session: services.Session, review: Review, record: int, stage: Stage, event: Event, *why: str
) -> None:
    services.record_decision(
        session, review.ctx(session, ANA), record_id=record, stage=stage, event=event, reasons=why
    )


def _build(review: Review) -> list[int]:
    """The fixture's 10 Embase records plus 3 found by citation searching; returns the latter's ids."""
    r = review.record_ids
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        services.configure_screening(session, owner, dual_fraction=0.0)
        services.add_search(session, owner, database="ClinicalTrials.gov", reported_hits=3)
        services.add_search(session, owner, database="Google Scholar", kind="website", reported_hits=2)
        services.add_search(session, owner, database="NICE evidence", kind="organisation", reported_hits=1)
        citation = services.add_search(session, owner, database="Reference lists", kind="citation")
        services.import_export(
            session,
            owner,
            path=EXPORTS / "ris/cff_cochrane_library.ris",
            search_id=citation.id,
            max_bytes=2**20,
        )
        services.decide_pair(session, owner, record_a=r[0], record_b=r[1], action="merge")
        for box, value in (
            ("excluded_automatic", "2"),
            ("excluded_other", "1"),
            ("previous_studies", "3"),
            ("previous_reports", "4"),
        ):
            services.enter_prisma_count(session, owner, box=box, value=value)
        cited = sorted(session.scalars(select(RecordRow.id).where(RecordRow.search_id == citation.id)))
    with review.session() as session:
        for record in (r[0], r[2], r[3], r[4], *cited):
            _screen(session, review, record, Stage.TITLE_ABSTRACT, Event.INCLUDE)
        for record in r[5:]:
            _screen(session, review, record, Stage.TITLE_ABSTRACT, Event.EXCLUDE)
        _screen(session, review, r[0], Stage.FULL_TEXT, Event.INCLUDE)
        _screen(session, review, r[2], Stage.FULL_TEXT, Event.EXCLUDE, "Wrong population")
        _screen(session, review, r[3], Stage.FULL_TEXT, Event.EXCLUDE, "Wrong outcome")
        _screen(session, review, cited[0], Stage.FULL_TEXT, Event.INCLUDE)
        _screen(session, review, cited[1], Stage.FULL_TEXT, Event.EXCLUDE, "Wrong design")
    return cited


def test_every_box_non_zero_and_every_sum_holds(review: Review) -> None:
    cited = _build(review)
    with review.session() as session:
        services.mark_study_report(
            session, review.ctx(session, OWNER), record_id=cited[0], study_record_id=review.record_ids[0]
        )
        report = services.prisma_report(session, review.ctx(session, ANA))
        csv_text = services.prisma_output(session, review.ctx(session, ANA), fmt="csv").decode()
    flow = report.flow
    counts = flow.counts()
    expected = {
        "database_results": 10,
        "register_results": 3,
        "website_results": 2,
        "organisation_results": 1,
        "citations_results": 3,
        "duplicates": 1,
        "excluded_automatic": 2,
        "excluded_other": 1,
        "records_screened": 9,
        "records_excluded": 5,
        "dbr_sought_reports": 4,
        "dbr_notretrieved_reports": 1,
        "dbr_assessed": 3,
        "other_sought_reports": 3,
        "other_notretrieved_reports": 1,
        "other_assessed": 2,
        "new_studies": 1,
        "new_reports": 2,
        "previous_studies": 3,
        "previous_reports": 4,
        "total_studies": 4,
        "total_reports": 6,
    }
    assert {key: counts[key] for key in expected} == expected
    assert flow.dbr_excluded == (("Wrong outcome", 1), ("Wrong population", 1))
    assert flow.other_excluded == (("Wrong design", 1),)
    assert flow.other_methods and flow.updated
    assert report.problems == []
    assert {"register_results", "website_results", "organisation_results", "excluded_other"} <= flow.entered
    assert "citations_results" not in flow.entered  # imported, so counted
    read_back = flow_from_csv(csv_text)
    assert read_back.counts() | {"entered": []} == counts | {"entered": []}


def test_a_sum_that_does_not_hold_names_its_boxes(review: Review) -> None:
    _build(review)
    with review.session() as session:
        services.enter_prisma_count(session, review.ctx(session, OWNER), box="other_assessed", value="5")
        problems = [str(p) for p in services.prisma_report(session, review.ctx(session, ANA)).problems]
    assert problems == [
        "reports sought (other methods) and reports not retrieved (other methods) give 2, "
        "but reports assessed (other methods) says 5",
        "reports assessed and reports excluded give 5, but reports of new included studies says 2",
    ]


def test_a_further_report_counts_as_a_report_not_a_study(review: Review) -> None:
    r = review.record_ids
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        services.configure_screening(session, owner, dual_fraction=0.0)
        for record in r[:3]:
            _screen(session, review, record, Stage.TITLE_ABSTRACT, Event.INCLUDE)
            _screen(session, review, record, Stage.FULL_TEXT, Event.INCLUDE)
        services.mark_study_report(session, owner, record_id=r[1], study_record_id=r[0], note="protocol")
        services.mark_study_report(session, owner, record_id=r[2], study_record_id=r[0])
        flow = services.prisma_report(session, owner).flow
        assert (flow.new_studies, flow.new_reports) == (1, 3)
        with pytest.raises(ValidationError, match="is itself another report of the study of record"):
            services.mark_study_report(session, owner, record_id=r[3], study_record_id=r[1])
        with pytest.raises(ValidationError, match="main report of a study with further reports"):
            services.mark_study_report(session, owner, record_id=r[0], study_record_id=r[4])
        with pytest.raises(ValidationError, match="cannot be another report of itself"):
            services.mark_study_report(session, owner, record_id=r[4], study_record_id=r[4])
        with pytest.raises(ForbiddenError):
            services.mark_study_report(
                session, review.ctx(session, ANA), record_id=r[4], study_record_id=r[0]
            )
        services.unmark_study_report(session, owner, record_id=r[2])
        assert services.prisma_report(session, owner).flow.new_studies == 2
        assert [item.record_id for item in services.study_reports(session, owner)] == [r[1]]
        services.mark_study_report(session, owner, record_id=r[2], study_record_id=r[0])  # marked again
        assert services.prisma_report(session, owner).flow.new_studies == 1


def test_search_kind_is_checked_and_shown(review: Review) -> None:
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        with pytest.raises(ValidationError, match="search kind 'blog': use one of database, register"):
            services.add_search(session, owner, database="A blog", kind="blog")
        services.add_search(session, owner, database="WHO ICTRP")
        services.add_search(session, owner, database="Hand searching", kind="citation")
        kinds = [(s.database, s.kind) for s in services.summarise_searches(session, owner)]
    assert kinds[-2:] == [("WHO ICTRP", "register"), ("Hand searching", "citation")]
