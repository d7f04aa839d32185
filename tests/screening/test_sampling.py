from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.screening import dual_sample


def test_a_tenth_drawn_with_a_seed_is_the_same_every_time() -> None:
    ids = list(range(1, 6260))  # the worked example screened 6,259 records
    first = dual_sample(ids, fraction=0.1, seed=2025)
    assert len(first) == 626
    assert first == dual_sample(list(reversed(ids)), fraction=0.1, seed=2025)
    assert first != dual_sample(ids, fraction=0.1, seed=2026)
    assert first <= set(ids)


def test_bad_fraction_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        dual_sample([1, 2], fraction=1.5, seed=1)


@given(st.sets(st.integers(min_value=1, max_value=10_000), max_size=200), st.floats(min_value=0, max_value=1))
def test_sample_size_is_the_ceiling_of_the_fraction(ids: set[int], fraction: float) -> None:
    import math

    assert len(dual_sample(sorted(ids), fraction=fraction, seed=3)) == math.ceil(fraction * len(ids))
