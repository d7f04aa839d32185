"""Long work outside the request: a queue of jobs in the review's own database (issue #14).

An import of 100,000 records or a deduplication run takes longer than a browser should wait, so a
request only *queues* a job (:func:`queue_import`, :func:`queue_dedup`) and a worker runs it
(:mod:`realreview.services.job_runner`). Every state of a job lives in the ``jobs`` table, so every
app worker, every reload and ``realreview worker`` on another machine see the same progress.

Why a table and no task library: the queue must work on embedded SQLite (one person, one file) and
on PostgreSQL (a team) with the same code and no extra server. huey keeps its queue in SQLite or
Redis but has no PostgreSQL storage; procrastinate is PostgreSQL-only (LISTEN/NOTIFY); dramatiq, rq
and celery need a broker (Redis, RabbitMQ). None fits both, so the queue is kept small: the table
already migrated (0012), an atomic claim, and progress written in short transactions. See
docs/jobs.md.

The worker-side calls (:func:`claim_job`, :func:`report_progress`, :func:`finish_job`,
:func:`reclaim_stale_jobs`) take the worker's name as ``actor`` and leave audit rows like every
other write; they act on no review context, so they check no permission: the member's permission
was checked when the job was queued, and is checked again when the job runs in their name.

The claim is ``UPDATE jobs SET status='running' WHERE id=? AND status='queued'`` and a look at the
row count: on SQLite the write lock orders claimers, on PostgreSQL the row lock makes the second
``UPDATE`` see the first one's commit and match nothing, so two workers never run one job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.fulltext import FileStore
from realreview.services.audit import mutation, note, reads
from realreview.services.context import ReviewContext
from realreview.storage import audit as recorder
from realreview.storage.models import JobRow

__all__ = [
    "MAX_ATTEMPTS",
    "JobInfo",
    "JobStatus",
    "claim_job",
    "finish_job",
    "get_job",
    "has_queued_job",
    "queue_dedup",
    "queue_import",
    "reclaim_stale_jobs",
    "recent_jobs",
    "report_progress",
    "upload_name",
]

#: A job whose worker died this many times is failed instead of queued again (it may be the cause).
MAX_ATTEMPTS = 3


class JobStatus:
    """The four states of a job: queued -> running -> done | failed (a stale running job: queued)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class JobInfo:
    """One job as a page or a poll shows it."""

    id: int
    review_id: int | None
    kind: str
    status: str
    params: Mapping[str, Any]
    input_sha256: str | None
    done: int
    total: int | None
    message: str
    result: Mapping[str, Any] | None
    error: str | None
    created_at: dt.datetime
    created_by: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    worker: str | None

    @property
    def finished(self) -> bool:
        """Whether the job has ended, well or badly (a poll stops then)."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        """How far it is, 0-100, when the job knows its total."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))

    @property
    def label(self) -> str:
        """What the job is, for a list: the import's file name, or the kind."""
        name = self.params.get("file_name")
        return f"import of {name}" if self.kind == "import" and name else self.kind

    def as_json(self) -> dict[str, Any]:
        """The job as the progress poll sends it (JSON)."""
        return {
            "id": self.id,
            "review_id": self.review_id,
            "kind": self.kind,
            "label": self.label,
            "status": self.status,
            "finished": self.finished,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "message": self.message,
            "result": dict(self.result) if self.result is not None else None,
            "error": self.error,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _info(row: JobRow) -> JobInfo:
    return JobInfo(
        id=row.id,
        review_id=row.review_id,
        kind=row.kind,
        status=row.status,
        params=dict(row.params or {}),
        input_sha256=row.input_sha256,
        done=row.done,
        total=row.total,
        message=row.message,
        result=row.result,
        error=row.error,
        created_at=row.created_at,
        created_by=row.created_by,
        started_at=row.started_at,
        finished_at=row.finished_at,
        worker=row.worker,
    )


def _submit(
    session: Session, ctx: ReviewContext, *, kind: str, params: dict[str, Any], sha256: str | None = None
) -> JobInfo:
    row = JobRow(
        review_id=ctx.review_id,
        kind=kind,
        status=JobStatus.QUEUED,
        params=params,
        input_sha256=sha256,
        done=0,
        message="queued",
        created_at=_now(),
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    note(session, entity_id=row.id, kind=kind, **{k: v for k, v in params.items() if k != "attempts"})
    return _info(row)


@mutation(Action.IMPORT_RECORDS, audit="job.queue_import", entity="job")
def queue_import(
    session: Session,
    ctx: ReviewContext,
    *,
    file_name: str,
    store: FileStore,
    max_bytes: int,
    data: bytes | None = None,
    staged: str | None = None,
    search_id: int | None = None,
    database: str | None = None,
    format_name: str | None = None,
) -> JobInfo:
    """Queue the import of one export file: its ``data``, or the file a preview ``staged`` in ``store``.

    The bytes wait in ``store`` by SHA-256. Only the cheap checks happen here (size, a search or a
    database, not both); the file's format and every record are checked when the job runs, in the
    import's own transaction.

    Raises:
        ValidationError: the file is empty, too large or not staged, or both a search and a
            database are named.
    """
    if search_id is not None and database:
        raise ValidationError("choose a logged search or name a database, not both")
    if data is not None:
        size, sha256 = len(data), (store.put(data) if data else "")
    elif staged is not None and _is_staged(store, staged):
        sha256 = staged.lower()
        size = store.path(sha256).stat().st_size
    else:
        raise ValidationError(f"{file_name}: no such uploaded file; upload it again")
    if not size:
        raise ValidationError(f"{file_name}: the file is empty; nothing queued")
    if size > max_bytes:
        raise ValidationError(f"{file_name}: {size:,} bytes, over the import limit of {max_bytes:,}")
    params = {
        "file_name": upload_name(file_name),
        "search_id": search_id,
        "database": database or None,
        "format": format_name or None,
        "size": size,
    }
    return _submit(session, ctx, kind="import", params=params, sha256=sha256)


@mutation(Action.DEDUPLICATE, audit="job.queue_dedup", entity="job")
def queue_dedup(session: Session, ctx: ReviewContext) -> JobInfo:
    """Queue a deduplication run over all the review's records."""
    return _submit(session, ctx, kind="dedup", params={})


def _is_staged(store: FileStore, sha256: str) -> bool:
    try:
        return store.has(sha256)
    except ValueError:  # not a SHA-256 at all
        return False


def upload_name(name: str) -> str:
    """The file's own name, never a path (a browser may send a Windows path such as ``C:/fakepath/x.ris``)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:200] or "upload"


@reads(Action.VIEW_RECORDS)
def get_job(session: Session, ctx: ReviewContext, *, job_id: int) -> JobInfo:
    """One job of the review (its progress, then its report or error).

    Raises:
        NotFoundError: the review has no such job (a job of another review is not revealed).
    """
    row = session.get(JobRow, job_id, populate_existing=True)
    if row is None or row.review_id != ctx.review_id:
        raise NotFoundError(f"review {ctx.review_id} has no job {job_id}")
    return _info(row)


@reads(Action.VIEW_RECORDS)
def recent_jobs(session: Session, ctx: ReviewContext, *, limit: int = 20) -> list[JobInfo]:
    """The review's latest jobs, newest first."""
    rows = session.scalars(
        select(JobRow).where(JobRow.review_id == ctx.review_id).order_by(JobRow.id.desc()).limit(limit)
    )
    return [_info(row) for row in rows]


def has_queued_job(session: Session, *, kinds: Collection[str] | None = None) -> bool:
    """Whether any job waits (a cheap read, so an idle worker never takes SQLite's write lock)."""
    query = select(JobRow.id).where(JobRow.status == JobStatus.QUEUED).limit(1)
    if kinds is not None:
        query = query.where(JobRow.kind.in_(list(kinds)))
    return session.scalar(query) is not None


@mutation(None, audit="job.start", entity="job")
def claim_job(session: Session, *, actor: str, kinds: Collection[str] | None = None) -> JobInfo | None:
    """Take the oldest queued job for the worker ``actor``; ``None`` when none waits.

    Safe with any number of workers: a job another worker took in the meantime is skipped.
    """
    query = select(JobRow.id).where(JobRow.status == JobStatus.QUEUED).order_by(JobRow.id).limit(10)
    if kinds is not None:
        query = query.where(JobRow.kind.in_(list(kinds)))
    now = _now()
    for job_id in session.scalars(query).all():
        taken = session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, worker=actor[:100], started_at=now, heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        if not taken.rowcount:  # type: ignore[attr-defined]
            continue
        recorder.check_audited(session, table="jobs.update")
        row = session.get(JobRow, job_id, populate_existing=True)
        assert row is not None
        row.params = {**row.params, "attempts": int(row.params.get("attempts", 0)) + 1}
        row.message = "started"
        note(session, entity_id=job_id, kind=row.kind, review_id=row.review_id)
        return _info(row)
    return None


@mutation(None, audit="job.progress", entity="job", entity_id="job_id")
def report_progress(
    session: Session, *, job_id: int, actor: str, done: int, total: int | None, message: str
) -> bool:
    """Write how far the job is (and that its worker lives); ``False`` if the job is no longer its."""
    changed = session.execute(
        update(JobRow)
        .where(JobRow.id == job_id, JobRow.status == JobStatus.RUNNING, JobRow.worker == actor[:100])
        .values(done=done, total=total, message=message[:2000], heartbeat_at=_now())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount:  # type: ignore[attr-defined]
        recorder.check_audited(session, table="jobs.update")
        return True
    return False


@mutation(None, audit="job.finish", entity="job", entity_id="job_id")
def finish_job(
    session: Session,
    *,
    job_id: int,
    actor: str,
    result: Mapping[str, Any] | None = None,
    error: str | None = None,
) -> bool:
    """End the job with its ``result``, or as failed with ``error``; ``False`` if it is no longer its."""
    now = _now()
    values: dict[str, Any] = {"finished_at": now, "heartbeat_at": now}
    if error is None:
        values.update(status=JobStatus.DONE, result=dict(result or {}), message="done")
    else:
        values.update(status=JobStatus.FAILED, error=error, message="failed")
    changed = session.execute(
        update(JobRow)
        .where(JobRow.id == job_id, JobRow.status == JobStatus.RUNNING, JobRow.worker == actor[:100])
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount:  # type: ignore[attr-defined]
        recorder.check_audited(session, table="jobs.update")
        note(session, status=values["status"])
        return True
    return False


@mutation(None, audit="job.reclaim", entity="job")
def reclaim_stale_jobs(
    session: Session,
    *,
    actor: str,
    stale_after: dt.timedelta,
    alive: Collection[str] = (),
) -> list[int]:
    """Queue again the running jobs whose worker stopped writing heartbeats (it died); their ids.

    ``alive`` names workers known to be running (this process's own): their jobs are left alone,
    since on SQLite a long write transaction holds back their heartbeats. A job that has already
    been tried :data:`MAX_ATTEMPTS` times is failed instead, naming the worker that last had it.
    """
    cutoff = _now() - stale_after
    rows = session.scalars(
        select(JobRow)
        .where(JobRow.status == JobStatus.RUNNING, JobRow.heartbeat_at < cutoff)
        .order_by(JobRow.id)
        .with_for_update(skip_locked=True)
    ).all()
    reclaimed = []
    for row in rows:
        if row.worker in alive:
            continue
        attempts = int(row.params.get("attempts", 0))
        if attempts >= MAX_ATTEMPTS:
            row.status, row.finished_at = JobStatus.FAILED, _now()
            row.error = (
                f"its worker ({row.worker}) stopped {attempts} times while running it; not tried again"
            )
            row.message = "failed"
        else:
            row.status, row.worker, row.message = (
                JobStatus.QUEUED,
                None,
                f"queued again: {row.worker} stopped",
            )
        reclaimed.append(row.id)
    if reclaimed:
        note(session, jobs=reclaimed)
    return reclaimed
