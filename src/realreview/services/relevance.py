"""Relevance scores for a stage's records, learned from the team's completed outcomes only (issue #15).

The blinding rule of prioritised screening: the model learns from completed outcomes (a record
whose screening has every call it needs, or an owner's resolution), never from a call on a record
someone still has to screen. A completed outcome is the team's, shown to every member on the
dashboard, and a completed record is in no one's queue; so an order drawn from these scores cannot
reveal a colleague's call on a record in the viewer's own queue (the dual-screening sample
included), and one model per review and stage serves everyone. Under "everyone screens everything"
the model therefore starts only once records have both calls: the price of the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.prioritise.cycle import rank_unscreened
from realreview.prioritise.dataset import ScreeningText
from realreview.prioritise.features import extract_features
from realreview.prioritise.rankers import SVMConfig, make_ranker
from realreview.screening import Stage, passes_stage
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.screening_outcome import touched_complete, touched_states
from realreview.services.screening_queue import stage_ids
from realreview.storage import queries

__all__ = ["RelevanceScores", "relevance_scores"]


@dataclass(frozen=True, slots=True)
class RelevanceScores:
    """Each record's score at a stage (higher: more likely relevant), and what the model learned from.

    ``scores`` is empty until the completed outcomes hold an include and an exclude: before that
    there is nothing to learn the difference from, and the queue keeps its plain order.
    """

    stage: Stage
    included: int
    excluded: int
    scores: dict[int, float]

    @property
    def ready(self) -> bool:
        """Whether the model was trained (an include and an exclude among the completed outcomes)."""
        return bool(self.scores)


@reads(Action.VIEW_SCREENING)
def relevance_scores(session: Session, ctx: ReviewContext, *, stage: Stage, seed: int = 0) -> RelevanceScores:
    """Score every record at ``stage`` with a model trained on the completed outcomes there."""
    ids = stage_ids(session, ctx, stage=stage)
    at_stage = set(ids)
    states = touched_states(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage)
    finished = touched_complete(session, review_id=ctx.review_id, setup=ctx.setup, stage=stage) & at_stage
    learned = {
        record_id: int(passes_stage(states[record_id])) for record_id in finished if record_id in states
    }
    included = sum(learned.values())
    excluded = len(learned) - included
    if not included or not excluded:
        return RelevanceScores(stage, included, excluded, {})
    records = queries.records_by_id(session, review_id=ctx.review_id, record_ids=at_stage)
    texts = [
        ScreeningText(records[r].title or "", records[r].abstract or "", " ".join(records[r].keywords))
        for r in ids
    ]
    row = {record_id: n for n, record_id in enumerate(ids)}
    labelled = np.array(sorted(row[r] for r in learned), dtype=np.int64)
    labels = np.array([learned[ids[n]] for n in labelled], dtype=np.int64)
    scores = rank_unscreened(
        make_ranker(SVMConfig()), extract_features(texts), labelled, labels, np.random.default_rng(seed)
    )
    return RelevanceScores(stage, included, excluded, {r: float(scores[row[r]]) for r in ids})
