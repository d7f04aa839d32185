"""``realreview characteristics``: the study-characteristics sheet out and in, and its summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.characteristics import ExtractionForm
from realreview.cli.context import fail, review_unit, write_output
from realreview.errors import ReviewError

app = typer.Typer(
    help="Study characteristics: an XLSX sheet a row per study, its import, the summary counts."
)


Extractor = Annotated[
    str | None,
    typer.Option("--extractor", help="Whose values (an e-mail address; 'consensus': the settled ones)."),
]


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The .xlsx file to write.")],
    extractor: Extractor = None,
) -> None:
    """Write the settled characteristics (or one extractor's own), a row per study, with drop-down lists."""
    with review_unit(ctx) as (session, review):
        data = services.export_characteristics(session, review, extractor=extractor)
    out.write_bytes(data)
    typer.echo(f"Wrote {out}")


@app.command("settle-agreed")
def settle_agreed(ctx: typer.Context) -> None:
    """Settle every value the extractors agree on (or the review's only extractor's) as the consensus."""
    with review_unit(ctx) as (session, review):
        settled = services.settle_agreed_values(session, review)
    typer.echo(f"Settled {settled} value{'' if settled == 1 else 's'}.")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An edited sheet written by `characteristics export`.")],
    extractor: Extractor = None,
) -> None:
    """Store the sheet as someone's values (default: yours): each cell that differs from theirs is stored."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise fail(f"{file}: {error.strerror or error}") from None
    with review_unit(ctx) as (session, review):
        report = services.import_characteristics(
            session,
            review,
            data=data,
            name=file.name,
            extractor=extractor or None,
            limits=ctx.obj.settings.parse_limits,
        )
    typer.echo(
        f"{len(report.changes)} changed, {report.unchanged} unchanged, {len(report.rejected)} rejected"
    )
    for change in report.changes:
        typer.echo(
            f"  row {change.row}: record {change.record_id} {change.key}: {change.old!r} -> {change.new!r}"
        )
    for rejection in report.rejected:
        typer.echo(
            f"  rejected row {rejection.row}, {rejection.column} {rejection.value!r}: {rejection.reason}"
        )


@app.command("table")
def table(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or docx.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    columns: Annotated[
        str, typer.Option("--columns", help="Field keys to show, comma-separated (default: all).")
    ] = "",
    split_by: Annotated[
        str | None,
        typer.Option("--split-by", help="A field key: a table per value (e.g. intervention type)."),
    ] = None,
) -> None:
    """The characteristics of the included documents (settled values), for the paper."""
    keys = tuple(key.strip() for key in columns.split(",") if key.strip())
    with review_unit(ctx) as (session, review):
        body = services.characteristics_table(session, review, fmt=fmt, columns=keys, split_by=split_by)
    write_output(out, body)


@app.command("summary")
def summary(
    ctx: typer.Context,
    raw: Annotated[
        bool, typer.Option("--raw", help="Keep values that start with = + - @ as they are (for scripts).")
    ] = False,
) -> None:
    """Counts of settled values per country, setting, PROGRESS-Plus group, gap/targeted, effect (CSV).

    How many studies still hold unsettled values goes to stderr, so the CSV on stdout stays clean.
    """
    with review_unit(ctx) as (session, review):
        page = services.summary_page(session, review)
    typer.echo(page.csv(raw=raw), nl=False)
    typer.echo(f"# {page.unsettled_note()}", err=True)


@app.command("form")
def form(
    ctx: typer.Context,
    set_from: Annotated[
        Path | None, typer.Option("--set", help="A JSON list of fields to make the review's form.")
    ] = None,
) -> None:
    """Print the review's extraction form as JSON, or replace it with --set FILE.json.

    Each field: {"key": "country", "label": "Country", "kind": "country", "choices": [], "help": null,
    "required": false}; kinds are text, number, year, country, choice, multi_choice. A field that
    already holds values cannot be dropped or change its kind.
    """
    new: ExtractionForm | None = None
    if set_from is not None:
        try:
            new = ExtractionForm.from_json(json.loads(set_from.read_text(encoding="utf-8")))
        except (OSError, ValueError, ReviewError) as error:
            raise fail(f"{set_from}: {error}") from None
    with review_unit(ctx) as (session, review):
        if new is None:
            found = services.extraction_form(session, review)
        else:
            found = services.set_extraction_form(session, review, form=new)
    typer.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
