"""What the deduplication pages show: one uncertain pair side by side, and the groups with provenance.

Read-only use cases for the web app (issue #14). Decisions still go through
:func:`realreview.services.dedup.decide_pair` and :func:`~realreview.services.dedup.unmerge_record`,
so each one is kept (append-only, audited) exactly as from the command line.

The queue is the latest run's pairs left for review that nobody has decided, **best score first**
(the order ``realreview dedup pairs`` lists them in): the likeliest duplicates come first and are the
quickest to confirm, so the waiting count falls fastest, and the doubtful tail is left for when the
reviewer has seen how this review's sources differ. Every question is one indexed query
(:mod:`realreview.storage.dedup_pairs`): no request loads a run's pairs, whatever the review's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.dedup.canonical import merge_records
from realreview.dedup.side_by_side import FieldMark, FieldPair, compare_fields
from realreview.errors import NotFoundError, ValidationError
from realreview.records import Record
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.dedup_regroup import PairQueue, pair_queue
from realreview.services.reviews import ReviewInfo
from realreview.storage import dedup_pairs as pairs
from realreview.storage import queries
from realreview.storage.dedup import StoredLink

__all__ = [
    "DedupGroupsPage",
    "DedupPage",
    "FieldMark",
    "FieldPair",
    "GroupView",
    "PairView",
    "dedup_groups_page",
    "dedup_page",
    "dedup_pairs_waiting",
    "parse_pair",
]

#: What each decision is called on the page (the service's actions).
_SAID = {
    "accept": "Merged: records {a} and {b} are one work.",
    "merge": "Merged: records {a} and {b} are one work.",
    "reject": "Kept apart: records {a} and {b} are different works.",
}
_VERDICTS = {"duplicate": "merged", "distinct": "kept apart"}
# Undo reopens the last verdict on a suggested pair; a merge by hand (any two records, from the
# command line) has no pair to show here.
_DECISIONS = ("accept", "reject")


@dataclass(frozen=True, slots=True)
class PairView:
    """An uncertain pair: both records' fields side by side, each marked, and the matcher's score."""

    link_id: int
    a: int
    b: int
    score: float
    reason: str
    fields: tuple[FieldPair, ...]
    #: The verdict in force ("merged" / "kept apart") when the pair was already decided.
    verdict: str | None = None

    @property
    def key(self) -> str:
        """The pair as the address names it (``?pair=12-40``)."""
        return f"{self.a}-{self.b}"

    @property
    def conflicts(self) -> tuple[str, ...]:
        """The labels of the fields that conflict."""
        return tuple(row.label for row in self.fields if row.mark is FieldMark.CONFLICT)


@dataclass(frozen=True, slots=True)
class DedupPage:
    """The pair review: the pair shown (or none left), how many wait, how many were decided."""

    review: ReviewInfo
    pair: PairView | None
    waiting: int
    to_review: int
    run_id: int | None
    can_decide: bool
    message: str = ""
    error: bool = False

    @property
    def decided(self) -> int:
        """How many of the run's pairs to review have a verdict."""
        return self.to_review - self.waiting


@dataclass(frozen=True, slots=True)
class GroupView:
    """A duplicate group: its members, its canonical record, and the member each canonical field came from."""

    root: int
    members: tuple[tuple[int, str], ...]
    canonical: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True, slots=True)
class DedupGroupsPage:
    """One page of the review's duplicate groups."""

    review: ReviewInfo
    groups: tuple[GroupView, ...]
    total: int
    page: int
    pages: int
    can_unmerge: bool
    message: str = ""


def parse_pair(text: str | None) -> tuple[int, int] | None:
    """``"12-40"`` as ``(12, 40)``; ``None`` for nothing; a clear error for anything else."""
    if not text:
        return None
    left, _, right = text.partition("-")
    if not (left.isdigit() and right.isdigit()):
        raise ValidationError(f"pair {text!r} is not two record ids such as 12-40")
    return int(left), int(right)


@reads(Action.DEDUPLICATE)
def dedup_page(
    session: Session,
    ctx: ReviewContext,
    *,
    pair: tuple[int, int] | None = None,
    after: tuple[int, int] | None = None,
    reopen_last: bool = False,
    said: str = "",
    message: str = "",
    error: bool = False,
) -> DedupPage:
    """The pair review: the next undecided pair, or ``pair``, or the one after ``after`` (a skip).

    ``reopen_last`` shows the reviewer's last decided pair, to decide it again (the later verdict
    wins). ``said`` (``"accept:12-40"``) confirms the decision just stored, as the address after a redirect
    carries it.
    """
    review_id = ctx.review.id
    if reopen_last:
        last = pairs.last_decision_by(session, review_id=review_id, reviewer=ctx.actor, actions=_DECISIONS)
        if last is None:
            message, error = "You have decided no pair yet: nothing to undo.", True
        else:
            pair = (last.record_a_id, last.record_b_id)
            message = f"Reopened records {pair[0]} and {pair[1]}: decide again, the later verdict counts."
    if said and not message:
        action, _, key = said.partition(":")
        decided = parse_pair(key)
        if action in _SAID and decided:
            message = _SAID[action].format(a=decided[0], b=decided[1])
    queue = pair_queue(session, review_id=review_id)
    link = _chosen(session, queue, pair=pair, after=after)
    shown = _view(session, review_id, link, decided=pair is not None) if link else None
    return DedupPage(
        review=ctx.review,
        pair=shown,
        waiting=queue.waiting,
        to_review=queue.to_review,
        run_id=queue.run_id,
        can_decide=ctx.can(Action.DEDUPLICATE),
        message=message,
        error=error,
    )


@reads(Action.VIEW_RECORDS)
def dedup_pairs_waiting(session: Session, ctx: ReviewContext) -> int:
    """How many of the latest run's uncertain pairs wait for a person (the overview's count)."""
    return pair_queue(session, review_id=ctx.review.id).waiting


@reads(Action.VIEW_RECORDS)
def dedup_groups_page(
    session: Session, ctx: ReviewContext, *, page: int = 1, per_page: int = 25, message: str = ""
) -> DedupGroupsPage:
    """One page of duplicate groups, by root, each with its canonical record and field provenance."""
    review_id = ctx.review.id
    total, _duplicates = pairs.count_groups(session, review_id=review_id)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    found = pairs.group_page(session, review_id=review_id, offset=(page - 1) * per_page, limit=per_page)
    records = queries.records_by_id(session, review_id=review_id, record_ids={i for g in found for i in g})
    return DedupGroupsPage(
        review=ctx.review,
        groups=tuple(_group(group, records) for group in found),
        total=total,
        page=page,
        pages=pages,
        can_unmerge=ctx.can(Action.DEDUPLICATE),
        message=message,
    )


def _chosen(
    session: Session,
    queue: PairQueue,
    *,
    pair: tuple[int, int] | None,
    after: tuple[int, int] | None,
) -> StoredLink | None:
    if queue.run_id is None:
        return None
    if pair is None:
        # The next undecided pair after a skip; from the top when there is none (the queue wraps).
        pair = (after and queue.first(after=after)) or queue.first()
        if pair is None:
            return None
    link = pairs.link_between(session, run_id=queue.run_id, a=pair[0], b=pair[1])
    if link is None:
        raise NotFoundError(f"records {pair[0]} and {pair[1]} are no pair to review in the latest run")
    return link


def _view(session: Session, review_id: int, link: StoredLink, *, decided: bool) -> PairView:
    records = queries.records_by_id(session, review_id=review_id, record_ids={link.a, link.b})
    verdict = None
    if decided:
        row = pairs.decision_on(session, review_id=review_id, a=link.a, b=link.b)
        verdict = _VERDICTS.get(row.verdict) if row else None
    return PairView(
        link.id,
        link.a,
        link.b,
        link.score,
        link.reason,
        compare_fields(records[link.a], records[link.b]),
        verdict,
    )


_CANONICAL = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("year", "Year"),
    ("journal", "Journal"),
    ("volume", "Volume"),
    ("issue", "Issue"),
    ("pages", "Pages"),
    ("doi", "DOI"),
    ("pmid", "PMID"),
    ("abstract", "Abstract"),
)


def _group(group: list[int], records: dict[int, Record]) -> GroupView:
    members = [records[i] for i in group if i in records]
    canonical, sources = merge_records(members)
    rows = []
    for name, label in _CANONICAL:
        if name not in sources:
            continue
        value = getattr(canonical, name)
        shown = "; ".join(str(item) for item in value) if isinstance(value, tuple) else str(value)
        rows.append((label, shown, group[sources[name]]))
    return GroupView(
        group[0],
        tuple((i, records[i].title or "(no title)") for i in group if i in records),
        tuple(rows),
    )
