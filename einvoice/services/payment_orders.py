"""The ordered invoices a payment can pay: "ordered invoice by id".

An invoice is ordered when it has its Auszahlungsanordnung (``payment_orders``,
frozen at the order), or its workflow carries the Anordnung (status
``angeordnet``, or ``exported``: handed to the cash office), or it has a line in
the HKR export. Only :func:`ordered_invoices` decides this; the import and the
decisions ask nothing else. The payee's account of the order counts as the
creditor's for proposals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from einvoice.domain.approval import Status
from einvoice.domain.payment_matching import OrderedInvoice, SkontoOffer
from einvoice.services.payment_status import paid_map, paid_so_far
from einvoice.services.workflow_base import aware
from einvoice.storage.creditor_tables import CreditorAccountRow, InvoiceSupplierRow
from einvoice.storage.kontierung_tables import PaymentOrderRow
from einvoice.storage.tables import AuditEventRow, DeadlineRow, ExportRecord, Invoice, Workflow

ORDERED = (Status.ANGEORDNET.value, Status.EXPORTED.value)
_CHUNK = 5000  # ids in one IN list (SQLite allows 32,766 variables)


def ordered_invoice(session: Session, invoice_id: int) -> OrderedInvoice | None:
    """The ordered invoice ``invoice_id``, or None when there is no such order."""
    return ordered_invoices(session, [invoice_id]).get(invoice_id)


def ordered_invoices(session: Session, invoice_ids: Iterable[int]) -> dict[int, OrderedInvoice]:
    """Those of ``invoice_ids`` that are ordered invoices (set-based: a few queries per 900)."""
    ids = sorted(set(invoice_ids))
    found: dict[int, OrderedInvoice] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update(_chunk(session, ids[start : start + _CHUNK]))
    return found


def _chunk(session: Session, ids: list[int]) -> dict[int, OrderedInvoice]:
    exported = select(ExportRecord.invoice_id).where(ExportRecord.invoice_id.in_(ids))
    with_order = select(PaymentOrderRow.invoice_id).where(PaymentOrderRow.invoice_id.in_(ids))
    rows = session.execute(
        select(
            Workflow.invoice_id,
            Workflow.amount,
            Workflow.currency,
            Workflow.received_on,
            Invoice.seller_name,
            InvoiceSupplierRow.ibans,
            InvoiceSupplierRow.creditor_id,
            PaymentOrderRow.iban,
        )
        .join(Invoice, Invoice.id == Workflow.invoice_id)
        .outerjoin(InvoiceSupplierRow, InvoiceSupplierRow.invoice_id == Workflow.invoice_id)
        .outerjoin(PaymentOrderRow, PaymentOrderRow.invoice_id == Workflow.invoice_id)
        .where(
            Workflow.invoice_id.in_(ids),
            or_(
                Workflow.status.in_(ORDERED),
                Workflow.invoice_id.in_(exported),
                Workflow.invoice_id.in_(with_order),
            ),
        )
    ).all()
    if not rows:
        return {}
    present = [r[0] for r in rows]
    offers: dict[int, list[SkontoOffer]] = {}
    for invoice_id, due_on, discount, to_pay in session.execute(
        select(
            DeadlineRow.invoice_id,
            DeadlineRow.due_on,
            DeadlineRow.discount,
            DeadlineRow.amount_to_pay,
        ).where(
            DeadlineRow.invoice_id.in_(present),
            DeadlineRow.kind == "skonto",
            DeadlineRow.discount.is_not(None),
            DeadlineRow.amount_to_pay.is_not(None),
        )
    ):
        if discount is not None and to_pay is not None:
            offers.setdefault(invoice_id, []).append(
                SkontoOffer(due_on, Decimal(discount), Decimal(to_pay))
            )
    ordered_on: dict[int, date] = {}
    for invoice_id, at in session.execute(
        select(AuditEventRow.invoice_id, AuditEventRow.at).where(
            AuditEventRow.invoice_id.in_(present),
            AuditEventRow.to_state == Status.ANGEORDNET.value,
            AuditEventRow.action == "order",
        )
    ):
        day = aware(at).date()
        if invoice_id not in ordered_on or day < ordered_on[invoice_id]:
            ordered_on[invoice_id] = day
    creditor_ids = {r[6] for r in rows if r[6] is not None}
    master: dict[int, list[str]] = {}
    if creditor_ids:
        for owner, iban in session.execute(
            select(CreditorAccountRow.creditor_id, CreditorAccountRow.iban).where(
                CreditorAccountRow.creditor_id.in_(creditor_ids)
            )
        ):
            master.setdefault(owner, []).append(iban)
    paid = paid_map(session, present)
    so_far = paid_so_far(session, present)
    found = {}
    for invoice_id, amount, currency, received_on, seller, ibans, creditor_id, paid_to in rows:
        accounts = [paid_to] if paid_to else []
        accounts += [i for i in (ibans or "").split(",") if i]
        accounts += master.get(creditor_id, []) if creditor_id is not None else []
        done = paid.get(invoice_id)
        found[invoice_id] = OrderedInvoice(
            invoice_id=invoice_id,
            amount_due=Decimal(amount),
            currency=currency,
            skonto=tuple(sorted(offers.get(invoice_id, []), key=lambda o: o.deadline)),
            paid_on=done.paid_on if done else None,
            paid_so_far=so_far.get(invoice_id, Decimal(0)),
            ibans=tuple(dict.fromkeys(accounts)),
            creditor_name=seller,
            ordered_on=ordered_on.get(invoice_id),
            received_on=received_on,
        )
    return found


def candidates(session: Session, amount: Decimal) -> dict[int, OrderedInvoice]:
    """Ordered invoices whose amount due, or a Skonto amount, is ``amount`` (for proposals)."""
    by_amount = select(Workflow.invoice_id).where(
        Workflow.amount == amount, Workflow.status.in_(ORDERED)
    )
    by_skonto = select(DeadlineRow.invoice_id).where(
        DeadlineRow.kind == "skonto", DeadlineRow.amount_to_pay == amount
    )
    ids = set(session.scalars(by_amount).all()) | set(session.scalars(by_skonto).all())
    return ordered_invoices(session, ids) if ids else {}
