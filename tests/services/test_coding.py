"""The codebook, excerpts and codings in a review: nothing a reviewer made is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, TEXT, Review

from realreview import services
from realreview.errors import NotFoundError, ValidationError
from realreview.storage.models import AuditLogRow, CodeRow, CodingRow, ExcerptRow

SENTENCE = "Clinics that reached deprived areas reduced gaps."


def _span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def test_an_excerpt_is_the_selected_span_on_its_page(review: Review) -> None:
    with review.session() as session:
        parent = services.create_code(
            session,
            review_id=review.review_id,
            name="Context",
            origin=services.CodeOrigin.DEDUCTIVE,
            actor=ANA,
        )
        child = services.create_code(
            session,
            review_id=review.review_id,
            name="Deprivation",
            parent_id=parent.id,
            actor=ANA,
            color="#aa0000",
        )
        start, end = _span(SENTENCE)
        excerpt = services.add_excerpt(
            session,
            review_id=review.review_id,
            document_id=review.document_id,
            start=start,
            end=end,
            code_ids=[child.id, child.id],
            expected_text=SENTENCE,
            actor=ANA,
        )
        second = services.add_excerpt(
            session,
            review_id=review.review_id,
            document_id=review.document_id,
            start=TEXT.index("Targeted"),
            end=TEXT.index("migrants.") + len("migrants."),
            code_ids=[parent.id],
            actor=BEN,
        )
    assert (excerpt.text, excerpt.page, excerpt.code_ids) == (SENTENCE, 1, (child.id,))
    assert second.page == 2 and second.text == "Targeted outreach worked for migrants."
    with review.session() as session:
        codes = {c.name: c for c in services.codebook(session, review_id=review.review_id)}
        assert codes["Deprivation"].color == "#AA0000" and codes["Deprivation"].excerpts == 1
        assert codes["Context"].origin is services.CodeOrigin.DEDUCTIVE
        under_parent = services.excerpts_of_code(
            session, review_id=review.review_id, code_id=parent.id, with_children=True
        )
        only_parent = services.excerpts_of_code(session, review_id=review.review_id, code_id=parent.id)
    assert [e.text for e in under_parent] == [SENTENCE, "Targeted outreach worked for migrants."]
    assert [e.id for e in only_parent] == [second.id]


def test_a_selection_that_does_not_match_the_stored_text_stores_nothing(review: Review) -> None:
    start, end = _span(SENTENCE)
    with review.session() as session, pytest.raises(ValidationError, match="does not match characters"):
        services.add_excerpt(
            session,
            review_id=review.review_id,
            document_id=review.document_id,
            start=start + 1,
            end=end,
            code_ids=[],
            expected_text=SENTENCE,
            actor=ANA,
        )
    with review.session() as session, pytest.raises(ValidationError, match="outside its text"):
        services.add_excerpt(
            session,
            review_id=review.review_id,
            document_id=review.document_id,
            start=5,
            end=10**6,
            code_ids=[],
            actor=ANA,
        )
    with review.session() as session:
        assert session.scalars(select(ExcerptRow)).all() == []


def test_sibling_names_are_unique_and_a_code_cannot_move_under_its_child(review: Review) -> None:
    with review.session() as session:
        top = services.create_code(session, review_id=review.review_id, name="Mechanism", actor=ANA)
        child = services.create_code(
            session, review_id=review.review_id, name="Trust", parent_id=top.id, actor=ANA
        )
        with pytest.raises(ValidationError, match="already exists"):
            services.create_code(
                session, review_id=review.review_id, name=" trust ", parent_id=top.id, actor=BEN
            )
        with pytest.raises(ValidationError, match="cannot move under itself"):
            services.move_code(
                session, review_id=review.review_id, code_id=top.id, parent_id=child.id, actor=ANA
            )
        with pytest.raises(ValidationError, match="#RRGGBB"):
            services.update_code(session, review_id=review.review_id, code_id=top.id, color="red", actor=ANA)
        moved = services.move_code(
            session, review_id=review.review_id, code_id=child.id, parent_id=None, actor=ANA
        )
        renamed = services.update_code(
            session, review_id=review.review_id, code_id=moved.id, name="Trust in data", actor=BEN
        )
        assert (moved.parent_id, renamed.name) == (None, "Trust in data")
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "code.update")).one()
        assert audit.details == {"changed": {"name": ["Trust", "Trust in data"]}} and audit.actor == BEN


def test_merging_moves_codings_and_children_and_keeps_the_merged_code(review: Review) -> None:
    start, end = _span(SENTENCE)
    with review.session() as session:
        a = services.create_code(session, review_id=review.review_id, name="Outreach", actor=ANA)
        b = services.create_code(session, review_id=review.review_id, name="Reaching out", actor=BEN)
        grandchild = services.create_code(
            session, review_id=review.review_id, name="Home visits", parent_id=b.id, actor=BEN
        )
        services.add_excerpt(
            session,
            review_id=review.review_id,
            document_id=review.document_id,
            start=start,
            end=end,
            code_ids=[a.id, b.id],
            actor=ANA,
        )
        services.add_excerpt(
            session,
            review_id=review.review_id,
            document_id=review.document_id,
            start=0,
            end=6,
            code_ids=[b.id],
            actor=BEN,
        )
        merged = services.merge_codes(
            session, review_id=review.review_id, source_id=b.id, target_id=a.id, actor=ANA
        )
        assert merged.excerpts == 2
        with pytest.raises(ValidationError, match="was merged into"):
            services.apply_code(session, review_id=review.review_id, excerpt_id=1, code_id=b.id, actor=ANA)
    with review.session() as session:
        kept = session.get(CodeRow, b.id)
        assert kept is not None and kept.merged_into == a.id
        assert session.get(CodeRow, grandchild.id).parent_id == a.id  # type: ignore[union-attr]
        removed = session.scalars(select(CodingRow).where(CodingRow.code_id == b.id)).all()
        assert len(removed) == 2 and all(c.removed_by == ANA for c in removed)
        assert [c.name for c in services.codebook(session, review_id=review.review_id)] == [
            "Outreach",
            "Home visits",
        ]


def test_removing_a_code_from_an_excerpt_marks_it_and_the_matrix_counts_what_is_left(review: Review) -> None:
    start, end = _span(SENTENCE)
    with review.session() as session:
        a = services.create_code(session, review_id=review.review_id, name="Equity", actor=ANA)
        b = services.create_code(session, review_id=review.review_id, name="Data", actor=ANA)
        excerpt = services.add_excerpt(
            session,
            review_id=review.review_id,
            document_id=review.document_id,
            start=start,
            end=end,
            code_ids=[a.id, b.id],
            actor=ANA,
        )
        services.remove_code(
            session, review_id=review.review_id, excerpt_id=excerpt.id, code_id=b.id, actor=BEN
        )
        with pytest.raises(NotFoundError, match="is not coded with"):
            services.remove_code(
                session, review_id=review.review_id, excerpt_id=excerpt.id, code_id=b.id, actor=BEN
            )
        services.apply_code(
            session, review_id=review.review_id, excerpt_id=excerpt.id, code_id=a.id, actor=BEN
        )
        matrix = services.code_matrix(session, review_id=review.review_id)
    assert matrix.counts.get((a.id, review.document_id)) == 1
    assert matrix.counts.get((b.id, review.document_id), 0) == 0


def test_another_reviews_code_is_not_found(review: Review) -> None:
    with review.session() as session:
        other = services.create_review(session, title="Other", actor="tester")
        code = services.create_code(session, review_id=other.id, name="Elsewhere", actor=ANA)
        with pytest.raises(NotFoundError, match=f"no code {code.id} in review {review.review_id}"):
            services.update_code(session, review_id=review.review_id, code_id=code.id, name="x", actor=ANA)
