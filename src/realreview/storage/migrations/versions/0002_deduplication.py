"""Deduplication: records.duplicate_of, dedup runs, explained links and reviewer decisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 20:45:38.533412
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dedup_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_dedup_runs_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dedup_runs")),
    )
    with op.batch_alter_table("dedup_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dedup_runs_review_id"), ["review_id"], unique=False)

    op.create_table(
        "dedup_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("record_a_id", sa.Integer(), nullable=False),
        sa.Column("record_b_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_a_id"],
            ["records.id"],
            name=op.f("fk_dedup_decisions_record_a_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_b_id"],
            ["records.id"],
            name=op.f("fk_dedup_decisions_record_b_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_dedup_decisions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dedup_decisions")),
    )
    with op.batch_alter_table("dedup_decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dedup_decisions_pair", ["review_id", "record_a_id", "record_b_id"], unique=False
        )

    op.create_table(
        "dedup_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("record_a_id", sa.Integer(), nullable=False),
        sa.Column("record_b_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "agreed",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "conflicted",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_a_id"],
            ["records.id"],
            name=op.f("fk_dedup_links_record_a_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_b_id"],
            ["records.id"],
            name=op.f("fk_dedup_links_record_b_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_dedup_links_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["dedup_runs.id"], name=op.f("fk_dedup_links_run_id_dedup_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dedup_links")),
    )
    with op.batch_alter_table("dedup_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dedup_links_review_id"), ["review_id"], unique=False)
        batch_op.create_index("ix_dedup_links_run_status", ["run_id", "status"], unique=False)

    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duplicate_of", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_records_duplicate_of"), ["duplicate_of"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_records_duplicate_of_records"),
            "records",
            ["duplicate_of"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_records_duplicate_of_records"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_records_duplicate_of"))
        batch_op.drop_column("duplicate_of")

    with op.batch_alter_table("dedup_links", schema=None) as batch_op:
        batch_op.drop_index("ix_dedup_links_run_status")
        batch_op.drop_index(batch_op.f("ix_dedup_links_review_id"))

    op.drop_table("dedup_links")
    with op.batch_alter_table("dedup_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_dedup_decisions_pair")

    op.drop_table("dedup_decisions")
    with op.batch_alter_table("dedup_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dedup_runs_review_id"))

    op.drop_table("dedup_runs")
