"""A whole review archived and restored (issue #13, item 5): every table, any database, ids remapped, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Interval, MetaData, Table, Text, select
from tests.services.archive_kit import archive, canonical, fill, row_counts, tables, unzip
from tests.services.conftest import ANA, TEXT, Review

from realreview import services
from realreview.access import PERMISSIONS, Action, Role
from realreview.coding import MemoTarget
from realreview.errors import ForbiddenError
from realreview.fulltext import FileStore
from realreview.services.archive_tables import ENTITY_TABLES, NOT_ARCHIVED, POINTERS, SHARED, plan
from realreview.services.audit import SERVICES
from realreview.storage.models import Base, UserRow


def _other_database(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """PostgreSQL for a review on SQLite, and SQLite for one on PostgreSQL: the round trip crosses over."""
    if database_url.startswith("sqlite"):
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'other.db'}"


def _restore(
    database: services.Database, data: bytes, store: FileStore, **kwargs: object
) -> services.RestoredReview:
    with database.unit_of_work(write=True) as session:
        return services.restore_review(
            session, data=data, name="review.zip", store=store, actor="restorer", **kwargs
        )  # type: ignore[arg-type]


def test_a_review_crosses_between_sqlite_and_postgresql_with_nothing_lost(
    review: Review, database_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    fill(review)
    first = archive(review)
    assert {name for name, count in first.rows.items() if count == 0} == set(), (
        "a table the scenario leaves empty"
    )
    assert first.files == 4 and first.missing_files == ()

    source = tables(first.data)
    for table in plan():  # every id that restore must rewrite is there to be rewritten
        for column in (*table.references, *table.self_references):
            assert any(row[column] is not None for row in source[table.name]), f"{table.name}.{column}"
    assert {row["target_kind"] for row in source["memos"]} == {kind.value for kind in MemoTarget}
    assert any(version["body"]["evidence"] for version in source["theory_versions"])

    other = services.connect(_other_database(database_url, request, tmp_path))
    store = FileStore(tmp_path / "other-files")
    try:
        _restore(other, first.data, store)  # a first copy, so that no new id equals its old one
        restored = _restore(other, first.data, store)
        with other.unit_of_work() as session:
            ctx = services.trusted_context(session, review_id=restored.id, actor="tester")
            second = services.archive_review(session, ctx, store=store)
    finally:
        other.close()

    a, b = canonical(first.data), canonical(second.data)
    assert b["audit_log"][-1]["action"] == "review.restore"  # the restore's own row, the only one added
    assert b["audit_log"][-1]["actor"] == "restorer"
    b["audit_log"].pop()
    assert a == b
    files = {name: body for name, body in unzip(first.data).items() if name.startswith("files/")}
    assert files == {name: body for name, body in unzip(second.data).items() if name.startswith("files/")}
    assert all(store.has(name.removeprefix("files/")) for name in files)
    assert restored.rows == dict(first.rows) and restored.source_review_id == review.review_id
    assert set(restored.accounts_matched) == {row["email"] for row in source["users"]}


def test_the_archive_lists_every_member_with_its_checksum_and_documents_itself(
    review: Review, database_url: str
) -> None:
    made = archive(review)
    members = unzip(made.data)
    manifest = json.loads(members["manifest.json"])

    assert (manifest["format"], manifest["format_version"]) == ("realreview-archive", 1)
    assert manifest["review"] == {"id": review.review_id, "title": "Equity QI"}
    assert manifest["schema_revision"] == services.migration_history(database_url)[-1][0]
    assert set(manifest["members"]) == set(members) - {"manifest.json"}
    assert set(manifest["tables"]) == {table.name for table in plan()}
    assert manifest["tables"]["records"]["rows"] == len(review.record_ids)
    assert b"realreview restore" in members["README.md"]
    document = json.loads(members["tables/documents.jsonl"].splitlines()[0])
    assert members[f"files/{document['sha256']}"] == TEXT.encode("utf-8")
    assert document["created_at"].endswith("+00:00")


def test_restoring_twice_gives_two_independent_reviews(review: Review) -> None:
    made = archive(review)
    one = _restore(review.database, made.data, review.store)
    two = _restore(review.database, made.data, review.store, title="Equity QI (copy)")

    assert len({review.review_id, one.id, two.id}) == 3
    assert two.title == "Equity QI (copy)"
    emails = {row["email"] for row in tables(made.data)["users"]}
    assert set(one.accounts_matched) == set(two.accounts_matched) == emails and not two.accounts_created
    with review.session() as session:
        services.create_code(
            session, services.review_context(session, review_id=one.id, email=ANA), name="Mine"
        )
        records = {
            review_id: {
                record.id
                for record in services.iter_records(
                    session, services.trusted_context(session, review_id=review_id, actor="tester")
                )
            }
            for review_id in (review.review_id, one.id, two.id)
        }
    first, second = (canonical(archive(review, review_id).data) for review_id in (one.id, two.id))
    assert len(first["codes"]) == len(second["codes"]) + 1 == len(canonical(made.data)["codes"]) + 1
    assert len(records[one.id]) == len(records[two.id]) == len(review.record_ids)
    assert records[review.review_id].isdisjoint(records[one.id] | records[two.id])
    assert records[one.id].isdisjoint(records[two.id])


def test_passwords_and_sessions_stay_out_and_a_new_account_has_no_password(
    review: Review, tmp_path: Path
) -> None:
    with review.session() as session:
        services.set_password(session, email=ANA, password="correct horse", actor="tester")
        services.sign_in(session, email=ANA, password="correct horse", client="192.0.2.1")
    made = archive(review)
    members = unzip(made.data)

    assert (
        b"password_hash" not in members["tables/users.jsonl"]
        and b"argon2" not in members["tables/users.jsonl"]
    )
    assert not any(name.startswith(("tables/sessions", "tables/login_throttles")) for name in members)
    other = services.connect(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        restored = _restore(other, made.data, FileStore(tmp_path / "other-files"))
        with other.unit_of_work() as session:
            assert session.scalars(select(UserRow.password_hash)).all() == [None] * 3
    finally:
        other.close()
    assert restored.accounts_matched == ()


def test_archiving_is_the_owner_s(review: Review) -> None:
    with review.session() as session, pytest.raises(ForbiddenError, match="to archive the whole review"):
        services.archive_review(session, review.ctx(session, ANA), store=review.store)
    assert PERMISSIONS[Action.ARCHIVE_REVIEW] == {Role.OWNER}


def test_a_missing_stored_file_is_named_and_the_review_still_archives(review: Review, tmp_path: Path) -> None:
    with review.session() as session:
        made = services.archive_review(session, review.ctx(session), store=FileStore(tmp_path / "empty"))
    assert made.files == 0 and len(made.missing_files) == 1
    restored = _restore(review.database, made.data, review.store)
    assert restored.files == 0
    assert row_counts(review.database)["documents"] == 2


def test_every_table_is_archived_or_set_aside_by_name() -> None:
    archived = {table.name for table in plan()}
    assert archived | set(NOT_ARCHIVED) == {table.name for table in Base.metadata.sorted_tables}
    assert archived.isdisjoint(NOT_ARCHIVED) and set(SHARED) <= archived


def _copy() -> MetaData:
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    return metadata


def test_a_table_added_later_is_archived_when_it_reaches_the_review() -> None:
    metadata = _copy()
    Table(
        "notes", metadata, Column("id", Integer, primary_key=True), Column("code_id", ForeignKey("codes.id"))
    )
    notes = next(table for table in plan(metadata) if table.name == "notes")
    assert dict(notes.references) == {"code_id": "codes"}


def test_a_table_added_later_outside_any_review_fails_until_it_is_classified() -> None:
    metadata = _copy()
    Table(
        "api_tokens",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id")),
    )
    with pytest.raises(TypeError, match="api_tokens"):
        plan(metadata)
    unknown = _copy()
    Table(
        "blobs",
        unknown,
        Column("id", Integer, primary_key=True),
        Column("review_id", ForeignKey("reviews.id")),
        Column("body", Text),
        Column("odd", Interval),
    )
    with pytest.raises(TypeError, match="blobs.odd"):
        plan(unknown)


def test_every_id_without_a_foreign_key_is_a_declared_pointer() -> None:
    """An integer ``*_id`` column without a foreign key would keep an old id on restore: declare it."""
    declared = {(p.table, p.column) for p in POINTERS}
    undeclared = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith("_id")
        and isinstance(column.type, Integer)
        and not column.foreign_keys
        and not column.primary_key
        and (table.name, column.name) not in declared
    ]
    assert undeclared == []
    memo = next(p for p in POINTERS if p.table == "memos")
    assert set(memo.targets) == {kind.value for kind in MemoTarget}
    entities = {spec.entity for spec in SERVICES.values() if spec.entity is not None}
    assert entities <= set(ENTITY_TABLES), entities - set(ENTITY_TABLES)
