"""``realreview rameses`` and ``rameses-enter`` through CliRunner."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
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

    invoke("init", "A realist review of audit and feedback")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    return invoke


def test_the_checklist_prints_as_markdown_and_takes_entries(run) -> None:  # type: ignore[no-untyped-def]
    text = run("rameses").output
    assert text.startswith("# RAMESES checklist: A realist review of audit and feedback\n")
    assert (
        "| 1 | Title | The title calls the work a realist synthesis or realist review. | provided by the data |"
        in text
    )
    entered = run("rameses-enter", "8", "--location", "Methods, p. 5", "--note", "Appendix 1")
    assert (entered.exit_code, entered.output) == (0, "RAMESES item 8: Methods, p. 5\n")
    assert "| Methods, p. 5 | Appendix 1 |" in run("rameses").output
    assert run("rameses-enter", "8", "--clear").output == "RAMESES item 8: cleared\n"
    assert "Methods, p. 5" not in run("rameses").output
    bad = run("rameses-enter", "20", "--location", "p. 1")
    assert (bad.exit_code, bad.output) == (1, "Error: RAMESES has items 1 to 19, not 20\n")
    empty = run("rameses-enter", "3")
    assert (empty.exit_code, empty.output) == (
        1,
        "Error: item 3: give where the manuscript reports it, or a note\n",
    )


def test_the_checklist_as_files(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("rameses-enter", "12", "--location", "Figure 1")
    out = tmp_path / "RAMESES.docx"
    written = run("rameses", "--format", "docx", "--out", str(out))
    assert (written.exit_code, written.output) == (0, f"Wrote {out}\n")
    results = Document(io.BytesIO(out.read_bytes())).tables[4]
    assert [cell.text for cell in results.rows[1].cells][::6] == ["12", "Figure 1"]
    markdown = tmp_path / "RAMESES.md"
    run("rameses", "--out", str(markdown))
    assert "| Figure 1 |" in markdown.read_text(encoding="utf-8")
    no_out = run("rameses", "--format", "docx")
    assert (no_out.exit_code, no_out.output) == (1, "Error: --format docx needs --out FILE\n")
    other = run("rameses", "--format", "pdf")
    assert (other.exit_code, other.output) == (1, "Error: --format 'pdf': use one of md, docx\n")
