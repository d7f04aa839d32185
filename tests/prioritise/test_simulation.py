from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from realreview.errors import ValidationError
from realreview.prioritise import LabelledDataset, ScreeningText, load_labelled_csv, simulate_dataset
from realreview.prioritise.simulation import SimulationConfig, StoppingConfig, evaluate_stopping

ANTIHISTAMINES = Path(__file__).parent.parent / "data" / "screening" / "cohen_2006" / "Antihistamines.csv"
KEYS = {"wss@95", "recall@10%", "screened_to_95%", "screened_to_100%", "loss"}


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    # the priors ASReview draws with --prior-seed 535 (rows 205 and 226), as in BASELINE.md's first run
    dataset = load_labelled_csv(ANTIHISTAMINES, label="label_included")
    return simulate_dataset(dataset, priors=np.array([205, 226]), model_seed=165)


def test_a_real_review_beats_random_screening(result) -> None:  # type: ignore[no-untyped-def]
    figures = result.metrics()
    assert set(figures) == KEYS
    assert result.records == 310 and result.relevant == 16
    assert int(result.labels_in_order.sum()) == 16 and len(result.labels_in_order) == 310
    assert 0.1 < figures["wss@95"] < 1
    assert figures["screened_to_95%"] <= figures["screened_to_100%"] <= 310
    assert 0 <= figures["loss"] < 0.5
    # the priors come first: one relevant, one irrelevant
    assert result.labels_in_order[:2].tolist() == [1, 0]


def _small(seed: int, **kwargs):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    words = ["statin", "trial", "cholesterol", "tax", "audit", "nudge", "doctor", "income"]
    texts = tuple(ScreeningText(title=" ".join(rng.choice(words, 4))) for _ in range(60))
    labels = np.array([int("statin" in t.title) for t in texts], dtype=np.int8)
    return simulate_dataset(LabelledDataset("small", texts, labels), seed=seed, **kwargs)


def test_same_seeds_same_run() -> None:
    first, again = _small(4), _small(4)
    assert np.array_equal(again.labels_in_order, first.labels_in_order)
    assert again.stopping == first.stopping


def test_json_has_the_metric_keys_and_every_rule(result) -> None:  # type: ignore[no-untyped-def]
    data = result.to_json()
    assert KEYS <= set(data)
    assert set(data["stopping"]) == {"buscar-random", "buscar-ranked", "knee", "irrelevant-run"}
    assert data["config"]["stopping"]["target"] == 0.95


def test_too_many_priors() -> None:
    dataset = load_labelled_csv(ANTIHISTAMINES, label="label_included")
    with pytest.raises(ValidationError, match="16 and 294"):
        simulate_dataset(dataset, prior_included=17, config=SimulationConfig())


def test_buscar_reaches_its_target_on_a_good_ranking() -> None:
    """A ranking that finds 48 of 50 relevant records early: the random phase must not stop before 95%."""
    rng = np.random.default_rng(7)
    reached = []
    for _ in range(20):
        labels = np.zeros(1000, dtype=np.int8)
        labels[rng.choice(300, 47, replace=False)] = 1
        labels[rng.choice(np.arange(300, 1000), 3, replace=False)] = 1
        stops = {s.rule: s for s in evaluate_stopping(labels, StoppingConfig(), rng)}
        reached.append(stops["buscar-random"].reached_target)
        assert stops["buscar-random"].screened > 300
    assert np.mean(reached) >= 0.9
