"""The app's own job threads: started when the app starts serving, stopped when it shuts down.

They start in the lifespan, not in ``create_app``, so that building an app (a test, a script that
only wants its routes) starts no thread, and a server's shutdown waits for the running job to end
instead of abandoning it; a job cut off anyway (the process killed) is queued again by the next
worker once its heartbeat is stale (:func:`realreview.services.reclaim_stale_jobs`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from realreview import services

__all__ = ["run_jobs_while_serving"]


def run_jobs_while_serving(app: FastAPI) -> None:
    """Run ``settings.job_threads`` job threads while ``app`` serves (none when it is 0)."""
    threads = app.state.settings.job_threads
    if threads <= 0:
        return
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: Any) -> AsyncIterator[Any]:
        runner = services.JobRunner(served.state.database, settings=served.state.settings, threads=threads)
        runner.start()
        served.state.runner = runner
        try:
            async with previous(served) as state:
                yield state
        finally:
            served.state.runner = None
            await run_in_threadpool(runner.stop)

    app.router.lifespan_context = lifespan
