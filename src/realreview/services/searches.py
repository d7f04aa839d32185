"""Use cases for the search log: record a database search, and compare reported hits with imports."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview import tables
from realreview.access import Action
from realreview.errors import NotFoundError, ValidationError
from realreview.records import remove_control_characters
from realreview.reporting import SOURCE_KINDS
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage import queries
from realreview.storage.models import SearchRow

__all__ = [
    "SearchSummary",
    "add_search",
    "get_search",
    "search_appendix",
    "search_kind",
    "summarise_searches",
]

_REGISTER = re.compile(r"regist|clinicaltrials|ictrp|trial ?search", re.IGNORECASE)

APPENDIX_HEADER = (
    "database",
    "platform",
    "date searched",
    "search strategy",
    "records reported",
    "records imported",
)


@dataclass(frozen=True, slots=True)
class SearchSummary:
    """One search with what its database reported and what was imported from it."""

    id: int
    database: str
    platform: str | None
    date_run: dt.date | None
    reported_hits: int | None
    imported: int
    files: tuple[str, ...]
    query: str | None = None
    #: Where it looked, one of :data:`~realreview.reporting.SOURCE_KINDS` (PRISMA's two columns).
    kind: str = "database"

    @property
    def difference(self) -> int | None:
        """Imported minus reported (negative: records missing from the export files)."""
        return None if self.reported_hits is None else self.imported - self.reported_hits


@mutation(Action.LOG_SEARCHES, audit="search.add", entity="search")
def add_search(
    session: Session,
    ctx: ReviewContext,
    *,
    database: str,
    platform: str | None = None,
    date_run: dt.date | None = None,
    query: str | None = None,
    reported_hits: int | None = None,
    kind: str | None = None,
) -> SearchSummary:
    """Log one database search (PRISMA-S: database, platform, date, full query, hits).

    ``kind`` says which PRISMA column its records start in: ``database`` or ``register``
    (identification via databases and registers), or ``website``, ``organisation`` or ``citation``
    (identification via other methods). Left out, a name that reads as a trial register is a
    register and anything else a database.

    Control characters (NUL and the other C0 characters but tab and line ends) are removed from the
    text, so that SQLite and PostgreSQL (which refuses NUL) store the same.
    """
    database = remove_control_characters(database)[0]
    platform = None if platform is None else remove_control_characters(platform)[0]
    query = None if query is None else remove_control_characters(query)[0]
    if not database.strip():
        raise ValidationError("a search needs a database name, e.g. --database MEDLINE")
    if reported_hits is not None and reported_hits < 0:
        raise ValidationError(f"hits must be zero or more, not {reported_hits}")
    if kind is not None and kind not in SOURCE_KINDS:
        raise ValidationError(f"search kind {kind!r}: use one of {', '.join(SOURCE_KINDS)}")
    if date_run is not None and date_run > dt.date.today():
        raise ValidationError(f"the search date {date_run.isoformat()} is in the future")
    row = SearchRow(
        review_id=ctx.review_id,
        database=database.strip(),
        platform=(platform or "").strip() or None,
        date_run=date_run,
        query=query,
        reported_hits=reported_hits,
        source_kind=kind,
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(
        session,
        database=row.database,
        platform=row.platform,
        hits=reported_hits,
        date=date_run.isoformat() if date_run else None,
        kind=kind,
    )
    return SearchSummary(
        row.id, row.database, row.platform, row.date_run, row.reported_hits, 0, (), query, search_kind(row)
    )


def search_kind(row: SearchRow) -> str:
    """Where the search looked: as logged, else a register when its name says so, else a database."""
    if row.source_kind:
        return row.source_kind
    return "register" if _REGISTER.search(row.database) else "database"


def get_search(session: Session, *, review_id: int, search_id: int) -> SearchRow:
    """The search ``search_id`` of the review, or a clear error."""
    row = session.get(SearchRow, search_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(
            f"review {review_id} has no search with id {search_id} (see: realreview searches)"
        )
    return row


@reads(Action.VIEW_RECORDS)
def summarise_searches(session: Session, ctx: ReviewContext) -> list[SearchSummary]:
    """Every search of the review with reported hits and imported records, in logging order."""
    review = ctx.review
    counts = queries.record_counts_by_search(session, review_id=review.id)
    return [
        SearchSummary(
            id=row.id,
            database=row.database,
            platform=row.platform,
            date_run=row.date_run,
            reported_hits=row.reported_hits,
            imported=counts.get(row.id, 0),
            files=tuple(file.file_name for file in row.files),
            query=row.query,
            kind=search_kind(row),
        )
        for row in queries.searches_of(session, review_id=review.id)
    ]


@reads(Action.VIEW_RECORDS)
def search_appendix(session: Session, ctx: ReviewContext, *, fmt: str) -> str | bytes:
    """The search strategy appendix (per search: database, platform, date, query, hits) as csv, xlsx or docx.

    Raises:
        ValidationError: another format.
    """
    rows = [
        (
            search.database,
            search.platform or "",
            search.date_run.isoformat() if search.date_run else "",
            search.query or "",
            search.reported_hits,
            search.imported,
        )
        for search in summarise_searches(session, ctx)
    ]
    table = tables.Table(APPENDIX_HEADER, rows)
    if fmt == "csv":
        return tables.to_csv(table)
    if fmt == "xlsx":
        return tables.to_xlsx(table, title="Search strategy")
    if fmt == "docx":
        return tables.to_docx([("", table)], title=f"{ctx.review.title}: search strategy")
    raise ValidationError(f"appendix format {fmt!r}: use csv, xlsx or docx")
