"""``realreview prisma`` and ``prisma-enter``: the PRISMA 2020 flow of the review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit, write_output
from realreview.reporting import BOX_LABELS

FORMATS = services.PRISMA_FORMATS


def prisma(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print every box's count as JSON.")] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="svg, png or pdf (the figure), or csv (the PRISMA2020 package's input)."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (with --format).")] = None,
) -> None:
    """The PRISMA 2020 flow: every box counted from the review, entered counts marked, the sums checked."""
    if fmt is not None and fmt not in FORMATS:
        raise fail(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt is not None and out is None:
        raise fail("--format needs --out FILE")
    with review_unit(ctx) as (session, review):
        report = services.prisma_report(session, review)
        body = services.prisma_output(session, review, fmt=fmt) if fmt is not None else None
    flow = report.flow
    if body is not None and out is not None:
        write_output(out, body)
    if as_json:
        data = {
            **flow.counts(),
            "problems": [str(problem) for problem in report.problems],
            "title_abstract_pending": report.title_abstract_pending,
            "full_text_pending": report.full_text_pending,
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if fmt is not None:
        return
    counts = flow.counts()
    for box, label in BOX_LABELS.items():
        value = counts.get(box)
        unused = (box.startswith(("previous", "total")) and not flow.updated) or (
            box.startswith(("other_", "website", "organisation", "citations")) and not flow.other_methods
        )
        if value is None or unused:
            continue
        mark = " (entered)" if box in flow.entered else ""
        if isinstance(value, list):
            value = "; ".join(f"{name}, {n}" for name, n in value) or "0"
        typer.echo(f"{label}: {value}{mark}")
    for name, n in flow.database_specific_results:
        mark = " (entered)" if f"database_specific_results:{name}" in flow.entered else ""
        typer.echo(f"  {name}: {n}{mark}")
    if report.title_abstract_pending or report.full_text_pending:
        typer.echo(
            f"Still being screened: {report.title_abstract_pending} at title/abstract, "
            f"{report.full_text_pending} at full text."
        )
    for problem in report.problems:
        typer.echo(f"Does not add up: {problem}")


def prisma_enter(
    ctx: typer.Context,
    box: Annotated[str, typer.Argument(help="The box's PRISMA2020 key, e.g. duplicates, dbr_excluded.")],
    value: Annotated[
        str | None, typer.Argument(help="A number, or 'Name, n; Name, n' for a box of named counts.")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Where the count comes from.")] = "",
    clear: Annotated[bool, typer.Option("--clear", help="Go back to the counted value.")] = False,
) -> None:
    """Enter a count from outside the tool (a database searched but not imported); it is marked as entered."""
    with review_unit(ctx) as (session, review):
        if clear:
            services.clear_prisma_count(session, review, box=box)
        elif value is None:
            raise fail("give the count, or --clear")
        else:
            services.enter_prisma_count(session, review, box=box, value=value, note=note)
    typer.echo(f"{box}: {'counted from the review' if clear else f'{value} (entered)'}")


def register(app: typer.Typer) -> None:
    """Add ``prisma`` and ``prisma-enter`` to the main app."""
    app.command("prisma")(prisma)
    app.command("prisma-enter")(prisma_enter)
