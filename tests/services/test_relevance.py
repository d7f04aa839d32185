# ruff: noqa: F811  (the team fixture is imported from tests/services/screening_team.py)
"""Relevance scores learn from completed outcomes only, so an order drawn from them reveals no pending call."""

from __future__ import annotations

from tests.services.screening_team import ANA, BEN, TA, Team, configure, record_ids, team  # noqa: F401

from realreview.screening import Event
from realreview.services.relevance import RelevanceScores, relevance_scores


def _scores(team: Team, email: str = ANA) -> RelevanceScores:
    with team.database.unit_of_work() as session:
        return relevance_scores(session, team.ctx(session, email), stage=TA)


def test_no_model_before_an_include_and_an_exclude_are_complete(team: Team) -> None:
    ids = record_ids(team)
    assert not _scores(team).ready
    team.decide(ANA, ids[0], Event.INCLUDE)
    first = _scores(team)
    assert (first.ready, first.included, first.excluded) == (False, 1, 0)


def test_the_model_scores_every_record_and_ranks_like_the_include_first(team: Team) -> None:
    ids = record_ids(team)
    team.decide(ANA, ids[0], Event.INCLUDE)
    team.decide(BEN, ids[1], Event.EXCLUDE)
    found = _scores(team, BEN)
    assert found.ready and (found.included, found.excluded) == (1, 1)
    assert set(found.scores) == set(ids)
    assert found.scores[ids[0]] > found.scores[ids[1]]
    assert found.scores == _scores(team, ANA).scores  # one model for everyone, deterministic


def test_a_call_on_a_record_that_waits_for_a_second_reviewer_is_not_learned(team: Team) -> None:
    configure(team, dual_fraction=1.0, dual_seed=3)  # every record needs two calls
    ids = record_ids(team)
    team.decide(ANA, ids[0], Event.INCLUDE)
    team.decide(ANA, ids[1], Event.EXCLUDE)
    pending = _scores(team, BEN)
    assert (pending.ready, pending.included, pending.excluded) == (False, 0, 0)  # BEN still has both to do
    team.decide(BEN, ids[0], Event.INCLUDE)
    team.decide(BEN, ids[1], Event.EXCLUDE)
    done = _scores(team, BEN)
    assert (done.ready, done.included, done.excluded) == (True, 1, 1)
