"""``realreview prisma`` and ``prisma-enter`` through CliRunner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pypdfium2
import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "owner")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    invoke("search", "add", "--database", "PsycINFO", "--hits", "25")
    return invoke


def test_prisma_json_counts_and_entered_marks(run) -> None:  # type: ignore[no-untyped-def]
    counts = json.loads(run("prisma", "--json").output)
    assert counts["database_specific_results"] == [["Embase", 10], ["PsycINFO", 25]]
    assert (counts["identified"], counts["records_screened"], counts["title_abstract_pending"]) == (
        35,
        10,
        10,
    )
    assert counts["entered"] == ["database_specific_results:PsycINFO"]
    assert counts["problems"][0].startswith("records identified and records removed before screening give 35")
    assert run("prisma-enter", "duplicates", "25", "--note", "EndNote").output == "duplicates: 25 (entered)\n"
    counts = json.loads(run("prisma", "--json").output)
    assert counts["duplicates"] == 25 and "duplicates" in counts["entered"]
    assert not any("records screened says" in problem for problem in counts["problems"])
    text = run("prisma").output
    assert "Duplicate records removed: 25 (entered)" in text and "  PsycINFO: 25 (entered)" in text


def test_prisma_files(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "PRISMA.csv"
    assert run("prisma", "--format", "csv", "--out", str(out)).exit_code == 0
    n = {row["data"]: row["n"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert n["database_specific_results"] == "Embase, 10; PsycINFO, 25" and n["records_screened"] == "10"
    pdf = tmp_path / "flow.pdf"
    run("prisma", "--format", "pdf", "--out", str(pdf))
    text = pypdfium2.PdfDocument(pdf.read_bytes())[0].get_textpage().get_text_range()
    assert "Records screened (n = 10)" in text and "PsycINFO (n = 25)†" in text
    bad = run("prisma", "--format", "gif", "--out", str(tmp_path / "x.gif"))
    assert (bad.exit_code, bad.output) == (1, "Error: --format 'gif': use one of svg, png, pdf, csv\n")
    wrong = run("prisma-enter", "duplicates", "many")
    assert wrong.exit_code == 1 and "duplicates: 'many' is not a whole number" in wrong.output


def test_the_search_strategy_appendix(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl
    from docx import Document

    run(
        "search",
        "add",
        "--database",
        "MEDLINE",
        "--platform",
        "Ovid",
        "--date",
        "2023-01-15",
        "--query",
        "exp Quality Improvement/ AND inequalit*.ti,ab.",
        "--hits",
        "52",
    )
    xlsx = tmp_path / "searches.xlsx"
    assert run("searches", "--format", "xlsx", "--out", str(xlsx)).output == f"Wrote {xlsx}\n"
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "database",
        "platform",
        "date searched",
        "search strategy",
        "records reported",
        "records imported",
    ]
    assert rows[-1] == [
        "MEDLINE",
        "Ovid",
        "2023-01-15",
        "exp Quality Improvement/ AND inequalit*.ti,ab.",
        52,
        0,
    ]
    docx = tmp_path / "searches.docx"
    run("searches", "--format", "docx", "--out", str(docx))
    table = Document(io.BytesIO(docx.read_bytes())).tables[0]
    assert [cell.text for cell in table.rows[1].cells][:2] == [
        "Embase",
        "Embase.com",
    ]  # detected from the export
    assert run("searches", "--format", "docx").exit_code == 1
