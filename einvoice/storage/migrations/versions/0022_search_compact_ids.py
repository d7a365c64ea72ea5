"""the clerks' search finds seller identifiers also without their spaces

An invoice that writes its VAT id as "DE 123 456 789" keeps the compact form
beside it in ``search_text``, so "DE123456789" finds it. The text of the
invoices recorded before is written again where it changes.

Revision ID: 0022_search_compact_ids
Revises: 0021_binding_entered_by
Create Date: 2026-12-02 06:20:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0022_search_compact_ids"
down_revision = "0021_binding_entered_by"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    from einvoice.services.search import search_text

    bind = op.get_bind()
    invoices = sa.table(
        "invoices",
        sa.column("id", sa.Integer),
        sa.column("semantic", sa.JSON),
        sa.column("search_text", sa.Text),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(invoices.c.id, invoices.c.semantic, invoices.c.search_text)
            .where(invoices.c.id > last)
            .order_by(invoices.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            semantic = (
                row.semantic if not isinstance(row.semantic, str) else json.loads(row.semantic)
            )
            text = search_text(semantic or {})
            if text != row.search_text:
                bind.execute(
                    invoices.update().where(invoices.c.id == row.id).values(search_text=text)
                )
        last = rows[-1].id


def downgrade() -> None:
    pass  # the longer text does no harm to the earlier version
