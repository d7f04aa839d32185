"""``realreview search add`` and ``realreview searches``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from realreview import services
from realreview.cli.context import fail, read_utf8, review_unit, write_output
from realreview.records import remove_control_characters

search_app = typer.Typer(help="Log the database searches of the review.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the search commands to ``app``."""
    app.add_typer(search_app, name="search")
    app.command("searches")(list_searches)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date as YYYY-MM-DD", param_hint="--date") from None


@search_app.command("add")
def add(
    ctx: typer.Context,
    database: Annotated[str, typer.Option(help="Database searched, e.g. MEDLINE, Embase, CINAHL.")],
    platform: Annotated[str | None, typer.Option(help="Interface, e.g. Ovid, EBSCOhost, PubMed.")] = None,
    date: Annotated[str | None, typer.Option(help="Date the search was run (YYYY-MM-DD).")] = None,
    query_file: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, readable=True, help="File holding the full query."),
    ] = None,
    query: Annotated[
        str | None, typer.Option(help="The query text itself (instead of --query-file).")
    ] = None,
    hits: Annotated[int | None, typer.Option(help="Number of records the database reported.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="PRISMA source: database or register, or website, organisation or citation (other "
            "methods). Default: register when the name says so, else database."
        ),
    ] = None,
) -> None:
    """Log one database search: database, platform, date, query and reported hits."""
    text = read_utf8(query_file) if query_file else query
    removed = remove_control_characters(text)[1] if text else ""
    if removed:
        typer.echo(f"Note: removed control character(s) {removed} from the query", err=True)
    with review_unit(ctx) as (session, review):
        search = services.add_search(
            session,
            review,
            database=database,
            platform=platform,
            date_run=_parse_date(date),
            query=text,
            reported_hits=hits,
            kind=kind,
        )
    typer.echo(
        f"Logged search {search.id}: {search.database}"
        + (f" via {search.platform}" if search.platform else "")
        + (f" ({search.kind})" if search.kind != "database" else "")
    )


def list_searches(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, xlsx or docx: the search strategy appendix, to --out."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="File for the appendix.")] = None,
) -> None:
    """Per search (database): hits the database reported vs records imported; or the search strategy appendix."""
    if fmt is not None:
        if out is None:
            raise fail("--format needs --out FILE")
        with review_unit(ctx) as (session, review):
            body = services.search_appendix(session, review, fmt=fmt)
        write_output(out, body)
        return
    with review_unit(ctx) as (session, review):
        rows = services.summarise_searches(session, review)
    table = Table("ID", "Database", "Platform", "Date", "Reported", "Imported", "Difference", "Files")
    for row in rows:
        table.add_row(
            str(row.id),
            row.database if row.kind == "database" else f"{row.database} ({row.kind})",
            row.platform or "",
            row.date_run.isoformat() if row.date_run else "",
            _number(row.reported_hits),
            str(row.imported),
            _signed(row.difference),
            ", ".join(row.files),
        )
    reported = [row.reported_hits for row in rows if row.reported_hits is not None]
    table.add_row(
        "",
        "Total",
        "",
        "",
        _number(sum(reported)) if reported else "",
        str(sum(row.imported for row in rows)),
        "",
        "",
        style="bold",
    )
    Console(width=160).print(table)


def _number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _signed(value: int | None) -> str:
    return "" if value is None else f"{value:+,}" if value else "0"
