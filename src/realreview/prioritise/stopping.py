"""When to stop screening: an estimate of recall so far and stopping rules, each with what it assumes.

``labels`` below is the label of each screened record in screening order.

* :func:`random_sample_p` is the hypergeometric test of Callaghan & Müller-Hansen (2020, *Systematic
  Reviews* 9:273, "Statistical stopping criteria for automated screening in systematic reviews"): after
  prioritised screening, records are drawn **at random** from the unscreened remainder, and H0 "recall <
  target" is rejected when the sample holds too few relevant records. Assumes only that the sample is a
  uniform random draw from the remainder; stop when p < 1 − confidence.
* :func:`ranked_suffix_p` is the variant of the authors' ``buscar`` package: every suffix of the screened
  records (prioritised ones included) is tested as if it were a random sample, and the smallest p-value
  counts. Valid only if prioritised records are at least as likely to be relevant as random ones (then
  treating them as random is conservative); taking the minimum over suffixes is not corrected for.
* :func:`knee_stop` is the knee method of Cormack & Grossman (2016, "Engineering quality and reliability
  in technology-assisted review", SIGIR): stop when the slope of the gain curve before its knee is at
  least ``ratio`` times the slope after it, with at least ``min_screened`` records screened. Assumes the
  gain curve flattens once the relevant records are found; no stated recall or confidence.
* :func:`consecutive_irrelevant_stop`: **heuristic, no guarantee** — stop after a run of irrelevant records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import hypergeom

__all__ = [
    "RULES",
    "StoppingRule",
    "consecutive_irrelevant_stop",
    "estimate_recall",
    "knee_stop",
    "random_sample_p",
    "ranked_suffix_p",
]


@dataclass(frozen=True)
class StoppingRule:
    """A rule's name, the source it comes from and what it assumes (shown beside every result)."""

    name: str
    source: str
    assumes: str


RULES = {
    "buscar-random": StoppingRule(
        "buscar-random",
        "Callaghan & Müller-Hansen 2020, hypergeometric test on a random sample of the remainder",
        "the records after the switch are a uniform random sample of the unscreened remainder",
    ),
    "buscar-ranked": StoppingRule(
        "buscar-ranked",
        "Callaghan & Müller-Hansen 2020 / buscar package: minimum p over all suffixes",
        "prioritised records are at least as likely relevant as random ones; minimum over suffixes not corrected",
    ),
    "knee": StoppingRule(
        "knee",
        "Cormack & Grossman 2016, knee method",
        "the gain curve flattens after the relevant records; no stated recall or confidence",
    ),
    "irrelevant-run": StoppingRule(
        "irrelevant-run", "heuristic, no guarantee", "heuristic, no guarantee: relevant records come in runs"
    ),
}


def _target_relevant(found: np.ndarray, target: float) -> np.ndarray:
    """The smallest total of relevant records under which recall ``found``/total is below ``target``."""
    return np.floor(found / target) + 1


def random_sample_p(
    found_before: int, remaining: int, sample_relevant: np.ndarray, sample_size: np.ndarray, *, target: float
) -> np.ndarray:
    """P-values of H0 "recall < target" after random samples of ``sample_size`` records (vectorised).

    Args:
        found_before: relevant records found before random sampling began.
        remaining: unscreened records when random sampling began (the urn).
        sample_relevant: relevant records in each sample.
        sample_size: size of each sample.
        target: the recall target.

    >>> p = random_sample_p(50, 1000, np.array([0, 0]), np.array([100, 700]), target=0.95)
    >>> bool(p[0] > 0.05), bool(p[1] < 0.05)
    (True, True)
    """
    sample_relevant = np.asarray(sample_relevant)
    red = _target_relevant(found_before + sample_relevant, target) - found_before
    with np.errstate(invalid="ignore"):
        p = hypergeom.cdf(sample_relevant, remaining, np.minimum(red, remaining), sample_size)
    return np.where(red > remaining, 0.0, np.nan_to_num(p, nan=1.0))


def ranked_suffix_p(labels: np.ndarray, n_total: int, *, target: float, starts: int = 200) -> float:
    """The buscar package's p-value: the smallest over suffixes of the screened records (``starts`` of them).

    >>> labels = np.r_[np.ones(40), np.zeros(460)]
    >>> bool(ranked_suffix_p(labels, 520, target=0.95) < 0.05), bool(ranked_suffix_p(labels, 5000, target=0.95) < 0.05)
    (True, False)
    """
    labels = np.asarray(labels, dtype=np.int64)
    seen = len(labels)
    found = int(labels.sum())
    sizes = np.unique(np.linspace(1, seen, num=min(starts, seen)).astype(np.int64))
    in_suffix = np.cumsum(labels[::-1])[sizes - 1]
    urn = n_total - (seen - sizes)
    red = _target_relevant(np.asarray(found), target) - (found - in_suffix)
    with np.errstate(invalid="ignore"):
        p = hypergeom.cdf(in_suffix, urn, np.minimum(red, urn), sizes)
    p = np.where(red > urn, 0.0, np.nan_to_num(p, nan=1.0))
    return float(p.min())


def estimate_recall(found_before: int, remaining: int, sample_relevant: int, sample_size: int) -> float:
    """Point estimate of recall so far from a random sample of the remainder (found / estimated total).

    >>> estimate_recall(90, 1000, 1, 100)
    0.91
    """
    if sample_size == 0:
        return 1.0 if remaining == 0 else float("nan")
    found = found_before + sample_relevant
    unsampled_relevant = sample_relevant / sample_size * (remaining - sample_size)
    return round(found / (found + unsampled_relevant), 10) if found else 0.0


def knee_stop(
    labels: np.ndarray, *, min_screened: int = 150, ratio: float = 6.0, step: int = 1
) -> int | None:
    """Records screened when the knee rule first fires (checked every ``step`` records), or ``None``.

    >>> curve = np.r_[np.ones(20), np.zeros(400)]
    >>> knee_stop(curve), knee_stop(np.ones(300)) is None
    (150, True)
    """
    gains = np.cumsum(np.asarray(labels, dtype=np.float64))
    for screened in range(max(min_screened, 2), len(gains) + 1, step):
        positions = np.arange(1, screened + 1)
        found = gains[:screened]
        knee = int(np.argmax(found * screened - positions * found[-1]))
        if found[knee] == 0 or knee + 1 == screened:
            continue
        before = found[knee] / (knee + 1)
        after = (found[-1] - found[knee] + 1) / (screened - knee - 1)
        if before / after >= ratio:
            return screened
    return None


def consecutive_irrelevant_stop(labels: np.ndarray, *, run: int) -> int | None:
    """**Heuristic, no guarantee.** Records screened when ``run`` irrelevant records came in a row.

    >>> consecutive_irrelevant_stop(np.array([1, 0, 0, 1, 0, 0, 0]), run=3)
    7
    """
    current = 0
    for position, label in enumerate(np.asarray(labels).tolist(), start=1):
        current = 0 if label else current + 1
        if current >= run:
            return position
    return None


def switch_point(labels: np.ndarray, *, run: int) -> int:
    """Where a simulation switches from prioritised to random sampling (end of the first ``run`` irrelevant)."""
    stop = consecutive_irrelevant_stop(labels, run=run)
    return len(labels) if stop is None else stop


def ceil_run(n_records: int, share: float, minimum: int) -> int:
    """A run length of ``share`` of the records, at least ``minimum``.

    >>> ceil_run(1000, 0.05, 100), ceil_run(5000, 0.05, 100)
    (100, 250)
    """
    return max(minimum, math.ceil(n_records * share))
