"""Jobs outside the request on SQLite and PostgreSQL: queue, claim, progress, end, reclaim (issue #14)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from tests.exports_table import EXPORTS
from tests.services.conftest import ANA, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.settings import Settings
from realreview.storage.models import ImportFileRow, JobRow, RecordRow, SearchRow

SCOPUS = EXPORTS / "ris/cff_scopus.ris"


def _settings(review: Review, url: str) -> Settings:
    return Settings(database_url=url, files_dir=str(review.store.root))


def _queue(review: Review, data: bytes, name: str = "scopus.ris", **params: object) -> services.JobInfo:
    with review.session() as session:
        return services.queue_import(
            session,
            review.ctx(session, OWNER),
            data=data,
            file_name=name,
            store=review.store,
            max_bytes=2**30,
            **params,  # type: ignore[arg-type]
        )


def _job(review: Review, job_id: int, email: str = OWNER) -> services.JobInfo:
    with review.session() as session:
        return services.get_job(session, review.ctx(session, email), job_id=job_id)


def _count(review: Review, model: type) -> int:
    with review.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_queue_claim_progress_and_finish(review: Review) -> None:
    queued = _queue(review, SCOPUS.read_bytes())
    assert (queued.status, queued.kind, queued.params["file_name"]) == ("queued", "import", "scopus.ris")
    assert review.store.has(queued.input_sha256 or "")
    with review.session() as session:
        claimed = services.claim_job(session, actor="w1")
    assert claimed is not None and claimed.id == queued.id and claimed.status == "running"
    with review.session() as session:
        assert services.claim_job(session, actor="w2") is None  # nothing else waits
        assert services.report_progress(
            session, job_id=queued.id, actor="w1", done=5, total=10, message="half"
        )
        assert not services.report_progress(
            session, job_id=queued.id, actor="w2", done=9, total=10, message="x"
        )
    seen = _job(review, queued.id, ANA)  # any member who may see records sees the progress
    assert (seen.done, seen.total, seen.percent, seen.message) == (5, 10, 50, "half")
    with review.session() as session:
        assert services.finish_job(session, job_id=queued.id, actor="w1", result={"records": 10})
        assert not services.finish_job(session, job_id=queued.id, actor="w1", error="late")
    ended = _job(review, queued.id)
    assert (ended.status, ended.result, ended.percent, ended.finished) == ("done", {"records": 10}, 100, True)


def test_run_next_imports_the_file_in_the_members_name(review: Review, database_url: str) -> None:
    before = _count(review, RecordRow)
    queued = _queue(review, SCOPUS.read_bytes(), database="Scopus")
    job = services.run_next(review.database, settings=_settings(review, database_url), worker="w1")
    assert job is not None and job.id == queued.id
    assert job.status == "done", job.error
    assert job.result is not None and job.result["records"] == 10
    assert job.result["file_name"] == "scopus.ris" and job.result["format"] == "ris"
    assert _count(review, RecordRow) == before + 10
    with review.session() as session:
        row = session.scalars(select(ImportFileRow).order_by(ImportFileRow.id.desc())).first()
        assert row is not None and row.imported_by == OWNER and row.file_name == "scopus.ris"
    assert services.run_next(review.database, settings=_settings(review, database_url), worker="w1") is None


def test_a_failing_import_stores_nothing_and_names_file_and_line(review: Review, database_url: str) -> None:
    broken = SCOPUS.read_bytes() * 30 + b"TY  - JOUR\nTI  - Caf\xe9 broken\nER  - \n"
    records, imports, searches = (_count(review, m) for m in (RecordRow, ImportFileRow, SearchRow))
    queued = _queue(review, broken, name="broken.ris")
    job = services.run_next(review.database, settings=_settings(review, database_url), worker="w1")
    assert job is not None and job.status == "failed"
    stored = _job(review, queued.id)
    assert stored.status == "failed" and stored.result is None
    assert stored.error is not None and stored.error.startswith("broken.ris: line 15032: not valid UTF-8")
    assert (_count(review, RecordRow), _count(review, ImportFileRow), _count(review, SearchRow)) == (
        records,
        imports,
        searches,
    )


def test_a_failure_inside_the_write_rolls_back(review: Review, database_url: str) -> None:
    """The same file twice: the second import is refused inside its transaction, nothing added."""
    for _ in range(2):
        _queue(review, SCOPUS.read_bytes(), name=f"s{_}.ris")
    settings = _settings(review, database_url)
    first = services.run_next(review.database, settings=settings, worker="w1")
    records = _count(review, RecordRow)
    second = services.run_next(review.database, settings=settings, worker="w1")
    assert first is not None and first.status == "done"
    assert second is not None and second.status == "failed"
    assert second.error is not None and "already imported" in second.error and "/tmp" not in second.error
    assert _count(review, RecordRow) == records


def test_two_claimers_never_take_the_same_job(review: Review) -> None:
    queued = {
        _queue(review, f"TY  - JOUR\nTI  - Job {n}\nER  - \n".encode(), name=f"{n}.ris").id for n in range(12)
    }
    taken: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def claim(worker: str) -> None:
        start.wait()
        while True:
            with review.database.unit_of_work(write=True) as session:
                job = services.claim_job(session, actor=worker)
            if job is None:
                return
            with lock:
                taken.append(job.id)

    threads = [threading.Thread(target=claim, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(taken) == sorted(queued)  # every job once, none twice


def test_a_job_whose_worker_died_is_queued_again_then_failed(review: Review) -> None:
    queued = _queue(review, SCOPUS.read_bytes())
    for attempt in range(1, services.jobs.MAX_ATTEMPTS + 1):
        with review.session() as session:
            assert services.claim_job(session, actor=f"dead{attempt}") is not None
            session.execute(
                update(JobRow)
                .where(JobRow.id == queued.id)
                .values(heartbeat_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10))
            )
        with review.session() as session:
            alive = services.reclaim_stale_jobs(
                session, actor="w", stale_after=dt.timedelta(minutes=2), alive=(f"dead{attempt}",)
            )
            assert alive == []  # a worker known to be alive keeps its job
            assert services.reclaim_stale_jobs(session, actor="w", stale_after=dt.timedelta(minutes=2)) == [
                queued.id
            ]
        job = _job(review, queued.id)
        if attempt < services.jobs.MAX_ATTEMPTS:
            assert (job.status, job.worker) == ("queued", None)
            assert job.message == f"queued again: dead{attempt} stopped"
    assert job.status == "failed" and job.error is not None and "dead3" in job.error


def test_a_fresh_heartbeat_is_not_reclaimed(review: Review) -> None:
    _queue(review, SCOPUS.read_bytes())
    with review.session() as session:
        services.claim_job(session, actor="w1")
        assert services.reclaim_stale_jobs(session, actor="w2", stale_after=dt.timedelta(minutes=2)) == []


def test_jobs_respect_the_review_and_the_role(review: Review) -> None:
    queued = _queue(review, SCOPUS.read_bytes())
    with review.session() as session:
        other = services.create_review(session, title="Other", actor="tester")
        stranger = services.trusted_context(session, review_id=other.id, actor="tester")
        with pytest.raises(NotFoundError, match=f"has no job {queued.id}"):
            services.get_job(session, stranger, job_id=queued.id)
        with pytest.raises(ForbiddenError):
            services.queue_dedup(session, review.ctx(session, ANA))  # a reviewer does not deduplicate
        with pytest.raises(ValidationError, match="not both"):
            services.queue_import(
                session,
                review.ctx(session, OWNER),
                data=b"x",
                file_name="x.ris",
                store=review.store,
                max_bytes=10,
                search_id=1,
                database="MEDLINE",
            )
        with pytest.raises(ValidationError, match="over the import limit"):
            services.queue_import(
                session,
                review.ctx(session, OWNER),
                data=b"x" * 11,
                file_name="x",
                store=review.store,
                max_bytes=10,
            )
        with pytest.raises(ValidationError, match="upload it again"):
            services.queue_import(
                session,
                review.ctx(session, OWNER),
                staged="0" * 64,
                file_name="x",
                store=review.store,
                max_bytes=10,
            )


def test_dedup_job_reports_its_summary(review: Review, database_url: str) -> None:
    with review.session() as session:
        queued = services.queue_dedup(session, review.ctx(session, OWNER))
    job = services.run_next(review.database, settings=_settings(review, database_url), worker="w1")
    assert job is not None and job.id == queued.id and job.status == "done", job.error
    assert job.result is not None and job.result["records"] == len(review.record_ids)


def test_the_runner_threads_run_jobs_and_stop(review: Review, database_url: str) -> None:
    runner = services.JobRunner(
        review.database, settings=_settings(review, database_url), threads=2, poll_seconds=0.05
    )
    runner.start()
    try:
        queued = _queue(review, SCOPUS.read_bytes())
        runner.wake()
        deadline = time.monotonic() + 30
        while not _job(review, queued.id).finished and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        runner.stop()
    assert _job(review, queued.id).status == "done"
    assert not [t for t in threading.enumerate() if t.name.startswith("jobs ")]


def test_preview_detects_without_importing(review: Review) -> None:
    records = _count(review, RecordRow)
    with review.session() as session:
        ctx = review.ctx(session, OWNER)
        found = services.preview_export(
            session,
            ctx,
            data=SCOPUS.read_bytes(),
            file_name="C:\\fakepath\\scopus.ris",
            store=review.store,
            max_bytes=2**30,
        )
        refused = services.preview_export(
            session, ctx, data=b"\x00\x01binary", file_name="x.bin", store=review.store, max_bytes=2**30
        )
        again = services.preview_export(
            session,
            ctx,
            data=(EXPORTS / "ris/cff_embase.ris").read_bytes(),  # the review fixture imported it
            file_name="embase.ris",
            store=review.store,
            max_bytes=2**30,
        )
    assert (found.file_name, found.format, found.database, found.records_seen, found.complete) == (
        "scopus.ris",
        "ris",
        "Scopus",
        10,
        True,
    )
    assert found.ready and review.store.has(found.sha256) and len(found.titles) == 5
    assert not refused.ready and refused.error is not None and refused.error.startswith("x.bin:")
    assert not again.ready and again.already_imported is not None
    assert _count(review, RecordRow) == records


def test_a_big_preview_estimates_the_count(review: Review, tmp_path: Path) -> None:
    data = SCOPUS.read_bytes() * 100
    with review.session() as session:
        found = services.preview_export(
            session,
            review.ctx(session, OWNER),
            data=data,
            file_name="big.ris",
            store=review.store,
            max_bytes=2**30,
        )
    assert not found.complete and found.records_seen == 500
    assert found.estimated_records is not None and 900 <= found.estimated_records <= 1100
