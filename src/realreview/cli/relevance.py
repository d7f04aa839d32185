"""``realreview relevance``: each record's relevance score at a stage, on demand (issue #15)."""

from __future__ import annotations

from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import review_unit
from realreview.screening import Stage


def relevance(
    ctx: typer.Context,
    stage: Annotated[Stage, typer.Option(help="title_abstract or full_text.")] = Stage.TITLE_ABSTRACT,
    top: Annotated[int, typer.Option(help="How many records to list, best first.")] = 20,
) -> None:
    """Score the stage's records with a model trained on the team's completed outcomes; list the best."""
    with review_unit(ctx) as (session, review):
        found = services.relevance_scores(session, review, stage=stage)
    typer.echo(f"Learned from {found.included} included and {found.excluded} excluded completed records.")
    if not found.ready:
        typer.echo("No scores yet: the completed outcomes need an include and an exclude.")
        return
    best = sorted(found.scores.items(), key=lambda item: (-item[1], item[0]))[:top]
    for record_id, score in best:
        typer.echo(f"{record_id}\t{score:.3f}")


def register(app: typer.Typer) -> None:
    """Add ``relevance`` to the main app."""
    app.command("relevance")(relevance)
