"""Run-time settings, read once from the environment (or given explicitly by tests and the CLI)."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from realreview.coding.qdpx_limits import QdaLimits
from realreview.formats.text import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_CHARS
from realreview.fulltext.sandbox import ParseLimits

__all__ = ["DEFAULT_DATABASE_URL", "DEFAULT_MAX_DOCUMENT_BYTES", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///realreview.db"
#: Largest full text (PDF or text file) accepted: 100 MiB (``REALREVIEW_MAX_DOCUMENT_BYTES``).
DEFAULT_MAX_DOCUMENT_BYTES = 100 * 2**20


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the database is, how large an import may be, and who is acting (for the audit log)."""

    database_url: str = DEFAULT_DATABASE_URL
    max_import_bytes: int = DEFAULT_MAX_BYTES
    #: Longest line of a line-based export (``REALREVIEW_MAX_LINE_CHARS``).
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS
    actor: str = "unknown"
    #: Signs session cookies; every worker of one app must share it (``REALREVIEW_SECRET_KEY``).
    secret_key: str | None = None
    #: Where full texts are kept, by SHA-256 (``REALREVIEW_FILES_DIR``); beside a SQLite file by default.
    files_dir: str | None = None
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    #: What reading one uploaded PDF or XLSX may cost (``REALREVIEW_PARSE_MEMORY_MB`` and the others).
    parse_limits: ParseLimits = field(default_factory=ParseLimits)
    #: What one REFI-QDA file may unpack to and nest (``REALREVIEW_MAX_QDPX_BYTES`` and the others).
    qda_limits: QdaLimits = field(default_factory=QdaLimits)
    #: A session unused this long ends (``REALREVIEW_SESSION_IDLE_MINUTES``): 12 hours.
    session_idle_minutes: int = 12 * 60
    #: A session ends this long after sign-in however busy (``REALREVIEW_SESSION_MAX_DAYS``).
    session_max_days: int = 7
    #: Proxies whose ``X-Forwarded-For`` is believed (``REALREVIEW_TRUSTED_PROXIES``: addresses or CIDRs).
    trusted_proxies: tuple[str, ...] = ()
    #: Threads each app process runs jobs on (imports, dedup); 0 when ``realreview worker`` runs them
    #: apart (``REALREVIEW_JOB_THREADS``).
    job_threads: int = 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``REALREVIEW_DATABASE_URL``, ``_MAX_IMPORT_BYTES``, ``_USER``, ``_SECRET_KEY``, ``_FILES_DIR``.

        Also ``REALREVIEW_MAX_DOCUMENT_BYTES``.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "database_url": env.get("REALREVIEW_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "max_import_bytes": int(env.get("REALREVIEW_MAX_IMPORT_BYTES") or DEFAULT_MAX_BYTES),
            "max_line_chars": int(env.get("REALREVIEW_MAX_LINE_CHARS") or DEFAULT_MAX_LINE_CHARS),
            "actor": env.get("REALREVIEW_USER") or _login_name(),
            "secret_key": env.get("REALREVIEW_SECRET_KEY") or None,
            "files_dir": env.get("REALREVIEW_FILES_DIR") or None,
            "max_document_bytes": int(env.get("REALREVIEW_MAX_DOCUMENT_BYTES") or DEFAULT_MAX_DOCUMENT_BYTES),
            "parse_limits": ParseLimits.from_env(env),
            "qda_limits": QdaLimits.from_env(env),
            "session_idle_minutes": int(env.get("REALREVIEW_SESSION_IDLE_MINUTES") or 12 * 60),
            "session_max_days": int(env.get("REALREVIEW_SESSION_MAX_DAYS") or 7),
            "job_threads": int(env.get("REALREVIEW_JOB_THREADS") or 1),
            "trusted_proxies": tuple(
                part.strip() for part in env.get("REALREVIEW_TRUSTED_PROXIES", "").split(",") if part.strip()
            ),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]

    def file_store_root(self) -> str:
        """The folder of the full-text store: ``files_dir``, else ``<database file>.files`` beside SQLite.

        A server database (PostgreSQL) without ``REALREVIEW_FILES_DIR`` keeps them in
        ``./realreview-files``.

        >>> Settings(database_url="sqlite:///demo/review.db").file_store_root()
        'demo/review.db.files'
        >>> Settings(database_url="postgresql://h/db").file_store_root()
        'realreview-files'
        """
        if self.files_dir:
            return self.files_dir
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != prefix + ":memory:":
            return self.database_url[len(prefix) :] + ".files"
        return "realreview-files"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
