"""``realreview init`` and ``realreview reviews``."""

from __future__ import annotations

from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import unit_of_work


def register(app: typer.Typer) -> None:
    """Add the review commands to ``app``."""
    app.command("init")(init)
    app.command("reviews")(list_reviews)


def init(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The review's title.")],
    question: Annotated[str | None, typer.Option(help="The review question.")] = None,
) -> None:
    """Create a review in the database (creating the database if needed)."""
    with unit_of_work(ctx) as (session, state):
        review = services.create_review(session, title=title, question=question, actor=state.settings.actor)
    typer.echo(f"Created review {review.id}: {review.title}")


def list_reviews(ctx: typer.Context) -> None:
    """List the reviews in the database."""
    with unit_of_work(ctx) as (session, _state):
        found = services.list_reviews(session)
    for review in found:
        typer.echo(f"{review.id}\t{review.title}")
