"""``realreview serve`` (the web app) and ``realreview demo`` (the demo review it serves)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import CliContext, fail, unit_of_work
from realreview.fulltext import FileStore
from realreview.services.demo import build_demo

TESTS_DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (they share the secret key).")] = 1,
) -> None:
    """Serve the web app for the database (--db or REALREVIEW_DATABASE_URL) at http://HOST:PORT."""
    import uvicorn

    state: CliContext = ctx.obj
    services.connect(state.settings.database_url).close()  # migrate once, before any worker starts
    os.environ["REALREVIEW_DATABASE_URL"] = state.settings.database_url
    os.environ.setdefault("REALREVIEW_SECRET_KEY", secrets.token_urlsafe(48))
    typer.echo(
        f"RealReview on http://{host}:{port} (database {state.settings.database_url}); Ctrl+C stops it."
    )
    # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default; the app reads it itself, and
    # only from REALREVIEW_TRUSTED_PROXIES (issue #11).
    uvicorn.run(
        "realreview.web.asgi:build",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )


def demo(
    ctx: typer.Context,
    data: Annotated[
        Path, typer.Option(help="Folder with the demo files (the repository's tests/data).")
    ] = TESTS_DATA,
) -> None:
    """Create the demo review (real records, three accounts, a screening setup, a coded full text); print the logins."""
    if not (data / "screening" / "nagtegaal_2019" / "Nagtegaal_2019.csv").is_file():
        raise fail(f"{data}: no screening/nagtegaal_2019/Nagtegaal_2019.csv here; give --data tests/data")
    with unit_of_work(ctx) as (session, state):
        review_id, logins = build_demo(
            session,
            data=data,
            max_bytes=state.settings.max_import_bytes,
            actor=state.settings.actor,
            store=FileStore(state.settings.file_store_root()),
        )
    typer.echo(f"Demo review {review_id} created. Sign in with one of:")
    for login in logins:
        typer.echo(f"  {login.role.value:9} {login.email}  password: {login.password}")


def register(parent: typer.Typer) -> None:
    """Add ``serve`` and ``demo`` to the main app."""
    parent.command("serve")(serve)
    parent.command("demo")(demo)
