"""Fast bulk insertion of records: the one hot path of an import.

SQLAlchemy's executemany spends more time per row (parameter processing, JSON bind processors) than
parsing the record did, so records go to the database through the driver the session already holds,
inside the same transaction: on PostgreSQL one ``COPY ... FROM STDIN`` for the whole file, fed by
psycopg's queued writer so that the server stores rows while we parse the next ones (the two cores
work at once); on SQLite ``executemany`` with plain tuples, in batches (a writer thread did not help
there: the sqlite3 module holds the GIL while it binds parameters). Other databases take the
portable Core ``INSERT``. The column list comes from the model, so a migration that adds a column
cannot silently desynchronise this module.

:func:`spool_records` does the per-record work (parse, normalise, encode) before any write: it keeps
the encoded rows in a temporary file, and :func:`insert_records` then stores them in one short write,
so that on SQLite an import holds the single write lock for the insert only, not for the parse, and
screening decisions wait for it briefly instead of failing (issue #11). The import stays one
transaction: nothing is committed before the whole file is stored.
"""

from __future__ import annotations

import json
import marshal
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from realreview.records import FIELDS, Record
from realreview.storage.audit import check_audited
from realreview.storage.models import Base, RecordRow

__all__ = ["BATCH_SIZE", "RECORD_COLUMNS", "SpooledRows", "insert_records", "spool_records"]

BATCH_SIZE = 2000

RECORD_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in RecordRow.__table__.columns if c.name not in {"id", "duplicate_of"}
)
_TABLE = Base.metadata.tables["records"]
_JSON_COLUMNS = frozenset({"raw", "authors", "keywords"})
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


_KEYS = ("review_id", "search_id", "import_file_id")
_OWN_COLUMNS = tuple(name for name in RECORD_COLUMNS if name not in _KEYS)
_KEY_AT = tuple(RECORD_COLUMNS.index(name) for name in _KEYS)


def _row(record: Record, review_id: int, search_id: int, import_file_id: int) -> tuple[Any, ...]:
    return _with_keys(_own_row(record), review_id, search_id, import_file_id)


def _with_keys(own: tuple[Any, ...], review_id: int, search_id: int, import_file_id: int) -> tuple[Any, ...]:
    """A record's own values with the review, search and import it goes to, in column order."""
    if _KEY_AT == (0, 1, 2):
        return (review_id, search_id, import_file_id, *own)
    values = dict(zip(_OWN_COLUMNS, own, strict=True))
    values.update(review_id=review_id, search_id=search_id, import_file_id=import_file_id)
    return tuple(values[name] for name in RECORD_COLUMNS)


def _own_row(record: Record) -> tuple[Any, ...]:
    """The values of a record's row that do not depend on where it goes (plain str/int/None)."""
    values: dict[str, Any] = {
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
    return tuple(values[name] for name in _OWN_COLUMNS)


@dataclass(frozen=True, slots=True)
class SpooledRows:
    """Records encoded as rows in a temporary file (``count`` of them), ready for one short write."""

    file: IO[bytes]
    count: int

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """The spooled rows, without their review, search and import keys, in file order."""
        self.file.seek(0)
        while True:
            try:
                batch = marshal.load(self.file)
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        """Delete the temporary file."""
        self.file.close()


def spool_records(records: Iterable[Record]) -> SpooledRows:
    """Encode every record of the (possibly streaming) iterable into a temporary file.

    Memory stays flat (one batch at a time); the rows hold only plain values, so ``marshal`` reads
    them back at a fraction of the cost of encoding them.
    """
    file = tempfile.TemporaryFile(prefix="realreview-import-")
    count = 0
    try:
        rows = (_own_row(record) for record in records)
        while batch := list(islice(rows, BATCH_SIZE)):
            marshal.dump(batch, file)
            count += len(batch)
    except BaseException:
        file.close()
        raise
    return SpooledRows(file, count)


#: A file at least this large refreshes PostgreSQL's statistics on ``records`` after its COPY.
ANALYZE_AFTER = 5_000


def insert_records(
    session: Session,
    records: Iterable[Record] | SpooledRows,
    *,
    review_id: int,
    search_id: int,
    import_file_id: int,
) -> int:
    """Insert every record of the (possibly streaming) iterable, or every spooled row, into the session's transaction.

    Returns:
        The number of records inserted.
    """
    check_audited(session, table="records.insert", count=0)
    rows: Iterator[tuple[Any, ...]]
    if isinstance(records, SpooledRows):
        rows = (_with_keys(own, review_id, search_id, import_file_id) for own in records.rows())
    else:
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
