"""The active-learning cycle: train on what is screened, rank the rest, screen the next records.

:func:`prioritised_order` replays a review whose labels are known (a simulation); the service that
serves a live team calls :func:`rank_unscreened` once per retraining.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from realreview.prioritise.query import MaxQuery, QueryStrategy
from realreview.prioritise.rankers import Ranker

__all__ = ["RetrainSchedule", "prioritised_order", "rank_unscreened"]


@dataclass(frozen=True)
class RetrainSchedule:
    """Retrain after every label up to ``every_label_until`` labels, then after a batch growing with the labels.

    With ``after_relevant`` a batch also ends at its first relevant record (relevance feedback without
    waiting for the batch: few records are relevant, so it adds few retrainings).

    >>> schedule = RetrainSchedule(every_label_until=100, growth=0.05)
    >>> schedule.batch(10), schedule.batch(100), schedule.batch(1000)
    (1, 5, 50)
    """

    every_label_until: int = 100
    growth: float = 0.05
    after_relevant: bool = False

    def batch(self, labelled: int) -> int:
        """How many records to screen before the next retraining, with ``labelled`` records labelled."""
        if labelled < self.every_label_until:
            return 1
        return max(1, math.ceil(labelled * self.growth))


def rank_unscreened(
    ranker: Ranker,
    features: sparse.csr_matrix,
    labelled: np.ndarray,
    labels: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Scores for every record from a ranker fitted on the ``labelled`` rows (random scores if one class only)."""
    if len(set(labels.tolist())) < 2:
        return np.asarray(rng.random(features.shape[0]))
    return ranker.fit(features[labelled], labels, rng).score(features)


def prioritised_order(
    features: sparse.csr_matrix,
    oracle: Callable[[np.ndarray], np.ndarray],
    priors: np.ndarray,
    *,
    ranker: Ranker,
    rng: np.random.Generator,
    query: QueryStrategy | None = None,
    schedule: RetrainSchedule | None = None,
    until: Callable[[int, int], bool] | None = None,
) -> np.ndarray:
    """The order in which records are screened: the priors first, then the ranker's choices.

    Args:
        features: one row per record.
        oracle: the labels of the given record indices (in a simulation, the known labels).
        priors: records screened before any model is trained.
        ranker: the model.
        rng: the run's one random generator.
        query: the query strategy (maximum relevance by default).
        schedule: when to retrain.
        until: called with (records screened, relevant found) after each batch; stop when it returns True.

    Returns:
        Record indices in screening order (all records unless ``until`` stopped it early).
    """
    query = query or MaxQuery()
    schedule = schedule or RetrainSchedule()
    n = features.shape[0]
    order = [int(i) for i in priors]
    labels = [int(v) for v in oracle(np.asarray(priors, dtype=np.intp))]
    found = sum(labels)
    remaining = np.ones(n, dtype=bool)
    remaining[order] = False
    while remaining.any():
        scores = rank_unscreened(ranker, features, np.asarray(order), np.asarray(labels), rng)
        picked = query.query(scores, np.flatnonzero(remaining), schedule.batch(len(order)), rng)
        new = [int(v) for v in oracle(picked)]
        if schedule.after_relevant and 1 in new[:-1]:
            # the rest of the batch goes back to the pool: the model retrains on this relevant record first
            cut = new.index(1) + 1
            picked, new = picked[:cut], new[:cut]
        order.extend(int(i) for i in picked)
        labels.extend(new)
        found += sum(new)
        remaining[picked] = False
        if until is not None and until(len(order), found):
            break
    return np.asarray(order, dtype=np.intp)
