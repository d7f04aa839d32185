"""SQLite's write lock during imports: writers wait for it, and an import can parse outside it (issue #11)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.exports_table import EXPORTS

from realreview import services
from realreview.services.imports import prepare_export
from realreview.storage.engine import SQLITE_BUSY_TIMEOUT_S, make_engine
from realreview.storage.models import RecordRow

RIS = EXPORTS / "ris/cff_embase.ris"


def test_sqlite_connections_wait_longer_than_the_drivers_5_s(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_S * 1000
    engine.dispose()
    assert SQLITE_BUSY_TIMEOUT_S >= 30


def test_a_decision_waits_out_a_writer_holding_the_lock_past_5_s(tmp_path: Path) -> None:
    """The failure of the issue: another process held the write lock for longer than 5 s."""
    path = tmp_path / "x.db"
    database = services.connect(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(5.5, holder.execute, ("COMMIT",))
    released.start()
    started = time.monotonic()
    try:
        with database.unit_of_work(write=True) as session:
            services.create_review(session, title="After the import", actor="tester")
    finally:
        released.join()
        holder.close()
    assert time.monotonic() - started >= 5.4
    with database.unit_of_work() as session:
        assert [r.title for r in services.list_reviews(session)] == ["After the import"]
    database.close()


def _titles(session: services.Session, review_id: int) -> list[tuple[int, str | None, str | None]]:
    rows = session.execute(
        select(RecordRow.position, RecordRow.title, RecordRow.doi)
        .where(RecordRow.review_id == review_id)
        .order_by(RecordRow.position)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_prepared_import_stores_what_a_streamed_one_does(database_url: str) -> None:
    database = services.connect(database_url)
    with prepare_export(RIS, max_bytes=10**8) as prepared:  # no database, no lock
        with database.unit_of_work(write=True) as session:
            for title in ("Streamed", "Prepared"):
                services.create_review(session, title=title, actor="tester")
            streamed = services.trusted_context(session, review_id=1, actor="tester")
            ready = services.trusted_context(session, review_id=2, actor="tester")
            one = services.import_export(session, streamed, path=RIS, max_bytes=10**8)
            two = services.import_export(session, ready, path=RIS, max_bytes=10**8, prepared=prepared)
    assert (two.records, two.format, two.diagnostics) == (one.records, one.format, one.diagnostics)
    with database.unit_of_work() as session:
        assert _titles(session, 2) == _titles(session, 1)
        assert len(_titles(session, 1)) == one.records > 0
    database.close()


def test_a_prepared_import_that_fails_leaves_nothing(database_url: str) -> None:
    database = services.connect(database_url)
    with database.unit_of_work(write=True) as session:
        services.create_review(session, title="All or nothing", actor="tester")
    with prepare_export(RIS, max_bytes=10**8) as prepared:
        with pytest.raises(RuntimeError), database.unit_of_work(write=True) as session:
            ctx = services.trusted_context(session, review_id=1, actor="tester")
            services.import_export(session, ctx, path=RIS, max_bytes=10**8, prepared=prepared)
            raise RuntimeError("killed after the insert")
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(RecordRow)) == 0
    database.close()
