"""the clerks' search finds seller identifiers also without their spaces

An invoice that writes its VAT id as "DE 123 456 789" keeps the compact form
beside it in ``search_text``, so "DE123456789" finds it. The text of the
invoices recorded before is written again where it changes.

Revision ID: 0022_search_compact_ids
Revises: 0021_binding_entered_by
Create Date: 2026-12-02 06:20:00
"""

import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0022_search_compact_ids"
down_revision = "0021_binding_entered_by"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
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


# --- frozen: the search text as einvoice.services.search wrote it when this migration was
# made, with einvoice.domain.creditors.normal_id of then (a migration must not import code
# that can change later)

_MAX_TEXT = 8000
_NOISE = re.compile(r"[\s./\-]+")


def _normal_id(value: str | None) -> str:
    return _NOISE.sub("", value or "").upper()


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
        for identifier in _texts(seller.get(term)):
            # as written, and compact when written with separators ("DE 123 456 789")
            words += dict.fromkeys((identifier, _normal_id(identifier)))
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
