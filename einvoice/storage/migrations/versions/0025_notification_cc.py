"""supplier e-mails in copy: the invoice's address beside the uploader's (issue 25)

Revision ID: 0025_notification_cc
Revises: 0024_kontierung
Create Date: 2026-12-06 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_notification_cc"
down_revision = "0024_kontierung"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("cc", sa.String(length=512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("cc")
