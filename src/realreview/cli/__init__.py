"""The ``realreview`` command line: thin commands over :mod:`realreview.services`.

Global options choose the database (``--db`` or ``REALREVIEW_DATABASE_URL``, default
``sqlite:///realreview.db``) and the review (``--review``; optional while the database holds one).
"""

from __future__ import annotations

from typing import Annotated

import typer

from realreview.cli import (
    characteristics,
    codes,
    db,
    dedup,
    documents,
    imports,
    members,
    memos,
    qdpx,
    records,
    reviews,
    screening,
    searches,
    serve,
)
from realreview.cli.context import CliContext
from realreview.settings import Settings

__all__ = ["app"]

app = typer.Typer(
    name="realreview",
    help="RealReview: carry a realist or systematic review from database exports to a programme theory.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLAlchemy database URL (env REALREVIEW_DATABASE_URL; default sqlite:///realreview.db).",
        ),
    ] = None,
    review: Annotated[
        int | None,
        typer.Option(
            "--review", envvar="REALREVIEW_REVIEW", help="Review id (needed when the database holds several)."
        ),
    ] = None,
) -> None:
    """Choose the database and review every command works on."""
    ctx.obj = CliContext(settings=Settings.from_env(database_url=database_url), review_id=review)


reviews.register(app)
searches.register(app)
imports.register(app)
records.register(app)
app.add_typer(dedup.app, name="dedup")
app.add_typer(members.app, name="members")
screening.register(app)
serve.register(app)
app.add_typer(documents.app, name="documents")
app.add_typer(codes.app, name="codes")
app.add_typer(codes.excerpts_app, name="excerpts")
app.add_typer(memos.app, name="memos")
app.add_typer(memos.appraisals_app, name="appraisals")
app.add_typer(qdpx.app, name="qdpx")
app.add_typer(characteristics.app, name="characteristics")
app.add_typer(db.app, name="db")
