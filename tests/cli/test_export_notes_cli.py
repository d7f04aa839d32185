"""``realreview export --notes/--no-notes``: the included studies with their decisions, through CliRunner."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app
from realreview.formats import loads

ANA, BEN = "ana@example.org", "ben@example.org"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "admin")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    for email in (ANA, BEN):
        invoke("members", "add", email, "--role", "reviewer")
    return invoke


def _decisions(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record_id", "stage", "reviewer", "event", "reasons", "tags", "note"])
    for who in (ANA, BEN):
        writer.writerow([1, "title_abstract", who, "include", "", "Plus: age", ""])
        writer.writerow([2, "title_abstract", who, "include", "", "", ""])
        writer.writerow([1, "full_text", who, "include", "", "", "fits the programme theory"])
        writer.writerow([2, "full_text", who, "exclude", "Wrong population", "", ""])
    file = tmp_path / "decisions.csv"
    file.write_text(out.getvalue(), encoding="utf-8")
    assert run("screen", "import", str(file)).exit_code == 0


def test_export_included_as_ris_carries_the_decisions_by_default(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _decisions(tmp_path, run)
    out = tmp_path / "included.ris"
    result = run("export", "--format", "ris", "--state", "included", "-o", str(out))
    assert (result.exit_code, result.output) == (0, f"Wrote {out}\n")
    (record,) = loads(out.read_text(encoding="utf-8"), "ris").records
    assert record.raw_values("N1") == [
        "RealReview: title/abstract included (2 of 2 reviewers)",
        "RealReview: full text included (2 of 2 reviewers)",
        "RealReview tags (PROGRESS-Plus): Plus: age",
        "RealReview note (full text): fits the programme theory",
    ]
    plain = run("export", "--format", "ris", "--state", "included", "--no-notes").output
    assert "RealReview" not in plain and plain.count("TY  - ") == 1


def test_export_excluded_as_bibtex_and_csv_names_the_reason(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _decisions(tmp_path, run)
    bib = run("export", "--format", "bibtex", "--state", "full_text_excluded").output
    assert "RealReview: full text excluded (2 of 2 reviewers) — reason: Wrong population" in bib
    table = run("export", "--format", "csv", "--state", "full_text_excluded").output
    (row,) = list(csv.DictReader(io.StringIO(table)))
    assert (row["full_text_outcome"], row["exclusion_reasons"]) == (
        "excluded (2 of 2 reviewers) — reason: Wrong population",
        "Wrong population",
    )
    bad = run("export", "--format", "ris", "--state", "maybe")
    assert bad.exit_code == 1 and "state 'maybe': use one of included" in bad.output
