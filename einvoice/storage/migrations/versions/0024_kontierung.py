"""chart of accounts, Kontierung of invoices, payment orders (Auszahlungsanordnung)

Revision ID: 0024_kontierung
Revises: 0023_payments
Create Date: 2026-12-06 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_kontierung"
down_revision = "0023_payments"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)
_MONEY = sa.Numeric(19, 2)


def upgrade() -> None:
    op.create_table(
        "chart_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_by", sa.String(128), nullable=False),
        sa.Column("imported_at", _TZ, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("funds", sa.Integer, nullable=False),
    )
    op.create_table(
        "buchungsstellen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("produkt", sa.String(48), nullable=False),
        sa.Column("sachkonto", sa.String(48), nullable=False),
        sa.Column("kostenstelle", sa.String(48), nullable=False),
        sa.Column("auftrag", sa.String(48), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_to", sa.Date),
        sa.Column("departments", sa.String(1000), nullable=False),
        sa.Column("bga", sa.Boolean, nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("chart_imports.id")),
    )
    op.create_table(
        "budget_funds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("available", _MONEY, nullable=False),
        sa.UniqueConstraint("key", "year", name="uq_budget_funds"),
    )
    op.create_table(
        "kontierungen",
        sa.Column("invoice_id", sa.Integer, sa.ForeignKey("invoices.id"), primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("assigned_by", sa.String(128), nullable=False),
        sa.Column("assigned_at", _TZ, nullable=False),
    )
    op.create_table(
        "kontierung_splits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "invoice_id", sa.Integer, sa.ForeignKey("kontierungen.invoice_id"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.UniqueConstraint("invoice_id", "position", name="uq_kontierung_split"),
    )
    op.create_index("ix_kontierung_splits_invoice_id", "kontierung_splits", ["invoice_id"])
    op.create_table(
        "kontierung_history",
        sa.Column("invoice_id", sa.Integer, primary_key=True),
        sa.Column("creditor", sa.String(255), nullable=False),
        sa.Column("buyer_reference", sa.String(255), nullable=False),
        sa.Column("department", sa.String(64), nullable=False),
        sa.Column("pattern", sa.Text, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_kontierung_history_creditor", "kontierung_history", ["creditor", "invoice_id"]
    )
    op.create_index(
        "ix_kontierung_history_buyer_reference",
        "kontierung_history",
        ["buyer_reference", "invoice_id"],
    )
    op.create_table(
        "kontierung_terms",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("hits", sa.Integer, nullable=False),
    )
    op.create_table(
        "payment_orders",
        sa.Column("invoice_id", sa.Integer, sa.ForeignKey("invoices.id"), primary_key=True),
        sa.Column("number", sa.String(16), nullable=False, unique=True),
        sa.Column("kasse", sa.String(255), nullable=False),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.String(512), nullable=False),
        sa.Column("payee_name", sa.String(512), nullable=False),
        sa.Column("creditor_number", sa.String(32)),
        sa.Column("iban", sa.String(34)),
        sa.Column("bic", sa.String(11)),
        sa.Column("iban_verified", sa.String(512), nullable=False),
        sa.Column("remittance", sa.String(512)),
        sa.Column("due_date", sa.Date),
        sa.Column("skonto_date", sa.Date),
        sa.Column("skonto_discount", _MONEY),
        sa.Column("skonto_amount_to_pay", _MONEY),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("department", sa.String(64), nullable=False),
        sa.Column("sachlich_by", sa.String(128), nullable=False),
        sa.Column("sachlich_at", _TZ),
        sa.Column("rechnerisch_by", sa.String(128), nullable=False),
        sa.Column("rechnerisch_at", _TZ),
        sa.Column("ordered_by", sa.String(128), nullable=False),
        sa.Column("ordered_for", sa.String(128)),
        sa.Column("ordered_at", _TZ, nullable=False),
        sa.Column("original_sha256", sa.String(64), nullable=False),
        sa.Column("budget_note", sa.Text, nullable=False),
    )
    op.create_index("ix_payment_orders_ordered_at", "payment_orders", ["ordered_at"])
    op.create_table(
        "payment_order_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "invoice_id", sa.Integer, sa.ForeignKey("payment_orders.invoice_id"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("net", _MONEY, nullable=False),
        sa.Column("vat", _MONEY, nullable=False),
        sa.Column("apart", sa.Boolean, nullable=False),
        sa.UniqueConstraint("invoice_id", "position", name="uq_payment_order_line"),
    )
    op.create_index("ix_payment_order_lines_invoice_id", "payment_order_lines", ["invoice_id"])
    op.create_index("ix_payment_order_lines_key", "payment_order_lines", ["key"])


def downgrade() -> None:
    for table in (
        "payment_order_lines",
        "payment_orders",
        "kontierung_terms",
        "kontierung_history",
        "kontierung_splits",
        "kontierungen",
        "budget_funds",
        "buchungsstellen",
        "chart_imports",
    ):
        op.drop_table(table)
