"""payments that came back: payment files, payments, invoices paid (issue 24)

Revision ID: 0023_payments
Revises: 0022_search_compact_ids
Create Date: 2026-12-06 18:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_payments"
down_revision = "0022_search_compact_ids"
branch_labels = None
depends_on = None

_MONEY = sa.Numeric(19, 4)
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "payment_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(length=64), sa.ForeignKey("blobs.sha256"), nullable=False),
        sa.Column("filename", sa.String(length=512), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("accounts", sa.String(length=512), nullable=False),
        sa.Column("imported_by", sa.String(length=128), nullable=False),
        sa.Column("imported_at", _AT, nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("known", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("open", sa.Integer(), nullable=False),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("payment_files.id"), nullable=False),
        sa.Column("entry_key", sa.String(length=255), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("creditor_iban", sa.String(length=34), nullable=True),
        sa.Column("creditor_name", sa.String(length=512), nullable=True),
        sa.Column("remittance", sa.Text(), nullable=False),
        sa.Column("orders", sa.String(length=512), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason_de", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("proposal_invoice_id", sa.Integer(), sa.ForeignKey("invoices.id"), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_invoice_id", sa.Integer(), sa.ForeignKey("invoices.id"), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", _AT, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("entry_key"),
    )
    op.create_index("ix_payments_file_id", "payments", ["file_id"])
    op.create_index("ix_payments_decided_invoice_id", "payments", ["decided_invoice_id"])
    op.create_index("ix_payments_state_booked_on", "payments", ["state", "booked_on"])
    op.create_table(
        "invoice_payments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invoice_id", sa.Integer(), sa.ForeignKey("invoices.id"), nullable=False),
        sa.Column("payment_id", sa.Integer(), sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_invoice_payments_invoice_id", "invoice_payments", ["invoice_id"])
    op.create_index("ix_invoice_payments_payment_id", "invoice_payments", ["payment_id"])
    op.create_table(
        "paid_invoices",
        sa.Column("invoice_id", sa.Integer(), sa.ForeignKey("invoices.id"), primary_key=True),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("skonto", _MONEY, nullable=False),
        sa.Column("difference", _MONEY, nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", _AT, nullable=False),
    )
    op.create_index("ix_paid_invoices_paid_on", "paid_invoices", ["paid_on"])


def downgrade() -> None:
    op.drop_index("ix_paid_invoices_paid_on", table_name="paid_invoices")
    op.drop_table("paid_invoices")
    op.drop_index("ix_invoice_payments_payment_id", table_name="invoice_payments")
    op.drop_index("ix_invoice_payments_invoice_id", table_name="invoice_payments")
    op.drop_table("invoice_payments")
    op.drop_index("ix_payments_state_booked_on", table_name="payments")
    op.drop_index("ix_payments_decided_invoice_id", table_name="payments")
    op.drop_index("ix_payments_file_id", table_name="payments")
    op.drop_table("payments")
    op.drop_table("payment_files")
