"""Duplicate suspicion independent of order and timing (issue 21, finding 8).

Whenever an invoice is routed it is compared with every other routed invoice of the
same creditor (or seller, or the same bytes), in both directions: of a suspicious pair
the later one (higher id: received later) is the one held ``possible-duplicate`` -
whichever of the two was routed first. Routing the earlier one after the later (a job
re-queued after a fault) therefore holds the later one then. When the later one is
already exported (paid) or the pair is otherwise past holding, the one routed now is
held instead.

Concurrent routing is made safe by a lock per comparison key taken before the
comparison: PostgreSQL transaction-level advisory locks (in a fixed order, so two
routers never wait for each other in a circle); SQLite runs one writer at a time and
the routing transaction has written (its workflow row) before it compares, so a second
router compares only after the first committed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from einvoice.domain import holds as rules
from einvoice.domain.approval import Status
from einvoice.domain.holds import Placement
from einvoice.storage.creditor_tables import InvoiceSupplierRow
from einvoice.storage.tables import Document, Invoice, Workflow

#: Invoices that no longer compete for a payment (closed without one).
CLOSED_STATES = ("rejected", "returned_to_supplier", "replaced")
#: A later invoice in these states is not held any more: the one routed now is.
PAST_HOLDING = (Status.EXPORTED.value,)
MAX_COMPARED = 500


@dataclass(frozen=True, slots=True)
class Suspicion:
    """What routing one invoice found: its own hold, and holds for later invoices."""

    here: Placement | None
    later: tuple[tuple[int, Placement], ...]  # (invoice id, hold for it)


def lock_keys(creditor_id: int | None, seller_key: str, sha256: str) -> list[int]:
    """The advisory lock ids of the comparison keys, sorted (a fixed order: no deadlock)."""
    names = [f"dup:sha:{sha256}"]
    if seller_key:
        names.append(f"dup:seller:{seller_key}")
    if creditor_id is not None:
        names.append(f"dup:creditor:{creditor_id}")
    ids = {
        int.from_bytes(hashlib.sha256(n.encode()).digest()[:8], "big", signed=True) for n in names
    }
    return sorted(ids)


def _lock(session: Session, keys: list[int]) -> None:
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        session.flush()  # SQLite: this transaction writes first, so it holds the one write lock
        return
    for key in keys:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def suspect(
    session: Session,
    invoice: Invoice,
    document: Document,
    row: Workflow,
    creditor_id: int | None,
    window_days: int,
) -> Suspicion:
    """Compare the invoice being routed with all others (see the module docstring)."""
    _lock(session, lock_keys(creditor_id, invoice.seller_key, document.sha256))
    same = [Invoice.seller_key == invoice.seller_key, Document.sha256 == document.sha256]
    if creditor_id is not None:
        same.append(InvoiceSupplierRow.creditor_id == creditor_id)
    query = (
        select(
            Invoice.id,
            Invoice.seller_key,
            Invoice.number,
            Workflow.amount,
            Workflow.received_on,
            Workflow.status,
            Document.sha256,
            InvoiceSupplierRow.creditor_id,
        )
        .join(Workflow, Workflow.invoice_id == Invoice.id)
        .join(Document, Document.id == Invoice.document_id)
        .outerjoin(InvoiceSupplierRow, InvoiceSupplierRow.invoice_id == Invoice.id)
        .where(Invoice.id != invoice.id, Workflow.status.not_in(CLOSED_STATES), or_(*same))
        .order_by(Invoice.id)
        .limit(MAX_COMPARED)
    )
    this = rules.ThisInvoice(
        creditor_id,
        invoice.seller_key,
        invoice.number,
        row.amount,
        row.received_on,
        document.sha256,
    )
    this_as_other = rules.EarlierInvoice(
        invoice.id,
        creditor_id,
        invoice.seller_key,
        invoice.number,
        row.amount,
        row.received_on,
        document.sha256,
    )
    compared_here: list[rules.EarlierInvoice] = []
    later: list[tuple[int, Placement]] = []
    for r in session.execute(query):
        other = rules.EarlierInvoice(
            r.id, r.creditor_id, r.seller_key, r.number, r.amount, r.received_on, r.sha256
        )
        if r.id < invoice.id or r.status in PAST_HOLDING:
            compared_here.append(other)
            continue
        other_now = rules.ThisInvoice(
            r.creditor_id, r.seller_key, r.number, r.amount, r.received_on, r.sha256
        )
        placement = rules.duplicate_of(other_now, [this_as_other], window_days)
        if placement is not None:
            later.append((r.id, placement))
    here = rules.duplicate_of(this, compared_here, window_days)
    return Suspicion(here, tuple(later))


__all__ = ["CLOSED_STATES", "Suspicion", "lock_keys", "suspect"]
