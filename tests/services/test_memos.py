"""Memos keep every wording; appraisals keep every judgement, the latest per reviewer in force."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.services import Judgement, MemoTarget
from realreview.storage.models import AuditLogRow, MemoRow


def test_editing_a_memo_keeps_the_old_wording(review: Review) -> None:
    with review.session() as session:
        ana, ben = review.ctx(session, ANA), review.ctx(session, BEN)
        code = services.create_code(session, ana, name="Trust")
        memo = services.add_memo(
            session, ana, target_kind=MemoTarget.CODE, target_id=code.id, text="First thoughts"
        )
        with pytest.raises(ForbiddenError, match=f"memo {memo.id} is {ANA}'s: only its author rewords it"):
            services.edit_memo(session, ben, memo_id=memo.id, text="Ben's wording")
        edited = services.edit_memo(session, ana, memo_id=memo.id, text="Second")
        with pytest.raises(ValidationError, match="already edited"):
            services.edit_memo(session, ana, memo_id=memo.id, text="Third")
        current = services.memos_of(session, ana, target_kind=MemoTarget.CODE, target_id=code.id)
        rows = session.scalars(select(MemoRow.text).order_by(MemoRow.id)).all()
        audit = session.scalars(
            select(AuditLogRow).where(AuditLogRow.entity == "memo").order_by(AuditLogRow.id)
        ).all()
    assert [(m.text, m.versions, m.guid) for m in current] == [("Second", 2, memo.guid)]
    assert (edited.created_by, edited.author) == (ANA, ANA) and rows == ["First thoughts", "Second"]
    assert [(a.action, a.actor, a.entity_id) for a in audit] == [
        ("memo.add", ANA, memo.id),
        ("memo.edit", ANA, edited.id),
    ]
    assert (audit[0].details["target"], audit[0].details["target_id"], audit[1].details["supersedes"]) == (
        "code",
        code.id,
        memo.id,
    )


def test_a_memo_needs_an_existing_target_of_the_review(review: Review) -> None:
    with review.session() as session:
        ana = review.ctx(session, ANA)
        with pytest.raises(NotFoundError, match="no excerpt 99"):
            services.add_memo(session, ana, target_kind=MemoTarget.EXCERPT, target_id=99, text="x")
        with pytest.raises(ValidationError, match="needs some text"):
            services.add_memo(
                session, ana, target_kind=MemoTarget.DOCUMENT, target_id=review.document_id, text="  "
            )


def test_a_memo_title_refuses_control_characters(review: Review) -> None:
    with review.session() as session:
        ana = review.ctx(session, ANA)
        with pytest.raises(ValidationError, match="memo title cannot hold the control character U[+]001B"):
            services.add_memo(
                session, ana, target_kind=MemoTarget.REVIEW, target_id=None, text="x", title="Use\x1b[2J"
            )
        memo = services.add_memo(
            session, ana, target_kind=MemoTarget.REVIEW, target_id=None, text="x", title="  First   read "
        )
    assert memo.title == "First read" and memo.target_id == review.review_id


def test_the_latest_appraisal_of_each_reviewer_counts(review: Review) -> None:
    with review.session() as session:
        services.configure_screening(session, review.ctx(session, OWNER), blinded=False)
    with review.session() as session:
        for reviewer, relevance, rigour in (
            (ANA, "high", "low"),
            (BEN, "moderate", None),
            (ANA, "High", "moderate"),
        ):
            services.appraise(
                session,
                review.ctx(session, reviewer),
                target_kind=MemoTarget.DOCUMENT,
                target_id=review.document_id,
                relevance=relevance,
                rigour=rigour,
                relevance_rationale="speaks to trust",
            )
        ana = review.ctx(session, ANA)
        with pytest.raises(ValidationError, match="relevance 'vital' is not one of: high, moderate, low"):
            services.appraise(
                session,
                ana,
                target_kind=MemoTarget.DOCUMENT,
                target_id=review.document_id,
                relevance="vital",
                rigour=None,
            )
        with pytest.raises(ValidationError, match="a code is not appraised"):
            services.appraise(
                session, ana, target_kind=MemoTarget.CODE, target_id=1, relevance="high", rigour=None
            )
        found = services.appraisals_of(
            session, ana, target_kind=MemoTarget.DOCUMENT, target_id=review.document_id
        )
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "appraisal.add")).all()
    assert [(a.reviewer, a.relevance, a.rigour) for a in found] == [
        (ANA, Judgement.HIGH, Judgement.MODERATE),
        (BEN, Judgement.MODERATE, None),
    ]
    assert [
        (a.actor, a.details["target"], a.details["target_id"], a.details["relevance"]) for a in audit
    ] == [
        (ANA, "document", review.document_id, "high"),
        (BEN, "document", review.document_id, "moderate"),
        (ANA, "document", review.document_id, "high"),
    ]
