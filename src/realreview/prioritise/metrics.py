"""Simulation metrics over a screening order, with the definitions of the asreview-insights package.

``labels`` is the label of each record in the order screened, priors included, over all N records (the
unscreened tail counts as screened last). Per asreview-insights (``algorithms.py``, ``metrics.py``):

* recall@x: the recall after screening the largest number of records that is at most x·N;
* WSS@r: at the largest k with k/R ≤ r relevant records found, (records random screening needs to find
  k, from ``round(linspace(0, R, N))``) minus (records this order needs), over N;
* loss: the area between the ideal and the actual recall curve, normalised so that 0 is the ideal order
  and 1 the worst.

"Screened to r" is the number of records screened until ⌈r·R⌉ relevant records were found.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["loss", "recall_at", "screened_to", "wss"]


def _check(labels: np.ndarray) -> tuple[np.ndarray, int, int]:
    labels = np.asarray(labels, dtype=np.int64)
    relevant = int(labels.sum())
    if len(labels) == 0 or relevant == 0:
        raise ValueError("the order needs at least one relevant record")
    return labels, len(labels), relevant


def recall_at(labels: np.ndarray, share: float) -> float:
    """Recall after screening ``share`` of all records.

    >>> recall_at(np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0]), 0.1)
    0.5
    >>> recall_at(np.array([0, 1, 0, 0, 0, 0, 0, 0, 0, 1]), 0.15)
    0.0
    """
    labels, n, relevant = _check(labels)
    screened = int(np.searchsorted(np.arange(1, n + 1) / n, share, side="right"))
    return float(labels[:screened].sum() / relevant)


def wss(labels: np.ndarray, recall: float = 0.95) -> float:
    """Work saved over sampling at ``recall`` (asreview-insights' ``_wss``).

    The ideal order of 2 relevant among 10 records: random sampling needs 8 records for the second one
    (``round(linspace(0, 2, 10))`` first reaches 2 at index 7), this order 2, so 6 of 10 are saved.

    >>> round(wss(np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]), 1.0), 3)
    0.6
    """
    labels, n, relevant = _check(labels)
    targets = np.arange(1, relevant + 1)
    when_found = np.searchsorted(np.cumsum(labels), targets)
    when_found_random = np.searchsorted(np.round(np.linspace(0, relevant, n)), targets)
    saved = (when_found_random - when_found) / n
    index = int(np.searchsorted(targets / relevant, recall, side="right"))
    return float(saved[max(index, 1) - 1])


def screened_to(labels: np.ndarray, recall: float) -> int:
    """Records screened until at least ``recall`` of the relevant records were found.

    >>> screened_to(np.array([1, 0, 1, 0, 0, 1]), 0.5), screened_to(np.array([1, 0, 1, 0, 0, 1]), 1.0)
    (3, 6)
    """
    labels, _, relevant = _check(labels)
    needed = max(1, math.ceil(recall * relevant - 1e-9))
    return int(np.searchsorted(np.cumsum(labels), needed) + 1)


def loss(labels: np.ndarray) -> float:
    """Normalised loss (asreview-insights' ``_loss``): 0 for the ideal order, 1 for the worst.

    >>> loss(np.array([1, 1, 0, 0])), loss(np.array([0, 0, 1, 1])), round(loss(np.array([1, 0, 1, 0])), 3)
    (0.0, 1.0, 0.25)
    """
    labels, n, relevant = _check(labels)
    if n == relevant:
        return 0.0
    best = n * relevant - relevant * (relevant - 1) / 2
    worst = relevant * (relevant + 1) / 2
    actual = float(np.cumsum(labels).sum())
    return float((best - actual) / (best - worst))
