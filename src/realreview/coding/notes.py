"""What reviewers write about the evidence: memos, and relevance and rigour appraisals (RAMESES).

A memo is about the review, a code, a document or an excerpt; an appraisal judges a document or an
excerpt. Both are append-only where they are stored: an edited memo supersedes its earlier wording
(each wording is a :class:`MemoVersion`), and a reviewer's latest appraisal of a target is the one in
force. Each belongs to its author: only they edit it; they or an owner remove it, which marks it
(:class:`Removal`) and keeps it in the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "APPRAISED",
    "Appraisal",
    "Judgement",
    "Memo",
    "MemoTarget",
    "MemoVersion",
    "Removal",
    "parse_judgement",
]


class MemoTarget(StrEnum):
    """What a memo (or an appraisal) is about."""

    REVIEW = "review"
    CODE = "code"
    DOCUMENT = "document"
    EXCERPT = "excerpt"


#: The targets that are appraised for relevance and rigour.
APPRAISED = frozenset({MemoTarget.DOCUMENT, MemoTarget.EXCERPT})


class Judgement(StrEnum):
    """A relevance or rigour judgement (RAMESES): how far data can serve, or be trusted for, the theory."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


def parse_judgement(value: str | None, *, what: str) -> Judgement | None:
    """A typed judgement (any case, blank for none); anything else raises ValueError naming ``what``.

    >>> parse_judgement(" High", what="relevance"), parse_judgement("", what="rigour")
    (<Judgement.HIGH: 'high'>, None)
    >>> parse_judgement("vital", what="relevance")
    Traceback (most recent call last):
    ...
    ValueError: relevance 'vital' is not one of: high, moderate, low
    """
    if value is None or not value.strip():
        return None
    try:
        return Judgement(value.strip().lower())
    except ValueError:
        choices = ", ".join(j.value for j in Judgement)
        raise ValueError(f"{what} {value!r} is not one of: {choices}") from None


@dataclass(frozen=True, slots=True)
class Removal:
    """Who removed a memo, a coding or an appraisal, when, and why (required of an owner removing another's)."""

    by: str
    at: dt.datetime
    reason: str | None


@dataclass(frozen=True, slots=True)
class Memo:
    """The current wording of a memo; ``versions`` counts the wordings it has had.

    ``author`` wrote its first wording and is the one who may edit it; ``created_by`` and
    ``created_at`` are of the current wording. ``removal`` is set once the memo was removed.
    """

    id: int
    guid: str
    target_kind: MemoTarget
    target_id: int | None
    title: str | None
    text: str
    created_by: str
    created_at: dt.datetime
    versions: int = 1
    author: str = ""
    removal: Removal | None = None


@dataclass(frozen=True, slots=True)
class MemoVersion:
    """One wording of a memo (``number`` 1 is the first), with who wrote it and when."""

    id: int
    number: int
    title: str | None
    text: str
    created_by: str
    created_at: dt.datetime
    removal: Removal | None = None


@dataclass(frozen=True, slots=True)
class Appraisal:
    """One reviewer's latest relevance and rigour judgement on a document or an excerpt."""

    target_kind: MemoTarget
    target_id: int
    reviewer: str
    relevance: Judgement | None
    relevance_rationale: str | None
    rigour: Judgement | None
    rigour_rationale: str | None
    at: dt.datetime
    #: The stored judgement's id (the latest of this reviewer's on the target), to remove it by.
    id: int = 0
