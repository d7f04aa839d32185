"""Rankers: small scikit-learn-style classes that score unscreened records by likely relevance.

Each ranker has a ``name``, takes a serialisable config dataclass, and ``__init__`` only stores it. ``fit``
trains on the labelled rows and returns the ranker; ``score`` gives a higher value to a more likely
relevant record. Randomness comes from the ``rng`` passed to ``fit`` (one generator for a whole run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

__all__ = [
    "EnsembleConfig",
    "EnsembleRanker",
    "LogisticConfig",
    "LogisticRanker",
    "Ranker",
    "SVMConfig",
    "SVMRanker",
    "class_weights",
    "make_ranker",
]


class Ranker(Protocol):
    """What the screening cycle needs of a model."""

    name: str

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray, rng: np.random.Generator) -> Ranker:
        """Train on the labelled rows ``features`` with their ``labels``; return the ranker."""
        ...

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        """One score per row, higher for a record more likely relevant."""
        ...


def class_weights(labels: np.ndarray, balance: float) -> dict[int, float]:
    """Class weights: a relevant record weighs ``balance`` × (irrelevant / relevant) irrelevant ones.

    The weights are scaled so that the mean weight over the labelled records is 1, so the regularisation
    strength ``C`` means the same whatever the balance. ``balance=1`` gives both classes the same total
    weight (scikit-learn's "balanced"); 0 disables balancing.

    >>> class_weights(np.array([1, 0, 0, 0]), 1.0)
    {0: 0.6667, 1: 2.0}
    >>> class_weights(np.array([1, 0, 0, 0]), 0.0)
    {0: 1.0, 1: 1.0}
    """
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if balance <= 0 or positives == 0 or negatives == 0:
        return {0: 1.0, 1: 1.0}
    relevant = balance * negatives / positives
    scale = len(labels) / (negatives + relevant * positives)
    return {0: round(scale, 4), 1: round(relevant * scale, 4)}


@dataclass(frozen=True)
class SVMConfig:
    """A linear SVM (squared hinge); ``balance`` as in :func:`class_weights` (defaults: ASReview's ELAS u4)."""

    c: float = 0.11
    balance: float = 9.8


class SVMRanker:
    """Linear support vector machine: the score is the signed distance from the hyperplane."""

    name = "svm"

    def __init__(self, config: SVMConfig | None = None) -> None:
        self.config = config or SVMConfig()

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray, rng: np.random.Generator) -> SVMRanker:
        """Train on labelled rows."""
        self.model_ = LinearSVC(
            C=self.config.c,
            class_weight=class_weights(labels, self.config.balance),
            random_state=int(rng.integers(2**31)),
        ).fit(features, labels)
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        """Decision values, higher = more likely relevant."""
        return np.asarray(self.model_.decision_function(features), dtype=np.float64)


@dataclass(frozen=True)
class LogisticConfig:
    """L2-regularised logistic regression; ``balance`` as in :func:`class_weights`."""

    c: float = 1.0
    balance: float = 1.0


class LogisticRanker:
    """Logistic regression (liblinear): the score is the log-odds of relevance."""

    name = "logistic"

    def __init__(self, config: LogisticConfig | None = None) -> None:
        self.config = config or LogisticConfig()

    def fit(
        self, features: sparse.csr_matrix, labels: np.ndarray, rng: np.random.Generator
    ) -> LogisticRanker:
        """Train on labelled rows."""
        self.model_ = LogisticRegression(
            C=self.config.c,
            class_weight=class_weights(labels, self.config.balance),
            solver="liblinear",
            random_state=int(rng.integers(2**31)),
        ).fit(features, labels)
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        """Log-odds, higher = more likely relevant."""
        return np.asarray(self.model_.decision_function(features), dtype=np.float64)


@dataclass(frozen=True)
class EnsembleConfig:
    """An SVM and a logistic regression whose standardised scores are averaged."""

    svm: SVMConfig = SVMConfig()
    logistic: LogisticConfig = LogisticConfig()


def _standardised(scores: np.ndarray) -> np.ndarray:
    spread = float(scores.std())
    centred: np.ndarray = scores - scores.mean()
    return centred / spread if spread > 0 else centred


class EnsembleRanker:
    """The mean of an SVM's and a logistic regression's standardised scores over the scored records."""

    name = "svm+logistic"

    def __init__(self, config: EnsembleConfig | None = None) -> None:
        self.config = config or EnsembleConfig()

    def fit(
        self, features: sparse.csr_matrix, labels: np.ndarray, rng: np.random.Generator
    ) -> EnsembleRanker:
        """Train both members on the labelled rows."""
        self.members_ = (
            SVMRanker(self.config.svm).fit(features, labels, rng),
            LogisticRanker(self.config.logistic).fit(features, labels, rng),
        )
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        """Mean standardised score of the members."""
        return np.asarray(np.mean([_standardised(m.score(features)) for m in self.members_], axis=0))


RankerConfig = SVMConfig | LogisticConfig | EnsembleConfig


def make_ranker(config: RankerConfig) -> Ranker:
    """The ranker a config describes.

    >>> make_ranker(SVMConfig(c=0.5)).name
    'svm'
    """
    if isinstance(config, SVMConfig):
        return SVMRanker(config)
    if isinstance(config, LogisticConfig):
        return LogisticRanker(config)
    return EnsembleRanker(config)
