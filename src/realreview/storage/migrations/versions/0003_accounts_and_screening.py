"""Accounts, review members and screening: setup, decision events, resolutions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 02:09:34.729295
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_records_review_duplicate", ["review_id", "duplicate_of", "id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "review_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_review_members_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_review_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_members")),
        sa.UniqueConstraint("review_id", "user_id", name="uq_review_members_review_user"),
    )
    with op.batch_alter_table("review_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_members_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "screening_setups",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column(
            "inclusion",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "exclusion",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "exclusion_reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "include_words",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "exclude_words",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("blinded", sa.Boolean(), nullable=False),
        sa.Column("dual_fraction", sa.Float(), nullable=False),
        sa.Column("dual_seed", sa.Integer(), nullable=False),
        sa.Column("maybe_rule", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_screening_setups_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_screening_setups")),
    )
    op.create_table(
        "screening_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=320), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_screening_events_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_screening_events_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_events")),
    )
    with op.batch_alter_table("screening_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_events_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_screening_events_review_stage", ["review_id", "stage", "id"], unique=False)
        batch_op.create_index(
            "ix_screening_events_reviewer", ["review_id", "stage", "reviewer", "record_id"], unique=False
        )

    op.create_table(
        "screening_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_screening_resolutions_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_screening_resolutions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_resolutions")),
    )
    with op.batch_alter_table("screening_resolutions", schema=None) as batch_op:
        batch_op.create_index("ix_screening_resolutions_review_stage", ["review_id", "stage"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_review_duplicate")

    with op.batch_alter_table("screening_resolutions", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_resolutions_review_stage")

    op.drop_table("screening_resolutions")
    with op.batch_alter_table("screening_events", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_events_reviewer")
        batch_op.drop_index("ix_screening_events_review_stage")
        batch_op.drop_index(batch_op.f("ix_screening_events_record_id"))

    op.drop_table("screening_events")
    op.drop_table("screening_setups")
    with op.batch_alter_table("review_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_review_members_review_id"))

    op.drop_table("review_members")
    op.drop_table("users")
