"""Importing a REFI-QDA project into a review: GUID maps from the file to the review's rows.

An internal step of :func:`realreview.services.import_qdpx`, which checks the permission and writes
the audit row. Each code, source, selection, coding and note is matched by GUID first (a code also by
its name among its siblings), so importing the same project twice adds nothing the second time.

What the REFI-QDA files hold that the review keeps in its own way:

* **Sources sharing one file.** NVivo for Mac exports two sources with the same content; the review
  stores the file once and gives each source its own document on it (with its own text: the same
  PDF may carry another tool's text), and a note says so.
* **Code sets** other than RealReview's deductive set (ATLAS.ti's code groups, a codebook's sets): each
  becomes a review memo titled ``Code set: <name>`` listing its codes, with the set's GUID, so that
  importing twice adds it once.
* **GUIDs that are not GUIDs** (a hand-made codebook's ``c001``): stored as a UUID derived from them,
  so that the review exports valid REFI-QDA and a second import still matches.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.coding.codebook import CodeOrigin
from realreview.coding.excerpts import page_of
from realreview.coding.qda import QdaCode, QdaProject, QdaSelection, QdaSet, QdaSource, walk_codes
from realreview.fulltext import ExtractedText, FileStore, split_pages
from realreview.services.documents import store_document
from realreview.storage.models import CodeRow, CodingRow, DocumentRow, ExcerptRow, MemoRow

__all__ = ["DEDUCTIVE_SET", "ProjectImporter"]

#: The REFI-QDA set whose members are the review's deductive codes.
DEDUCTIVE_SET = "RealReview: deductive codes"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_FOREIGN = uuid.UUID("5b0c1f4e-7d0c-4c57-9d5e-2a4ad1f0a003")
_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


def stored_guid(guid: str) -> str:
    """The GUID a file's identifier is stored under: itself if it is one, else one derived from it.

    >>> stored_guid("0a47de65-c207-4521-8a66-9a6d9ffa5f8d")
    '0a47de65-c207-4521-8a66-9a6d9ffa5f8d'
    >>> stored_guid("c001") == stored_guid("c001") != "c001"
    True
    """
    return guid if _GUID.match(guid) else str(uuid.uuid5(_FOREIGN, guid))


def _color(value: str | None) -> str | None:
    """``#RRGGBB`` upper case (``#RGB`` spelled out), or ``None`` for no or an unreadable colour."""
    if not value or not _COLOR.match(value.strip()):
        return None
    digits = value.strip()[1:]
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits).upper()


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
        """Add the codes, then the sources with their selections and codings, then notes and sets."""
        for code in self.project.codes:
            self._code(code, parent_id=None)
        for source in self.project.sources:
            self._source(source)
        self._notes()
        self._sets()

    def _code(self, code: QdaCode, *, parent_id: int | None) -> None:
        guid = stored_guid(code.guid)
        existing = self.session.scalar(
            select(CodeRow).where(CodeRow.review_id == self.review_id, CodeRow.guid == guid)
        ) or self.session.scalar(
            select(CodeRow).where(
                CodeRow.review_id == self.review_id,
                CodeRow.parent_id.is_(None) if parent_id is None else CodeRow.parent_id == parent_id,
                CodeRow.name == " ".join(code.name.split()),
                CodeRow.merged_into.is_(None),
            )
        )
        if existing is None:
            color = _color(code.color)
            if code.color and color is None:
                self.notes.append(f"code {code.name!r}: colour {code.color!r} is not #RRGGBB; left out")
            existing = CodeRow(
                review_id=self.review_id,
                parent_id=parent_id,
                guid=guid,
                name=" ".join(code.name.split()) or "(unnamed code)",
                description=code.description,
                color=color,
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
        document_id = self._document_for(source)
        if document_id is None:
            return
        self.documents[source.guid] = document_id
        for selection in source.selections:
            self._selection(selection, document_id=document_id, text=source.text)

    def _document_for(self, source: QdaSource) -> int | None:
        """The document that holds ``source``: found by GUID, sharing its file, or stored now."""
        guid = stored_guid(source.guid)
        by_guid = self.session.scalar(
            select(DocumentRow).where(DocumentRow.review_id == self.review_id, DocumentRow.guid == guid)
        )
        if by_guid is not None:
            return by_guid.id
        data = source.pdf if source.pdf is not None else source.text.encode("utf-8")
        sharing = self.session.scalar(
            select(DocumentRow)
            .where(
                DocumentRow.review_id == self.review_id,
                DocumentRow.sha256 == hashlib.sha256(data).hexdigest(),
            )
            .limit(1)
        )
        if sharing is not None:
            self.notes.append(
                f"source {source.name!r} ({source.guid}) has the same content as document {sharing.id} "
                f"{sharing.name!r}: the file is stored once and each source is its own document"
            )
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
            guid=guid,
            shared_file=True,
        )
        if source.created is not None:
            self._document(stored.info.id).created_at = source.created
        self.added["documents"] += 1
        return stored.info.id

    def _document(self, document_id: int) -> DocumentRow:
        row = self.session.get(DocumentRow, document_id)
        assert row is not None  # stored or found by this import
        return row

    def _selection(self, selection: QdaSelection, *, document_id: int, text: str) -> None:
        guid = stored_guid(selection.guid)
        excerpt = self.session.scalar(
            select(ExcerptRow).where(ExcerptRow.review_id == self.review_id, ExcerptRow.guid == guid)
        )
        if excerpt is None:
            excerpt = ExcerptRow(
                review_id=self.review_id,
                document_id=document_id,
                guid=guid,
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
            if stored_guid(coding.guid) in present:
                continue
            row = CodingRow(
                excerpt_id=excerpt.id,
                code_id=self.codes[coding.code_guid],
                guid=stored_guid(coding.guid),
                created_by=self.who(coding.creating_user),
            )
            if coding.created is not None:
                row.created_at = coding.created
            self.session.add(row)
            self.added["codings"] += 1
        self.session.flush()

    def _note_targets(self) -> dict[str, tuple[str, int | None]]:
        targets: dict[str, tuple[str, int | None]] = {}
        for guid in self.project.note_guids:
            targets[guid] = ("review", self.review_id)
        for code in walk_codes(self.project.codes):
            for guid in code.note_guids:
                targets[guid] = ("code", self.codes[code.guid])
        for source in self.project.sources:
            if source.guid not in self.documents:
                continue  # left out above, with a note
            for guid in source.note_guids:
                targets[guid] = ("document", self.documents[source.guid])
            for selection in source.selections:
                for guid in selection.note_guids:
                    targets[guid] = ("excerpt", self.excerpts[selection.guid])
        return targets

    def _notes(self) -> None:
        targets = self._note_targets()
        known = self._known_memos()
        for note in self.project.notes:
            if stored_guid(note.guid) in known:
                continue
            kind, target = targets.get(note.guid, ("review", self.review_id))
            row = self._memo(note.guid, kind, target, title=note.name, text=note.text)
            row.created_by = self.who(note.creating_user)
            if note.created is not None:
                row.created_at = note.created
        self.session.flush()

    def _sets(self) -> None:
        """Each set but the deductive one as a review memo naming its codes (see the module docstring)."""
        names = {code.guid: code.name for code in walk_codes(self.project.codes)}
        known = self._known_memos()
        for group in self.project.sets:
            if group.name == DEDUCTIVE_SET or stored_guid(group.guid) in known:
                continue
            self._memo(
                group.guid,
                "review",
                self.review_id,
                title=f"Code set: {group.name}",
                text=_set_text(group, names),
            )
        self.session.flush()

    def _known_memos(self) -> set[str]:
        return set(self.session.scalars(select(MemoRow.guid).where(MemoRow.review_id == self.review_id)))

    def _memo(self, guid: str, kind: str, target: int | None, *, title: str | None, text: str) -> MemoRow:
        row = MemoRow(
            review_id=self.review_id,
            guid=stored_guid(guid),
            target_kind=kind,
            target_id=target,
            title=title,
            text=text,
            created_by=self.actor,
        )
        self.session.add(row)
        self.added["memos"] += 1
        return row


def _set_text(group: QdaSet, names: dict[str, str]) -> str:
    """A set as memo text: its description, then its codes and sources one per line."""
    lines = [group.description] if group.description else []
    codes = [names.get(guid, guid) for guid in group.code_guids]
    lines.append(f"Codes: {'; '.join(codes)}" if codes else "Codes: none")
    if group.source_guids:
        lines.append(f"Sources: {len(group.source_guids)}")
    return "\n".join(lines)
