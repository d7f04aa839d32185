"""The characteristics table of the included documents through the services, read back from DOCX and XLSX."""

from __future__ import annotations

import io

import openpyxl
from docx import Document
from tests.services.conftest import ANA, OWNER, Review

from realreview import services


def test_the_table_split_by_intervention_type(review: Review) -> None:
    with review.session() as session:
        ana = review.ctx(session, ANA)
        services.set_values(
            session, ana, record_id=review.record_ids[0], raw={"intervention_type": "gap", "year": "2019"}
        )
        owner = review.ctx(session, OWNER)
        docx = services.characteristics_table(
            session, owner, fmt="docx", columns=("year",), split_by="intervention_type"
        )
        xlsx = services.characteristics_table(
            session, owner, fmt="xlsx", columns=("year",), split_by="intervention_type"
        )
    assert isinstance(docx, bytes) and isinstance(xlsx, bytes)
    document = Document(io.BytesIO(docx))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings[0].endswith(": gap")
    first = document.tables[0]
    assert first.rows[1].cells[1].text == "2019"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][0] == "gap" and rows[1][2] == "2019"
