"""The demo's payment file: the bank's camt.054 for the invoices the demo city ordered.

The cash office pays each ordered invoice two working days after its order
(never after today), taking the Skonto the invoice still offers on that day;
one payment is short (a partial payment), so the page "Zahlungen" has
something for creditor accounting to decide. Creditor accounting reads the
file like any other (:func:`einvoice.services.payments.import_file`), so the
Stabsstelle's figures show the Skonto realised from real payments.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from einvoice.domain.payment_order_number import order_number
from einvoice.formats.payment_files import PaymentSettings
from einvoice.samplegen.payments import SamplePayment, camt
from einvoice.services.payment_orders import ORDERED, ordered_invoices
from einvoice.services.payments import ImportResult, import_file
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import Workflow

FILENAME = "camt054-demo.xml"


def _working_days_later(day: date, days: int) -> date:
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def demo_payment_file(pipeline: Pipeline, today: date, account: str) -> bytes | None:
    """The camt.054 paying the ordered invoices (None when nothing is ordered)."""
    with pipeline.sessions() as session:
        ids = session.scalars(select(Workflow.invoice_id).where(Workflow.status.in_(ORDERED)))
        orders = sorted(ordered_invoices(session, ids.all()).values(), key=lambda o: o.invoice_id)
    payments = []
    for position, order in enumerate(orders):
        start = order.ordered_on or order.received_on or today
        booked = min(_working_days_later(start, 2), today)
        amount = order.amount_due - order.skonto_allowed(booked)
        if position == len(orders) - 1 and len(orders) > 1:
            amount = (order.amount_due / 2).quantize(Decimal("0.01"))  # a partial payment
        name = order.creditor_name or ""
        iban = order.ibans[0] if order.ibans else None
        payments.append(
            SamplePayment(
                amount,
                booked,
                f"{order_number(order.invoice_id)} Rechnung vom {start:%d.%m.%Y}",
                f"DEMO-{today:%Y%m%d}-{order.invoice_id:07d}",
                iban,
                name,
            )
        )
    if not payments:
        return None
    return camt(account, payments, message_id=f"DEMO-{today:%Y%m%d}")


def seed_payments(
    pipeline: Pipeline, today: date, actor: str, settings: PaymentSettings
) -> ImportResult | None:
    """Read the demo's camt.054 as creditor accounting (``actor``) would."""
    account = sorted(settings.accounts)[0] if settings.accounts else None
    if account is None:
        return None
    data = demo_payment_file(pipeline, today, account)
    if data is None:
        return None
    return import_file(pipeline, data, FILENAME, actor, settings)
