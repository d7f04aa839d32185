from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from realreview.prioritise.dataset import ScreeningText
from realreview.prioritise.features import FeatureConfig, extract_features
from realreview.prioritise.rankers import (
    EnsembleConfig,
    EnsembleRanker,
    LogisticConfig,
    LogisticRanker,
    SVMConfig,
    SVMRanker,
    class_weights,
    make_ranker,
)

TEXTS = [ScreeningText(title=f"statin trial {i} cholesterol") for i in range(6)]
TEXTS += [ScreeningText(title=f"tax accounting {i} audit") for i in range(30)]
LABELS = np.array([1] * 6 + [0] * 30)
FEATURES = extract_features(TEXTS, FeatureConfig(char_ngrams=None))


@pytest.mark.parametrize("ranker", [SVMRanker(), LogisticRanker(), EnsembleRanker()], ids=lambda r: r.name)
def test_relevant_records_score_highest(ranker) -> None:  # type: ignore[no-untyped-def]
    train = np.array([0, 1, 10, 11, 12])
    scores = ranker.fit(FEATURES[train], LABELS[train], np.random.default_rng(0)).score(FEATURES)
    assert set(np.argsort(-scores)[:6]) == set(range(6))


def test_init_only_stores_the_config() -> None:
    ranker = SVMRanker(SVMConfig(c=0.5))
    assert vars(ranker) == {"config": SVMConfig(c=0.5)}
    assert dataclasses.asdict(EnsembleConfig())["svm"] == {"c": 0.11, "balance": 9.8}


def test_same_seed_same_scores() -> None:
    train = np.arange(0, 36, 3)
    a = EnsembleRanker().fit(FEATURES[train], LABELS[train], np.random.default_rng(5)).score(FEATURES)
    b = EnsembleRanker().fit(FEATURES[train], LABELS[train], np.random.default_rng(5)).score(FEATURES)
    assert np.array_equal(a, b)


def test_class_weights_balance_and_keep_the_mean_weight() -> None:
    labels = np.array([1, 0, 0, 0, 0])
    for balance in (1.0, 2.0, 9.8):
        weights = class_weights(labels, balance)
        assert weights[1] / weights[0] == pytest.approx(balance * 4, rel=1e-3)
        assert (weights[1] + 4 * weights[0]) / 5 == pytest.approx(1.0, rel=1e-3)
    assert class_weights(labels, 0.0) == {0: 1.0, 1: 1.0}


def test_make_ranker_names() -> None:
    assert [make_ranker(c).name for c in (SVMConfig(), LogisticConfig(), EnsembleConfig())] == [
        "svm",
        "logistic",
        "svm+logistic",
    ]
