"""An archive's tables as rows, checked before one is written: types, counts, keys and every reference.

:func:`read_rows` reads each ``tables/<table>.jsonl`` member, one JSON object a line, and refuses
the archive, naming the member, line and column, unless: the schema revision is one this RealReview
knows; each table is one it archives, with columns it has (a column the archive lacks must be one
the database can fill: nullable or with a default); every value is of its column's type (and, where
the database enforces lengths, fits its length, so a PostgreSQL restore does not fail half way);
the line count is the manifest's; keys are unique; exactly one review is there; and every foreign
key and declared pointer (:data:`~realreview.services.archive_tables.POINTERS`, ``EMBEDDED``) names
a row of the archive. The archive writer runs the reference checks on what it is about to write
(:func:`check_references`), so an archive whose rows do not hold together is never written.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from realreview.errors import ParseError, ValidationError
from realreview.services.archive_tables import (
    EMBEDDED,
    POINTERS,
    SHARED,
    STORED_FILES,
    Pointer,
    TablePlan,
    decode,
    plan,
)
from realreview.services.archive_zip import MANIFEST, table_member

__all__ = ["ArchivedRows", "check_references", "encode_lines", "read_rows"]


@dataclass(frozen=True, slots=True)
class ArchivedRows:
    """The archive's rows, decoded and checked, by table, each in its key order.

    ``columns`` are the archived columns of each table (an older archive may lack some).
    """

    tables: Mapping[str, list[dict[str, Any]]]
    columns: Mapping[str, tuple[str, ...]]
    review_id: int

    def keys(self, table: str, column: str) -> set[Any]:
        """The values of ``column`` in ``table``'s rows."""
        return {row.get(column) for row in self.tables.get(table, [])} - {None}


def encode_lines(rows: list[dict[str, Any]]) -> bytes:
    """Rows as JSON lines: keys sorted, no spaces, UTF-8, so equal rows give equal bytes."""
    return b"".join(
        json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
        + b"\n"
        for row in rows
    )


def read_rows(
    manifest: Mapping[str, Any],
    members: Mapping[str, bytes],
    *,
    name: str,
    revisions: Collection[str],
    lengths: bool,
) -> ArchivedRows:
    """Decode and check every table of an archive whose members :func:`open_archive` already checked.

    ``lengths``: refuse text longer than its column allows (for a database that enforces lengths).

    Raises:
        ValidationError: the archive's schema is newer than this RealReview's, or holds a table or
            column it does not have.
        ParseError: a row, a count, a key or a reference is wrong; the message names the member and line.
    """
    revision = manifest["schema_revision"]
    if revision not in revisions:
        raise ValidationError(
            f"{name}: written at database schema {revision}, which this RealReview does not know "
            "(a newer one wrote it; restore it with that version or later)"
        )
    plans = {table.name: table for table in plan()}
    tables: dict[str, list[dict[str, Any]]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    for table_name, entry in manifest["tables"].items():
        table = plans.get(table_name)
        if table is None:
            raise ValidationError(f"{name}: table {table_name} is not one this RealReview archives")
        columns[table_name] = _columns(table, entry["columns"], name=name)
        member = table_member(table_name)
        body, where = members[member], f"{name}: member {member}"
        rows = list(_rows(table, columns[table_name], body, where=where, lengths=lengths))
        if len(rows) != entry["rows"]:
            raise ParseError(
                f"{name}: member {member} holds {len(rows)} rows; {MANIFEST} says {entry['rows']}"
            )
        _check_unique(table, rows, where=f"{name}: member {member}")
        tables[table_name] = rows
    reviews = tables.get("reviews", [])
    if len(reviews) != 1 or reviews[0]["id"] != manifest["review"]["id"]:
        raise ParseError(
            f"{name}: member {table_member('reviews')} must hold the one review the manifest names"
        )
    archived = ArchivedRows(tables, columns, reviews[0]["id"])
    check_references(archived, manifest, name=name)
    return archived


def check_references(archived: ArchivedRows, manifest: Mapping[str, Any], *, name: str) -> None:
    """Refuse rows whose foreign keys, declared pointers or stored files are not in the archive.

    The ids are compared as the archive writes them (integers), so the writer checks its rows
    without decoding them again.
    """
    plans = {table.name: table for table in plan()}
    _check_references(archived, plans, name=name)
    _check_files(archived, manifest, name=name)


def _columns(table: TablePlan, listed: list[str], *, name: str) -> tuple[str, ...]:
    known = {column.name: column for column in table.columns}
    unknown = sorted(set(listed) - set(known))
    if unknown:
        raise ValidationError(f"{name}: column {table.name}.{unknown[0]} is not one this RealReview has")
    if len(set(listed)) != len(listed):
        raise ParseError(f"{name}: {MANIFEST} lists a column of {table.name} twice")
    for column in known.values():
        fillable = column.nullable or column.default is not None or column.server_default is not None
        if column.name not in listed and not fillable:
            raise ValidationError(f"{name}: table {table.name} lacks column {column.name}, which it needs")
    return tuple(listed)


def _rows(
    table: TablePlan, names: tuple[str, ...], body: bytes, *, where: str, lengths: bool
) -> Iterator[dict[str, Any]]:
    columns = {column.name: column for column in table.columns}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParseError(f"{where}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        try:
            value = json.loads(line, parse_constant=_no_constant)
        except ValueError as error:
            raise ParseError(f"{where} line {number}: not a JSON object ({error})") from None
        if not isinstance(value, dict) or set(value) != set(names):
            raise ParseError(f"{where} line {number}: the row's columns are not those {MANIFEST} lists")
        row = {}
        for column_name in names:
            try:
                row[column_name] = decode(columns[column_name], value[column_name], lengths=lengths)
            except ValueError as error:
                raise ParseError(f"{where} line {number}: column {column_name} {error}") from None
        yield row


def _no_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is no JSON number")


def _check_unique(table: TablePlan, rows: list[dict[str, Any]], *, where: str) -> None:
    keys = [column.name for column in table.table.primary_key.columns]
    if table.shared:
        keys = [SHARED[table.name]]
    seen: set[tuple[Any, ...]] = set()
    for number, row in enumerate(rows, 1):
        key = tuple(row.get(k) for k in keys)
        if key in seen or None in key:
            raise ParseError(f"{where} line {number}: {', '.join(keys)} {key} is missing or repeated")
        seen.add(key)


def _check_references(archived: ArchivedRows, plans: Mapping[str, TablePlan], *, name: str) -> None:
    for table_name, rows in archived.tables.items():
        table = plans[table_name]
        where = f"{name}: member {table_member(table_name)}"
        for column_name in (*table.references, *table.self_references):
            if column_name not in archived.columns[table_name]:
                continue
            target = next(iter(table.table.c[column_name].foreign_keys)).column
            present = archived.keys(target.table.name, target.name)
            for number, row in enumerate(rows, 1):
                value = row[column_name]
                if value is not None and value not in present:
                    raise ParseError(
                        f"{where} line {number}: {column_name} {value} names no row of {target.table.name} "
                        "in the archive"
                    )
    for pointer in POINTERS:
        if pointer.strict:  # an audit row's entity may be gone (a removed member); restore drops that id
            _check_pointer(archived, pointer, plans, name=name)
    for embedded in EMBEDDED:
        present = archived.keys(embedded.target, plans[embedded.target].key or "")
        for number, row in enumerate(archived.tables.get(embedded.table, []), 1):
            where = f"{name}: member {table_member(embedded.table)} line {number}: column {embedded.column}"
            try:
                ids = embedded.ids(row[embedded.column])
            except ValueError as error:
                raise ParseError(f"{where}: {error}") from None
            missing = [i for i in ids if i not in present]
            if missing:
                raise ParseError(f"{where}: {embedded.target} {missing[0]} is not in the archive")


def _check_pointer(
    archived: ArchivedRows, pointer: Pointer, plans: Mapping[str, TablePlan], *, name: str
) -> None:
    present = {
        kind: archived.keys(table, plans[table].key or "")
        for kind, table in pointer.targets.items()
        if table in plans
    }
    for number, row in enumerate(archived.tables.get(pointer.table, []), 1):
        value, kind = row.get(pointer.column), row.get(pointer.kind_column)
        if value is not None and value not in present.get(kind or "", ()):
            raise ParseError(
                f"{name}: member {table_member(pointer.table)} line {number}: {pointer.column} {value} "
                f"names no {kind} in the archive"
            )


def _check_files(archived: ArchivedRows, manifest: Mapping[str, Any], *, name: str) -> None:
    carried = set(manifest["files"]) | set(manifest["missing_files"])
    for table, column in STORED_FILES:
        for number, row in enumerate(archived.tables.get(table, []), 1):
            if row.get(column) is not None and row[column] not in carried:
                raise ParseError(
                    f"{name}: member {table_member(table)} line {number}: the file {row[column]} "
                    f"is neither in the archive nor listed as missing in {MANIFEST}"
                )
