# ruff: noqa: F811  (the team fixture is imported from tests/services/screening_team.py)
"""Allocation: records go to reviewers as the protocol says, the sample is drawn once and never moves.

On SQLite and PostgreSQL, on 80 real PubMed records (tests/data/exports/medline_nbib).
"""

from __future__ import annotations

import math

import pytest
from tests.exports_table import EXPORTS
from tests.services.screening_team import ANA, BEN, TA, Team, configure, record_ids, team  # noqa: F401

from realreview import services
from realreview.errors import ValidationError
from realreview.screening import Allocation, Event, RecordState, Stage


def test_the_lead_protocol_gives_the_second_reviewer_exactly_the_sample(team: Team) -> None:
    configure(team, dual_fraction=0.1, dual_seed=2019, allocation=Allocation.LEAD, lead_reviewer=ANA)
    records = record_ids(team)
    sample = team.sample()
    assert len(sample) == math.ceil(0.1 * len(records))
    assert team.queue(BEN) == sorted(sample)
    assert team.queue(ANA) == records
    for record_id in records:
        team.decide(ANA, record_id, Event.INCLUDE if record_id % 3 else Event.EXCLUDE)
    assert team.queue(ANA) == []
    assert team.queue(BEN) == sorted(sample)
    summary = team.summary()
    assert (summary.records, summary.sample) == (len(records), len(sample))
    assert summary.remaining == len(sample) and summary.complete == len(records) - len(sample)
    for record_id in sample:
        team.decide(BEN, record_id, Event.INCLUDE if record_id % 3 else Event.EXCLUDE)
    summary = team.summary()
    assert (summary.complete, summary.remaining) == (len(records), 0)
    assert {load.reviewer: (load.decided, load.waiting) for load in summary.reviewers} == {
        ANA: (len(records), 0),
        BEN: (len(sample), 0),
    }
    with team.database.unit_of_work() as session:
        assert services.conflicts(session, team.ctx(session), stage=TA) == []


def test_a_shared_ten_percent_sample_leaves_the_second_reviewer_the_sample_only(team: Team) -> None:
    """The bug report: with 10%, every queue held every record and both calls made conflicts."""
    configure(team, dual_fraction=0.1, dual_seed=7)
    records, sample = record_ids(team), team.sample()
    for record_id in records:
        team.decide(ANA, record_id, Event.INCLUDE)
    assert team.queue(BEN) == sorted(sample)
    assert team.queue(ANA) == []
    for record_id in sorted(sample):
        team.decide(BEN, record_id, Event.EXCLUDE)
    with team.database.unit_of_work() as session:
        states = services.record_states(session, team.ctx(session), stage=TA)
        assert {r for r, state in states.items() if state is RecordState.CONFLICT} == sample
        assert {state for r, state in states.items() if r not in sample} == {RecordState.INCLUDED}


def test_split_deals_the_records_outside_the_sample_evenly(team: Team) -> None:
    configure(team, dual_fraction=0.1, allocation=Allocation.SPLIT)
    records, sample = record_ids(team), team.sample()
    ana, ben = set(team.queue(ANA)), set(team.queue(BEN))
    assert ana & ben == sample
    assert (ana | ben) == set(records)
    assert abs(len(ana - sample) - len(ben - sample)) <= 1
    for record_id in sorted(ana - sample):
        team.decide(ANA, record_id, Event.EXCLUDE)
    assert set(team.queue(BEN)) == ben  # Ana's own share never shows up in Ben's queue


def test_everyone_screens_everything(team: Team) -> None:
    configure(team, allocation=Allocation.EVERYONE)
    records = record_ids(team)
    team.decide(ANA, records[0], Event.INCLUDE)
    assert team.queue(BEN) == records
    with team.database.unit_of_work() as session:
        state = services.record_states(session, team.ctx(session), stage=TA, record_ids=[records[0]])
    assert state[records[0]] is RecordState.AWAITING_SECOND


def test_the_lead_allocation_needs_a_lead_who_may_screen(team: Team) -> None:
    with pytest.raises(ValidationError, match="needs a lead reviewer"):
        configure(team, allocation=Allocation.LEAD)
    with pytest.raises(ValidationError, match="not a member"):
        configure(team, allocation=Allocation.LEAD, lead_reviewer="nobody@example.org")


def test_an_import_adds_records_to_the_sample_by_the_same_fraction(team: Team) -> None:
    configure(team, dual_fraction=0.1, dual_seed=3)
    before = team.sample()
    with team.database.unit_of_work(write=True) as session:
        report = services.import_export(
            session, team.ctx(session), path=EXPORTS / "ris/reflib_blue-light.ris", max_bytes=1024**3
        )
    after = team.sample()
    assert before < after
    assert len(after - before) == math.ceil(0.1 * report.records)


def test_a_changed_fraction_tops_up_or_shrinks_the_stored_sample_without_redrawing(team: Team) -> None:
    configure(team, dual_fraction=0.1, dual_seed=3)
    first = team.sample()
    with team.database.unit_of_work() as session:
        change = services.preview_screening_setup(session, team.ctx(session), dual_fraction=0.2)
    assert change.added == math.ceil(0.2 * len(record_ids(team))) - len(first) and change.removed == 0
    assert "drawn in" in change.describe()
    assert team.sample() == first  # a preview changes nothing
    configure(team, dual_fraction=0.2)
    bigger = team.sample()
    assert first < bigger
    screened_twice = sorted(bigger)[:3]
    for record_id in screened_twice:
        team.decide(ANA, record_id, Event.INCLUDE)
        team.decide(BEN, record_id, Event.INCLUDE)
    configure(team, dual_fraction=0.0)
    assert team.sample() == set(screened_twice)  # a record two reviewers screened stays


def test_a_merge_moves_no_record_in_or_out_and_keeps_the_duplicates_calls(team: Team) -> None:
    configure(team, dual_fraction=0.1, dual_seed=11)
    records, sample = record_ids(team), team.sample()
    outside = [r for r in records if r not in sample]
    inside = sorted(sample)
    team.decide(ANA, inside[0], Event.INCLUDE)  # awaiting its second call
    team.decide(BEN, outside[1], Event.EXCLUDE)
    with team.database.unit_of_work(write=True) as session:
        services.run_dedup(session, team.ctx(session))
        services.decide_pair(
            session, team.ctx(session), record_a=outside[0], record_b=outside[1], action="merge"
        )
    with team.database.unit_of_work() as session:
        remaining = set(services.queue(session, team.ctx(session), stage=TA, filter=services.Filter.ALL))
        states = services.record_states(session, team.ctx(session), stage=TA)
    assert team.sample() == sample
    root = outside[0] if outside[0] in remaining else outside[1]
    assert states[root] is RecordState.EXCLUDED  # Ben's call on the merged record counts for its group
    assert states[inside[0]] is RecordState.AWAITING_SECOND


def test_two_reviewers_deciding_one_record_at_once_both_count(team: Team) -> None:
    configure(team, dual_fraction=0.0)
    record_id = record_ids(team)[0]
    team.decide(ANA, record_id, Event.INCLUDE)
    team.decide(BEN, record_id, Event.EXCLUDE)  # the record had left Ben's queue: the call is kept
    with team.database.unit_of_work() as session:
        calls = services.calls_visible_to(session, team.ctx(session), stage=TA, record_id=record_id)
        state = services.record_states(session, team.ctx(session), stage=TA, record_ids=[record_id])
    assert set(calls) == {(record_id, ANA), (record_id, BEN)}
    assert state[record_id] is RecordState.CONFLICT


def test_the_full_text_stage_is_allocated_the_same_way(team: Team) -> None:
    configure(team, dual_fraction=0.1, dual_seed=5, allocation=Allocation.LEAD, lead_reviewer=ANA)
    records, sample = record_ids(team), team.sample()
    passed = records[:40]
    for record_id in records:
        team.decide(ANA, record_id, Event.INCLUDE if record_id in passed else Event.EXCLUDE)
    for record_id in sorted(sample):
        team.decide(BEN, record_id, Event.INCLUDE if record_id in passed else Event.EXCLUDE)
    full_text = list(passed)
    assert team.queue(ANA, Stage.FULL_TEXT) == full_text
    assert team.queue(BEN, Stage.FULL_TEXT) == [r for r in full_text if r in sample]
    summary = team.summary(stage=Stage.FULL_TEXT)
    assert (summary.records, summary.sample) == (len(full_text), len([r for r in full_text if r in sample]))


def test_allocation_counts_add_up_when_two_reviewers_screen_at_once(team: Team) -> None:
    """Ana and Ben each take the head of their queue 30 times, at the same time (shared, 10%)."""
    import threading

    configure(team, dual_fraction=0.1, dual_seed=9)

    def screen(email: str) -> None:
        for _ in range(30):
            with team.database.unit_of_work(write=True) as session:
                ctx = team.ctx(session, email)
                ids, _ = services.first_undecided(session, ctx, limit=1)
                if ids:
                    services.record_decision(session, ctx, record_id=ids[0], stage=TA, event=Event.EXCLUDE)

    threads = [threading.Thread(target=screen, args=(email,)) for email in (ANA, BEN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = team.summary()
    loads = {load.reviewer: load for load in summary.reviewers}
    assert summary.complete + summary.remaining == summary.records == len(record_ids(team))
    assert loads[ANA].decided == loads[BEN].decided == 30  # no call lost, none refused
    with team.database.unit_of_work() as session:
        calls = services.calls_visible_to(session, team.ctx(session), stage=TA)
    assert len(calls) == 60
    for email in (ANA, BEN):
        assert loads[email].waiting == len(team.queue(email))
