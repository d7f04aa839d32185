"""Deduplication inside a review: links stored, decisions kept across re-runs, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.exports_table import EXPORTS

from realreview import services
from realreview.errors import NotFoundError, ValidationError
from realreview.storage.models import AuditLogRow, DedupDecisionRow, RecordRow

LIMIT = 1024**3


@pytest.fixture
def review(database_url: str):  # type: ignore[no-untyped-def]
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        services.create_review(session, title="Dedup", actor="tester")
    yield factory
    factory.close()


def _cli(session: services.Session, review_id: int | None, actor: str = "tester") -> services.ReviewContext:
    return services.trusted_context(session, review_id=review_id, actor=actor)


def _import(factory, *paths: str) -> None:  # type: ignore[no-untyped-def]
    for path in paths:
        with services.transaction(factory) as session:
            services.import_export(session, _cli(session, None), path=EXPORTS / path, max_bytes=LIMIT)


def _run(factory):  # type: ignore[no-untyped-def]
    with services.transaction(factory) as session:
        return services.run_dedup(session, _cli(session, None))


def _roots(factory) -> dict[int, int | None]:  # type: ignore[no-untyped-def]
    with factory.unit_of_work() as session:
        return dict(
            session.execute(select(RecordRow.id, RecordRow.duplicate_of).order_by(RecordRow.id)).all()
        )


def _groups(factory) -> list[tuple[int, ...]]:  # type: ignore[no-untyped-def]
    with services.transaction(factory) as session:
        return [group.members for group in services.duplicate_groups(session, _cli(session, None))]


# The Embase search exported directly (records 1-10) and re-exported through Zotero (records 11-20):
# the same ten works in the same order.
EMBASE, ZOTERO = "ris/cff_embase.ris", "ris/cff_zotero.ris"


def test_the_same_export_through_two_tools_forms_ten_pairs(review) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE, ZOTERO)
    summary = _run(review)
    assert (summary.records, summary.groups, summary.duplicates) == (20, 10, 10)
    assert _groups(review) == [(n, n + 10) for n in range(1, 11)]
    roots = _roots(review)
    assert [roots[n] for n in range(1, 11)] == [None] * 10
    assert [roots[n] for n in range(11, 21)] == list(range(1, 11))


def test_records_are_never_deleted_and_runs_are_audited(review) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE, ZOTERO)
    _run(review)
    with services.transaction(review) as session:
        assert services.count_records(session, _cli(session, None)) == 20
        assert "dedup.run" in session.scalars(select(AuditLogRow.action)).all()


def test_unmerge_survives_a_rerun(review) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE, ZOTERO)
    _run(review)
    with services.transaction(review) as session:
        summary = services.unmerge_record(
            session, _cli(session, None, actor="ana"), record_id=13, note="different"
        )
    assert summary.groups == 9
    assert _roots(review)[13] is None
    _run(review)
    assert (3, 13) not in _groups(review)
    with review.unit_of_work() as session:
        decision = session.scalars(select(DedupDecisionRow)).one()
    assert (
        decision.record_a_id,
        decision.record_b_id,
        decision.verdict,
        decision.action,
        decision.reviewer,
    ) == (
        3,
        13,
        "distinct",
        "unmerge",
        "ana",
    )


def test_merge_by_hand_survives_a_rerun(review) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE)
    _run(review)
    with services.transaction(review) as session:
        services.decide_pair(session, _cli(session, None), record_a=2, record_b=5, action="merge")
    assert (2, 5) in _groups(review)
    _run(review)
    assert (2, 5) in _groups(review)
    assert _roots(review)[5] == 2


def test_a_later_decision_overrides_an_earlier_one(review) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE)
    with services.transaction(review) as session:
        services.decide_pair(session, _cli(session, None), record_a=2, record_b=5, action="merge")
    with services.transaction(review) as session:
        services.unmerge_record(session, _cli(session, None), record_id=5)
    assert _groups(review) == []
    with review.unit_of_work() as session:
        assert len(session.scalars(select(DedupDecisionRow)).all()) == 2


def test_canonical_record_takes_the_best_field_and_names_its_source(review) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE, ZOTERO)
    _run(review)
    with services.transaction(review) as session:
        (group,) = services.duplicate_groups(session, _cli(session, None), root=1)
    assert group.members == (1, 11)
    assert group.canonical.doi == "10.1038/s41467-024-48400-3"
    assert set(group.sources.values()) <= {1, 11}
    # Only the Embase export carries the PMID (its C5 field): the canonical record takes it from there.
    assert group.canonical.pmid == "38773066"
    assert group.sources["pmid"] == 1


def test_bad_decisions_are_refused_and_change_nothing(review) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE)
    _run(review)
    before = _roots(review)
    with services.transaction(review) as session:
        with pytest.raises(NotFoundError, match="review 1 has no record 99"):
            services.decide_pair(session, _cli(session, None), record_a=1, record_b=99, action="merge")
        with pytest.raises(ValidationError, match="cannot be a duplicate of itself"):
            services.decide_pair(session, _cli(session, None), record_a=4, record_b=4, action="merge")
        with pytest.raises(ValidationError, match="not a suggested pair of the latest run"):
            services.decide_pair(session, _cli(session, None), record_a=1, record_b=2, action="accept")
        with pytest.raises(ValidationError, match="record 3 is in no duplicate group"):
            services.unmerge_record(session, _cli(session, None), record_id=3)
    assert _roots(review) == before


def test_new_import_then_rerun_keeps_decisions(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import(review, EMBASE)
    _run(review)
    with services.transaction(review) as session:
        services.decide_pair(session, _cli(session, None), record_a=1, record_b=2, action="merge")
    _import(review, ZOTERO)
    _run(review)
    groups = _groups(review)
    assert (1, 2, 11, 12) in groups
