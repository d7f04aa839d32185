"""Bulk insertion stores exactly what the domain record holds, on every path."""

from __future__ import annotations

import pytest
from tests.exports_table import EXPORTS

from realreview import services
from realreview.formats import loads
from realreview.storage import bulk, queries
from realreview.storage.audit import UnauditedWriteError, recording
from realreview.storage.models import ImportFileRow


@pytest.fixture
def target(database_url: str):  # type: ignore[no-untyped-def]
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        services.create_review(session, title="Bulk", actor="tester")
        cli = services.trusted_context(session, review_id=1, actor="tester")
        search = services.add_search(session, cli, database="Embase")
    with services.transaction(factory) as session, recording(session):
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
    factory.close()


RECORDS = loads((EXPORTS / "ris/cff_rayyan.ris").read_text(encoding="utf-8-sig")).records


def test_fast_path_round_trips(target) -> None:  # type: ignore[no-untyped-def]
    factory, (search_id, import_id) = target
    with services.transaction(factory) as session, recording(session) as entry:
        count = bulk.insert_records(
            session, iter(RECORDS), review_id=1, search_id=search_id, import_file_id=import_id
        )
    with services.transaction(factory) as session:
        stored = [record for _, _, record in queries.iter_records(session, review_id=1)]
    assert count == len(RECORDS) == 10
    assert stored == RECORDS
    assert entry.rows["records.insert"] == 10


def test_a_bulk_insert_outside_an_audited_service_is_refused(target) -> None:  # type: ignore[no-untyped-def]
    factory, (search_id, import_id) = target
    with pytest.raises(UnauditedWriteError, match="records.insert outside an audited service"):
        with services.transaction(factory) as session:
            bulk.insert_records(
                session, iter(RECORDS), review_id=1, search_id=search_id, import_file_id=import_id
            )
    with services.transaction(factory) as session:
        assert list(queries.iter_records(session, review_id=1)) == []


def test_an_orm_change_outside_an_audited_service_is_refused(target) -> None:  # type: ignore[no-untyped-def]
    factory, _ids = target
    with pytest.raises(UnauditedWriteError, match="update of ImportFileRow outside an audited service"):
        with services.transaction(factory) as session:
            session.get(ImportFileRow, 1).file_name = "renamed.ris"  # type: ignore[union-attr]
    with services.transaction(factory) as session:
        assert session.get(ImportFileRow, 1).file_name == "x.ris"  # type: ignore[union-attr]


def test_portable_path_round_trips(target) -> None:  # type: ignore[no-untyped-def]
    factory, (search_id, import_id) = target
    rows = (bulk._row(record, 1, search_id, import_id) for record in RECORDS)
    with services.transaction(factory) as session, recording(session):
        assert bulk._insert_portable(session, rows) == 10
    with services.transaction(factory) as session:
        stored = [record for _, _, record in queries.iter_records(session, review_id=1)]
    assert stored == RECORDS


def test_columns_follow_the_model() -> None:
    assert bulk.RECORD_COLUMNS[:3] == ("review_id", "search_id", "import_file_id")
    assert "id" not in bulk.RECORD_COLUMNS and "raw" in bulk.RECORD_COLUMNS
