"""Study characteristics in a review: two extractors, a consensus, the XLSX round trip, the summary."""

from __future__ import annotations

import io

import openpyxl
import pytest
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.errors import ValidationError
from realreview.screening import Event, Stage


def _include_at_full_text(review: Review, record_id: int) -> None:
    with review.session() as session:
        for stage in (Stage.TITLE_ABSTRACT, Stage.FULL_TEXT):
            services.record_decision(
                session,
                review_id=review.review_id,
                record_id=record_id,
                stage=stage,
                reviewer=ANA,
                event=Event.INCLUDE,
            )


def test_studies_are_full_text_includes_and_records_with_a_full_text(review: Review) -> None:
    _include_at_full_text(review, review.record_ids[3])
    with review.session() as session:
        found = [s.record_id for s in services.studies(session, review_id=review.review_id)]
    assert found == [review.record_ids[0], review.record_ids[3]]


def test_two_extractors_a_difference_and_the_consensus_that_settles_it(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        rid = review.review_id
        services.set_value(
            session,
            review_id=rid,
            record_id=record,
            field_key="effect_on_inequalities",
            raw="Reduced",
            extractor=ANA,
            actor=ANA,
        )
        services.set_value(
            session,
            review_id=rid,
            record_id=record,
            field_key="effect_on_inequalities",
            raw="mixed",
            extractor=BEN,
            actor=BEN,
        )
        services.set_value(
            session,
            review_id=rid,
            record_id=record,
            field_key="care_setting",
            raw="community; primary",
            extractor=ANA,
            actor=ANA,
        )
        services.set_value(
            session,
            review_id=rid,
            record_id=record,
            field_key="care_setting",
            raw="primary, community",
            extractor=BEN,
            actor=BEN,
        )
        with pytest.raises(ValidationError, match="not one of"):
            services.set_value(
                session,
                review_id=rid,
                record_id=record,
                field_key="effect_on_inequalities",
                raw="better",
                extractor=ANA,
                actor=ANA,
            )
        differences = services.extraction_differences(session, review_id=rid, first=ANA, second=BEN)
        settled = services.study_values(session, review_id=rid)[record]
        assert [d.key for d in differences[record]] == ["effect_on_inequalities"]
        assert settled["effect_on_inequalities"] is None  # they disagree and nobody reconciled
        assert set(settled["care_setting"]) == {"primary", "community"}  # type: ignore[arg-type]
        services.set_value(
            session,
            review_id=rid,
            record_id=record,
            field_key="effect_on_inequalities",
            raw="mixed",
            extractor=services.CONSENSUS,
            actor=OWNER,
        )
        assert services.study_values(session, review_id=rid)[record]["effect_on_inequalities"] == "mixed"
        assert services.extraction_differences(session, review_id=rid, first=ANA, second=BEN) == {}
        assert services.study_values(session, review_id=rid, extractor=ANA)[record][
            "effect_on_inequalities"
        ] == ("reduced")


def test_the_sheet_goes_out_and_comes_back_with_a_report(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        services.set_value(
            session,
            review_id=review.review_id,
            record_id=record,
            field_key="year",
            raw="2018",
            extractor=ANA,
            actor=ANA,
        )
        data = services.export_characteristics(session, review_id=review.review_id)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == record)
    sheet.cell(row, headers["Year"]).value = 2019
    sheet.cell(row, headers["Reported effect on inequalities"]).value = "sometimes"
    edited = io.BytesIO()
    book.save(edited)
    with review.session() as session:
        report = services.import_characteristics(
            session,
            review_id=review.review_id,
            data=edited.getvalue(),
            name="edited.xlsx",
            extractor=BEN,
            actor=BEN,
        )
        values = services.study_values(session, review_id=review.review_id, extractor=BEN)[record]
    assert [(c.key, c.old, c.new) for c in report.changes] == [("year", 2018, 2019)]
    assert [(r.row, r.value) for r in report.rejected] == [(row, "sometimes")]
    assert values == {"year": 2019}


def test_the_summary_counts_studies_per_value(review: Review) -> None:
    _include_at_full_text(review, review.record_ids[3])
    with review.session() as session:
        for record, countries in (
            (review.record_ids[0], "UK"),
            (review.record_ids[3], "United Kingdom; Canada"),
        ):
            services.set_value(
                session,
                review_id=review.review_id,
                record_id=record,
                field_key="country",
                raw=countries,
                extractor=ANA,
                actor=ANA,
            )
        summary = {s.key: s for s in services.summarise_characteristics(session, review_id=review.review_id)}
    assert dict(summary["country"].counts) == {"United Kingdom": 2, "Canada": 1}
    assert summary["country"].studies == 2
