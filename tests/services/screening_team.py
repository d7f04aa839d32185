"""A review team for the screening tests: an owner and two reviewers on 80 real PubMed records.

The records are tests/data/exports/medline_nbib/reflib_blue-light.nbib; every helper opens its own
unit of work, as the web app does per request, so that tests can run them from several threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from tests.exports_table import EXPORTS

from realreview import services
from realreview.screening import Event, Stage
from realreview.services.screening_sample import stored_sample

ANA, BEN, OWNER = "ana@example.org", "ben@example.org", "owner@example.org"
TA = Stage.TITLE_ABSTRACT


@dataclass
class Team:
    database: services.Database
    review_id: int

    def ctx(self, session: services.Session, email: str | None = None) -> services.ReviewContext:
        if email is None:
            return services.trusted_context(session, review_id=self.review_id, actor="tester")
        return services.review_context(session, review_id=self.review_id, email=email)

    def queue(self, email: str, stage: Stage = TA) -> list[int]:
        with self.database.unit_of_work() as session:
            return services.queue(session, self.ctx(session, email), stage=stage)

    def decide(self, email: str, record_id: int, event: Event, stage: Stage = TA, **extra: object) -> None:
        with self.database.unit_of_work(write=True) as session:
            services.record_decision(
                session, self.ctx(session, email), record_id=record_id, stage=stage, event=event, **extra
            )

    def sample(self) -> set[int]:
        with self.database.unit_of_work() as session:
            return stored_sample(session, review_id=self.review_id)

    def summary(self, email: str | None = None, stage: Stage = TA) -> services.AllocationSummary:
        with self.database.unit_of_work() as session:
            return services.allocation_summary(session, self.ctx(session, email), stage=stage)


@pytest.fixture
def team(database_url: str) -> Iterator[Team]:
    database = services.connect(database_url)
    with database.unit_of_work() as session:
        info = services.create_review(session, title="Allocation", actor="tester")
        owner = services.trusted_context(session, review_id=info.id, actor="tester")
        services.import_export(
            session, owner, path=EXPORTS / "medline_nbib/reflib_blue-light.nbib", max_bytes=1024**3
        )
        for email, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
            services.create_user(session, email=email, actor="tester")
            services.add_member(session, owner, email=email, role=services.Role(role))
    yield Team(database, info.id)
    database.close()


def configure(team: Team, **changes: object) -> None:
    """Change the screening setup as the command line's owner."""
    with team.database.unit_of_work(write=True) as session:
        services.configure_screening(session, team.ctx(session), **changes)


def record_ids(team: Team) -> list[int]:
    """The review's screened records, by id."""
    with team.database.unit_of_work() as session:
        return [r.id for r in services.iter_records(session, team.ctx(session))]
