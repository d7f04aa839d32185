"""The database schema as typed SQLAlchemy 2 models; Alembic migrations are written from these.

Records keep their raw fields (``raw``: the ``[tag, value]`` pairs exactly as parsed) beside the
normalised columns; nothing from an export is thrown away. ``AuditLog`` is append-only: services add
rows, nothing updates or deletes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonType = JSON().with_variant(JSONB(), "postgresql")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so constraint names match on SQLite and PostgreSQL."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReviewRow(Base):
    """A review: the unit that owns searches, records and (later) decisions."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    question: Mapped[str | None] = mapped_column(Text)
    #: Where the protocol is registered (PROSPERO CRD42023381062, an OSF link), as the paper cites it.
    protocol: Mapped[str | None] = mapped_column(Text)
    #: Who funded the review (RAMESES item 19, PRISMA item 25).
    funding: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(200))

    searches: Mapped[list[SearchRow]] = relationship(back_populates="review")


class SearchRow(Base):
    """One database search as reported in the methods: where, when, the query and the hits it gave."""

    __tablename__ = "searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    database: Mapped[str] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(Text)
    date_run: Mapped[dt.date | None] = mapped_column(Date)
    query: Mapped[str | None] = mapped_column(Text)
    reported_hits: Mapped[int | None] = mapped_column(Integer)
    # Where the records came from in PRISMA 2020's terms: "database", "register", or one of the
    # other methods ("website", "organisation", "citation"); NULL means "database" (or a register,
    # told by its name), as before the column existed.
    source_kind: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(200))

    review: Mapped[ReviewRow] = relationship(back_populates="searches")
    files: Mapped[list[ImportFileRow]] = relationship(back_populates="search", order_by="ImportFileRow.id")


class ImportFileRow(Base):
    """One export file imported into a search (a search may need several files: Scopus caps exports)."""

    __tablename__ = "import_files"
    __table_args__ = (UniqueConstraint("review_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    search_id: Mapped[int] = mapped_column(ForeignKey("searches.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(50))
    detected_database: Mapped[str | None] = mapped_column(Text)
    detected_platform: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    record_count: Mapped[int] = mapped_column(Integer)
    diagnostics: Mapped[list[str]] = mapped_column(JsonType, default=list)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    imported_by: Mapped[str] = mapped_column(String(200))

    search: Mapped[SearchRow] = relationship(back_populates="files")


class RecordRow(Base):
    """One record from one export file: raw fields verbatim plus normalised columns."""

    __tablename__ = "records"
    # (review_id, doi) also serves every "records of this review" query, so review_id needs no index of its own.
    __table_args__ = (
        Index("ix_records_review_doi", "review_id", "doi"),
        Index("ix_records_review_pmid", "review_id", "pmid"),
        # The records still to screen (not duplicates), counted and walked from the index alone.
        Index("ix_records_review_duplicate", "review_id", "duplicate_of", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    search_id: Mapped[int] = mapped_column(ForeignKey("searches.id", ondelete="CASCADE"), index=True)
    import_file_id: Mapped[int] = mapped_column(ForeignKey("import_files.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    line: Mapped[int | None] = mapped_column(Integer)
    raw: Mapped[list[list[str]]] = mapped_column(JsonType)
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[list[str]]] = mapped_column(JsonType)
    year: Mapped[int | None] = mapped_column(Integer)
    journal: Mapped[str | None] = mapped_column(Text)
    volume: Mapped[str | None] = mapped_column(Text)
    issue: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[str | None] = mapped_column(Text)
    doi: Mapped[str | None] = mapped_column(Text)
    pmid: Mapped[str | None] = mapped_column(String(20))
    abstract: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JsonType)
    language: Mapped[str | None] = mapped_column(Text)
    publication_type: Mapped[str | None] = mapped_column(Text)
    # The root of this record's duplicate group (NULL for roots and unique records). Derived from the
    # latest dedup run and the reviewers' decisions; records themselves are never deleted.
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), index=True
    )


class DedupRunRow(Base):
    """One run of the automatic deduplication over a review's records."""

    __tablename__ = "dedup_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(String(200))
    record_count: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)


class DedupLinkRow(Base):
    """A pair of records the matcher linked in one run, with its score and explanation (kept forever)."""

    __tablename__ = "dedup_links"
    __table_args__ = (Index("ix_dedup_links_run_status", "run_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("dedup_runs.id", ondelete="CASCADE"))
    record_a_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    record_b_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    agreed: Mapped[list[str]] = mapped_column(JsonType)
    conflicted: Mapped[list[str]] = mapped_column(JsonType)
    reason: Mapped[str] = mapped_column(Text)


class DedupDecisionRow(Base):
    """A reviewer's verdict on a pair: append-only; the latest verdict on a pair is the one in force."""

    __tablename__ = "dedup_decisions"
    __table_args__ = (Index("ix_dedup_decisions_pair", "review_id", "record_a_id", "record_b_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_a_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    record_b_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    note: Mapped[str | None] = mapped_column(Text)


class UserRow(Base):
    """A person who can sign in; the password is stored only as an argon2 hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class MemberRow(Base):
    """A user's role in one review: owner, reviewer or viewer."""

    __tablename__ = "review_members"
    __table_args__ = (UniqueConstraint("review_id", "user_id", name="uq_review_members_review_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    added_by: Mapped[str] = mapped_column(String(200))


class InvitationRow(Base):
    """A one-time link an owner hands to a new member: the link holds a random token, the table its SHA-256.

    Opening the link lets the person set their password and join with ``role``; the token then stops
    working (``used_at``). An owner may withdraw it before (``revoked_at``); it lapses at ``expires_at``.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class JobRow(Base):
    """Long work (an import, a deduplication run, later model training) run outside the request.

    Any worker may claim a queued job (``status`` queued -> running -> done | failed); progress is
    written here as it goes, so every worker and every reload shows the same. ``params`` and
    ``result`` are JSON; an input file waits in the file store under ``input_sha256``.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(100))


class SessionRow(Base):
    """One signed-in browser session; the cookie holds a random id, the table only its SHA-256.

    A session reads and writes until it is revoked (logout, a password change, a member's removal,
    an owner's sign-out-everywhere), idle past the idle timeout, or past ``expires_at``.
    """

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottleRow(Base):
    """Recent failed sign-ins under one key (an account, a client address, or the pair), shared by every worker."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(450), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)


class ScreeningSetupRow(Base):
    """A review's screening setup: criteria, reasons, vocabularies, highlights, blinding, dual sample."""

    __tablename__ = "screening_setups"

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    inclusion: Mapped[list[str]] = mapped_column(JsonType, default=list)
    exclusion: Mapped[list[str]] = mapped_column(JsonType, default=list)
    exclusion_reasons: Mapped[list[str]] = mapped_column(JsonType, default=list)
    tags: Mapped[dict[str, list[str]]] = mapped_column(JsonType, default=dict)
    include_words: Mapped[list[str]] = mapped_column(JsonType, default=list)
    exclude_words: Mapped[list[str]] = mapped_column(JsonType, default=list)
    blinded: Mapped[bool] = mapped_column(default=True)
    dual_fraction: Mapped[float] = mapped_column(Float, default=0.0)
    dual_seed: Mapped[int] = mapped_column(Integer, default=0)
    maybe_rule: Mapped[str] = mapped_column(String(20), default="as_include")
    # Who screens what (``screening.allocation``): everyone, lead, shared or split.
    allocation: Mapped[str] = mapped_column(String(20), default="shared")
    lead_reviewer: Mapped[str | None] = mapped_column(String(320))


class ScreeningSampleRow(Base):
    """A record drawn into the dual-screening sample: drawn once, stored, never moved by dedup.

    ``reason`` says when it was drawn: ``setup`` (the first draw or a changed fraction) or
    ``import`` (records arriving later are drawn by the same fraction as they arrive).
    """

    __tablename__ = "screening_sample"

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(20), default="setup")
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ScreeningEventRow(Base):
    """One reviewer's decision event (include, exclude, maybe, undo): append-only."""

    __tablename__ = "screening_events"
    __table_args__ = (
        Index("ix_screening_events_review_stage", "review_id", "stage", "id"),
        # A reviewer's own calls (the screening loop asks for them on every decision).
        Index("ix_screening_events_reviewer", "review_id", "stage", "reviewer", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[str] = mapped_column(String(320))
    event: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[str]] = mapped_column(JsonType, default=list)
    tags: Mapped[list[str]] = mapped_column(JsonType, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    source: Mapped[str] = mapped_column(String(100), default="realreview")


class ScreeningResolutionRow(Base):
    """An owner's final decision on a conflict: append-only; the latest per record and stage counts."""

    __tablename__ = "screening_resolutions"
    __table_args__ = (Index("ix_screening_resolutions_review_stage", "review_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(320))
    verdict: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class DocumentRow(Base):
    """A full text (PDF or plain text) of a study: its file by SHA-256 in the file store, its text here.

    ``text`` is the extracted text of every page joined by form feeds; ``pages`` holds each page's
    ``[start, end)`` character offsets into it, so an excerpt is a span of ``text``.
    """

    __tablename__ = "documents"
    # Not unique: a REFI-QDA project may hold two sources with one file's content (NVivo for Mac
    # writes them); each is its own document on one stored file. A person attaching a file twice is
    # still refused (``store_document``).
    __table_args__ = (Index("ix_documents_review_sha256", "review_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"), index=True)
    guid: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    pages: Mapped[list[list[int]]] = mapped_column(JsonType, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class CodeRow(Base):
    """A code of the review's codebook: a tree by ``parent_id``; deductive or inductive."""

    __tablename__ = "codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="SET NULL"), index=True)
    guid: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    color: Mapped[str | None] = mapped_column(String(7))
    origin: Mapped[str] = mapped_column(String(20), default="inductive")
    is_codable: Mapped[bool] = mapped_column(default=True)
    # A merged code is kept (its codings move to the target); it points where it went.
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class ExcerptRow(Base):
    """A span ``[start, end)`` of a document's text (characters), on a page, with the text it covers."""

    __tablename__ = "excerpts"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(String(36))
    page: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class CodingRow(Base):
    """A code applied to an excerpt; removing it is a recorded act (``removed_at``), never a delete."""

    __tablename__ = "codings"
    __table_args__ = (Index("ix_codings_code", "code_id", "excerpt_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    excerpt_id: Mapped[int] = mapped_column(ForeignKey("excerpts.id", ondelete="CASCADE"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(320))
    # Why an owner removed a colleague's coding (required then; the author removing their own may skip it).
    removal_reason: Mapped[str | None] = mapped_column(Text)


class MemoRow(Base):
    """A memo on a code, a document, an excerpt or the review; an edit adds a row that supersedes it."""

    __tablename__ = "memos"
    __table_args__ = (Index("ix_memos_target", "review_id", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(36))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("memos.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(320))
    removal_reason: Mapped[str | None] = mapped_column(Text)


class AppraisalRow(Base):
    """A reviewer's relevance and rigour judgement on a document or an excerpt: append-only."""

    __tablename__ = "appraisals"
    __table_args__ = (Index("ix_appraisals_target", "review_id", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    reviewer: Mapped[str] = mapped_column(String(320))
    relevance: Mapped[str | None] = mapped_column(String(20))
    relevance_rationale: Mapped[str | None] = mapped_column(Text)
    rigour: Mapped[str | None] = mapped_column(String(20))
    rigour_rationale: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(320))
    removal_reason: Mapped[str | None] = mapped_column(Text)


class ExtractionFormRow(Base):
    """A review's study-characteristics form: the fields as a JSON list (see ``characteristics.form``)."""

    __tablename__ = "extraction_forms"

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_by: Mapped[str] = mapped_column(String(320))


class ExtractionValueRow(Base):
    """One value of one field for one study by one extractor (or ``consensus``): append-only."""

    __tablename__ = "extraction_values"
    __table_args__ = (Index("ix_extraction_values_study", "review_id", "record_id", "field_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    field_key: Mapped[str] = mapped_column(String(100))
    extractor: Mapped[str] = mapped_column(String(320))
    value: Mapped[Any] = mapped_column(JsonType, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    by: Mapped[str] = mapped_column(String(320))
    source: Mapped[str] = mapped_column(String(100), default="realreview")


class AuditLogRow(Base):
    """Append-only log of every write: who did what to which entity, when, with details."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"), index=True)
    entity: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)


class SynthesisClusterRow(Base):
    """A cluster of CMOCs in the working programme theory; ``position`` is its place in the review's order."""

    __tablename__ = "synthesis_clusters"
    __table_args__ = (UniqueConstraint("review_id", "key", name="uq_synthesis_clusters_review_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    subthemes: Mapped[list[str]] = mapped_column(JsonType, default=list)
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class CMOCRow(Base):
    """A context-mechanism-outcome configuration as it stands now; every edit leaves a ``CMOCEditRow``."""

    __tablename__ = "cmocs"
    __table_args__ = (UniqueConstraint("review_id", "label", name="uq_cmocs_review_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(16))
    cluster: Mapped[str] = mapped_column(String(40))
    subtheme: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="")
    mechanism: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    direction: Mapped[str] = mapped_column(String(20), default="unclear")
    confidence: Mapped[str] = mapped_column(String(20), default="low")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class CMOCEditRow(Base):
    """One edit of a CMOC: who, when, and each changed field's earlier and new value."""

    __tablename__ = "cmoc_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    cmoc_id: Mapped[int] = mapped_column(ForeignKey("cmocs.id", ondelete="CASCADE"), index=True)
    changes: Mapped[list[list[str | None]]] = mapped_column(JsonType, default=list)
    author: Mapped[str] = mapped_column(String(320))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class CMOCRelationRow(Base):
    """How reviewers see two CMOCs connect: ``source`` refines / contrasts with / depends on ``target``."""

    __tablename__ = "cmoc_relations"
    __table_args__ = (
        UniqueConstraint("review_id", "source", "kind", "target", name="uq_cmoc_relations_edge"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class EvidenceLinkRow(Base):
    """An excerpt used as evidence for one component of a CMOC, with the reviewer's interpretation."""

    __tablename__ = "evidence_links"
    __table_args__ = (
        UniqueConstraint(
            "cmoc_id", "component", "excerpt_id", name="uq_evidence_links_cmoc_component_excerpt"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    cmoc_id: Mapped[int] = mapped_column(ForeignKey("cmocs.id", ondelete="CASCADE"), index=True)
    component: Mapped[str] = mapped_column(String(20))
    excerpt_id: Mapped[int] = mapped_column(ForeignKey("excerpts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="supports")
    interpretation: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[list[list[str]]] = mapped_column(JsonType, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))
    # A link taken back is kept, marked (who, when, why); linking the excerpt again revives the row.
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(320))
    removal_reason: Mapped[str | None] = mapped_column(Text)


class TheoryVersionRow(Base):
    """A named, frozen snapshot of the programme theory (clusters, CMOCs, relations, evidence keys)."""

    __tablename__ = "theory_versions"
    __table_args__ = (UniqueConstraint("review_id", "name", name="uq_theory_versions_review_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[dict[str, object]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class SynthesisCommentRow(Base):
    """A comment on a CMOC (by label) or on a programme theory version (by name); replies thread by ``parent_id``.

    A comment is its author's and is never edited; marking it addressed records who, when, and the
    version that addressed it.
    """

    __tablename__ = "synthesis_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    cmoc: Mapped[str | None] = mapped_column(String(16))
    version: Mapped[str | None] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("synthesis_comments.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    addressed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    addressed_by: Mapped[str | None] = mapped_column(String(320))
    addressed_in: Mapped[str | None] = mapped_column(String(100))


class EngagementRow(Base):
    """A meeting with stakeholders (an expert panel, a PPI group): when, who, what was said, which CMOCs."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    group: Mapped[str] = mapped_column(String(200))
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cmocs: Mapped[list[str]] = mapped_column(JsonType, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(320))


class PrismaEntryRow(Base):
    """A PRISMA count typed in by hand (a database searched but not imported, a count a paper reports).

    ``value`` is a number, or ``[[name, n], ...]`` for a box of named counts (exclusion reasons,
    databases). One row per box; entering it again replaces the number, and the audit log keeps
    the earlier one.
    """

    __tablename__ = "prisma_entries"
    __table_args__ = (UniqueConstraint("review_id", "box", name="uq_prisma_entries_review_box"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    box: Mapped[str] = mapped_column(String(60))
    value: Mapped[Any] = mapped_column(JsonType)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    entered_by: Mapped[str] = mapped_column(String(320))


class StudyReportRow(Base):
    """A record marked as another report of an included study (not a duplicate: a different paper).

    PRISMA 2020 counts studies and reports apart: the record stays included as a report, and the
    study it belongs to is counted once. A mark taken back is kept, marked (who, when).
    """

    __tablename__ = "study_reports"
    __table_args__ = (UniqueConstraint("review_id", "record_id", name="uq_study_reports_review_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    study_record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    marked_by: Mapped[str] = mapped_column(String(320))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(320))


class ReportedFigureRow(Base):
    """A count a source reports only as a total (29 documents from the USA), kept apart from counted data.

    A published review, or a team that extracted outside the tool, may give totals without the
    per-document values behind them; inventing those values would be wrong, so the total is stored
    as such, with where it comes from, and shown marked as reported.
    """

    __tablename__ = "reported_figures"
    __table_args__ = (
        UniqueConstraint("review_id", "topic", "label", name="uq_reported_figures_review_topic_label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    entered_by: Mapped[str] = mapped_column(String(320))


class ChecklistEntryRow(Base):
    """Where the manuscript reports one reporting-standard item (RAMESES), and the authors' note on it."""

    __tablename__ = "checklist_entries"
    __table_args__ = (
        UniqueConstraint("review_id", "standard", "item", name="uq_checklist_entries_review_standard_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    standard: Mapped[str] = mapped_column(String(40))
    item: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    entered_by: Mapped[str] = mapped_column(String(320))
