"""Use case: import one export file into a review, in one transaction.

The file is checked and its format detected before anything is written; records are then streamed
from the parser into the database in batches, so memory stays flat for very large exports. Any error
(an unreadable line, a duplicate file) propagates and the caller's transaction rolls everything back:
a failed import leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import DuplicateImportError, InputError
from realreview.formats import OpenedExport, read_export
from realreview.formats.text import DEFAULT_MAX_LINE_CHARS
from realreview.records import Record
from realreview.services import audit
from realreview.services.audit import mutation
from realreview.services.context import ReviewContext
from realreview.services.rayyan import replay_rayyan_decisions
from realreview.services.screening_sample import draw_for_import
from realreview.services.searches import add_search, get_search
from realreview.storage import bulk, queries
from realreview.storage.models import ImportFileRow

__all__ = ["ImportReport", "PreparedExport", "import_export", "prepare_export"]

PROGRESS_EVERY = 2000

Progress = Callable[[int, int], None]
"""Called as ``progress(records_so_far, characters_read)`` after each batch."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: where the records went, what the file was, and every diagnostic."""

    import_id: int
    search_id: int
    file_name: str
    format: str
    database: str | None
    platform: str | None
    confidence: float
    records: int
    diagnostics: tuple[str, ...]


@mutation(Action.IMPORT_RECORDS, audit="import.file", entity="import_file")
def import_export(
    session: Session,
    ctx: ReviewContext,
    *,
    path: Path,
    search_id: int | None = None,
    database: str | None = None,
    format_name: str | None = None,
    encoding: str | None = None,
    max_bytes: int,
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
    progress: Progress | None = None,
    prepared: PreparedExport | None = None,
) -> ImportReport:
    """Import the export file at ``path`` into the review.

    With ``prepared`` (from :func:`prepare_export`, called before the edge opens its write unit of
    work) the file was already parsed and encoded, and this only writes: on SQLite the write lock is
    then held for the insert alone, not for the parse (issue #11).

    With ``search_id`` the records join that logged search; otherwise a search is logged for the file,
    named by ``database`` or by the database the file itself names (``"Unknown"`` if it names none).

    Raises:
        InputError: the file is unusable (empty, too large, binary, undecodable, unknown or broken).
        DuplicateImportError: the same bytes were already imported into this review.
    """
    review = ctx.review
    actor = ctx.actor
    if prepared is None:
        opened = read_export(
            path,
            max_bytes=max_bytes,
            encoding=encoding,
            format_name=format_name,
            max_line_chars=max_line_chars,
        )
        digest = _sha256(path)
    else:
        opened, digest = prepared.opened, prepared.digest
    earlier = queries.find_import_by_sha(session, review_id=review.id, sha256=digest)
    if earlier is not None:
        raise DuplicateImportError(
            f"{path}: already imported into review {review.id} as import {earlier.id} "
            f"({earlier.file_name}, {earlier.record_count} records, search {earlier.search_id}); nothing imported"
        )
    if search_id is not None:
        search = get_search(session, review_id=review.id, search_id=search_id)
        search_id = search.id
    else:
        search_id = add_search(
            session,
            ctx,
            database=database or opened.source.database or "Unknown",
            platform=opened.source.platform,
        ).id
    import_row = ImportFileRow(
        review_id=review.id,
        search_id=search_id,
        file_name=path.name,
        sha256=digest,
        size_bytes=opened.size,
        format=opened.format,
        detected_database=opened.source.database,
        detected_platform=opened.source.platform,
        confidence=round(min(opened.confidence, opened.source.confidence or opened.confidence), 3),
        record_count=0,
        diagnostics=[],
        imported_by=actor,
    )
    session.add(import_row)
    try:
        session.flush()
    except IntegrityError as error:
        # Two imports of one file at the same moment both pass the check above; the unique
        # (review, sha256) constraint stops the second here (issue #11).
        raise DuplicateImportError(
            f"{path}: being imported into review {review.id} by another import at this moment "
            "(same SHA-256); nothing imported"
        ) from error
    count = bulk.insert_records(
        session,
        prepared.rows if prepared is not None else _reporting(opened, progress),
        review_id=review.id,
        search_id=search_id,
        import_file_id=import_row.id,
    )
    if count == 0:
        raise InputError(f"{path}: no records found in this {opened.format} file; nothing imported")
    sampled = draw_for_import(session, review_id=review.id, setup=ctx.setup, import_file_id=import_row.id)
    diagnostics = tuple(str(d) for d in opened.diagnostics)
    if opened.source.platform == "Rayyan" or opened.source.database == "Rayyan":
        replayed = replay_rayyan_decisions(session, review_id=review.id, import_file_id=import_row.id)
        if replayed:
            diagnostics += (f"{replayed} Rayyan decisions replayed as title/abstract decision events",)
    import_row.record_count = count
    import_row.diagnostics = list(diagnostics)
    audit.note(
        session,
        entity_id=import_row.id,
        file=path.name,
        sha256=digest,
        format=opened.format,
        records=count,
        search_id=search_id,
        diagnostics=len(diagnostics),
        sampled=sampled,
    )
    return ImportReport(
        import_id=import_row.id,
        search_id=search_id,
        file_name=path.name,
        format=opened.format,
        database=opened.source.database,
        platform=opened.source.platform,
        confidence=import_row.confidence,
        records=count,
        diagnostics=diagnostics,
    )


@dataclass(frozen=True, slots=True)
class PreparedExport:
    """An export file read, parsed and encoded before any write; ``close()`` (or ``with``) frees it."""

    opened: OpenedExport
    digest: str
    rows: bulk.SpooledRows

    def close(self) -> None:
        """Delete the encoded rows."""
        self.rows.close()

    def __enter__(self) -> PreparedExport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def prepare_export(
    path: Path,
    *,
    max_bytes: int,
    format_name: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
) -> PreparedExport:
    """Read, parse and encode the export at ``path`` without touching the database (issue #11).

    Raises:
        InputError: the file is unusable (empty, too large, binary, undecodable, unknown or broken).
    """
    opened = read_export(
        path, max_bytes=max_bytes, encoding=encoding, format_name=format_name, max_line_chars=max_line_chars
    )
    digest = _sha256(path)
    return PreparedExport(opened, digest, bulk.spool_records(_reporting(opened, progress)))


def _reporting(opened: OpenedExport, progress: Progress | None) -> Iterator[Record]:
    """The file's records, calling ``progress`` every :data:`PROGRESS_EVERY` records and at the end."""
    count = 0
    for count, record in enumerate(opened.records(), 1):  # noqa: B007 - count is read after the loop
        yield record
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, opened.chars_read)
    if progress is not None:
        progress(count, opened.chars_read)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
