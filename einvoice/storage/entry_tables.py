"""Tables of the supplier portal's Weberfassung (issue 26): invoices being typed in.

A draft belongs to one portal account and keeps the form's raw values as typed (JSON), so a
half-filled form survives logging out; its attachments (BG-24) are kept with it as bytes.
``corrects_invoice_id`` and ``message_id`` are plain numbers, no foreign keys: retention may
delete the invoice or submission they name, the draft then only says it was submitted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from einvoice.storage.tables import Base


class InvoiceDraftRow(Base):
    """One invoice, credit note or corrected invoice a supplier types into the portal."""

    __tablename__ = "invoice_drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # 380, 381, correction
    creditor_id: Mapped[int | None] = mapped_column(Integer)  # the bound creditor prefilled
    corrects_invoice_id: Mapped[int | None] = mapped_column(Integer)  # the returned invoice
    values: Mapped[dict[str, Any]] = mapped_column(JSON)  # form field -> text as typed
    message_id: Mapped[int | None] = mapped_column(Integer)  # the submission, once submitted
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InvoiceDraftAttachmentRow(Base):
    """A document supporting the invoice (BG-24), stored with its draft."""

    __tablename__ = "invoice_draft_attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("invoice_drafts.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # BT-125's file name
    mime_code: Mapped[str] = mapped_column(String(128))  # BT-125's mime code
    size: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(255), default="")  # BT-123
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
