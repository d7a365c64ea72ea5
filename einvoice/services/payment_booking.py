"""Writing what a payment file pays, in bulk: a file of 10,000 lines in a few statements.

:class:`PaidBook` collects, for every invoice the import marks paid, its
``invoice_payments`` and ``paid_invoices`` rows and its audit event (sealed
into the invoice's hash chain after the chain's current head), then writes
them with one multi-row statement per table and moves the chain heads on the
workflow rows with one versioned statement. A workflow changed by someone
else since it was read (its version moved) fails the import as a whole
(:class:`ConcurrentChange`; the caller's transaction rolls back and the import
is tried again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Insert,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from einvoice.domain.audit import AuditEntry, AuditEvent, seal
from einvoice.domain.payment_matching import Settlement
from einvoice.domain.payment_order_number import order_number
from einvoice.presentation.plurals import count_de
from einvoice.storage.payment_tables import InvoicePaymentRow, PaidInvoiceRow
from einvoice.storage.tables import AuditEventRow, Workflow

PAID_ACTION = "paid"  # an invoice's audit event: it was paid
_CHUNK = 5000  # ids in one IN list
_ROWS = 1000  # rows in one multi-row statement


def _table(mapped: type) -> Table:
    return cast(Table, mapped.__table__)  # type: ignore[attr-defined]


class ConcurrentChange(RuntimeError):
    """A workflow changed while the payment file was being recorded."""


@dataclass
class _Flow:
    status: str
    department: str | None
    version: int
    count: int  # events in the chain
    head: str  # the hash of the last one (kept on the workflow row)


class PaidBook:
    def __init__(self, session: Session, invoice_ids: Iterable[int]) -> None:
        self.session = session
        self.flows: dict[int, _Flow] = {}
        ids = sorted(set(invoice_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for invoice_id, status, department, version, count, head in session.execute(
                select(
                    Workflow.invoice_id,
                    Workflow.status,
                    Workflow.department,
                    Workflow.version,
                    Workflow.audit_count,
                    Workflow.audit_head,
                ).where(Workflow.invoice_id.in_(chunk))
            ):
                self.flows[invoice_id] = _Flow(status, department, version, count, head)
        self.payments: list[dict[str, Any]] = []
        self.paid: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.moved: set[int] = set()

    def pay(
        self,
        payment_id: int,
        settlement: Settlement,
        booked_on: date,
        actor: str,
        at: datetime,
        *,
        before: Decimal,
        details: dict[str, str],
    ) -> None:
        """Record that ``payment_id`` pays ``settlement`` (written by :meth:`write`)."""
        flow = self.flows[settlement.invoice_id]
        total = settlement.amount + before  # partial payments assigned before
        self.payments.append(
            {
                "invoice_id": settlement.invoice_id,
                "payment_id": payment_id,
                "amount": settlement.amount,
                "booked_on": booked_on,
            }
        )
        self.paid.append(
            {
                "invoice_id": settlement.invoice_id,
                "paid_on": booked_on,
                "amount": total,
                "skonto": settlement.skonto,
                "difference": Decimal(0),
                "recorded_by": actor,
                "recorded_at": at.astimezone(UTC),
            }
        )
        facts = {
            **details,
            "amount": format(total, "f"),
            "skonto": format(settlement.skonto, "f"),
            "paid_on": booked_on.isoformat(),
            "payment": str(payment_id),
            "order": order_number(settlement.invoice_id),
        }
        entry = AuditEntry(
            invoice_id=str(settlement.invoice_id),
            action=PAID_ACTION,
            actor=actor,
            at=at,
            from_state=flow.status,
            to_state=flow.status,
            department=flow.department,
            details=tuple(sorted(facts.items())),
        )
        # sealed after the chain's head as the workflow row records it (sequence and hash
        # are all that sealing takes from the previous event)
        previous = AuditEvent(flow.count - 1, entry, "", flow.head) if flow.count else None
        event = seal(entry, previous)
        flow.count, flow.head = event.sequence + 1, event.hash
        self.moved.add(settlement.invoice_id)
        self.events.append(
            {
                "invoice_id": settlement.invoice_id,
                "sequence": event.sequence,
                "action": entry.action,
                "actor": entry.actor,
                "at": at.astimezone(UTC),
                "from_state": entry.from_state,
                "to_state": entry.to_state,
                "reason": None,
                "department": entry.department,
                "acting_for": None,
                "details": dict(entry.details),
                "previous_hash": event.previous_hash,
                "hash": event.hash,
            }
        )

    def write(self, at: datetime) -> None:
        """Write everything recorded (in the caller's transaction)."""
        if not self.events:
            return
        connection = self.session.connection()  # Core: multi-row statements, nothing read back
        for mapped, rows in (
            (InvoicePaymentRow, self.payments),
            (PaidInvoiceRow, self.paid),
            (AuditEventRow, self.events),
        ):
            connection.execute(bulk_insert(connection, _table(mapped)), rows)
        moved = [
            (
                invoice_id,
                self.flows[invoice_id].version,
                self.flows[invoice_id].head,
                self.flows[invoice_id].count,
            )
            for invoice_id in sorted(self.moved)
        ]
        changed = _move_heads_each(connection, moved, at)
        if changed != len(moved):  # a version moved: someone changed the invoice meanwhile
            raise ConcurrentChange(
                f"{count_de(len(moved) - changed, 'Rechnung')} während des Einlesens geändert."
            )


_Head = tuple[int, int, str, int]  # invoice id, version read, new head, new count


def bulk_insert(connection: Connection, table: Table) -> Insert:
    """An INSERT for many rows: on SQLite with RETURNING, so SQLAlchemy batches the rows into
    multi-row statements (10,000 rows in a fraction of executemany's time); on PostgreSQL
    plain (psycopg sends an executemany in one pipeline, measured faster here)."""
    statement = insert(table)
    if connection.dialect.name == "sqlite":
        return statement.returning(*table.primary_key.columns)
    return statement


def _move_heads_each(connection: Connection, moved: list[_Head], at: datetime) -> int:
    """One versioned UPDATE per workflow (executemany), then counted."""
    flows = _table(Workflow)
    connection.execute(
        update(flows)
        .where(flows.c.invoice_id == bindparam("key"), flows.c.version == bindparam("old"))
        .values(
            audit_head=bindparam("head"),
            audit_count=bindparam("count"),
            version=flows.c.version + 1,
            updated_at=at.astimezone(UTC),
        ),
        [{"key": k, "old": v, "head": h, "count": c} for k, v, h, c in moved],
    )
    heads = {k: h for k, _, h, _ in moved}
    ids = sorted(heads)
    changed = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        changed += (
            connection.execute(
                select(func.count()).where(
                    flows.c.invoice_id.in_(chunk), flows.c.audit_head.in_([heads[i] for i in chunk])
                )
            ).scalar()
            or 0
        )
    return changed
