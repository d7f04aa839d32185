"""Who screens which record: the protocol's allocation of records between reviewers.

A review double-screens a seeded sample (``dual_fraction`` of its records, drawn once and stored)
and screens the rest once. The allocation says who is asked for those calls:

* ``everyone``: every reviewer screens every record; every record needs two agreeing calls.
* ``lead``: one lead reviewer screens every record; the others screen only the sample (the worked
  example's protocol: one reviewer screened everything, a second a random 10%).
* ``shared``: the sample needs two calls, the other records one; whoever comes first takes it.
* ``split``: as ``shared``, but the records outside the sample are split evenly between the
  screeners, each record allotted to one of them.

A record leaves every other reviewer's queue once it has the calls it needs. A call beyond those
(two reviewers deciding the same record at once) is kept and counted, never dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Allocation", "Allotment", "allotted_to", "calls_needed", "complete", "in_queue", "split_evenly"]


class Allocation(StrEnum):
    """How records are allocated between reviewers (a review setting)."""

    EVERYONE = "everyone"
    LEAD = "lead"
    SHARED = "shared"
    SPLIT = "split"


def calls_needed(allocation: Allocation, *, in_sample: bool) -> int:
    """How many reviewers' calls a record needs before its screening at a stage is complete.

    >>> calls_needed(Allocation.SHARED, in_sample=False), calls_needed(Allocation.SHARED, in_sample=True)
    (1, 2)
    >>> calls_needed(Allocation.EVERYONE, in_sample=False)
    2
    """
    return 2 if in_sample or allocation is Allocation.EVERYONE else 1


@dataclass(frozen=True, slots=True)
class Allotment:
    """What the allocation needs to place records: the mode, the lead, the screeners, the split."""

    allocation: Allocation
    lead: str | None
    screeners: tuple[str, ...]
    #: Under ``split``: the screener each record outside the sample is allotted to.
    assigned: Mapping[int, str] = field(default_factory=dict)


def split_evenly(record_ids: Iterable[int], screeners: Sequence[str]) -> dict[int, str]:
    """Deal the records (outside the sample) to the screeners in turn, in record order.

    The caller passes every record the review ever held outside the sample, duplicates included
    (records are never deleted), so an import only appends to the deal and a merge moves no record
    from one reviewer to another; the shares differ by at most one record.

    >>> split_evenly([4, 1, 3, 2, 5], ["ben", "ana"])
    {1: 'ana', 2: 'ben', 3: 'ana', 4: 'ben', 5: 'ana'}
    """
    people = sorted(screeners)
    if not people:
        return {}
    return {record_id: people[turn % len(people)] for turn, record_id in enumerate(sorted(record_ids))}


def allotted_to(allotment: Allotment, record_id: int) -> str | None:
    """The screener a record outside the sample is allotted to under ``split`` (None otherwise)."""
    if allotment.allocation is not Allocation.SPLIT:
        return None
    return allotment.assigned.get(record_id)


def in_queue(
    allotment: Allotment,
    *,
    actor: str,
    record_id: int,
    in_sample: bool,
    callers: Collection[str],
) -> bool:
    """Whether ``record_id`` waits in ``actor``'s queue, given who already has a standing call on it.

    >>> shared = Allotment(Allocation.SHARED, None, ("ana", "ben"))
    >>> in_queue(shared, actor="ben", record_id=1, in_sample=False, callers={"ana"})
    False
    >>> in_queue(shared, actor="ben", record_id=1, in_sample=True, callers={"ana"})
    True
    >>> lead = Allotment(Allocation.LEAD, "ana", ("ana", "ben"))
    >>> in_queue(lead, actor="ben", record_id=1, in_sample=False, callers=())
    False
    """
    if actor in callers:
        return False
    allocation = allotment.allocation
    if allocation is Allocation.EVERYONE:
        return True
    if allocation is Allocation.LEAD:
        if actor == allotment.lead:
            return True
        return in_sample and not [who for who in callers if who != allotment.lead]
    needed = calls_needed(allocation, in_sample=in_sample)
    if len(callers) >= needed:
        return False
    if allocation is Allocation.SPLIT and not in_sample:
        owner = allotted_to(allotment, record_id)
        return owner is None or owner == actor or actor not in allotment.screeners
    return True


def complete(allotment: Allotment, *, in_sample: bool, callers: Sequence[str] | Collection[str]) -> bool:
    """Whether a record has every call the allocation asks of it (no one's queue holds it any more).

    >>> lead = Allotment(Allocation.LEAD, "ana", ("ana", "ben"))
    >>> complete(lead, in_sample=True, callers={"ben"}), complete(lead, in_sample=True, callers={"ana", "ben"})
    (False, True)
    """
    if allotment.allocation is Allocation.LEAD:
        if allotment.lead not in callers:
            return False
        return not in_sample or any(who != allotment.lead for who in callers)
    if allotment.allocation is Allocation.EVERYONE:
        return set(allotment.screeners) <= set(callers) and len(callers) >= 2
    return len(callers) >= calls_needed(allotment.allocation, in_sample=in_sample)
