"""Comparing a corrected invoice with the version it replaces (the correction loop)."""

from __future__ import annotations

from sqlalchemy import select

from einvoice.domain.version_changes import TermChange, changed_terms
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import Invoice

#: More changes than this are summarised (a wholly different invoice is no correction).
MAX_CHANGES = 60


def changes_from_previous(
    pipeline: Pipeline, invoice_id: int, previous_id: int | None
) -> list[TermChange] | None:
    """The business terms that changed from version ``previous_id`` to ``invoice_id``
    (None: there is no earlier version, or it cannot be read)."""
    if previous_id is None:
        return None
    query = select(Invoice.id, Invoice.semantic).where(Invoice.id.in_((invoice_id, previous_id)))
    with pipeline.sessions() as session:
        rows = {int(row.id): row.semantic for row in session.execute(query)}
    before, after = rows.get(previous_id), rows.get(invoice_id)
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    return changed_terms(before, after)
