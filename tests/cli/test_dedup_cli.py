"""``realreview dedup`` and its subcommands through CliRunner."""

from __future__ import annotations

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app


@pytest.fixture
def run(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "ana")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    invoke("import", str(EXPORTS / "ris/cff_zotero.ris"))
    return invoke


def test_dedup_then_unmerge_then_merge(run) -> None:  # type: ignore[no-untyped-def]
    result = run("dedup")
    assert result.exit_code == 0
    assert result.output.startswith("20 records: 10 duplicate groups, 10 records marked duplicate")
    unmerged = run("dedup", "unmerge", "13", "--note", "checked the full texts")
    assert unmerged.output.splitlines()[0] == "Unmerged record 13."
    assert "9 duplicate groups" in unmerged.output
    merged = run("dedup", "merge", "3", "13")
    assert merged.output.splitlines()[0] == "Merged: 3 ~ 13."
    assert "10 duplicate groups" in merged.output
    groups = run("dedup", "groups", "--record", "13").output.splitlines()
    assert groups[0] == "group 3: records 3, 13"
    assert groups[-1] == "1 groups"


def test_review_says_when_no_pair_is_left(run) -> None:  # type: ignore[no-untyped-def]
    # The Embase and Zotero copies of one search: every pair is certain, none waits for a person.
    assert "(10 automatic links), 0 pairs need review" in run("dedup").output
    assert run("dedup", "review").output == "No pairs left to review.\n"


def test_bad_record_is_one_line_error(run) -> None:  # type: ignore[no-untyped-def]
    run("dedup")
    result = run("dedup", "merge", "1", "999")
    assert (result.exit_code, result.output) == (
        1,
        "Error: review 1 has no record 999 (see: realreview records)\n",
    )
