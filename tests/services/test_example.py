"""The worked example gives the paper's numbers and structure exactly (Johnson et al., BMJ Qual Saf 2025).

The expected figures below are typed from the paper (results, figure 1, table 3), not read from the
example's own data module, so a slip in either shows here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from realreview import services
from realreview.fulltext import FileStore

PAPER_FLOW = {
    "identified": 9859,
    "duplicates": 3600,
    "records_screened": 6259,
    "records_excluded": 6212,
    "dbr_sought_reports": 47,
    "dbr_assessed": 47,
    "new_studies": 36,
    "new_reports": 36,
}
TABLE_3 = {
    "Values and understanding": ["1A", "1B", "2", "3", "4"],
    "Resources": ["5", "6", "7A", "7B", "8"],
    "Data": ["9", "10A", "10B", "10C", "11A", "11B"],
    "Design": ["12", "13", "14", "15"],
}
# The references the results cite for each CMOC (CMOC 5 is discussed without a citation).
CITED = {
    "1A": set(range(23, 34)),
    "2": {24},
    "4": {24, 26, 27, *range(34, 39)},
    "5": set(),
    "6": {39},
    "7B": {40},
    "8": {25},
    "10C": {23, 26, 27, 32, 35, 37, *range(39, 44)},
    "11A": {44},
    "12": {31, 38, 40, *range(45, 50)},
    "13": {24, 27, 34, 38, 39, 42, 48},
    "15": {39},
}


@pytest.fixture
def example(database_url: str, tmp_path: Path) -> tuple[services.Database, int]:
    database = services.connect(database_url)
    with database.unit_of_work() as session:
        review_id, logins = services.load_example(
            session, actor="tester", store=FileStore(tmp_path / "files"), max_bytes=2**24
        )
    assert [login.email for login in logins] == ["llj@example.org", "jf@example.org"]
    return database, review_id


def _ctx(session: services.Session, review_id: int) -> services.ReviewContext:
    return services.review_context(session, review_id=review_id, email="jf@example.org")


def test_the_flow_is_the_papers_and_adds_up(example: tuple[services.Database, int]) -> None:
    database, review_id = example
    with database.unit_of_work() as session:
        report = services.prisma_report(session, _ctx(session, review_id))
        included = services.export_records(
            session, _ctx(session, review_id), format_name="ris", state="included"
        )
    counts = report.flow.counts()
    assert {key: counts[key] for key in PAPER_FLOW} == PAPER_FLOW
    assert sum(n for _, n in report.flow.dbr_excluded) == 11
    assert report.problems == []
    assert set(PAPER_FLOW) - {"identified"} <= report.flow.entered  # typed from the paper, marked
    assert included.count("TY  - ") == 27  # the included documents the paper cites, as records


def test_clusters_and_cmocs_follow_table_3(example: tuple[services.Database, int]) -> None:
    database, review_id = example
    with database.unit_of_work() as session:
        ctx = _ctx(session, review_id)
        overview = services.synthesis_overview(session, ctx)
        shown = {label: services.cmoc_page(session, ctx, label=label) for label in CITED}
        versions = [version.name for version in services.theory_versions(session, ctx)]
    structure = {group.cluster.title: [cmoc.label for cmoc in group.cmocs] for group in overview.groups}
    assert structure == TABLE_3
    assert versions == ["final"]
    for label, references in CITED.items():
        names = set(shown[label].documents())
        cited = {name for name in names if name.startswith("Reference ")}
        assert cited == {f"Reference {n} (citation only).txt" for n in references}, label
        assert any(name.startswith("Johnson et al. 2025") for name in names), label
        assert not shown[label].gaps


def test_totals_are_reported_not_spread_over_documents(example: tuple[services.Database, int]) -> None:
    database, review_id = example
    with database.unit_of_work() as session:
        ctx = _ctx(session, review_id)
        topics = {
            t.topic: {f.label: f.value for f in t.figures} for t in services.reported_figures(session, ctx)
        }
        checklist = services.rameses_checklist(session, ctx)
        summary = services.summary_page(session, ctx)
    assert topics["Country"] == {"USA": 29, "UK": 5, "Ireland": 1, "Sweden": 1}
    assert topics["Equity approach"] == {"Gap": 22, "Targeted": 14}
    assert sum(topics["Care setting"].values()) == 36
    assert summary.settlement.settled == 0  # no per-document value was invented
    assert sum(1 for line in checklist.lines if line.entry is not None) == 19


def test_paper_outputs_read_back(example: tuple[services.Database, int]) -> None:
    import io

    import docx
    import pypdfium2

    database, review_id = example
    with database.unit_of_work() as session:
        ctx = _ctx(session, review_id)
        pdf = services.prisma_output(session, ctx, fmt="pdf")
        table = services.cmoc_tables(session, ctx, fmt="docx", version="final")
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    for number in ("9859", "3600", "6259", "6212", "47", "36"):
        assert f"n = {number}" in text, number
    assert isinstance(table, bytes)
    cells = [
        cell.text for t in docx.Document(io.BytesIO(table)).tables for row in t.rows for cell in row.cells
    ]
    assert {"1A", "10C", "15"} <= set(cells)
    assert any("the least likely to benefit" in cell for cell in cells)


def test_the_example_can_be_loaded_beside_another(
    example: tuple[services.Database, int], tmp_path: Path
) -> None:
    database, first = example
    with database.unit_of_work() as session:
        second, logins = services.load_example(
            session, actor="tester", store=FileStore(tmp_path / "files"), max_bytes=2**24
        )
    assert second != first and all(login.password is None for login in logins)  # accounts kept
