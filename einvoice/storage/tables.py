"""Database tables (SQLAlchemy 2.x, typed). Schema changes go through Alembic.

State lives here, not in the broker: every received message and document has a
recorded state, so lost broker messages are found again by the sweeper.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
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
    __table_args__ = (
        # the supplier portal's list: source LIKE 'upload:<account>:%' (issue 14)
        Index(
            "ix_messages_source_prefix", "source", postgresql_ops={"source": "varchar_pattern_ops"}
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # domain.channels: mail, upload, ...
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
        # the clerks' search (issue 14): a trigram GIN index on PostgreSQL (LIKE '%...%');
        # on SQLite a plain index of the same name (a scan does the search there)
        Index(
            "ix_invoices_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index("ix_invoices_issue_date", "issue_date"),
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
    # the correction loop (issue 14): this invoice replaces a returned/rejected version
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # lower-case words to search: BT-1, seller, VAT ids, IBANs, Leitweg-ID, order, lines
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")


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
    # the bytes this delivery brought, when they differ from the first delivery's
    raw_sha256: Mapped[str | None] = mapped_column(
        ForeignKey("blobs.sha256", name="fk_duplicates_raw_sha256_blobs")
    )
    detail: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SourcePoll(Base):
    """Last poll of each mailbox / folder (for the operations page and status)."""

    __tablename__ = "source_polls"
    source: Mapped[str] = mapped_column(String(512), primary_key=True)
    polled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)  # German, readable (None: last poll fine)
    cause: Mapped[str | None] = mapped_column(String(32))  # MailboxCause of the error
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # in a row
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- approval workflow (issue 6) ----------------------------------------------------------


class Workflow(Base):
    """Where a received invoice stands in the approval workflow (one row per invoice).

    ``version`` guards concurrent changes (optimistic locking: a stale update fails);
    ``audit_head`` is the hash of the invoice's last audit event, so removing or
    replacing the last event is detected by ``einvoice audit verify``.
    """

    __tablename__ = "workflows"
    __table_args__ = (
        Index("ix_workflows_department_status", "department", "status"),
        Index("ix_workflows_status_department", "status", "department"),  # the queue
    )
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(32))  # approval.Status
    department: Mapped[str | None] = mapped_column(String(64), index=True)  # Department.key
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 4))  # BT-115 as written
    currency: Mapped[str | None] = mapped_column(String(3))  # BT-5
    sachlich_by: Mapped[str | None] = mapped_column(String(128))
    rechnerisch_by: Mapped[str | None] = mapped_column(String(128))
    ordered_by: Mapped[str | None] = mapped_column(String(128))
    ordered_for: Mapped[str | None] = mapped_column(String(128))  # absent approver (deputy)
    received_on: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)  # moved past weekends
    due_source: Mapped[str] = mapped_column(String(32))  # deadlines.DueDateSource
    skonto_deadline: Mapped[date | None] = mapped_column(Date)  # the earliest Skonto offer
    skonto_discount: Mapped[Decimal | None] = mapped_column(Numeric(19, 4))
    audit_head: Mapped[str] = mapped_column(String(64))
    audit_count: Mapped[int] = mapped_column(Integer)
    # open payment holds (holds.HoldCode, comma separated, sorted; '' = none): the queue's
    # "mit Sperre" filter reads it, the export skips held invoices (issue 12)
    holds: Mapped[str] = mapped_column(String(255), default="", server_default="", index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own form


class RoutingDecisionRow(Base):
    """Why an invoice went to a department: the routing rule, or a clerk's reassignment."""

    __tablename__ = "routing_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # route, reassign
    department: Mapped[str] = mapped_column(String(64))
    previous_department: Mapped[str | None] = mapped_column(String(64))
    rule: Mapped[str | None] = mapped_column(String(255))  # None: fallback or reassignment
    criteria: Mapped[str] = mapped_column(String(255), default="")  # comma separated
    reason_de: Mapped[str] = mapped_column(Text)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    leitweg_id: Mapped[str | None] = mapped_column(String(64))
    leitweg_problem: Mapped[str | None] = mapped_column(Text)
    config_name: Mapped[str] = mapped_column(String(255), default="")
    config_version: Mapped[int] = mapped_column(Integer, default=1)
    actor: Mapped[str] = mapped_column(String(128))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEventRow(Base):
    """One append-only audit event of an invoice, sealed into the invoice's hash chain."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("invoice_id", "sequence", name="uq_audit_event_sequence"),
        # the pilot metrics read the Anordnungen by state and time
        Index("ix_audit_events_to_state_at", "to_state", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(64))
    acting_for: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, str]] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Comment(Base):
    """A comment on an invoice (also the reasons given to reject or reassign it)."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    author: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))  # comment, reject, reassign, ...
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeadlineRow(Base):
    """A payment deadline of an invoice: the due date, or one Skonto offer."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("invoice_id", "kind", "position", name="uq_deadline"),
        Index("ix_deadlines_kind_due_on", "kind", "due_on", "invoice_id"),  # open Skonto
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # due, skonto
    position: Mapped[int] = mapped_column(Integer, default=0)  # Skonto offers in order
    due_on: Mapped[date] = mapped_column(Date, index=True)  # moved past weekends and holidays
    nominal: Mapped[date] = mapped_column(Date)  # as computed from the terms
    source: Mapped[str] = mapped_column(String(32))  # due_date, payment_terms, ..., skonto
    days: Mapped[int | None] = mapped_column(Integer)  # Skonto: days after the issue date
    percent: Mapped[Decimal | None] = mapped_column(Numeric(9, 4))  # Skonto percentage
    base_amount: Mapped[Decimal | None] = mapped_column(Numeric(19, 4))
    discount: Mapped[Decimal | None] = mapped_column(Numeric(19, 4))
    amount_to_pay: Mapped[Decimal | None] = mapped_column(Numeric(19, 4))


class ExportBatch(Base):
    """One export of ordered invoices to the budget system (HKR); the file is archived."""

    __tablename__ = "export_batches"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    format: Mapped[str] = mapped_column(String(8))  # csv, json
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Numeric(19, 4))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))


class ExportRecord(Base):
    """An invoice handed to the budget system: each invoice exactly once (unique)."""

    __tablename__ = "exports"
    __table_args__ = (UniqueConstraint("invoice_id", name="uq_export_invoice"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    batch_id: Mapped[str] = mapped_column(ForeignKey("export_batches.id"), index=True)
    exported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """An e-mail the workflow sends (supplier rejection, deadline reminder): at most once.

    ``key`` says what it is about (e.g. ``supplier:reject``, ``deadline:due:0:soon``);
    the unique (invoice, key) pair keeps a second one from being recorded.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("invoice_id", "key", name="uq_notification_key"),
        UniqueConstraint("document_id", "key", name="uq_notification_document_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # an invoice's e-mail, or (no invoice could be read) a document's
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", name="fk_notifications_document_id_documents"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))  # supplier, deadline
    key: Mapped[str] = mapped_column(String(255))
    recipient: Mapped[str | None] = mapped_column(String(512))
    cc: Mapped[str | None] = mapped_column(String(512))  # in copy, comma separated
    subject: Mapped[str] = mapped_column(String(1024))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending, sending, sent, ...
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # -> sending
