"""Signed session cookies, CSRF tokens and login rate limiting.

The session is a cookie signed with the app's secret (itsdangerous): it holds the signed-in e-mail
address and a random CSRF token, nothing else. It is HttpOnly, SameSite=Lax, and Secure whenever the
request came over https. Every state-changing request must echo the CSRF token, as a form field
(``csrf_token``) or, from htmx, as the ``X-CSRF-Token`` header.

Login attempts are counted per e-mail address and per client address in a sliding window; the
counter lives in the process, so with several workers each worker limits on its own (a shared
limiter belongs in the database or a cache, when a team deployment needs it).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

__all__ = ["LoginLimiter", "SessionData", "SessionSigner", "tokens_match"]

COOKIE = "realreview_session"
MAX_AGE = 14 * 24 * 3600


@dataclass(frozen=True, slots=True)
class SessionData:
    """What the session cookie carries."""

    email: str | None
    csrf: str


class SessionSigner:
    """Sign and read session cookies with the app's secret."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="realreview-session")

    def dumps(self, data: SessionData) -> str:
        """The cookie value for ``data``."""
        return self._serializer.dumps({"email": data.email, "csrf": data.csrf})

    def loads(self, value: str | None) -> SessionData:
        """The session in a cookie value; a fresh anonymous session when it is missing, forged or stale."""
        if value:
            try:
                raw = self._serializer.loads(value, max_age=MAX_AGE)
                return SessionData(email=raw.get("email"), csrf=str(raw["csrf"]))
            except (BadSignature, KeyError, TypeError):
                pass
        return SessionData(email=None, csrf=secrets.token_urlsafe(32))


def tokens_match(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token with the one the request sent."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


class LoginLimiter:
    """At most ``attempts`` failed logins per key in ``window`` seconds."""

    def __init__(self, *, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` (e-mail, client address) has used up its attempts."""
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= self.attempts for key in keys)

    def failed(self, *keys: str) -> None:
        """Count a failed attempt against each key."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of a key that has signed in."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures
