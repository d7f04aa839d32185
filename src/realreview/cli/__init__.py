"""The ``realreview`` command line: thin commands over :mod:`realreview.services`.

Global options choose the database (``--db`` or ``REALREVIEW_DATABASE_URL``, default
``sqlite:///realreview.db``) and the review (``--review``; optional while the database holds one).

No traceback reaches the user: a :class:`~realreview.errors.ReviewError` is printed as its one-line
message, and any other exception as one line naming it (exit status 1 either way); set
``REALREVIEW_TRACEBACK=1`` to let the traceback through when reporting a bug.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from realreview.cli import (
    archive,
    characteristics,
    codes,
    db,
    dedup,
    documents,
    example,
    feedback,
    figures,
    imports,
    members,
    memos,
    qdpx,
    rameses,
    records,
    relevance,
    reports,
    reviews,
    screening,
    searches,
    serve,
    simulate,
    synthesis,
    theory,
    worker,
)
from realreview.cli.context import CliContext, fail
from realreview.errors import ReviewError
from realreview.settings import Settings

__all__ = ["TRACEBACK_VARIABLE", "app"]

#: Set this environment variable (to anything but empty) to see the traceback of an unexpected error.
TRACEBACK_VARIABLE = "REALREVIEW_TRACEBACK"


class _OneLineErrors(TyperGroup):
    """The top-level group: whatever a command raises ends as one line on stderr and exit status 1."""

    def invoke(self, ctx: Any) -> Any:  # a click context (Typer vendors click privately)
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except ReviewError as error:
            raise fail(str(error)) from None
        except Exception as error:
            if os.environ.get(TRACEBACK_VARIABLE):
                raise
            lines = str(error).strip().splitlines()
            detail = f": {lines[0][:200]}" if lines else ""
            raise fail(
                f"unexpected {type(error).__name__}{detail} "
                f"(a bug; set {TRACEBACK_VARIABLE}=1 to see the traceback)"
            ) from None


app = typer.Typer(
    name="realreview",
    help="RealReview: carry a realist or systematic review from database exports to a programme theory.",
    no_args_is_help=True,
    add_completion=False,
    cls=_OneLineErrors,
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
app.add_typer(example.app, name="example")
synthesis.register(app)
theory.register(app)
feedback.register(app)
reports.register(app)
archive.register(app)
figures.register(app)
rameses.register(app)
worker.register(app)
simulate.register(app)
relevance.register(app)
