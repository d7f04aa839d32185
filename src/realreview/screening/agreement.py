"""Agreement between two reviewers: cross table, percent agreement, Cohen's kappa (95% CI), PABAK.

Kappa's standard error is the large-sample one of Fleiss, Cohen & Everitt (1969, Psychological
Bulletin 72:323-327), the one statistical packages use for the interval (e.g. statsmodels'
``cohens_kappa``); PABAK (Byrt, Bishop & Carlin 1993) is kappa with balanced prevalence and no bias,
``(k * p_o - 1) / (k - 1)`` for ``k`` categories, reported because kappa drops when nearly every
record is excluded, as in title/abstract screening.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from realreview.screening.decisions import MaybeRule, counted
from realreview.screening.states import Verdict

__all__ = ["Agreement", "agreement", "categories_for"]

_Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Agreement:
    """Two reviewers' agreement on the records both decided."""

    categories: tuple[Verdict, ...]
    #: ``table[i][j]``: records the first reviewer put in ``categories[i]`` and the second in ``categories[j]``.
    table: tuple[tuple[int, ...], ...]
    records: int
    percent: float | None
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None
    pabak: float | None


def categories_for(maybe: MaybeRule) -> tuple[Verdict, ...]:
    """The categories compared: include/exclude (maybe counted as include), or all three."""
    if maybe is MaybeRule.AS_INCLUDE:
        return (Verdict.INCLUDE, Verdict.EXCLUDE)
    return (Verdict.INCLUDE, Verdict.EXCLUDE, Verdict.MAYBE)


def agreement(
    pairs: Iterable[tuple[Verdict, Verdict]], *, maybe: MaybeRule = MaybeRule.AS_INCLUDE
) -> Agreement:
    """Agreement over ``(first reviewer's verdict, second reviewer's verdict)`` pairs.

    >>> pairs = [(Verdict.INCLUDE, Verdict.INCLUDE)] * 20 + [(Verdict.INCLUDE, Verdict.EXCLUDE)] * 5
    >>> pairs += [(Verdict.EXCLUDE, Verdict.INCLUDE)] * 10 + [(Verdict.EXCLUDE, Verdict.EXCLUDE)] * 15
    >>> result = agreement(pairs)
    >>> result.table, result.percent, round(result.kappa, 4), round(result.pabak, 4)
    (((20, 5), (10, 15)), 0.7, 0.4, 0.4)
    """
    categories = categories_for(maybe)
    index = {category: i for i, category in enumerate(categories)}
    size = len(categories)
    counts = [[0] * size for _ in range(size)]
    for first, second in pairs:
        counts[index[counted(first, maybe)]][index[counted(second, maybe)]] += 1
    table = tuple(tuple(row) for row in counts)
    n = sum(map(sum, counts))
    if n == 0:
        return Agreement(categories, table, 0, None, None, None, None, None)
    p = [[cell / n for cell in row] for row in counts]
    rows = [sum(row) for row in p]
    cols = [sum(p[i][j] for i in range(size)) for j in range(size)]
    observed = sum(p[i][i] for i in range(size))
    expected = sum(rows[i] * cols[i] for i in range(size))
    pabak = (size * observed - 1) / (size - 1)
    if math.isclose(expected, 1.0):
        # Both reviewers put every record in one category: kappa is undefined (0/0).
        return Agreement(categories, table, n, observed, None, None, None, pabak)
    kappa = (observed - expected) / (1 - expected)
    error = _standard_error(p, rows, cols, observed, expected, n)
    low, high = max(-1.0, kappa - _Z95 * error), min(1.0, kappa + _Z95 * error)
    return Agreement(categories, table, n, observed, kappa, low, high, pabak)


def _standard_error(
    p: list[list[float]], rows: list[float], cols: list[float], observed: float, expected: float, n: int
) -> float:
    """Fleiss, Cohen & Everitt (1969) large-sample standard error of kappa (not under the null)."""
    size = len(p)
    diagonal = sum(
        p[i][i] * ((1 - expected) - (rows[i] + cols[i]) * (1 - observed)) ** 2 for i in range(size)
    )
    off = (1 - observed) ** 2 * sum(
        p[i][j] * (cols[i] + rows[j]) ** 2 for i in range(size) for j in range(size) if i != j
    )
    correction = (observed * expected - 2 * expected + observed) ** 2
    variance = (diagonal + off - correction) / (n * (1 - expected) ** 4)
    return math.sqrt(max(variance, 0.0))
