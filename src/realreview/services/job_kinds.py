"""What each kind of job does when a worker runs it: an import, a deduplication run.

A handler gets a :class:`JobWork` (the job, the database, the file store, the limits and a progress
sink) and opens its own unit of work, exactly as the CLI command of the same name does; it returns
the job's result as JSON-ready data, or raises. A :class:`~realreview.errors.ReviewError` is the
user's to fix and becomes the job's error as is; anything it wrote is rolled back with its
transaction, so a failed import stores nothing.

The job runs in the name of the member who queued it: their context is resolved again when it
runs, so a member removed meanwhile can no longer import. An actor who is no account at all is the
command line's (``realreview`` run by whoever holds the database), trusted as the owner.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.errors import InputError, NotFoundError, ReviewError
from realreview.fulltext import FileStore
from realreview.services.context import ReviewContext, review_context, trusted_context
from realreview.services.database import Database
from realreview.services.dedup import run_dedup
from realreview.services.imports import import_export, prepare_export
from realreview.services.jobs import JobInfo
from realreview.storage.models import UserRow

__all__ = ["KINDS", "JobWork", "ProgressSink"]


class ProgressSink(Protocol):
    """Where a handler says how far it is; the runner writes the latest to the job now and then."""

    def update(self, done: int, total: int | None, message: str) -> None:
        """Note the job's progress (cheap: called for every batch)."""


@dataclass(frozen=True, slots=True)
class JobWork:
    """What a handler needs to run one job."""

    job: JobInfo
    database: Database
    store: FileStore
    progress: ProgressSink
    max_import_bytes: int
    max_line_chars: int


def _context(session: Session, job: JobInfo) -> ReviewContext:
    if job.review_id is None:
        raise NotFoundError(f"job {job.id} belongs to no review")
    try:
        return review_context(session, review_id=job.review_id, email=job.created_by)
    except NotFoundError:
        is_account = session.scalar(select(UserRow.id).where(UserRow.email == job.created_by.lower()))
        if is_account is not None:  # a member removed since they queued it
            raise
        return trusted_context(session, review_id=job.review_id, actor=job.created_by)


def run_import(work: JobWork) -> Mapping[str, Any]:
    """Import the job's stored file: parse and encode first, then one short write transaction."""
    job, sink = work.job, work.progress
    if job.input_sha256 is None:
        raise NotFoundError(f"job {job.id}: no input file")
    name = str(job.params.get("file_name") or "upload")
    with tempfile.TemporaryDirectory(prefix="realreview-import-") as folder:
        path = Path(folder) / name
        _place(work.store, job.input_sha256, path)
        size = path.stat().st_size
        sink.update(0, size, "reading the file")
        read = [0]

        def reading(records: int, chars: int) -> None:
            read[0] = records
            sink.update(min(chars, size), size, f"{records:,} records read")

        try:
            prepared = prepare_export(
                path,
                max_bytes=work.max_import_bytes,
                format_name=job.params.get("format"),
                progress=reading,
                max_line_chars=work.max_line_chars,
            )
            with prepared:
                if prepared.digest != job.input_sha256:
                    raise InputError(f"{name}: the stored upload was altered; upload the file again")
                sink.update(size, size, f"storing {prepared.rows.count:,} records")
                with work.database.unit_of_work(write=True) as session:
                    report = import_export(
                        session,
                        _context(session, job),
                        path=path,
                        search_id=job.params.get("search_id"),
                        database=job.params.get("database"),
                        max_bytes=work.max_import_bytes,
                        prepared=prepared,
                    )
        except ReviewError as error:
            # Name the file as the user knows it, not by the worker's temporary folder.
            raise type(error)(str(error).replace(folder + os.sep, "")) from error
    result = dataclasses.asdict(report)
    result["diagnostics"] = list(report.diagnostics)
    return result


def _place(store: FileStore, sha256: str, path: Path) -> None:
    """Put the stored upload at ``path`` under its own name: a hard link where it can, else a copy."""
    source = store.path(sha256)
    if not source.is_file():
        raise NotFoundError(f"{path.name}: the uploaded file is no longer in the file store; upload it again")
    try:
        os.link(source, path)
    except OSError:
        shutil.copyfile(source, path)


def run_dedup_job(work: JobWork) -> Mapping[str, Any]:
    """Deduplicate the review's records, in one transaction as ``realreview dedup`` does.

    On SQLite that transaction holds the write lock, so the progress it reports is written when it
    ends; on PostgreSQL it shows as it goes.
    """
    sink = work.progress
    sink.update(0, None, "finding duplicates")
    with work.database.unit_of_work(write=True) as session:
        summary = run_dedup(
            session,
            _context(session, work.job),
            progress=lambda stage, done, total: sink.update(done, total, stage),
        )
    return dataclasses.asdict(summary)


#: Each kind of job and what runs it.
KINDS: Mapping[str, Callable[[JobWork], Mapping[str, Any]]] = {
    "import": run_import,
    "dedup": run_dedup_job,
}
