"""Ownership and history of memos, codings and appraisals; appraisals blinded like screening (issue #10).

Ben edited Ana's memo through another target's URL, removed her codings and saw her appraisal
before giving his own; a memo said "2 versions" but the old wording could not be read.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.services import MemoTarget
from realreview.storage.models import AppraisalRow, AuditLogRow, CodingRow, MemoRow

DOC = MemoTarget.DOCUMENT


def _audits(session: services.Session, action: str) -> list[AuditLogRow]:
    query = select(AuditLogRow).where(AuditLogRow.action == action).order_by(AuditLogRow.id)
    return list(session.scalars(query))


def test_a_memo_is_reached_only_through_its_own_target(review: Review) -> None:
    with review.session() as session:
        ana, ben = review.ctx(session, ANA), review.ctx(session, BEN)
        code = services.create_code(session, ben, name="Trust")
        anas = services.add_memo(session, ana, target_kind=DOC, target_id=review.document_id, text="Ana's")
        bens = services.add_memo(session, ben, target_kind=MemoTarget.CODE, target_id=code.id, text="Ben's")
        for call in (
            lambda: services.edit_memo(
                session, ben, memo_id=anas.id, text="x", target_kind=MemoTarget.CODE, target_id=code.id
            ),
            lambda: services.remove_memo(
                session, ben, memo_id=anas.id, target_kind=MemoTarget.CODE, target_id=code.id
            ),
            lambda: services.memo_versions(
                session, ben, memo_id=anas.id, target_kind=MemoTarget.CODE, target_id=code.id
            ),
        ):
            with pytest.raises(NotFoundError, match=f"no memo {anas.id} on code {code.id}"):
                call()
        with pytest.raises(NotFoundError, match=f"no memo {bens.id} on document {review.document_id}"):
            services.edit_memo(
                session, ana, memo_id=bens.id, text="x", target_kind=DOC, target_id=review.document_id
            )
        texts = session.scalars(select(MemoRow.text).order_by(MemoRow.id)).all()
    assert texts == ["Ana's", "Ben's"]  # nothing superseded, nothing added


def test_only_the_author_rewords_a_memo_and_every_wording_can_be_read(review: Review) -> None:
    with review.session() as session:
        ana, ben, owner = (review.ctx(session, email) for email in (ANA, BEN, OWNER))
        first = services.add_memo(
            session, ana, target_kind=DOC, target_id=review.document_id, text="First", title="Trust"
        )
        for other in (ben, owner):  # an owner removes a colleague's memo, but never rewords it
            with pytest.raises(ForbiddenError, match=f"memo {first.id} is {ANA}'s: only its author rewords"):
                services.edit_memo(
                    session, other, memo_id=first.id, text="x", target_kind=DOC, target_id=review.document_id
                )
        second = services.edit_memo(
            session, ana, memo_id=first.id, text="Second", target_kind=DOC, target_id=review.document_id
        )
        versions = services.memo_versions(
            session, ben, memo_id=first.id, target_kind=DOC, target_id=review.document_id
        )
        same = services.memo_versions(session, ben, memo_id=second.id)
        panel = services.notes_panel(session, ben, target=DOC, target_id=review.document_id)
    assert [(v.number, v.id, v.text, v.created_by, v.title) for v in versions] == [
        (1, first.id, "First", ANA, "Trust"),
        (2, second.id, "Second", ANA, "Trust"),
    ]
    assert versions == same and versions[0].created_at <= versions[1].created_at
    assert [(m.id, m.versions, m.author) for m in panel.memos] == [(second.id, 2, ANA)]


def test_removing_a_memo_its_author_or_an_owner_with_a_reason(review: Review) -> None:
    with review.session() as session:
        ana, ben, owner = (review.ctx(session, email) for email in (ANA, BEN, OWNER))
        anas = services.add_memo(session, ana, target_kind=DOC, target_id=review.document_id, text="Ana's")
        bens = services.add_memo(session, ben, target_kind=DOC, target_id=review.document_id, text="Ben's")
        with pytest.raises(ForbiddenError, match=f"memo {anas.id} is {ANA}'s: only its author or an owner"):
            services.remove_memo(session, ben, memo_id=anas.id, reason="I disagree")
        with pytest.raises(ValidationError, match=f"memo {anas.id} is {ANA}'s: say why you remove it"):
            services.remove_memo(session, owner, memo_id=anas.id, reason="  ")
        removed = services.remove_memo(
            session,
            owner,
            memo_id=anas.id,
            reason="Duplicate of the code memo",
            target_kind=DOC,
            target_id=review.document_id,
        )
        services.remove_memo(session, ben, memo_id=bens.id)  # his own: no reason needed
        with pytest.raises(ValidationError, match=f"memo {bens.id} was removed by {BEN}"):
            services.edit_memo(session, ben, memo_id=bens.id, text="again")
        current = services.memos_of(session, ana, target_kind=DOC, target_id=review.document_id)
        gone = services.removed_memos(session, ana, target_kind=DOC, target_id=review.document_id)
        (history,) = services.memo_versions(session, ana, memo_id=anas.id)
        row = session.get(MemoRow, anas.id)
        logged = _audits(session, "memo.remove")
    assert current == [] and [m.id for m in gone] == [anas.id, bens.id]
    assert removed.removal is not None and removed.removal.by == OWNER
    assert (history.text, history.removal.reason if history.removal else None) == (
        "Ana's",
        "Duplicate of the code memo",
    )
    assert row is not None and (row.removed_by, row.removal_reason) == (OWNER, "Duplicate of the code memo")
    assert [(a.actor, a.entity_id, a.details["author"], a.details["reason"]) for a in logged] == [
        (OWNER, anas.id, ANA, "Duplicate of the code memo"),
        (BEN, bens.id, BEN, None),
    ]


def _appraise(session: services.Session, review: Review, email: str, relevance: str) -> services.Appraisal:
    return services.appraise(
        session,
        review.ctx(session, email),
        target_kind=DOC,
        target_id=review.document_id,
        relevance=relevance,
        rigour=None,
    )


def _seen(session: services.Session, review: Review, email: str) -> list[tuple[str, str | None]]:
    found = services.appraisals_of(
        session, review.ctx(session, email), target_kind=DOC, target_id=review.document_id
    )
    return [(a.reviewer, a.relevance.value if a.relevance else None) for a in found]


def test_appraisals_are_blinded_until_the_owner_turns_blinding_off(review: Review) -> None:
    with review.session() as session:
        anas = _appraise(session, review, ANA, "high")
        assert _seen(session, review, BEN) == []  # nothing of Ana's before Ben appraises
        panel = services.notes_panel(
            session, review.ctx(session, BEN), target=DOC, target_id=review.document_id
        )
        assert (panel.appraisals, panel.mine, panel.appraisals_blinded) == ([], None, True)
        _appraise(session, review, BEN, "low")
        assert _seen(session, review, BEN) == [(BEN, "low")]
        assert _seen(session, review, OWNER) == [(ANA, "high"), (BEN, "low")]
        with pytest.raises(NotFoundError) as hidden:
            services.remove_appraisal(session, review.ctx(session, BEN), appraisal_id=anas.id)
        with pytest.raises(NotFoundError) as missing:
            services.remove_appraisal(session, review.ctx(session, BEN), appraisal_id=anas.id + 99)
        assert (str(hidden.value), str(missing.value)) == (
            f"no appraisal {anas.id} in review {review.review_id}",
            f"no appraisal {anas.id + 99} in review {review.review_id}",
        )  # a hidden appraisal answers exactly like none
        services.configure_screening(session, review.ctx(session, OWNER), blinded=False)
    with review.session() as session:
        assert _seen(session, review, BEN) == [(ANA, "high"), (BEN, "low")]
        with pytest.raises(ForbiddenError, match=f"appraisal {anas.id} is {ANA}'s"):
            services.remove_appraisal(session, review.ctx(session, BEN), appraisal_id=anas.id, reason="no")


def test_removing_an_appraisal_keeps_every_judgement_in_the_history(review: Review) -> None:
    with review.session() as session:
        first = _appraise(session, review, ANA, "high")
        latest = _appraise(session, review, ANA, "moderate")
        bens = _appraise(session, review, BEN, "low")
        owner = review.ctx(session, OWNER)
        with pytest.raises(ValidationError, match=f"appraisal {bens.id} is {BEN}'s: say why"):
            services.remove_appraisal(session, owner, appraisal_id=bens.id)
        with pytest.raises(NotFoundError):  # the URL named another target
            services.remove_appraisal(
                session, owner, appraisal_id=bens.id, reason="x", target_kind=MemoTarget.EXCERPT
            )
        services.remove_appraisal(session, owner, appraisal_id=bens.id, reason="Appraised the wrong paper")
        services.remove_appraisal(session, review.ctx(session, ANA), appraisal_id=first.id)
        with pytest.raises(ValidationError, match="removed already"):
            services.remove_appraisal(session, review.ctx(session, ANA), appraisal_id=latest.id)
        assert _seen(session, review, OWNER) == []
        _appraise(session, review, ANA, "low")  # Ana may appraise again
        assert _seen(session, review, OWNER) == [(ANA, "low")]
        rows = session.scalars(select(AppraisalRow).order_by(AppraisalRow.id)).all()
        logged = _audits(session, "appraisal.remove")
    assert [(r.reviewer, r.relevance, r.removed_by, r.removal_reason) for r in rows] == [
        (ANA, "high", ANA, None),
        (ANA, "moderate", ANA, None),
        (BEN, "low", OWNER, "Appraised the wrong paper"),
        (ANA, "low", None, None),
    ]
    assert [(a.actor, a.entity_id, a.details["reviewer"]) for a in logged] == [
        (OWNER, bens.id, BEN),
        (ANA, first.id, ANA),
    ]


def test_a_coding_is_its_coders_to_remove_or_an_owners_with_a_reason(review: Review) -> None:
    with review.session() as session:
        ana, ben, owner = (review.ctx(session, email) for email in (ANA, BEN, OWNER))
        trust = services.create_code(session, ana, name="Trust")
        place = services.create_code(session, ana, name="Place")
        excerpt = services.add_excerpt(
            session, ana, document_id=review.document_id, start=0, end=6, code_ids=[trust.id]
        )
        services.apply_code(session, ben, excerpt_id=excerpt.id, code_id=place.id)
        with pytest.raises(NotFoundError, match=f"no excerpt {excerpt.id} in document 99"):
            services.remove_code(session, ana, excerpt_id=excerpt.id, code_id=place.id, document_id=99)
        with pytest.raises(ForbiddenError, match=f"code {trust.id} is {ANA}'s: only its author or an owner"):
            services.remove_code(session, ben, excerpt_id=excerpt.id, code_id=trust.id)
        with pytest.raises(ValidationError, match="say why"):
            services.remove_code(session, owner, excerpt_id=excerpt.id, code_id=place.id)
        shown = services.get_excerpt(session, ana, excerpt_id=excerpt.id)
        assert (shown.coder_of(trust.id), shown.coder_of(place.id)) == (ANA, BEN)
        services.remove_code(
            session, owner, excerpt_id=excerpt.id, code_id=place.id, reason="Not about place"
        )
        services.remove_code(session, ana, excerpt_id=excerpt.id, code_id=trust.id)
        rows = session.scalars(select(CodingRow).order_by(CodingRow.id)).all()
        logged = _audits(session, "coding.remove")
    assert [(r.created_by, r.removed_by, r.removal_reason) for r in rows] == [
        (ANA, ANA, None),
        (BEN, OWNER, "Not about place"),
    ]
    assert [(a.actor, a.details["coder"], a.details["reason"]) for a in logged] == [
        (OWNER, BEN, "Not about place"),
        (ANA, ANA, None),
    ]
