"""Fast bulk insertion of records: the one hot path of an import.

SQLAlchemy's executemany spends more time per row (parameter processing, JSON bind processors) than
parsing the record did, so records go to the database through the driver the session already holds,
inside the same transaction: on PostgreSQL one ``COPY ... FROM STDIN`` for the whole file, fed by
psycopg's queued writer so that the server stores rows while we parse the next ones (the two cores
work at once); on SQLite ``executemany`` with plain tuples, in batches (a writer thread did not help
there: the sqlite3 module holds the GIL while it binds parameters). Other databases take the
portable Core ``INSERT``. The column list comes from the model, so a migration that adds a column
cannot silently desynchronise this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from realreview.records import FIELDS, Record
from realreview.storage.audit import check_audited
from realreview.storage.models import Base, RecordRow

__all__ = ["BATCH_SIZE", "RECORD_COLUMNS", "insert_records"]

BATCH_SIZE = 2000

RECORD_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in RecordRow.__table__.columns if c.name not in {"id", "duplicate_of"}
)
_TABLE = Base.metadata.tables["records"]
_JSON_COLUMNS = frozenset({"raw", "authors", "keywords"})
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _row(record: Record, review_id: int, search_id: int, import_file_id: int) -> tuple[Any, ...]:
    values: dict[str, Any] = {
        "review_id": review_id,
        "search_id": search_id,
        "import_file_id": import_file_id,
        "position": record.position,
        "line": record.line,
        "raw": _dumps(record.raw),
    }
    for name in FIELDS:
        value = getattr(record, name)
        if name == "authors":
            value = _dumps([(a.family, a.given) for a in value])
        elif name in _JSON_COLUMNS:
            value = _dumps(value)
        values[name] = value
    return tuple(values[name] for name in RECORD_COLUMNS)


#: A file at least this large refreshes PostgreSQL's statistics on ``records`` after its COPY.
ANALYZE_AFTER = 5_000


def insert_records(
    session: Session, records: Iterable[Record], *, review_id: int, search_id: int, import_file_id: int
) -> int:
    """Insert every record of the (possibly streaming) iterable into the session's transaction.

    Returns:
        The number of records inserted.
    """
    check_audited(session, table="records.insert", count=0)
    rows = (_row(record, review_id, search_id, import_file_id) for record in records)
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        inserted = _copy_postgres(session, rows)
    elif connection.dialect.name == "sqlite":
        inserted = _executemany_sqlite(session, rows)
    else:
        inserted = _insert_portable(session, rows)
    check_audited(session, table="records.insert", count=inserted)
    return inserted


def _copy_postgres(session: Session, rows: Iterator[tuple[Any, ...]]) -> int:
    from psycopg.copy import QueuedLibpqWriter

    count = 0
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:  # type: ignore[union-attr]
        statement = f"COPY records ({', '.join(RECORD_COLUMNS)}) FROM STDIN"
        with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if count >= ANALYZE_AFTER:
            # Fresh planner statistics for the records just copied: autovacuum would gather them within
            # a minute or so, but until then PostgreSQL plans the screening queries for an empty table
            # (a sort of every record instead of an index walk; 40 ms instead of 1 ms at 20,000 records).
            cursor.execute("ANALYZE records")
    return count


def _executemany_sqlite(session: Session, rows: Iterator[tuple[Any, ...]]) -> int:
    count = 0
    driver = session.connection().connection.driver_connection
    marks = ", ".join("?" * len(RECORD_COLUMNS))
    statement = f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}) VALUES ({marks})"
    for batch in _batches(rows):
        driver.executemany(statement, batch)  # type: ignore[union-attr]
        count += len(batch)
    return count


def _insert_portable(session: Session, rows: Iterator[tuple[Any, ...]]) -> int:
    """Any other database: SQLAlchemy Core, with the JSON columns handed over as Python values."""
    count = 0
    for batch in _batches(rows):
        session.execute(insert(_TABLE), [_decoded(row) for row in batch])
        count += len(batch)
    return count


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[Sequence[tuple[Any, ...]]]:
    while batch := list(islice(rows, BATCH_SIZE)):
        yield batch


def _decoded(row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        name: json.loads(value) if name in _JSON_COLUMNS else value
        for name, value in zip(RECORD_COLUMNS, row, strict=True)
    }
