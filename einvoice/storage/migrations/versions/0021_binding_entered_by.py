"""four eyes on portal bindings: who entered a binding (or named its creditor)

Revision ID: 0021_binding_entered_by
Revises: 0020_queue_indexes
Create Date: 2026-12-02 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_binding_entered_by"
down_revision = "0020_queue_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL: asked for by the supplier at registration (anyone of creditor accounting decides)
    with op.batch_alter_table("portal_bindings") as batch:
        batch.add_column(sa.Column("entered_by", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("portal_bindings") as batch:
        batch.drop_column("entered_by")
