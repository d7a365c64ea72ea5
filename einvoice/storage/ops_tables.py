"""Tables of operations: blob contents in the database, legal holds, retention tombstones."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, LargeBinary, Select, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from einvoice.storage.tables import Base


class BlobContent(Base):
    """The bytes of a blob when the blob store is the database (``EINVOICE_BLOB_STORE=database``).

    Separate from ``blobs`` (the pipeline's record of an original): written by the
    blob store on its own connection before the pipeline commits, like a file.
    """

    __tablename__ = "blob_contents"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LegalHold(Base):
    """An invoice kept beyond its retention period (audit, lawsuit, tax inspection)."""

    __tablename__ = "legal_holds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(128))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[str | None] = mapped_column(String(128))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RetentionTombstone(Base):
    """What retention deleted, when and by whom: the received message stays as a stub.

    ``blobs`` lists the SHA-256 of every original removed (their rows in ``blobs``
    stay, marked by this tombstone, so the references remain and fsck knows why the
    bytes are gone).
    """

    __tablename__ = "retention_tombstones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    retained_until: Mapped[date] = mapped_column(Date)
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(128))
    blobs: Mapped[str] = mapped_column(Text)  # space-separated SHA-256 digests removed
    invoices: Mapped[str] = mapped_column(Text, default="")  # space-separated invoice ids


class DeletedBlob(Base):
    """A blob whose bytes retention removed (the ``blobs`` row stays for the references)."""

    __tablename__ = "deleted_blobs"
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), primary_key=True)
    tombstone_id: Mapped[int] = mapped_column(ForeignKey("retention_tombstones.id"), index=True)
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def erased_digests_query() -> Select[str]:
    """Blobs retention deleted that no live message, document or repeated delivery refers
    to again.

    (A supplier may send the very same bytes again after retention: that copy is live.)
    """
    from sqlalchemy import exists, select

    from einvoice.storage.tables import Document, DuplicateRecord, Message

    tombstoned = select(RetentionTombstone.message_id)
    live_message = exists().where(
        Message.raw_sha256 == DeletedBlob.sha256, Message.id.not_in(tombstoned)
    )
    live_document = exists().where(
        Document.sha256 == DeletedBlob.sha256, Document.message_id.not_in(tombstoned)
    )
    live_redelivery = exists().where(
        DuplicateRecord.raw_sha256 == DeletedBlob.sha256,
        DuplicateRecord.message_id.not_in(tombstoned),
    )
    return select(DeletedBlob.sha256).where(~live_message, ~live_document, ~live_redelivery)
