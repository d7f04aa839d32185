"""Helpers for the archive tests: a review with something in every table, zips taken apart, canonical rows."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from tests.services.conftest import BEN, OWNER, Review
from tests.services.test_audit import SCENARIO

from realreview import services
from realreview.services.archive_tables import EMBEDDED, POINTERS, plan
from realreview.storage.models import Base

Members = dict[str, bytes]


def fill(review: Review) -> None:
    """Run every step of the audit scenario (each service that writes, once), and a little more.

    The scenario clears what it enters (a PRISMA count, a figure, a checklist item); those are
    entered once more, so their tables keep a row. Then every kind of id that hides from foreign
    keys gets one: a memo on each kind of target, a reply, and a theory version with evidence.
    """
    with review.session() as session:
        for name, (_actor, step) in SCENARIO.items():
            if name != "restore_review":
                step(session, review)
        for name, (_actor, step) in SCENARIO.items():
            if name.startswith("enter_"):
                step(session, review)
        ben, owner = review.ctx(session, BEN), review.ctx(session, OWNER)
        excerpt = services.excerpts_of_document(session, ben, document_id=review.document_id)[-1].id
        code = services.codebook(session, ben)[-1].id
        for kind, target in (("code", code), ("excerpt", excerpt), ("review", None)):
            services.add_memo(
                session, ben, target_kind=services.MemoTarget(kind), target_id=target, text=kind
            )
        services.appraise(
            session,
            ben,
            target_kind=services.MemoTarget.EXCERPT,
            target_id=excerpt,
            relevance="high",
            rigour="moderate",
        )
        services.link_evidence(session, ben, label="1B", component="outcome", excerpt_id=excerpt)
        services.snapshot_theory(session, owner, name="refined", note="with evidence")
        comment = services.comments_on(session, ben, cmoc="1A")[0].id
        services.add_comment(session, ben, body="Narrowed in the refined version.", reply_to=comment)


def archive(review: Review, review_id: int | None = None) -> services.ReviewArchive:
    with review.session() as session:
        ctx = services.trusted_context(session, review_id=review_id or review.review_id, actor="tester")
        return services.archive_review(session, ctx, store=review.store)


def unzip(data: bytes) -> Members:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(data: bytes, change: Callable[[Members], None], *, fix_manifest: bool = False) -> bytes:
    """The archive with its members changed; ``fix_manifest`` rewrites the checksums to match (a careful forger)."""
    members = unzip(data)
    change(members)
    if fix_manifest:
        manifest = json.loads(members["manifest.json"])
        manifest["members"] = {
            name: {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
            for name, body in members.items()
            if name != "manifest.json"
        }
        members["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def row_counts(database: services.Database) -> dict[str, int]:
    """Rows in every table of the database: what a refused restore must leave as it was."""
    with database.unit_of_work() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def tables(data: bytes) -> dict[str, list[dict[str, Any]]]:
    members = unzip(data)
    manifest = json.loads(members["manifest.json"])
    return {
        name: [json.loads(line) for line in members[f"tables/{name}.jsonl"].splitlines()]
        for name in manifest["tables"]
    }


def canonical(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """The archive's rows with every id replaced by the row's place in its table (accounts by e-mail).

    Two archives of the same review, from any two databases, are equal in this form.
    """
    rows = tables(data)
    place: dict[str, dict[Any, Any]] = {
        table.name: {row[table.key]: n for n, row in enumerate(rows[table.name])}
        for table in plan()
        if table.key is not None
    }
    place["users"] = {row["id"]: row["email"] for row in rows["users"]}

    def remap(table: str, row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        spec = next(t for t in plan() if t.name == table)
        if spec.key is not None:
            out[spec.key] = place[table][row[spec.key]]
        for column, target in spec.references.items():
            out[column] = None if row[column] is None else place[target][row[column]]
        for column in spec.self_references:
            out[column] = None if row[column] is None else place[table][row[column]]
        for pointer in (p for p in POINTERS if p.table == table):
            target = pointer.targets.get(row[pointer.kind_column], "")
            out[pointer.column] = place.get(target, {}).get(row[pointer.column])
        for embedded in (e for e in EMBEDDED if e.table == table):
            places = place[embedded.target]
            out[embedded.column] = embedded.remap(row[embedded.column], places.__getitem__)
        return out

    return {
        name: sorted((remap(name, row) for row in table_rows), key=lambda r: json.dumps(r, sort_keys=True))
        if name == "users"
        else [remap(name, row) for row in table_rows]
        for name, table_rows in rows.items()
    }
