"""The browser tests use the web tests' review (one review, real records, four members)."""

from tests.web.conftest import app_url  # noqa: F401
