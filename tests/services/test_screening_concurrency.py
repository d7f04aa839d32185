# ruff: noqa: F811  (the team fixture is imported from tests/services/screening_team.py)
"""Concurrent writes on one record are serialised on both databases; a damaged history is reported.

Each writer is a thread with its own unit of work, as concurrent web requests are. The stored history
is then replayed through the state machine strictly: an impossible event would raise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import select
from tests.services.screening_team import ANA, BEN, OWNER, TA, Team, configure, record_ids, team  # noqa: F401

from realreview import services
from realreview.errors import ReviewError
from realreview.screening import Event, Verdict, current_calls
from realreview.services.screening_state import stage_events
from realreview.storage.audit import recording
from realreview.storage.models import ScreeningEventRow, ScreeningResolutionRow


def _race(actions: list[Callable[[], object]]) -> list[str]:
    """Run every action at once (a barrier releases them together); what each answered."""
    barrier = threading.Barrier(len(actions))
    answers: list[str] = []

    def run(action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            action()
            answers.append("stored")
        except ReviewError as error:
            answers.append(f"refused: {error}")

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _replays(team: Team) -> None:
    with team.database.unit_of_work() as session:
        current_calls(stage_events(session, review_id=team.review_id, stage=TA))  # raises if impossible
        assert services.check_histories(session) == []


def test_twelve_concurrent_undos_of_one_include_store_one_undo(team: Team) -> None:
    record_id = record_ids(team)[0]
    team.decide(ANA, record_id, Event.INCLUDE)
    answers = _race([lambda: team.decide(ANA, record_id, Event.UNDO)] * 12)
    assert answers.count("stored") == 1
    assert all("nothing decided" in answer for answer in answers if answer != "stored")
    _replays(team)
    with team.database.unit_of_work() as session:
        events = stage_events(session, review_id=team.review_id, stage=TA, record_id=record_id)
        assert [event.event for event in events] == [Event.INCLUDE, Event.UNDO]
        services.overview_page(session, team.ctx(session, ANA))  # the pages stay up


def test_concurrent_decisions_undos_and_a_resolution_on_one_record_leave_a_possible_history(
    team: Team,
) -> None:
    configure(team, dual_fraction=1.0)
    record_id = record_ids(team)[0]
    team.decide(ANA, record_id, Event.INCLUDE)
    team.decide(BEN, record_id, Event.EXCLUDE)  # a conflict

    def resolve() -> None:
        with team.database.unit_of_work(write=True) as session:
            services.resolve_conflict(
                session, team.ctx(session, OWNER), record_id=record_id, stage=TA, verdict=Verdict.INCLUDE
            )

    actions: list[Callable[[], object]] = [
        *[lambda: team.decide(ANA, record_id, Event.UNDO)] * 4,
        *[lambda: team.decide(BEN, record_id, Event.UNDO)] * 4,
        lambda: team.decide(ANA, record_id, Event.EXCLUDE),
        resolve,
        resolve,
    ]
    answers = _race(actions)
    assert answers.count("stored") >= 3
    _replays(team)
    with team.database.unit_of_work() as session:
        resolved = session.scalars(
            select(ScreeningResolutionRow).where(ScreeningResolutionRow.record_id == record_id)
        ).all()
    assert len(resolved) <= 1  # the second owner found the conflict already resolved


def test_a_damaged_history_is_reported_and_the_pages_stay_up(team: Team) -> None:
    record_id = record_ids(team)[0]
    team.decide(ANA, record_id, Event.INCLUDE)
    with team.database.unit_of_work(write=True) as session, recording(session):
        for _ in range(3):  # what twelve unserialised undos left behind before this fix
            session.add(
                ScreeningEventRow(
                    review_id=team.review_id, record_id=record_id, stage=TA.value, reviewer=ANA, event="undo"
                )
            )
    with team.database.unit_of_work() as session:
        problems = services.check_histories(session)
        assert [(p.record_id, p.who) for p in problems] == [(record_id, ANA), (record_id, ANA)]
        assert "undo with nothing to undo" in problems[0].describe()
        owner = team.ctx(session, OWNER)
        services.overview_page(session, owner)
        services.agreement_report(session, owner, stage=TA)
        services.screening_page(session, team.ctx(session, ANA), stage=TA)
    team.decide(ANA, record_id, Event.EXCLUDE)  # and the reviewer can decide again
