"""Screening allocation, the stored dual-screening sample, removals of memos, codings and appraisals

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 15:45:00

A review that already had a dual-screening fraction gets its sample stored here, drawn exactly as
it was drawn on the fly before (same seed, same non-duplicate records), so no record moves.
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from realreview.screening.sampling import dual_sample

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screening_setups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("allocation", sa.String(length=20), nullable=False, server_default="shared")
        )
        batch_op.add_column(sa.Column("lead_reviewer", sa.String(length=320), nullable=True))
    sample = op.create_table(
        "screening_sample",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_screening_sample_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_screening_sample_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", "record_id", name=op.f("pk_screening_sample")),
    )
    for table in ("memos", "appraisals"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("removed_by", sa.String(length=320), nullable=True))
            batch_op.add_column(sa.Column("removal_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removal_reason", sa.Text(), nullable=True))
    _store_existing_samples(sample)


def _store_existing_samples(sample: sa.Table) -> None:
    """Store the sample each review drew on the fly until now, so upgrading moves no record."""
    bind = op.get_bind()
    setups = bind.execute(
        sa.text("SELECT review_id, dual_fraction, dual_seed FROM screening_setups WHERE dual_fraction > 0")
    ).all()
    now = dt.datetime.now(dt.UTC)
    for review_id, fraction, seed in setups:
        ids = bind.execute(
            sa.text("SELECT id FROM records WHERE review_id = :r AND duplicate_of IS NULL"), {"r": review_id}
        ).scalars()
        drawn = sorted(dual_sample(list(ids), fraction=fraction, seed=seed))
        if drawn:
            op.bulk_insert(
                sample,
                [{"review_id": review_id, "record_id": r, "reason": "setup", "drawn_at": now} for r in drawn],
            )


def downgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_column("removal_reason")
    for table in ("appraisals", "memos"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("removal_reason")
            batch_op.drop_column("removed_by")
            batch_op.drop_column("removed_at")
    op.drop_table("screening_sample")
    with op.batch_alter_table("screening_setups", schema=None) as batch_op:
        batch_op.drop_column("lead_reviewer")
        batch_op.drop_column("allocation")
