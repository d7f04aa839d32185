"""``realreview archive`` and ``restore`` through CliRunner: a review carried to another database and back."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app

TEXT = "Clinics that reached deprived areas reduced gaps.\fStaff trusted the data.\n"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "owner")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    monkeypatch.delenv("REALREVIEW_FILES_DIR", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "Equity QI")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    invoke("members", "add", "ana@example.org", "--role", "reviewer")
    (tmp_path / "smith.txt").write_text(TEXT, encoding="utf-8")
    assert invoke("documents", "add", str(tmp_path / "smith.txt"), "--record", "1").exit_code == 0
    return invoke


def test_archive_then_restore_into_another_database(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "equity.zip"
    archived = run("archive", str(out))
    assert archived.exit_code == 0, archived.output
    assert archived.output.startswith(f"Wrote {out}\nReview 1: ")
    assert archived.output.endswith(" tables, 1 file\n")

    other = f"sqlite:///{tmp_path / 'other.db'}"
    restored = run("--db", other, "restore", str(out), "--title", "Equity QI, restored")
    assert restored.exit_code == 0, restored.output
    lines = restored.output.splitlines()
    assert lines[0].startswith("Restored review 1: Equity QI, restored (")
    assert lines[0].endswith("1 file; it was review 1 where it was archived)")
    assert lines[1] == (
        "New accounts, without a password until one is set (realreview members password EMAIL): ana@example.org"
    )
    assert run("--db", other, "reviews").output == "1\tEquity QI, restored\n"
    assert run("--db", other, "records", "--count").output == "10\n"
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    assert (tmp_path / "other.db.files" / sha[:2] / sha[2:]).read_text(encoding="utf-8") == TEXT

    again = run("restore", str(out))  # into the database it came from: a second, independent review
    assert again.output.startswith("Restored review 2: Equity QI (")
    assert "New accounts" not in again.output
    assert run("--review", "2", "records", "--count").output == "10\n"


def test_a_tampered_archive_is_one_line_and_nothing_is_restored(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, bad = tmp_path / "equity.zip", tmp_path / "bad.zip"
    run("archive", str(out))
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(
                info.filename,
                body.replace(b"Equity QI", b"Equity QX") if "reviews" in info.filename else body,
            )

    result = run("restore", str(bad))

    assert result.exit_code == 1
    assert result.output == (
        "Error: bad.zip: member tables/reviews.jsonl does not match the SHA-256 in manifest.json: "
        "the archive is damaged or was altered\n"
    )
    assert run("reviews").output == "1\tEquity QI\n"
    missing = run("restore", str(tmp_path / "nowhere.zip"))
    assert missing.exit_code == 1 and missing.output.startswith("Error: ") and "nowhere.zip" in missing.output
