from __future__ import annotations

import numpy as np
import pytest

from realreview.prioritise.stopping import (
    RULES,
    consecutive_irrelevant_stop,
    estimate_recall,
    knee_stop,
    random_sample_p,
    ranked_suffix_p,
)


def test_random_sample_test_keeps_its_error_rate() -> None:
    """90 of 100 relevant found, 10 left among 1,000: sampling the rest at random and testing after every
    draw must stop with recall below 95% (fewer than 5 of the 10 drawn) in at most about 5% of runs."""
    rng = np.random.default_rng(0)
    found, remaining, left = 90, 1000, 10
    early = 0
    runs = 200
    for _ in range(runs):
        sample = rng.permutation(np.r_[np.ones(left), np.zeros(remaining - left)])
        drawn = np.cumsum(sample)
        p = random_sample_p(found, remaining, drawn, np.arange(1, remaining + 1), target=0.95)
        stop = int(np.flatnonzero(p < 0.05)[0])
        early += (found + drawn[stop]) / 100 < 0.95
    assert early / runs <= 0.07


def test_random_sample_test_rejects_when_nothing_is_left() -> None:
    rng = np.random.default_rng(1)
    sample = rng.permutation(np.zeros(1000))
    p = random_sample_p(100, 1000, np.cumsum(sample), np.arange(1, 1001), target=0.95)
    first = int(np.flatnonzero(p < 0.05)[0]) + 1
    # K_hat = 106 means 6 relevant would be left; sampling ~40% of 1000 without one rejects H0
    assert 350 <= first <= 450
    assert p[-1] == 0.0


def test_ranked_suffix_p_needs_enough_irrelevant_records() -> None:
    found_all = np.r_[np.ones(50), np.zeros(950)]
    assert ranked_suffix_p(found_all, 1000, target=0.95) < 0.05
    assert ranked_suffix_p(found_all[:120], 1000, target=0.95) > 0.05


def test_estimate_recall() -> None:
    assert estimate_recall(90, 1000, 1, 100) == pytest.approx(0.91)
    assert estimate_recall(10, 0, 0, 0) == 1.0


def test_knee_fires_on_a_flat_tail_and_not_on_a_straight_line() -> None:
    curve = np.r_[np.ones(30), np.zeros(400)]
    stop = knee_stop(curve)
    assert stop is not None and 150 <= stop <= 250
    rng = np.random.default_rng(2)
    assert knee_stop((rng.random(1000) < 0.1).astype(int)) is None


def test_heuristic_is_labelled_as_such() -> None:
    assert consecutive_irrelevant_stop(np.array([1, 0, 1, 0, 0]), run=2) == 5
    assert consecutive_irrelevant_stop(np.array([1, 0, 1]), run=2) is None
    assert RULES["irrelevant-run"].source == "heuristic, no guarantee"
