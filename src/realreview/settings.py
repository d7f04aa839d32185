"""Run-time settings, read once from the environment (or given explicitly by tests and the CLI)."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass

from realreview.formats.text import DEFAULT_MAX_BYTES

__all__ = ["DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///realreview.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the database is, how large an import may be, and who is acting (for the audit log)."""

    database_url: str = DEFAULT_DATABASE_URL
    max_import_bytes: int = DEFAULT_MAX_BYTES
    actor: str = "unknown"
    #: Signs session cookies; every worker of one app must share it (``REALREVIEW_SECRET_KEY``).
    secret_key: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``REALREVIEW_DATABASE_URL``, ``_MAX_IMPORT_BYTES``, ``_USER`` and ``_SECRET_KEY``."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "database_url": env.get("REALREVIEW_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "max_import_bytes": int(env.get("REALREVIEW_MAX_IMPORT_BYTES") or DEFAULT_MAX_BYTES),
            "actor": env.get("REALREVIEW_USER") or _login_name(),
            "secret_key": env.get("REALREVIEW_SECRET_KEY") or None,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
