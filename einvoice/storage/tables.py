"""Database tables (SQLAlchemy 2.x, typed). Schema changes go through Alembic.

State lives here, not in the broker: every received message and document has a
recorded state, so lost broker messages are found again by the sweeper.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Blob(Base):
    """An original, stored unaltered in the blob store under its SHA-256 (GoBD)."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Message(Base):
    """One received e-mail, upload or dropped file."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # mail, upload, drop
    # Idempotency key: the Message-ID of an e-mail, else the content hash.
    message_key: Mapped[str] = mapped_column(String(512), unique=True)
    source: Mapped[str] = mapped_column(String(512), default="")  # mailbox / folder / user
    sender: Mapped[str | None] = mapped_column(String(512))
    subject: Mapped[str | None] = mapped_column(String(1024))
    raw_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    state: Mapped[str] = mapped_column(String(32), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    deliveries: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    documents: Mapped[list[Document]] = relationship(back_populates="message")


class Document(Base):
    """One candidate invoice file (attachment, XML body, upload)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("message_id", "sha256", name="uq_document_in_message"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(512))
    content_type: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(32), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    message: Mapped[Message] = relationship(back_populates="documents")


class Invoice(Base):
    """A distinct invoice (canonical model as semantic JSON, key header terms as columns)."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("duplicate_key", name="uq_invoice_duplicate_key"),
        Index("ix_invoices_seller_number", "seller_key", "number"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    # Same seller, number and amount: the same invoice (sent twice). Only accepted
    # invoices hold it: a rejected one may be sent again, corrected, as the same number.
    duplicate_key: Mapped[str | None] = mapped_column(String(128))
    invoice_key: Mapped[str] = mapped_column(String(128), index=True)
    seller_key: Mapped[str] = mapped_column(String(255))
    seller_name: Mapped[str | None] = mapped_column(String(512))
    number: Mapped[str] = mapped_column(String(255))  # BT-1
    type_code: Mapped[str | None] = mapped_column(String(8))  # BT-3
    issue_date: Mapped[str | None] = mapped_column(String(10))  # BT-2, ISO 8601
    due_date: Mapped[str | None] = mapped_column(String(10))  # BT-9
    currency: Mapped[str | None] = mapped_column(String(3))  # BT-5
    buyer_reference: Mapped[str | None] = mapped_column(String(255), index=True)  # BT-10
    order_reference: Mapped[str | None] = mapped_column(String(255))  # BT-13
    total_with_vat: Mapped[Decimal | None] = mapped_column(Numeric(19, 4))  # BT-112
    amount_due: Mapped[Decimal | None] = mapped_column(Numeric(19, 4))  # BT-115
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    syntax: Mapped[str] = mapped_column(String(32))
    scenario: Mapped[str] = mapped_column(String(32))
    profile: Mapped[str | None] = mapped_column(String(255))
    recommendation: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(32), index=True)
    semantic: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FindingRow(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    layer: Mapped[str] = mapped_column(String(16))
    message_de: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(String(255), default="")


class DuplicateRecord(Base):
    """A repeated delivery: same e-mail again, or the same invoice in another document."""

    __tablename__ = "duplicates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # message, document, invoice
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    original_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    detail: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SourcePoll(Base):
    """Last poll of each mailbox / folder (for the operations page and status)."""

    __tablename__ = "source_polls"
    source: Mapped[str] = mapped_column(String(512), primary_key=True)
    polled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
