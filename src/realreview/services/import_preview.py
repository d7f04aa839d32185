"""What an uploaded export holds, shown before anything is imported (issue #14).

The browser uploads each chosen file here first: the file is checked and its format and database
detected exactly as the import will (:func:`realreview.formats.read_export`), and only its first
records are parsed, so a preview of a 100,000-record export answers at once with an estimate of
its size. A file that can be imported is kept in the file store by SHA-256, so confirming the
import queues a job over the stored bytes and the file is uploaded once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import ReviewError
from realreview.formats import read_export
from realreview.formats.text import DEFAULT_MAX_LINE_CHARS
from realreview.fulltext import FileStore
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.jobs import upload_name
from realreview.storage import queries

__all__ = ["ExportPreview", "preview_export"]

#: Records parsed for a preview; beyond them the count is estimated from the file's size.
SAMPLE_RECORDS = 500
SHOWN_TITLES = 5


@dataclass(frozen=True, slots=True)
class ExportPreview:
    """One uploaded file as detected: its format, its database, a count and its first titles."""

    file_name: str
    size: int
    sha256: str
    format: str | None = None
    database: str | None = None
    platform: str | None = None
    confidence: float | None = None
    #: Records parsed for the preview, and whether they are all the file holds.
    records_seen: int = 0
    complete: bool = False
    estimated_records: int | None = None
    titles: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: The earlier import of the same bytes into this review, if any (importing again is refused).
    already_imported: str | None = None
    error: str | None = None

    @property
    def ready(self) -> bool:
        """Whether the file can be queued for import."""
        return self.error is None and self.already_imported is None


@reads(Action.IMPORT_RECORDS)
def preview_export(
    session: Session,
    ctx: ReviewContext,
    *,
    data: bytes,
    file_name: str,
    store: FileStore,
    max_bytes: int,
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
) -> ExportPreview:
    """Detect the format and database of one uploaded export and parse its first records.

    Never raises for a bad file: the problem is the preview's ``error``, shown beside the file.
    """
    name = upload_name(file_name)
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = queries.find_import_by_sha(session, review_id=ctx.review_id, sha256=sha256)
    with tempfile.TemporaryDirectory(prefix="realreview-preview-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            preview = _detect(path, sha256=sha256, max_bytes=max_bytes, max_line_chars=max_line_chars)
        except ReviewError as error:
            message = str(error).replace(folder + os.sep, "")
            return ExportPreview(name, len(data), sha256, error=message)
    if earlier is not None:
        return replace(
            preview,
            already_imported=f"already imported on {earlier.imported_at:%Y-%m-%d} as import {earlier.id} "
            f"({earlier.record_count:,} records, search {earlier.search_id})",
        )
    store.put(data)
    return preview


def _detect(path: Path, *, sha256: str, max_bytes: int, max_line_chars: int) -> ExportPreview:
    opened = read_export(path, max_bytes=max_bytes, max_line_chars=max_line_chars)
    titles: list[str] = []
    seen, complete = 0, True
    for seen, record in enumerate(opened.records(), 1):  # noqa: B007 - seen is read after the loop
        if len(titles) < SHOWN_TITLES:
            titles.append(record.title or "(no title)")
        if seen >= SAMPLE_RECORDS:
            complete = False
            break
    estimate = seen if complete else round(seen * opened.size / max(opened.chars_read, 1))
    return ExportPreview(
        file_name=path.name,
        size=opened.size,
        sha256=sha256,
        format=opened.format,
        database=opened.source.database,
        platform=opened.source.platform,
        confidence=round(min(opened.confidence, opened.source.confidence or opened.confidence), 2),
        records_seen=seen,
        complete=complete,
        estimated_records=estimate,
        titles=tuple(titles),
        notes=tuple(str(d) for d in opened.diagnostics),
    )
