"""``realreview records`` and ``realreview export``."""

from __future__ import annotations

import csv
import enum
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from realreview import services
from realreview.cli.context import review_unit, write_output
from realreview.tables import csv_text

CSV_COLUMNS = (
    "id",
    "search_id",
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "language",
    "publication_type",
)


RAW_HELP = (
    "CSV: keep cells that start with = + - @ as they are, no leading ' (for scripts, not spreadsheets)."
)
NOTES_HELP = (
    "Add each record's screening: the outcome at each stage, exclusion reasons, tags and decision notes "
    "as RIS N1 lines (notes in Zotero, EndNote, Mendeley), a BibTeX annote field or CSV columns."
)


class ListFormat(enum.StrEnum):
    """How ``records`` prints."""

    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(enum.StrEnum):
    """Formats ``export`` writes."""

    ris = "ris"
    csv = "csv"
    bibtex = "bibtex"


def register(app: typer.Typer) -> None:
    """Add the record commands to ``app``."""
    app.command("records")(list_records)
    app.command("export")(export)


def list_records(
    ctx: typer.Context,
    search: Annotated[int | None, typer.Option("--search", help="Only this search's records.")] = None,
    count: Annotated[bool, typer.Option("--count", help="Print only the number of records.")] = False,
    output: Annotated[ListFormat, typer.Option("--format", help="table, csv or json.")] = ListFormat.table,
    raw: Annotated[bool, typer.Option("--raw", help=RAW_HELP)] = False,
) -> None:
    """List the review's records (normalised fields; json adds the raw fields)."""
    with review_unit(ctx) as (session, review):
        if count:
            typer.echo(services.count_records(session, review, search_id=search))
            return
        stored = services.iter_records(session, review, search_id=search)
        if output is ListFormat.csv:
            _csv(stored, raw=raw)
        else:
            {"table": _table, "json": _json}[output.value](stored)


def _flat(item: services.StoredRecord) -> dict[str, object]:
    record = item.record
    return {
        "id": item.id,
        "search_id": item.search_id,
        "title": record.title,
        "authors": "; ".join(str(author) for author in record.authors),
        "year": record.year,
        "journal": record.journal,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "doi": record.doi,
        "pmid": record.pmid,
        "language": record.language,
        "publication_type": record.publication_type,
    }


def _table(stored: Iterable[services.StoredRecord]) -> None:
    table = Table("ID", "Search", "Year", "First author", "Title", "DOI")
    for item in stored:
        record = item.record
        first = record.authors[0].family if record.authors else ""
        table.add_row(
            str(item.id),
            str(item.search_id),
            str(record.year or ""),
            first,
            (record.title or "")[:80],
            record.doi or "",
        )
    Console(width=160).print(table)


def _csv(stored: Iterable[services.StoredRecord], *, raw: bool) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in stored:
        cells = _flat(item)
        writer.writerow(
            cells[name] if raw or not isinstance(cells[name], str) else csv_text(str(cells[name]))
            for name in CSV_COLUMNS
        )


def _json(stored: Iterable[services.StoredRecord]) -> None:
    out = [
        {
            **_flat(item),
            "abstract": item.record.abstract,
            "keywords": list(item.record.keywords),
            "raw": [list(pair) for pair in item.record.raw],
        }
        for item in stored
    ]
    typer.echo(json.dumps(out, ensure_ascii=False, indent=1))


def export(
    ctx: typer.Context,
    output_format: Annotated[ExportFormat, typer.Option("--format", help="ris, csv or bibtex.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    search: Annotated[int | None, typer.Option("--search", help="Only this search's records.")] = None,
    raw: Annotated[bool, typer.Option("--raw", help=RAW_HELP)] = False,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            help="Only the records with this completed outcome: included, excluded, title_abstract_excluded, "
            "full_text, full_text_excluded, pending, duplicates.",
        ),
    ] = None,
    notes: Annotated[bool, typer.Option("--notes/--no-notes", help=NOTES_HELP)] = True,
) -> None:
    """Export the review's records as RIS, CSV or BibTeX (CSV cells that would run as formulas get a ')."""
    with review_unit(ctx) as (session, review):
        text = services.export_records(
            session,
            review,
            format_name=output_format.value,
            search_id=search,
            raw=raw,
            state=state,
            notes=notes,
        )
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)
