"""Split a received e-mail into candidate invoice documents, within limits."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage, Message

INVOICE_SUFFIXES = (".xml", ".pdf")
INVOICE_TYPES = ("application/xml", "text/xml", "application/pdf")


@dataclass(frozen=True, slots=True)
class Limits:
    max_message_bytes: int = 50 * 1024 * 1024
    max_attachment_bytes: int = 20 * 1024 * 1024
    max_attachments: int = 100


@dataclass(frozen=True, slots=True)
class Part:
    filename: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class MailContent:
    message_id: str | None = None
    sender: str | None = None
    subject: str | None = None
    parts: list[Part] = field(default_factory=list)
    oversized: list[Part] = field(default_factory=list)  # recorded, not processed
    undecodable: list[str] = field(default_factory=list)  # attachments that could not be read
    reason: str | None = None  # why nothing could be taken (German, for the record)


def parse(raw: bytes, limits: Limits) -> MailContent:
    content = MailContent()
    if len(raw) > limits.max_message_bytes:
        content.reason = (
            f"Die E-Mail ist zu groß ({len(raw) / 1048576:.1f} MB; erlaubt "
            f"{limits.max_message_bytes / 1048576:.0f} MB) und wurde nicht verarbeitet."
        )
        return content
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        content.message_id = _header(message, "Message-ID")
        content.sender = _header(message, "From")
        content.subject = _header(message, "Subject")
        leaves = [p for p in message.walk() if not p.is_multipart()]
    except Exception as exc:  # the e-mail parser raises many kinds on broken MIME
        content.reason = f"Die E-Mail ist kein lesbares MIME-Dokument ({exc})."
        return content
    attachments = [p for p in leaves if _is_attachment(p)]
    if len(attachments) > limits.max_attachments:
        content.reason = (
            f"Die E-Mail hat {len(attachments)} Anhänge; erlaubt sind höchstens "
            f"{limits.max_attachments}. Bitte je E-Mail eine Rechnung senden."
        )
        return content
    for leaf in attachments:
        filename = leaf.get_filename() or ""
        ctype = leaf.get_content_type()
        if not (filename.lower().endswith(INVOICE_SUFFIXES) or ctype in INVOICE_TYPES):
            continue
        data = _payload(leaf)
        if data is None:
            content.undecodable.append(filename or ctype)
            continue
        part = Part(filename or f"anhang.{ctype.rsplit('/', 1)[-1]}", ctype, data)
        if len(data) > limits.max_attachment_bytes:
            content.oversized.append(part)
        else:
            content.parts.append(part)
    if not content.parts and not content.oversized:
        body = _xml_body(leaves)
        if body is not None:
            content.parts.append(body)
    if content.undecodable:
        content.reason = (
            "Anhang nicht lesbar (Kodierung fehlerhaft): " + ", ".join(content.undecodable) + "."
        )
    if not content.parts and not content.oversized:
        defects = [str(d) for d in getattr(message, "defects", [])]
        content.reason = (
            (content.reason + " " if content.reason else "")
            + "Keine Rechnung gefunden: die E-Mail hat keinen lesbaren XML- oder PDF-Anhang "
            "und keine XML-Rechnung im Text."
            + (f" MIME-Fehler: {'; '.join(defects)}" if defects else "")
        )
    return content


def _header(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:
        return None
    return str(value).strip()[:500] if value else None


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").lower()
    return "attachment" in disposition or bool(part.get_filename())


def _payload(part: Message) -> bytes | None:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        return None
    return data if isinstance(data, bytes) else None


def _xml_body(leaves: Sequence[Message]) -> Part | None:
    for leaf in leaves:
        if _is_attachment(leaf):
            continue
        if leaf.get_content_type() not in ("text/plain", "text/xml", "application/xml"):
            continue
        data = _payload(leaf)
        if data is None:
            continue
        stripped = data.strip()
        if stripped.startswith(b"<") and (
            b"CrossIndustryInvoice" in stripped[:4096]
            or b":Invoice-2" in stripped[:4096]
            or b":CreditNote-2" in stripped[:4096]
        ):
            return Part("nachricht.xml", leaf.get_content_type(), stripped)
    return None


def is_email(raw: bytes) -> bool:
    """Heuristic: does ``raw`` look like an RFC 5322 message (headers first)?"""
    head = raw[:2048]
    return not head.lstrip().startswith((b"<", b"%PDF")) and b":" in head.split(b"\n", 1)[0]


__all__ = ["EmailMessage", "Limits", "MailContent", "Part", "is_email", "parse"]
