"""Use cases for the codebook: parent/child codes, deductive or inductive, renamed, moved, merged.

Nothing a reviewer made is deleted: a code merged into another stays (``merged_into``) with its
codings moved; every change to a code's name, colour, description or place is in the audit log with
the old value. Excerpts and codings are in :mod:`realreview.services.excerpts`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.coding.codebook import Code, CodeNode, CodeOrigin, descendants, would_cycle
from realreview.errors import NotFoundError, ValidationError
from realreview.names import clean_name
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.storage.models import CodeRow, CodingRow, ExcerptRow

__all__ = [
    "Code",
    "CodeOrigin",
    "active_codes",
    "code_nodes",
    "code_row",
    "codebook",
    "create_code",
    "merge_codes",
    "move_code",
    "update_code",
]

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


def code_row(session: Session, *, review_id: int, code_id: int) -> CodeRow:
    """The code ``code_id`` of the review, to code with or change; a merged code is refused (internal)."""
    row = session.get(CodeRow, code_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"no code {code_id} in review {review_id}")
    if row.merged_into is not None:
        raise ValidationError(f"code {code_id} ({row.name}) was merged into code {row.merged_into}")
    return row


def active_codes(session: Session, review_id: int) -> list[CodeRow]:
    """The review's codes that were not merged away, oldest first (internal)."""
    return list(
        session.scalars(
            select(CodeRow)
            .where(CodeRow.review_id == review_id, CodeRow.merged_into.is_(None))
            .order_by(CodeRow.id)
        )
    )


def code_nodes(rows: Iterable[CodeRow]) -> list[CodeNode]:
    """The tree shape of code rows, for :mod:`realreview.coding.codebook` (internal)."""
    return [CodeNode(row.id, row.parent_id, row.name) for row in rows]


def _checked_name(name: str) -> str:
    if not name.strip():
        raise ValidationError("a code needs a name")
    try:
        return clean_name(name, what="code name")
    except ValueError as error:
        raise ValidationError(str(error)) from None


def _checked_color(color: str | None) -> str | None:
    if color in (None, ""):
        return None
    if not _COLOR.match(color):
        raise ValidationError(f"colour {color!r} is not of the form #RRGGBB")
    return color.upper()


def _check_sibling_name(
    session: Session, *, review_id: int, parent_id: int | None, name: str, code_id: int | None = None
) -> None:
    for row in active_codes(session, review_id):
        if row.parent_id == parent_id and row.name.casefold() == name.casefold() and row.id != code_id:
            where = f"under code {parent_id}" if parent_id else "at the top of the codebook"
            raise ValidationError(f"a code named {row.name!r} already exists {where} (code {row.id})")


@mutation(Action.EDIT_CODEBOOK, audit="code.create", entity="code")
def create_code(
    session: Session,
    ctx: ReviewContext,
    *,
    name: str,
    parent_id: int | None = None,
    description: str | None = None,
    color: str | None = None,
    origin: CodeOrigin = CodeOrigin.INDUCTIVE,
    is_codable: bool = True,
    guid: str | None = None,
) -> Code:
    """Add a code to the codebook (under ``parent_id`` when given); names are unique among siblings.

    A name is refused when blank or when it holds a control character (it would break the matrix
    download and the REFI-QDA export later).
    """
    review_id = ctx.review_id
    cleaned = _checked_name(name)
    if parent_id is not None:
        code_row(session, review_id=review_id, code_id=parent_id)
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
        created_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.note(session, name=cleaned, parent=parent_id, origin=row.origin)
    return _code(row)


@mutation(Action.EDIT_CODEBOOK, audit="code.update", entity="code", entity_id="code_id")
def update_code(
    session: Session,
    ctx: ReviewContext,
    *,
    code_id: int,
    name: str | None = None,
    description: str | None = None,
    color: str | None = None,
    origin: CodeOrigin | None = None,
) -> Code:
    """Rename a code or change its description, colour or origin; the old values go to the audit log."""
    review_id = ctx.review_id
    row = code_row(session, review_id=review_id, code_id=code_id)
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
    audit.note(
        session, changed={key: [before[key], after[key]] for key in before if before[key] != after[key]}
    )
    return _code(row)


@mutation(Action.EDIT_CODEBOOK, audit="code.move", entity="code", entity_id="code_id")
def move_code(session: Session, ctx: ReviewContext, *, code_id: int, parent_id: int | None) -> Code:
    """Re-parent a code (``None``: to the top); a code cannot move under itself or its descendants."""
    review_id = ctx.review_id
    row = code_row(session, review_id=review_id, code_id=code_id)
    if parent_id is not None:
        code_row(session, review_id=review_id, code_id=parent_id)
    nodes = code_nodes(active_codes(session, review_id))
    if would_cycle(nodes, code_id=code_id, new_parent_id=parent_id):
        raise ValidationError(f"code {code_id} ({row.name}) cannot move under itself or one of its children")
    _check_sibling_name(session, review_id=review_id, parent_id=parent_id, name=row.name, code_id=row.id)
    audit.note(session, **{"from": row.parent_id, "to": parent_id})
    row.parent_id = parent_id
    return _code(row)


@mutation(Action.MERGE_CODES, audit="code.merge", entity="code", entity_id="source_id")
def merge_codes(session: Session, ctx: ReviewContext, *, source_id: int, target_id: int) -> Code:
    """Merge code ``source_id`` into ``target_id``: its codings and children move, the code is kept.

    An excerpt coded with both keeps one coding to the target; the source's own coding row is marked
    removed (not deleted), so the merge can be traced in the data. Returns the target.
    """
    review_id, actor = ctx.review_id, ctx.actor
    if source_id == target_id:
        raise ValidationError("a code cannot be merged into itself")
    source = code_row(session, review_id=review_id, code_id=source_id)
    target = code_row(session, review_id=review_id, code_id=target_id)
    if target_id in descendants(code_nodes(active_codes(session, review_id)), source_id):
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
        coding.removal_reason = f"code {source_id} merged into code {target_id}"
    for child in session.scalars(select(CodeRow).where(CodeRow.parent_id == source_id)):
        child.parent_id = target_id
    source.merged_into = target.id
    audit.note(session, into=target.id, name=source.name, codings_moved=moved)
    return _code(target, len(coded_by_target))


def code_counts(session: Session, review_id: int) -> dict[int, int]:
    """How many excerpts carry each code now (internal)."""
    counts: dict[int, int] = defaultdict(int)
    for code_id in session.scalars(
        select(CodingRow.code_id)
        .join(ExcerptRow, ExcerptRow.id == CodingRow.excerpt_id)
        .where(ExcerptRow.review_id == review_id, CodingRow.removed_at.is_(None))
    ):
        counts[code_id] += 1
    return counts


@reads(Action.READ_FULL_TEXTS)
def codebook(session: Session, ctx: ReviewContext) -> list[Code]:
    """The review's codes (merged ones left out), each with its number of coded excerpts."""
    counts = code_counts(session, ctx.review_id)
    return [_code(row, counts[row.id]) for row in active_codes(session, ctx.review_id)]
