"""Screening inside a review on SQLite and PostgreSQL: roles, events, states, agreement, resolution."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.exports_table import EXPORTS

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.screening import Event, RecordState, ReviewerState, Stage, Verdict
from realreview.storage.models import ScreeningEventRow

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT
OWNER, ANA, BEN, VIV = "owner@example.org", "ana@example.org", "ben@example.org", "viv@example.org"


@pytest.fixture
def review(database_url: str):  # type: ignore[no-untyped-def]
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        info = services.create_review(session, title="Screening", actor="tester")
        cli = services.trusted_context(session, review_id=info.id, actor="tester")
        services.import_export(session, cli, path=EXPORTS / "ris/cff_embase.ris", max_bytes=1024**3)
        for email, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer"), (VIV, "viewer")):
            services.create_user(session, email=email, password="correct horse", actor="tester")
            services.add_member(session, cli, email=email, role=services.Role(role))
        services.configure_screening(
            session,
            ctx(session, OWNER),
            exclusion_reasons=("wrong population", "not an intervention"),
            dual_fraction=1.0,
            dual_seed=2025,
        )
    yield factory
    factory.close()


def ctx(session: services.Session, email: str) -> services.ReviewContext:
    return services.review_context(session, review_id=1, email=email)


def decide(factory, reviewer: str, record: int, event: Event, stage: Stage = TA, **extra):  # type: ignore[no-untyped-def]
    with services.transaction(factory) as session:
        return services.record_decision(
            session, ctx(session, reviewer), record_id=record, stage=stage, event=event, **extra
        )


def states(factory, stage: Stage = TA) -> dict[int, RecordState]:  # type: ignore[no-untyped-def]
    with services.transaction(factory) as session:
        return services.record_states(session, ctx(session, OWNER), stage=stage)


def test_passwords_are_hashed_and_checked(review) -> None:  # type: ignore[no-untyped-def]
    with services.transaction(review) as session:
        assert services.authenticate(session, email="ANA@example.org", password="correct horse") is not None
        assert services.authenticate(session, email=ANA, password="wrong horse") is None
        assert services.authenticate(session, email="nobody@example.org", password="correct horse") is None
        with pytest.raises(ValidationError, match="at least 8 characters"):
            services.create_user(session, email="x@example.org", password="short", actor="tester")
        with pytest.raises(ValidationError, match="already an account"):
            services.create_user(session, email=ANA, actor="tester")


def test_roles_gate_every_write(review) -> None:  # type: ignore[no-untyped-def]
    with services.transaction(review) as session:
        services.create_user(session, email="stranger@example.org", password="correct horse", actor="t")
    with pytest.raises(NotFoundError, match="no review with id 1"):
        decide(review, "stranger@example.org", 1, Event.INCLUDE)
    with pytest.raises(ForbiddenError, match="viewer"):
        decide(review, VIV, 1, Event.INCLUDE)
    with pytest.raises(ForbiddenError, match="to edit the setup needs the role: owner"):
        with services.transaction(review) as session:
            services.configure_screening(session, ctx(session, ANA), blinded=False)


def test_two_reviewers_disagree_the_owner_resolves_and_kappa_follows(review) -> None:  # type: ignore[no-untyped-def]
    for record in (1, 2, 3, 4):
        decide(review, ANA, record, Event.INCLUDE if record < 3 else Event.EXCLUDE)
    decide(review, BEN, 1, Event.INCLUDE)
    decide(review, BEN, 2, Event.EXCLUDE)
    decide(review, BEN, 3, Event.EXCLUDE)
    found = states(review)
    assert found[1] is RecordState.INCLUDED
    assert found[2] is RecordState.CONFLICT
    assert found[3] is RecordState.EXCLUDED
    assert found[4] is RecordState.AWAITING_SECOND
    assert found[5] is RecordState.UNSCREENED
    with services.transaction(review) as session:
        assert services.conflicts(session, ctx(session, OWNER), stage=TA) == [2]
        (pair,) = services.agreement_report(session, ctx(session, OWNER), stage=TA)
    assert (pair.first, pair.second, pair.result.records) == (ANA, BEN, 3)
    assert pair.result.table == ((1, 1), (0, 1))
    with services.transaction(review) as session:
        with pytest.raises(ForbiddenError):
            services.resolve_conflict(
                session, ctx(session, ANA), record_id=2, stage=TA, verdict=Verdict.INCLUDE
            )
        state = services.resolve_conflict(
            session,
            ctx(session, OWNER),
            record_id=2,
            stage=TA,
            verdict=Verdict.INCLUDE,
            note="resolved by discussion",
        )
    assert state is RecordState.RESOLVED_INCLUDED
    with services.transaction(review) as session:
        assert services.conflicts(session, ctx(session, OWNER), stage=TA) == []
        with pytest.raises(ValidationError, match="not in conflict"):
            services.resolve_conflict(
                session, ctx(session, OWNER), record_id=1, stage=TA, verdict=Verdict.EXCLUDE
            )


def test_undo_is_an_event_and_nothing_is_overwritten(review) -> None:  # type: ignore[no-untyped-def]
    decide(review, ANA, 1, Event.INCLUDE)
    decide(review, ANA, 1, Event.EXCLUDE, reasons=("wrong population",))
    call = decide(review, ANA, 1, Event.UNDO)
    assert call.state is ReviewerState.INCLUDED
    with services.transaction(review) as session:
        assert session.scalar(select(func.count()).select_from(ScreeningEventRow)) == 3
    with pytest.raises(ValidationError, match="record 2: cannot undo: nothing decided yet"):
        decide(review, ANA, 2, Event.UNDO)


def test_full_text_needs_a_pass_and_an_exclusion_reason_from_the_list(review) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="record 1 is not at the full-text stage"):
        decide(review, ANA, 1, Event.INCLUDE, stage=FT)
    decide(review, ANA, 1, Event.INCLUDE)
    decide(review, BEN, 1, Event.INCLUDE)
    with pytest.raises(ValidationError, match="an exclusion at full text needs a reason"):
        decide(review, ANA, 1, Event.EXCLUDE, stage=FT)
    with pytest.raises(ValidationError, match="unknown exclusion reason 'too old'"):
        decide(review, ANA, 1, Event.EXCLUDE, stage=FT, reasons=("too old",))
    call = decide(review, ANA, 1, Event.EXCLUDE, stage=FT, reasons=("not an intervention",))
    assert call.reasons == ("not an intervention",)


def test_tags_come_from_the_review_vocabularies(review) -> None:  # type: ignore[no-untyped-def]
    call = decide(review, ANA, 1, Event.INCLUDE, tags=("Socioeconomic status", "targeted"))
    assert call.tags == ("Socioeconomic status", "targeted")
    with pytest.raises(ValidationError, match="unknown tag 'Astrology'"):
        decide(review, ANA, 2, Event.INCLUDE, tags=("Astrology",))


def test_blinding_hides_other_reviewers_calls(review) -> None:  # type: ignore[no-untyped-def]
    decide(review, ANA, 1, Event.INCLUDE)
    decide(review, BEN, 1, Event.EXCLUDE)
    with services.transaction(review) as session:
        assert set(services.calls_visible_to(session, ctx(session, ANA), stage=TA)) == {(1, ANA)}
        assert set(services.calls_visible_to(session, ctx(session, OWNER), stage=TA)) == {
            (1, ANA),
            (1, BEN),
        }
        services.configure_screening(session, ctx(session, OWNER), blinded=False)
    with services.transaction(review) as session:
        assert set(services.calls_visible_to(session, ctx(session, ANA), stage=TA)) == {
            (1, ANA),
            (1, BEN),
        }


def test_decisions_export_and_import_round_trip_and_bad_lines_change_nothing(review) -> None:  # type: ignore[no-untyped-def]
    decide(review, ANA, 1, Event.INCLUDE, tags=("Plus: age",), note="children")
    decide(review, ANA, 2, Event.EXCLUDE, reasons=("wrong population",))
    with services.transaction(review) as session:
        rows = services.export_decisions(session, ctx(session, OWNER))
    assert [(r["record_id"], r["reviewer"], r["event"], r["tags"]) for r in rows] == [
        ("1", ANA, "include", "Plus: age"),
        ("2", ANA, "exclude", ""),
    ]
    moved = [(n, {**row, "reviewer": BEN}) for n, row in enumerate(rows, start=2)]
    bad = [*moved, (4, {**rows[0], "reviewer": BEN, "record_id": "999"})]
    with pytest.raises(ValidationError, match="line 4: review 1 has no record 999"):
        with services.transaction(review) as session:
            services.import_decisions(session, ctx(session, OWNER), rows=bad, source="test")
    with services.transaction(review) as session:
        assert len(services.export_decisions(session, ctx(session, OWNER))) == 2
        assert services.import_decisions(session, ctx(session, OWNER), rows=moved, source="test") == 2
    with services.transaction(review) as session:
        (pair,) = services.agreement_report(session, ctx(session, OWNER), stage=TA)
    assert pair.result.percent == 1.0


def test_the_fast_next_record_query_agrees_with_the_event_replay(review) -> None:  # type: ignore[no-untyped-def]
    from realreview.services.screening_views import Filter, first_undecided, progress, queue

    decide(review, ANA, 1, Event.INCLUDE)
    decide(review, ANA, 2, Event.EXCLUDE)
    decide(review, ANA, 2, Event.MAYBE)
    decide(review, ANA, 3, Event.INCLUDE)
    decide(review, ANA, 3, Event.UNDO)
    decide(review, BEN, 4, Event.INCLUDE)  # another reviewer's call does not count for ANA
    with services.transaction(review) as session:
        ana = ctx(session, ANA)
        ids, done = first_undecided(session, ana, limit=20)
        assert ids == queue(session, ana, stage=TA, filter=Filter.UNDECIDED)
        assert ids[:2] == [3, 4]
        slow = progress(session, ana, stage=TA)
        assert (done.total, done.decided) == (slow.total, slow.decided) == (10, 2)


@pytest.mark.parametrize("export", ["ris/cff_rayyan.ris", "rayyan_csv/cff_rayyan.csv"])
def test_rayyan_decisions_become_events_of_the_named_reviewer(database_url: str, export: str) -> None:
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        review = services.create_review(session, title="From Rayyan", actor="tester")
        cli = services.trusted_context(session, review_id=review.id, actor="tester")
        report = services.import_export(session, cli, path=EXPORTS / export, max_bytes=1024**3)
    assert "6 Rayyan decisions replayed as title/abstract decision events" in report.diagnostics
    with services.transaction(factory) as session:
        cli = services.trusted_context(session, review_id=review.id, actor="tester")
        events = [row for row in services.export_decisions(session, cli) if row["stage"] == TA.value]
        states = services.record_states(session, cli, stage=TA)
    assert {event["reviewer"] for event in events} == {"rayyan:Emily"}
    assert sorted(event["event"] for event in events) == [
        "exclude",
        "exclude",
        "include",
        "include",
        "maybe",
        "maybe",
    ]
    counted = sorted(state.value for state in states.values())
    assert (
        counted.count("included") == 2 and counted.count("excluded") == 2 and counted.count("unscreened") == 4
    )
    factory.close()
