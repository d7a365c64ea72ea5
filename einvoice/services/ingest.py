"""Receive originals and split them into documents (each step commits)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from einvoice.domain import channels
from einvoice.domain.filenames import stored_filename
from einvoice.mailbox import mime
from einvoice.services import outbox, states
from einvoice.services.ports import Pipeline
from einvoice.storage.blobs import sha256_of
from einvoice.storage.tables import Blob, Document, DuplicateRecord, Message

log = logging.getLogger(__name__)

CHANNELS = channels.CHANNELS  # mail, upload, drop, weberfassung


@dataclass(frozen=True, slots=True)
class Received:
    message_id: int
    new: bool
    # the very mailbox item fetched again while its message still waits for the split: the
    # poll that stored it may have died before enqueueing it, so the caller enqueues it again
    unsplit: bool = False


def message_key(raw: bytes, channel: str) -> str:
    """Idempotency key: the e-mail's Message-ID, else the content hash."""
    if channel == "mail":
        try:
            headers = BytesHeaderParser(policy=default_policy).parsebytes(raw[:65536])
            mid = headers.get("Message-ID")
        except Exception:
            mid = None
        if mid and str(mid).strip():
            return "mid:" + str(mid).strip()[:480]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _ensure_blob(session: Session, sha: str, size: int, pipeline: Pipeline) -> None:
    """Record the blob once, also when another machine records it at the same moment."""
    from sqlalchemy.dialects import postgresql, sqlite

    if session.get(Blob, sha) is not None:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = {"sha256": sha, "size": size, "stored_at": pipeline.clock()}
    session.execute(dialect.insert(Blob).values(**values).on_conflict_do_nothing())


def receive(
    pipeline: Pipeline,
    raw: bytes,
    channel: str,
    source: str,
    *,
    polled_item: bool = False,
    scope: str | None = None,
) -> Received:
    """Store the original unaltered and record the message (idempotent).

    ``polled_item``: ``source`` names the mailbox item (folder and UID / file): the
    same item fetched again (a poll cut off before the item was moved, two pollers
    at once) is not a second delivery.

    A second delivery of the same message stores nothing new when its bytes are the
    first delivery's; different bytes (another relay's headers) are kept and the
    duplicate record refers to them: no blob is ever left without a row referring to it.

    ``scope``: whose the message is (an uploading account): the same bytes from someone
    else are their own message, never the other one's.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    key = message_key(raw, channel) + (f"|{scope}"[:30] if scope else "")
    sha = sha256_of(raw)
    with pipeline.sessions() as session:
        existing = session.scalars(select(Message).where(Message.message_key == key)).first()
        if existing is not None:
            return _redelivered(pipeline, session, existing, raw, sha, channel, source, polled_item)
    pipeline.blobs.put(raw)  # content-addressed: storing twice changes nothing
    now = pipeline.clock()
    with pipeline.sessions() as session:
        _ensure_blob(session, sha, len(raw), pipeline)
        headers = _headers(raw) if channel == "mail" else {}
        message = Message(
            channel=channel,
            message_key=key,
            source=source[:500],
            sender=headers.get("from"),
            subject=headers.get("subject"),
            raw_sha256=sha,
            state=states.RECEIVED,
            deliveries=1,
            received_at=now,
            updated_at=now,
        )
        session.add(message)
        try:
            session.commit()
        except IntegrityError:  # the same message recorded concurrently: a re-delivery
            session.rollback()
            existing = session.scalars(select(Message).where(Message.message_key == key)).one()
            return _redelivered(pipeline, session, existing, raw, sha, channel, source, polled_item)
        return Received(message.id, True)


def _redelivered(
    pipeline: Pipeline,
    session: Session,
    existing: Message,
    raw: bytes,
    sha: str,
    channel: str,
    source: str,
    polled_item: bool,
) -> Received:
    now = pipeline.clock()
    detail = f"erneut zugestellt über {channel} ({source})"
    # one delivery at a time per message: two pollers of one mailbox see each other's record
    session.execute(select(Message.id).where(Message.id == existing.id).with_for_update())
    if polled_item and _same_item(session, existing, source[:500], detail):
        # the very mailbox item fetched again (a poll cut off before it was moved, two
        # pollers at once): not a second delivery
        return Received(existing.id, False, unsplit=existing.state == states.RECEIVED)
    other_bytes = sha != existing.raw_sha256
    if other_bytes:
        pipeline.blobs.put(raw)
        _ensure_blob(session, sha, len(raw), pipeline)
    existing.deliveries = Message.deliveries + 1
    # not updated_at: that is the sweeper's clock (the last processing attempt); a mail
    # re-delivered more often than EINVOICE_SWEEP_AFTER must not keep its work from it
    session.add(
        DuplicateRecord(
            kind="message",
            message_id=existing.id,
            raw_sha256=sha if other_bytes else None,
            detail=detail,
            recorded_at=now,
        )
    )
    session.commit()
    return Received(existing.id, False)


def _same_item(session: Session, existing: Message, source: str, detail: str) -> bool:
    if existing.source == source:
        return True
    again = session.scalar(
        select(DuplicateRecord.id).where(
            DuplicateRecord.message_id == existing.id, DuplicateRecord.detail == detail
        )
    )
    return again is not None


def _headers(raw: bytes) -> dict[str, str]:
    try:
        parsed = BytesHeaderParser(policy=default_policy).parsebytes(raw[:65536])
        return {
            k: str(parsed.get(k))[:500] for k in ("from", "subject") if parsed.get(k) is not None
        }
    except Exception:
        return {}


def split(pipeline: Pipeline, message_id: int) -> list[int]:
    """Create the message's documents (once); return the ids waiting for processing."""
    try:
        return _split(pipeline, message_id)
    except IntegrityError:  # split concurrently (a double click, two workers): theirs stands
        log.info("message %s: split concurrently, re-reading", message_id)
        return _split(pipeline, message_id)


def _split(pipeline: Pipeline, message_id: int) -> list[int]:
    with pipeline.sessions() as session:
        message = session.get(Message, message_id)
        if message is None:
            raise LookupError(f"message {message_id} not found")
        if message.state != states.RECEIVED:
            return [d.id for d in message.documents if d.state in states.PENDING_DOCUMENT_STATES]
        raw = pipeline.blobs.get(message.raw_sha256)
        now = pipeline.clock()
        if message.channel == "mail":
            content = mime.parse(raw, pipeline.limits)
        else:
            content = _single_file(raw, message.source, pipeline.limits)
        for part in content.parts + content.oversized:
            sha = pipeline.blobs.put(part.data)
            _ensure_blob(session, sha, len(part.data), pipeline)
            too_large = part in content.oversized
            if session.scalars(
                select(Document).where(Document.message_id == message.id, Document.sha256 == sha)
            ).first():
                continue  # the same attachment twice in one e-mail: one document
            session.add(
                Document(
                    message_id=message.id,
                    filename=stored_filename(part.filename),  # the bytes stay whole
                    content_type=part.content_type[:250],
                    sha256=sha,
                    size=len(part.data),
                    state=states.TOO_LARGE if too_large else states.STORED,
                    attempts=0,
                    last_error=(
                        f"Anhang zu groß ({len(part.data) / 1048576:.1f} MB; erlaubt "
                        f"{pipeline.limits.max_attachment_bytes / 1048576:.0f} MB)."
                        if too_large
                        else None
                    ),
                    created_at=now,
                    updated_at=now,
                )
            )
            session.flush()
            if too_large:
                document = session.scalars(
                    select(Document).where(
                        Document.message_id == message.id, Document.sha256 == sha
                    )
                ).one()
                outbox.queue_document_notice(
                    session, document, message, document.last_error or "", now
                )
        if content.parts or content.oversized:
            message.state = states.SPLIT
            message.reason = content.reason
        else:
            refused = content.reason is not None and "erlaubt" in content.reason
            message.state = states.REFUSED if refused else states.NO_INVOICE
            message.reason = content.reason or "Keine Rechnung gefunden."
        message.updated_at = now
        session.commit()
        return [d.id for d in message.documents if d.state == states.STORED]


def _single_file(raw: bytes, source: str, limits: mime.Limits) -> mime.MailContent:
    content = mime.MailContent()
    # upload:<account id>:<file name>, else a path
    name = source.split(":", 2)[-1] if source.startswith("upload:") else source.rsplit("/", 1)[-1]
    name = stored_filename(name) or "upload"
    part = mime.Part(name, "application/octet-stream", raw)
    if len(raw) > limits.max_attachment_bytes:
        content.oversized.append(part)
    else:
        content.parts.append(part)
    return content
