"""The e-mail outbox: what is waiting, what hangs in ``sending``, and answers about
documents no invoice could be read from.

Every e-mail is a row in ``notifications`` before it is sent (see
:mod:`einvoice.services.notifications`). A delivery claims a row
(``pending`` -> ``sending``, ``claimed_at`` set); a process killed between the
claim and the result leaves it in ``sending``. Once the claim is older than
:data:`STUCK_SENDING_AFTER` (far beyond the SMTP timeout, so the sender is surely
gone) the sweeper releases it to ``pending``: it goes out again with the same
Message-ID, so a receiving server that did get the first copy can drop the second.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from einvoice.services.notifications import FAILED, PENDING, SENDING, UNDELIVERABLE
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import Document, FindingRow, Message, Notification

log = logging.getLogger(__name__)

STUCK_SENDING_AFTER = timedelta(minutes=10)
DOCUMENT = "document"
MAX_LISTED_FINDINGS = 20
RELEASED = (
    "Versand unterbrochen (Prozess beendet während des Sendens); erneuter Versand mit "
    "derselben Message-ID."
)


@dataclass(frozen=True, slots=True)
class StuckMail:
    id: int
    recipient: str | None
    claimed_at: datetime


def counts(pipeline: Pipeline) -> dict[str, int]:
    """E-mails by status (pending, sending, sent, failed, undeliverable)."""
    with pipeline.sessions() as session:
        rows = session.execute(
            select(Notification.status, func.count()).group_by(Notification.status)
        ).all()
    return {str(status): int(n) for status, n in rows}


def problems(pipeline: Pipeline, limit: int = 50) -> list[dict[str, object]]:
    """E-mails that did not go out (failed, undeliverable), newest first, for the operators."""
    with pipeline.sessions() as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.status.in_((FAILED, UNDELIVERABLE)))
            .order_by(Notification.id.desc())
            .limit(limit)
        )
        return [
            {
                "id": n.id,
                "invoice": n.invoice_id,
                "document": n.document_id,
                "status": n.status,
                "recipient": n.recipient,
                "subject": n.subject,
                "attempts": n.attempts,
                "error": n.last_error,
            }
            for n in rows
        ]


def stuck_sending(
    pipeline: Pipeline, older_than: timedelta = STUCK_SENDING_AFTER
) -> list[StuckMail]:
    cutoff = pipeline.clock() - older_than
    with pipeline.sessions() as session:
        rows = session.scalars(
            select(Notification).where(
                Notification.status == SENDING,
                or_(
                    Notification.claimed_at < cutoff,
                    Notification.claimed_at.is_(None) & (Notification.created_at < cutoff),
                ),
            )
        )
        return [StuckMail(n.id, n.recipient, n.claimed_at or n.created_at) for n in rows]


def release(
    pipeline: Pipeline, notification_id: int, older_than: timedelta = STUCK_SENDING_AFTER
) -> bool:
    """``sending`` -> ``pending`` for a claim older than ``older_than``; True if released."""
    cutoff = pipeline.clock() - older_than
    with pipeline.sessions() as session:
        released = session.execute(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.status == SENDING,
                or_(
                    Notification.claimed_at < cutoff,
                    Notification.claimed_at.is_(None) & (Notification.created_at < cutoff),
                ),
            )
            .values(status=PENDING, last_error=RELEASED)
        )
        session.commit()
    done = bool(released.rowcount)  # type: ignore[attr-defined]
    if done:
        log.warning("e-mail %s hung in 'sending': released for a retry", notification_id)
    return done


def release_stuck(pipeline: Pipeline, older_than: timedelta = STUCK_SENDING_AFTER) -> int:
    return sum(release(pipeline, m.id, older_than) for m in stuck_sending(pipeline, older_than))


def due(pipeline: Pipeline) -> list[int]:
    """Pending e-mails due for a (next) attempt: back-off of 2^attempts minutes, at most 6 h."""
    now = pipeline.clock()
    with pipeline.sessions() as session:
        rows = session.execute(
            select(Notification.id, Notification.attempts, Notification.claimed_at).where(
                Notification.status == PENDING
            )
        ).all()
    return [
        n_id
        for n_id, attempts, claimed in rows
        if claimed is None
        or _aware(claimed) < now - timedelta(minutes=min(360, 2 ** min(int(attempts), 9)))
    ]


def _aware(at: datetime) -> datetime:
    from datetime import UTC

    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# --- answers about documents without an invoice -----------------------------------------------


def queue_document_notice(
    session: Session, document: Document, message: Message, reason: str, at: datetime
) -> Notification | None:
    """Record the e-mail telling the sender that a document of theirs could not be used.

    Only for e-mails (an upload's supplier sees the state in the portal, a dropped
    file has no sender); once per document.
    """
    key = f"{DOCUMENT}:{document.state}"
    if message.channel != "mail":
        return None
    exists = session.scalar(
        select(Notification.id).where(
            Notification.document_id == document.id, Notification.key == key
        )
    )
    if exists is not None:
        return None
    address = parseaddr(message.sender or "")[1]
    recipient = address if "@" in address else None
    row = Notification(
        invoice_id=None,
        document_id=document.id,
        kind="supplier",
        key=key,
        recipient=recipient,
        subject=f"Ihre Rechnung konnte nicht verarbeitet werden: {document.filename}"[:1000],
        body=_document_body(session, document, message, reason),
        status=PENDING if recipient else UNDELIVERABLE,
        attempts=0,
        last_error=None if recipient else "Keine Absenderadresse in der E-Mail.",
        created_at=at,
    )
    session.add(row)
    return row


def _document_body(session: Session, document: Document, message: Message, reason: str) -> str:
    received = f"{message.received_at:%d.%m.%Y}"
    lines = [
        "Sehr geehrte Damen und Herren,",
        "",
        f"Ihre E-Mail vom {received} (Betreff: {message.subject or '(ohne Betreff)'}) enthielt "
        f"die Datei „{document.filename}“. Aus ihr konnte keine Rechnung gelesen werden; "
        "sie wird daher nicht bearbeitet und nicht bezahlt.",
        "",
        f"Grund: {reason}",
    ]
    findings = list(
        session.scalars(
            select(FindingRow)
            .where(FindingRow.document_id == document.id, FindingRow.severity == "error")
            .order_by(FindingRow.id)
            .limit(MAX_LISTED_FINDINGS + 1)
        )
    )
    if findings:
        lines += ["", "Die Prüfung hat folgende Fehler ergeben:", ""]
        for index, f in enumerate(findings[:MAX_LISTED_FINDINGS], 1):
            lines.append(f"{index}. {f.rule}")
            lines.append(f"   {f.message_de}")
        if len(findings) > MAX_LISTED_FINDINGS:
            lines.append("... und weitere Fehler.")
    lines += [
        "",
        "Bitte senden Sie die Rechnung als E-Rechnung (XRechnung oder ZUGFeRD/Factur-X) "
        "erneut ein.",
        "",
        "Mit freundlichen Grüßen",
        "Ihr Rechnungseingang",
        "",
        "Diese Nachricht wurde automatisch erstellt.",
    ]
    return "\n".join(lines)
