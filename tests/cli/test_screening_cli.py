"""``realreview members``, ``screen export|import`` and ``agreement`` through CliRunner."""

from __future__ import annotations

import csv
import io

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app

ANA, BEN = "ana@example.org", "ben@example.org"


@pytest.fixture
def run(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "admin")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    monkeypatch.delenv("REALREVIEW_PASSWORD", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    invoke("init", "T")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    return invoke


def decisions_csv(rows: list[tuple[int, str, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record_id", "stage", "reviewer", "event", "reasons"])
    for record, reviewer, event, reasons in rows:
        writer.writerow([record, "title_abstract", reviewer, event, reasons])
    return out.getvalue()


def test_members_are_added_with_roles_and_passwords(run) -> None:  # type: ignore[no-untyped-def]
    added = run("members", "add", ANA, "--role", "reviewer", "--password", "correct horse")
    assert added.exit_code == 0
    assert added.output == f"{ANA}: reviewer of review 1.\n"
    no_password = run("members", "add", BEN, "--role", "viewer")
    assert "No password yet; set one with: realreview members password ben@example.org" in no_password.output
    promoted = run("members", "add", BEN, "--role", "owner")
    assert promoted.output.startswith(f"{BEN}: owner of review 1.")
    assert run("members", "list").output == f"reviewer  {ANA}\nowner     {BEN}\n"
    set_password = run("members", "password", BEN, input="long enough\nlong enough\n")
    assert set_password.exit_code == 0
    bad = run("members", "add", "not-an-address", "--role", "reviewer")
    assert bad.exit_code == 1
    assert "'not-an-address' is not an e-mail address" in bad.output


def test_import_export_and_agreement(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run("members", "add", ANA, "--role", "reviewer")
    run("members", "add", BEN, "--role", "reviewer")
    file = tmp_path / "decisions.csv"
    rows = [(1, ANA, "include", ""), (2, ANA, "exclude", ""), (3, ANA, "exclude", "")]
    rows += [(1, BEN, "include", ""), (2, BEN, "include", ""), (3, BEN, "exclude", "")]
    file.write_text(decisions_csv(rows), encoding="utf-8")
    imported = run("screen", "import", str(file))
    assert imported.output == f"6 decisions imported from {file}.\n"
    report = run("agreement").output.splitlines()
    assert report[0] == f"{ANA} vs {BEN} (title_abstract, 3 records)"
    assert report[2].split() == ["include", "1", "0"]
    assert report[3].split() == ["exclude", "1", "1"]
    assert report[4].startswith("agreement 66.7%; kappa 0.400 (95% CI")
    exported = run("screen", "export").output
    assert list(csv.DictReader(io.StringIO(exported)))[3]["reviewer"] == BEN


def test_a_bad_line_names_itself_and_changes_nothing(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run("members", "add", ANA, "--role", "reviewer")
    file = tmp_path / "bad.csv"
    file.write_text(decisions_csv([(1, ANA, "include", ""), (2, ANA, "skip", "")]), encoding="utf-8")
    result = run("screen", "import", str(file))
    assert result.exit_code == 1
    assert f"{file}: line 3: 'skip' is not a valid Event" in result.output
    assert run("screen", "export").output.count("\n") == 1  # the header only
    stranger = tmp_path / "stranger.csv"
    stranger.write_text(decisions_csv([(1, "eve@example.org", "include", "")]), encoding="utf-8")
    assert (
        "line 2: eve@example.org is not a member of review 1; add them with"
        in run("screen", "import", str(stranger)).output
    )
    no_columns = tmp_path / "cols.csv"
    no_columns.write_text("id,verdict\n1,include\n", encoding="utf-8")
    assert (
        "line 1: missing column(s) event, record_id, reviewer, stage"
        in run("screen", "import", str(no_columns)).output
    )


def test_agreement_stage_names(run) -> None:  # type: ignore[no-untyped-def]
    assert (
        run("agreement", "--stage", "full-text").output
        == "No records decided by two reviewers at full_text yet.\n"
    )
    assert run("agreement", "--stage", "ta").exit_code == 0
    bad = run("agreement", "--stage", "middle")
    assert bad.exit_code == 2
    assert "use title_abstract or full_text" in bad.output
