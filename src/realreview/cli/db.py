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


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Find stored screening histories that cannot have happened (exit status 1 if there are any)."""
    state: CliContext = ctx.obj
    database = services.connect(state.settings.database_url)
    try:
        with database.unit_of_work() as session:
            problems = services.check_histories(session)
    finally:
        database.close()
    if not problems:
        typer.echo("No problems: every screening history replays through the state machine.")
        return
    for problem in problems:
        typer.echo(problem.describe())
    records = sorted({(p.review_id, p.record_id) for p in problems})
    typer.echo(
        f"{len(problems)} impossible events on {len(records)} records; the pages skip them. "
        "Records: " + ", ".join(f"review {r} record {i}" for r, i in records),
        err=True,
    )
    raise typer.Exit(code=1)
