"""Stakeholder feedback: threaded comments on CMOCs and versions, marked addressed; the engagement log."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.services.conftest import ANA, BEN, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError

PANEL, VIEWER = "panel@example.org", "viewer@example.org"


@pytest.fixture
def synthesis(review: Review) -> Review:
    with review.session() as session:
        owner = review.ctx(session)
        for email, role in ((PANEL, services.Role.PANEL), (VIEWER, services.Role.VIEWER)):
            services.create_user(session, email=email, actor="tester")
            services.add_member(session, owner, email=email, role=role)
        ana = review.ctx(session, ANA)
        services.add_cluster(session, ana, key="data", title="Data")
        services.save_cmoc(session, ana, label="1A", cluster="data", context="audit data are split")
        services.snapshot_theory(session, ana, name="initial", note="")
    return review


def test_replies_thread_under_the_first_comment_and_keep_its_target(synthesis: Review) -> None:
    with synthesis.session() as session:
        first = services.add_comment(session, synthesis.ctx(session, PANEL), body="Trust first?", cmoc="1A")
        reply = services.add_comment(session, synthesis.ctx(session, ANA), body="Yes.", reply_to=first.id)
        services.add_comment(session, synthesis.ctx(session, BEN), body="And later?", reply_to=reply.id)
        services.add_comment(session, synthesis.ctx(session, BEN), body="Good version.", version="initial")
        on_cmoc = services.comments_on(session, synthesis.ctx(session, VIEWER), cmoc="1A")
        on_version = services.comments_on(session, synthesis.ctx(session, VIEWER), version="initial")
    assert reply.cmoc == "1A"
    assert [(c.body, [r.body for r in c.replies]) for c in on_cmoc] == [
        ("Trust first?", ["Yes.", "And later?"])
    ]
    assert [c.body for c in on_version] == ["Good version."]


def test_who_may_comment_and_who_marks_addressed(synthesis: Review) -> None:
    with synthesis.session() as session:
        with pytest.raises(ForbiddenError):
            services.add_comment(session, synthesis.ctx(session, VIEWER), body="x", cmoc="1A")
        made = services.add_comment(session, synthesis.ctx(session, PANEL), body="Too broad", cmoc="1A")
        with pytest.raises(ForbiddenError):
            services.mark_addressed(
                session, synthesis.ctx(session, PANEL), comment_id=made.id, version="initial"
            )
        with pytest.raises(NotFoundError, match="no programme theory version 'final'"):
            services.mark_addressed(session, synthesis.ctx(session, ANA), comment_id=made.id, version="final")
        done = services.mark_addressed(
            session, synthesis.ctx(session, ANA), comment_id=made.id, version="initial"
        )
    assert (done.addressed_in, done.addressed_by, done.body) == ("initial", ANA, "Too broad")


def test_a_comment_needs_text_and_one_target(synthesis: Review) -> None:
    with synthesis.session() as session:
        ana = synthesis.ctx(session, ANA)
        with pytest.raises(ValidationError, match="needs some text"):
            services.add_comment(session, ana, body="  ", cmoc="1A")
        with pytest.raises(ValidationError, match="one CMOC or on one version"):
            services.add_comment(session, ana, body="x", cmoc="1A", version="initial")
        with pytest.raises(NotFoundError, match="no CMOC '9'"):
            services.add_comment(session, ana, body="x", cmoc="9")


def test_the_engagement_log_keeps_each_meeting_newest_first(synthesis: Review) -> None:
    with synthesis.session() as session:
        ana = synthesis.ctx(session, ANA)
        services.log_engagement(session, ana, held_on=dt.date(2025, 2, 4), group="PPI group", cmocs=["1A"])
        services.log_engagement(
            session, ana, held_on=dt.date(2025, 3, 4), group="Expert panel", attendees="5"
        )
        with pytest.raises(NotFoundError):
            services.log_engagement(session, ana, held_on=dt.date(2025, 3, 5), group="PPI", cmocs=["9"])
        with pytest.raises(ForbiddenError):
            services.log_engagement(
                session, synthesis.ctx(session, PANEL), held_on=dt.date(2025, 3, 5), group="PPI"
            )
        log = services.engagements(session, synthesis.ctx(session, PANEL))
    assert [(e.held_on.isoformat(), e.group, e.cmocs) for e in log] == [
        ("2025-03-04", "Expert panel", ()),
        ("2025-02-04", "PPI group", ("1A",)),
    ]
