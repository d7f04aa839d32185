"""``realreview another-report`` and ``reported``: what PRISMA and the results count beyond the records.

``another-report`` marks a record as a further paper of an included study (PRISMA counts it as a
report, not a study); ``reported`` keeps the totals a source gives without per-document values.
"""

from __future__ import annotations

from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit


def another_report(
    ctx: typer.Context,
    record: Annotated[int, typer.Argument(help="The record that is a further report.")],
    of: Annotated[int | None, typer.Option("--of", help="The record of the study's main report.")] = None,
    note: Annotated[str, typer.Option("--note", help="What kind of report (protocol, follow-up...).")] = "",
    undo: Annotated[bool, typer.Option("--undo", help="Take the mark back.")] = False,
) -> None:
    """Mark a record as another report of an included study (not a duplicate; counted once as a study)."""
    with review_unit(ctx) as (session, review):
        if undo:
            services.unmark_study_report(session, review, record_id=record)
        elif of is None:
            raise fail("give --of STUDY_RECORD, or --undo")
        else:
            services.mark_study_report(session, review, record_id=record, study_record_id=of, note=note)
    typer.echo(
        f"Record {record}: a study of its own again"
        if undo
        else f"Record {record}: another report of record {of}"
    )


def reported(
    ctx: typer.Context,
    topic: Annotated[str | None, typer.Argument(help="What is counted, e.g. Country.")] = None,
    label: Annotated[str | None, typer.Argument(help="The category, e.g. USA.")] = None,
    value: Annotated[int | None, typer.Argument(help="The total the source reports.")] = None,
    source: Annotated[str, typer.Option("--source", help="Where the total is reported.")] = "",
    clear: Annotated[bool, typer.Option("--clear", help="Remove the total of TOPIC LABEL.")] = False,
) -> None:
    """List the totals a source reports without per-document values, or enter one (TOPIC LABEL N)."""
    with review_unit(ctx) as (session, review):
        if topic is None:
            topics = services.reported_figures(session, review)
        elif label is None or (value is None and not clear):
            raise fail("give TOPIC LABEL N to enter a total, or TOPIC LABEL --clear")
        elif clear:
            services.clear_reported_figure(session, review, topic=topic, label=label)
        else:
            assert value is not None
            services.enter_reported_figure(
                session, review, topic=topic, label=label, value=value, source=source
            )
    if topic is not None:
        typer.echo(f"{topic}, {label}: {'removed' if clear else f'{value} (reported)'}")
        return
    for item in topics:
        typer.echo(f"{item.topic}:")
        for figure in item.figures:
            typer.echo(
                f"  {figure.label}: {figure.value}" + (f"  ({figure.source})" if figure.source else "")
            )


def register(app: typer.Typer) -> None:
    """Add ``another-report`` and ``reported`` to the main app."""
    app.command("another-report")(another_report)
    app.command("reported")(reported)
