"""``find_duplicates``: normalise each record once, block, score the candidate pairs, group.

Groups are built from the automatic links only, strongest first, and an uncertain pair that the
matcher keeps apart (an erratum beside its article, two numbered parts, or a pair more likely two works
than one) is passed to :func:`build_groups` as cannot-link, so that two records it would not merge
directly are never chained together through a third one.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence

from realreview.dedup.blocking import candidate_pairs
from realreview.dedup.clusters import build_groups
from realreview.dedup.match import compare
from realreview.dedup.model import DedupResult, Link, LinkStatus
from realreview.dedup.profile import profile
from realreview.dedup.scoring import Model, default_model
from realreview.records import Record

__all__ = ["find_duplicates"]

Progress = Callable[[str, int, int], None]

_STEP = 10_000


def find_duplicates(
    records: Sequence[Record], *, progress: Progress | None = None, model: Model | None = None
) -> DedupResult:
    """Find the duplicate groups among ``records`` (indexes into the sequence), each link explained.

    ``progress(stage, done, total)`` is called now and then during the stages ``"normalise"``,
    ``"compare"`` (``total`` is unknown there and given as 0) and ``"group"``. ``model`` replaces the
    shipped weights (the leave-one-dataset-out benchmark passes the weights of each fold).

    >>> from realreview.records import make_record
    >>> rows = [("Sleep in adolescents: a cohort study", "2020", "12-19"),
    ...         ("Sleep in adolescents. A cohort study.", "2020", "12-9"),
    ...         ("Diet in adolescents: a cohort study", "2020", "40-49")]
    >>> records = [make_record((), title=t, authors=["Ng, A."], year=y, volume="3", pages=p) for t, y, p in rows]
    >>> find_duplicates(records).groups
    [[0, 1]]
    """
    # A million profiles and links hold no reference cycles, yet each allocation burst makes the cyclic
    # collector walk all of them again: paused, the run stays linear (and 30% faster at 1M records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _find(records, progress or _silent, model or default_model())
    finally:
        if collecting:
            gc.enable()


def _find(records: Sequence[Record], report: Progress, model: Model) -> DedupResult:
    total = len(records)
    profiles = []
    for index, record in enumerate(records):
        if index % _STEP == 0:
            report("normalise", index, total)
        profiles.append(profile(record))
    report("normalise", total, total)
    links: list[Link] = []
    cannot_link: list[tuple[int, int]] = []
    compared = 0
    for a, b in candidate_pairs(profiles):
        compared += 1
        if compared % _STEP == 0:
            report("compare", compared, 0)
        verdict = compare(profiles[a], profiles[b], model=model)
        if verdict is not None:
            links.append(
                Link(a, b, verdict.score, verdict.status, verdict.agreed, verdict.conflicted, verdict.reason)
            )
            if verdict.apart:
                cannot_link.append((a, b))
    report("compare", compared, compared)
    links.sort(key=lambda link: (link.a, link.b))
    automatic = sorted(
        (link for link in links if link.status is LinkStatus.DUPLICATE), key=lambda link: -link.score
    )
    report("group", 0, len(automatic))
    groups, _skipped = build_groups(total, [(link.a, link.b) for link in automatic], cannot_link)
    report("group", len(automatic), len(automatic))
    return DedupResult(links=links, groups=groups)


def _silent(stage: str, done: int, total: int) -> None:
    return None
