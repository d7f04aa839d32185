"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL tests create their own database from a migrated template (fast, and nothing is shared
between tests). The server comes from ``REALREVIEW_TEST_POSTGRES_URL`` (default: the local one at
127.0.0.1:5432). Where it cannot be reached the tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from realreview.storage.engine import make_engine, upgrade

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
POSTGRES_URL = os.environ.get(
    "REALREVIEW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_TEMPLATE = f"rr_template_{os.getpid()}"


def _admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(
        make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )


def _postgres_unavailable(error: Exception) -> None:
    message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI requires it)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated database used as the template for each PostgreSQL test's own database."""
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{_TEMPLATE}"'))
    except OperationalError as error:
        admin.dispose()
        _postgres_unavailable(error)
    url = make_url(POSTGRES_URL).set(database=_TEMPLATE).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield _TEMPLATE
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a new, migrated PostgreSQL database, dropped after the test."""
    template = request.getfixturevalue("postgres_template")
    name = f"rr_test_{uuid.uuid4().hex[:16]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'review.db'}"
    return str(request.getfixturevalue("postgres_url"))
