"""Importing a REFI-QDA project into a review: GUID maps from the file to the review's rows.

An internal step of :func:`realreview.services.import_qdpx`, which checks the permission and writes
the audit row. Each code, source, selection, coding and note is matched by GUID first (a code also by
its name among its siblings), so importing the same project twice adds nothing the second time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.coding.codebook import CodeOrigin
from realreview.coding.excerpts import page_of
from realreview.coding.qda import QdaCode, QdaProject, QdaSelection, QdaSource, walk_codes
from realreview.fulltext import ExtractedText, FileStore, split_pages
from realreview.services.documents import store_document
from realreview.storage.models import CodeRow, CodingRow, DocumentRow, ExcerptRow, MemoRow

__all__ = ["DEDUCTIVE_SET", "ProjectImporter"]

#: The REFI-QDA set whose members are the review's deductive codes.
DEDUCTIVE_SET = "RealReview: deductive codes"


class ProjectImporter:
    """One import: GUID maps from the file to rows of the review, filled as it goes."""

    def __init__(
        self, session: Session, *, review_id: int, project: QdaProject, store: FileStore, actor: str
    ):
        self.session, self.review_id, self.project, self.store, self.actor = (
            session,
            review_id,
            project,
            store,
            actor,
        )
        self.users = {u.guid: u.name for u in project.users}
        self.codes: dict[str, int] = {}
        self.documents: dict[str, int] = {}
        self.excerpts: dict[str, int] = {}
        self.notes: list[str] = []
        self.added = {"codes": 0, "documents": 0, "excerpts": 0, "codings": 0, "memos": 0}
        self.deductive = {g for s in project.sets if s.name == DEDUCTIVE_SET for g in s.code_guids}

    def who(self, guid: str | None) -> str:
        """The name of the file's user ``guid``; the importing person when the file names nobody."""
        return self.users.get(guid or "", self.actor)

    def run(self) -> None:
        """Add the codes, then the sources with their selections and codings, then the notes."""
        for code in self.project.codes:
            self._code(code, parent_id=None)
        for source in self.project.sources:
            self._source(source)
        self._notes()

    def _code(self, code: QdaCode, *, parent_id: int | None) -> None:
        existing = self.session.scalar(
            select(CodeRow).where(CodeRow.review_id == self.review_id, CodeRow.guid == code.guid)
        ) or self.session.scalar(
            select(CodeRow).where(
                CodeRow.review_id == self.review_id,
                CodeRow.parent_id.is_(None) if parent_id is None else CodeRow.parent_id == parent_id,
                CodeRow.name == " ".join(code.name.split()),
                CodeRow.merged_into.is_(None),
            )
        )
        if existing is None:
            existing = CodeRow(
                review_id=self.review_id,
                parent_id=parent_id,
                guid=code.guid,
                name=" ".join(code.name.split()) or "(unnamed code)",
                description=code.description,
                color=code.color.upper() if code.color and len(code.color) == 7 else None,
                origin=(CodeOrigin.DEDUCTIVE if code.guid in self.deductive else CodeOrigin.INDUCTIVE).value,
                is_codable=code.is_codable,
                created_by=self.actor,
            )
            self.session.add(existing)
            self.session.flush()
            self.added["codes"] += 1
        self.codes[code.guid] = existing.id
        for child in code.children:
            self._code(child, parent_id=existing.id)

    def _source(self, source: QdaSource) -> None:
        existing = self.session.scalar(
            select(DocumentRow).where(
                DocumentRow.review_id == self.review_id, DocumentRow.guid == source.guid
            )
        )
        if existing is None:
            data = source.pdf if source.pdf is not None else source.text.encode("utf-8")
            media_type = "application/pdf" if source.kind == "pdf" else "text/plain"
            stored = store_document(
                self.session,
                review_id=self.review_id,
                data=data,
                name=source.name,
                extracted=ExtractedText(source.text, split_pages(source.text), media_type),
                record_id=None,
                store=self.store,
                actor=self.who(source.creating_user),
                guid=source.guid,
            )
            document_id = stored.info.id
            if source.created is not None:
                row = self.session.get(DocumentRow, document_id)
                assert row is not None
                row.created_at = source.created
            self.added["documents"] += 1
        else:
            document_id = existing.id
        self.documents[source.guid] = document_id
        for selection in source.selections:
            self._selection(selection, document_id=document_id, text=source.text)

    def _document(self, document_id: int) -> DocumentRow:
        row = self.session.get(DocumentRow, document_id)
        assert row is not None  # stored or found by this import
        return row

    def _selection(self, selection: QdaSelection, *, document_id: int, text: str) -> None:
        excerpt = self.session.scalar(
            select(ExcerptRow).where(
                ExcerptRow.review_id == self.review_id, ExcerptRow.guid == selection.guid
            )
        )
        if excerpt is None:
            excerpt = ExcerptRow(
                review_id=self.review_id,
                document_id=document_id,
                guid=selection.guid,
                page=page_of(self._document(document_id).pages, selection.start),
                start=selection.start,
                end=selection.end,
                text=text[selection.start : selection.end],
                created_by=self.who(selection.creating_user),
            )
            if selection.created is not None:
                excerpt.created_at = selection.created
            self.session.add(excerpt)
            self.session.flush()
            self.added["excerpts"] += 1
        self.excerpts[selection.guid] = excerpt.id
        present = set(self.session.scalars(select(CodingRow.guid).where(CodingRow.excerpt_id == excerpt.id)))
        for coding in selection.codings:
            if coding.guid in present:
                continue
            row = CodingRow(
                excerpt_id=excerpt.id,
                code_id=self.codes[coding.code_guid],
                guid=coding.guid,
                created_by=self.who(coding.creating_user),
            )
            if coding.created is not None:
                row.created_at = coding.created
            self.session.add(row)
            self.added["codings"] += 1
        self.session.flush()

    def _notes(self) -> None:
        targets: dict[str, tuple[str, int | None]] = {}
        for guid in self.project.note_guids:
            targets[guid] = ("review", self.review_id)
        for code in walk_codes(self.project.codes):
            for guid in code.note_guids:
                targets[guid] = ("code", self.codes[code.guid])
        for source in self.project.sources:
            for guid in source.note_guids:
                targets[guid] = ("document", self.documents[source.guid])
            for selection in source.selections:
                for guid in selection.note_guids:
                    targets[guid] = ("excerpt", self.excerpts[selection.guid])
        known = set(self.session.scalars(select(MemoRow.guid).where(MemoRow.review_id == self.review_id)))
        for note in self.project.notes:
            if note.guid in known:
                continue
            kind, target = targets.get(note.guid, ("review", self.review_id))
            row = MemoRow(
                review_id=self.review_id,
                guid=note.guid,
                target_kind=kind,
                target_id=target,
                title=note.name,
                text=note.text,
                created_by=self.who(note.creating_user),
            )
            if note.created is not None:
                row.created_at = note.created
            self.session.add(row)
            self.added["memos"] += 1
        self.session.flush()
