"""REFI-QDA exchange: a review's coding as a ``.qdpx`` project, and projects from NVivo, ATLAS.ti, MAXQDA.

What maps to what (:mod:`realreview.coding.qda` is the file's model):

========================  =====================================================================
RealReview                REFI-QDA
========================  =====================================================================
people who coded or wrote  Users (guid derived from the e-mail address, so it is stable)
codes (tree)              CodeBook; deductive codes are members of the set "RealReview: deductive codes"
documents                 TextSource (plain text) or PDFSource with its text Representation
excerpts + codings        PlainTextSelection + Coding (offsets in UTF-16 units in the file)
memos                     Notes, referenced from the code, source, selection or project
study characteristics     Variables, and a Case per study (its documents as SourceRefs)
========================  =====================================================================

Importing matches by GUID first, so importing a project twice adds nothing the second time; a code
with a new GUID but the name of an existing sibling is taken as that code. :func:`import_qdpx` takes a
``.qdpx``, a bare ``project.qde`` (with the files beside it) or a ``.qdc`` codebook alike, and
:func:`export_codebook` writes the codebook alone as a ``.qdc``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.coding.codebook import CodeOrigin
from realreview.coding.qda import (
    QdaCode,
    QdaCoding,
    QdaCounts,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSet,
    QdaSource,
    QdaUser,
    count,
)
from realreview.coding.qdc import write_qdc
from realreview.coding.qdpx_limits import QdaLimits
from realreview.coding.qdpx_read import read_refi_qda
from realreview.coding.qdpx_write import write_qdpx
from realreview.errors import ValidationError
from realreview.fulltext import FileStore
from realreview.fulltext.store import StagedFiles
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.qdpx_cases import export_cases, import_cases
from realreview.services.qdpx_import import DEDUCTIVE_SET, ProjectImporter
from realreview.storage.models import CodeRow, CodingRow, DocumentRow, ExcerptRow, MemoRow

__all__ = [
    "DEDUCTIVE_SET",
    "QdpxImport",
    "export_codebook",
    "export_qdpx",
    "import_qdpx",
    "project_of_review",
]

_USERS = uuid.UUID("5b0c1f4e-7d0c-4c57-9d5e-2a4ad1f0a001")


@dataclass(frozen=True, slots=True)
class QdpxImport:
    """What a REFI-QDA project held, and what importing it added to the review."""

    counts: QdaCounts
    codes_added: int
    documents_added: int
    excerpts_added: int
    codings_added: int
    memos_added: int
    studies_updated: int
    notes: tuple[str, ...]


def _user_guid(name: str) -> str:
    return str(uuid.uuid5(_USERS, name.casefold()))


@reads(Action.EXPORT_PROJECT)
def export_qdpx(session: Session, ctx: ReviewContext, *, store: FileStore) -> bytes:
    """The review's codebook, documents, excerpts, memos and characteristics as a ``.qdpx`` file."""
    return write_qdpx(project_of_review(session, ctx, store=store))


@reads(Action.EXPORT_PROJECT)
def export_codebook(session: Session, ctx: ReviewContext) -> bytes:
    """The review's codebook (code tree, colours, descriptions, the deductive set) as a ``.qdc`` file.

    Raises:
        ValidationError: the review has no codes (the REFI-QDA codebook schema needs at least one).
    """
    codes = _code_rows(session, ctx.review_id)
    if not codes:
        raise ValidationError("the review has no codes yet: a REFI-QDA codebook needs at least one code")
    return write_qdc(QdaProject(ctx.review.title, codes=_code_tree(codes, {}), sets=_deductive_set(codes)))


def _code_rows(session: Session, review_id: int) -> list[CodeRow]:
    return list(
        session.scalars(
            select(CodeRow)
            .where(CodeRow.review_id == review_id, CodeRow.merged_into.is_(None))
            .order_by(CodeRow.id)
        )
    )


def _deductive_set(codes: Iterable[CodeRow]) -> tuple[QdaSet, ...]:
    deductive = tuple(row.guid for row in codes if row.origin == CodeOrigin.DEDUCTIVE.value)
    return (
        (QdaSet(str(uuid.uuid5(_USERS, DEDUCTIVE_SET)), DEDUCTIVE_SET, None, deductive),) if deductive else ()
    )


def project_of_review(session: Session, ctx: ReviewContext, *, store: FileStore) -> QdaProject:
    """The review as a REFI-QDA project model (internal: :func:`export_qdpx` checks the permission)."""
    review = ctx.review
    memos = _current_memos(session, review.id)
    notes_on = _notes_by_target(memos)
    codes = _code_rows(session, review.id)
    guid_of_code = {row.id: row.guid for row in codes}
    documents = list(
        session.scalars(
            select(DocumentRow).where(DocumentRow.review_id == review.id).order_by(DocumentRow.id)
        )
    )
    users: dict[str, QdaUser] = {}

    def user(name: str | None) -> str | None:
        if not name:
            return None
        return users.setdefault(name, QdaUser(_user_guid(name), name)).guid

    sources = tuple(
        _source(session, document, guid_of_code=guid_of_code, notes_on=notes_on, user=user, store=store)
        for document in documents
    )
    variables, cases = export_cases(session, ctx, documents=documents)
    notes = tuple(
        QdaNote(memo.guid, memo.title, memo.text, user(memo.created_by), memo.created_at) for memo in memos
    )
    return QdaProject(
        name=review.title,
        origin="RealReview",
        # Only the people the project refers to, by name: the same project lists the same users.
        users=tuple(sorted(users.values(), key=lambda u: u.name)),
        codes=_code_tree(codes, notes_on),
        sources=sources,
        notes=notes,
        variables=variables,
        cases=cases,
        sets=_deductive_set(codes),
        description=review.question,
        note_guids=notes_on.get(("review", review.id), ()),
    )


def _current_memos(session: Session, review_id: int) -> list[MemoRow]:
    rows = list(session.scalars(select(MemoRow).where(MemoRow.review_id == review_id).order_by(MemoRow.id)))
    superseded = {row.supersedes for row in rows if row.supersedes is not None}
    # A removed memo stays in the review's history, not in what the review hands to another tool.
    return [row for row in rows if row.id not in superseded and row.removed_at is None]


def _notes_by_target(memos: Iterable[MemoRow]) -> dict[tuple[str, int | None], tuple[str, ...]]:
    found: dict[tuple[str, int | None], tuple[str, ...]] = {}
    for memo in memos:
        key = (memo.target_kind, memo.target_id)
        found[key] = (*found.get(key, ()), memo.guid)
    return found


def _code_tree(
    rows: list[CodeRow], notes_on: dict[tuple[str, int | None], tuple[str, ...]]
) -> tuple[QdaCode, ...]:
    children: dict[int | None, list[CodeRow]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def build(row: CodeRow) -> QdaCode:
        return QdaCode(
            guid=row.guid,
            name=row.name,
            is_codable=row.is_codable,
            color=row.color,
            description=row.description,
            children=tuple(build(child) for child in children.get(row.id, [])),
            note_guids=notes_on.get(("code", row.id), ()),
        )

    return tuple(build(row) for row in children.get(None, []))


def _source(
    session: Session,
    document: DocumentRow,
    *,
    guid_of_code: dict[int, str],
    notes_on: dict[tuple[str, int | None], tuple[str, ...]],
    user: Callable[[str | None], str | None],
    store: FileStore,
) -> QdaSource:
    name_to_guid = user
    excerpts = list(
        session.scalars(
            select(ExcerptRow)
            .where(ExcerptRow.document_id == document.id)
            .order_by(ExcerptRow.start, ExcerptRow.id)
        )
    )
    codings: dict[int, list[CodingRow]] = {}
    for coding in session.scalars(
        select(CodingRow)
        .where(CodingRow.excerpt_id.in_([e.id for e in excerpts]), CodingRow.removed_at.is_(None))
        .order_by(CodingRow.id)
    ):
        codings.setdefault(coding.excerpt_id, []).append(coding)
    selections = tuple(
        QdaSelection(
            guid=excerpt.guid,
            start=excerpt.start,
            end=excerpt.end,
            name=excerpt.text[:60] if len(excerpt.text) <= 60 else excerpt.text[:57] + "...",
            codings=tuple(
                QdaCoding(c.guid, guid_of_code[c.code_id], name_to_guid(c.created_by), c.created_at)
                for c in codings.get(excerpt.id, [])
                if c.code_id in guid_of_code
            ),
            note_guids=notes_on.get(("excerpt", excerpt.id), ()),
            creating_user=name_to_guid(excerpt.created_by),
            created=excerpt.created_at,
        )
        for excerpt in excerpts
    )
    is_pdf = document.media_type == "application/pdf"
    return QdaSource(
        guid=document.guid,
        name=document.name,
        text=document.text,
        kind="pdf" if is_pdf else "text",
        pdf=store.get(document.sha256) if is_pdf and store.has(document.sha256) else None,
        selections=selections,
        note_guids=notes_on.get(("document", document.id), ()),
        creating_user=name_to_guid(document.created_by),
        created=document.created_at,
    )


def _write_files_on_commit(session: Session, staged: StagedFiles) -> None:
    """Write the import's files to the store as its transaction commits; remove them if it rolls back.

    Until then they are held in memory, so an import that fails or is killed midway leaves no file in
    the store (issue 11). A file written by a commit that then fails is removed unless a document
    (another transaction's) references it; a file that was stored before is never removed.
    """
    if not staged.pending:
        return
    created: list[str] = []

    def write(_session: Session) -> None:
        created.extend(staged.write())

    def undo(_session: Session) -> None:
        if not created:
            return
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        with engine.connect() as connection:
            used = set(
                connection.scalars(
                    select(DocumentRow.sha256).where(DocumentRow.sha256.in_(created)).distinct()
                )
            )
        staged.discard([sha for sha in created if sha not in used])
        created.clear()

    event.listen(session, "before_commit", write, once=True)
    event.listen(session, "after_rollback", undo, once=True)


@mutation(Action.IMPORT_PROJECT, audit="qdpx.import", entity="review")
def import_qdpx(
    session: Session,
    ctx: ReviewContext,
    *,
    data: bytes,
    name: str,
    store: FileStore,
    files: Mapping[str, bytes] | None = None,
    limits: QdaLimits | None = None,
) -> QdpxImport:
    """Add a REFI-QDA project's codes, sources, selections, codings, notes and cases to the review.

    ``data`` is a ``.qdpx`` archive, a bare ``project.qde`` (``files`` then maps the names of the files
    beside it to their bytes, see :func:`realreview.coding.folder_files`) or a ``.qdc`` codebook, told
    apart by content. The whole file is read and checked before anything is stored (a broken file
    raises :class:`~realreview.errors.ParseError` naming the element); the caller's transaction makes
    the import all or nothing. What the file does not attribute to one of its users is the actor's.
    ``limits`` (``Settings.qda_limits``) caps sizes, ratios and depth before anything is unpacked.
    """
    project = read_refi_qda(data, name=name, files=files, limits=limits)
    staged = StagedFiles(store)
    importer = ProjectImporter(
        session, review_id=ctx.review_id, project=project, store=staged, actor=ctx.actor
    )
    importer.run()
    studies = import_cases(session, ctx, project=project, document_ids=importer.documents)
    audit.note(session, entity_id=ctx.review_id, file=name, **importer.added)
    _write_files_on_commit(session, staged)
    return QdpxImport(
        counts=count(project),
        codes_added=importer.added["codes"],
        documents_added=importer.added["documents"],
        excerpts_added=importer.added["excerpts"],
        codings_added=importer.added["codings"],
        memos_added=importer.added["memos"],
        studies_updated=studies.updated,
        notes=(*project.notes_on_import, *importer.notes, *studies.notes),
    )
