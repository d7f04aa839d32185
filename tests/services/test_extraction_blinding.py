"""Independent extraction: blinded, a reviewer's every view is made of their own values and the settled ones.

Issue #10: Ben saw Ana's values on the page and in the sheet before extracting, his uploaded sheet
left him with "0 of 8 fields", and the summary counted values one extractor entered as final.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.characteristics import Standing
from realreview.errors import ForbiddenError
from realreview.storage.models import AuditLogRow

#: Ana's extraction of the review's study: every field of the default form.
ANAS = {
    "country": "UK; France",
    "care_setting": ["primary", "community"],
    "year": "2019",
    "clinical_topic": "Diabetes",
    "study_design": "RCT",
    "progress_plus": ["Place of residence"],
    "intervention_type": "targeted",
    "effect_on_inequalities": "reduced",
}


def _sheet(data: bytes) -> dict[tuple[int, str], object]:
    """A downloaded sheet's cells: (record id, field key) -> value (row 2 holds the keys)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    cells = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        for key, value in zip(keys[2:], row[2:], strict=True):
            cells[(row[0], key)] = value
    return cells


def _filled(data: bytes, record_id: int, values: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == record_id)
    for key, value in values.items():
        sheet.cell(row, keys.index(key) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _what_ben_sees(review: Review) -> dict[str, Any]:
    """Everything the characteristics pages, partials, downloads and summary give Ben (blinded)."""
    with review.session() as session:
        ben = review.ctx(session, BEN)
        page = services.characteristics_page(session, ben)
        summary = services.summary_page(session, ben)
        return {
            "studies": page.studies,
            "settled": page.settled,
            "mine": page.mine,
            "standings": page.standings,
            "settlement": page.settlement,
            "differences": page.differences,
            "extractors": page.extractors,
            "summary": [chart for chart, _svg in summary.charts],
            "summary settlement": summary.settlement,
            "summary csv": services.export_summary(session, ben),
            "settled sheet": _sheet(services.export_characteristics(session, ben)),
            "own sheet": _sheet(services.export_characteristics(session, ben, extractor=BEN)),
            "values": services.study_values(session, ben),
            "with values": services.studies_with_values(session, ben),
        }


def test_nothing_ben_sees_depends_on_anas_values_until_the_owner_settles_one(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        services.set_values(session, review.ctx(session, BEN), record_id=record, raw={"year": "2018"})
    before = _what_ben_sees(review)
    with review.session() as session:
        ana = review.ctx(session, ANA)
        services.set_values(session, ana, record_id=record, raw=ANAS)
        services.set_values(session, ana, record_id=review.record_ids[5], raw={"year": "2001"})
    assert _what_ben_sees(review) == before  # no value, agreement, count or extra study of Ana's
    with review.session() as session:
        ben = review.ctx(session, BEN)
        for refused in (
            lambda: services.study_values(session, ben, extractor=ANA),
            lambda: services.studies_with_values(session, ben, extractor=ANA.upper()),
            lambda: services.export_characteristics(session, ben, extractor=f" {ANA.upper()} "),
            lambda: services.extraction_differences(session, ben, first=ANA, second=BEN),
        ):
            with pytest.raises(ForbiddenError, match=f"blinding hides {ANA}'s values from {BEN}"):
                refused()
        owner = review.ctx(session, OWNER)
        services.set_value(
            session, owner, record_id=record, field_key="country", raw="UK", extractor=services.CONSENSUS
        )
    after = _what_ben_sees(review)
    assert after["settled"][record] == {"country": ("United Kingdom",)}
    assert after["settled sheet"][(record, "country")] == "United Kingdom"
    assert after["own sheet"][(record, "country")] is None and after["own sheet"][(record, "year")] == 2018
    assert dict(next(s for s in after["summary"] if s.key == "country").counts)["United Kingdom"] == 1
    assert (after["summary settlement"].pending, after["settlement"].pending) == (1, 1)  # his year waits


def test_the_owner_sees_both_extractions_and_what_is_unsettled(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        ana, ben = review.ctx(session, ANA), review.ctx(session, BEN)
        services.set_values(session, ana, record_id=record, raw={"country": "UK", "year": "2019"})
        services.set_values(session, ben, record_id=record, raw={"year": "2019", "study_design": "RCT"})
        services.set_values(session, ana, record_id=review.record_ids[5], raw={"study_design": "cohort"})
        services.set_values(session, ben, record_id=review.record_ids[5], raw={"study_design": "RCT"})
        owner = review.ctx(session, OWNER)
        page = services.characteristics_page(session, owner)
        summary = {s.key: s for s in services.summarise_characteristics(session, owner)}
    standings = {key: s.standing for key, s in page.standings[record].items()}
    assert standings == {
        "country": Standing.ONE_ONLY,  # only Ana entered it: not final, flagged
        "year": Standing.AGREED,
        "study_design": Standing.ONE_ONLY,
    }
    assert page.standings[review.record_ids[5]]["study_design"].standing is Standing.DIFFERENT
    assert page.settled[record] == {"year": 2019}
    assert (page.settlement.studies, page.settlement.unsettled) == (2, 2)
    assert (page.settlement.one_extractor, page.settlement.different) == (1, 1)
    assert (summary["country"].studies, summary["year"].studies, summary["study_design"].studies) == (0, 1, 0)


def test_settling_the_agreed_values_shows_them_to_everyone(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        ana, ben = review.ctx(session, ANA), review.ctx(session, BEN)
        services.set_values(session, ana, record_id=record, raw={"country": "UK", "year": "2019"})
        services.set_values(session, ben, record_id=record, raw={"country": "France", "year": "2019"})
        with pytest.raises(ForbiddenError, match="to settle values needs the role: owner"):
            services.settle_agreed_values(session, ana)
        assert services.settle_agreed_values(session, review.ctx(session, OWNER)) == 1
        assert services.settle_agreed_values(session, review.ctx(session, OWNER)) == 0  # nothing left
        seen = services.study_values(session, review.ctx(session, BEN))[record]
        (logged,) = session.scalars(
            select(AuditLogRow).where(AuditLogRow.action == "characteristics.settle_agreed")
        ).all()
    assert seen == {"year": 2019}  # the agreed year; the differing country waits for the owner
    assert (logged.actor, logged.entity, logged.entity_id) == (OWNER, "review", review.review_id)
    assert logged.details == {"settled": 1, "rows": {"extraction_values.insert": 1}}


def test_bens_uploaded_sheet_becomes_all_of_bens_values(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        services.set_values(session, review.ctx(session, ANA), record_id=record, raw=ANAS)
        services.configure_screening(session, review.ctx(session, OWNER), blinded=False)
    with review.session() as session:
        # Unblinded, Ben may read the settled sheet, which holds Ana's values (she is the only extractor).
        settled = services.export_characteristics(session, review.ctx(session, BEN))
    assert _sheet(settled)[(record, "year")] == 2019
    edited = _filled(settled, record, {"year": 2020})  # Ben checks every cell and changes one
    with review.session() as session:
        ben = review.ctx(session, BEN)
        report = services.import_characteristics(session, ben, data=edited, name="ben.xlsx")
        page = services.characteristics_page(session, review.ctx(session, OWNER))
    assert len(report.changes) == 8 and {c.old for c in report.changes} == {None}  # "was": Ben's own
    assert len(services_mine(review, BEN)[record]) == 8  # not "0 of 8 fields"
    assert services_mine(review, ANA)[record]["year"] == 2019  # Ana's own values untouched
    assert page.standings[record]["year"].standing is Standing.DIFFERENT
    assert page.standings[record]["country"].standing is Standing.AGREED


def services_mine(review: Review, email: str) -> dict[int, dict[str, object]]:
    with review.session() as session:
        return services.study_values(session, review.ctx(session, email), extractor=email)


def test_a_blinded_reviewers_sheet_is_their_own_and_the_settled_values(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        services.set_values(session, review.ctx(session, ANA), record_id=record, raw=ANAS)
        ben = review.ctx(session, BEN)
        own = services.export_characteristics(session, ben, extractor=BEN)
        settled = services.export_characteristics(session, ben)
    assert {v for (r, _k), v in _sheet(own).items() if r == record} == {None}
    assert _sheet(own) == _sheet(settled)  # nothing settled yet, nothing of Ana's
    edited = _filled(own, record, {"year": 2019, "country": "UK"})
    with review.session() as session:
        report = services.import_characteristics(
            session, review.ctx(session, BEN), data=edited, name="b.xlsx"
        )
    assert sorted((c.key, c.old) for c in report.changes) == [("country", None), ("year", None)]
    assert services_mine(review, BEN)[record] == {"year": 2019, "country": ("United Kingdom",)}
