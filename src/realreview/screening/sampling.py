"""Which records get a second reviewer: all of them, or a seeded random sample of a given fraction.

The sample is drawn once, from the seed recorded with the review, so that anyone can redraw it and
get the same records (issue #4: "seeded and recorded").
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

__all__ = ["dual_sample"]


def dual_sample(record_ids: Sequence[int], *, fraction: float, seed: int) -> frozenset[int]:
    """The ids of the records to double-screen: ``ceil(fraction * n)`` of them, drawn with ``seed``.

    The draw depends on the set of ids, not their order, so a reordered export gives the same sample.

    >>> dual_sample(range(1, 21), fraction=0.1, seed=7) == dual_sample(range(20, 0, -1), fraction=0.1, seed=7)
    True
    >>> len(dual_sample(range(1, 21), fraction=0.1, seed=7)), len(dual_sample(range(1, 21), fraction=1.0, seed=7))
    (2, 20)
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"the dual-screening fraction must be between 0 and 1, not {fraction}")
    ordered = sorted(set(record_ids))
    size = math.ceil(fraction * len(ordered))
    return frozenset(random.Random(seed).sample(ordered, size))
