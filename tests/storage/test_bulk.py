"""Bulk insertion stores exactly what the domain record holds, on every path."""

from __future__ import annotations

import pytest
from tests.exports_table import EXPORTS

from realreview import services
from realreview.formats import loads
from realreview.storage import bulk, queries
from realreview.storage.models import ImportFileRow


@pytest.fixture
def target(database_url: str):  # type: ignore[no-untyped-def]
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        services.create_review(session, title="Bulk", actor="tester")
        search = services.add_search(session, review_id=1, database="Embase", actor="tester")
        row = ImportFileRow(
            review_id=1,
            search_id=search.id,
            file_name="x.ris",
            sha256="0" * 64,
            size_bytes=1,
            format="ris",
            confidence=1.0,
            record_count=0,
            diagnostics=[],
            imported_by="tester",
        )
        session.add(row)
        session.flush()
        ids = (search.id, row.id)
    yield factory, ids
    factory.kw["bind"].dispose()


RECORDS = loads((EXPORTS / "ris/cff_rayyan.ris").read_text(encoding="utf-8-sig")).records


def test_fast_path_round_trips(target) -> None:  # type: ignore[no-untyped-def]
    factory, (search_id, import_id) = target
    with services.transaction(factory) as session:
        count = bulk.insert_records(
            session, iter(RECORDS), review_id=1, search_id=search_id, import_file_id=import_id
        )
    with services.transaction(factory) as session:
        stored = [record for _, _, record in queries.iter_records(session, review_id=1)]
    assert count == len(RECORDS) == 10
    assert stored == RECORDS


def test_portable_path_round_trips(target) -> None:  # type: ignore[no-untyped-def]
    factory, (search_id, import_id) = target
    rows = (bulk._row(record, 1, search_id, import_id) for record in RECORDS)
    with services.transaction(factory) as session:
        assert bulk._insert_portable(session, rows) == 10
    with services.transaction(factory) as session:
        stored = [record for _, _, record in queries.iter_records(session, review_id=1)]
    assert stored == RECORDS


def test_columns_follow_the_model() -> None:
    assert bulk.RECORD_COLUMNS[:3] == ("review_id", "search_id", "import_file_id")
    assert "id" not in bulk.RECORD_COLUMNS and "raw" in bulk.RECORD_COLUMNS
