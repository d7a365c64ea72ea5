"""mailbox polls: cause of the error, failures in a row, failing since

Revision ID: 0018_mailbox_polls
Revises: 0015_robustness
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_mailbox_polls"
down_revision = "0015_robustness"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_polls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cause", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("failures", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_polls", schema=None) as batch_op:
        batch_op.drop_column("failing_since")
        batch_op.drop_column("failures")
        batch_op.drop_column("cause")
