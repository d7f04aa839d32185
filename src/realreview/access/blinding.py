"""Blinding: what of other people's work a person may see. One function, for every kind of work.

Screening is blinded while the review's setup says so: a reviewer or viewer then sees their own
calls and nothing of anyone else's, in any page, partial, count, filter, error text or export. Owners
see everything (they resolve conflicts). A panel member never sees screening. The other kinds of work
(extracted values, appraisals, memos, codings, synthesis comments) are listed so that the protocol
can blind them through this same function; today only screening is blinded.
"""

from __future__ import annotations

from enum import StrEnum

from realreview.access.roles import Role

__all__ = ["Work", "may_see"]


class Work(StrEnum):
    """A kind of judgement a person makes, which a protocol may blind."""

    SCREENING = "screening"
    EXTRACTION = "extraction"
    APPRAISAL = "appraisal"
    MEMO = "memo"
    CODING = "coding"
    SYNTHESIS = "synthesis"


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
    """
    if role is Role.PANEL and work is not Work.SYNTHESIS:
        return False
    if author is not None and author == viewer:
        return True
    return role is Role.OWNER or not blinded
