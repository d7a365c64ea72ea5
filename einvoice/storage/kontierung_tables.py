"""Tables of the chart of accounts, the Kontierung of invoices and the payment orders.

``payment_orders`` / ``payment_order_lines`` are the facts of each Auszahlungsanordnung
as given (frozen at the order): the payment import matches payments by
``payment_orders.number`` (AO-0000123) and compares the amounts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from einvoice.storage.tables import Base


class BuchungsstelleRow(Base):
    """One Buchungsstelle of the chart of accounts (imported from the finance system)."""

    __tablename__ = "buchungsstellen"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # produkt/sachkonto/kst[/auftrag]
    produkt: Mapped[str] = mapped_column(String(48))
    sachkonto: Mapped[str] = mapped_column(String(48))
    kostenstelle: Mapped[str] = mapped_column(String(48))
    auftrag: Mapped[str] = mapped_column(String(48), default="")
    name: Mapped[str] = mapped_column(String(255), default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    departments: Mapped[str] = mapped_column(String(1000), default="")  # Amt keys, comma; '' all
    bga: Mapped[bool] = mapped_column(Boolean, default=False)  # input-tax deduction
    import_id: Mapped[int | None] = mapped_column(ForeignKey("chart_imports.id"))


class ChartImportRow(Base):
    """One imported chart-of-accounts file (who, when, which file, how many lines)."""

    __tablename__ = "chart_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(128))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lines: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    funds: Mapped[int] = mapped_column(Integer)


class FundsRow(Base):
    """Verfügbare Mittel of a Buchungsstelle in a Haushaltsjahr (from the finance system)."""

    __tablename__ = "budget_funds"
    __table_args__ = (UniqueConstraint("key", "year", name="uq_budget_funds"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    available: Mapped[Decimal] = mapped_column(Numeric(19, 2))


class KontierungRow(Base):
    """The Kontierung of an invoice: its Haushaltsjahr and who assigned it (splits below)."""

    __tablename__ = "kontierungen"
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # Haushaltsjahr
    source: Mapped[str] = mapped_column(String(255))  # "manuell" or where the suggestion came from
    assigned_by: Mapped[str] = mapped_column(String(128))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KontierungSplitRow(Base):
    """One split of an invoice's Kontierung: a Buchungsstelle and its gross amount."""

    __tablename__ = "kontierung_splits"
    __table_args__ = (UniqueConstraint("invoice_id", "position", name="uq_kontierung_split"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("kontierungen.invoice_id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 2))
    basis: Mapped[str] = mapped_column(String(16))  # kontierung.Basis
    value: Mapped[str] = mapped_column(String(255), default="")


class KontierungHistoryRow(Base):
    """An ordered invoice's Kontierung, compact, for the suggestions (one row per invoice)."""

    __tablename__ = "kontierung_history"
    __table_args__ = (
        Index("ix_kontierung_history_creditor", "creditor", "invoice_id"),
        Index("ix_kontierung_history_buyer_reference", "buyer_reference", "invoice_id"),
    )
    invoice_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    creditor: Mapped[str] = mapped_column(String(255))  # suggest.creditor_key
    buyer_reference: Mapped[str] = mapped_column(String(255), default="")  # BT-10
    department: Mapped[str] = mapped_column(String(64), default="")
    pattern: Mapped[str] = mapped_column(Text)  # suggest.pattern_text
    terms: Mapped[str] = mapped_column(Text, default="")  # line-text words (BT-153/154)


class KontierungTermRow(Base):
    """How often a word of the line texts (BT-153/154) was booked on a Buchungsstelle."""

    __tablename__ = "kontierung_terms"
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)


class PaymentOrderRow(Base):
    """The Auszahlungsanordnung of an ordered invoice: every element, frozen at the order."""

    __tablename__ = "payment_orders"
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # AO-0000123
    kasse: Mapped[str] = mapped_column(String(255))  # the paying cash office
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 2))  # BT-115, signed
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(512))  # Grund der Zahlung
    payee_name: Mapped[str] = mapped_column(String(512))
    creditor_number: Mapped[str | None] = mapped_column(String(32))
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    iban_verified: Mapped[str] = mapped_column(String(512), default="")  # by whom/when, '' no
    remittance: Mapped[str | None] = mapped_column(String(512))  # BT-83 Verwendungszweck
    due_date: Mapped[date | None] = mapped_column(Date)
    skonto_date: Mapped[date | None] = mapped_column(Date)
    skonto_discount: Mapped[Decimal | None] = mapped_column(Numeric(19, 2))
    skonto_amount_to_pay: Mapped[Decimal | None] = mapped_column(Numeric(19, 2))
    year: Mapped[int] = mapped_column(Integer)  # Haushaltsjahr
    department: Mapped[str] = mapped_column(String(64))
    sachlich_by: Mapped[str] = mapped_column(String(128))
    sachlich_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rechnerisch_by: Mapped[str] = mapped_column(String(128))
    rechnerisch_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ordered_by: Mapped[str] = mapped_column(String(128))
    ordered_for: Mapped[str | None] = mapped_column(String(128))  # absent approver (deputy)
    ordered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    original_sha256: Mapped[str] = mapped_column(String(64))
    budget_note: Mapped[str] = mapped_column(Text, default="")  # warnings confirmed at the order


class PaymentOrderLineRow(Base):
    """One booking line of a payment order (one per split)."""

    __tablename__ = "payment_order_lines"
    __table_args__ = (UniqueConstraint("invoice_id", "position", name="uq_payment_order_line"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("payment_orders.invoice_id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 2))  # gross
    net: Mapped[Decimal] = mapped_column(Numeric(19, 2))
    vat: Mapped[Decimal] = mapped_column(Numeric(19, 2))
    apart: Mapped[bool] = mapped_column(Boolean)  # BgA: net and VAT booked apart
