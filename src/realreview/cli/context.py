"""What every command shares: settings, the chosen review, and one unit of work per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer

from realreview import services
from realreview.errors import ReviewError
from realreview.settings import Settings

__all__ = ["CliContext", "fail", "read_utf8", "review_unit", "unit_of_work"]


def fail(message: str) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the exit (status 1) for the caller to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=1)


def write_output(out: Path, content: str | bytes) -> None:
    """Write a download to ``out`` (text as UTF-8) and say so; an unwritable path is one line naming it."""
    try:
        if isinstance(content, bytes):
            out.write_bytes(content)
        else:
            out.write_text(content, encoding="utf-8")
    except OSError as error:
        raise fail(f"{out}: {error.strerror or error}") from None
    typer.echo(f"Wrote {out}")


def read_utf8(path: Path) -> str:
    """The UTF-8 text of ``path`` (a BOM dropped); an unreadable file or bad byte is one line naming it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise fail(f"{path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 1].hex()
        raise fail(
            f"{path}: line {line}: not valid UTF-8 text (byte 0x{bad}); save the file as UTF-8"
        ) from None


@dataclass(frozen=True, slots=True)
class CliContext:
    """The global options, resolved once per invocation."""

    settings: Settings
    review_id: int | None


@contextmanager
def unit_of_work(ctx: typer.Context) -> Iterator[tuple[services.Session, CliContext]]:
    """Open the database, run the command's service call in one transaction, map errors to one line.

    A :class:`ReviewError` rolls the transaction back and exits with status 1 and its message.
    """
    state: CliContext = ctx.obj
    database = None
    try:
        database = services.connect(state.settings.database_url)
        with database.unit_of_work(write=True) as session:
            yield session, state
    except ReviewError as error:
        raise fail(str(error)) from None
    finally:
        if database is not None:
            database.close()


@contextmanager
def review_unit(ctx: typer.Context) -> Iterator[tuple[services.Session, services.ReviewContext]]:
    """A unit of work on the chosen review, acting as its owner: whoever holds the database is trusted."""
    with unit_of_work(ctx) as (session, state):
        yield (
            session,
            services.trusted_context(session, review_id=state.review_id, actor=state.settings.actor),
        )
