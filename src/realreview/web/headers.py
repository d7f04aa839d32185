"""The security headers every response carries (issue #11).

The Content-Security-Policy allows scripts, styles and everything else from this origin only: no
inline ``<script>``, no ``on...=`` handlers, no ``style=""`` attributes and no ``eval`` (so htmx's
``hx-on`` and ``js:`` values cannot run either; base.html switches htmx's eval and its injected
indicator styles off). Dynamic styles go through ``static/page.js``. Images may also be ``data:``
URLs; nothing may frame the app, and forms post and ``<base>`` point only to this origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS"]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)

SECURITY_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
)
