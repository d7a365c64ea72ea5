"""Is an invoice paid, when, with which Skonto? (read side of the payment import)

One place answers it for the clerk's invoice page, the supplier portal, the
pilot figures and retention (a paid invoice is closed): :func:`paid_in`
(one invoice), :func:`paid_map` (many), :func:`paid_label_de`
(``bezahlt am 05.12.2026 (12,34 € Skonto genutzt)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from einvoice.domain.payment_matching import euro
from einvoice.storage.payment_tables import InvoicePaymentRow, PaidInvoiceRow

_CHUNK = 5000  # ids in one IN list (SQLite allows 32,766 variables)


@dataclass(frozen=True, slots=True)
class Paid:
    invoice_id: int
    paid_on: date  # the booking day of the (last) payment
    amount: Decimal  # paid in all
    skonto: Decimal  # Skonto taken within the offer
    difference: Decimal  # any other shortfall (+) or excess (-) a person accepted
    recorded_by: str  # system: by the import itself; else the person who decided

    @property
    def label_de(self) -> str:
        return paid_label_de(self)

    @property
    def supplier_label_de(self) -> str:
        """What the supplier portal says (no internal decisions)."""
        text = f"Bezahlt am {self.paid_on:%d.%m.%Y}"
        if self.skonto > 0:
            text += f" ({euro(self.skonto)} Skonto genutzt)"
        return text


def paid_label_de(paid: Paid) -> str:
    text = f"bezahlt am {paid.paid_on:%d.%m.%Y}"
    notes = []
    if paid.skonto > 0:
        notes.append(f"{euro(paid.skonto)} Skonto genutzt")
    if paid.difference > 0:
        notes.append(f"{euro(paid.difference)} weniger, von {paid.recorded_by} akzeptiert")
    elif paid.difference < 0:
        notes.append(f"{euro(-paid.difference)} mehr, von {paid.recorded_by} akzeptiert")
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _paid(row: PaidInvoiceRow) -> Paid:
    return Paid(
        row.invoice_id,
        row.paid_on,
        Decimal(row.amount),
        Decimal(row.skonto),
        Decimal(row.difference),
        row.recorded_by,
    )


def paid_in(session: Session, invoice_id: int) -> Paid | None:
    row = session.get(PaidInvoiceRow, invoice_id)
    return _paid(row) if row is not None else None


def paid_map(session: Session, invoice_ids: Iterable[int]) -> dict[int, Paid]:
    ids = sorted(set(invoice_ids))
    found: dict[int, Paid] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.scalars(
            select(PaidInvoiceRow).where(PaidInvoiceRow.invoice_id.in_(chunk))
        ):
            found[row.invoice_id] = _paid(row)
    return found


def paid_so_far(session: Session, invoice_ids: Iterable[int]) -> dict[int, Decimal]:
    """What was paid on each invoice so far (partial payments included)."""
    ids = sorted(set(invoice_ids))
    found: dict[int, Decimal] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = session.execute(
            select(InvoicePaymentRow.invoice_id, func.sum(InvoicePaymentRow.amount))
            .where(InvoicePaymentRow.invoice_id.in_(chunk))
            .group_by(InvoicePaymentRow.invoice_id)
        )
        for invoice_id, total in rows:
            found[invoice_id] = Decimal(total or 0)
    return found


def all_paid(session: Session) -> dict[int, Paid]:
    """Every paid invoice (for the pilot figures)."""
    return {row.invoice_id: _paid(row) for row in session.scalars(select(PaidInvoiceRow))}
