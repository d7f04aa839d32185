"""Importing real exports into a review, on SQLite and PostgreSQL; bad input changes nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.exports_table import EXPORT_FILES, EXPORTS, Export

from realreview import services
from realreview.errors import (
    DuplicateImportError,
    EmptyFileError,
    EncodingError,
    FileTooLargeError,
    InputError,
    NotFoundError,
    ParseError,
    UnknownFormatError,
)
from realreview.storage.models import AuditLogRow, ImportFileRow, RecordRow, ReviewRow, SearchRow

LIMIT = 1024**3
RIS_RECORD = "TY  - JOUR\nTI  - Record {n}\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"


@pytest.fixture
def review(database_url: str):  # type: ignore[no-untyped-def]
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        created = services.create_review(session, title="Test review", actor="tester")
    yield factory, created.id
    factory.close()


def _cli(session: services.Session, review_id: int | None) -> services.ReviewContext:
    return services.trusted_context(session, review_id=review_id, actor="tester")


def _import(factory, review_id: int, path: Path, **options):  # type: ignore[no-untyped-def]
    with services.transaction(factory) as session:
        return services.import_export(
            session,
            _cli(session, review_id),
            path=path,
            max_bytes=options.pop("max_bytes", LIMIT),
            **options,
        )


def _snapshot(factory) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with factory.unit_of_work() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (ReviewRow, SearchRow, ImportFileRow, RecordRow, AuditLogRow)
        }


@pytest.mark.parametrize("export", EXPORT_FILES, ids=lambda e: e.path)
def test_every_real_export_imports_with_its_exact_count(review, export: Export) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    report = _import(factory, review_id, EXPORTS / export.path)
    assert (report.records, report.format) == (export.count, export.format)
    with services.transaction(factory) as session:
        assert services.count_records(session, _cli(session, review_id)) == export.count
        stored = list(services.iter_records(session, _cli(session, review_id)))
    assert [item.record.position for item in stored] == list(range(1, export.count + 1))
    assert sum(1 for item in stored if item.record.title) >= export.count - 1
    assert all(item.record.raw for item in stored)


def test_records_round_trip_through_the_database(review) -> None:  # type: ignore[no-untyped-def]
    from realreview.formats import loads

    factory, review_id = review
    path = EXPORTS / "ris/cff_rayyan.ris"
    parsed = loads(path.read_text(encoding="utf-8-sig"))
    _import(factory, review_id, path)
    with services.transaction(factory) as session:
        stored = [item.record for item in services.iter_records(session, _cli(session, review_id))]
    assert stored == parsed.records
    assert ("rayyan:inclusion:Emily", "Included") in stored[0].raw


def test_import_logs_a_search_named_by_the_file_and_audits(review) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    report = _import(factory, review_id, EXPORTS / "ris/cff_scopus.ris")
    with services.transaction(factory) as session:
        (summary,) = services.summarise_searches(session, _cli(session, review_id))
        actions = session.scalars(select(AuditLogRow.action).order_by(AuditLogRow.id)).all()
    assert (summary.id, summary.database, summary.platform, summary.imported) == (
        report.search_id,
        "Scopus",
        "Scopus",
        10,
    )
    assert summary.files == ("cff_scopus.ris",)
    assert actions == ["review.create", "search.add", "import.file"]


def test_import_into_a_logged_search_compares_hits(review) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    with services.transaction(factory) as session:
        search = services.add_search(
            session,
            _cli(session, review_id),
            database="MEDLINE",
            platform="PubMed",
            reported_hits=52,
        )
    _import(factory, review_id, EXPORTS / "medline_nbib/cff_pubmed_medline.ris", search_id=search.id)
    with services.transaction(factory) as session:
        (summary,) = services.summarise_searches(session, _cli(session, review_id))
    assert (summary.reported_hits, summary.imported, summary.difference) == (52, 50, -2)


def test_database_option_names_the_new_search(review) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    _import(factory, review_id, EXPORTS / "ris/cff_zotero.ris", database="Embase (via Zotero)")
    with services.transaction(factory) as session:
        (summary,) = services.summarise_searches(session, _cli(session, review_id))
    assert summary.database == "Embase (via Zotero)"


def test_unknown_search_is_refused(review) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    before = _snapshot(factory)
    with pytest.raises(NotFoundError, match="review 1 has no search with id 99"):
        _import(factory, review_id, EXPORTS / "ris/cff_scopus.ris", search_id=99)
    assert _snapshot(factory) == before


def test_same_file_twice_is_refused(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    _import(factory, review_id, EXPORTS / "ris/cff_scopus.ris")
    before = _snapshot(factory)
    renamed = tmp_path / "scopus-again.ris"
    shutil.copy(EXPORTS / "ris/cff_scopus.ris", renamed)
    with pytest.raises(
        DuplicateImportError,
        match=r"scopus-again\.ris: already imported into review 1 as import 1 \(cff_scopus\.ris, 10 records",
    ):
        _import(factory, review_id, renamed)
    assert _snapshot(factory) == before


def _write(content: bytes | Callable[[Path], None]) -> Callable[[Path], Path]:
    def make(directory: Path) -> Path:
        path = directory / "bad.ris"
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
        return path

    return make


def _sparse_2gb(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(2 * 1024**3)


def _late_bad_byte(path: Path) -> None:
    # More records than one insert batch, so rows are written before the error.
    good = "".join(RIS_RECORD.format(n=n) for n in range(5000)).encode()
    path.write_bytes(good + b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n")


BAD_INPUTS = {
    "empty": (_write(b""), EmptyFileError, "file is empty"),
    "not-an-export": (
        _write(b"Minutes of the steering group\nAttendees: A, B\n"),
        UnknownFormatError,
        "not a recognised export format",
    ),
    "binary-garbage": (_write(os.urandom(2048) + b"\x00\x01"), InputError, "not a text export"),
    "undecodable": (_write(b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n"), EncodingError, "line 2: not valid UTF-8"),
    "undecodable-after-5000-records": (_write(_late_bad_byte), EncodingError, "line 25002: not valid UTF-8"),
    "2-gigabytes": (_write(_sparse_2gb), FileTooLargeError, "larger than the import limit"),
    "truncated-xml": (
        lambda d: _truncated(d, "pubmed_xml/asreview_pubmed.xml", 40000),
        ParseError,
        r"bad\.ris: line \d+",
    ),
}


def _truncated(directory: Path, source: str, size: int) -> Path:
    path = directory / "bad.ris"
    path.write_bytes((EXPORTS / source).read_bytes()[:size])
    return path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_a_clear_error_and_changes_nothing(review, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    _import(factory, review_id, EXPORTS / "ris/cff_scopus.ris")
    before = _snapshot(factory)
    make, error, message = BAD_INPUTS[case]
    path = make(tmp_path)
    with pytest.raises(error, match=message) as raised:
        _import(factory, review_id, path)
    assert str(path) in str(raised.value)
    assert _snapshot(factory) == before


def test_truncated_ris_keeps_the_cut_record_with_a_note(review, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    factory, review_id = review
    text = (EXPORTS / "ris/cff_scopus.ris").read_text(encoding="utf-8-sig")
    cut = text[: text.rindex("ER  -")]
    path = tmp_path / "cut.ris"
    path.write_text(cut, encoding="utf-8")
    report = _import(factory, review_id, path)
    assert report.records == 10
    assert any("no ER line; kept" in note and "record 10" in note for note in report.diagnostics)
