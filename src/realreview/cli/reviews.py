"""``realreview init``, ``realreview review set`` and ``realreview reviews``."""

from __future__ import annotations

from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import review_unit, unit_of_work


def register(app: typer.Typer) -> None:
    """Add the review commands to ``app``."""
    app.command("init")(init)
    app.command("reviews")(list_reviews)
    review_app = typer.Typer(help="The review's own details.", no_args_is_help=True)
    review_app.command("set")(set_details)
    app.add_typer(review_app, name="review")


def init(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The review's title.")],
    question: Annotated[str | None, typer.Option(help="The review question.")] = None,
    protocol: Annotated[
        str | None, typer.Option(help="Protocol registration, e.g. PROSPERO CRD42023381062.")
    ] = None,
    funding: Annotated[str | None, typer.Option(help="Who funded the review.")] = None,
) -> None:
    """Create a review in the database (creating the database if needed)."""
    with unit_of_work(ctx) as (session, state):
        review = services.create_review(session, title=title, question=question, actor=state.settings.actor)
        if protocol or funding:
            owner = services.trusted_context(session, review_id=review.id, actor=state.settings.actor)
            services.set_review_details(session, owner, protocol=protocol, funding=funding)
    typer.echo(f"Created review {review.id}: {review.title}")


def set_details(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    protocol: Annotated[str | None, typer.Option(help='Protocol registration ("" clears it).')] = None,
    funding: Annotated[str | None, typer.Option(help='Who funded the review ("" clears it).')] = None,
) -> None:
    """Change the review's title, protocol registration or funding (only the options given)."""
    with review_unit(ctx) as (session, review):
        info = services.set_review_details(session, review, title=title, protocol=protocol, funding=funding)
    typer.echo(
        f"Review {info.id}: {info.title}; protocol: {info.protocol or '-'}; funding: {info.funding or '-'}"
    )


def list_reviews(ctx: typer.Context) -> None:
    """List the reviews in the database."""
    with unit_of_work(ctx) as (session, _state):
        found = services.list_reviews(session)
    for review in found:
        typer.echo(f"{review.id}\t{review.title}")
