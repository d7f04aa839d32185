"""Kappa, its 95% CI and PABAK against an independent implementation.

Reference values computed with statsmodels 0.14 (``statsmodels.stats.inter_rater.cohens_kappa``, which
uses the same Fleiss-Cohen-Everitt standard error) on the same tables; statsmodels is not a dependency.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.screening import MaybeRule, Verdict, agreement

INC, E, M = Verdict.INCLUDE, Verdict.EXCLUDE, Verdict.MAYBE
CATEGORIES = {2: (INC, E), 3: (INC, E, M)}


def pairs_from(table: list[list[int]]) -> list[tuple[Verdict, Verdict]]:
    categories = CATEGORIES[len(table)]
    return [
        (categories[i], categories[j])
        for i, row in enumerate(table)
        for j, count in enumerate(row)
        for _ in range(count)
    ]


@pytest.mark.parametrize(
    ("table", "kappa", "low", "high"),
    [
        ([[20, 5], [10, 15]], 0.4, 0.151092290476661, 0.6489077095233389),
        ([[88, 14], [10, 188]], 0.8200359928014398, 0.7511390692092061, 0.8889329163936734),
        ([[2, 3], [4, 291]], 0.35185185185185486, -0.015828527324560193, 0.7195322310282699),
        ([[30, 2, 3], [4, 50, 6], [1, 5, 20]], 0.7250595109283704, 0.6187076762060097, 0.831411345650731),
    ],
)
def test_kappa_and_interval_match_statsmodels(
    table: list[list[int]], kappa: float, low: float, high: float
) -> None:
    maybe = MaybeRule.OWN_CATEGORY if len(table) == 3 else MaybeRule.AS_INCLUDE
    result = agreement(pairs_from(table), maybe=maybe)
    assert result.table == tuple(map(tuple, table))
    assert result.kappa == pytest.approx(kappa, abs=1e-12)
    assert result.kappa_low == pytest.approx(low, abs=1e-9)
    assert result.kappa_high == pytest.approx(high, abs=1e-9)


def test_pabak_stays_high_when_nearly_everything_is_excluded() -> None:
    # Title/abstract screening: 291 of 300 excluded by both. Kappa is low, PABAK is not.
    result = agreement(pairs_from([[2, 3], [4, 291]]))
    assert result.percent == pytest.approx(293 / 300)
    assert result.pabak == pytest.approx(2 * 293 / 300 - 1)
    assert result.kappa is not None and result.kappa < 0.4 < result.pabak  # type: ignore[operator]


def test_maybe_counts_as_include_or_as_its_own_category() -> None:
    pairs = [(INC, M), (M, M), (E, E), (E, M)]
    as_include = agreement(pairs, maybe=MaybeRule.AS_INCLUDE)
    assert as_include.table == ((2, 0), (1, 1))
    own = agreement(pairs, maybe=MaybeRule.OWN_CATEGORY)
    assert own.table == ((0, 0, 1), (0, 1, 1), (0, 0, 1))


def test_no_records_and_undefined_kappa() -> None:
    assert agreement([]).kappa is None
    all_excluded = agreement([(E, E)] * 10)
    assert all_excluded.percent == 1.0
    assert all_excluded.kappa is None  # 0/0: both reviewers used one category only
    assert all_excluded.pabak == 1.0


@given(
    st.lists(st.tuples(st.sampled_from([INC, E, M]), st.sampled_from([INC, E, M])), min_size=1, max_size=60)
)
def test_kappa_is_bounded_and_inside_its_interval(pairs: list[tuple[Verdict, Verdict]]) -> None:
    result = agreement(pairs, maybe=MaybeRule.OWN_CATEGORY)
    assert sum(map(sum, result.table)) == len(pairs)
    if result.kappa is not None:
        assert -1.0 <= result.kappa <= 1.0
        assert result.kappa_low <= result.kappa <= result.kappa_high  # type: ignore[operator]
