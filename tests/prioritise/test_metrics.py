from __future__ import annotations

import math

import numpy as np
import pytest

from realreview.prioritise.metrics import loss, recall_at, screened_to, wss


def _perfect(n: int, relevant: int) -> np.ndarray:
    return np.r_[np.ones(relevant), np.zeros(n - relevant)].astype(int)


@pytest.mark.parametrize("n,relevant", [(310, 16), (1000, 40), (50, 3)])
def test_wss_of_the_ideal_order_is_analytic(n: int, relevant: int) -> None:
    # insights: at k = the largest count with k/R <= 0.95, random needs the first i with
    # round(i R / (n-1)) >= k, i.e. i = ceil((k - 0.5)(n - 1)/R); the ideal order needs k - 1 (0-based)
    k = math.floor(0.95 * relevant + 1e-9)
    random_index = math.ceil((k - 0.5) * (n - 1) / relevant)
    assert wss(_perfect(n, relevant)) == pytest.approx((random_index - (k - 1)) / n)


def test_wss_of_random_order_is_near_zero() -> None:
    rng = np.random.default_rng(0)
    values = [wss(rng.permutation(_perfect(2000, 100))) for _ in range(20)]
    assert abs(float(np.mean(values))) < 0.03


def test_worst_order() -> None:
    worst = _perfect(100, 10)[::-1]
    assert loss(worst) == 1.0
    assert wss(worst) < 0
    assert recall_at(worst, 0.5) == 0.0
    assert screened_to(worst, 1.0) == 100


def test_recall_at_and_screened_to() -> None:
    labels = np.r_[[1, 0, 1], np.zeros(7)].astype(int)
    assert recall_at(labels, 0.1) == 0.5
    assert recall_at(labels, 0.3) == 1.0
    assert screened_to(labels, 0.95) == 3


def test_loss_is_between_zero_and_one() -> None:
    rng = np.random.default_rng(1)
    for _ in range(10):
        value = loss(rng.permutation(_perfect(60, 7)))
        assert 0.0 <= value <= 1.0


def test_no_relevant_record_is_an_error() -> None:
    with pytest.raises(ValueError):
        wss(np.zeros(5))
