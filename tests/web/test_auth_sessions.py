"""Revocable server-side sessions and the database's login throttles (issue #11)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from tests.web.conftest import ANA, BEN, OWNER, PASSWORD, csrf, login

from realreview import services
from realreview.storage.audit import recording
from realreview.storage.models import LoginThrottleRow, SessionRow
from realreview.web.security import client_address, trusted_networks


def _replay(client_for, cookies):  # type: ignore[no-untyped-def]
    other = client_for()
    other.cookies.update(cookies)
    return other


def _age(app_url: str, **values: object) -> None:
    database = services.connect(app_url)
    with database.unit_of_work() as session, recording(session):
        if values:
            session.execute(update(SessionRow).values(**values))
        session.execute(update(LoginThrottleRow).values(blocked_until=None))
    database.close()


def test_logout_ends_the_session_even_for_a_saved_cookie(client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for(ANA)
    saved = dict(ana.cookies)
    assert _replay(client_for, saved).get("/reviews/1").status_code == 200
    ana.post("/logout", data={"csrf_token": csrf(ana, "/reviews/1")})
    thief = _replay(client_for, saved)
    assert thief.get("/reviews/1", follow_redirects=False).status_code == 303
    token = csrf(thief, "/login")
    answer = thief.post(
        "/reviews/1/screen/title_abstract/1",
        data={"event": "include", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_a_password_change_ends_every_session_of_the_account(client_for, app_url: str) -> None:  # type: ignore[no-untyped-def]
    first, second, ben = client_for(ANA), client_for(ANA), client_for(BEN)
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        services.set_password(session, email=ANA, password="a new password", actor="tester")
    database.close()
    assert first.get("/reviews/1", follow_redirects=False).status_code == 303
    assert second.get("/reviews/1", follow_redirects=False).status_code == 303
    assert ben.get("/reviews/1").status_code == 200


def test_an_owner_signs_a_member_out_everywhere(client_for) -> None:  # type: ignore[no-untyped-def]
    ana, owner = client_for(ANA), client_for(OWNER)
    refused = ana.post(
        "/reviews/1/members/sign-out", data={"email": OWNER, "csrf_token": csrf(ana, "/reviews/1")}
    )
    assert refused.status_code == 403
    answer = owner.post(
        "/reviews/1/members/sign-out",
        data={"email": ANA, "csrf_token": csrf(owner, "/reviews/1")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert ana.get("/reviews/1", follow_redirects=False).status_code == 303
    assert owner.get("/reviews/1").status_code == 200


def test_removing_a_member_ends_their_sessions(client_for, app_url: str) -> None:  # type: ignore[no-untyped-def]
    ben = client_for(BEN)
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        services.remove_member(session, services.trusted_context(session, review_id=1, actor="t"), email=BEN)
    database.close()
    assert ben.get("/", follow_redirects=False).status_code == 303


def test_an_idle_session_ends(client_for, app_url: str) -> None:  # type: ignore[no-untyped-def]
    ana = client_for(ANA)
    _age(app_url, last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=11))
    assert ana.get("/reviews/1").status_code == 200  # touched now
    _age(app_url, last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=13))
    assert ana.get("/reviews/1", follow_redirects=False).status_code == 303


def _fail(client, email: str = ANA, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/login", data={"email": email, "password": "wrong one", "csrf_token": csrf(client)}, headers=headers
    )


def test_the_count_is_shared_by_two_workers(client_for) -> None:  # type: ignore[no-untyped-def]
    one, two = client_for(), client_for()  # two apps, two engines, one database
    for client in (one, two, one, two, one):
        assert _fail(client).status_code == 401
    assert _fail(two).status_code == 429


def test_an_attacker_cannot_lock_the_owner_out_for_long(client_for, app_url: str) -> None:  # type: ignore[no-untyped-def]
    attacker = client_for()
    for _ in range(5):
        _fail(attacker)
    for _ in range(3):
        assert _fail(attacker).status_code == 429
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        rows = {row.key: row for row in session.query(LoginThrottleRow)}
    database.close()
    now = dt.datetime.now(dt.UTC)
    account = rows[f"account:{ANA}"].blocked_until
    assert account is not None
    assert (account.replace(tzinfo=dt.UTC) - now) <= dt.timedelta(seconds=30)
    assert rows["client:testclient"].failures == 5  # refused tries add nothing
    # Once the account's short wait has passed, the right password from another client works.
    _age(app_url)
    login(client_for(), ANA, PASSWORD)


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(client_for) -> None:  # type: ignore[no-untyped-def]
    plain = client_for()
    for number in range(5):
        _fail(plain, BEN, **{"X-Forwarded-For": f"203.0.113.{number}"})
    assert _fail(plain, BEN, **{"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    nets = trusted_networks(["10.0.0.0/8", "::1"])
    assert client_address("127.0.0.1", "203.0.113.9", trusted=()) == "127.0.0.1"
    assert client_address("10.1.2.3", "203.0.113.9, 10.0.0.5", trusted=nets) == "203.0.113.9"
    assert client_address("10.1.2.3", "not an ip", trusted=nets) == "10.1.2.3"
    assert client_address("192.0.2.1", "203.0.113.9", trusted=nets) == "192.0.2.1"
