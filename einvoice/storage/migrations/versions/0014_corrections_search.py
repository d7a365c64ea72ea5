"""corrections (replaces_id, version) and the clerks' search (search_text, indexes)

Revision ID: 0014_corrections_search
Revises: 0017_operations
Create Date: 2026-12-01 08:50:00
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014_corrections_search"
down_revision = "0017_operations"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch_op.create_index("ix_invoices_replaces_id", ["replaces_id"], unique=False)
        batch_op.create_index("ix_invoices_issue_date", ["issue_date"], unique=False)
        batch_op.create_foreign_key(
            "fk_invoices_replaces_id_invoices", "invoices", ["replaces_id"], ["id"]
        )
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workflows_department_status", ["department", "status"], unique=False
        )
    _backfill()
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_invoices_search_text_trgm",
        "invoices",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )


def _backfill() -> None:
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
            sa.select(invoices.c.id, invoices.c.semantic)
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
            bind.execute(
                invoices.update()
                .where(invoices.c.id == row.id)
                .values(search_text=search_text(semantic or {}))
            )
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_invoices_search_text_trgm", table_name="invoices")
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.drop_index("ix_workflows_department_status")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_constraint("fk_invoices_replaces_id_invoices", type_="foreignkey")
        batch_op.drop_index("ix_invoices_issue_date")
        batch_op.drop_index("ix_invoices_replaces_id")
        batch_op.drop_column("search_text")
        batch_op.drop_column("version")
        batch_op.drop_column("replaces_id")


# --- frozen: the search text as einvoice.services.search wrote it when this migration was
# made (a migration must not import code that can change later)

_MAX_TEXT = 8000


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [str(value.get("value") or value.get("id") or "")]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [str(value)]


def search_text(semantic: dict[str, Any]) -> str:
    """The words an invoice can be found by (lower case, IBANs without spaces)."""
    seller = semantic.get("BG-4") or {}
    words: list[str] = []
    words += _texts(semantic.get("BT-1"))
    words += _texts(seller.get("BT-27"))
    words += _texts(seller.get("BT-28"))
    for term in ("BT-29", "BT-30", "BT-31", "BT-32"):
        words += _texts(seller.get(term))
    payment = semantic.get("BG-16") or {}
    transfers = payment.get("BG-17") if isinstance(payment, dict) else None
    for transfer in transfers or []:
        if isinstance(transfer, dict):
            words += [t.replace(" ", "") for t in _texts(transfer.get("BT-84"))]
    for term in ("BT-10", "BT-12", "BT-13"):
        words += _texts(semantic.get(term))
    for line in semantic.get("BG-25") or []:
        item = line.get("BG-31") if isinstance(line, dict) else None
        if isinstance(item, dict):
            words += _texts(item.get("BT-153")) + _texts(item.get("BT-154"))
    text = " ".join(w.strip() for w in words if w and w.strip())
    return " ".join(text.split()).lower()[:_MAX_TEXT]
