"""The web app (FastAPI, Jinja2, htmx): thin routes over :mod:`realreview.services`."""

from realreview.web.app import create_app

__all__ = ["create_app"]
