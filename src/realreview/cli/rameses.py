"""``realreview rameses`` and ``rameses-enter``: the RAMESES checklist of the review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit, write_output

FORMATS = services.RAMESES_FORMATS


def rameses(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="md (Markdown) or docx (Word; needs --out).")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="File to write instead of printing.")] = None,
) -> None:
    """The RAMESES checklist: per item, what the review's data provide and what the authors must write."""
    if fmt not in FORMATS:
        raise fail(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "docx" and out is None:
        raise fail("--format docx needs --out FILE")
    with review_unit(ctx) as (session, review):
        body = services.rameses_output(session, review, fmt=fmt)
    if out is not None:
        write_output(out, body)
    else:
        typer.echo(body, nl=False)


def rameses_enter(
    ctx: typer.Context,
    item: Annotated[int, typer.Argument(help="The item's number, 1 to 19.")],
    location: Annotated[
        str, typer.Option("--location", help="Where the manuscript reports it, e.g. 'Methods, p. 6'.")
    ] = "",
    note: Annotated[str, typer.Option("--note", help="A note on the item (why it does not apply).")] = "",
    clear: Annotated[bool, typer.Option("--clear", help="Remove the item's entry.")] = False,
) -> None:
    """Record where the manuscript reports a RAMESES item, with a note; --clear removes the entry."""
    with review_unit(ctx) as (session, review):
        if clear:
            services.clear_checklist_item(session, review, item=item)
        else:
            services.enter_checklist_item(session, review, item=item, location=location, note=note)
    typer.echo(f"RAMESES item {item}: {'cleared' if clear else location or 'note entered'}")


def register(app: typer.Typer) -> None:
    """Add ``rameses`` and ``rameses-enter`` to the main app."""
    app.command("rameses")(rameses)
    app.command("rameses-enter")(rameses_enter)
