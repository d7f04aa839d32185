"""Engines, sessions and schema upgrades.

``make_engine`` sets SQLite's pragmas on that engine only (no global listener). ``open_database``
brings the schema to Alembic's head on first use, so a new user never runs a migration by hand, yet
Alembic stays the only way the schema changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from realreview.errors import SchemaBehindError, ValidationError
from realreview.storage.audit import guard_flush

__all__ = [
    "SQLITE_BUSY_TIMEOUT_S",
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "history",
    "make_engine",
    "open_database",
    "session_factory",
    "transaction",
    "upgrade",
]

MIGRATIONS = Path(__file__).with_name("migrations")

#: How long a write on SQLite waits for the single write lock before "database is locked". The
#: sqlite3 module's default, 5 s, was shorter than a large import's write phase, so a reviewer's
#: decision failed with a 500 during a 200,000-record import (issue #11). A waiting writer polls
#: every 100 ms at most (SQLite's busy handler), so the wait ends soon after the lock is free.
SQLITE_BUSY_TIMEOUT_S = 60.0


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; plain ``postgresql://`` URLs use psycopg 3, which we install."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValidationError(f"not a database URL: {url!r} (e.g. sqlite:///review.db)") from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs our migrations on ``engine`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    """The newest migration shipped with this version of RealReview."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def history(engine: Engine) -> list[tuple[str, str]]:
    """Shipped migrations as ``(revision, first docstring line)``, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    revisions = list(script.walk_revisions())
    return [(rev.revision, (rev.doc or "").splitlines()[0]) for rev in reversed(revisions)]


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or ``None`` for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to ``revision`` (``"base"`` empties the schema)."""
    command.downgrade(alembic_config(engine), revision)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions over ``engine`` that flush changes only inside an audited call (:mod:`.audit`)."""
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "before_flush", guard_flush)
    return factory


def open_database(url: str, *, upgrade_schema: bool = True) -> sessionmaker[Session]:
    """Engine + session factory for ``url``.

    With ``upgrade_schema`` the schema is brought to head when it is behind; without it a database
    that is behind is refused with the command that upgrades it (a web worker must not race others
    to migrate).
    """
    engine = make_engine(url)
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        if not upgrade_schema:
            engine.dispose()
            raise SchemaBehindError(
                f"the database schema is at {current or 'nothing'}, this RealReview needs {head}; "
                "run: realreview db upgrade (or start it with realreview serve)"
            )
        upgrade(engine)
    return session_factory(engine)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
