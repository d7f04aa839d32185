"""Use cases for the database itself: connect (upgrading the schema on first use) and migrate."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from realreview.errors import DatabaseUnavailableError
from realreview.storage import engine

__all__ = [
    "connect",
    "current_revision",
    "head_revision",
    "migration_history",
    "transaction",
    "upgrade_schema",
]

transaction = engine.transaction


def connect(url: str) -> sessionmaker[Session]:
    """Session factory for ``url``; an empty or older database is brought to the current schema."""
    try:
        return engine.open_database(url)
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
