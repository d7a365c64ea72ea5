"""the supplier portal's own list: messages by uploading account (source prefix)

Revision ID: 0019_supplier_portal
Revises: 0012_creditors
Create Date: 2026-12-02 01:05:00
"""

from alembic import op

revision = "0019_supplier_portal"
down_revision = "0012_creditors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "Meine Rechnungen" asks for source LIKE 'upload:<account>:%': a pattern index on
    # PostgreSQL serves the prefix under any collation; SQLite gets a plain index
    op.create_index(
        "ix_messages_source_prefix",
        "messages",
        ["source"],
        postgresql_ops={"source": "varchar_pattern_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_messages_source_prefix", table_name="messages")
