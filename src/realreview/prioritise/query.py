"""Query strategies: which unscreened records to show next, given the ranker's scores.

``MaxQuery`` takes the highest scores (the usual choice for finding relevant records early);
``MixedQuery`` replaces a share of those picks with random or most-uncertain ones (exploration).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["MaxQuery", "MixedQuery", "MixedQueryConfig", "QueryStrategy"]


class QueryStrategy:
    """Base: ``query`` returns ``n`` positions into ``candidates`` (record indices), best first."""

    name = "base"

    def query(
        self, scores: np.ndarray, candidates: np.ndarray, n: int, rng: np.random.Generator
    ) -> np.ndarray:  # pragma: no cover (interface)
        """Indices of the records to screen next."""
        raise NotImplementedError


def _top(scores: np.ndarray, candidates: np.ndarray, n: int) -> np.ndarray:
    # highest score first; among equal scores the lowest record index, so that runs are reproducible
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order[: max(n, 0)]]


class MaxQuery(QueryStrategy):
    """The ``n`` highest-scoring candidates.

    >>> MaxQuery().query(np.array([0.1, 0.9, 0.5]), np.array([0, 1, 2]), 2, np.random.default_rng(0))
    array([1, 2])
    """

    name = "max"

    def query(
        self, scores: np.ndarray, candidates: np.ndarray, n: int, rng: np.random.Generator
    ) -> np.ndarray:
        """Highest scores first."""
        return _top(scores, candidates, n)


@dataclass(frozen=True)
class MixedQueryConfig:
    """Each pick is, with probability ``exploration``, a random (or most uncertain) record instead."""

    exploration: float = 0.05
    kind: Literal["random", "uncertainty"] = "random"


class MixedQuery(QueryStrategy):
    """Mostly maximum relevance, with a share of exploration picks."""

    name = "mixed"

    def __init__(self, config: MixedQueryConfig | None = None) -> None:
        self.config = config or MixedQueryConfig()

    def query(
        self, scores: np.ndarray, candidates: np.ndarray, n: int, rng: np.random.Generator
    ) -> np.ndarray:
        """Max-relevance picks with some exploration picks mixed in."""
        n = min(n, len(candidates))
        explore = int(rng.binomial(n, self.config.exploration))
        top = _top(scores, candidates, n - explore)
        rest = np.setdiff1d(candidates, top, assume_unique=True)
        if explore == 0 or len(rest) == 0:
            return top
        if self.config.kind == "random":
            extra = rng.choice(rest, size=min(explore, len(rest)), replace=False)
        else:
            # closest to the decision boundary (score 0) first
            extra = rest[np.argsort(np.abs(scores[rest]), kind="stable")[:explore]]
        return np.concatenate([top, extra])
