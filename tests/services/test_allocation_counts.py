"""The allocation summary's per-reviewer "waiting" counts equal the queues themselves, under every allocation.

The summary counts by set sizes (issue #14: 20 reviewers over 100,000 records); the queue lists the
records one by one. Both follow one rule, so for each allocation, with a dual sample and calls from
two reviewers, the counts must be the lengths of the lists.
"""

from __future__ import annotations

import pytest
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.errors import ReviewError
from realreview.screening import Allocation, Event, Stage
from realreview.services.screening_queue import stage_ids, waiting


@pytest.mark.parametrize("allocation", list(Allocation))
def test_summary_counts_are_the_queue_lengths(review: Review, allocation: Allocation) -> None:
    r = review.record_ids
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        lead = {"lead_reviewer": ANA} if allocation is Allocation.LEAD else {}
        services.configure_screening(
            session, owner, dual_fraction=0.5, dual_seed=7, allocation=allocation, **lead
        )
    with review.session() as session:
        for who, records in ((ANA, r[:6]), (BEN, r[3:8])):
            for record in records:
                try:
                    services.record_decision(
                        session,
                        review.ctx(session, who),
                        record_id=record,
                        stage=Stage.TITLE_ABSTRACT,
                        event=Event.INCLUDE if record % 2 else Event.EXCLUDE,
                    )
                except ReviewError:
                    pass  # not in that reviewer's share under this allocation
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        summary = services.allocation_summary(session, owner, stage=Stage.TITLE_ABSTRACT)
        ids = stage_ids(session, owner, stage=Stage.TITLE_ABSTRACT)
        expected = {
            load.reviewer: len(
                waiting(session, owner, stage=Stage.TITLE_ABSTRACT, ids=ids, actor=load.reviewer)
            )
            for load in summary.reviewers
        }
    assert {load.reviewer: load.waiting for load in summary.reviewers} == expected
    assert {ANA, BEN} <= set(expected)
