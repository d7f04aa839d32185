"""A review with real records, two members and a full text, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.exports_table import EXPORTS

from realreview import services
from realreview.fulltext import FileStore

ANA, BEN, OWNER = "ana@example.org", "ben@example.org", "owner@example.org"
# Two pages (a form feed between them), non-ASCII and an astral character before the coded sentences.
TEXT = (
    "Équité in primary care 🙂 matters.\nClinics that reached deprived areas reduced gaps.\f"
    "Page two: staff trusted the data. Targeted outreach worked for migrants.\n"
)


@dataclass
class Review:
    database: services.Database
    review_id: int
    store: FileStore
    document_id: int
    record_ids: list[int]

    def session(self):  # type: ignore[no-untyped-def]
        return self.database.unit_of_work()

    def ctx(self, session: services.Session, email: str | None = None) -> services.ReviewContext:
        """The member ``email``'s context, or (no email) the command line's trusted owner context."""
        if email is None:
            return services.trusted_context(session, review_id=self.review_id, actor="tester")
        return services.review_context(session, review_id=self.review_id, email=email)


@pytest.fixture
def review(database_url: str, tmp_path: Path) -> Iterator[Review]:
    database = services.connect(database_url)
    store = FileStore(tmp_path / "files")
    with database.unit_of_work() as session:
        info = services.create_review(session, title="Equity QI", actor="tester")
        owner = services.trusted_context(session, review_id=info.id, actor="tester")
        services.import_export(session, owner, path=EXPORTS / "ris/cff_embase.ris", max_bytes=1024**3)
        for email, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
            services.create_user(session, email=email, actor="tester")  # no password: no slow hashing
            services.add_member(session, owner, email=email, role=services.Role(role))
        records = [r.id for r in services.iter_records(session, owner)]
        document = services.add_document(
            session,
            services.review_context(session, review_id=info.id, email=ANA),
            data=TEXT.encode("utf-8"),
            name="smith2020.txt",
            record_id=records[0],
            store=store,
            max_bytes=10**6,
        )
    yield Review(database, info.id, store, document.info.id, records)
    database.close()
