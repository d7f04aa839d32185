"""Reports of included studies, figures reported only as totals, checklist entries, other-methods searches

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 17:38:28.024940
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=40), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_checklist_entries_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_entries")),
        sa.UniqueConstraint(
            "review_id", "standard", "item", name="uq_checklist_entries_review_standard_item"
        ),
    )
    with op.batch_alter_table("checklist_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_entries_review_id"), ["review_id"], unique=False)

    op.create_table(
        "reported_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_reported_figures_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_figures")),
        sa.UniqueConstraint("review_id", "topic", "label", name="uq_reported_figures_review_topic_label"),
    )
    with op.batch_alter_table("reported_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reported_figures_review_id"), ["review_id"], unique=False)

    op.create_table(
        "study_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("study_record_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked_by", sa.String(length=320), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_study_reports_record_id_records"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_study_reports_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["study_record_id"],
            ["records.id"],
            name=op.f("fk_study_reports_study_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_reports")),
        sa.UniqueConstraint("review_id", "record_id", name="uq_study_reports_review_record"),
    )
    with op.batch_alter_table("study_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_reports_review_id"), ["review_id"], unique=False)

    with op.batch_alter_table("searches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_kind", sa.String(length=20), nullable=True))


def downgrade() -> None:
    """Drops the three tables and the searches' source kind."""
    with op.batch_alter_table("searches", schema=None) as batch_op:
        batch_op.drop_column("source_kind")

    with op.batch_alter_table("study_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_reports_review_id"))

    op.drop_table("study_reports")
    with op.batch_alter_table("reported_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reported_figures_review_id"))

    op.drop_table("reported_figures")
    with op.batch_alter_table("checklist_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_entries_review_id"))

    op.drop_table("checklist_entries")
