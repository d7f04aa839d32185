"""``realreview relevance``: scores on demand once the completed outcomes hold an include and an exclude."""

from __future__ import annotations

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app

ANA = "ana@example.org"


@pytest.fixture
def run(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "admin")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    invoke("members", "add", ANA, "--role", "reviewer")
    return invoke


def test_scores_appear_once_an_include_and_an_exclude_are_complete(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = run("relevance")
    assert before.exit_code == 0
    assert "No scores yet" in before.output
    trail = tmp_path / "calls.csv"
    trail.write_text(
        "record_id,stage,reviewer,event,reasons\n1,title_abstract,ana@example.org,include,\n"
        "2,title_abstract,ana@example.org,exclude,\n",
        encoding="utf-8",
    )
    assert run("screen", "import", str(trail)).exit_code == 0
    after = run("relevance", "--top", "3")
    assert after.output.startswith("Learned from 1 included and 1 excluded completed records.\n")
    rows = after.output.splitlines()[1:]
    assert len(rows) == 3
    scores = [float(row.split("\t")[1]) for row in rows]
    assert scores == sorted(scores, reverse=True)
