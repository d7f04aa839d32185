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

import datetime as dt
import hashlib
import re
import uuid
from bisect import bisect_right
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from realreview.coding.codebook import CodeOrigin
from realreview.coding.qda import QdaCode, QdaProject, QdaSelection, QdaSet, QdaSource, walk_codes
from realreview.fulltext import ExtractedText, FileStore, split_pages
from realreview.services.documents import store_document
from realreview.storage.audit import check_audited
from realreview.storage.models import CodeRow, CodingRow, DocumentRow, ExcerptRow, MemoRow

__all__ = ["DEDUCTIVE_SET", "ProjectImporter"]

#: The REFI-QDA set whose members are the review's deductive codes.
DEDUCTIVE_SET = "RealReview: deductive codes"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_FOREIGN = uuid.UUID("5b0c1f4e-7d0c-4c57-9d5e-2a4ad1f0a003")
_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
# Rows per INSERT: well under SQLite's 32,766 bound parameters with nine columns a row.
_BATCH = 2000


class PageIndex:
    """Which page a character offset is on, by binary search (:func:`~realreview.coding.excerpts.page_of`'s rule).

    >>> index = PageIndex([(1, 0, 4), (2, 5, 5), (3, 6, 9)])
    >>> [index.page_of(offset) for offset in (0, 4, 5, 8, 9)]
    [1, None, 2, 3, None]
    """

    __slots__ = ("_pages", "_starts")

    def __init__(self, pages: Sequence[Sequence[int]]) -> None:
        self._pages = sorted((int(start), int(end), int(number)) for number, start, end in pages)
        self._starts = [start for start, _, _ in self._pages]

    def page_of(self, offset: int) -> int | None:
        """The number of the page ``offset`` is on, or ``None`` (see the class docstring)."""
        at = bisect_right(self._starts, offset) - 1
        if at < 0:
            return None
        start, end, number = self._pages[at]
        if start <= offset < end or (offset == end and start == end):
            return number
        return None


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
        self._pages: dict[int, PageIndex] = {}
        self._now = dt.datetime.now(dt.UTC)
        self.notes: list[str] = []
        self.added = {"codes": 0, "documents": 0, "excerpts": 0, "codings": 0, "memos": 0}
        self.deductive = {g for s in project.sets if s.name == DEDUCTIVE_SET for g in s.code_guids}

    def who(self, guid: str | None) -> str:
        """The name of the file's user ``guid``; the importing person when the file names nobody."""
        return self.users.get(guid or "", self.actor)

    def run(self) -> None:
        """Add the codes, then the sources with their selections and codings, then notes and sets.

        Every lookup is a dict filled by one query per kind, and rows go in by the batch (one flush per
        level of the code tree, one bulk insert of excerpts and one of codings), so the cost grows with
        the size of the project, not with selections times text or codes times codes (issue 11).
        """
        self._codes()
        selections: list[tuple[QdaSelection, int, QdaSource]] = []
        for source in self.project.sources:
            document_id = self._document_for(source)
            if document_id is None:
                continue
            self.documents[source.guid] = document_id
            selections.extend((selection, document_id, source) for selection in source.selections)
        self._selections(selections)
        self._notes()
        self._sets()

    def _codes(self) -> None:
        """The code tree: each code matched by GUID, else by name among its siblings, else added.

        New codes are inserted by the batch in the file's depth-first order (so the codebook lists them
        as the file does), then given their parents in one batched update.
        """
        rows = self.session.execute(
            select(CodeRow.id, CodeRow.guid, CodeRow.parent_id, CodeRow.name, CodeRow.merged_into).where(
                CodeRow.review_id == self.review_id
            )
        ).all()
        guid_of = {row.id: row.guid for row in rows}
        by_guid: dict[str, int | None] = {row.guid: row.id for row in rows}
        # siblings by (parent's stored guid, name); new codes have no id until inserted
        siblings = {
            (guid_of.get(row.parent_id) if row.parent_id else None, row.name): row.guid
            for row in rows
            if row.merged_into is None
        }
        found: list[tuple[QdaCode, str]] = []
        new: list[dict[str, object]] = []
        parents: list[tuple[str, str]] = []
        stack: list[tuple[QdaCode, str | None]] = [(code, None) for code in reversed(self.project.codes)]
        while stack:
            code, parent = stack.pop()
            name = " ".join(code.name.split())
            guid = stored_guid(code.guid)
            matched = guid if guid in by_guid else siblings.get((parent, name))
            if matched is None:
                matched = guid
                new.append(self._new_code(code, guid=guid, name=name))
                by_guid[guid] = None
                siblings.setdefault((parent, name or "(unnamed code)"), guid)
                if parent is not None:
                    parents.append((guid, parent))
            found.append((code, matched))
            stack.extend((sub, matched) for sub in reversed(code.children))
        self._insert(CodeRow, new)
        if new:
            by_guid.update(
                self.session.execute(
                    select(CodeRow.guid, CodeRow.id)
                    .where(CodeRow.review_id == self.review_id)
                    .order_by(CodeRow.id)
                ).all()
            )
        ids = {guid: id_ for guid, id_ in by_guid.items() if id_ is not None}
        self._set_parents([(ids[child], ids[parent]) for child, parent in parents])
        self.added["codes"] += len(new)
        for code, guid in found:
            self.codes[code.guid] = ids[guid]

    def _set_parents(self, parents: list[tuple[int, int]]) -> None:
        """Link new codes to their parents: part of inserting them, so not counted as updates."""
        if not parents:
            return
        table = cast(Table, CodeRow.__table__)
        statement = (
            update(table).where(table.c.id == bindparam("child")).values(parent_id=bindparam("parent"))
        )
        params = [{"child": child, "parent": parent} for child, parent in parents]
        for start in range(0, len(params), _BATCH):
            self.session.execute(statement, params[start : start + _BATCH])

    def _new_code(self, code: QdaCode, *, guid: str, name: str) -> dict[str, object]:
        color = _color(code.color)
        if code.color and color is None:
            self.notes.append(f"code {code.name!r}: colour {code.color!r} is not #RRGGBB; left out")
        return {
            "review_id": self.review_id,
            "parent_id": None,
            "guid": guid,
            "name": name or "(unnamed code)",
            "description": code.description,
            "color": color,
            "origin": (CodeOrigin.DEDUCTIVE if code.guid in self.deductive else CodeOrigin.INDUCTIVE).value,
            "is_codable": code.is_codable,
            "created_by": self.actor,
            "created_at": self._now,
        }

    def _document_for(self, source: QdaSource) -> int | None:
        """The document that holds ``source``: found by GUID, sharing its file, or stored now."""
        guid = stored_guid(source.guid)
        by_guid = self.session.scalar(
            select(DocumentRow.id).where(DocumentRow.review_id == self.review_id, DocumentRow.guid == guid)
        )
        if by_guid is not None:
            return by_guid
        data = source.pdf if source.pdf is not None else source.text.encode("utf-8")
        sharing = self.session.execute(
            select(DocumentRow.id, DocumentRow.name)
            .where(
                DocumentRow.review_id == self.review_id,
                DocumentRow.sha256 == hashlib.sha256(data).hexdigest(),
            )
            .limit(1)
        ).first()
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
        self._pages[stored.info.id] = PageIndex(
            [(page.number, page.start, page.end) for page in stored.pages]
        )
        if source.created is not None:
            row = self.session.get(DocumentRow, stored.info.id)
            assert row is not None  # stored just now
            row.created_at = source.created
        self.added["documents"] += 1
        return stored.info.id

    def _page_index(self, document_id: int) -> PageIndex:
        index = self._pages.get(document_id)
        if index is None:
            pages = self.session.scalar(select(DocumentRow.pages).where(DocumentRow.id == document_id))
            index = self._pages[document_id] = PageIndex([tuple(page) for page in pages or ()])
        return index

    def _selections(self, selections: list[tuple[QdaSelection, int, QdaSource]]) -> None:
        """Every selection as an excerpt (one bulk insert), then every coding not yet stored (another)."""
        known = dict(
            self.session.execute(
                select(ExcerptRow.guid, ExcerptRow.id).where(ExcerptRow.review_id == self.review_id)
            ).all()
        )
        now = self._now
        new: dict[str, dict[str, object]] = {}
        for selection, document_id, source in selections:
            guid = stored_guid(selection.guid)
            if guid in known or guid in new:
                continue
            new[guid] = {
                "review_id": self.review_id,
                "document_id": document_id,
                "guid": guid,
                "page": self._page_index(document_id).page_of(selection.start),
                "start": selection.start,
                "end": selection.end,
                "text": source.text[selection.start : selection.end],
                "created_by": self.who(selection.creating_user),
                "created_at": selection.created or now,
            }
        self._insert(ExcerptRow, list(new.values()))
        if new:
            known.update(
                self.session.execute(
                    select(ExcerptRow.guid, ExcerptRow.id).where(ExcerptRow.review_id == self.review_id)
                ).all()
            )
        self.added["excerpts"] += len(new)
        present: set[tuple[int, str]] = {
            (row.excerpt_id, row.guid)
            for row in self.session.execute(
                select(CodingRow.excerpt_id, CodingRow.guid)
                .join(ExcerptRow, ExcerptRow.id == CodingRow.excerpt_id)
                .where(ExcerptRow.review_id == self.review_id)
            )
        }
        codings: list[dict[str, object]] = []
        for selection, _, _ in selections:
            excerpt_id = self.excerpts[selection.guid] = known[stored_guid(selection.guid)]
            for coding in selection.codings:
                key = (excerpt_id, stored_guid(coding.guid))
                if key in present:
                    continue
                present.add(key)
                codings.append(
                    {
                        "excerpt_id": excerpt_id,
                        "code_id": self.codes[coding.code_guid],
                        "guid": key[1],
                        "created_by": self.who(coding.creating_user),
                        "created_at": coding.created or now,
                    }
                )
        self._insert(CodingRow, codings)
        self.added["codings"] += len(codings)

    def _insert(self, model: type[CodeRow | ExcerptRow | CodingRow], rows: list[dict[str, object]]) -> None:
        """Insert ``rows`` by the batch (an executemany each), counted for the audit row."""
        if not rows:
            return
        check_audited(self.session, table=f"{model.__tablename__}.insert", count=len(rows))
        for start in range(0, len(rows), _BATCH):
            self.session.execute(insert(cast(Table, model.__table__)), rows[start : start + _BATCH])

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
