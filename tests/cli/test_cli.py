"""The command line, end to end through CliRunner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", database_url)
    monkeypatch.setenv("REALREVIEW_USER", "tester")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_acceptance_sequence_init_import_count(run) -> None:  # type: ignore[no-untyped-def]
    assert run("init", "T").output == "Created review 1: T\n"
    result = run("import", str(EXPORTS / "ris/cff_psycinfo_ovid.ris"))
    assert result.exit_code == 0
    assert result.output.startswith(
        "Imported 10 records from cff_psycinfo_ovid.ris (ris; APA PsycInfo via Ovid; confidence 0.90) into search 1.\n"
    )
    count = run("records", "--count")
    assert (count.exit_code, count.output) == (0, "10\n")


def test_search_add_then_import_and_compare(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("init", "Equity review")
    query = tmp_path / "q.txt"
    query.write_text("exp Quality Improvement/ AND (equity or inequalit*).ti,ab.\n", encoding="utf-8")
    added = run(
        "search",
        "add",
        "--database",
        "MEDLINE",
        "--platform",
        "Ovid",
        "--date",
        "2023-01-15",
        "--query-file",
        str(query),
        "--hits",
        "52",
    )
    assert added.output == "Logged search 1: MEDLINE via Ovid\n"
    run("import", str(EXPORTS / "medline_nbib/cff_pubmed_medline.ris"), "--search", "1")
    run("import", str(EXPORTS / "ris/cff_scopus.ris"), "--database", "Scopus")
    table = run("searches").output
    rows = [line for line in table.splitlines() if "MEDLINE" in line or "Scopus" in line or "Total" in line]
    assert [cell.strip() for cell in rows[0].split("│")[1:8]] == [
        "1",
        "MEDLINE",
        "Ovid",
        "2023-01-15",
        "52",
        "50",
        "-2",
    ]
    assert [cell.strip() for cell in rows[1].split("│")[1:7]] == ["2", "Scopus", "Scopus", "", "", "10"]
    assert [cell.strip() for cell in rows[2].split("│")[2:7]] == ["Total", "", "", "52", "60"]


def test_records_formats(run) -> None:  # type: ignore[no-untyped-def]
    run("init", "T")
    run("import", str(EXPORTS / "ris/cff_scopus.ris"))
    as_json = json.loads(run("records", "--format", "json").output)
    assert len(as_json) == 10
    assert as_json[0]["doi"] == "10.1038/s41467-024-46843-2"
    assert ["TY", "JOUR"] in as_json[0]["raw"]
    as_csv = run("records", "--format", "csv").output.splitlines()
    assert as_csv[0].startswith("id,search_id,title,authors,year")
    assert len(as_csv) == 11
    assert "10.1038/s41467-024-46843-2" in run("records").output


def test_records_of_one_search(run) -> None:  # type: ignore[no-untyped-def]
    run("init", "T")
    run("import", str(EXPORTS / "ris/cff_scopus.ris"))
    run("import", str(EXPORTS / "ris/cff_cochrane_library.ris"))
    assert run("records", "--count", "--search", "2").output == "3\n"
    missing = run("records", "--count", "--search", "7")
    assert (missing.exit_code, missing.output) == (
        1,
        "Error: review 1 has no search with id 7 (see: realreview searches)\n",
    )


@pytest.mark.parametrize("fmt", ["ris", "csv", "bibtex"])
def test_export_then_reimport_gives_the_same_count(run, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    run("init", "T")
    run("import", str(EXPORTS / "wos_plaintext/wosfile_wos_plaintext.txt"))
    out = tmp_path / f"export.{fmt}"
    assert run("export", "--format", fmt, "--output", str(out)).output == f"Wrote {out}\n"
    run("--review", "1", "init", "Second")
    reimport = run("--review", "2", "import", str(out))
    assert reimport.exit_code == 0, reimport.output
    assert run("--review", "2", "records", "--count").output == "50\n"


def test_bad_file_is_one_line_exit_1_and_nothing_changes(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("init", "T")
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {bad}: not a recognised export format")
    assert run("records", "--count").output == "0\n"
    assert "Total" in run("searches").output


def test_second_import_of_same_file_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    run("init", "T")
    path = str(EXPORTS / "ris/cff_scopus.ris")
    run("import", path)
    again = run("import", path)
    assert again.exit_code == 1
    assert "already imported into review 1 as import 1" in again.output
    assert run("records", "--count").output == "10\n"


def test_several_reviews_need_review_option(run) -> None:  # type: ignore[no-untyped-def]
    run("init", "One")
    run("init", "Two")
    result = run("records", "--count")
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: this database holds 2 reviews; choose one with --review ID: 1 (One), 2 (Two)\n"
    )
    assert run("--review", "2", "records", "--count").output == "0\n"


def test_no_review_yet(run) -> None:  # type: ignore[no-untyped-def]
    result = run("records", "--count")
    assert (
        result.output
        == 'Error: this database holds no review yet; create one with: realreview init "Title"\n'
    )


def test_invalid_search_values(run) -> None:  # type: ignore[no-untyped-def]
    run("init", "T")
    assert (
        run("search", "add", "--database", "MEDLINE", "--hits", "-3").output
        == "Error: hits must be zero or more, not -3\n"
    )
    bad_date = run("search", "add", "--database", "MEDLINE", "--date", "15/01/2023")
    assert bad_date.exit_code == 2
    assert "not a date as YYYY-MM-DD" in bad_date.output


def test_db_commands(run) -> None:  # type: ignore[no-untyped-def]
    assert run("db", "upgrade").exit_code == 0
    versions = Path(__file__).parents[2] / "src" / "realreview" / "storage" / "migrations" / "versions"
    newest = max(path.name.split("_")[0] for path in versions.glob("[0-9]*_*.py"))  # 0001_initial.py ...
    assert run("db", "current").output == f"current: {newest}; newest: {newest}\n"
    assert run("db", "history").output.startswith("0001  Initial schema")
