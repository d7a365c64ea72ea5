"""pipeline robustness: duplicate deliveries refer to their blob, document e-mails, outbox claims

Revision ID: 0015_robustness
Revises: 0013_accounts_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_robustness"
down_revision = "0013_accounts_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("duplicates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("raw_sha256", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            "fk_duplicates_raw_sha256_blobs", "blobs", ["raw_sha256"], ["sha256"]
        )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.alter_column("invoice_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_notifications_document_id_documents", "documents", ["document_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_document_id"), ["document_id"], unique=False
        )
        batch_op.create_unique_constraint("uq_notification_document_key", ["document_id", "key"])


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint("uq_notification_document_key", type_="unique")
        batch_op.drop_index(batch_op.f("ix_notifications_document_id"))
        batch_op.drop_constraint("fk_notifications_document_id_documents", type_="foreignkey")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("document_id")
        batch_op.alter_column("invoice_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("duplicates", schema=None) as batch_op:
        batch_op.drop_constraint("fk_duplicates_raw_sha256_blobs", type_="foreignkey")
        batch_op.drop_column("raw_sha256")
