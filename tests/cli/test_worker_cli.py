"""``realreview worker --once`` runs the jobs the web app queued (issue #14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview import services
from realreview.cli import app
from realreview.fulltext import FileStore
from realreview.settings import Settings


def test_worker_once_runs_what_waits_and_exits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", url)
    monkeypatch.setenv("REALREVIEW_USER", "ana")
    monkeypatch.delenv("REALREVIEW_FILES_DIR", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["init", "T"], catch_exceptions=False).exit_code == 0
    database = services.connect(url)
    store = FileStore(Settings(database_url=url).file_store_root())
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=1, actor="ana")
        data = (EXPORTS / "ris/cff_scopus.ris").read_bytes()
        for name in ("scopus.ris", "again.ris"):  # the second is the same bytes: refused when it runs
            services.queue_import(session, ctx, data=data, file_name=name, store=store, max_bytes=2**20)
    database.close()
    result = runner.invoke(app, ["worker", "--once"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "job 1 (import of scopus.ris): imported 10 records into search 1"
    assert lines[1].startswith(
        "job 2 (import of again.ris): failed: again.ris: already imported into review 1"
    )
    assert len(lines) == 2
    assert runner.invoke(app, ["worker", "--once"], catch_exceptions=False).output == ""
    assert runner.invoke(app, ["records"], catch_exceptions=False).output.count("\n") >= 10
