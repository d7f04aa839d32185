"""Signed session cookies, CSRF tokens, and the client address a request came from.

The session cookie is signed with the app's secret (itsdangerous) and holds two random values: the
id of a server-side session (:mod:`realreview.services.sessions`, where only its hash is stored)
and the CSRF token. Who is signed in is looked up from the id on every request, so logout, a
password change or an owner's sign-out ends the cookie's power at once. The cookie is HttpOnly,
SameSite=Lax, and Secure whenever the request came over https. Every state-changing request must
echo the CSRF token, as a form field (``csrf_token``) or, from htmx, as the ``X-CSRF-Token`` header.

Login attempts are throttled in the database (:mod:`realreview.services.logins`) by account and by
client address; the address is the TCP peer, unless that peer is a proxy named in
``REALREVIEW_TRUSTED_PROXIES`` (:func:`client_address`).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

__all__ = ["COOKIE", "SessionData", "SessionSigner", "client_address", "new_token", "tokens_match"]

COOKIE = "realreview_session"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class SessionData:
    """What one request knows of its session: the signed-in address (looked up), the cookie's two ids."""

    email: str | None
    csrf: str
    #: The server-side session's random id (``None``: not signed in).
    sid: str | None = None


def new_token() -> str:
    """A fresh random token (a CSRF token, a session id)."""
    return secrets.token_urlsafe(32)


class SessionSigner:
    """Sign and read session cookies with the app's secret."""

    def __init__(self, secret: str, *, max_age: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="realreview-session")
        self.max_age = max_age

    def dumps(self, data: SessionData) -> str:
        """The cookie value for ``data`` (the e-mail address is not in it: the server looks it up)."""
        return self._serializer.dumps({"sid": data.sid, "csrf": data.csrf})

    def loads(self, value: str | None) -> SessionData:
        """The cookie's ids, not yet checked against the database; a fresh anonymous one when forged or stale."""
        if value:
            try:
                raw = self._serializer.loads(value, max_age=self.max_age)
                sid = raw.get("sid")
                return SessionData(
                    email=None, csrf=str(raw["csrf"]), sid=sid if isinstance(sid, str) else None
                )
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return SessionData(email=None, csrf=new_token())


def tokens_match(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token with the one the request sent."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """``REALREVIEW_TRUSTED_PROXIES`` entries (addresses or CIDRs) as networks; a bad one is refused."""
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as error:
        raise ValueError(f"REALREVIEW_TRUSTED_PROXIES: {error}") from None


def client_address(peer: str | None, forwarded_for: str | None, *, trusted: tuple[Network, ...]) -> str:
    """The address a request came from, for the login throttle.

    ``X-Forwarded-For`` is read only when the TCP peer is a trusted proxy, and then from the right:
    each hop a trusted proxy added is skipped, and the first address no trusted proxy vouches for
    is the client (the left part is whatever the client chose to send). With no trusted proxies,
    the default, the header is ignored, so nobody can pose as another address by sending one.

    >>> nets = trusted_networks(["10.0.0.0/8"])
    >>> client_address("10.0.0.2", "6.6.6.6, 203.0.113.9", trusted=nets)
    '203.0.113.9'
    >>> client_address("198.51.100.7", "203.0.113.9", trusted=nets)
    '198.51.100.7'
    """
    address = peer or "-"
    if not forwarded_for or not _is_trusted(address, trusted):
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if not _is_trusted(hop, trusted):
            return hop if _parse(hop) else address
        address = hop
    return address


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(text: str, trusted: tuple[Network, ...]) -> bool:
    ip = _parse(text)
    return ip is not None and any(ip in network for network in trusted)
