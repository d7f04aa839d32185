"""``realreview screen`` (decisions CSV out and in) and ``realreview agreement``."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit
from realreview.errors import ValidationError
from realreview.screening import Stage

app = typer.Typer(help="Screening decisions: export them as CSV, import a validated CSV.")


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
) -> None:
    """Write every decision event (oldest first) as CSV: record, stage, reviewer, event, reasons, tags..."""
    with review_unit(ctx) as (session, review):
        rows = services.export_decisions(session, review)
    handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        writer = csv.DictWriter(handle, fieldnames=services.EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if out:
            handle.close()
    if out:
        typer.echo(f"{len(rows)} decisions written to {out}", err=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A decisions CSV with the columns `screen export` writes.")],
) -> None:
    """Add the decisions in FILE; the first bad line (named) stops it and nothing is stored."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"{file}: {error}") from None
    reader = csv.DictReader(text.splitlines())
    missing = {"record_id", "stage", "reviewer", "event"} - set(reader.fieldnames or ())
    if missing:
        raise fail(f"{file}: line 1: missing column(s) {', '.join(sorted(missing))}")
    with review_unit(ctx) as (session, review):
        try:
            stored = services.import_decisions(
                session, review, rows=enumerate(reader, start=2), source=f"import:{file.name}"
            )
        except ValidationError as error:
            raise ValidationError(f"{file}: {error}") from error
    typer.echo(f"{stored} decisions imported from {file}.")


_STAGE_NAMES = {
    "title_abstract": Stage.TITLE_ABSTRACT,
    "title-abstract": Stage.TITLE_ABSTRACT,
    "ta": Stage.TITLE_ABSTRACT,
    "tiab": Stage.TITLE_ABSTRACT,
    "abstract": Stage.TITLE_ABSTRACT,
    "full_text": Stage.FULL_TEXT,
    "full-text": Stage.FULL_TEXT,
    "fulltext": Stage.FULL_TEXT,
    "ft": Stage.FULL_TEXT,
}


def _stage(value: str) -> Stage:
    try:
        return _STAGE_NAMES[value.strip().lower()]
    except KeyError:
        raise typer.BadParameter(f"{value!r}: use title_abstract or full_text") from None


def agreement(
    ctx: typer.Context,
    stage: Annotated[
        Stage,
        typer.Option(parser=_stage, help="title_abstract (also ta, title-abstract) or full_text (also ft)."),
    ] = Stage.TITLE_ABSTRACT,
) -> None:
    """Agreement per pair of reviewers: table, percent agreement, Cohen's kappa (95% CI), PABAK."""
    with review_unit(ctx) as (session, review):
        report = services.agreement_report(session, review, stage=stage)
    if not report:
        typer.echo(f"No records decided by two reviewers at {stage.value} yet.")
    for pair in report:
        result = pair.result
        typer.echo(f"{pair.first} vs {pair.second} ({stage.value}, {result.records} records)")
        header = "".join(f"{c.value:>10}" for c in result.categories)
        typer.echo(f"{'':>10}{header}")
        for category, row in zip(result.categories, result.table, strict=True):
            typer.echo(f"{category.value:>10}" + "".join(f"{cell:>10}" for cell in row))
        kappa = (
            f"{result.kappa:.3f} (95% CI {result.kappa_low:.3f} to {result.kappa_high:.3f})"
            if result.kappa is not None
            else "undefined (one category only)"
        )
        typer.echo(f"agreement {100 * (result.percent or 0):.1f}%; kappa {kappa}; PABAK {result.pabak:.3f}")


def register(parent: typer.Typer) -> None:
    """Add ``screen`` and ``agreement`` to the main app."""
    parent.add_typer(app, name="screen")
    parent.command("agreement")(agreement)
