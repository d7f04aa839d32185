"""``realreview db upgrade|current|history``: Alembic, wrapped."""

from __future__ import annotations

from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import CliContext, fail
from realreview.errors import ReviewError

app = typer.Typer(help="Database schema migrations (Alembic).", no_args_is_help=True)


def _url(ctx: typer.Context) -> str:
    state: CliContext = ctx.obj
    return state.settings.database_url


@app.command("upgrade")
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Bring the database schema up to date (RealReview also does this on first use)."""
    try:
        before, after = services.upgrade_schema(_url(ctx), revision)
    except ReviewError as error:
        raise fail(str(error)) from None
    typer.echo(f"Schema at {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@app.command("current")
def current(ctx: typer.Context) -> None:
    """Show the database's schema revision and the newest one available."""
    now, head = services.current_revision(_url(ctx))
    typer.echo(f"current: {now or 'empty'}; newest: {head}")


@app.command("history")
def history(ctx: typer.Context) -> None:
    """List the schema migrations this version ships."""
    for revision, description in services.migration_history(_url(ctx)):
        typer.echo(f"{revision}  {description}")
