"""A web app over a per-test database with one review, real records and four members."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.exports_table import EXPORTS

from realreview import services
from realreview.settings import Settings
from realreview.web import create_app

OWNER, ANA, BEN, VIV, EVE = (
    "owner@example.org",
    "ana@example.org",
    "ben@example.org",
    "viv@example.org",
    "eve@example.org",
)
PASSWORD = "correct horse"
XSS = "<script>alert(1)</script>"


@pytest.fixture
def app_url(database_url: str) -> str:
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        review = services.create_review(session, title="Equity QI", actor="tester")
        services.import_export(
            session,
            review_id=review.id,
            path=EXPORTS / "ris/cff_embase.ris",
            max_bytes=1024**3,
            actor="tester",
        )
        for email, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer"), (VIV, "viewer")):
            services.create_user(session, email=email, password=PASSWORD, actor="tester")
            services.add_member(
                session, review_id=review.id, email=email, role=services.Role(role), actor="tester"
            )
        services.create_user(session, email=EVE, password=PASSWORD, actor="tester")  # no member of anything
        services.configure_screening(
            session,
            review_id=review.id,
            owner=OWNER,
            inclusion=("Quality improvement intervention",),
            exclusion=("Not about health care",),
            exclusion_reasons=("wrong population", "not an intervention"),
            include_words=("dinosaur",),
            dual_fraction=1.0,
        )
    factory.kw["bind"].dispose()
    return database_url


@pytest.fixture
def client_for(app_url: str) -> Iterator:  # type: ignore[type-arg]
    clients: list[TestClient] = []

    def make(email: str | None = None) -> TestClient:
        client = TestClient(create_app(Settings(database_url=app_url, secret_key="test-secret")))
        clients.append(client)
        if email is not None:
            login(client, email)
        return client

    yield make
    for client in clients:
        client.close()
        # Each app holds its own engine and pool: release the connections (PostgreSQL counts them).
        client.app.state.factory.kw["bind"].dispose()  # type: ignore[attr-defined]


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
