"""The database as the services hand it out: one unit of work per edge call, and the migrations.

An edge (a CLI command, a web request) opens ``database.unit_of_work()`` and passes the session to
the services, which never commit: the block commits when it ends and rolls back when it raises. A
unit of work that will write asks for ``write=True``: on SQLite that takes the single write lock up
front (``BEGIN IMMEDIATE``), after writers of the same process have queued on a Python lock, so
concurrent reviewers wait their turn instead of failing with "database is locked" (SQLite's own busy
handler retries with growing sleeps, which turns a 3 ms wait into a long tail). PostgreSQL needs
nothing: its row locks order concurrent writers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from realreview.errors import DatabaseUnavailableError
from realreview.storage import engine

__all__ = [
    "Database",
    "Session",
    "connect",
    "current_revision",
    "head_revision",
    "migration_history",
    "transaction",
    "upgrade_schema",
]


class Database:
    """An open database: the session factory, the in-process write lock, and ``close``."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._write_lock = threading.Lock()
        self.dialect: str = factory.kw["bind"].dialect.name

    @contextmanager
    def unit_of_work(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        if not write or self.dialect != "sqlite":
            with engine.transaction(self._factory) as session:
                yield session
            return
        with self._write_lock, engine.transaction(self._factory) as session:
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    def close(self) -> None:
        """Release every pooled connection (PostgreSQL counts them)."""
        self._factory.kw["bind"].dispose()


def transaction(database: Database) -> AbstractContextManager[Session]:
    """``database.unit_of_work()``, for callers that name the transaction."""
    return database.unit_of_work()


def connect(url: str, *, upgrade: bool = True) -> Database:
    """Open ``url``; an empty or older database is brought to the current schema unless ``upgrade`` is off.

    With ``upgrade=False`` (a web worker) a database whose schema is behind is refused with
    :class:`~realreview.errors.SchemaBehindError`, naming the command that upgrades it.
    """
    try:
        return Database(engine.open_database(url, upgrade_schema=upgrade))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnavailableError(f"cannot open database {_safe(url)}: {reason}") from None


def _safe(url: str) -> str:
    return engine.make_engine(url).url.render_as_string(hide_password=True)


def upgrade_schema(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision``; returns the revision before and after."""
    db = engine.make_engine(url)
    try:
        before = engine.current_revision(db)
        engine.upgrade(db, revision)
        return before, engine.current_revision(db)
    finally:
        db.dispose()


def current_revision(url: str) -> tuple[str | None, str | None]:
    """The database's revision and the newest one this version ships."""
    db = engine.make_engine(url)
    try:
        return engine.current_revision(db), engine.head_revision(db)
    finally:
        db.dispose()


def head_revision(url: str) -> str | None:
    """The newest migration this version of RealReview ships."""
    db = engine.make_engine(url)
    try:
        return engine.head_revision(db)
    finally:
        db.dispose()


def migration_history(url: str) -> list[tuple[str, str]]:
    """Every shipped migration as ``(revision, description)``, oldest first."""
    db = engine.make_engine(url)
    try:
        return engine.history(db)
    finally:
        db.dispose()
