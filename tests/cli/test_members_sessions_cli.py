"""``realreview members sign-out`` and ``members remove`` end a member's web sessions (issue #11)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from realreview import services
from realreview.cli import app
from realreview.services.sessions import SessionPolicy

ANA = "ana@example.org"
PASSWORD = "correct horse battery"


@pytest.fixture
def url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    database_url = f"sqlite:///{tmp_path / 'r.db'}"
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", database_url)
    monkeypatch.setenv("REALREVIEW_USER", "admin")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    return database_url


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _sign_in(url: str) -> str:
    database = services.connect(url)
    with database.unit_of_work(write=True) as session:
        answer = services.sign_in(session, email=ANA, password=PASSWORD, client="203.0.113.7")
    database.close()
    assert answer.token is not None
    return answer.token


def _signed_in(url: str, token: str) -> bool:
    database = services.connect(url)
    with database.unit_of_work() as session:
        found = services.current_session(session, token=token, policy=SessionPolicy())
    database.close()
    return found is not None


def test_sign_out_ends_every_session_of_the_member(url: str) -> None:
    _run("init", "T")
    _run("members", "add", ANA, "--role", "reviewer", "--password", PASSWORD)
    laptop, phone = _sign_in(url), _sign_in(url)
    assert _signed_in(url, laptop) and _signed_in(url, phone)
    answer = _run("members", "sign-out", "Ana@Example.org ")
    assert answer.exit_code == 0
    assert answer.output == f"{ANA}: 2 sessions ended.\n"
    assert not _signed_in(url, laptop)
    assert not _signed_in(url, phone)
    assert _run("members", "sign-out", ANA).output == f"{ANA}: 0 sessions ended.\n"


def test_remove_takes_the_member_off_and_ends_their_sessions(url: str) -> None:
    _run("init", "T")
    _run("members", "add", ANA, "--role", "reviewer", "--password", PASSWORD)
    token = _sign_in(url)
    answer = _run("members", "remove", ANA)
    assert answer.exit_code == 0
    assert answer.output == f"{ANA} is no longer a member of review 1.\n"
    assert ANA not in _run("members", "list").output
    assert not _signed_in(url, token)


def test_sign_out_of_someone_who_is_not_a_member_is_an_error(url: str) -> None:
    _run("init", "T")
    answer = _run("members", "sign-out", "nobody@example.org")
    assert answer.exit_code == 1
    assert "nobody@example.org" in answer.output
