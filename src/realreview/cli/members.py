"""``realreview members``: accounts and their role in the review."""

from __future__ import annotations

from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import review_unit, unit_of_work
from realreview.errors import ValidationError

app = typer.Typer(
    help="People in the review: add, remove or list members, set a password, sign a member out."
)


@app.command("add")
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The member's e-mail address (their sign-in name).")],
    role: Annotated[
        services.Role,
        typer.Option(
            help="owner, reviewer, viewer or panel (an expert or PPI panel: sees the review, never screening)."
        ),
    ] = services.Role.REVIEWER,
    name: Annotated[str | None, typer.Option(help="Name shown in the app.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="REALREVIEW_PASSWORD", help="Password for a new account (or env REALREVIEW_PASSWORD)."
        ),
    ] = None,
) -> None:
    """Give EMAIL a role in the review, creating the account if there is none."""
    with review_unit(ctx) as (session, review):
        created = False
        try:
            services.create_user(session, email=email, name=name, password=password, actor=review.actor)
            created = True
        except ValidationError as error:
            if "already an account" not in str(error):
                raise
        member = services.add_member(session, review, email=email, role=role)
    typer.echo(f"{member.user.email}: {member.role.value} of review {review.review_id}.")
    if created and not password:
        typer.echo(f"No password yet; set one with: realreview members password {member.user.email}")


@app.command("password")
def password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    new: Annotated[str, typer.Option("--password", prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Set the password EMAIL signs in with."""
    with unit_of_work(ctx) as (session, state):
        services.set_password(session, email=email, password=new, actor=state.settings.actor)
    typer.echo(f"Password set for {email.strip().lower()}.")


@app.command("list")
def list_members(ctx: typer.Context) -> None:
    """List the review's members and their roles."""
    with review_unit(ctx) as (session, review):
        members = services.members_of(session, review)
    for member in members:
        typer.echo(
            f"{member.role.value:9} {member.user.email}"
            + (f"  ({member.user.name})" if member.user.name else "")
        )
    if not members:
        typer.echo("No members yet; add one with: realreview members add EMAIL --role owner")


@app.command("sign-out")
def sign_out(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The member's e-mail address.")],
) -> None:
    """End every session of EMAIL, a member of the review (a lost laptop, a leaver)."""
    with review_unit(ctx) as (session, review):
        count = services.sign_out_everywhere(session, review, email=email)
    typer.echo(f"{email.strip().lower()}: {count} session{'s' if count != 1 else ''} ended.")


@app.command("remove")
def remove(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The member's e-mail address.")],
) -> None:
    """Take EMAIL off the review and end their sessions; their work stays."""
    with review_unit(ctx) as (session, review):
        services.remove_member(session, review, email=email)
    typer.echo(f"{email.strip().lower()} is no longer a member of review {review.review_id}.")
