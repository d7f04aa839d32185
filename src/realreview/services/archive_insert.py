"""Write checked archive rows into a database as a new review, every id remapped.

Tables go in the order of :func:`~realreview.services.archive_tables.plan` (each after the tables
its rows point at), each table's rows in their old key order, so the new ids keep the old order:
"the latest event wins" and "oldest first" read the same after a restore. The database assigns each
new key; the map from old to new keys of every table then rewrites the foreign keys of the rows that
follow, the declared pointers (a memo's target, an audit row's entity) and the excerpt ids inside
theory snapshots. A self-reference (``records.duplicate_of``, ``codes.parent_id``) is written empty
first and set in a second pass, since it may point at a row later in the table.

Accounts (``users``) are matched by e-mail: an address the database already has keeps its account
(name and password untouched); a new one is created without a password.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from realreview.errors import ValidationError
from realreview.services.archive_rows import ArchivedRows
from realreview.services.archive_tables import EMBEDDED, POINTERS, SHARED, TablePlan, plan
from realreview.storage.audit import check_audited

__all__ = ["Inserted", "insert_rows"]

#: Old key -> new key, by table.
KeyMaps = dict[str, dict[Any, Any]]


@dataclass(slots=True)
class Inserted:
    """What a restore wrote: rows per table, and the accounts it found or created, by e-mail."""

    review_id: int
    title: str
    rows: dict[str, int] = field(default_factory=dict)
    matched: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


def insert_rows(session: Session, archived: ArchivedRows, *, name: str, title: str | None) -> Inserted:
    """Insert every table of ``archived`` as one new review (the caller's transaction holds it all).

    Raises:
        ValidationError: the database refused a row (a constraint the archive's checks did not
            foresee); nothing is kept once the caller rolls back.
    """
    maps: KeyMaps = {}
    inserted = Inserted(review_id=0, title="")
    for table in plan():
        rows = archived.tables.get(table.name, [])
        if table.name == "reviews" and title is not None:
            rows = [{**row, "title": title} for row in rows]
        try:
            if table.shared:
                maps[table.name] = _accounts(session, table, rows, archived.columns[table.name], inserted)
            else:
                maps[table.name] = _insert(session, table, rows, archived.columns.get(table.name, ()), maps)
                _second_pass(session, table, rows, maps[table.name])
        except StatementError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise ValidationError(
                f"{name}: the database refused the rows of {table.name}: {reason}"
            ) from None
        inserted.rows[table.name] = len(rows)
    inserted.review_id = maps["reviews"][archived.review_id]
    inserted.title = title or archived.tables["reviews"][0]["title"]
    return inserted


def _insert(
    session: Session, table: TablePlan, rows: list[dict[str, Any]], columns: tuple[str, ...], maps: KeyMaps
) -> dict[Any, Any]:
    if not rows:
        return {}
    values = [_rewrite(table, row, columns, maps) for row in rows]
    check_audited(session, table=f"{table.name}.insert", count=len(rows))
    if table.key is None:
        session.execute(insert(table.table), values)
        return {}
    statement = insert(table.table).returning(table.table.c[table.key], sort_by_parameter_order=True)
    new = session.execute(statement, values).scalars().all()
    return dict(zip((row[table.key] for row in rows), new, strict=True))


def _rewrite(
    table: TablePlan, row: dict[str, Any], columns: tuple[str, ...], maps: KeyMaps
) -> dict[str, Any]:
    """The row as the new database holds it: no old key, references through the key maps."""
    new = {column: row[column] for column in columns if column != table.key}
    for column, target in table.references.items():
        if new.get(column) is not None:
            new[column] = maps[target][new[column]]
    for column in table.self_references:
        if column in new:
            new[column] = None  # set by the second pass
    for pointer in POINTERS:
        if pointer.table == table.name and new.get(pointer.column) is not None:
            kind_table = pointer.targets.get(new.get(pointer.kind_column) or "", "")
            # A strict pointer was checked to resolve; an audit row's vanished entity keeps no id.
            new[pointer.column] = maps.get(kind_table, {}).get(new[pointer.column])
    for embedded in EMBEDDED:
        if embedded.table == table.name and new.get(embedded.column) is not None:
            new[embedded.column] = embedded.remap(new[embedded.column], _lookup(maps[embedded.target]))
    return new


def _lookup(mapping: Mapping[Any, Any]) -> Callable[[int], int]:
    return lambda old: int(mapping[old])


def _second_pass(
    session: Session, table: TablePlan, rows: list[dict[str, Any]], keys: dict[Any, Any]
) -> None:
    """Set the self-references, now that every row of the table has its new key."""
    if table.key is None:
        return
    for column in table.self_references:
        values = [
            {"b_key": keys[row[table.key]], "b_value": keys[row[column]]}
            for row in rows
            if row.get(column) is not None
        ]
        if not values:
            continue
        check_audited(session, table=f"{table.name}.update", count=len(values))
        statement = (
            update(table.table)
            .where(table.table.c[table.key] == bindparam("b_key"))
            .values({column: bindparam("b_value")})
        )
        session.connection().execute(statement, values)


def _accounts(
    session: Session,
    table: TablePlan,
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    inserted: Inserted,
) -> dict[Any, Any]:
    """Old account ids -> ids in this database: the account with the same e-mail, or a new one."""
    if not rows or table.key is None:
        return {}
    natural = SHARED[table.name]
    column = table.table.c[natural]
    wanted = [row[natural] for row in rows]
    found = session.execute(select(column, table.table.c[table.key]).where(column.in_(wanted)))
    existing: dict[Any, Any] = {natural_key: key for natural_key, key in found}
    keys = {row[table.key]: existing[row[natural]] for row in rows if row[natural] in existing}
    fresh = [row for row in rows if row[natural] not in existing]
    inserted.matched.extend(row[natural] for row in rows if row[natural] in existing)
    inserted.created.extend(row[natural] for row in fresh)
    if fresh:
        keys.update(_insert(session, table, fresh, columns, {}))
    return keys
