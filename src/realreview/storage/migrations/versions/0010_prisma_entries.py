"""PRISMA counts entered by hand

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:08:11.827313
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prisma_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("box", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_prisma_entries_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prisma_entries")),
        sa.UniqueConstraint("review_id", "box", name="uq_prisma_entries_review_box"),
    )
    with op.batch_alter_table("prisma_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prisma_entries_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    """Drops the entered PRISMA counts."""
    with op.batch_alter_table("prisma_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prisma_entries_review_id"))

    op.drop_table("prisma_entries")
