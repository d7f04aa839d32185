"""``realreview worker``: run the jobs queued by the web app (imports, deduplication runs).

Each app process runs its own job threads (``REALREVIEW_JOB_THREADS``, default 1); a team that
prefers its web workers to serve pages only sets that to 0 and runs this command beside them, on
any machine that reaches the database and the file store.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import CliContext


def worker(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Run the jobs queued now, then exit.")] = False,
    threads: Annotated[int, typer.Option(help="Jobs run at the same time (without --once).")] = 1,
) -> None:
    """Run queued jobs (imports, deduplication) until stopped; with --once, those waiting now."""
    state: CliContext = ctx.obj
    database = services.connect(state.settings.database_url)
    try:
        if once:
            name = services.worker_name()
            while (job := services.run_next(database, settings=state.settings, worker=name)) is not None:
                typer.echo(_line(job))
            return
        runner = services.JobRunner(database, settings=state.settings, threads=max(1, threads))
        typer.echo(
            f"Running jobs from {state.settings.database_url} as {', '.join(runner.workers)}; Ctrl+C stops."
        )
        runner.start()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            typer.echo("Stopping after the running jobs end…")
            runner.stop()
    finally:
        database.close()


def _line(job: services.JobInfo) -> str:
    if job.status == services.JobStatus.FAILED:
        return f"job {job.id} ({job.label}): failed: {job.error}"
    if job.kind == "import" and job.result:
        records, search = job.result["records"], job.result["search_id"]
        return f"job {job.id} ({job.label}): imported {records} records into search {search}"
    return f"job {job.id} ({job.label}): done"


def register(app: typer.Typer) -> None:
    """Add ``worker`` to the main app."""
    app.command("worker")(worker)
