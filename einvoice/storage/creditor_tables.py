"""Tables of the creditor master data, the payment holds and portal-account bindings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from einvoice.storage import accounts as _accounts  # noqa: F401  (accounts.id for the FKs)
from einvoice.storage.tables import Base


class CreditorRow(Base):
    """A supplier of the city's creditor file (Kreditorenstammdaten)."""

    __tablename__ = "creditors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # Kreditorennummer
    name: Mapped[str] = mapped_column(String(512))  # legal name
    name_key: Mapped[str] = mapped_column(String(512), index=True)  # creditors.normal_name
    street: Mapped[str | None] = mapped_column(String(512))
    post_code: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(255))
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CreditorKeyRow(Base):
    """An identifier of a creditor: vat_id (BT-31), tax_number (BT-32), registration (BT-30),
    seller_id (BT-29, GLN) - all matched in normal form - or an e-mail address / domain."""

    __tablename__ = "creditor_keys"
    __table_args__ = (
        UniqueConstraint("creditor_id", "kind", "value", name="uq_creditor_key"),
        Index("ix_creditor_keys_kind_value", "kind", "value"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditors.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(255))  # normal form
    written: Mapped[str] = mapped_column(String(255))  # as entered


class CreditorAccountRow(Base):
    """A bank account of a creditor: verified (by whom, when, how) or not."""

    __tablename__ = "creditor_accounts"
    __table_args__ = (UniqueConstraint("creditor_id", "iban", name="uq_creditor_account"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditors.id"), index=True)
    iban: Mapped[str] = mapped_column(String(34), index=True)  # normal form
    bic: Mapped[str | None] = mapped_column(String(11))
    holder: Mapped[str | None] = mapped_column(String(255))
    added_by: Mapped[str] = mapped_column(String(128))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verified_by: Mapped[str | None] = mapped_column(String(128))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_how: Mapped[str | None] = mapped_column(Text)


class InvoiceSupplierRow(Base):
    """Who an invoice is from: the matched creditor, how it matched, channel and sender."""

    __tablename__ = "invoice_suppliers"
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    creditor_id: Mapped[int | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    matched_by: Mapped[str | None] = mapped_column(String(16))  # creditors.MatchedBy
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("creditors.id"))
    channel: Mapped[str] = mapped_column(String(16))  # domain.channels: mail, upload, ...
    sender: Mapped[str | None] = mapped_column(String(512))  # mail address or portal account
    portal_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    ibans: Mapped[str] = mapped_column(String(512), default="")  # BT-84, comma separated


class HoldRow(Base):
    """A payment hold on an invoice (open while ``cleared_at`` is empty)."""

    __tablename__ = "invoice_holds"
    __table_args__ = (UniqueConstraint("invoice_id", "code", name="uq_invoice_hold"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))  # holds.HoldCode
    message_de: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cleared_by: Mapped[str | None] = mapped_column(String(128))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    clear_reason: Mapped[str | None] = mapped_column(Text)


class PortalBindingRow(Base):
    """A portal account's right to submit invoices for a creditor (confirmed or pending)."""

    __tablename__ = "portal_bindings"
    __table_args__ = (UniqueConstraint("account_id", "creditor_id", name="uq_portal_binding"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    creditor_id: Mapped[int | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    company: Mapped[str] = mapped_column(String(255))  # as given at registration
    vat_id: Mapped[str] = mapped_column(String(64))  # as given at registration
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending, confirmed, refused
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # who of creditor accounting entered it or named its creditor (None: the supplier asked);
    # that person cannot also confirm it (four eyes)
    entered_by: Mapped[str | None] = mapped_column(String(128))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    how: Mapped[str | None] = mapped_column(Text)


class MasterDataEventRow(Base):
    """One change of the master data, sealed into one hash chain (``sequence`` 0, 1, ...)."""

    __tablename__ = "master_data_events"
    __table_args__ = (UniqueConstraint("sequence", name="uq_master_data_sequence"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(64), index=True)  # creditor:12, binding:3
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ChainHeadRow(Base):
    """The last hash of a chain kept apart from it (cutting events off the end shows)."""

    __tablename__ = "chain_heads"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    head: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
