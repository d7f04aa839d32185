"""Use cases for deduplication: run it, review uncertain pairs, merge and unmerge by hand.

The matcher's links (one set per run, kept forever) and the reviewers' decisions (append-only, the
latest verdict on a pair in force) together decide the groups; ``records.duplicate_of`` is recomputed
from both after every run and every decision, so re-running after a new import never loses a decision:
a reviewer's merge joins records whatever the matcher says, and a reviewer's "different" keeps them
apart whatever the matcher says.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.dedup import LinkStatus, build_groups, find_duplicates
from realreview.dedup.canonical import merge_records
from realreview.errors import NotFoundError, ValidationError
from realreview.records import Record
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.dedup_regroup import is_linked, regroup_around, summary_counts
from realreview.storage import dedup as store
from realreview.storage import dedup_pairs as pairs
from realreview.storage import queries

__all__ = [
    "DedupSummary",
    "DuplicateGroup",
    "PairForReview",
    "decide_pair",
    "duplicate_groups",
    "pairs_for_review",
    "run_dedup",
    "unmerge_record",
]

Progress = Callable[[str, int, int], None]

DUPLICATE, DISTINCT = "duplicate", "distinct"
ACTIONS = {"accept": DUPLICATE, "merge": DUPLICATE, "reject": DISTINCT}


@dataclass(frozen=True, slots=True)
class DedupSummary:
    """The state after a run or a decision."""

    run_id: int | None
    records: int
    groups: int
    duplicates: int
    auto_links: int
    needs_review: int


@dataclass(frozen=True, slots=True)
class PairForReview:
    """An uncertain pair with both records and the matcher's explanation."""

    link_id: int
    a: int
    b: int
    record_a: Record
    record_b: Record
    score: float
    agreed: tuple[str, ...]
    conflicted: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """A group: its root, members, canonical record and which member gave each canonical field."""

    root: int
    members: tuple[int, ...]
    canonical: Record
    sources: dict[str, int]


@mutation(Action.DEDUPLICATE, audit="dedup.run", entity="dedup_run")
def run_dedup(session: Session, ctx: ReviewContext, *, progress: Progress | None = None) -> DedupSummary:
    """Find duplicates among all the review's records and regroup them (keeping human decisions)."""
    review, actor = ctx.review, ctx.actor
    stored = list(queries.iter_records(session, review_id=review.id))
    ids = [record_id for record_id, _, _ in stored]
    started = time.perf_counter()
    result = find_duplicates([record for _, _, record in stored], progress=progress)
    seconds = time.perf_counter() - started
    run_id = store.add_run(session, review_id=review.id, actor=actor, record_count=len(ids), seconds=seconds)
    store.add_links(
        session,
        review_id=review.id,
        run_id=run_id,
        links=(
            store.StoredLink(
                0,
                ids[link.a],
                ids[link.b],
                link.score,
                link.status.value,
                link.agreed,
                link.conflicted,
                link.reason,
            )
            for link in result.links
        ),
    )
    summary = _regroup(session, review.id)
    audit.note(
        session,
        entity_id=run_id,
        records=len(ids),
        links=len(result.links),
        groups=summary.groups,
        needs_review=summary.needs_review,
        seconds=round(seconds, 3),
    )
    return summary


@reads(Action.DEDUPLICATE)
def pairs_for_review(session: Session, ctx: ReviewContext) -> list[PairForReview]:
    """The latest run's uncertain pairs that no reviewer has decided yet, best score first."""
    review = ctx.review
    pending = _pending(session, review.id)
    records = _records(session, review.id, {i for link in pending for i in (link.a, link.b)})
    return [
        PairForReview(
            link.id,
            link.a,
            link.b,
            records[link.a],
            records[link.b],
            link.score,
            link.agreed,
            link.conflicted,
            link.reason,
        )
        for link in pending
    ]


@mutation(Action.DEDUPLICATE, audit="dedup.decide", entity="dedup_decision")
def decide_pair(
    session: Session,
    ctx: ReviewContext,
    *,
    record_a: int,
    record_b: int,
    action: str,
    note: str | None = None,
    summarise: bool = True,
) -> DedupSummary | None:
    """Record a reviewer's verdict on a pair: ``accept``/``reject`` a suggested link, or ``merge`` any two.

    Returns the review's dedup counts afterwards, unless ``summarise`` is false: the pair review in
    the browser shows the next pair with its own counts, and counting every group at 100,000
    records is most of a decision's time (issue #14's 100 ms).
    """
    review, reviewer = ctx.review, ctx.actor
    if action not in ACTIONS:
        raise ValidationError(f"unknown action {action!r}; use accept, reject or merge")
    _check_records(session, review.id, record_a, record_b)
    if action in {"accept", "reject"} and not _is_suggested(session, review.id, record_a, record_b):
        raise ValidationError(
            f"records {record_a} and {record_b} are not a suggested pair of the latest run; "
            "use 'merge' to join two records by hand"
        )
    _decide(session, review.id, (record_a, record_b), ACTIONS[action], action, reviewer, note)
    regroup_around(session, review_id=review.id, records=(record_a, record_b))
    return DedupSummary(**summary_counts(session, review_id=review.id)) if summarise else None  # type: ignore[arg-type]


@mutation(Action.DEDUPLICATE, audit="dedup.unmerge", entity="record", entity_id="record_id")
def unmerge_record(
    session: Session, ctx: ReviewContext, *, record_id: int, note: str | None = None
) -> DedupSummary:
    """Take a record out of its group: it is marked different from every other member."""
    review, reviewer = ctx.review, ctx.actor
    _check_records(session, review.id, record_id)
    # duplicate_of mirrors the groups after every run and decision: one indexed query finds the group.
    group = pairs.group_of(session, review_id=review.id, record_id=record_id)
    if len(group) < 2:
        raise ValidationError(f"record {record_id} is in no duplicate group")
    for other in group:
        if other != record_id:
            _decide(session, review.id, (record_id, other), DISTINCT, "unmerge", reviewer, note)
    return _regroup_around(session, review.id, tuple(group))


@reads(Action.VIEW_RECORDS)
def duplicate_groups(
    session: Session, ctx: ReviewContext, *, root: int | None = None
) -> list[DuplicateGroup]:
    """Every duplicate group (or the one whose root or member is ``root``) with its canonical record."""
    review = ctx.review
    groups = _current_groups(session, review.id)
    if root is not None:
        groups = [group for group in groups if root in group]
        if not groups:
            raise NotFoundError(f"record {root} is in no duplicate group of review {review.id}")
    records = _records(session, review.id, {i for group in groups for i in group})
    found = []
    for group in groups:
        canonical, sources = merge_records([records[i] for i in group])
        found.append(
            DuplicateGroup(group[0], tuple(group), canonical, {k: group[v] for k, v in sources.items()})
        )
    return found


# --- state ----------------------------------------------------------------------------------------------


def _decide(
    session: Session,
    review_id: int,
    pair: tuple[int, int],
    verdict: str,
    action: str,
    reviewer: str,
    note: str | None,
) -> None:
    decision = store.add_decision(
        session, review_id=review_id, pair=pair, verdict=verdict, action=action, reviewer=reviewer, note=note
    )
    audit.note(session, entity_id=decision, action=action, records=sorted(pair), verdict=verdict, note=note)


def _current_groups(session: Session, review_id: int) -> list[list[int]]:
    """Groups from the latest run's automatic links and every decision in force, roots first."""
    run = store.latest_run(session, review_id=review_id)
    links = store.links_of_run(session, run_id=run.id) if run else []
    decisions = store.current_decisions(session, review_id=review_id)
    human_merges = [pair for pair, row in decisions.items() if row.verdict == DUPLICATE]
    cannot = [pair for pair, row in decisions.items() if row.verdict == DISTINCT]
    automatic = [link for link in links if link.status == LinkStatus.DUPLICATE.value]
    machine = [(link.a, link.b) for link in automatic if (link.a, link.b) not in decisions]
    ids = sorted({i for pair in (*human_merges, *cannot, *machine) for i in pair})
    index = {record_id: n for n, record_id in enumerate(ids)}
    groups, _skipped = build_groups(
        len(ids),
        [(index[a], index[b]) for a, b in (*human_merges, *machine)],
        [(index[a], index[b]) for a, b in cannot],
    )
    return [[ids[n] for n in group] for group in groups]


def _regroup(session: Session, review_id: int) -> DedupSummary:
    groups = _current_groups(session, review_id)
    store.set_duplicate_of(session, review_id=review_id, roots={i: g[0] for g in groups for i in g[1:]})
    run = store.latest_run(session, review_id=review_id)
    links = store.links_of_run(session, run_id=run.id) if run else []
    return DedupSummary(
        run_id=run.id if run else None,
        records=run.record_count if run else queries.count_records(session, review_id=review_id),
        groups=len(groups),
        duplicates=sum(len(g) - 1 for g in groups),
        auto_links=sum(1 for link in links if link.status == LinkStatus.DUPLICATE.value),
        needs_review=len(_pending(session, review_id)),
    )


def _regroup_around(session: Session, review_id: int, records: tuple[int, ...]) -> DedupSummary:
    """Regroup only what a decision on ``records`` can reach (see :mod:`.dedup_regroup`)."""
    regroup_around(session, review_id=review_id, records=records)
    return DedupSummary(**summary_counts(session, review_id=review_id))  # type: ignore[arg-type]


def _pending(session: Session, review_id: int) -> list[store.StoredLink]:
    run = store.latest_run(session, review_id=review_id)
    if run is None:
        return []
    decided = store.current_decisions(session, review_id=review_id)
    return [
        link
        for link in store.links_of_run(session, run_id=run.id)
        if link.status == LinkStatus.NEEDS_REVIEW.value and (link.a, link.b) not in decided
    ]


def _is_suggested(session: Session, review_id: int, a: int, b: int) -> bool:
    return is_linked(session, review_id=review_id, a=a, b=b)


def _check_records(session: Session, review_id: int, *record_ids: int) -> None:
    if len(set(record_ids)) < len(record_ids):
        raise ValidationError("a record cannot be a duplicate of itself")
    known = queries.records_by_id(session, review_id=review_id, record_ids=set(record_ids))
    missing = [str(i) for i in record_ids if i not in known]
    if missing:
        raise NotFoundError(
            f"review {review_id} has no record {', '.join(missing)} (see: realreview records)"
        )


def _records(session: Session, review_id: int, wanted: set[int]) -> dict[int, Record]:
    return queries.records_by_id(session, review_id=review_id, record_ids=wanted)
