"""The pages of importing in the browser: the import page and one job's progress (issue #14)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.jobs import JobInfo, get_job, recent_jobs
from realreview.services.reviews import ReviewInfo
from realreview.services.searches import SearchSummary, summarise_searches

__all__ = ["ImportPage", "JobPage", "import_page", "job_page"]


@dataclass(frozen=True, slots=True)
class ImportPage:
    """The owner's import page: the searches to add records to, and the review's latest jobs."""

    review: ReviewInfo
    searches: list[SearchSummary]
    jobs: list[JobInfo]
    max_bytes: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class JobPage:
    """One job of the review, with what the page around it needs."""

    review: ReviewInfo
    job: JobInfo


@reads(Action.IMPORT_RECORDS)
def import_page(
    session: Session, ctx: ReviewContext, *, max_bytes: int, error: str | None = None
) -> ImportPage:
    """What the import page shows."""
    return ImportPage(
        review=ctx.review,
        searches=summarise_searches(session, ctx),
        jobs=recent_jobs(session, ctx),
        max_bytes=max_bytes,
        error=error,
    )


@reads(Action.VIEW_RECORDS)
def job_page(session: Session, ctx: ReviewContext, *, job_id: int) -> JobPage:
    """One job's progress, then its report or error."""
    return JobPage(review=ctx.review, job=get_job(session, ctx, job_id=job_id))
