"""What reviewers write about the evidence: memos, and relevance and rigour appraisals (RAMESES).

A memo is about the review, a code, a document or an excerpt; an appraisal judges a document or an
excerpt. Both are append-only where they are stored: an edited memo supersedes its earlier wording,
and a reviewer's latest appraisal of a target is the one in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["APPRAISED", "Appraisal", "Judgement", "Memo", "MemoTarget", "parse_judgement"]


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
class Memo:
    """The current wording of a memo; ``versions`` counts the wordings it has had."""

    id: int
    guid: str
    target_kind: MemoTarget
    target_id: int | None
    title: str | None
    text: str
    created_by: str
    created_at: dt.datetime
    versions: int = 1


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
