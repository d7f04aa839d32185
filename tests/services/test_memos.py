"""Memos keep every wording; appraisals keep every judgement, the latest per reviewer in force."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, Review

from realreview import services
from realreview.errors import NotFoundError, ValidationError
from realreview.services import Judgement, MemoTarget
from realreview.storage.models import MemoRow


def test_editing_a_memo_keeps_the_old_wording(review: Review) -> None:
    with review.session() as session:
        code = services.create_code(session, review_id=review.review_id, name="Trust", actor=ANA)
        memo = services.add_memo(
            session,
            review_id=review.review_id,
            target_kind=MemoTarget.CODE,
            target_id=code.id,
            text="First thoughts",
            actor=ANA,
        )
        edited = services.edit_memo(
            session, review_id=review.review_id, memo_id=memo.id, text="Second", actor=BEN
        )
        with pytest.raises(ValidationError, match="already edited"):
            services.edit_memo(session, review_id=review.review_id, memo_id=memo.id, text="Third", actor=BEN)
        current = services.memos_of(
            session, review_id=review.review_id, target_kind=MemoTarget.CODE, target_id=code.id
        )
        rows = session.scalars(select(MemoRow.text).order_by(MemoRow.id)).all()
    assert [(m.text, m.versions, m.guid) for m in current] == [("Second", 2, memo.guid)]
    assert edited.created_by == BEN and rows == ["First thoughts", "Second"]


def test_a_memo_needs_an_existing_target_of_the_review(review: Review) -> None:
    with review.session() as session:
        with pytest.raises(NotFoundError, match="no excerpt 99"):
            services.add_memo(
                session,
                review_id=review.review_id,
                target_kind=MemoTarget.EXCERPT,
                target_id=99,
                text="x",
                actor=ANA,
            )
        with pytest.raises(ValidationError, match="needs some text"):
            services.add_memo(
                session,
                review_id=review.review_id,
                target_kind=MemoTarget.DOCUMENT,
                target_id=review.document_id,
                text="  ",
                actor=ANA,
            )


def test_the_latest_appraisal_of_each_reviewer_counts(review: Review) -> None:
    with review.session() as session:
        for reviewer, relevance, rigour in (
            (ANA, "high", "low"),
            (BEN, "moderate", None),
            (ANA, "High", "moderate"),
        ):
            services.appraise(
                session,
                review_id=review.review_id,
                target_kind=MemoTarget.DOCUMENT,
                target_id=review.document_id,
                reviewer=reviewer,
                relevance=relevance,
                rigour=rigour,
                relevance_rationale="speaks to trust",
            )
        with pytest.raises(ValidationError, match="relevance 'vital' is not one of: high, moderate, low"):
            services.appraise(
                session,
                review_id=review.review_id,
                target_kind=MemoTarget.DOCUMENT,
                target_id=review.document_id,
                reviewer=ANA,
                relevance="vital",
                rigour=None,
            )
        found = services.appraisals_of(
            session, review_id=review.review_id, target_kind=MemoTarget.DOCUMENT, target_id=review.document_id
        )
    assert [(a.reviewer, a.relevance, a.rigour) for a in found] == [
        (ANA, Judgement.HIGH, Judgement.MODERATE),
        (BEN, Judgement.MODERATE, None),
    ]
