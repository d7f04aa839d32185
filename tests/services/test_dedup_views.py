"""The pair review and the groups pages' use cases on SQLite and PostgreSQL (issue #14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.dedup_kit import add_uncertain_pairs
from tests.services.conftest import ANA, OWNER, Review

from realreview import services
from realreview.dedup.side_by_side import FieldMark
from realreview.errors import ForbiddenError, NotFoundError
from realreview.services.dedup import _current_groups
from realreview.storage.models import AuditLogRow, DedupDecisionRow, RecordRow


@pytest.fixture
def pairs(review: Review, tmp_path: Path) -> Review:
    summary = add_uncertain_pairs(review.database, review.review_id, tmp_path)
    assert summary.needs_review == 10
    return review


def _page(review: Review, **options: object) -> services.DedupPage:
    with review.session() as session:
        return services.dedup_page(session, review.ctx(session, OWNER), **options)  # type: ignore[arg-type]


def _decide(review: Review, a: int, b: int, action: str) -> services.DedupSummary:
    with review.database.unit_of_work(write=True) as session:
        return services.decide_pair(
            session, review.ctx(session, OWNER), record_a=a, record_b=b, action=action
        )


def test_the_next_pair_marks_agreeing_and_conflicting_fields(pairs: Review) -> None:
    assert (_page(pairs).waiting, _page(pairs).to_review, _page(pairs).decided) == (10, 10, 0)
    page = _page(pairs, pair=(1, 11))
    assert page.pair is not None and page.pair.verdict is None
    marks = {row.name: row.mark for row in page.pair.fields}
    # The same title, authors and journal (normalised: "Nat. Commun." and the full name agree).
    assert marks["title"] is marks["authors"] is marks["journal"] is FieldMark.AGREE
    # The copy was dated a year earlier and one volume later.
    assert marks["volume"] is marks["year"] is FieldMark.CONFLICT
    assert marks["doi"] in {FieldMark.MISSING, FieldMark.EMPTY}
    assert "Volume" in page.pair.conflicts


def test_pairs_come_best_score_first_and_skip_walks_the_queue(pairs: Review) -> None:
    with pairs.session() as session:
        ranked = services.pairs_for_review(session, pairs.ctx(session))
    first = _page(pairs).pair
    assert first is not None and (first.a, first.b) == (ranked[0].a, ranked[0].b)
    second = _page(pairs, after=(first.a, first.b)).pair
    assert second is not None and (second.a, second.b) == (ranked[1].a, ranked[1].b)
    last = (ranked[-1].a, ranked[-1].b)
    wrapped = _page(pairs, after=last).pair
    assert wrapped is not None and (wrapped.a, wrapped.b) == (first.a, first.b)


def test_a_decision_lowers_the_waiting_count_and_is_kept(pairs: Review) -> None:
    pair = _page(pairs).pair
    assert pair is not None
    summary = _decide(pairs, pair.a, pair.b, "accept")
    assert summary.needs_review == 9
    page = _page(pairs, said=f"accept:{pair.a}-{pair.b}")
    assert (page.waiting, page.decided) == (9, 1)
    assert page.pair is not None and page.pair.key != pair.key
    assert "Merged: records" in page.message
    with pairs.session() as session:
        assert services.dedup_pairs_waiting(session, pairs.ctx(session, ANA)) == 9
        assert session.scalar(select(RecordRow.duplicate_of).where(RecordRow.id == pair.b)) == pair.a
        assert session.scalars(select(DedupDecisionRow.action)).all() == ["accept"]
        assert "dedup.decide" in session.scalars(select(AuditLogRow.action)).all()


def test_undo_reopens_my_last_pair_with_its_verdict(pairs: Review) -> None:
    pair = _page(pairs).pair
    assert pair is not None
    _decide(pairs, pair.a, pair.b, "reject")
    reopened = _page(pairs, reopen_last=True)
    assert reopened.pair is not None and reopened.pair.key == pair.key
    assert reopened.pair.verdict == "kept apart"
    _decide(pairs, pair.a, pair.b, "accept")  # the later verdict wins
    assert _page(pairs, pair=(pair.a, pair.b)).pair.verdict == "merged"  # type: ignore[union-attr]


def test_groups_show_the_canonical_record_its_provenance_and_unmerge(pairs: Review) -> None:
    _decide(pairs, 1, 11, "accept")
    with pairs.session() as session:
        page = services.dedup_groups_page(session, pairs.ctx(session, ANA))
    assert page.total == 1 and not page.can_unmerge  # a reviewer reads; the owner unmerges
    group = page.groups[0]
    assert group.root == 1 and [member for member, _ in group.members] == [1, 11]
    sources = {label: source for label, _, source in group.canonical}
    assert sources["DOI"] == 1  # only the Embase original has it
    assert sources["Year"] == 1
    with pairs.database.unit_of_work(write=True) as session:
        services.unmerge_record(session, pairs.ctx(session, OWNER), record_id=11)
    with pairs.session() as session:
        assert services.dedup_groups_page(session, pairs.ctx(session, OWNER)).total == 0
        assert session.scalar(select(RecordRow.duplicate_of).where(RecordRow.id == 11)) is None


def test_regrouping_around_a_decision_matches_regrouping_everything(review: Review, tmp_path: Path) -> None:
    add_uncertain_pairs(review.database, review.review_id, tmp_path)
    for a, b, action in ((1, 11, "accept"), (2, 12, "accept"), (1, 2, "merge"), (3, 13, "reject")):
        _decide(review, a, b, action)
    with review.database.unit_of_work(write=True) as session:
        services.unmerge_record(session, review.ctx(session, OWNER), record_id=12)
    _decide(review, 12, 3, "merge")
    with review.session() as session:
        stored: dict[int, list[int]] = {}
        for record, root in session.execute(select(RecordRow.id, RecordRow.duplicate_of)):
            if root is not None:
                stored.setdefault(root, [root]).append(record)
        assert sorted(sorted(g) for g in stored.values()) == _current_groups(session, review.review_id)


def test_only_the_owner_reviews_pairs_and_unknown_pairs_are_refused(pairs: Review) -> None:
    with pairs.session() as session:
        with pytest.raises(ForbiddenError):
            services.dedup_page(session, pairs.ctx(session, ANA))
        with pytest.raises(NotFoundError):
            services.dedup_page(session, pairs.ctx(session, OWNER), pair=(1, 2))


def test_no_run_yet_means_nothing_waits(review: Review) -> None:
    with review.session() as session:
        page = services.dedup_page(session, review.ctx(session, OWNER))
        assert (page.pair, page.waiting, page.run_id) == (None, 0, None)
        assert services.dedup_pairs_waiting(session, review.ctx(session, ANA)) == 0
