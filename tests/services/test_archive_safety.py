"""A damaged, tampered, foreign or hostile archive is refused, its member named, before anything is written."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.services.archive_kit import Members, archive, rezip, row_counts, unzip
from tests.services.conftest import Review

from realreview import services
from realreview.errors import (
    EmptyFileError,
    FileTooLargeError,
    ParseError,
    ReviewError,
    UnknownFormatError,
    ValidationError,
)
from realreview.fulltext import FileStore


@pytest.fixture
def made(review: Review) -> bytes:
    return archive(review).data


def _restore(review: Review, data: bytes, tmp_path: Path) -> services.RestoredReview:
    with review.database.unit_of_work(write=True) as session:
        return services.restore_review(
            session,
            data=data,
            name="backup.zip",
            store=FileStore(tmp_path / "restore-files"),
            actor="restorer",
        )


def _refused(review: Review, data: bytes, tmp_path: Path, **limits: int) -> ReviewError:
    """Restore ``data``, expect a refusal, and check that no table and no stored file changed."""
    before = row_counts(review.database)
    store = FileStore(tmp_path / "restore-files")
    with pytest.raises(ReviewError) as refused, review.database.unit_of_work(write=True) as session:
        services.restore_review(
            session,
            data=data,
            name="backup.zip",
            store=store,
            actor="restorer",
            limits=services.ArchiveLimits(**limits),
        )
    assert row_counts(review.database) == before
    assert not store.root.exists() or not any(store.root.rglob("*"))
    assert str(refused.value).startswith("backup.zip")
    return refused.value


def _manifest(change: Callable[[dict[str, object]], None]) -> Callable[[Members], None]:
    def edit(members: Members) -> None:
        manifest = json.loads(members["manifest.json"])
        change(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return edit


def _records(edit: Callable[[bytes], bytes]) -> Callable[[Members], None]:
    def change(members: Members) -> None:
        members["tables/records.jsonl"] = edit(members["tables/records.jsonl"])

    return change


def test_a_changed_byte_in_a_table_fails_its_checksum(review: Review, made: bytes, tmp_path: Path) -> None:
    tampered = rezip(made, _records(lambda body: body.replace(b'"year":', b'"year": ', 1)))
    error = _refused(review, tampered, tmp_path)
    assert isinstance(error, ParseError)
    assert "member tables/records.jsonl does not match the SHA-256" in str(error)


def test_a_changed_byte_in_the_zip_itself_is_refused(review: Review, made: bytes, tmp_path: Path) -> None:
    at = made.index(b"tables/records.jsonl") + 200  # inside that member's compressed data
    damaged = made[:at] + bytes([made[at] ^ 0xFF]) + made[at + 1 :]
    assert "tables/records.jsonl" in str(_refused(review, damaged, tmp_path))


def test_a_missing_member_is_named(review: Review, made: bytes, tmp_path: Path) -> None:
    file = next(name for name in unzip(made) if name.startswith("files/"))
    error = _refused(review, rezip(made, lambda members: members.pop(file)), tmp_path)
    assert str(error) == f"backup.zip: member {file} is missing (the manifest lists it)"


def test_an_unexpected_member_is_named(review: Review, made: bytes, tmp_path: Path) -> None:
    error = _refused(review, rezip(made, lambda members: members.update({"notes.txt": b"hi"})), tmp_path)
    assert str(error) == "backup.zip: member notes.txt is not in the manifest: unexpected in an archive"


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/passwd", "tables/../../evil", "files\\x", "C:/x"])
def test_a_path_outside_the_archive_is_refused(
    review: Review, made: bytes, tmp_path: Path, member: str
) -> None:
    error = _refused(review, rezip(made, lambda members: members.update({member: b"x"})), tmp_path)
    assert isinstance(error, ParseError) and "unsafe member name" in str(error)


def test_an_unknown_format_version_is_refused(review: Review, made: bytes, tmp_path: Path) -> None:
    newer = rezip(made, _manifest(lambda manifest: manifest.update(format_version=2)))
    error = _refused(review, newer, tmp_path)
    assert isinstance(error, ValidationError) and "archive format version 2" in str(error)


def test_a_newer_schema_revision_is_refused(review: Review, made: bytes, tmp_path: Path) -> None:
    newer = rezip(made, _manifest(lambda manifest: manifest.update(schema_revision="9999")))
    error = _refused(review, newer, tmp_path)
    assert isinstance(error, ValidationError) and "schema 9999" in str(error)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", EmptyFileError),
        (b"PK\x03\x04 not really a zip", UnknownFormatError),
        (b"TY  - JOUR\nER  - \n", UnknownFormatError),
    ],
)
def test_what_is_no_archive_is_refused(review: Review, tmp_path: Path, data: bytes, kind: type) -> None:
    assert isinstance(_refused(review, data, tmp_path), kind)


def test_a_zip_without_a_manifest_or_of_another_format_is_refused(
    review: Review, made: bytes, tmp_path: Path
) -> None:
    bare = rezip(made, lambda members: members.pop("manifest.json"))
    assert "holds no manifest.json" in str(_refused(review, bare, tmp_path))
    other = rezip(made, _manifest(lambda manifest: manifest.update(format="refi-qda")))
    assert isinstance(_refused(review, other, tmp_path), UnknownFormatError)


def test_a_truncated_archive_is_refused(review: Review, made: bytes, tmp_path: Path) -> None:
    error = _refused(review, made[: len(made) // 2], tmp_path)
    assert isinstance(error, UnknownFormatError) and "not a readable zip" in str(error)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(review: Review, made: bytes, tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("manifest.json", b"{}")
        bomb.writestr("tables/records.jsonl", b"\0" * (64 << 20))
    error = _refused(review, out.getvalue(), tmp_path)
    assert isinstance(error, FileTooLargeError) and "member tables/records.jsonl" in str(error)
    assert "zip bomb" in str(error)


def test_limits_on_size_and_members_hold(review: Review, made: bytes, tmp_path: Path) -> None:
    assert isinstance(_refused(review, made, tmp_path, max_unpacked=1000), FileTooLargeError)
    assert "members, more than the 3 allowed" in str(_refused(review, made, tmp_path, max_members=3))


def _first_row(member: str, **values: object) -> Callable[[Members], None]:
    def change(members: Members) -> None:
        first, rest = members[member].split(b"\n", 1)
        members[member] = json.dumps({**json.loads(first), **values}).encode() + b"\n" + rest

    return change


@pytest.mark.parametrize(
    ("member", "values", "message"),
    [
        ("tables/documents.jsonl", {"record_id": 10**6}, "record_id 1000000 names no row of records"),
        ("tables/records.jsonl", {"year": "soon"}, "column year 'soon' is not an integer"),
        ("tables/records.jsonl", {"title": None, "raw": None, "position": None}, "column position is empty"),
        ("tables/review_members.jsonl", {"user_id": 10**6}, "user_id 1000000 names no row of users"),
        ("tables/reviews.jsonl", {"created_at": "2025-01-01T10:00:00"}, "has no UTC offset"),
        ("tables/records.jsonl", {"smuggled": 1}, "the row's columns are not those manifest.json lists"),
    ],
)
def test_a_careful_forger_still_meets_the_row_checks(
    review: Review, made: bytes, tmp_path: Path, member: str, values: dict[str, object], message: str
) -> None:
    """Checksums rewritten to match: a reference to no row, or a value of the wrong type, is still refused."""
    error = _refused(review, rezip(made, _first_row(member, **values), fix_manifest=True), tmp_path)
    assert f"member {member} line 1: " in str(error) and message in str(error), str(error)


def test_text_longer_than_its_column_is_refused_where_the_database_enforces_lengths(
    review: Review, made: bytes, tmp_path: Path, database_url: str
) -> None:
    """PostgreSQL would refuse the row half way; SQLite keeps it, so a SQLite restore does too."""
    longer = rezip(made, _first_row("tables/records.jsonl", pmid="1" * 21), fix_manifest=True)
    if database_url.startswith("sqlite"):
        restored = _restore(review, longer, tmp_path)
        assert restored.rows["records"] == len(review.record_ids)
        return
    error = _refused(review, longer, tmp_path)
    assert "member tables/records.jsonl line 1: column pmid is 21 characters long, more than the 20" in str(
        error
    )


def test_a_memo_on_a_code_the_archive_lacks_is_refused(review: Review, tmp_path: Path) -> None:
    with review.session() as session:
        services.add_memo(
            session,
            review.ctx(session),
            target_kind=services.MemoTarget.DOCUMENT,
            target_id=review.document_id,
            text="Read again.",
        )
    forged = rezip(archive(review).data, _first_row("tables/memos.jsonl", target_id=10**6), fix_manifest=True)
    assert "target_id 1000000 names no document in the archive" in str(_refused(review, forged, tmp_path))


def test_a_file_under_another_file_s_name_is_refused(review: Review, made: bytes, tmp_path: Path) -> None:
    file = next(name for name in unzip(made) if name.startswith("files/"))
    swapped = rezip(made, lambda members: members.update({file: b"another text"}), fix_manifest=True)
    assert (
        str(_refused(review, swapped, tmp_path))
        == f"backup.zip: member {file} does not hold the file its name gives"
    )


def test_row_counts_must_match_the_manifest(review: Review, made: bytes, tmp_path: Path) -> None:
    shorter = rezip(made, _records(lambda body: body.split(b"\n", 1)[1]), fix_manifest=True)
    error = _refused(review, shorter, tmp_path)
    assert "member tables/records.jsonl holds" in str(error) and "manifest.json says" in str(error)
