"""The Auszahlungsanordnung (payment order) of an ordered invoice as a document.

Every element municipal budget law lists (e.g. § 39 KommHV-Kameralistik): the
paying Kasse, the amount, the reason, the payee and the (verified) account, the
due date and the Skonto date, the Buchungsstellen with their amounts and the
Haushaltsjahr, who stated sachlich and rechnerisch richtig and when, who
ordered and when, and the SHA-256 of the archived original. The facts come
from ``payment_orders`` (frozen at the order); :func:`render_html` /
:func:`render_pdf` print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.orm import Session

from einvoice.domain import kontierung as k
from einvoice.domain.creditors import grouped_iban, normal_iban
from einvoice.domain.kontierung import euro
from einvoice.domain.payment_order_number import order_number
from einvoice.presentation.decision_paper import german_date
from einvoice.presentation.jinja import new_environment
from einvoice.services.kontierung_store import chart_of, model_of, open_skonto, stored_splits
from einvoice.services.kontierung_suggestions import remember
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import NotFound, ports_of
from einvoice.storage.creditor_tables import CreditorAccountRow, CreditorRow, InvoiceSupplierRow
from einvoice.storage.kontierung_tables import (
    KontierungRow,
    PaymentOrderLineRow,
    PaymentOrderRow,
)
from einvoice.storage.tables import AuditEventRow, Workflow


@dataclass(frozen=True, slots=True)
class OrderLine:
    position: int
    key: str
    name: str
    year: int
    amount: Decimal
    net: Decimal
    vat: Decimal
    apart: bool


@dataclass(frozen=True, slots=True)
class PaymentOrder:
    invoice_id: int
    number: str
    kasse: str
    amount: Decimal
    currency: str
    reason: str
    payee_name: str
    creditor_number: str | None
    iban: str | None
    bic: str | None
    iban_verified: str
    remittance: str | None
    due_date: date | None
    skonto_date: date | None
    skonto_discount: Decimal | None
    skonto_amount_to_pay: Decimal | None
    year: int
    department: str
    department_name: str
    sachlich: str  # "Name (id) am 01.12.2026 10:15"
    rechnerisch: str
    ordered: str
    original_sha256: str
    budget_note: str
    lines: tuple[OrderLine, ...]


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=value.tzinfo or UTC)


def payment_order(pipeline: Pipeline, invoice_id: int) -> PaymentOrder | None:
    """The invoice's payment order, None when it was not ordered (yet)."""
    ports = ports_of(pipeline)
    config = ports.routing()

    def who(person: str, at: datetime | None, acting_for: str | None = None) -> str:
        if not person:
            return "–"
        found = config.person(person)
        name = f"{found.name} ({person})" if found else person
        if acting_for:
            absent = config.person(acting_for)
            name += f" in Vertretung für {absent.name if absent else acting_for}"
        moment = _aware(at)
        return name + (f" am {moment.astimezone(ports.zone):%d.%m.%Y %H:%M} Uhr" if moment else "")

    with pipeline.sessions() as session:
        row = session.get(PaymentOrderRow, invoice_id)
        if row is None:
            return None
        lines = tuple(
            OrderLine(
                line.position,
                line.key,
                line.name,
                line.year,
                Decimal(line.amount),
                Decimal(line.net),
                Decimal(line.vat),
                line.apart,
            )
            for line in session.scalars(
                select(PaymentOrderLineRow)
                .where(PaymentOrderLineRow.invoice_id == invoice_id)
                .order_by(PaymentOrderLineRow.position)
            )
        )
        dept = config.department(row.department)
        return PaymentOrder(
            invoice_id=invoice_id,
            number=row.number,
            kasse=row.kasse,
            amount=Decimal(row.amount),
            currency=row.currency,
            reason=row.reason,
            payee_name=row.payee_name,
            creditor_number=row.creditor_number,
            iban=row.iban,
            bic=row.bic,
            iban_verified=row.iban_verified,
            remittance=row.remittance,
            due_date=row.due_date,
            skonto_date=row.skonto_date,
            skonto_discount=None if row.skonto_discount is None else Decimal(row.skonto_discount),
            skonto_amount_to_pay=None
            if row.skonto_amount_to_pay is None
            else Decimal(row.skonto_amount_to_pay),
            year=row.year,
            department=row.department,
            department_name=dept.name if dept else row.department,
            sachlich=who(row.sachlich_by, row.sachlich_at),
            rechnerisch=who(row.rechnerisch_by, row.rechnerisch_at),
            ordered=who(row.ordered_by, row.ordered_at, row.ordered_for),
            original_sha256=row.original_sha256,
            budget_note=row.budget_note,
            lines=lines,
        )


@cache
def _environment() -> Environment:
    env = new_environment()
    env.filters.update(euro=euro, date=german_date, iban=grouped_iban)
    return env


def render_html(order: PaymentOrder) -> str:
    return _environment().get_template("payment_order.html").render(order=order)


def render_pdf(pipeline: Pipeline, invoice_id: int) -> bytes:
    """The payment order printed to PDF (A4) by headless Chromium."""
    from einvoice.presentation.render.pdf import html_to_pdf

    order = payment_order(pipeline, invoice_id)
    if order is None:
        raise NotFound(f"Rechnung {invoice_id} ist nicht angeordnet: keine Auszahlungsanordnung.")
    return html_to_pdf(render_html(order))


def record_order(
    session: Session, pipeline: Pipeline, row: Workflow, at: datetime, check: k.Check | None
) -> None:
    """Write the payment order (Auszahlungsanordnung) of an invoice ordered just now."""
    ports = ports_of(pipeline)
    model, sha = model_of(pipeline, session, row.invoice_id)
    kont = session.get(KontierungRow, row.invoice_id)
    splits = stored_splits(session, row.invoice_id)
    chart = chart_of(session, (sp.key for sp in splits))
    booked = k.booked(model, splits, chart)
    year = kont.year if kont else k.open_default_year(model, at.date(), ports.budget)
    payment = model.payment_instructions
    transfer = payment.credit_transfers[0] if payment and payment.credit_transfers else None
    iban = normal_iban(transfer.iban) if transfer and transfer.iban else None
    creditor = session.scalars(
        select(CreditorRow)
        .join(InvoiceSupplierRow, InvoiceSupplierRow.creditor_id == CreditorRow.id)
        .where(InvoiceSupplierRow.invoice_id == row.invoice_id)
    ).first()
    verified = ""
    if creditor is not None and iban:
        account = session.scalars(
            select(CreditorAccountRow).where(
                CreditorAccountRow.creditor_id == creditor.id, CreditorAccountRow.iban == iban
            )
        ).first()
        if account is not None and account.verified_by and account.verified_at:
            stamp = account.verified_at.replace(tzinfo=account.verified_at.tzinfo or UTC)
            verified = (
                f"geprüft von {_named(session, pipeline, account.verified_by)}"
                f" am {stamp.astimezone(ports.zone):%d.%m.%Y}"
            )
    skonto = open_skonto(session, row.invoice_id, at.date())
    signed = _signed_at(session, row.invoice_id)
    kind = "Gutschrift" if model.is_credit_note else "Rechnung"
    session.add(
        PaymentOrderRow(
            invoice_id=row.invoice_id,
            number=order_number(row.invoice_id),
            kasse=ports.kasse,
            amount=model.amount_due_signed or Decimal(0),
            currency=model.currency_code[:3],
            reason=f"{kind} {model.number} vom {model.issue_date:%d.%m.%Y}"[:512],
            payee_name=(creditor.name if creditor else model.seller.name or "")[:512],
            creditor_number=creditor.number if creditor else None,
            iban=iban,
            bic=(transfer.service_provider_identifier or None) if transfer else None,
            iban_verified=verified,
            remittance=(payment.remittance_information or None) if payment else None,
            due_date=row.due_date,
            skonto_date=skonto[0] if skonto else None,
            skonto_discount=skonto[1] if skonto else None,
            skonto_amount_to_pay=skonto[2] if skonto else None,
            year=year,
            department=row.department or "",
            sachlich_by=row.sachlich_by or "",
            sachlich_at=signed.get("confirm_sachlich"),
            rechnerisch_by=row.rechnerisch_by or "",
            rechnerisch_at=signed.get("confirm_rechnerisch"),
            ordered_by=row.ordered_by or "",
            ordered_for=row.ordered_for,
            ordered_at=at.astimezone(UTC),
            original_sha256=sha,
            budget_note="\n".join(check.warnings) if check else "",
        )
    )
    session.flush()
    session.add_all(
        PaymentOrderLineRow(
            invoice_id=row.invoice_id,
            position=i,
            key=b.key,
            name=chart[b.key].name if b.key in chart else "",
            year=year,
            amount=b.amount,
            net=b.net,
            vat=b.vat,
            apart=b.apart,
        )
        for i, b in enumerate(booked, start=1)
    )
    remember(session, model, row.invoice_id, row.department or "")


def _named(session: Session, pipeline: Pipeline, person: str) -> str:
    """``Karin Krause (kb.krause)``: a person's name beside the id of the audit trail (the
    routing configuration's people, else the account's display name; the bare id only when
    neither knows the person)."""
    from einvoice.storage.accounts import Account

    found = ports_of(pipeline).routing().person(person)
    name = (
        found.name
        if found
        else session.scalar(select(Account.display_name).where(Account.username == person))
    )
    return f"{name} ({person})" if name else person


def _signed_at(session: Session, invoice_id: int) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for action, at in session.execute(
        select(AuditEventRow.action, AuditEventRow.at)
        .where(
            AuditEventRow.invoice_id == invoice_id,
            AuditEventRow.action.in_(("confirm_sachlich", "confirm_rechnerisch")),
        )
        .order_by(AuditEventRow.sequence)
    ):
        out[action] = at.replace(tzinfo=at.tzinfo or UTC)
    return out


__all__ = [
    "OrderLine",
    "PaymentOrder",
    "payment_order",
    "record_order",
    "render_html",
    "render_pdf",
]
