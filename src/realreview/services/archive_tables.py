"""Which rows make up one review, and how an archive writes each column's values (issue #13, item 5).

The tables come from ``Base.metadata``, never from a hand list. A table is the review's when one of
its foreign keys reaches ``reviews``, directly (``review_id``) or through another of the review's
tables (``codings`` through ``excerpts``, ``cmoc_edits`` through ``cmocs``); a self-reference such as
``records.duplicate_of`` does not count. Three tables belong to no review and are named here once:

* ``users`` is shared: the accounts the review's rows point at (members, the people its audit rows
  name) travel with it, matched by e-mail on restore, without their password hashes;
* ``sessions``, ``login_throttles`` and ``invitations`` belong to signing in, and ``jobs`` to the
  server's background work; none is archived.

A table added later that is neither the review's nor named here makes :func:`plan` raise, so a test
fails until someone decides where it belongs; so does a column type without a codec.

Some columns hold an id without a foreign key: a memo's or an appraisal's target, an audit row's
entity (:data:`POINTERS`), and the excerpt ids inside a programme theory snapshot (:data:`EMBEDDED`).
They are declared here so that restore remaps them like foreign keys.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    false,
    or_,
    select,
)

from realreview.coding import MemoTarget
from realreview.storage.models import Base

__all__ = [
    "EMBEDDED",
    "ENTITY_TABLES",
    "NOT_ARCHIVED",
    "POINTERS",
    "SHARED",
    "STORED_FILES",
    "WITHHELD",
    "Embedded",
    "Pointer",
    "TablePlan",
    "decode",
    "encode",
    "plan",
    "review_rows",
]

#: Tables outside every review whose rows travel when the review's rows point at them, by the column
#: that finds the same row in another database.
SHARED: Mapping[str, str] = {"users": "email"}
#: Tables never archived, and why.
NOT_ARCHIVED: Mapping[str, str] = {
    "sessions": "signed-in browser sessions are secrets of one database and end with it",
    "login_throttles": "failed sign-in counters are the server's, not the review's",
    "invitations": "an invitation link is a one-time secret of the server that issued it",
    "jobs": "queued and finished background work is the server's, not the review's",
}
#: Columns never archived, and why: an archive is a file that gets copied and mailed, and an argon2
#: hash in it could be attacked offline; a restored account without a password sets one
#: (``realreview members password EMAIL``), an account the database already has keeps its own.
WITHHELD: Mapping[tuple[str, str], str] = {
    ("users", "password_hash"): "password hashes stay in the database they were set in",
}

#: Columns naming a file of the full-text store by SHA-256: the archive carries those files.
STORED_FILES: tuple[tuple[str, str], ...] = (("documents", "sha256"),)

#: The table an audit row's ``entity`` names (``entity_id`` is that table's id).
ENTITY_TABLES: Mapping[str, str] = {
    "appraisal": "appraisals",
    "cluster": "synthesis_clusters",
    "cmoc": "cmocs",
    "cmoc_relation": "cmoc_relations",
    "code": "codes",
    "dedup_decision": "dedup_decisions",
    "dedup_run": "dedup_runs",
    "document": "documents",
    "engagement": "engagements",
    "evidence_link": "evidence_links",
    "excerpt": "excerpts",
    "import_file": "import_files",
    "job": "jobs",
    "memo": "memos",
    "record": "records",
    "review": "reviews",
    "review_member": "review_members",
    "search": "searches",
    "session": "sessions",
    "synthesis_comment": "synthesis_comments",
    "theory_version": "theory_versions",
    "user": "users",
}
_NOTE_TARGETS: Mapping[str, str] = {
    MemoTarget.REVIEW.value: "reviews",
    MemoTarget.CODE.value: "codes",
    MemoTarget.DOCUMENT.value: "documents",
    MemoTarget.EXCERPT.value: "excerpts",
}


@dataclass(frozen=True, slots=True)
class Pointer:
    """An integer column holding the id of a row in the table its row's ``kind_column`` names.

    ``strict``: a target missing from the archive makes it unusable. Otherwise (an audit row about a
    member since removed, or a session) the restored row keeps no id.
    """

    table: str
    column: str
    kind_column: str
    targets: Mapping[str, str]
    strict: bool


@dataclass(frozen=True, slots=True)
class Embedded:
    """Ids of ``target`` rows inside a JSON column: read them out, or write them back remapped."""

    table: str
    column: str
    target: str
    ids: Callable[[Any], list[int]]
    remap: Callable[[Any, Callable[[int], int]], Any]


POINTERS: tuple[Pointer, ...] = (
    Pointer("memos", "target_id", "target_kind", _NOTE_TARGETS, strict=True),
    Pointer("appraisals", "target_id", "target_kind", _NOTE_TARGETS, strict=True),
    Pointer("audit_log", "entity_id", "entity", ENTITY_TABLES, strict=False),
)


def _evidence(body: Any) -> list[list[Any]]:
    evidence = body.get("evidence", []) if isinstance(body, dict) else None
    if not isinstance(evidence, list) or not all(
        isinstance(key, list) and len(key) == 3 and type(key[2]) is int for key in evidence
    ):
        raise ValueError("its evidence is not a list of [cmoc, component, excerpt id]")
    return evidence


def _remap_evidence(body: Any, new: Callable[[int], int]) -> Any:
    return {**body, "evidence": [[cmoc, part, new(excerpt)] for cmoc, part, excerpt in _evidence(body)]}


EMBEDDED: tuple[Embedded, ...] = (
    # A snapshot keeps its evidence as [cmoc, component, excerpt id] (realreview.synthesis.serial).
    Embedded(
        "theory_versions",
        "body",
        "excerpts",
        ids=lambda body: [key[2] for key in _evidence(body)],
        remap=_remap_evidence,
    ),
)


@dataclass(frozen=True, slots=True)
class TablePlan:
    """How one table is archived and restored.

    ``key`` is the integer primary key the database assigns (restore maps old to new), ``None`` when
    the key is made of other columns (``screening_setups.review_id``). ``references`` maps each
    foreign-key column to the table whose key its value is (following a key that is itself a foreign
    key, as ``screening_setups.review_id`` is ``reviews.id``); ``self_references`` are the columns
    pointing into the table itself, restored in a second pass.
    """

    table: Table
    columns: tuple[Column[Any], ...]
    key: str | None
    references: Mapping[str, str]
    self_references: tuple[str, ...]
    shared: bool

    @property
    def name(self) -> str:
        """The table's name."""
        return self.table.name


@functools.cache  # once per column: it is asked for every value of an archive
def _kind(column: Column[Any]) -> str:
    kinds: tuple[tuple[type[Any], str], ...] = (
        (Boolean, "bool"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Integer, "int"),
        (Float, "float"),
        (JSON, "json"),
        (LargeBinary, "bytes"),
        (String, "str"),
    )
    for sql_type, kind in kinds:
        if isinstance(column.type, sql_type):
            return kind
    raise TypeError(f"{column.table.name}.{column.name}: no archive codec for {column.type!r}")


def encode(column: Column[Any], value: Any) -> Any:
    """A column's value as JSON: times in ISO 8601 (UTC), bytes in base64, the rest as they are."""
    if value is None:
        return None
    kind = _kind(column)
    if kind == "datetime":
        # SQLite hands back naive times; the app writes UTC (models._now), so naive means UTC.
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if kind == "date":
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind == "float":
        return float(value)
    return value


def decode(column: Column[Any], value: Any, *, lengths: bool = True) -> Any:
    """The Python value an archived JSON value stands for; ``ValueError`` says why it cannot be one.

    ``lengths``: refuse text longer than its column's length (PostgreSQL would; SQLite keeps it).
    """
    kind = _kind(column)
    if value is None:
        if column.nullable or kind == "json":
            return None
        raise ValueError("is empty but may not be")
    if kind == "json":
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and type(value) is int:
        return value
    if kind == "float" and type(value) in (int, float) and math.isfinite(value):
        return float(value)
    if kind in ("str", "datetime", "date", "bytes") and isinstance(value, str):
        return _decode_text(column, kind, value, lengths=lengths)
    raise ValueError(f"{value!r} is not {_KIND_NAMES[kind]}")


_KIND_NAMES = {
    "bool": "true or false",
    "int": "an integer",
    "float": "a number",
    "str": "text",
    "datetime": "a time (ISO 8601 with its UTC offset)",
    "date": "a date (ISO 8601)",
    "bytes": "base64 text",
}


def _decode_text(column: Column[Any], kind: str, value: str, *, lengths: bool) -> Any:
    if kind == "str":
        length = getattr(column.type, "length", None)
        if lengths and length is not None and len(value) > length:
            raise ValueError(f"is {len(value)} characters long, more than the {length} it may hold")
        return value
    if kind == "bytes":
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            raise ValueError("is not base64") from None
    if kind == "date":
        return dt.date.fromisoformat(value)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment.astimezone(dt.UTC)


def _references(table: Table) -> tuple[dict[str, str], tuple[str, ...]]:
    references: dict[str, str] = {}
    self_references = []
    for column in table.columns:
        keys = list(column.foreign_keys)
        if not keys:
            continue
        if len(keys) > 1 or len(keys[0].constraint.columns) > 1:  # type: ignore[union-attr]
            raise TypeError(f"{table.name}.{column.name}: only single-column foreign keys are archived")
        target = keys[0].column
        if target.table is table:
            if not column.nullable:
                raise TypeError(f"{table.name}.{column.name}: a self-reference must be nullable to restore")
            self_references.append(column.name)
            continue
        while target.foreign_keys:  # a key that is itself a foreign key: screening_setups.review_id
            target = next(iter(target.foreign_keys)).column
        references[column.name] = target.table.name
    return references, tuple(self_references)


def _key(table: Table) -> str | None:
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and isinstance(keys[0].type, Integer) and not keys[0].foreign_keys:
        return keys[0].name
    return None


@functools.cache
def plan(metadata: MetaData = Base.metadata) -> tuple[TablePlan, ...]:
    """Every archived table in an order restore can insert them (each after what its rows point at).

    ``metadata`` is the schema's (another only in tests, to see how a new table is classified).

    Raises:
        TypeError: a table belongs to no review and is not classified above, a column has no codec,
            a foreign key is composite, or one of the review's tables points at a table not archived.
    """
    tables = {table.name: table for table in metadata.sorted_tables}
    owned = _owned(tables)
    unclassified = set(tables) - owned - set(SHARED) - set(NOT_ARCHIVED)
    if unclassified:
        raise TypeError(f"tables in no review and not classified for archives: {sorted(unclassified)}")
    plans: dict[str, TablePlan] = {}
    depends: dict[str, set[str]] = {}
    for name, table in tables.items():
        if name in NOT_ARCHIVED:
            continue
        references, self_references = _references(table)
        if self_references and _key(table) is None:
            raise TypeError(f"{name}: a self-reference needs an integer key to restore")
        columns = tuple(c for c in table.columns if (name, c.name) not in WITHHELD)
        for column in columns:
            _kind(column)
        for column_name, target in references.items():
            if target not in owned and target not in SHARED:
                raise TypeError(f"{name}.{column_name} points at {target}, which archives do not hold")
        plans[name] = TablePlan(table, columns, _key(table), references, self_references, name in SHARED)
        depends[name] = set(references.values()) - {name}
    for pointer in POINTERS:
        if pointer.table in plans:
            depends[pointer.table] |= set(pointer.targets.values()) & set(plans)
    for embedded in EMBEDDED:
        if embedded.table in plans:
            depends[embedded.table].add(embedded.target)
    return tuple(plans[name] for name in _ordered(list(plans), depends))


def _owned(tables: Mapping[str, Table]) -> set[str]:
    owned = {"reviews"}
    grown = True
    while grown:
        grown = False
        for name, table in tables.items():
            if name in owned or name in SHARED or name in NOT_ARCHIVED:
                continue
            targets = {key.column.table.name for key in table.foreign_keys} - {name}
            if targets & owned:
                owned.add(name)
                grown = True
    return owned


def _ordered(names: list[str], depends: Mapping[str, set[str]]) -> list[str]:
    """``names`` in their metadata order, each moved after the tables it depends on."""
    done: list[str] = []
    waiting = list(names)
    while waiting:
        ready = next((n for n in waiting if depends[n] <= set(done)), None)
        if ready is None:
            raise TypeError(f"archive tables depend on each other in a cycle: {waiting}")
        done.append(ready)
        waiting.remove(ready)
    return done


def review_rows(table: TablePlan, review_id: int) -> Any:
    """The query for ``table``'s rows that belong to review ``review_id`` (not for shared tables)."""
    return select(*table.columns).where(_belongs(table.table, review_id)).order_by(*table.table.primary_key)


def _belongs(table: Table, review_id: int) -> ColumnElement[bool]:
    if table.name == "reviews":
        return table.c.id == review_id
    direct = [key.parent for key in table.foreign_keys if key.column.table.name == "reviews"]
    if direct:
        return or_(*(column == review_id for column in direct))
    via = [
        key.parent.in_(select(key.column).where(_belongs(key.column.table, review_id)))
        for key in table.foreign_keys
        if key.column.table is not table and key.column.table.name not in SHARED
    ]
    return or_(*via) if via else false()
