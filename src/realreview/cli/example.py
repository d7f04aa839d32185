"""``realreview example load``: add the worked example (Johnson et al., BMJ Qual Saf 2025) to the database."""

from __future__ import annotations

import typer

from realreview.cli.context import unit_of_work
from realreview.fulltext import FileStore
from realreview.services.example import load_example

app = typer.Typer(
    help="The worked example: a published realist review, rebuilt in RealReview.", no_args_is_help=True
)


@app.command("load")
def load(ctx: typer.Context) -> None:
    """Add the worked example as a new review (any database; reviews already there are left alone); print its logins."""
    with unit_of_work(ctx) as (session, state):
        review_id, logins = load_example(
            session,
            actor=state.settings.actor,
            store=FileStore(state.settings.file_store_root()),
            max_bytes=state.settings.max_import_bytes,
        )
    typer.echo(
        f"Worked example loaded as review {review_id}: Johnson et al., BMJ Qual Saf 2025;34:537-546 (CC BY 4.0)."
    )
    for login in logins:
        password = (
            f"password: {login.password}" if login.password else "(existing account; password unchanged)"
        )
        typer.echo(f"  {login.role.value:9} {login.email}  {password}")
