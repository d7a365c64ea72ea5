"""The open payments as people see them (creditor accounting's page, the invoice page) and the
decisions a person can take on one (:func:`einvoice.services.payments.decide` takes them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select

from einvoice.domain.payment_matching import OUTCOME_LABELS_DE, Outcome, euro
from einvoice.domain.payment_order_number import order_number
from einvoice.services.payment_status import Paid, paid_in
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import NotFound, aware
from einvoice.storage.payment_tables import InvoicePaymentRow, PaymentFileRow, PaymentRow


class Decision(StrEnum):
    PAID = "bezahlt"  # the payment pays the invoice (a difference needs a reason)
    PARTIAL = "teilzahlung"  # a part of the invoice; it stays open until the rest comes
    DISMISSED = "kein_bezug"  # no payment of an invoice (or handled elsewhere)


DECISION_LABELS_DE = {
    Decision.PAID: "bezahlt die Rechnung",
    Decision.PARTIAL: "Teilzahlung",
    Decision.DISMISSED: "kein Rechnungsbezug",
}


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: int
    file: str
    line: int
    booked_on: date
    amount: Decimal
    currency: str
    creditor_name: str | None
    creditor_iban: str | None
    remittance: str
    outcome: str
    outcome_label_de: str
    reason_de: str
    state: str
    orders: tuple[int, ...]
    proposal: int | None
    decision: str | None
    decided_invoice_id: int | None
    decided_by: str | None
    decided_at: datetime | None
    note: str | None
    same_as: int | None = None  # state "same": the payment read before from the other source

    @property
    def amount_de(self) -> str:
        return euro(self.amount)

    @property
    def decision_label_de(self) -> str:
        return DECISION_LABELS_DE[Decision(self.decision)] if self.decision else ""

    @property
    def suggested_invoice(self) -> int | None:
        """The invoice a decision most likely concerns (the order named, else the proposal)."""
        if len(self.orders) == 1:
            return self.orders[0]
        return self.proposal

    @property
    def order_numbers(self) -> str:
        return ", ".join(order_number(i) for i in self.orders)


def view_of(row: PaymentRow, filename: str) -> PaymentView:
    outcome = Outcome(row.outcome)
    return PaymentView(
        id=row.id,
        file=filename,
        line=row.line,
        booked_on=row.booked_on,
        amount=Decimal(row.amount),
        currency=row.currency,
        creditor_name=row.creditor_name,
        creditor_iban=row.creditor_iban,
        remittance=row.remittance,
        outcome=outcome.value,
        outcome_label_de=OUTCOME_LABELS_DE[outcome],
        reason_de=row.reason_de,
        state=row.state,
        orders=tuple(int(i) for i in row.orders.split(",") if i),
        proposal=row.proposal_invoice_id,
        decision=row.decision,
        decided_invoice_id=row.decided_invoice_id,
        decided_by=row.decided_by,
        decided_at=aware(row.decided_at) if row.decided_at else None,
        note=row.note,
        same_as=row.same_as,
    )


def open_payments(pipeline: Pipeline, limit: int = 500) -> list[PaymentView]:
    """Payments waiting for a person of creditor accounting, oldest first."""
    with pipeline.sessions() as session:
        rows = session.execute(
            select(PaymentRow, PaymentFileRow.filename)
            .join(PaymentFileRow, PaymentFileRow.id == PaymentRow.file_id)
            .where(PaymentRow.state == "open")
            .order_by(PaymentRow.booked_on, PaymentRow.id)
            .limit(limit)
        ).all()
        return [view_of(r, f) for r, f in rows]


def payment_view(pipeline: Pipeline, payment_id: int) -> PaymentView:
    with pipeline.sessions() as session:
        found = session.execute(
            select(PaymentRow, PaymentFileRow.filename)
            .join(PaymentFileRow, PaymentFileRow.id == PaymentRow.file_id)
            .where(PaymentRow.id == payment_id)
        ).first()
        if found is None:
            raise NotFound(f"Die Zahlung {payment_id} gibt es nicht.")
        return view_of(found[0], found[1])


def payments_of_invoice(
    pipeline: Pipeline, invoice_id: int
) -> tuple[Paid | None, list[PaymentView]]:
    """The invoice's paid state and every payment that concerns it (for its page)."""
    with pipeline.sessions() as session:
        paid = paid_in(session, invoice_id)
        assigned = select(InvoicePaymentRow.payment_id).where(
            InvoicePaymentRow.invoice_id == invoice_id
        )
        rows = session.execute(
            select(PaymentRow, PaymentFileRow.filename)
            .join(PaymentFileRow, PaymentFileRow.id == PaymentRow.file_id)
            .where(
                (PaymentRow.id.in_(assigned))
                | (PaymentRow.proposal_invoice_id == invoice_id)
                | (PaymentRow.decided_invoice_id == invoice_id)
                | (PaymentRow.orders == str(invoice_id))
            )
            .order_by(PaymentRow.booked_on, PaymentRow.id)
        ).all()
        return paid, [view_of(r, f) for r, f in rows]
