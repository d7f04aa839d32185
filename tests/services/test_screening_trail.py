# ruff: noqa: F811  (the team fixture is imported from tests/services/screening_team.py)
"""The conflict trail (resolution note, who resolved, reopening) in the exports, and undo from anywhere."""

from __future__ import annotations

import pytest
from tests.services.screening_team import ANA, BEN, OWNER, TA, Team, configure, record_ids, team  # noqa: F401

from realreview import services
from realreview.errors import ValidationError
from realreview.screening import Event, RecordState, ReviewerState, Verdict


def _conflict(team: Team) -> int:
    configure(team, dual_fraction=1.0)
    record_id = record_ids(team)[0]
    team.decide(ANA, record_id, Event.INCLUDE, note="children only")
    team.decide(BEN, record_id, Event.EXCLUDE, reasons=(), tags=("Gender, sex",))
    return record_id


def _resolve(team: Team, record_id: int, note: str) -> None:
    with team.database.unit_of_work(write=True) as session:
        services.resolve_conflict(
            session,
            team.ctx(session, OWNER),
            record_id=record_id,
            stage=TA,
            verdict=Verdict.EXCLUDE,
            note=note,
        )


def test_the_resolution_note_and_who_resolved_show_on_the_record_and_in_the_export(team: Team) -> None:
    record_id = _conflict(team)
    _resolve(team, record_id, "adults only, by discussion")
    with team.database.unit_of_work() as session:
        view = services.record_view(session, team.ctx(session, OWNER), record_id=record_id, stage=TA)
        rows = services.export_decisions(session, team.ctx(session, OWNER))
        blinded = services.export_decisions(session, team.ctx(session, ANA))
    assert view.resolution is not None and view.resolution.owner == OWNER
    assert view.resolution.note == "adults only, by discussion"
    assert view.state_label == "Excluded (conflict resolved)"
    resolution = rows[-1]
    assert (resolution["event"], resolution["reviewer"], resolution["note"]) == (
        "resolve_exclude",
        OWNER,
        "adults only, by discussion",
    )
    assert [row["event"] for row in blinded] == ["include"]  # a blinded reviewer learns of no conflict


def test_a_resolution_can_be_reopened_and_stays_in_the_trail(team: Team) -> None:
    record_id = _conflict(team)
    _resolve(team, record_id, "first look")
    with team.database.unit_of_work(write=True) as session:
        state = services.reopen_conflict(
            session, team.ctx(session, OWNER), record_id=record_id, stage=TA, note="new evidence"
        )
    assert state is RecordState.CONFLICT
    with team.database.unit_of_work() as session:
        page = services.conflicts_page(session, team.ctx(session, OWNER), stage=TA)
        events = [row["event"] for row in services.export_decisions(session, team.ctx(session, OWNER))]
    assert [view.id for view in page.views] == [record_id] and page.resolved == []
    assert events[-2:] == ["resolve_exclude", "reopen"]
    with (
        team.database.unit_of_work(write=True) as session,
        pytest.raises(ValidationError, match="no resolution"),
    ):
        services.reopen_conflict(session, team.ctx(session, OWNER), record_id=record_id, stage=TA)


def test_the_conflicts_page_lists_resolved_conflicts_with_the_note(team: Team) -> None:
    record_id = _conflict(team)
    _resolve(team, record_id, "by discussion")
    with team.database.unit_of_work() as session:
        page = services.conflicts_page(session, team.ctx(session, OWNER), stage=TA)
    assert page.views == []
    (item,) = page.resolved
    assert (item.view.id, item.owner, item.verdict, item.note) == (
        record_id,
        OWNER,
        "exclude",
        "by discussion",
    )
    assert item.view.others[ANA].note == "children only" and item.view.others[BEN].tags == ("Gender, sex",)


def test_screen_export_and_import_carry_the_trail_and_a_second_import_adds_nothing(
    team: Team, database_url: str
) -> None:
    record_id = _conflict(team)
    _resolve(team, record_id, "adults only")
    with team.database.unit_of_work() as session:
        rows = services.export_decisions(session, team.ctx(session))
    numbered = list(enumerate(rows, start=2))
    with team.database.unit_of_work(write=True) as session:
        assert services.import_decisions(session, team.ctx(session), rows=numbered, source="again") == 0
    # the same file into a fresh review with the same members and records
    other = services.connect(database_url)
    try:
        with other.unit_of_work() as session:
            again = services.export_decisions(session, team.ctx(session))
        assert again == rows
    finally:
        other.close()


def test_undo_last_reopens_my_latest_decision_wherever_i_am(team: Team) -> None:
    first, second = record_ids(team)[:2]
    team.decide(ANA, first, Event.INCLUDE)
    team.decide(ANA, second, Event.EXCLUDE)
    team.decide(BEN, first, Event.EXCLUDE)  # someone else's later call is not mine to undo
    with team.database.unit_of_work(write=True) as session:
        record_id, call = services.undo_last(session, team.ctx(session, ANA), stage=TA)
        line = services.undo_line(session, team.ctx(session, ANA), record_id=record_id, call=call)
    assert (record_id, call.state) == (second, ReviewerState.UNDECIDED)
    assert f"record {second}" in line and "undecided" in line
    with team.database.unit_of_work(write=True) as session:
        assert services.undo_last(session, team.ctx(session, ANA), stage=TA)[0] == first
    with (
        team.database.unit_of_work(write=True) as session,
        pytest.raises(ValidationError, match="no decision"),
    ):
        services.undo_last(session, team.ctx(session, ANA), stage=TA)


def test_a_decision_is_confirmed_in_one_line(team: Team) -> None:
    record_id = record_ids(team)[0]
    with team.database.unit_of_work(write=True) as session:
        ctx = team.ctx(session, ANA)
        call = services.record_decision(
            session,
            ctx,
            record_id=record_id,
            stage=TA,
            event=Event.INCLUDE,
            tags=("Gender, sex", "Education"),
        )
        line = services.decision_line(session, ctx, record_id=record_id, event=Event.INCLUDE, call=call)
    assert line.startswith(f"Recorded: include · record {record_id} “")
    assert line.endswith("tags: Gender, sex, Education")
