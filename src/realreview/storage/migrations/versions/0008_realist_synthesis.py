"""Realist synthesis: clusters, CMOCs and their edits, relations, evidence links, theory versions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:07:10.085196
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cmoc_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_cmoc_relations_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cmoc_relations")),
        sa.UniqueConstraint("review_id", "source", "kind", "target", name="uq_cmoc_relations_edge"),
    )
    with op.batch_alter_table("cmoc_relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cmoc_relations_review_id"), ["review_id"], unique=False)

    op.create_table(
        "cmocs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("cluster", sa.String(length=40), nullable=False),
        sa.Column("subtheme", sa.Text(), nullable=True),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("mechanism", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_cmocs_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cmocs")),
        sa.UniqueConstraint("review_id", "label", name="uq_cmocs_review_label"),
    )
    with op.batch_alter_table("cmocs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cmocs_review_id"), ["review_id"], unique=False)

    op.create_table(
        "synthesis_clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "subthemes",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_synthesis_clusters_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synthesis_clusters")),
        sa.UniqueConstraint("review_id", "key", name="uq_synthesis_clusters_review_key"),
    )
    with op.batch_alter_table("synthesis_clusters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_synthesis_clusters_review_id"), ["review_id"], unique=False)

    op.create_table(
        "theory_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("body", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_theory_versions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theory_versions")),
        sa.UniqueConstraint("review_id", "name", name="uq_theory_versions_review_name"),
    )
    with op.batch_alter_table("theory_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theory_versions_review_id"), ["review_id"], unique=False)

    op.create_table(
        "cmoc_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cmoc_id", sa.Integer(), nullable=False),
        sa.Column(
            "changes",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("author", sa.String(length=320), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cmoc_id"], ["cmocs.id"], name=op.f("fk_cmoc_edits_cmoc_id_cmocs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cmoc_edits")),
    )
    with op.batch_alter_table("cmoc_edits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cmoc_edits_cmoc_id"), ["cmoc_id"], unique=False)

    op.create_table(
        "evidence_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("cmoc_id", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=20), nullable=False),
        sa.Column("excerpt_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("interpretation", sa.Text(), nullable=False),
        sa.Column(
            "answers",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=320), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cmoc_id"], ["cmocs.id"], name=op.f("fk_evidence_links_cmoc_id_cmocs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["excerpt_id"],
            ["excerpts.id"],
            name=op.f("fk_evidence_links_excerpt_id_excerpts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_evidence_links_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_links")),
        sa.UniqueConstraint(
            "cmoc_id", "component", "excerpt_id", name="uq_evidence_links_cmoc_component_excerpt"
        ),
    )
    with op.batch_alter_table("evidence_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_links_cmoc_id"), ["cmoc_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_links_excerpt_id"), ["excerpt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_links_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    """Drops the synthesis tables: every CMOC, link, relation and version is lost."""
    with op.batch_alter_table("evidence_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_links_review_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_links_excerpt_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_links_cmoc_id"))

    op.drop_table("evidence_links")
    with op.batch_alter_table("cmoc_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cmoc_edits_cmoc_id"))

    op.drop_table("cmoc_edits")
    with op.batch_alter_table("theory_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theory_versions_review_id"))

    op.drop_table("theory_versions")
    with op.batch_alter_table("synthesis_clusters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_synthesis_clusters_review_id"))

    op.drop_table("synthesis_clusters")
    with op.batch_alter_table("cmocs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cmocs_review_id"))

    op.drop_table("cmocs")
    with op.batch_alter_table("cmoc_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cmoc_relations_review_id"))

    op.drop_table("cmoc_relations")
