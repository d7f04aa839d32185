"""A hostile or half-computed characteristics sheet through the service, on SQLite and PostgreSQL (issue 11)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select
from tests.services.conftest import BEN, Review

from realreview import services
from realreview.errors import FileTooLargeError
from realreview.storage.models import AuditLogRow, ExtractionValueRow


def _sheet_with(data: bytes, record: int, header: str, value: object) -> tuple[bytes, str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == record)
    cell = sheet.cell(row, headers[header])
    cell.value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), cell.coordinate


def _counts(review: Review) -> tuple[int, int]:
    with review.session() as session:
        values = session.scalar(select(func.count()).select_from(ExtractionValueRow))
        audits = session.scalar(select(func.count()).select_from(AuditLogRow))
    return values or 0, audits or 0


def test_a_formula_without_a_value_keeps_the_stored_value(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        services.set_value(session, review.ctx(session, BEN), record_id=record, field_key="year", raw="2018")
        data = services.export_characteristics(session, review.ctx(session, BEN), extractor=BEN)
    edited, cell = _sheet_with(data, record, "Year", "=2000+19")  # saved by openpyxl: no cached value

    with review.session() as session:
        ben = review.ctx(session, BEN)
        report = services.import_characteristics(session, ben, data=edited, name="edited.xlsx")
    with review.session() as session:
        values = services.study_values(session, review.ctx(session, BEN), extractor=BEN)[record]

    assert report.changes == ()
    assert [(r.column, r.value, r.reason) for r in report.rejected] == [
        (
            "Year",
            "=2000+19",
            f"sheet 'Characteristics', cell {cell}: a formula without a saved value; the stored value was "
            "kept (open and save the file in a spreadsheet, or type the value)",
        )
    ]
    assert values == {"year": 2018}


def test_a_far_cell_is_refused_and_nothing_is_written(review: Review) -> None:
    record = review.record_ids[0]
    with review.session() as session:
        data = services.export_characteristics(session, review.ctx(session, BEN), extractor=BEN)
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.worksheets[0]["XFD1048576"] = "x"
    book.worksheets[0].cell(3, 1).value = record
    out = io.BytesIO()
    book.save(out)
    before = _counts(review)

    with review.session() as session:
        with pytest.raises(FileTooLargeError, match=r"^far\.xlsx: sheet .* spans A1:XFD1048576 "):
            services.import_characteristics(
                session, review.ctx(session, BEN), data=out.getvalue(), name="far.xlsx"
            )

    assert _counts(review) == before
