from __future__ import annotations

import numpy as np

from realreview.prioritise.query import MaxQuery, MixedQuery, MixedQueryConfig

SCORES = np.linspace(1.0, -1.0, 100)
CANDIDATES = np.arange(10, 100)


def test_max_query_takes_the_top_candidates_in_order() -> None:
    picked = MaxQuery().query(SCORES, CANDIDATES, 5, np.random.default_rng(0))
    assert picked.tolist() == [10, 11, 12, 13, 14]


def test_ties_break_by_record_index() -> None:
    picked = MaxQuery().query(np.zeros(6), np.array([5, 2, 4, 1]), 3, np.random.default_rng(0))
    assert picked.tolist() == [1, 2, 4]


def test_mixed_query_explores_about_its_share_and_is_seeded() -> None:
    strategy = MixedQuery(MixedQueryConfig(exploration=0.5))
    first = strategy.query(SCORES, CANDIDATES, 40, np.random.default_rng(3))
    again = strategy.query(SCORES, CANDIDATES, 40, np.random.default_rng(3))
    assert first.tolist() == again.tolist()
    assert len(set(first.tolist())) == 40 and set(first.tolist()) <= set(CANDIDATES.tolist())
    explored = len(set(first.tolist()) - set(range(10, 50)))
    assert 8 <= explored <= 32


def test_uncertainty_picks_scores_near_zero() -> None:
    strategy = MixedQuery(MixedQueryConfig(exploration=1.0, kind="uncertainty"))
    picked = strategy.query(SCORES, CANDIDATES, 2, np.random.default_rng(0))
    assert sorted(picked.tolist()) == [49, 50]
