"""queue indexes: open work of one office (status, department); open Skonto deadlines

Revision ID: 0020_queue_indexes
Revises: 0019_supplier_portal
Create Date: 2026-12-02 06:20:00
"""

from alembic import op

revision = "0020_queue_indexes"
down_revision = "0019_supplier_portal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the queue asks for "these open states in this office": with status first the
    # index serves the IN list and the office in one range scan (and still every
    # query on the status alone, which the old one-column index served)
    op.drop_index("ix_workflows_status", table_name="workflows")
    op.create_index("ix_workflows_status_department", "workflows", ["status", "department"])
    # the next open Skonto deadline per invoice, read from the index alone
    op.create_index("ix_deadlines_kind_due_on", "deadlines", ["kind", "due_on", "invoice_id"])


def downgrade() -> None:
    op.drop_index("ix_deadlines_kind_due_on", table_name="deadlines")
    op.drop_index("ix_workflows_status_department", table_name="workflows")
    op.create_index("ix_workflows_status", "workflows", ["status"])
