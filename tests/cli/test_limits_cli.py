"""Hostile uploads through the CLI (issue 11): one line naming the file and the limit, exit 1."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from tests.exports_table import EXPORTS
from tests.hostile import flate_bomb_pdf
from typer.testing import CliRunner

from realreview.cli import app


@pytest.fixture
def run(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "ana")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    monkeypatch.delenv("REALREVIEW_FILES_DIR", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    return invoke


def test_a_flate_bomb_is_one_line_naming_the_memory_limit(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_PARSE_MEMORY_MB", "128")
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb_pdf(200))

    result = run("documents", "add", str(bomb), "--record", "1")

    assert result.exit_code == 1
    assert result.output == (
        "Error: bomb.pdf: PDF text extraction exceeded the 128 MiB memory limit (REALREVIEW_PARSE_MEMORY_MB)\n"
    )
    assert run("documents", "list").output.count("bomb.pdf") == 0


def test_a_far_cell_sheet_is_one_line_naming_the_cell_limit(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "far.xlsx"
    assert run("characteristics", "export", str(sheet)).exit_code == 0
    book = openpyxl.load_workbook(sheet)
    book.worksheets[0]["XFD1048576"] = "x"
    buffer = BytesIO()
    book.save(buffer)
    sheet.write_bytes(buffer.getvalue())

    result = run("characteristics", "import", str(sheet))

    assert result.exit_code == 1
    assert result.output.startswith("Error: far.xlsx: sheet ")
    assert result.output.endswith(
        " spans A1:XFD1048576 (17,179,869,184 cells), over the limit of 500,000 cells (REALREVIEW_MAX_SHEET_CELLS)\n"
    )
    assert len(result.output.splitlines()) == 1
