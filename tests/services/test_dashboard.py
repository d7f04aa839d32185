"""The review's dashboard: completed outcomes per stage for all; maybe and conflict counts as blinding allows."""

from __future__ import annotations

from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.screening import Event, Stage


def _call(session: services.Session, review: Review, who: str, record: int, event: Event) -> None:
    services.record_decision(
        session, review.ctx(session, who), record_id=record, stage=Stage.TITLE_ABSTRACT, event=event
    )


def test_tallies_per_stage_and_what_blinding_hides(review: Review) -> None:
    r = review.record_ids
    with review.session() as session:
        services.configure_screening(session, review.ctx(session, OWNER), dual_fraction=0.0)
        for record in r[:3]:
            _call(session, review, ANA, record, Event.INCLUDE)
        _call(session, review, ANA, r[3], Event.EXCLUDE)
        _call(session, review, BEN, r[4], Event.MAYBE)
        owner = services.overview_page(session, review.ctx(session, OWNER))
        ana = services.overview_page(session, review.ctx(session, ANA))
    title, full = owner.tallies
    assert (title.records, title.awaiting, title.included, title.excluded, title.maybe) == (10, 5, 4, 1, 1)
    assert (full.stage, full.records, full.awaiting) == (Stage.FULL_TEXT, 4, 4)
    assert ana.tallies[0].included == 4 and ana.tallies[0].maybe is None and ana.tallies[0].conflict is None
    assert (owner.records, owner.searches, owner.pairs_waiting) == (10, 1, 0)
    assert dict(ana.stages)[Stage.TITLE_ABSTRACT].decided == 4
    steps = [step.label for step in owner.next_steps]
    assert "Screen (title/abstract)" in steps


def test_without_blinding_everyone_sees_maybe_and_conflicts(review: Review) -> None:
    r = review.record_ids
    with review.session() as session:
        services.configure_screening(session, review.ctx(session, OWNER), dual_fraction=1.0, blinded=False)
        _call(session, review, ANA, r[0], Event.INCLUDE)
        _call(session, review, BEN, r[0], Event.EXCLUDE)
        ana = services.overview_page(session, review.ctx(session, ANA))
    assert ana.tallies[0].conflict == 1
