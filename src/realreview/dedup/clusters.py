"""Duplicate groups from links, honouring "these two are different" constraints.

Plain connected components let one wrong link chain two works together, and would let an automatic
link override a reviewer who said two records are different. :func:`build_groups` takes the links in
order of trust (a reviewer's merges first, then machine links by descending score) and joins two groups
only if no cannot-link pair spans them; a link that would break a constraint is skipped and reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["build_groups", "group_roots"]


def build_groups(
    size: int, links: Iterable[tuple[int, int]], cannot_link: Iterable[tuple[int, int]] = ()
) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Group ``size`` items by ``links`` (taken in the order given), never joining a cannot-link pair.

    Returns:
        The groups of two or more items (each sorted, listed by first member) and the links skipped
        because they would have joined a cannot-link pair.

    >>> build_groups(5, [(0, 1), (1, 2), (3, 4)], cannot_link=[(0, 2)])
    ([[0, 1], [3, 4]], [(1, 2)])
    """
    parent = list(range(size))
    members: dict[int, set[int]] = {}
    forbidden: dict[int, set[int]] = {}
    for a, b in cannot_link:
        forbidden.setdefault(a, set()).add(b)
        forbidden.setdefault(b, set()).add(a)

    def root(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    skipped: list[tuple[int, int]] = []
    for a, b in links:
        root_a, root_b = root(a), root(b)
        if root_a == root_b:
            continue
        group_a = members.get(root_a, {root_a})
        group_b = members.get(root_b, {root_b})
        if forbidden and _conflict(group_a, group_b, forbidden):
            skipped.append((a, b))
            continue
        if len(group_a) < len(group_b):
            root_a, root_b, group_a, group_b = root_b, root_a, group_b, group_a
        parent[root_b] = root_a
        members[root_a] = group_a | group_b
        members.pop(root_b, None)
    groups = [sorted(group) for group in members.values() if len(group) > 1]
    return sorted(groups), skipped


def _conflict(group_a: set[int], group_b: set[int], forbidden: dict[int, set[int]]) -> bool:
    small, large = (group_a, group_b) if len(group_a) <= len(group_b) else (group_b, group_a)
    return any(not forbidden.get(item, set()).isdisjoint(large) for item in small)


def group_roots(groups: Sequence[Sequence[int]]) -> dict[int, int]:
    """Map every grouped item to its group's root (the group's smallest item)."""
    return {item: group[0] for group in groups for item in group[1:]}
