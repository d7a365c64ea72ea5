"""The upload portal's library call: store, validate and record one file at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from einvoice.domain.channels import PORTAL_CHANNELS, UPLOAD
from einvoice.domain.filenames import stored_filename
from einvoice.services import ingest, process
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import Document, Message


@dataclass(frozen=True, slots=True)
class Submission:
    message_id: int
    document_ids: tuple[int, ...]
    new: bool  # False when the very same file was submitted before


def source_for(account_id: int, filename: str) -> str:
    """``upload:<account>:<file name>``; a long name shortened, keeping its extension."""
    safe = stored_filename(filename.replace("/", "_").replace("\\", "_")) or "upload"
    return f"upload:{account_id}:{safe}"


def submit(
    pipeline: Pipeline,
    data: bytes,
    filename: str,
    account_id: int,
    on_invoice: Callable[[int], None],
    channel: str = UPLOAD,
) -> Submission:
    """Receive, split and process synchronously (the supplier waits for the verdict);
    ``on_invoice`` hands each recorded invoice on to routing. ``channel``: a portal channel,
    ``upload`` (a file) or ``weberfassung`` (an invoice typed into the portal's form)."""
    if channel not in PORTAL_CHANNELS:
        raise ValueError(f"not a portal channel: {channel!r}")
    received = ingest.receive(
        pipeline, data, channel, source_for(account_id, filename), scope=f"account:{account_id}"
    )
    document_ids = ingest.split(pipeline, received.message_id)
    for document_id in document_ids:
        outcome = process.process(pipeline, document_id)
        if outcome.invoice_id is not None:
            on_invoice(outcome.invoice_id)
    with pipeline.sessions() as session:
        ids = tuple(
            session.scalars(
                select(Document.id)
                .where(Document.message_id == received.message_id)
                .order_by(Document.id)
            )
        )
    return Submission(received.message_id, ids, received.new)


def owns_message(pipeline: Pipeline, message_id: int, account_id: int) -> bool:
    with pipeline.sessions() as session:
        message = session.get(Message, message_id)
        return message is not None and message.source.startswith(f"upload:{account_id}:")
