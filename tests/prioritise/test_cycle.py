from __future__ import annotations

import numpy as np

from realreview.prioritise.cycle import RetrainSchedule, prioritised_order, rank_unscreened
from realreview.prioritise.dataset import ScreeningText
from realreview.prioritise.features import FeatureConfig, extract_features
from realreview.prioritise.rankers import SVMRanker

TEXTS = [ScreeningText(title=f"statin trial cholesterol {i}") for i in range(8)]
TEXTS += [ScreeningText(title=f"tax accounting audit {i}") for i in range(40)]
LABELS = np.array([1] * 8 + [0] * 40)
FEATURES = extract_features(TEXTS, FeatureConfig(char_ngrams=None))


def _order(seed: int, **kwargs):  # type: ignore[no-untyped-def]
    return prioritised_order(
        FEATURES, lambda i: LABELS[i], np.array([3, 20]), ranker=SVMRanker(), rng=np.random.default_rng(seed),
        **kwargs,
    )  # fmt: skip


def test_priors_first_then_the_relevant_records() -> None:
    order = _order(0)
    assert sorted(order.tolist()) == list(range(48))
    assert order[:2].tolist() == [3, 20]
    assert set(order[2:9].tolist()) == {0, 1, 2, 4, 5, 6, 7}


def test_deterministic_for_a_seed() -> None:
    assert np.array_equal(_order(4), _order(4))


def test_until_stops_early() -> None:
    order = _order(0, until=lambda screened, found: found == 8)
    assert len(order) == 9


def test_batches_follow_the_schedule() -> None:
    seen: list[int] = []
    _order(
        0,
        schedule=RetrainSchedule(every_label_until=4, growth=0.5),
        until=lambda s, f: seen.append(s) or False,
    )
    # one record per retraining below 4 labelled, then half the labelled count
    assert seen[:5] == [3, 4, 6, 9, 14]


def test_one_class_only_gives_random_scores() -> None:
    rng = np.random.default_rng(0)
    scores = rank_unscreened(SVMRanker(), FEATURES, np.array([20, 21]), np.array([0, 0]), rng)
    assert scores.shape == (48,)


def test_a_batch_ends_at_its_first_relevant_record() -> None:
    seen: list[tuple[int, int]] = []
    schedule = RetrainSchedule(every_label_until=2, growth=2.0, after_relevant=True)
    order = _order(0, schedule=schedule, until=lambda s, f: seen.append((s, f)) or False)
    assert sorted(order.tolist()) == list(range(48))
    # batches of 2 x labelled, cut after each relevant record: every batch finding one ends there
    for (before, _), (after, _) in zip(seen, seen[1:], strict=False):
        batch = order[before:after]
        relevant = [i for i in batch.tolist() if i < 8]
        assert len(relevant) <= 1
        if relevant:
            assert batch[-1] == relevant[0]
