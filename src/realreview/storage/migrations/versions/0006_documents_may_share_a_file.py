"""Documents may share a stored file (REFI-QDA sources with the same content)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 16:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("uq_documents_review_sha256", type_="unique")
        batch_op.create_index("ix_documents_review_sha256", ["review_id", "sha256"], unique=False)


def downgrade() -> None:
    """Fails where two documents share a file by then: that is the data this revision allows."""
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_review_sha256")
        batch_op.create_unique_constraint("uq_documents_review_sha256", ["review_id", "sha256"])
