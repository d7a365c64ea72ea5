"""the supplier portal's Weberfassung: drafts of invoices typed in, with attachments (issue 26)

Revision ID: 0026_invoice_drafts
Revises: 0025_notification_cc
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_invoice_drafts"
down_revision = "0025_notification_cc"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "invoice_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("creditor_id", sa.Integer),
        sa.Column("corrects_invoice_id", sa.Integer),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.Integer),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("updated_at", _TZ, nullable=False),
        sa.Column("submitted_at", _TZ),
    )
    op.create_index("ix_invoice_drafts_account_id", "invoice_drafts", ["account_id"])
    op.create_table(
        "invoice_draft_attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("invoice_drafts.id"), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("mime_code", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", _TZ, nullable=False),
    )
    op.create_index(
        "ix_invoice_draft_attachments_draft_id", "invoice_draft_attachments", ["draft_id"]
    )


def downgrade() -> None:
    op.drop_table("invoice_draft_attachments")
    op.drop_table("invoice_drafts")
