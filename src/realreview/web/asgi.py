"""Entry point for uvicorn workers: ``uvicorn --factory realreview.web.asgi:build``.

Each worker builds its app from the environment (``REALREVIEW_DATABASE_URL``,
``REALREVIEW_SECRET_KEY``), which ``realreview serve`` sets before starting them.
"""

from __future__ import annotations

from fastapi import FastAPI

from realreview.settings import Settings
from realreview.web.app import create_app

__all__ = ["build"]


def build() -> FastAPI:
    """A new app from the environment's settings."""
    return create_app(Settings.from_env())
