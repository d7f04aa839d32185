"""Invitation and password-reset links: one-time, lapsing, revocable, stored only as a hash (issue #14)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.storage.models import AuditLogRow, InvitationRow

NEW = "new.member@example.org"
PASSWORD = "correct horse"


def _invite(review: Review, email: str = NEW, role: services.Role = services.Role.REVIEWER, **kw):  # type: ignore[no-untyped-def]
    with review.session() as session:
        return services.create_invitation(session, review.ctx(session, OWNER), email=email, role=role, **kw)


def _accept(review: Review, token: str, email: str = NEW, **kw):  # type: ignore[no-untyped-def]
    with review.session() as session:
        return services.accept_invitation(session, token=token, email=email, **kw)


def test_only_the_token_s_hash_is_stored(review: Review) -> None:
    issued = _invite(review)
    assert issued.path == f"/invite/{issued.token}" and len(issued.token) >= 40
    with review.session() as session:
        row = session.scalars(select(InvitationRow)).one()
        stored = [str(getattr(row, column.name)) for column in InvitationRow.__table__.columns]
    assert row.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert not any(issued.token in value for value in stored)
    assert row.expires_at.replace(tzinfo=dt.UTC) - row.created_at.replace(tzinfo=dt.UTC) == dt.timedelta(
        days=7
    )


def test_a_new_person_joins_with_the_role_is_signed_in_and_the_link_works_once(review: Review) -> None:
    issued = _invite(review, role=services.Role.VIEWER)
    with review.session() as session:
        offer = services.invitation_offer(session, token=issued.token, signed_in=None)
    assert (offer.email, offer.role, offer.has_account, offer.review_title) == (
        NEW,
        "viewer",
        False,
        "Equity QI",
    )
    accepted = _accept(review, issued.token, password=PASSWORD, name="Nia")
    assert accepted.review_id == review.review_id and accepted.session_token
    with review.session() as session:
        assert (
            services.review_context(session, review_id=review.review_id, email=NEW).role
            is services.Role.VIEWER
        )
        assert services.authenticate(session, email=NEW, password=PASSWORD) is not None
        states = [i.state for i in services.invitations_of(session, review.ctx(session, OWNER))]
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "invitation.accept")).one()
    assert states == ["used"]
    assert (audit.actor, audit.entity, audit.details["review_id"]) == (NEW, "review_member", review.review_id)
    with pytest.raises(ValidationError, match="already used"):
        _accept(review, issued.token, password="another password")
    with review.session() as session, pytest.raises(ValidationError, match="already used"):
        services.invitation_offer(session, token=issued.token, signed_in=None)


def test_an_expired_link_says_when_it_lapsed(review: Review) -> None:
    issued = _invite(review, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
    with pytest.raises(ValidationError, match="expired on"):
        _accept(review, issued.token, password=PASSWORD)
    with review.session() as session:
        assert [i.state for i in services.invitations_of(session, review.ctx(session, OWNER))] == ["expired"]


def test_a_withdrawn_link_no_longer_works(review: Review) -> None:
    issued = _invite(review)
    with review.session() as session:
        services.revoke_invitation(session, review.ctx(session, OWNER), invitation_id=issued.invitation.id)
    with pytest.raises(ValidationError, match="withdrew"):
        _accept(review, issued.token, password=PASSWORD)
    with review.session() as session, pytest.raises(NotFoundError):
        services.review_context(session, review_id=review.review_id, email=NEW)


def test_an_unknown_token_or_another_address_is_refused(review: Review) -> None:
    issued = _invite(review)
    with pytest.raises(NotFoundError, match="not valid"):
        _accept(review, "made-up", password=PASSWORD)
    with pytest.raises(ValidationError, match=f"this link is for {NEW}"):
        _accept(review, issued.token, email="someone.else@example.org", password=PASSWORD)
    with pytest.raises(ValidationError, match="at least 8"):
        _accept(review, issued.token, password="short")


def test_an_existing_account_joins_only_when_signed_in_as_it(review: Review) -> None:
    with review.session() as session:
        services.create_user(session, email=NEW, password=PASSWORD, actor="tester")
    issued = _invite(review)
    with pytest.raises(ValidationError, match="sign in as it first"):
        _accept(review, issued.token, password="take over the account")
    with review.session() as session:
        offer = services.invitation_offer(session, token=issued.token, signed_in=NEW)
    assert offer.has_account and offer.signed_in_as_invitee
    accepted = _accept(review, issued.token, signed_in=NEW)
    assert accepted.session_token is None  # already signed in
    with review.session() as session:
        assert services.authenticate(session, email=NEW, password=PASSWORD) is not None  # unchanged


def test_a_reset_link_sets_a_new_password_and_ends_older_sessions(review: Review) -> None:
    with review.session() as session:
        issued = services.create_password_reset(session, review.ctx(session, OWNER), email=ANA)
        before = services.sign_in(session, email=ANA, password="x" * 8, client="c")
    assert issued.invitation.is_reset and before.token is None
    accepted = _accept(review, issued.token, email=ANA, password="a brand new one")
    assert accepted.session_token
    with review.session() as session:
        assert services.authenticate(session, email=ANA, password="a brand new one") is not None
        assert (
            services.review_context(session, review_id=review.review_id, email=ANA).role
            is services.Role.REVIEWER
        )


def test_an_owner_cannot_reset_an_account_that_is_in_a_review_they_do_not_own(review: Review) -> None:
    with review.session() as session:
        other = services.create_review(session, title="Elsewhere", actor="tester")
        services.add_member(
            session,
            services.trusted_context(session, review_id=other.id, actor="tester"),
            email=BEN,
            role=services.Role.REVIEWER,
        )
        with pytest.raises(ForbiddenError, match="reviews you do not own"):
            services.create_password_reset(session, review.ctx(session, OWNER), email=BEN)
        with pytest.raises(NotFoundError, match="no member"):
            services.create_password_reset(session, review.ctx(session, OWNER), email="nobody@example.org")


def test_only_an_owner_makes_or_withdraws_links(review: Review) -> None:
    with review.session() as session:
        with pytest.raises(ForbiddenError):
            services.create_invitation(session, review.ctx(session, ANA), email=NEW, role=services.Role.OWNER)
        with pytest.raises(ForbiddenError):
            services.invitations_of(session, review.ctx(session, ANA))
