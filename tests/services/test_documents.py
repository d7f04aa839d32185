"""Full texts attached to studies: extracted once, kept by SHA-256, refused when unusable."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.services.conftest import ANA, TEXT, Review

from realreview import services
from realreview.errors import DuplicateImportError, EmptyFileError, FileTooLargeError, NotFoundError
from realreview.storage.models import AuditLogRow, DocumentRow


def test_a_text_document_keeps_its_pages_and_its_file(review: Review) -> None:
    with review.session() as session:
        ana = review.ctx(session, ANA)
        found = services.document_text(session, ana, document_id=review.document_id)
        listed = services.list_documents(session, ana, record_id=review.record_ids[0])
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "document.add")).one()
    assert found.text == TEXT
    assert [found.page_text(page) for page in found.pages] == TEXT.split("\f")
    assert [d.name for d in listed] == ["smith2020.txt"] and listed[0].page_count == 2
    assert review.store.get(found.info.sha256) == TEXT.encode("utf-8")
    assert (audit.actor, audit.entity, audit.entity_id, audit.review_id) == (
        ANA,
        "document",
        review.document_id,
        review.review_id,
    )
    assert {k: audit.details[k] for k in ("name", "sha256", "record", "pages")} == {
        "name": "smith2020.txt",
        "sha256": found.info.sha256,
        "record": review.record_ids[0],
        "pages": 2,
    }


def test_the_same_file_twice_is_refused_and_nothing_changes(review: Review) -> None:
    with (
        review.session() as session,
        pytest.raises(DuplicateImportError, match="already attached as document"),
    ):
        services.add_document(
            session,
            review.ctx(session, ANA),
            data=TEXT.encode("utf-8"),
            name="again.txt",
            store=review.store,
            max_bytes=10**6,
        )
    with review.session() as session:
        assert session.scalar(select(func.count()).select_from(DocumentRow)) == 1


@pytest.mark.parametrize(
    ("data", "limit", "error", "message"),
    [
        (b"", 100, EmptyFileError, "empty.txt"),
        (b"x" * 200, 100, FileTooLargeError, "empty.txt"),
    ],
)
def test_unusable_files_are_refused_with_their_name(review: Review, data, limit, error, message) -> None:  # type: ignore[no-untyped-def]
    with review.session() as session, pytest.raises(error, match=message):
        services.add_document(
            session,
            review.ctx(session, ANA),
            data=data,
            name="empty.txt",
            store=review.store,
            max_bytes=limit,
        )


def test_a_document_for_a_record_of_another_review_is_refused(review: Review) -> None:
    with review.session() as session:
        other = services.create_review(session, title="Other", actor="tester")
        elsewhere = services.trusted_context(session, review_id=other.id, actor=ANA)
        with pytest.raises(NotFoundError, match=f"no record {review.record_ids[0]} in review {other.id}"):
            services.add_document(
                session,
                elsewhere,
                data=b"some text",
                name="a.txt",
                record_id=review.record_ids[0],
                store=review.store,
                max_bytes=100,
            )
        with pytest.raises(NotFoundError, match="no document"):
            services.document_text(session, elsewhere, document_id=review.document_id)
        with pytest.raises(NotFoundError, match=f"no review with id {other.id}"):
            services.review_context(session, review_id=other.id, email=ANA)  # not a member there


def test_the_full_text_stage_shows_the_records_documents(review: Review) -> None:
    from realreview.screening import Stage
    from realreview.services.screening_views import record_view

    with review.session() as session:
        ana = review.ctx(session, ANA)
        full = record_view(session, ana, record_id=review.record_ids[0], stage=Stage.FULL_TEXT)
        abstract = record_view(session, ana, record_id=review.record_ids[0], stage=Stage.TITLE_ABSTRACT)
        other = record_view(session, ana, record_id=review.record_ids[1], stage=Stage.FULL_TEXT)
    assert full.documents == ((review.document_id, "smith2020.txt"),)
    assert abstract.documents == () and other.documents == ()
