"""What every command shares: settings, the chosen review, and one unit of work per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import typer
from sqlalchemy.orm import Session

from realreview import services
from realreview.errors import ReviewError
from realreview.settings import Settings

__all__ = ["CliContext", "fail", "unit_of_work"]


def fail(message: str) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the exit (status 1) for the caller to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=1)


@dataclass(frozen=True, slots=True)
class CliContext:
    """The global options, resolved once per invocation."""

    settings: Settings
    review_id: int | None


@contextmanager
def unit_of_work(ctx: typer.Context) -> Iterator[tuple[Session, CliContext]]:
    """Open the database, run the command's service call in one transaction, map errors to one line.

    A :class:`ReviewError` rolls the transaction back and exits with status 1 and its message.
    """
    state: CliContext = ctx.obj
    try:
        factory = services.connect(state.settings.database_url)
        with services.transaction(factory) as session:
            yield session, state
    except ReviewError as error:
        raise fail(str(error)) from None
