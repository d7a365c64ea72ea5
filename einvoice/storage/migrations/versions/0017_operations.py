"""operations: blob contents in the database, legal holds, retention tombstones

Revision ID: 0017_operations
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_operations"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_contents",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invoice_id", sa.Integer(), sa.ForeignKey("invoices.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(128), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(128), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_legal_holds_invoice_id", "legal_holds", ["invoice_id"])
    op.create_table(
        "retention_tombstones",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("retained_until", sa.Date(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("blobs", sa.Text(), nullable=False),
        sa.Column("invoices", sa.Text(), nullable=False),
        sa.UniqueConstraint("message_id"),
    )
    op.create_table(
        "deleted_blobs",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), primary_key=True),
        sa.Column(
            "tombstone_id",
            sa.Integer(),
            sa.ForeignKey("retention_tombstones.id"),
            nullable=False,
        ),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_deleted_blobs_tombstone_id", "deleted_blobs", ["tombstone_id"])


def downgrade() -> None:
    op.drop_index("ix_deleted_blobs_tombstone_id", "deleted_blobs")
    op.drop_table("deleted_blobs")
    op.drop_table("retention_tombstones")
    op.drop_index("ix_legal_holds_invoice_id", "legal_holds")
    op.drop_table("legal_holds")
    op.drop_table("blob_contents")
