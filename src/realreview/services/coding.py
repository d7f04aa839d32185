"""Use cases for qualitative coding: the code tree, excerpts of full texts, codings and the matrix.

Nothing a reviewer made is deleted: a code merged into another stays (``merged_into``) with its
codings moved; a coding taken off an excerpt is marked removed, with who and when; every change to a
code's name, colour, description or place is in the audit log with the old value.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.coding.codebook import CodeNode, descendants, would_cycle
from realreview.coding.matrix import CodeDocumentMatrix, build_matrix
from realreview.errors import NotFoundError, ValidationError
from realreview.services.documents import get_document_row
from realreview.storage import queries
from realreview.storage.models import CodeRow, CodingRow, DocumentRow, ExcerptRow

__all__ = [
    "Code",
    "CodeOrigin",
    "Excerpt",
    "add_excerpt",
    "apply_code",
    "code_matrix",
    "codebook",
    "create_code",
    "excerpts_of_code",
    "excerpts_of_document",
    "merge_codes",
    "move_code",
    "remove_code",
    "update_code",
]


class CodeOrigin(StrEnum):
    """Where a code came from: the initial programme theory (deductive) or the data (inductive)."""

    DEDUCTIVE = "deductive"
    INDUCTIVE = "inductive"


@dataclass(frozen=True, slots=True)
class Code:
    """A code of the codebook with the number of excerpts it is applied to."""

    id: int
    parent_id: int | None
    guid: str
    name: str
    description: str | None
    color: str | None
    origin: CodeOrigin
    is_codable: bool
    excerpts: int = 0


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A coded span of a document: ``text == document.text[start:end]``."""

    id: int
    guid: str
    document_id: int
    document_name: str
    page: int | None
    start: int
    end: int
    text: str
    code_ids: tuple[int, ...]
    created_by: str
    created_at: dt.datetime


_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _code(row: CodeRow, excerpts: int = 0) -> Code:
    return Code(
        id=row.id,
        parent_id=row.parent_id,
        guid=row.guid,
        name=row.name,
        description=row.description,
        color=row.color,
        origin=CodeOrigin(row.origin),
        is_codable=row.is_codable,
        excerpts=excerpts,
    )


def _code_row(session: Session, *, review_id: int, code_id: int) -> CodeRow:
    row = session.get(CodeRow, code_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"no code {code_id} in review {review_id}")
    if row.merged_into is not None:
        raise ValidationError(f"code {code_id} ({row.name}) was merged into code {row.merged_into}")
    return row


def _active_codes(session: Session, review_id: int) -> list[CodeRow]:
    return list(
        session.scalars(
            select(CodeRow)
            .where(CodeRow.review_id == review_id, CodeRow.merged_into.is_(None))
            .order_by(CodeRow.id)
        )
    )


def _checked_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("a code needs a name")
    return cleaned


def _checked_color(color: str | None) -> str | None:
    if color in (None, ""):
        return None
    if not _COLOR.match(color):
        raise ValidationError(f"colour {color!r} is not of the form #RRGGBB")
    return color.upper()


def _check_sibling_name(
    session: Session, *, review_id: int, parent_id: int | None, name: str, code_id: int | None = None
) -> None:
    for row in _active_codes(session, review_id):
        if row.parent_id == parent_id and row.name.casefold() == name.casefold() and row.id != code_id:
            where = f"under code {parent_id}" if parent_id else "at the top of the codebook"
            raise ValidationError(f"a code named {row.name!r} already exists {where} (code {row.id})")


def create_code(
    session: Session,
    *,
    review_id: int,
    name: str,
    actor: str,
    parent_id: int | None = None,
    description: str | None = None,
    color: str | None = None,
    origin: CodeOrigin = CodeOrigin.INDUCTIVE,
    is_codable: bool = True,
    guid: str | None = None,
) -> Code:
    """Add a code to the codebook (under ``parent_id`` when given); names are unique among siblings."""
    cleaned = _checked_name(name)
    if parent_id is not None:
        _code_row(session, review_id=review_id, code_id=parent_id)
    _check_sibling_name(session, review_id=review_id, parent_id=parent_id, name=cleaned)
    row = CodeRow(
        review_id=review_id,
        parent_id=parent_id,
        guid=guid or str(uuid.uuid4()),
        name=cleaned,
        description=(description or "").strip() or None,
        color=_checked_color(color),
        origin=CodeOrigin(origin).value,
        is_codable=is_codable,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    queries.add_audit(
        session,
        actor=actor,
        action="code.create",
        entity="code",
        entity_id=row.id,
        review_id=review_id,
        details={"name": cleaned, "parent": parent_id, "origin": row.origin},
    )
    return _code(row)


def update_code(
    session: Session,
    *,
    review_id: int,
    code_id: int,
    actor: str,
    name: str | None = None,
    description: str | None = None,
    color: str | None = None,
    origin: CodeOrigin | None = None,
) -> Code:
    """Rename a code or change its description, colour or origin; the old values go to the audit log."""
    row = _code_row(session, review_id=review_id, code_id=code_id)
    before = {"name": row.name, "description": row.description, "color": row.color, "origin": row.origin}
    if name is not None:
        cleaned = _checked_name(name)
        _check_sibling_name(
            session, review_id=review_id, parent_id=row.parent_id, name=cleaned, code_id=row.id
        )
        row.name = cleaned
    if description is not None:
        row.description = description.strip() or None
    if color is not None:
        row.color = _checked_color(color)
    if origin is not None:
        row.origin = CodeOrigin(origin).value
    after = {"name": row.name, "description": row.description, "color": row.color, "origin": row.origin}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        queries.add_audit(
            session,
            actor=actor,
            action="code.update",
            entity="code",
            entity_id=row.id,
            review_id=review_id,
            details={"changed": changed},
        )
    return _code(row)


def _nodes(rows: Iterable[CodeRow]) -> list[CodeNode]:
    return [CodeNode(row.id, row.parent_id, row.name) for row in rows]


def move_code(session: Session, *, review_id: int, code_id: int, parent_id: int | None, actor: str) -> Code:
    """Re-parent a code (``None``: to the top); a code cannot move under itself or its descendants."""
    row = _code_row(session, review_id=review_id, code_id=code_id)
    if parent_id is not None:
        _code_row(session, review_id=review_id, code_id=parent_id)
    nodes = _nodes(_active_codes(session, review_id))
    if would_cycle(nodes, code_id=code_id, new_parent_id=parent_id):
        raise ValidationError(f"code {code_id} ({row.name}) cannot move under itself or one of its children")
    _check_sibling_name(session, review_id=review_id, parent_id=parent_id, name=row.name, code_id=row.id)
    old = row.parent_id
    row.parent_id = parent_id
    queries.add_audit(
        session,
        actor=actor,
        action="code.move",
        entity="code",
        entity_id=row.id,
        review_id=review_id,
        details={"from": old, "to": parent_id},
    )
    return _code(row)


def merge_codes(session: Session, *, review_id: int, source_id: int, target_id: int, actor: str) -> Code:
    """Merge code ``source_id`` into ``target_id``: its codings and children move, the code is kept.

    An excerpt coded with both keeps one coding to the target; the source's own coding row is marked
    removed (not deleted), so the merge can be traced in the data.
    """
    if source_id == target_id:
        raise ValidationError("a code cannot be merged into itself")
    source = _code_row(session, review_id=review_id, code_id=source_id)
    target = _code_row(session, review_id=review_id, code_id=target_id)
    if target_id in descendants(_nodes(_active_codes(session, review_id)), source_id):
        raise ValidationError(f"code {source_id} cannot be merged into its own child {target_id}")
    now = dt.datetime.now(dt.UTC)
    coded_by_target = set(
        session.scalars(
            select(CodingRow.excerpt_id).where(CodingRow.code_id == target_id, CodingRow.removed_at.is_(None))
        )
    )
    moved = 0
    for coding in session.scalars(
        select(CodingRow).where(CodingRow.code_id == source_id, CodingRow.removed_at.is_(None))
    ):
        if coding.excerpt_id not in coded_by_target:
            session.add(
                CodingRow(
                    excerpt_id=coding.excerpt_id, code_id=target_id, guid=str(uuid.uuid4()), created_by=actor
                )
            )
            coded_by_target.add(coding.excerpt_id)
            moved += 1
        coding.removed_at, coding.removed_by = now, actor
    for child in session.scalars(select(CodeRow).where(CodeRow.parent_id == source_id)):
        child.parent_id = target_id
    source.merged_into = target.id
    session.flush()
    queries.add_audit(
        session,
        actor=actor,
        action="code.merge",
        entity="code",
        entity_id=source.id,
        review_id=review_id,
        details={"into": target.id, "name": source.name, "codings_moved": moved},
    )
    return _code(target, len(coded_by_target))


def codebook(session: Session, *, review_id: int) -> list[Code]:
    """The review's codes (merged ones left out), each with its number of coded excerpts."""
    counts: dict[int, int] = defaultdict(int)
    for code_id in session.scalars(
        select(CodingRow.code_id)
        .join(ExcerptRow, ExcerptRow.id == CodingRow.excerpt_id)
        .where(ExcerptRow.review_id == review_id, CodingRow.removed_at.is_(None))
    ):
        counts[code_id] += 1
    return [_code(row, counts[row.id]) for row in _active_codes(session, review_id)]


def _page_of(document: DocumentRow, offset: int) -> int | None:
    for number, start, end in document.pages:
        if start <= offset < end or (offset == end and start == end):
            return int(number)
    return None


def add_excerpt(
    session: Session,
    *,
    review_id: int,
    document_id: int,
    start: int,
    end: int,
    code_ids: Sequence[int],
    actor: str,
    expected_text: str | None = None,
    guid: str | None = None,
) -> Excerpt:
    """Make ``document.text[start:end]`` an excerpt and apply ``code_ids`` to it.

    ``expected_text`` is what the reviewer saw selected; if it is not the stored text at those offsets,
    the browser and the server disagree about the document and nothing is stored.
    """
    document = get_document_row(session, review_id=review_id, document_id=document_id)
    if not 0 <= start < end <= len(document.text):
        raise ValidationError(
            f"document {document_id}: excerpt {start}-{end} is outside its text (0-{len(document.text)})"
        )
    text = document.text[start:end]
    if expected_text is not None and " ".join(expected_text.split()) != " ".join(text.split()):
        raise ValidationError(
            f"document {document_id}: the selected text does not match characters {start}-{end}; "
            "reload the page and select again"
        )
    codes = [_code_row(session, review_id=review_id, code_id=code_id) for code_id in dict.fromkeys(code_ids)]
    row = ExcerptRow(
        review_id=review_id,
        document_id=document.id,
        guid=guid or str(uuid.uuid4()),
        page=_page_of(document, start),
        start=start,
        end=end,
        text=text,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    for code in codes:
        session.add(CodingRow(excerpt_id=row.id, code_id=code.id, guid=str(uuid.uuid4()), created_by=actor))
    session.flush()
    queries.add_audit(
        session,
        actor=actor,
        action="excerpt.add",
        entity="excerpt",
        entity_id=row.id,
        review_id=review_id,
        details={"document": document.id, "start": start, "end": end, "codes": [c.id for c in codes]},
    )
    return _excerpt(row, document.name, tuple(code.id for code in codes))


def _excerpt(row: ExcerptRow, document_name: str, code_ids: tuple[int, ...]) -> Excerpt:
    return Excerpt(
        id=row.id,
        guid=row.guid,
        document_id=row.document_id,
        document_name=document_name,
        page=row.page,
        start=row.start,
        end=row.end,
        text=row.text,
        code_ids=code_ids,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _excerpt_row(session: Session, *, review_id: int, excerpt_id: int) -> ExcerptRow:
    row = session.get(ExcerptRow, excerpt_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"no excerpt {excerpt_id} in review {review_id}")
    return row


def apply_code(session: Session, *, review_id: int, excerpt_id: int, code_id: int, actor: str) -> None:
    """Apply a code to an excerpt (applying it twice changes nothing)."""
    excerpt = _excerpt_row(session, review_id=review_id, excerpt_id=excerpt_id)
    code = _code_row(session, review_id=review_id, code_id=code_id)
    present = session.scalar(
        select(CodingRow).where(
            CodingRow.excerpt_id == excerpt.id, CodingRow.code_id == code.id, CodingRow.removed_at.is_(None)
        )
    )
    if present is not None:
        return
    session.add(CodingRow(excerpt_id=excerpt.id, code_id=code.id, guid=str(uuid.uuid4()), created_by=actor))
    session.flush()
    queries.add_audit(
        session,
        actor=actor,
        action="coding.add",
        entity="excerpt",
        entity_id=excerpt.id,
        review_id=review_id,
        details={"code": code.id},
    )


def remove_code(session: Session, *, review_id: int, excerpt_id: int, code_id: int, actor: str) -> None:
    """Take a code off an excerpt: the coding is marked removed (who, when), not deleted."""
    excerpt = _excerpt_row(session, review_id=review_id, excerpt_id=excerpt_id)
    coding = session.scalar(
        select(CodingRow).where(
            CodingRow.excerpt_id == excerpt.id, CodingRow.code_id == code_id, CodingRow.removed_at.is_(None)
        )
    )
    if coding is None:
        raise NotFoundError(f"excerpt {excerpt_id} is not coded with code {code_id}")
    coding.removed_at, coding.removed_by = dt.datetime.now(dt.UTC), actor
    queries.add_audit(
        session,
        actor=actor,
        action="coding.remove",
        entity="excerpt",
        entity_id=excerpt.id,
        review_id=review_id,
        details={"code": code_id},
    )


def _excerpts(session: Session, *, review_id: int, where: object) -> list[Excerpt]:
    rows = list(
        session.execute(
            select(ExcerptRow, DocumentRow.name)
            .join(DocumentRow, DocumentRow.id == ExcerptRow.document_id)
            .where(ExcerptRow.review_id == review_id, where)  # type: ignore[arg-type]
            .order_by(ExcerptRow.document_id, ExcerptRow.start, ExcerptRow.id)
        ).all()
    )
    codes: dict[int, list[int]] = defaultdict(list)
    ids = [row.id for row, _name in rows]
    for excerpt_id, code_id in session.execute(
        select(CodingRow.excerpt_id, CodingRow.code_id)
        .where(CodingRow.excerpt_id.in_(ids), CodingRow.removed_at.is_(None))
        .order_by(CodingRow.id)
    ):
        codes[excerpt_id].append(code_id)
    return [_excerpt(row, name, tuple(codes[row.id])) for row, name in rows]


def excerpts_of_document(session: Session, *, review_id: int, document_id: int) -> list[Excerpt]:
    """Every excerpt of one document, in reading order, with its codes."""
    get_document_row(session, review_id=review_id, document_id=document_id)
    return _excerpts(session, review_id=review_id, where=ExcerptRow.document_id == document_id)


def excerpts_of_code(
    session: Session, *, review_id: int, code_id: int, with_children: bool = False
) -> list[Excerpt]:
    """Every excerpt across documents coded with ``code_id`` (and its descendants when asked)."""
    _code_row(session, review_id=review_id, code_id=code_id)
    wanted = {code_id}
    if with_children:
        wanted |= descendants(_nodes(_active_codes(session, review_id)), code_id)
    coded = select(CodingRow.excerpt_id).where(CodingRow.code_id.in_(wanted), CodingRow.removed_at.is_(None))
    return _excerpts(session, review_id=review_id, where=ExcerptRow.id.in_(coded))


def code_matrix(session: Session, *, review_id: int) -> CodeDocumentMatrix:
    """Code × document counts of coded excerpts (merged codes left out)."""
    codes = [(row.id, row.name) for row in _active_codes(session, review_id)]
    documents = [
        (row.id, row.name)
        for row in session.scalars(
            select(DocumentRow).where(DocumentRow.review_id == review_id).order_by(DocumentRow.id)
        )
    ]
    pairs = session.execute(
        select(CodingRow.code_id, ExcerptRow.document_id)
        .join(ExcerptRow, ExcerptRow.id == CodingRow.excerpt_id)
        .where(ExcerptRow.review_id == review_id, CodingRow.removed_at.is_(None))
    ).all()
    return build_matrix(codes, documents, [(code, document) for code, document in pairs])
