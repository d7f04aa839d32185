"""``realreview dedup``: find duplicates, review uncertain pairs, merge and unmerge by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from realreview import services
from realreview.cli.context import review_unit
from realreview.records import Record

app = typer.Typer(help="Find duplicate records across databases and review the uncertain ones.")

_PAST = {"accept": "Accepted", "reject": "Rejected", "merge": "Merged"}

Note = Annotated[str | None, typer.Option(help="Why (kept with the decision).")]


@app.callback(invoke_without_command=True)
def run(ctx: typer.Context) -> None:
    """Find duplicates among the review's records (keeps every earlier human decision)."""
    if ctx.invoked_subcommand is not None:
        return
    with review_unit(ctx) as (session, review), _progress() as progress:
        summary = services.run_dedup(session, review, progress=progress)
    _print_summary(summary)


@app.command("review")
def review(ctx: typer.Context) -> None:
    """List the uncertain pairs, with the fields that agreed and conflicted."""
    with review_unit(ctx) as (session, review):
        pairs = services.pairs_for_review(session, review)
    if not pairs:
        typer.echo("No pairs left to review.")
    for pair in pairs:
        typer.echo(f"{pair.a} ~ {pair.b}  score {pair.score:.2f}: {pair.reason}")
        typer.echo(
            f"  agreed: {', '.join(pair.agreed) or '-'}; conflicted: {', '.join(pair.conflicted) or '-'}"
        )
        typer.echo(f"  {pair.a}: {_line(pair.record_a)}")
        typer.echo(f"  {pair.b}: {_line(pair.record_b)}")
    if pairs:
        typer.echo(
            f"{len(pairs)} pairs. Decide with: realreview dedup accept A B | realreview dedup reject A B"
        )


def _decide(action: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        record_a: Annotated[int, typer.Argument(help="Record id.")],
        record_b: Annotated[int, typer.Argument(help="Record id.")],
        note: Note = None,
    ) -> None:
        with review_unit(ctx) as (session, review):
            summary = services.decide_pair(
                session, review, record_a=record_a, record_b=record_b, action=action, note=note
            )
        typer.echo(f"{_PAST[action]}: {record_a} ~ {record_b}.")
        if summary is not None:  # always, as asked: summarise is on by default
            _print_summary(summary)

    return command


app.command("accept", help="Accept a suggested pair as duplicates.")(_decide("accept"))
app.command("reject", help="Reject a suggested pair: the records are different studies.")(_decide("reject"))
app.command("merge", help="Mark any two records as duplicates by hand.")(_decide("merge"))


@app.command("unmerge")
def unmerge(
    ctx: typer.Context,
    record: Annotated[int, typer.Argument(help="Record id to take out of its group.")],
    note: Note = None,
) -> None:
    """Take a record out of its duplicate group (it stays apart on later runs)."""
    with review_unit(ctx) as (session, review):
        summary = services.unmerge_record(session, review, record_id=record, note=note)
    typer.echo(f"Unmerged record {record}.")
    _print_summary(summary)


@app.command("groups")
def groups(
    ctx: typer.Context,
    record: Annotated[int | None, typer.Option(help="Only the group holding this record.")] = None,
) -> None:
    """List duplicate groups with their canonical record and where each field came from."""
    with review_unit(ctx) as (session, review):
        found = services.duplicate_groups(session, review, root=record)
    for group in found:
        typer.echo(f"group {group.root}: records {', '.join(map(str, group.members))}")
        typer.echo(f"  {_line(group.canonical)}")
        sources = ", ".join(f"{name} from {source}" for name, source in group.sources.items())
        typer.echo(f"  fields: {sources}")
    typer.echo(f"{len(found)} groups")


def _line(record: Record) -> str:
    first = record.authors[0].family if record.authors else "-"
    parts = [str(record.year or "-"), first, (record.title or "(no title)")[:90], record.journal or "-"]
    parts += [f"doi {record.doi}"] if record.doi else []
    parts += [f"pages {record.pages}"] if record.pages else []
    return " | ".join(parts)


def _print_summary(summary: services.DedupSummary) -> None:
    typer.echo(
        f"{summary.records} records: {summary.groups} duplicate groups, {summary.duplicates} records marked "
        f"duplicate ({summary.auto_links} automatic links), {summary.needs_review} pairs need review."
    )


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    tasks: dict[str, TaskID] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), **_on_stderr()) as bar:

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _on_stderr() -> dict[str, Any]:
    """Progress goes to stderr, and only to a terminal: stdout stays clean for pipes and scripts."""
    console = Console(stderr=True)
    return {"console": console, "transient": True, "disable": not console.is_terminal}
