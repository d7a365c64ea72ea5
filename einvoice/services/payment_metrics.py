"""Pilot figures from real payments, read from the tables the payment import fills.

:func:`paid_records` reads one :class:`~einvoice.domain.payment_figures.PaidRecord`
per paid invoice (two set-based queries: paid invoices with their workflow,
and their best Skonto offer); :func:`payment_report` computes the figures
(:mod:`einvoice.domain.payment_figures`) for the dashboard and the decision paper.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.payment_figures import PaidRecord, PaymentReport
from einvoice.domain.payment_figures import payment_report as compute
from einvoice.services.ports import Pipeline
from einvoice.storage.payment_tables import PaidInvoiceRow
from einvoice.storage.tables import DeadlineRow, Workflow


def _sessions(source: Pipeline | sessionmaker[Session]) -> sessionmaker[Session]:
    return source.sessions if isinstance(source, Pipeline) else source


def paid_records(
    source: Pipeline | sessionmaker[Session], start: date | None = None, end: date | None = None
) -> list[PaidRecord]:
    """Every invoice paid on a day in [start, end] (both optional, inclusive)."""
    window = []
    if start is not None:
        window.append(PaidInvoiceRow.paid_on >= start)
    if end is not None:
        window.append(PaidInvoiceRow.paid_on <= end)
    best = (
        select(DeadlineRow.invoice_id, func.max(DeadlineRow.discount).label("best"))
        .where(DeadlineRow.kind == "skonto", DeadlineRow.discount.is_not(None))
        .group_by(DeadlineRow.invoice_id)
        .subquery()
    )
    query = (
        select(
            PaidInvoiceRow.invoice_id,
            Workflow.department,
            Workflow.received_on,
            PaidInvoiceRow.paid_on,
            Workflow.due_date,
            PaidInvoiceRow.amount,
            best.c.best,
            PaidInvoiceRow.skonto,
        )
        .join(Workflow, Workflow.invoice_id == PaidInvoiceRow.invoice_id)
        .outerjoin(best, best.c.invoice_id == PaidInvoiceRow.invoice_id)
        .where(*window)
    )
    with _sessions(source)() as session:
        rows = session.connection().execute(query).all()
    return [
        PaidRecord(
            invoice_id,
            department,
            received_on,
            paid_on,
            due_date,
            Decimal(amount),
            Decimal(offered or 0),
            Decimal(taken or 0),
        )
        for invoice_id, department, received_on, paid_on, due_date, amount, offered, taken in rows
    ]


def payment_report(
    source: Pipeline | sessionmaker[Session],
    start: date | None = None,
    end: date | None = None,
    office_names: Mapping[str, str] | None = None,
) -> PaymentReport:
    return compute(paid_records(source, start, end), office_names)
