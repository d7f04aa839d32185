"""Workers that run queued jobs: :func:`run_next` for one job, :class:`JobRunner` threads for an app.

``create_app`` starts a :class:`JobRunner` when the app starts serving and stops it on shutdown;
``realreview worker`` runs :func:`run_next` in a loop (or once) for a team that runs its workers
apart from the web app. Any number of them may poll the same database (see
:mod:`realreview.services.jobs` for why the claim is safe).

While a job runs, its handler only notes progress in memory (:class:`_Progress`); a heartbeat
thread writes the latest note to the job at most every :data:`PROGRESS_EVERY` seconds, each in its
own short transaction, and at least every :data:`HEARTBEAT_EVERY` seconds so that a worker that died
is told from a slow one (:func:`~realreview.services.jobs.reclaim_stale_jobs`). The handler never
waits on those writes: on SQLite a handler's own write transaction (a deduplication run) holds the
write lock, and a progress write from the same thread would wait on it for ever.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Collection

from realreview.errors import ReviewError
from realreview.fulltext import FileStore
from realreview.services.database import Database
from realreview.services.job_kinds import KINDS, JobWork
from realreview.services.jobs import (
    JobInfo,
    JobStatus,
    claim_job,
    finish_job,
    has_queued_job,
    reclaim_stale_jobs,
    report_progress,
)
from realreview.settings import Settings

__all__ = ["HEARTBEAT_EVERY", "PROGRESS_EVERY", "STALE_AFTER", "JobRunner", "run_next", "worker_name"]

log = logging.getLogger(__name__)

#: Progress reaches the database at most this often (seconds)...
PROGRESS_EVERY = 0.25
#: ...and a heartbeat at least this often, progress or not.
HEARTBEAT_EVERY = 5.0
#: A running job without a heartbeat for this long lost its worker and is queued again.
STALE_AFTER = dt.timedelta(minutes=2)
_COUNTER = itertools.count(1)


def worker_name() -> str:
    """A name for a new worker, unique across machines and processes: ``host:pid:n``."""
    return f"{socket.gethostname()}:{os.getpid()}:{next(_COUNTER)}"[:100]


class _Progress:
    """The latest progress of one running job, written to the database by its own thread."""

    def __init__(self, database: Database, job: JobInfo, worker: str) -> None:
        self._database, self._job_id, self._worker = database, job.id, worker
        self._latest: tuple[int, int | None, str] = (0, job.total, "started")
        self._written: tuple[int, int | None, str] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"job-{job.id}-progress", daemon=True)

    def update(self, done: int, total: int | None, message: str) -> None:
        with self._lock:
            self._latest = (done, total, message)

    def __enter__(self) -> _Progress:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        last = time.monotonic()
        while not self._stop.wait(PROGRESS_EVERY):
            with self._lock:
                latest = self._latest
            if latest == self._written and time.monotonic() - last < HEARTBEAT_EVERY:
                continue
            try:
                with self._database.unit_of_work(write=True) as session:
                    report_progress(
                        session,
                        job_id=self._job_id,
                        actor=self._worker,
                        done=latest[0],
                        total=latest[1],
                        message=latest[2],
                    )
            except Exception:  # a busy or lost database: the next beat tries again
                log.warning("job %s: progress not written", self._job_id, exc_info=True)
                continue
            self._written, last = latest, time.monotonic()


def run_next(
    database: Database,
    *,
    settings: Settings,
    worker: str,
    kinds: Collection[str] | None = None,
) -> JobInfo | None:
    """Claim the oldest queued job and run it to its end; the job as it ended, or ``None`` if none waited."""
    with database.unit_of_work() as session:
        if not has_queued_job(session, kinds=kinds):
            return None  # the common case costs one read, never SQLite's write lock
    with database.unit_of_work(write=True) as session:
        job = claim_job(session, actor=worker, kinds=kinds)
    if job is None:
        return None
    result, error = None, None
    handler = KINDS.get(job.kind)
    try:
        if handler is None:
            raise ReviewError(f"job {job.id}: no worker knows the kind {job.kind!r}")
        with _Progress(database, job, worker) as progress:
            work = JobWork(
                job=job,
                database=database,
                store=FileStore(settings.file_store_root()),
                progress=progress,
                max_import_bytes=settings.max_import_bytes,
                max_line_chars=settings.max_line_chars,
            )
            result = dict(handler(work))
    except ReviewError as failure:
        error = str(failure)
    except Exception as failure:  # a bug: the job says so, and the worker lives on
        log.exception("job %s (%s) failed", job.id, job.kind)
        error = f"internal error ({type(failure).__name__}): {failure}"
    with database.unit_of_work(write=True) as session:
        finish_job(session, job_id=job.id, actor=worker, result=result, error=error)
    status = JobStatus.FAILED if error is not None else JobStatus.DONE
    return dataclasses.replace(job, status=status, result=result, error=error)


class JobRunner:
    """A few threads that poll the database for queued jobs and run them (an app's own workers).

    ``stop()`` asks the threads to end and waits for each to finish the job it is running.
    """

    def __init__(
        self,
        database: Database,
        *,
        settings: Settings,
        threads: int = 1,
        poll_seconds: float = 0.2,
        reclaim_every: float = 30.0,
    ) -> None:
        self._database, self._settings = database, settings
        self._poll, self._reclaim_every = poll_seconds, reclaim_every
        self._stop = threading.Event()
        self._wake = threading.Event()
        self.workers = tuple(worker_name() for _ in range(threads))
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the threads (once)."""
        if self._threads:
            return
        self._stop.clear()
        for worker in self.workers:
            thread = threading.Thread(target=self._loop, args=(worker,), name=f"jobs {worker}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def wake(self) -> None:
        """Look for a job now rather than at the next poll (a job was just queued)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop polling and wait for the running jobs to end."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _loop(self, worker: str) -> None:
        next_reclaim = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() >= next_reclaim:
                    next_reclaim = time.monotonic() + self._reclaim_every
                    with self._database.unit_of_work(write=True) as session:
                        reclaim_stale_jobs(session, actor=worker, stale_after=STALE_AFTER, alive=self.workers)
                ran = run_next(self._database, settings=self._settings, worker=worker)
            except Exception:  # the database went away for a moment: poll again later
                log.warning("job worker %s: poll failed", worker, exc_info=True)
                ran = None
            if ran is None:
                self._wake.wait(self._poll)
                self._wake.clear()
