"""``realreview comment``, ``comments`` and ``engagement``: stakeholder feedback on the synthesis."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import review_unit

comment_app = typer.Typer(help="Comments on CMOCs and versions (panel members and reviewers), threaded.")
engagement_app = typer.Typer(help="The engagement log: meetings with the expert panel or the PPI group.")


@comment_app.command("add")
def comment_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What you have to say.")],
    cmoc: Annotated[str | None, typer.Option("--cmoc", help="The CMOC commented on.")] = None,
    version: Annotated[str | None, typer.Option("--version", help="The version commented on.")] = None,
    reply_to: Annotated[int | None, typer.Option("--reply-to", help="Comment id answered.")] = None,
) -> None:
    """Comment on a CMOC or a version, or reply to a comment."""
    with review_unit(ctx) as (session, review):
        made = services.add_comment(session, review, body=text, cmoc=cmoc, version=version, reply_to=reply_to)
    typer.echo(
        f"Comment {made.id} on {'CMOC ' + made.cmoc if made.cmoc else 'version ' + str(made.version)}."
    )


@comment_app.command("addressed")
def comment_addressed(
    ctx: typer.Context,
    comment: Annotated[int, typer.Argument(help="Comment id.")],
    version: Annotated[str, typer.Option("--version", help="The version that addressed it.")],
) -> None:
    """Mark a comment addressed by a version."""
    with review_unit(ctx) as (session, review):
        services.mark_addressed(session, review, comment_id=comment, version=version)
    typer.echo(f"Comment {comment} addressed in version {version}.")


def comments(
    ctx: typer.Context,
    cmoc: Annotated[str | None, typer.Option("--cmoc", help="Only the comments on this CMOC.")] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Only the comments on this version.")
    ] = None,
) -> None:
    """Comment threads on the synthesis, oldest first."""
    with review_unit(ctx) as (session, review):
        threads = services.comments_on(session, review, cmoc=cmoc, version=version)
    for thread in threads:
        target = f"CMOC {thread.cmoc}" if thread.cmoc else f"version {thread.version}"
        done = f" [addressed in {thread.addressed_in}]" if thread.addressed_in else ""
        typer.echo(
            f"{thread.id}\t{target}\t{thread.author}\t{thread.created_at:%Y-%m-%d}\t{thread.body}{done}"
        )
        for reply in thread.replies:
            typer.echo(f"  {reply.id}\t{reply.author}\t{reply.created_at:%Y-%m-%d}\t{reply.body}")


@engagement_app.command("add")
def engagement_add(
    ctx: typer.Context,
    date: Annotated[str, typer.Option("--date", help="The meeting's date, YYYY-MM-DD.")],
    group: Annotated[str, typer.Option("--group", help="Who met: expert panel, PPI group...")],
    attendees: Annotated[str, typer.Option("--attendees")] = "",
    notes: Annotated[str, typer.Option("--notes")] = "",
    cmoc: Annotated[list[str] | None, typer.Option("--cmoc", help="A CMOC discussed (repeat).")] = None,
) -> None:
    """Log a meeting with a stakeholder group."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise typer.BadParameter(f"{date!r} is not a date as YYYY-MM-DD", param_hint="--date") from None
    with review_unit(ctx) as (session, review):
        made = services.log_engagement(
            session, review, held_on=day, group=group, attendees=attendees, notes=notes, cmocs=cmoc or []
        )
    typer.echo(f"Meeting {made.id}: {made.held_on} {made.group} ({len(made.cmocs)} CMOCs discussed).")


@engagement_app.command("list")
def engagement_list(ctx: typer.Context) -> None:
    """The engagement log, newest meeting first."""
    with review_unit(ctx) as (session, review):
        found = services.engagements(session, review)
    for item in found:
        typer.echo(f"{item.held_on}\t{item.group}\t{item.attendees}\t{', '.join(item.cmocs)}\t{item.notes}")


def register(app: typer.Typer) -> None:
    """Add ``comment``, ``comments`` and ``engagement`` to the main app."""
    app.command("comments")(comments)
    app.add_typer(comment_app, name="comment")
    app.add_typer(engagement_app, name="engagement")
