"""The codebook, excerpts and codings in a review: nothing a reviewer made is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, OWNER, TEXT, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.storage.models import AuditLogRow, CodeRow, CodingRow, ExcerptRow

SENTENCE = "Clinics that reached deprived areas reduced gaps."
VIV = "viv@example.org"


def _span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def test_an_excerpt_is_the_selected_span_on_its_page(review: Review) -> None:
    with review.session() as session:
        ana, ben = review.ctx(session, ANA), review.ctx(session, BEN)
        parent = services.create_code(session, ana, name="Context", origin=services.CodeOrigin.DEDUCTIVE)
        child = services.create_code(session, ana, name="Deprivation", parent_id=parent.id, color="#aa0000")
        start, end = _span(SENTENCE)
        excerpt = services.add_excerpt(
            session,
            ana,
            document_id=review.document_id,
            start=start,
            end=end,
            code_ids=[child.id, child.id],
            expected_text=SENTENCE,
        )
        second = services.add_excerpt(
            session,
            ben,
            document_id=review.document_id,
            start=TEXT.index("Targeted"),
            end=TEXT.index("migrants.") + len("migrants."),
            code_ids=[parent.id],
        )
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "excerpt.add")).all()
    assert (excerpt.text, excerpt.page, excerpt.code_ids) == (SENTENCE, 1, (child.id,))
    assert second.page == 2 and second.text == "Targeted outreach worked for migrants."
    assert [(a.actor, a.entity_id, a.details["codes"], a.details["rows"]) for a in audit] == [
        (ANA, excerpt.id, [child.id], {"codings.insert": 1, "excerpts.insert": 1}),
        (BEN, second.id, [parent.id], {"codings.insert": 1, "excerpts.insert": 1}),
    ]
    with review.session() as session:
        viewer = review.ctx(session)
        codes = {c.name: c for c in services.codebook(session, viewer)}
        assert codes["Deprivation"].color == "#AA0000" and codes["Deprivation"].excerpts == 1
        assert codes["Context"].origin is services.CodeOrigin.DEDUCTIVE
        under_parent = services.excerpts_of_code(session, viewer, code_id=parent.id, with_children=True)
        only_parent = services.excerpts_of_code(session, viewer, code_id=parent.id)
    assert [e.text for e in under_parent] == [SENTENCE, "Targeted outreach worked for migrants."]
    assert [e.id for e in only_parent] == [second.id]


def test_a_selection_that_does_not_match_the_stored_text_stores_nothing(review: Review) -> None:
    start, end = _span(SENTENCE)
    with review.session() as session, pytest.raises(ValidationError, match="does not match characters"):
        services.add_excerpt(
            session,
            review.ctx(session, ANA),
            document_id=review.document_id,
            start=start + 1,
            end=end,
            code_ids=[],
            expected_text=SENTENCE,
        )
    with review.session() as session, pytest.raises(ValidationError, match="outside its text"):
        services.add_excerpt(
            session, review.ctx(session, ANA), document_id=review.document_id, start=5, end=10**6, code_ids=[]
        )
    with review.session() as session:
        assert session.scalars(select(ExcerptRow)).all() == []


def test_sibling_names_are_unique_and_a_code_cannot_move_under_its_child(review: Review) -> None:
    with review.session() as session:
        ana, ben = review.ctx(session, ANA), review.ctx(session, BEN)
        top = services.create_code(session, ana, name="Mechanism")
        child = services.create_code(session, ana, name="Trust", parent_id=top.id)
        with pytest.raises(ValidationError, match="already exists"):
            services.create_code(session, ben, name=" trust ", parent_id=top.id)
        with pytest.raises(ValidationError, match="cannot move under itself"):
            services.move_code(session, ana, code_id=top.id, parent_id=child.id)
        with pytest.raises(ValidationError, match="#RRGGBB"):
            services.update_code(session, ana, code_id=top.id, color="red")
        moved = services.move_code(session, ana, code_id=child.id, parent_id=None)
        renamed = services.update_code(session, ben, code_id=moved.id, name="Trust in data")
        unchanged = services.update_code(session, ben, code_id=moved.id, name="Trust  in data")
        assert (moved.parent_id, renamed.name, unchanged.name) == (None, "Trust in data", "Trust in data")
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "code.update")).one()
        assert audit.details["changed"] == {"name": ["Trust", "Trust in data"]} and audit.actor == BEN
        assert (audit.entity, audit.entity_id, audit.details["rows"]) == (
            "code",
            child.id,
            {"codes.update": 1},
        )
        move = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "code.move")).one()
        assert (move.details["from"], move.details["to"], move.actor) == (top.id, None, ANA)


def test_a_code_name_with_a_control_character_is_refused(review: Review) -> None:
    with review.session() as session:
        ana = review.ctx(session, ANA)
        with pytest.raises(ValidationError, match="code name cannot hold the control character U[+]0001"):
            services.create_code(session, ana, name="Trust\x01")
        code = services.create_code(session, ana, name="Trust")
        with pytest.raises(ValidationError, match="U[+]0007 [(]at position 4[)]"):
            services.update_code(session, ana, code_id=code.id, name="Bad\x07")
        assert [c.name for c in services.codebook(session, ana)] == ["Trust"]


def test_merging_moves_codings_and_children_and_keeps_the_merged_code(review: Review) -> None:
    start, end = _span(SENTENCE)
    with review.session() as session:
        ana, ben, owner = review.ctx(session, ANA), review.ctx(session, BEN), review.ctx(session, OWNER)
        a = services.create_code(session, ana, name="Outreach")
        b = services.create_code(session, ben, name="Reaching out")
        grandchild = services.create_code(session, ben, name="Home visits", parent_id=b.id)
        services.add_excerpt(
            session, ana, document_id=review.document_id, start=start, end=end, code_ids=[a.id, b.id]
        )
        services.add_excerpt(session, ben, document_id=review.document_id, start=0, end=6, code_ids=[b.id])
        with pytest.raises(ForbiddenError, match="to merge codes needs the role: owner"):
            services.merge_codes(session, ana, source_id=b.id, target_id=a.id)
        merged = services.merge_codes(session, owner, source_id=b.id, target_id=a.id)
        assert merged.excerpts == 2
        with pytest.raises(ValidationError, match="was merged into"):
            services.apply_code(session, ana, excerpt_id=1, code_id=b.id)
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "code.merge")).one()
        assert (audit.actor, audit.entity_id) == (OWNER, b.id)
        assert {k: audit.details[k] for k in ("into", "name", "codings_moved")} == {
            "into": a.id,
            "name": "Reaching out",
            "codings_moved": 1,
        }
    with review.session() as session:
        kept = session.get(CodeRow, b.id)
        assert kept is not None and kept.merged_into == a.id
        assert session.get(CodeRow, grandchild.id).parent_id == a.id  # type: ignore[union-attr]
        removed = session.scalars(select(CodingRow).where(CodingRow.code_id == b.id)).all()
        assert len(removed) == 2 and all(c.removed_by == OWNER for c in removed)
        assert [c.name for c in services.codebook(session, review.ctx(session))] == [
            "Outreach",
            "Home visits",
        ]


def test_removing_a_code_from_an_excerpt_marks_it_and_the_matrix_counts_what_is_left(review: Review) -> None:
    start, end = _span(SENTENCE)
    with review.session() as session:
        ana, ben = review.ctx(session, ANA), review.ctx(session, BEN)
        a = services.create_code(session, ana, name="Equity")
        b = services.create_code(session, ana, name="Data")
        excerpt = services.add_excerpt(
            session, ana, document_id=review.document_id, start=start, end=end, code_ids=[a.id, b.id]
        )
        services.remove_code(session, ana, excerpt_id=excerpt.id, code_id=b.id)  # her own coding
        with pytest.raises(NotFoundError, match="is not coded with"):
            services.remove_code(session, ben, excerpt_id=excerpt.id, code_id=b.id)
        services.apply_code(session, ben, excerpt_id=excerpt.id, code_id=a.id)  # already on: no change
        services.apply_code(session, ben, excerpt_id=excerpt.id, code_id=b.id)
        matrix = services.code_matrix(session, ben)
        audit = session.scalars(
            select(AuditLogRow)
            .where(AuditLogRow.action.in_(["coding.add", "coding.remove"]))
            .order_by(AuditLogRow.id)
        ).all()
    assert [(a.action, a.actor, a.entity_id, a.details["code"]) for a in audit] == [
        ("coding.remove", ANA, excerpt.id, b.id),
        ("coding.add", BEN, excerpt.id, b.id),
    ]
    assert matrix.counts.get((a.id, review.document_id)) == 1
    assert matrix.counts.get((b.id, review.document_id)) == 1


def test_another_reviews_code_is_not_found(review: Review) -> None:
    with review.session() as session:
        other = services.create_review(session, title="Other", actor="tester")
        elsewhere = services.trusted_context(session, review_id=other.id, actor="tester")
        code = services.create_code(session, elsewhere, name="Elsewhere")
        with pytest.raises(NotFoundError, match=f"no code {code.id} in review {review.review_id}"):
            services.update_code(session, review.ctx(session, ANA), code_id=code.id, name="x")


def test_a_viewer_reads_the_codebook_but_cannot_code(review: Review) -> None:
    with review.session() as session:
        owner = review.ctx(session)
        services.create_code(session, owner, name="Trust")
        services.create_user(session, email=VIV, actor="tester")
        services.add_member(session, owner, email=VIV, role=services.Role.VIEWER)
    with review.session() as session:
        viewer = review.ctx(session, VIV)
        assert [c.name for c in services.codebook(session, viewer)] == ["Trust"]
        with pytest.raises(ForbiddenError, match="to edit the codebook needs the role: owner, reviewer"):
            services.create_code(session, viewer, name="Mine")
        with pytest.raises(ForbiddenError, match="to code needs"):
            services.add_excerpt(
                session, viewer, document_id=review.document_id, start=0, end=5, code_ids=[1]
            )
