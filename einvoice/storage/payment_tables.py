"""Tables of the payments that came back: files read, payments in them, invoices paid."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from einvoice.storage.tables import Base


class PaymentFileRow(Base):
    """A payment file read once (its bytes archived in the blob store; unique by hash)."""

    __tablename__ = "payment_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), unique=True)
    filename: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16))  # csv, camt.053, camt.054
    accounts: Mapped[str] = mapped_column(String(512), default="")  # the city's IBANs (camt)
    imported_by: Mapped[str] = mapped_column(String(128))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    entries: Mapped[int] = mapped_column(Integer)  # payments in the file
    known: Mapped[int] = mapped_column(Integer)  # of them read before (another file)
    paid: Mapped[int] = mapped_column(Integer)  # invoices marked paid by it
    open: Mapped[int] = mapped_column(Integer)  # payments left for a person


class PaymentRow(Base):
    """One payment out of the city's account, matched to its order or left open.

    ``state``: ``matched`` (it paid the invoices of its settlements by itself),
    ``open`` (a person of creditor accounting decides), ``decided``, ``same`` (the same
    payment as ``same_as``, read before from the other source: the cash office's CSV or
    the bank's camt; counted once, see :mod:`einvoice.domain.payment_identity`).
    """

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_state_booked_on", "state", "booked_on"),
        Index("ix_payments_amount_booked_on", "amount", "booked_on"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("payment_files.id"), index=True)
    entry_key: Mapped[str] = mapped_column(String(255), unique=True)  # bank / cash reference
    line: Mapped[int] = mapped_column(Integer)
    booked_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 4))
    currency: Mapped[str] = mapped_column(String(3))
    creditor_iban: Mapped[str | None] = mapped_column(String(34))
    creditor_name: Mapped[str | None] = mapped_column(String(512))
    remittance: Mapped[str] = mapped_column(Text, default="")
    orders: Mapped[str] = mapped_column(String(512), default="")  # invoice ids named, comma sep.
    outcome: Mapped[str] = mapped_column(String(16))  # payment_matching.Outcome
    reason_de: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # matched, open, decided
    proposal_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    decision: Mapped[str | None] = mapped_column(String(16))  # paid, partial, dismissed
    decided_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    end_to_end: Mapped[str | None] = mapped_column(String(64))  # EndToEndId, if given
    same_as: Mapped[int | None] = mapped_column(
        ForeignKey("payments.id"), index=True, unique=True
    )  # one to one


class InvoicePaymentRow(Base):
    """What of a payment went to one invoice (a payment may pay several: a collective one)."""

    __tablename__ = "invoice_payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 4))
    booked_on: Mapped[date] = mapped_column(Date)


class PaidInvoiceRow(Base):
    """An invoice that is paid: the clear paid date (retention counts it as closed)."""

    __tablename__ = "paid_invoices"
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    paid_on: Mapped[date] = mapped_column(Date, index=True)  # booking day of the last payment
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 4))  # paid in all
    skonto: Mapped[Decimal] = mapped_column(Numeric(19, 4))  # Skonto taken within the offer
    difference: Mapped[Decimal] = mapped_column(Numeric(19, 4))  # other shortfall a person accepted
    recorded_by: Mapped[str] = mapped_column(String(128))  # system (import) or the person
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
