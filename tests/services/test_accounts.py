"""Members and roles: a review always keeps an owner (issue #14: the owner manages it from the browser)."""

from __future__ import annotations

import pytest
from tests.services.conftest import ANA, OWNER, Review

from realreview import services
from realreview.errors import ValidationError


def _roles(review: Review, viewer: str = OWNER) -> dict[str, str]:
    with review.session() as session:
        return {m.user.email: m.role.value for m in services.members_of(session, review.ctx(session, viewer))}


def test_the_only_owner_can_neither_step_down_nor_be_removed(review: Review) -> None:
    before = _roles(review)
    assert [email for email, role in before.items() if role == "owner"] == [OWNER]
    with review.session() as session, pytest.raises(ValidationError, match="only owner"):
        services.add_member(session, review.ctx(session, OWNER), email=OWNER, role=services.Role.REVIEWER)
    with review.session() as session, pytest.raises(ValidationError, match="only owner"):
        services.remove_member(session, review.ctx(session, OWNER), email=OWNER)
    assert _roles(review) == before  # nothing changed


def test_an_owner_steps_down_once_another_member_is_owner(review: Review) -> None:
    with review.session() as session:
        services.add_member(session, review.ctx(session, OWNER), email=ANA, role=services.Role.OWNER)
    with review.session() as session:
        services.add_member(session, review.ctx(session, OWNER), email=OWNER, role=services.Role.REVIEWER)
    roles = _roles(review)
    assert (roles[ANA], roles[OWNER]) == ("owner", "reviewer")
    with review.session() as session:
        services.remove_member(session, review.ctx(session, ANA), email=OWNER)
    assert OWNER not in _roles(review, ANA)
