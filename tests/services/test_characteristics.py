"""Study characteristics in a review: two extractors, a consensus, the XLSX round trip, the summary."""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.characteristics import ExtractionForm, FieldKind, FormField
from realreview.errors import FileTooLargeError, ForbiddenError, ValidationError
from realreview.screening import Event, Stage
from realreview.storage.models import AuditLogRow, ExtractionValueRow


def _include_at_full_text(review: Review, record_id: int) -> None:
    with review.session() as session:
        for stage in (Stage.TITLE_ABSTRACT, Stage.FULL_TEXT):
            services.record_decision(
                session, review.ctx(session, ANA), record_id=record_id, stage=stage, event=Event.INCLUDE
            )


def _audit(session: services.Session, action: str) -> list[AuditLogRow]:
    return list(
        session.scalars(select(AuditLogRow).where(AuditLogRow.action == action).order_by(AuditLogRow.id))
    )


def test_studies_are_full_text_includes_and_records_with_a_full_text(review: Review) -> None:
    _include_at_full_text(review, review.record_ids[3])
    with review.session() as session:
        found = [s.record_id for s in services.studies(session, review.ctx(session, OWNER))]
        # A record's state is made of Ana's calls: blinded, Ben knows only the attached full text.
        blinded = [s.record_id for s in services.studies(session, review.ctx(session, BEN))]
        services.configure_screening(session, review.ctx(session, OWNER), blinded=False)
    with review.session() as session:
        unblinded = [s.record_id for s in services.studies(session, review.ctx(session, BEN))]
    assert found == unblinded == [review.record_ids[0], review.record_ids[3]]
    assert blinded == [review.record_ids[0]]


def test_two_extractors_a_difference_and_the_consensus_that_settles_it(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        ana, ben, owner = (review.ctx(session, email) for email in (ANA, BEN, OWNER))
        for ctx, key, raw in (
            (ana, "effect_on_inequalities", "Reduced"),
            (ben, "effect_on_inequalities", "mixed"),
            (ana, "care_setting", "community; primary"),
            (ben, "care_setting", "primary, community"),
        ):
            services.set_value(session, ctx, record_id=record, field_key=key, raw=raw)
        with pytest.raises(ValidationError, match="not one of"):
            services.set_value(
                session, ana, record_id=record, field_key="effect_on_inequalities", raw="better"
            )
        differences = services.extraction_differences(session, owner, first=ANA, second=BEN)
        settled = services.study_values(session, owner)[record]
        assert [d.key for d in differences[record]] == ["effect_on_inequalities"]
        assert "effect_on_inequalities" not in settled  # they disagree and nobody reconciled
        assert set(settled["care_setting"]) == {"primary", "community"}  # type: ignore[arg-type]
        with pytest.raises(ForbiddenError, match="to settle values needs the role: owner"):
            services.set_value(
                session,
                ana,
                record_id=record,
                field_key="effect_on_inequalities",
                raw="mixed",
                extractor=services.CONSENSUS,
            )
        services.set_value(
            session,
            owner,
            record_id=record,
            field_key="effect_on_inequalities",
            raw="mixed",
            extractor=services.CONSENSUS,
        )
        assert services.study_values(session, owner)[record]["effect_on_inequalities"] == "mixed"
        assert services.extraction_differences(session, owner, first=ANA, second=BEN) == {}
        assert services.study_values(session, owner, extractor=ANA)[record]["effect_on_inequalities"] == (
            "reduced"
        )
        rows = session.scalars(select(ExtractionValueRow).order_by(ExtractionValueRow.id)).all()
        assert [(row.extractor, row.by) for row in rows][-1] == (services.CONSENSUS, OWNER)
        assert {(row.extractor, row.by) for row in rows[:-1]} == {(ANA, ANA), (BEN, BEN)}
        (consensus,) = [a for a in _audit(session, "characteristics.value") if a.actor == OWNER]
        assert (consensus.entity, consensus.entity_id) == ("record", record)
        assert consensus.details == {
            "field": "effect_on_inequalities",
            "extractor": services.CONSENSUS,
            "source": "realreview",
            "rows": {"extraction_values.insert": 1},
        }
        assert len(_audit(session, "characteristics.value")) == 5  # the refused value left no row


def test_set_values_stores_only_what_changed_and_nothing_when_a_field_is_refused(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        ana = review.ctx(session, ANA)
        posted = {"year": ["2019"], "care_setting": ["", "primary", "community"], "csrf_token": ["t"]}
        saved = services.set_values(session, ana, record_id=record, raw=posted)
        assert (sorted(saved.stored), saved.errors) == (["care_setting", "year"], {})
        again = services.set_values(session, ana, record_id=record, raw={**posted, "year": "2020"})
        assert again.stored == ("year",)
        refused = services.set_values(session, ana, record_id=record, raw={"year": "19x", "country": "UK"})
        assert refused.stored == () and list(refused.errors) == ["year"]
        assert services.set_values(session, ana, record_id=record, raw=posted).stored == ("year",)
        assert services.study_values(session, ana, extractor=ANA)[record] == {
            "year": 2019,
            "care_setting": ("primary", "community"),
        }
        audits = _audit(session, "characteristics.values")
        assert [a.details for a in audits] == [
            {"fields": ["care_setting", "year"], "rows": {"extraction_values.insert": 2}},
            {"fields": ["year"], "rows": {"extraction_values.insert": 1}},
            {"fields": ["year"], "rows": {"extraction_values.insert": 1}},
        ]  # the refused save and nothing else changed no row, so they left no audit either
        assert {a.actor for a in audits} == {ANA}
        viewer = dataclasses.replace(ana, role=services.Role.VIEWER)
        with pytest.raises(ForbiddenError, match="to extract needs the role: owner, reviewer"):
            services.set_values(session, viewer, record_id=record, raw=posted)


def test_the_sheet_goes_out_and_comes_back_with_a_report(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        services.set_value(session, review.ctx(session, BEN), record_id=record, field_key="year", raw="2018")
        data = services.export_characteristics(session, review.ctx(session, BEN), extractor=BEN)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == record)
    assert sheet.cell(row, headers["Year"]).value == 2018  # Ben's own sheet holds Ben's own value
    sheet.cell(row, headers["Year"]).value = 2019
    sheet.cell(row, headers["Reported effect on inequalities"]).value = "sometimes"
    edited = io.BytesIO()
    book.save(edited)
    with review.session() as session:
        ben = review.ctx(session, BEN)
        report = services.import_characteristics(session, ben, data=edited.getvalue(), name="edited.xlsx")
        values = services.study_values(session, ben, extractor=BEN)[record]
        (logged,) = _audit(session, "characteristics.import")
    assert [(c.key, c.old, c.new) for c in report.changes] == [("year", 2018, 2019)]
    assert [(r.row, r.value) for r in report.rejected] == [(row, "sometimes")]
    assert values == {"year": 2019}
    assert (logged.actor, logged.entity, logged.entity_id) == (BEN, "review", review.review_id)
    assert logged.details == {
        "file": "edited.xlsx",
        "extractor": BEN,
        "changes": 1,
        "rejected": 1,
        "rows": {"extraction_values.insert": 1},
    }


def test_a_sheet_for_someone_else_is_the_owners_to_enter(review: Review) -> None:
    with review.session() as session:
        data = services.export_characteristics(session, review.ctx(session, ANA))
    with review.session() as session:
        with pytest.raises(ForbiddenError, match="to settle values"):
            services.import_characteristics(
                session, review.ctx(session, ANA), data=data, name="s.xlsx", extractor=BEN
            )
        owner = review.ctx(session)
        with pytest.raises(ValidationError, match="stranger@example.org is not a member of review"):
            services.import_characteristics(
                session, owner, data=data, name="s.xlsx", extractor="stranger@example.org"
            )
        with pytest.raises(FileTooLargeError, match="s.xlsx: larger than 0 MiB"):
            services.import_characteristics(session, owner, data=data, name="s.xlsx", max_bytes=10)
        report = services.import_characteristics(
            session, owner, data=data, name="s.xlsx", extractor=BEN.upper()
        )
    assert report.changes == () and report.unchanged > 0


def test_the_form_can_be_replaced_but_not_lose_a_field_with_values(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        owner, ana = review.ctx(session, OWNER), review.ctx(session, ANA)
        services.set_value(session, ana, record_id=record, field_key="year", raw="2019")
        form = services.extraction_form(session, ana)
        smaller = ExtractionForm(tuple(f for f in form.fields if f.key != "year"))
        with pytest.raises(ValidationError, match="'year' already holds values"):
            services.set_extraction_form(session, owner, form=smaller)
        with pytest.raises(ForbiddenError, match="to edit the extraction form needs the role: owner"):
            services.set_extraction_form(session, ana, form=form)
        bigger = ExtractionForm((*form.fields, FormField("n", "Sample size", FieldKind.NUMBER)))
        assert services.set_extraction_form(session, owner, form=bigger) == bigger
        assert services.extraction_form(session, ana).field("n").label == "Sample size"
        (logged,) = _audit(session, "form.set")
    assert (logged.actor, logged.entity_id) == (OWNER, review.review_id)
    assert logged.details["after"] == bigger.to_json() and logged.details["before"] == form.to_json()
    assert logged.details["rows"] == {"extraction_forms.insert": 1}


def test_the_summary_counts_studies_per_value(review: Review) -> None:
    _include_at_full_text(review, review.record_ids[3])
    with review.session() as session:
        ana, owner = review.ctx(session, ANA), review.ctx(session, OWNER)
        for record, countries in (
            (review.record_ids[0], "UK"),
            (review.record_ids[3], "United Kingdom; Canada"),
        ):
            services.set_value(session, ana, record_id=record, field_key="country", raw=countries)
        # The review's only extractor is Ana: her values are final for the owner, who sees them.
        summary = {s.key: s for s in services.summarise_characteristics(session, owner)}
        csv = services.export_summary(session, owner)
        page = services.summary_page(session, owner)
        # Ana, blinded, cannot know she is the only extractor: her values wait for the owner.
        hers = services.summary_page(session, ana)
    assert dict(summary["country"].counts) == {"United Kingdom": 2, "Canada": 1}
    assert summary["country"].studies == 2
    assert "Country,United Kingdom,2\nCountry,Canada,1\n" in csv
    assert [s.key for s, _svg in page.charts] == list(summary) and page.charts[0][1].startswith("<svg")
    assert (page.settlement.studies, page.settlement.unsettled, page.blind) == (2, 0, False)
    country = next(s for s, _svg in hers.charts if s.key == "country")
    assert (country.studies, hers.blind, hers.settlement.pending) == (0, True, 2)
