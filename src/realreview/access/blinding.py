"""Blinding: what of other people's work a person may see. One function, for every kind of work.

The review's one blinding setting governs the independent judgements (:data:`BLINDED_WORK`):
screening calls, extracted study characteristics and relevance/rigour appraisals. While it is on, a
reviewer or viewer sees their own judgements and nothing of anyone else's, in any page, partial,
count, filter, error text or export; owners see everything (they resolve conflicts and settle
values). Turning blinding off shows everyone's judgements to every member; an extracted value also
becomes everyone's to see once an owner settles it (the ``consensus`` extractor, which is no person).

Memos and codings are team work: never blinded, but owned (only their author edits or removes
them; an owner may remove any, with a reason). A panel member never sees screening, extraction,
appraisals, memos or codings; the synthesis is theirs to comment on.
"""

from __future__ import annotations

from enum import StrEnum

from realreview.access.roles import Role

__all__ = ["BLINDED_WORK", "Work", "may_see"]


class Work(StrEnum):
    """A kind of judgement a person makes, which a protocol may blind."""

    SCREENING = "screening"
    EXTRACTION = "extraction"
    APPRAISAL = "appraisal"
    MEMO = "memo"
    CODING = "coding"
    SYNTHESIS = "synthesis"


#: The work the review's blinding setting hides from colleagues: each person's independent judgements.
BLINDED_WORK = frozenset({Work.SCREENING, Work.EXTRACTION, Work.APPRAISAL})


def may_see(*, viewer: str, role: Role, author: str | None, work: Work, blinded: bool) -> bool:
    """Whether ``viewer`` (holding ``role``) may see ``author``'s ``work``.

    ``author=None`` asks about everyone else's work at once (a count, a conflict, an agreement table).
    ``blinded`` is whether the protocol blinds this kind of work now.

    >>> may_see(viewer="a", role=Role.REVIEWER, author="b", work=Work.SCREENING, blinded=True)
    False
    >>> may_see(viewer="a", role=Role.REVIEWER, author="a", work=Work.SCREENING, blinded=True)
    True
    >>> may_see(viewer="o", role=Role.OWNER, author=None, work=Work.SCREENING, blinded=True)
    True
    >>> may_see(viewer="a", role=Role.REVIEWER, author="b", work=Work.APPRAISAL, blinded=False)
    True
    """
    if role is Role.PANEL and work is not Work.SYNTHESIS:
        return False
    if author is not None and author == viewer:
        return True
    return role is Role.OWNER or not blinded
