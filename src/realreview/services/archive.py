"""Archive a whole review to one portable zip, and restore it into any database (issue #13, item 5).

``archive_review`` writes every row of the review (every table of the schema that reaches the review
through its foreign keys, the audit log included), the accounts those rows name, and the full-text
files, with a manifest of row counts and SHA-256 checksums and a README (the format:
docs/archive.md). ``restore_review`` brings such an archive into a database, SQLite or PostgreSQL,
as a new review with every id remapped; restoring twice gives two independent reviews.

A restore checks the whole archive first (the container, :mod:`.archive_zip`; then every row and
reference, :mod:`.archive_rows`) and writes only when all of it is sound, inside the caller's one
transaction: a damaged, tampered or foreign archive is refused with its member named, and leaves
nothing behind (its files reach the store only when the transaction commits).

Choices the format makes:

* Password hashes are not archived (an archive gets copied and mailed, and a hash in it could be
  attacked offline), nor are sign-in sessions and throttles. A restored account that the database
  did not have gets no password; it is set with ``realreview members password EMAIL``. An account
  the database has (same e-mail) is reused as it is.
* Archiving is the owner's act (:attr:`Action.ARCHIVE_REVIEW`): the archive holds everyone's blinded
  work. Restoring creates a review, like ``realreview init``: it needs no role in any review.
* An audit row keeps its actor, time, action and details as written; its entity id is remapped, or
  dropped when the entity is not in the archive (a member since removed, a session). Ids quoted
  inside the details stay those of the database the review came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from realreview import __version__
from realreview.access import Action
from realreview.errors import ValidationError
from realreview.fulltext import FileStore
from realreview.fulltext.store import StagedFiles
from realreview.services import audit
from realreview.services.archive_insert import insert_rows
from realreview.services.archive_rows import ArchivedRows, check_references, encode_lines, read_rows
from realreview.services.archive_tables import (
    NOT_ARCHIVED,
    POINTERS,
    STORED_FILES,
    WITHHELD,
    TablePlan,
    encode,
    plan,
    review_rows,
)
from realreview.services.archive_zip import (
    FORMAT,
    FORMAT_VERSION,
    README,
    ArchiveLimits,
    file_member,
    open_archive,
    table_member,
    write_archive,
)
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.qdpx import _write_files_on_commit
from realreview.storage import engine as storage

__all__ = ["ArchiveLimits", "RestoredReview", "ReviewArchive", "archive_review", "restore_review"]


@dataclass(frozen=True, slots=True)
class ReviewArchive:
    """An archive as written: its bytes, and what it holds."""

    data: bytes
    review_id: int
    title: str
    rows: Mapping[str, int]
    files: int
    #: Files the documents name that the store lacked (the documents' text is archived all the same).
    missing_files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RestoredReview:
    """A review restored from an archive."""

    id: int
    title: str
    source_review_id: int
    rows: Mapping[str, int]
    files: int
    #: Accounts the database already had (by e-mail), and accounts created without a password.
    accounts_matched: tuple[str, ...]
    accounts_created: tuple[str, ...]


@reads(Action.ARCHIVE_REVIEW)
def archive_review(session: Session, ctx: ReviewContext, *, store: FileStore) -> ReviewArchive:
    """Every row of the review, the accounts it names and its stored files, as one zip (see docs/archive.md).

    Raises:
        ParseError: a stored file no longer matches its SHA-256 (the store was altered on disk), or
            the review's rows do not hold together (a restore's reference checks, run first here).
    """
    tables = _review_tables(session, ctx.review_id)
    members = {table_member(name): encode_lines(rows) for name, rows in tables.items()}
    digests = sorted(
        {row[column] for table, column in STORED_FILES for row in tables.get(table, []) if row.get(column)}
    )
    files = {sha: store.get(sha) for sha in digests if store.has(sha)}
    members.update({file_member(sha): data for sha, data in files.items()})
    review = tables["reviews"][0]
    now = dt.datetime.now(dt.UTC).isoformat()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_revision": storage.head_revision(_engine(session)),
        "created_at": now,
        "created_by": ctx.actor,
        "review": {"id": review["id"], "title": review["title"]},
        "tables": {
            table.name: {"rows": len(tables[table.name]), "columns": [c.name for c in table.columns]}
            for table in plan()
        },
        "files": sorted(files),
        "missing_files": [sha for sha in digests if sha not in files],
        "not_archived": {**NOT_ARCHIVED, **{f"{t}.{c}": why for (t, c), why in WITHHELD.items()}},
    }
    members[README] = _readme(manifest).encode("utf-8")
    # A restore's reference checks, on what is about to be written: an archive that would not restore
    # is refused. (Lengths are not held against it: SQLite keeps longer text, and a backup must not fail.)
    columns = {name: tuple(entry["columns"]) for name, entry in manifest["tables"].items()}
    check_references(ArchivedRows(tables, columns, review["id"]), manifest, name="the archive")
    return ReviewArchive(
        data=write_archive(manifest, members),
        review_id=review["id"],
        title=review["title"],
        rows={name: len(rows) for name, rows in tables.items()},
        files=len(files),
        missing_files=tuple(manifest["missing_files"]),
    )


@mutation(None, audit="review.restore", entity="review")
def restore_review(
    session: Session,
    *,
    data: bytes,
    name: str,
    store: FileStore,
    actor: str,
    title: str | None = None,
    limits: ArchiveLimits | None = None,
) -> RestoredReview:
    """Restore the archive ``data`` (file ``name``, for messages) as a new review; ``title`` renames it.

    The whole archive is checked before anything is written; files reach ``store`` when the caller's
    transaction commits. ``actor`` is who restores (for this call's audit row); the restored rows keep
    their own authors and times.

    Raises:
        EmptyFileError, FileTooLargeError, UnknownFormatError, ParseError, ValidationError: the
            archive is empty, too large (a zip bomb), not an archive, damaged or tampered, or from a
            newer RealReview; the message names the member and the problem. Nothing is written.
    """
    if title is not None and not title.strip():
        raise ValidationError("a restored review needs a title that is not blank")
    opened = open_archive(data, name=name, limits=limits or ArchiveLimits())
    engine = _engine(session)
    revisions = [revision for revision, _ in storage.history(engine)]
    lengths = engine.dialect.name != "sqlite"  # SQLite keeps text longer than its column's length
    archived = read_rows(opened.manifest, opened.members, name=name, revisions=revisions, lengths=lengths)
    inserted = insert_rows(session, archived, name=name, title=title and " ".join(title.split()))
    staged = StagedFiles(store)
    for sha in opened.manifest["files"]:
        staged.put(opened.members[file_member(sha)])
    _write_files_on_commit(session, staged)  # the REFI-QDA import's hook: files wait for the commit
    audit.note(
        session,
        entity_id=inserted.review_id,
        archive=name,
        source_review=archived.review_id,
        schema_revision=opened.manifest["schema_revision"],
        accounts_created=inserted.created,
    )
    return RestoredReview(
        id=inserted.review_id,
        title=inserted.title,
        source_review_id=archived.review_id,
        rows=inserted.rows,
        files=len(opened.manifest["files"]),
        accounts_matched=tuple(inserted.matched),
        accounts_created=tuple(inserted.created),
    )


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _review_tables(session: Session, review_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every archived table's rows of the review, encoded for JSON; accounts as far as rows name them."""
    tables: dict[str, list[dict[str, Any]]] = {}
    shared: list[TablePlan] = []
    for table in plan():
        if table.shared:
            shared.append(table)
            continue
        tables[table.name] = [
            {column.name: encode(column, row[column.name]) for column in table.columns}
            for row in session.execute(review_rows(table, review_id)).mappings()
        ]
    for table in shared:
        named = _named_keys(tables, table.name)
        query = select(*table.columns).where(table.table.c[table.key or ""].in_(sorted(named)))
        tables[table.name] = [
            {column.name: encode(column, row[column.name]) for column in table.columns}
            for row in session.execute(query.order_by(table.table.c[table.key or ""])).mappings()
        ]
    return {table.name: tables[table.name] for table in plan()}


def _named_keys(tables: Mapping[str, list[dict[str, Any]]], shared: str) -> set[Any]:
    """The keys of ``shared`` rows that the review's rows name, by foreign key or declared pointer."""
    named: set[Any] = set()
    for table in plan():
        for column, target in table.references.items():
            if target == shared:
                named.update(row[column] for row in tables.get(table.name, []) if row[column] is not None)
    for pointer in POINTERS:
        kinds = {kind for kind, target in pointer.targets.items() if target == shared}
        named.update(
            row[pointer.column]
            for row in tables.get(pointer.table, [])
            if row[pointer.kind_column] in kinds and row[pointer.column] is not None
        )
    return named


def _readme(manifest: Mapping[str, Any]) -> str:
    review = manifest["review"]
    return f"""# RealReview archive: {review["title"]}

Review {review["id"]}, archived {manifest["created_at"]} by {manifest["created_by"]} with RealReview
{manifest["app_version"]} (database schema {manifest["schema_revision"]}).

This zip holds the whole review: every row of every table that belongs to it, the accounts its rows
name, and the full-text files. Restore it into any RealReview database (SQLite or PostgreSQL) with

    realreview restore THIS.zip

which checks everything first and then creates a new review with new ids.

* `manifest.json`: the format (`{FORMAT}`, version {FORMAT_VERSION}), the review, each table's row count and
  columns, the stored files, and the size and SHA-256 of every other member.
* `tables/<table>.jsonl`: one JSON object per line, one line per row, in id order. Times are ISO 8601
  in UTC, dates ISO 8601, JSON columns are JSON, bytes would be base64; ids are those of the
  database the review came from (restore gives new ones and rewrites every reference).
* `files/<sha256>`: each stored file (PDF or text) under its SHA-256; `documents.sha256` names it.
* Not archived: {", ".join(sorted(manifest["not_archived"]))}. Restored accounts new to a database
  have no password until one is set (`realreview members password EMAIL`).

The checksums find damage, not a deliberate change: anyone can rewrite the manifest too.
"""
