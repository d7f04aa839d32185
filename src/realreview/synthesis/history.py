"""A CMOC's edit history: each save keeps the earlier wording, who changed it and when.

Realist reviews refine CMOCs over months of team and panel discussion, and a reader of the final
theory should be able to see how a statement got to its wording. The history is append-only; an
entry holds only the fields that changed, with both values as text so that it can be stored as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from realreview.synthesis.cmoc import CMOC, CMOCError

__all__ = ["CMOCEdit", "FieldChange", "changed_fields", "edit_entry"]

#: The fields of a CMOC a history entry tracks, in the order changes are listed.
FIELDS = (
    "label",
    "cluster",
    "subtheme",
    "context",
    "mechanism",
    "outcome",
    "direction",
    "confidence",
    "status",
)


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after an edit (``None`` for an unset subtheme)."""

    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class CMOCEdit:
    """One save of a CMOC: what changed, by whom, at what (timezone-aware) time.

    ``label`` is the CMOC's label after the edit, so a relabelled CMOC's history follows it.
    """

    label: str
    changes: tuple[FieldChange, ...]
    author: str
    at: datetime

    def change(self, field: str) -> FieldChange | None:
        """The change to ``field`` in this edit, or ``None`` when it was left alone."""
        return next((change for change in self.changes if change.field == field), None)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def changed_fields(before: CMOC, after: CMOC) -> tuple[FieldChange, ...]:
    """The fields whose value differs between two versions of a CMOC, in :data:`FIELDS` order.

    >>> old = CMOC("1A", "values", context="staff value equity")
    >>> new = CMOC("1A", "values", context="staff value equity", outcome="equity goals are set")
    >>> changed_fields(old, new)
    (FieldChange(field='outcome', old='', new='equity goals are set'),)
    """
    changes = []
    for field in FIELDS:
        old, new = _text(getattr(before, field)), _text(getattr(after, field))
        if old != new:
            changes.append(FieldChange(field, old, new))
    return tuple(changes)


def edit_entry(before: CMOC, after: CMOC, *, author: str, at: datetime) -> CMOCEdit | None:
    """The history entry for saving ``after`` over ``before``, or ``None`` when nothing changed.

    Raises:
        CMOCError: no author is named, or ``at`` has no timezone (times from several team
            members' machines must compare).
    """
    if not author.strip():
        raise CMOCError(f"an edit of CMOC {before.label} needs an author")
    if at.tzinfo is None or at.utcoffset() is None:
        raise CMOCError(f"the time of an edit of CMOC {before.label} needs a timezone")
    changes = changed_fields(before, after)
    if not changes:
        return None
    return CMOCEdit(after.label, changes, author.strip(), at)
