"""Blocking gives every pair that shares a key in a small block, and each pair once."""

from __future__ import annotations

from itertools import combinations

from realreview.dedup.blocking import KEYS, candidate_pairs
from realreview.dedup.match import profile

from .test_find import load


def test_each_pair_once_and_every_small_block_pair_given() -> None:
    _, records, _ = load("stroke")
    profiles = [profile(r) for r in records]
    given = list(candidate_pairs(profiles, max_block=64))
    assert len(given) == len(set(given))
    assert all(a < b for a, b in given)
    expected: set[tuple[int, int]] = set()
    for key_function in KEYS.values():
        blocks: dict[str, list[int]] = {}
        for index, item in enumerate(profiles):
            key = key_function(item)
            if key is not None:
                blocks.setdefault(key, []).append(index)
        for members in blocks.values():
            if len(members) <= 64:
                expected.update(combinations(members, 2))
    assert expected <= set(given)
    # Blocking is the point: far fewer pairs than all pairs.
    assert len(given) < len(profiles) * 5


def test_large_blocks_give_only_neighbours() -> None:
    _, records, _ = load("stroke")
    profiles = [profile(r) for r in records]
    small = set(candidate_pairs(profiles, max_block=2, window=1))
    full = set(candidate_pairs(profiles, max_block=64))
    assert small < full
