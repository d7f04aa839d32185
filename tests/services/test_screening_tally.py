# ruff: noqa: F811  (the team fixture is imported from tests/services/screening_team.py)
"""The per-process tally of standing calls answers as the database does, and never inside a write."""

from __future__ import annotations

from tests.services.screening_team import ANA, BEN, OWNER, TA, Team, configure, record_ids, team  # noqa: F401

from realreview import services
from realreview.screening import Event, RecordState
from realreview.services.screening_outcome import (
    passed_title_abstract,
    record_states,
    stage_complete,
    touched_complete,
    touched_states,
)
from realreview.services.screening_state import standing_callers
from realreview.services.screening_tally import cached_stage_ids, tallied_callers
from realreview.storage.audit import recording
from realreview.storage.models import ScreeningEventRow


def _by_database(team: Team) -> dict[int, set[str]]:
    """The grouped query's answer (the path taken inside a write)."""
    with team.database.unit_of_work() as session, recording(session):
        assert tallied_callers(session, review_id=team.review_id, stage=TA) is None
        return {k: set(v) for k, v in standing_callers(session, review_id=team.review_id, stage=TA).items()}


def _by_tally(team: Team) -> dict[int, set[str]]:
    with team.database.unit_of_work() as session:
        found = tallied_callers(session, review_id=team.review_id, stage=TA)
        assert found is not None
        return {k: set(v) for k, v in found.items()}


def test_the_tally_follows_decisions_undos_and_merges(team: Team) -> None:
    ids = record_ids(team)
    assert _by_tally(team) == {} == _by_database(team)
    team.decide(ANA, ids[0], Event.INCLUDE)
    team.decide(BEN, ids[0], Event.EXCLUDE)
    team.decide(ANA, ids[1], Event.INCLUDE)
    assert _by_tally(team) == {ids[0]: {ANA, BEN}, ids[1]: {ANA}} == _by_database(team)
    team.decide(ANA, ids[1], Event.UNDO)
    team.decide(OWNER, ids[2], Event.MAYBE)
    assert _by_tally(team) == {ids[0]: {ANA, BEN}, ids[2]: {OWNER}} == _by_database(team)
    with team.database.unit_of_work(write=True) as session:
        services.run_dedup(session, team.ctx(session))
        services.decide_pair(session, team.ctx(session), record_a=ids[2], record_b=ids[3], action="merge")
    assert _by_tally(team) == _by_database(team)
    with team.database.unit_of_work() as session:
        stage = cached_stage_ids(session, review_id=team.review_id)
    assert stage is not None and len(stage) == len(ids) - 1  # the merge is seen


def test_a_row_the_tally_missed_makes_it_start_again(team: Team) -> None:
    ids = record_ids(team)
    team.decide(ANA, ids[0], Event.INCLUDE)
    assert _by_tally(team) == {ids[0]: {ANA}}
    with team.database.unit_of_work(write=True) as session, recording(session):
        # As if a transaction that took a lower id committed after the tally read past it.
        session.add(
            ScreeningEventRow(
                id=0,
                review_id=team.review_id,
                record_id=ids[1],
                stage=TA.value,
                reviewer=BEN,
                event="exclude",
            )
        )
    assert _by_tally(team) == {ids[0]: {ANA}, ids[1]: {BEN}} == _by_database(team)


def test_a_read_transaction_remembers_and_the_next_one_sees_new_calls(team: Team) -> None:
    """A page asks the same question several times: one transaction works it out once, the next anew."""
    ids = record_ids(team)
    team.decide(ANA, ids[0], Event.INCLUDE)
    with team.database.unit_of_work() as session:
        setup = team.ctx(session).setup
        first = touched_states(session, review_id=team.review_id, setup=setup, stage=TA)
        assert first == {ids[0]: RecordState.INCLUDED}
        assert touched_states(session, review_id=team.review_id, setup=setup, stage=TA) is first
    team.decide(BEN, ids[1], Event.EXCLUDE)
    with team.database.unit_of_work() as session:
        setup = team.ctx(session).setup
        later = touched_states(session, review_id=team.review_id, setup=setup, stage=TA)
        assert later == {ids[0]: RecordState.INCLUDED, ids[1]: RecordState.EXCLUDED}
        done = touched_complete(session, review_id=team.review_id, setup=setup, stage=TA)
        full = stage_complete(session, review_id=team.review_id, setup=setup, stage=TA)
        assert {r for r, complete in full.items() if complete} == set(done) == {ids[0], ids[1]}
        states = record_states(session, review_id=team.review_id, setup=setup, stage=TA)
        assert {r: s for r, s in states.items() if s is not RecordState.UNSCREENED} == later
        assert passed_title_abstract(session, review_id=team.review_id, setup=setup) == [ids[0]]
