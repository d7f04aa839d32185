"""Synthesis comments and the engagement log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:45:56.369287
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("group", sa.String(length=200), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("cmocs", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_engagements_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
    )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagements_review_id"), ["review_id"], unique=False)

    op.create_table(
        "synthesis_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("cmoc", sa.String(length=16), nullable=True),
        sa.Column("version", sa.String(length=100), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("addressed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("addressed_by", sa.String(length=320), nullable=True),
        sa.Column("addressed_in", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["synthesis_comments.id"],
            name=op.f("fk_synthesis_comments_parent_id_synthesis_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_synthesis_comments_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synthesis_comments")),
    )
    with op.batch_alter_table("synthesis_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_synthesis_comments_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    """Drops the comments and the engagement log."""
    with op.batch_alter_table("synthesis_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_synthesis_comments_review_id"))

    op.drop_table("synthesis_comments")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagements_review_id"))

    op.drop_table("engagements")
