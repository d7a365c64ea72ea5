"""one payment read from the cash office's CSV and the bank's camt is one payment

Revision ID: 0027_same_payment
Revises: 0026_invoice_drafts
Create Date: 2026-12-07 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_same_payment"
down_revision = "0026_invoice_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("end_to_end", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("same_as", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_payments_same_as", "payments", ["same_as"], ["id"])
        batch.create_index("ix_payments_same_as", ["same_as"], unique=True)
        batch.create_index("ix_payments_amount_booked_on", ["amount", "booked_on"])


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_index("ix_payments_amount_booked_on")
        batch.drop_index("ix_payments_same_as")
        batch.drop_constraint("fk_payments_same_as", type_="foreignkey")
        batch.drop_column("same_as")
        batch.drop_column("end_to_end")
