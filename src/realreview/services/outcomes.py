"""Where each record stands after screening: the completed outcomes, the same for everyone who asks.

Only complete outcomes count (every call the allocation asks for, or a resolution), so neither a
PRISMA box nor an export by state can reveal one reviewer's call to someone who still has to make
theirs: an incomplete record is "pending" whoever looks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.screening import Stage, passes_stage
from realreview.services.context import ReviewContext
from realreview.services.screening_outcome import record_states, stage_complete
from realreview.services.screening_state import stage_record_ids
from realreview.storage.models import RecordRow

__all__ = ["STATES", "Outcomes", "outcomes"]


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Record ids by completed outcome; ``screened`` is every record left after deduplication."""

    screened: tuple[int, ...]
    duplicates: frozenset[int]
    title_abstract_excluded: frozenset[int]
    title_abstract_pending: frozenset[int]
    full_text: tuple[int, ...]
    included: frozenset[int]
    full_text_excluded: frozenset[int]
    full_text_pending: frozenset[int]

    def in_state(self, state: str) -> frozenset[int]:
        """The records in ``state`` (one of :data:`STATES`)."""
        return {
            "included": self.included,
            "excluded": self.title_abstract_excluded | self.full_text_excluded,
            "title_abstract_excluded": self.title_abstract_excluded,
            "full_text": frozenset(self.full_text),
            "full_text_excluded": self.full_text_excluded,
            "pending": self.title_abstract_pending | self.full_text_pending,
            "duplicates": self.duplicates,
        }[state]


#: The states an export can select, each a completed outcome (or ``pending``).
STATES = (
    "included",
    "excluded",
    "title_abstract_excluded",
    "full_text",
    "full_text_excluded",
    "pending",
    "duplicates",
)


def outcomes(session: Session, ctx: ReviewContext) -> Outcomes:
    """Every record's completed outcome at both stages (internal: callers check their own action)."""
    review_id, setup = ctx.review_id, ctx.setup
    ids = stage_record_ids(session, review_id=review_id)
    ta = record_states(session, review_id=review_id, setup=setup, stage=Stage.TITLE_ABSTRACT, record_ids=ids)
    ta_done = stage_complete(
        session, review_id=review_id, setup=setup, stage=Stage.TITLE_ABSTRACT, record_ids=ids
    )
    passed = tuple(r for r in ids if ta_done[r] and passes_stage(ta[r]))
    ft = record_states(session, review_id=review_id, setup=setup, stage=Stage.FULL_TEXT, record_ids=passed)
    ft_done = stage_complete(
        session, review_id=review_id, setup=setup, stage=Stage.FULL_TEXT, record_ids=passed
    )
    duplicates = frozenset(
        session.scalars(
            select(RecordRow.id).where(RecordRow.review_id == review_id, RecordRow.duplicate_of.is_not(None))
        )
    )
    return Outcomes(
        screened=tuple(ids),
        duplicates=duplicates,
        title_abstract_excluded=frozenset(r for r in ids if ta_done[r] and not passes_stage(ta[r])),
        title_abstract_pending=frozenset(r for r in ids if not ta_done[r]),
        full_text=passed,
        included=frozenset(r for r in passed if ft_done[r] and passes_stage(ft[r])),
        full_text_excluded=frozenset(r for r in passed if ft_done[r] and not passes_stage(ft[r])),
        full_text_pending=frozenset(r for r in passed if not ft_done[r]),
    )
