"""``realreview screen`` (decisions CSV out and in) and ``realreview agreement``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, read_utf8, review_unit
from realreview.errors import ValidationError
from realreview.screening import Allocation, Stage

app = typer.Typer(help="Screening decisions: export them as CSV, import a validated CSV.")


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="Keep cells that start with = + - @ as they are, no leading ' (for scripts)."
        ),
    ] = False,
) -> None:
    """Write every decision event (oldest first) as CSV: record, stage, reviewer, event, reasons, tags...

    A cell a spreadsheet would run as a formula gets a leading ' (``screen import`` takes it off).
    """
    with review_unit(ctx) as (session, review):
        rows = services.export_decisions(session, review)
    text = services.decisions_csv(rows, raw=raw)
    if out:
        out.write_text(text, encoding="utf-8", newline="")
        typer.echo(f"{len(rows)} decisions written to {out}", err=True)
    else:
        sys.stdout.write(text)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A decisions CSV with the columns `screen export` writes.")],
) -> None:
    """Add the decisions in FILE; the first bad line (named) stops it and nothing is stored."""
    text = read_utf8(file)
    try:
        found = services.read_decisions_csv(text)
    except ValidationError as error:
        raise fail(f"{file}: {error}") from None
    for note in found.notes:
        typer.echo(f"{file}: {note}", err=True)
    with review_unit(ctx) as (session, review):
        try:
            stored = services.import_decisions(session, review, rows=found.rows, source=f"import:{file.name}")
        except ValidationError as error:
            raise ValidationError(f"{file}: {error}") from error
    typer.echo(f"{stored} decisions imported from {file}.")


@app.command("setup")
def setup(
    ctx: typer.Context,
    dual_fraction: Annotated[
        float | None,
        typer.Option("--dual-fraction", help="Share of records screened by two reviewers (0 to 1)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the sample's draw (drawn once).")
    ] = None,
    allocation: Annotated[
        Allocation | None,
        typer.Option(
            "--allocation",
            help="everyone: all screen all; lead: a lead screens all, the others the sample; "
            "shared: the sample by two, the rest by one, first come; split: the rest split evenly.",
        ),
    ] = None,
    lead: Annotated[
        str | None, typer.Option("--lead", help="The lead reviewer's e-mail (for --allocation lead).")
    ] = None,
    blinded: Annotated[
        bool | None, typer.Option("--blinded/--unblinded", help="Whether reviewers see only their own calls.")
    ] = None,
) -> None:
    """Set how the review screens: the dual-screening sample, who screens what, blinding.

    A new fraction tops the stored sample up or shrinks it (never redrawn; a record two reviewers
    have screened stays); what changes is printed before it is saved.
    """
    changes: dict[str, object] = {
        name: value
        for name, value in (
            ("dual_fraction", dual_fraction),
            ("dual_seed", seed),
            ("allocation", allocation),
            ("lead_reviewer", lead),
            ("blinded", blinded),
        )
        if value is not None
    }
    with review_unit(ctx) as (session, review):
        change = services.preview_screening_setup(session, review, **changes)
        if change.changed:
            typer.echo(f"Warning: {change.describe()}", err=True)
        new = services.configure_screening(session, review, **changes)
        summary = services.allocation_summary(session, review.with_setup(new), stage=Stage.TITLE_ABSTRACT)
    typer.echo(
        f"Allocation {new.allocation.value}{f' (lead {new.lead_reviewer})' if new.lead_reviewer else ''}; "
        f"dual-screening fraction {new.dual_fraction:g} (seed {new.dual_seed}): {summary.sample} of "
        f"{summary.records} records in the sample; blinding {'on' if new.blinded else 'off'}."
    )


@app.command("status")
def status(
    ctx: typer.Context,
    stage: Annotated[
        Stage, typer.Option(parser=lambda value: _stage(value), help="title_abstract (ta) or full_text (ft).")
    ] = Stage.TITLE_ABSTRACT,
    json_out: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Who screens what at a stage: records, sample, complete, remaining, and each reviewer's share."""
    with review_unit(ctx) as (session, review):
        summary = services.allocation_summary(session, review, stage=stage)
    if json_out:
        typer.echo(
            json.dumps(
                {
                    "stage": summary.stage.value,
                    "allocation": summary.allocation.value,
                    "lead": summary.lead,
                    "records": summary.records,
                    "sample": summary.sample,
                    "complete": summary.complete,
                    "remaining": summary.remaining,
                    "reviewers": {
                        load.reviewer: {"decided": load.decided, "waiting": load.waiting}
                        for load in summary.reviewers
                    },
                },
                indent=2,
            )
        )
        return
    typer.echo(
        f"{summary.stage.value}: {summary.records} records, {summary.sample} in the dual-screening sample, "
        f"{summary.complete} complete, {summary.remaining} remaining (allocation {summary.allocation.value})"
    )
    for load in summary.reviewers:
        typer.echo(f"  {load.reviewer}: {load.decided} decided, {load.waiting} waiting")


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
