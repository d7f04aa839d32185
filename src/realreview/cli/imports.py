"""``realreview import FILE``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from realreview import services
from realreview.cli.context import CliContext, review_unit

LARGE_FILE = 2 * 1024 * 1024
SHOWN_DIAGNOSTICS = 20


def register(app: typer.Typer) -> None:
    """Add the import command to ``app``."""
    app.command("import")(import_file)


def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Export file (RIS, MEDLINE, WoS, CSV, EndNote, BibTeX...).")],
    search: Annotated[
        int | None, typer.Option("--search", help="Add the records to this logged search.")
    ] = None,
    database: Annotated[
        str | None, typer.Option("--database", help="Log a new search for this database.")
    ] = None,
    format_name: Annotated[
        str | None, typer.Option("--format", help="Skip detection: ris, medline, csv...")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding when not UTF-8/UTF-16, e.g. cp1252.")
    ] = None,
) -> None:
    """Import an export file into the review (one transaction: all records or none)."""
    if search is not None and database is not None:
        raise typer.BadParameter("give --search or --database, not both")
    state: CliContext = ctx.obj
    # Parse and encode before the unit of work opens, so that on SQLite the write lock is held for
    # the insert alone and reviewers screening meanwhile are not kept waiting (issue #11).
    with _progress(file) as progress:
        prepared = services.prepare_export(
            file,
            max_bytes=state.settings.max_import_bytes,
            format_name=format_name,
            encoding=encoding,
            progress=progress,
            max_line_chars=state.settings.max_line_chars,
        )
    with prepared, review_unit(ctx) as (session, review):
        report = services.import_export(
            session,
            review,
            path=file,
            search_id=search,
            database=database,
            max_bytes=state.settings.max_import_bytes,
            prepared=prepared,
        )
    source = " via ".join(part for part in (report.database, report.platform) if part) or "source not stated"
    typer.echo(
        f"Imported {report.records} records from {report.file_name} "
        f"({report.format}; {source}; confidence {report.confidence:.2f}) into search {report.search_id}."
    )
    for line in report.diagnostics[:SHOWN_DIAGNOSTICS]:
        typer.echo(f"  note: {line}")
    if len(report.diagnostics) > SHOWN_DIAGNOSTICS:
        typer.echo(f"  ... and {len(report.diagnostics) - SHOWN_DIAGNOSTICS} more notes")


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar over the file's size for large files; ``None`` (no bar) for small ones."""
    size = path.stat().st_size if path.is_file() else 0
    if size < LARGE_FILE:
        yield None
        return
    columns = (
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[records]:,} records"),
    )
    with Progress(TextColumn("importing"), *columns, **_on_stderr()) as bar:
        task = bar.add_task("import", total=size, records=0)
        yield lambda records, chars: bar.update(task, completed=min(chars, size), records=records)


def _on_stderr() -> dict[str, Any]:
    """Progress goes to stderr, and only to a terminal: stdout stays clean for pipes and scripts."""
    console = Console(stderr=True)
    return {"console": console, "transient": True, "disable": not console.is_terminal}
