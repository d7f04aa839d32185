"""A web app over a per-test database with one review, real records and four members."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.exports_table import EXPORTS

from realreview import services
from realreview.fulltext import FileStore
from realreview.settings import Settings
from realreview.web import create_app
from realreview.web.app import close_app

OWNER, ANA, BEN, VIV, EVE = (
    "owner@example.org",
    "ana@example.org",
    "ben@example.org",
    "viv@example.org",
    "eve@example.org",
)
PASSWORD = "correct horse"
XSS = "<script>alert(1)</script>"


Client = Callable[..., TestClient]


@pytest.fixture
def app_url(database_url: str) -> str:
    database = services.connect(database_url)
    with database.unit_of_work() as session:
        review = services.create_review(session, title="Equity QI", actor="tester")
        ctx = services.trusted_context(session, review_id=review.id, actor="tester")
        services.import_export(session, ctx, path=EXPORTS / "ris/cff_embase.ris", max_bytes=1024**3)
        for email, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer"), (VIV, "viewer")):
            services.create_user(session, email=email, password=PASSWORD, actor="tester")
            services.add_member(session, ctx, email=email, role=services.Role(role))
        services.create_user(session, email=EVE, password=PASSWORD, actor="tester")  # no member of anything
        services.configure_screening(
            session,
            services.review_context(session, review_id=review.id, email=OWNER),
            inclusion=("Quality improvement intervention",),
            exclusion=("Not about health care",),
            exclusion_reasons=("wrong population", "not an intervention"),
            include_words=("dinosaur",),
            dual_fraction=1.0,
        )
    database.close()
    return database_url


def member_ctx(session: services.Session, email: str, review_id: int = 1) -> services.ReviewContext:
    """The review context of the member ``email``, as the web app resolves it."""
    return services.review_context(session, review_id=review_id, email=email)


def _apps(app_url: str, settings: dict[str, object]) -> Iterator[Client]:
    clients: list[TestClient] = []

    def make(email: str | None = None, **overrides: object) -> TestClient:
        client = TestClient(create_app(Settings(**{"database_url": app_url, **settings, **overrides})))  # type: ignore[arg-type]
        clients.append(client)
        if email is not None:
            login(client, email)
        return client

    yield make
    for client in clients:
        client.close()
        # Each app holds its own engine and pool: release the connections (PostgreSQL counts them).
        close_app(client.app)  # type: ignore[arg-type]


@pytest.fixture
def client_for(app_url: str) -> Iterator[Client]:
    """A signed-in client per call (``client_for(ANA)``), each over its own app."""
    yield from _apps(app_url, {"secret_key": "test-secret"})


@pytest.fixture
def web(app_url: str, tmp_path: Path) -> Iterator[Client]:
    """Like ``client_for``, with the full-text store in ``tmp_path`` (never the working directory)."""
    settings = {
        "secret_key": "test-secret",
        "files_dir": str(tmp_path / "files"),
        "max_document_bytes": 2**20,
    }
    yield from _apps(app_url, settings)


EXCERPT_TEXT = "Staff trusted the audit data. Managers listened."


@pytest.fixture
def excerpt(app_url: str, tmp_path: Path) -> int:
    """An excerpt coded "Trust" by Ana in a text document of review 1; its id."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = member_ctx(session, ANA)
        document = services.add_document(
            session,
            ctx,
            data=EXCERPT_TEXT.encode(),
            name="audit.txt",
            record_id=None,
            store=FileStore(tmp_path / "files"),
            max_bytes=10**6,
        )
        code = services.create_code(session, ctx, name="Trust")
        found = services.add_excerpt(
            session, ctx, document_id=document.info.id, start=0, end=29, code_ids=[code.id]
        )
    database.close()
    return found.id


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
