"""E-mails the workflow sends: supplier rejections and deadline reminders, each once.

Every e-mail is first *recorded* (table ``notifications``, unique per invoice
and key) in the transaction that decided it, then delivered after the commit
by :func:`deliver`. Without an SMTP server, or while it is unreachable, the
e-mail stays ``pending`` with the reason and goes out on the next delivery
run (the deadline scan runs one); it is never dropped silently. A delivery
claims the row first (``pending`` -> ``sending``), so two workers never send
the same e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from email.utils import parseaddr
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from einvoice.domain.approval import STATUS_LABELS_DE, Status
from einvoice.domain.channels import UPLOAD, WEBERFASSUNG, portal_account_id
from einvoice.domain.deadlines import DeadlineStatus, deadline_status
from einvoice.domain.routing import Department, RoutingConfig
from einvoice.domain.terms import term_label
from einvoice.errors import ConfigurationError, PermanentError, TransientError
from einvoice.presentation.plurals import count_de
from einvoice.services.ports import Mailer, OutgoingMail, Pipeline
from einvoice.services.workflow_base import now_local, ports_of
from einvoice.storage.accounts import Account
from einvoice.storage.tables import DeadlineRow, Document, Invoice, Message, Notification, Workflow

log = logging.getLogger(__name__)

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"  # permanently refused, or out of attempts
UNDELIVERABLE = "undeliverable"  # no address to send to

STATUS_LABELS = {
    PENDING: "wartet auf Versand",
    SENDING: "wird gesendet",
    SENT: "gesendet",
    FAILED: "fehlgeschlagen",
    UNDELIVERABLE: "keine Empfängeradresse",
}

SUPPLIER = "supplier"
DEADLINE = "deadline"
MAX_ATTEMPTS = 10
MAX_LISTED_FINDINGS = 30
OPEN_STATUSES = (
    Status.ROUTED.value,
    Status.SACHLICH_RICHTIG.value,
    Status.RECHNERISCH_RICHTIG.value,
    Status.ANGEORDNET.value,
)
NO_SMTP = "Kein SMTP-Server eingerichtet (EINVOICE_SMTP_URL): die E-Mail wartet auf den Versand."
_FOOTER = "\nDiese Nachricht wurde automatisch erstellt.\n"
#: the supplier portal's hint beside a rejection on substance (services.queues)
FINAL_HINT_DE = (
    "Die Ablehnung ist endgültig: bitte senden Sie diese Rechnung nicht erneut. Bei Fragen "
    "wenden Sie sich bitte an {who}."
)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an invoice was rejected: a validation finding, or a person's comment."""

    text: str
    rule: str | None = None  # e.g. BR-DE-15
    terms: tuple[str, ...] = ()  # business terms concerned, e.g. ("BT-10",)


@dataclass(frozen=True, slots=True)
class Delivery:
    sent: int
    pending: int  # still waiting (no SMTP server, server unreachable)
    failed: int


@dataclass(frozen=True, slots=True)
class DeadlineWarning:
    invoice_id: int
    number: str  # BT-1
    supplier: str
    department: str | None
    kind: str  # due, skonto
    deadline: date
    stage: str  # soon, overdue
    days_left: int  # negative: days overdue
    amount: Decimal  # BT-115
    discount: Decimal | None  # Skonto amount


@dataclass(frozen=True, slots=True)
class DeadlineScan:
    today: date
    warnings: tuple[DeadlineWarning, ...]
    queued: int  # reminders recorded by this scan
    delivery: Delivery


# --- supplier e-mails -----------------------------------------------------------------------


def supplier_address(semantic: dict[str, Any], sender: str | None) -> str | None:
    """BT-43 seller contact e-mail, else BT-34 with scheme EM, else the e-mail's sender."""
    seller = semantic.get("BG-4") or {}
    contact = seller.get("BG-6") or {}
    candidates = [contact.get("BT-43")]
    if str(seller.get("BT-34-1") or "").upper() == "EM":
        candidates.append(seller.get("BT-34"))
    candidates.append(sender)
    for candidate in candidates:
        address = parseaddr(str(candidate or ""))[1]
        if "@" in address:
            return address
    return None


@dataclass(frozen=True, slots=True)
class Submitter:
    """Who submitted the invoice and how: the portal account's e-mail, or the channel."""

    channel: str  # upload, weberfassung, mail, drop (domain.channels)
    email: str | None  # the portal account's address (uploads)


def submitter_of(session: Session, invoice: Invoice) -> Submitter:
    """The channel of the invoice and, for a portal upload, the uploading account's e-mail."""
    document = session.get(Document, invoice.document_id)
    message = session.get(Message, document.message_id) if document else None
    if message is None:
        return Submitter("mail", None)
    account_id = portal_account_id(message.channel, message.source)
    if account_id is None:
        return Submitter(message.channel, None)
    account = session.get(Account, account_id)
    address = parseaddr(account.email or "")[1] if account is not None else ""
    return Submitter(message.channel, address if "@" in address else None)


def recipients(
    semantic: dict[str, Any], sender: str | None, submitter: Submitter
) -> tuple[str | None, tuple[str, ...]]:
    """(to, cc) of a supplier e-mail: the portal account that submitted, the invoice's
    address (BT-43, BT-34, the e-mail's sender) in copy; without one, the invoice's address."""
    written = supplier_address(semantic, sender)
    if submitter.email is None:
        return written, ()
    copy = (written,) if written and written.lower() != submitter.email.lower() else ()
    return submitter.email, copy


def queue_supplier_notice(
    session: Session,
    invoice: Invoice,
    *,
    returned: bool,
    by_validation: bool,
    reasons: Sequence[Reason],
    config: RoutingConfig,
    received_on: date,
    sender: str | None,
    at: datetime,
    department: Department | None = None,
) -> Notification | None:
    """Record the e-mail telling the supplier why the invoice is rejected or returned.

    Returned for correction and rejected by the intake check: correct and send again (in the
    portal or by e-mail, as it came); rejected by a person (on substance): final, whom to
    contact (``department``). To the uploading portal account, the invoice's address in copy.
    """
    key = f"{SUPPLIER}:{'return' if returned else 'reject'}"
    if _exists(session, invoice.id, key):
        return None
    number = invoice.number or "(ohne Nummer)"
    subject = (
        f"Rückgabe Ihrer Rechnung {number} zur Berichtigung"
        if returned
        else f"Ihre Rechnung {number} wurde abgelehnt"
    )
    submitter = submitter_of(session, invoice)
    body = _supplier_body(
        invoice, returned, by_validation, reasons, config, received_on, submitter, department
    )
    to, cc = recipients(invoice.semantic, sender, submitter)
    row = _record(
        session,
        invoice.id,
        SUPPLIER,
        key,
        to,
        subject,
        body,
        at,
        "Keine E-Mail-Adresse des Lieferanten bekannt (Portalkonto, BT-43, BT-34, Absender).",
    )
    row.cc = ", ".join(cc)[:512] or None
    return row


def resend_how(submitter: Submitter) -> str:
    """How to send the corrected invoice again: the way it came."""
    if submitter.channel == WEBERFASSUNG:
        return (
            "Bitte berichtigen Sie die Rechnung im Lieferantenportal: melden Sie sich an; "
            "unter „Rechnung erfassen“ steht die Rechnung zur Korrektur bereit, mit Ihren "
            "Angaben vorausgefüllt."
        )
    if submitter.channel == UPLOAD:
        return (
            "Bitte berichtigen Sie die Rechnung und senden Sie sie erneut über das "
            "Lieferantenportal: melden Sie sich an und reichen Sie die berichtigte Rechnung "
            "unter „Rechnung einreichen“ ein."
        )
    return (
        "Bitte berichtigen Sie die Rechnung und senden Sie sie erneut als E-Rechnung per "
        "E-Mail an dieselbe Adresse, an die Sie diese Rechnung geschickt haben."
    )


def _supplier_body(
    invoice: Invoice,
    returned: bool,
    by_validation: bool,
    reasons: Sequence[Reason],
    config: RoutingConfig,
    received_on: date,
    submitter: Submitter,
    department: Department | None,
) -> str:
    city = config.name or "die Stadt"
    amount = money(invoice.total_with_vat, invoice.currency)
    issued = german_date(invoice.issue_date)
    head = (
        f"Ihre Rechnung Nr. {invoice.number} vom {issued} über {amount} an {city} "
        f"(eingegangen am {received_on:%d.%m.%Y}, Leitweg-ID {invoice.buyer_reference or 'fehlt'})"
    )
    lines = ["Sehr geehrte Damen und Herren,", ""]
    if returned:
        lines += [
            f"{head} geben wir Ihnen zur Berichtigung zurück; so wird sie nicht bezahlt.",
            "",
            "Begründung:",
        ]
    elif by_validation:
        lines += [
            f"{head} wurde bei der Eingangsprüfung (XRechnung / EN 16931) abgelehnt und wird "
            "nicht bezahlt.",
            "",
            "Die Prüfung hat folgende Fehler ergeben:",
        ]
    else:
        lines += [f"{head} wurde abgelehnt und wird nicht bezahlt.", "", "Begründung:"]
    lines.append("")
    for index, reason in enumerate(reasons[:MAX_LISTED_FINDINGS], 1):
        terms = ", ".join(term_label(t) for t in reason.terms)
        title = " ".join(p for p in (reason.rule, f"({terms})" if terms else "") if p)
        if title:
            lines.append(f"{index}. {title}")
            lines.append(f"   {reason.text}")
        else:
            lines.append(reason.text)
    if len(reasons) > MAX_LISTED_FINDINGS:
        lines.append(f"... und {len(reasons) - MAX_LISTED_FINDINGS} weitere Fehler.")
    lines.append("")
    if returned or by_validation:
        lines += [
            resend_how(submitter),
            "Die berichtigte Rechnung darf dieselbe Rechnungsnummer tragen. Eine Rechnung im "
            "Format XRechnung muss die Leitweg-ID des bestellenden Amts als Käuferreferenz "
            "(BT-10) enthalten.",
        ]
    else:
        lines += [
            "Die Ablehnung ist endgültig: bitte senden Sie diese Rechnung nicht erneut ein.",
            _contact_de(department, city),
        ]
    lines += ["", "Mit freundlichen Grüßen", f"{city} – Rechnungseingang", _FOOTER]
    return "\n".join(lines)


def _contact_de(department: Department | None, city: str) -> str:
    if department is None:
        return f"Bei Fragen zur Ablehnung wenden Sie sich bitte an den Rechnungseingang von {city}."
    where = f" ({department.email})" if department.email else ""
    return (
        f"Bei Fragen zur Ablehnung wenden Sie sich bitte an das Amt, das sie entschieden hat: "
        f"{department.name}{where}."
    )


# --- deadline reminders -----------------------------------------------------------------------


def deadline_scan(pipeline: Pipeline, today: date | None = None) -> DeadlineScan:
    """Flag open invoices nearing or past their due date or Skonto deadline; remind by e-mail.

    The department's mailbox gets one e-mail per invoice and deadline and stage:
    the due date when it is near and again when it has passed, a Skonto
    deadline when it is near (a passed one is only flagged: the discount is lost).
    Pending e-mails from earlier runs are delivered as well.
    """
    ports = ports_of(pipeline)
    config = ports.routing()
    today = today or now_local(pipeline).date()
    at = now_local(pipeline)
    warnings: list[DeadlineWarning] = []
    queued = 0
    with pipeline.sessions() as session:
        rows = session.execute(
            select(Workflow, Invoice, DeadlineRow)
            .join(Invoice, Invoice.id == Workflow.invoice_id)
            .join(DeadlineRow, DeadlineRow.invoice_id == Workflow.invoice_id)
            .where(Workflow.status.in_(OPEN_STATUSES))
            .order_by(DeadlineRow.due_on, Workflow.invoice_id)
        ).all()
        for flow, invoice, deadline in rows:
            stage = deadline_status(deadline.due_on, today, ports.warning_days)
            if stage not in (DeadlineStatus.SOON, DeadlineStatus.OVERDUE):
                continue
            warning = DeadlineWarning(
                invoice_id=invoice.id,
                number=invoice.number,
                supplier=invoice.seller_name or "",
                department=flow.department,
                kind=deadline.kind,
                deadline=deadline.due_on,
                stage=stage.value,
                days_left=(deadline.due_on - today).days,
                amount=flow.amount,
                discount=deadline.discount,
            )
            warnings.append(warning)
            if deadline.kind == "skonto" and stage is DeadlineStatus.OVERDUE:
                continue
            key = f"{DEADLINE}:{deadline.kind}:{deadline.position}:{stage.value}"
            if _exists(session, invoice.id, key):
                continue
            dept = config.department(flow.department or "")
            subject, body = _reminder(warning, flow, invoice, config)
            _record(
                session,
                invoice.id,
                DEADLINE,
                key,
                dept.email if dept else None,
                subject,
                body,
                at,
                f"Für das Amt {flow.department} ist keine E-Mail-Adresse konfiguriert.",
            )
            queued += 1
        try:
            session.commit()
        except IntegrityError:  # a concurrent scan recorded the same reminders first
            session.rollback()
            queued = 0
    return DeadlineScan(today, tuple(warnings), queued, deliver(pipeline))


def _reminder(
    w: DeadlineWarning, flow: Workflow, invoice: Invoice, config: RoutingConfig
) -> tuple[str, str]:
    dept = config.department(flow.department or "")
    what = f"Rechnung {w.number} von {w.supplier or 'unbekanntem Lieferanten'}"
    amount = money(w.amount, invoice.currency)
    if w.kind == "skonto":
        saving = money(w.discount, invoice.currency) if w.discount is not None else "Skonto"
        subject = f"Skonto-Frist läuft ab: {what} (bis {w.deadline:%d.%m.%Y})"
        first = (
            f"für die {what} über {amount} kann bis zum {w.deadline:%d.%m.%Y} {saving} Skonto "
            f"gezogen werden (noch {count_de(w.days_left, 'Tag')})."
        )
    elif w.stage == DeadlineStatus.OVERDUE.value:
        subject = f"Zahlungsfrist überschritten: {what} (fällig am {w.deadline:%d.%m.%Y})"
        first = (
            f"die {what} über {amount} war am {w.deadline:%d.%m.%Y} fällig und ist seit "
            f"{count_de(-w.days_left, 'Tag')} überfällig."
        )
    else:
        subject = f"Zahlungsfrist: {what} fällig am {w.deadline:%d.%m.%Y}"
        first = (
            f"die {what} über {amount} ist am {w.deadline:%d.%m.%Y} fällig "
            f"(noch {count_de(w.days_left, 'Tag')})."
        )
    status = STATUS_LABELS_DE.get(Status(flow.status), flow.status)
    body = "\n".join(
        [
            "Guten Tag,",
            "",
            first,
            f"Stand der Freigabe: {status}. Amt: {dept.name if dept else flow.department}.",
            "",
            f"Bitte bearbeiten Sie die Rechnung (Nr. {w.invoice_id} im Rechnungseingang):",
            f"  einvoice invoice show {w.invoice_id}",
            _FOOTER,
        ]
    )
    return subject, body


# --- recording and delivery -------------------------------------------------------------------


def _exists(session: Session, invoice_id: int, key: str) -> bool:
    found = session.scalar(
        select(Notification.id).where(
            Notification.invoice_id == invoice_id, Notification.key == key
        )
    )
    return found is not None


def _record(
    session: Session,
    invoice_id: int,
    kind: str,
    key: str,
    recipient: str | None,
    subject: str,
    body: str,
    at: datetime,
    no_recipient: str,
) -> Notification:
    row = Notification(
        invoice_id=invoice_id,
        kind=kind,
        key=key,
        recipient=recipient,
        subject=subject[:1000],
        body=body,
        status=PENDING if recipient else UNDELIVERABLE,
        attempts=0,
        last_error=None if recipient else no_recipient,
        created_at=at,
    )
    if not recipient:
        log.warning("invoice %s: e-mail %s has no recipient", invoice_id, key)
    session.add(row)
    return row


def deliver(
    pipeline: Pipeline,
    invoice_id: int | None = None,
    document_id: int | None = None,
    ids: Sequence[int] | None = None,
    mailer: Mailer | None = None,
) -> Delivery:
    """Send the pending e-mails (of one invoice or document, or all); each claimed first.
    ``mailer``: another than the workflow's (the web app's for account e-mails)."""
    mailer = mailer if mailer is not None else ports_of(pipeline).mailer
    with pipeline.sessions() as session:
        query = select(Notification.id).where(Notification.status == PENDING)
        if ids is not None:
            query = query.where(Notification.id.in_(list(ids)))
        if invoice_id is not None:
            query = query.where(Notification.invoice_id == invoice_id)
        if document_id is not None:
            query = query.where(Notification.document_id == document_id)
        ids = list(session.scalars(query.order_by(Notification.id)))
        if mailer is None:
            if ids:
                session.execute(
                    update(Notification)
                    .where(Notification.id.in_(ids), Notification.last_error.is_(None))
                    .values(last_error=NO_SMTP)
                )
                session.commit()
                log.info("%d e-mail(s) pending: no SMTP server configured", len(ids))
            return Delivery(0, len(ids), 0)
    sent = pending = failed = 0
    for notification_id in ids:
        mail = _claim(pipeline, notification_id)
        if mail is None:
            continue
        outcome, error = _send(mailer, mail)
        with pipeline.sessions() as session:
            row = session.get(Notification, notification_id)
            assert row is not None
            row.last_error = error
            if outcome == SENT:
                row.status, row.sent_at = SENT, pipeline.clock()
                sent += 1
            elif outcome == PENDING and row.attempts < MAX_ATTEMPTS:
                row.status = PENDING
                pending += 1
            else:
                row.status = FAILED
                failed += 1
            session.commit()
    return Delivery(sent, pending, failed)


def _claim(pipeline: Pipeline, notification_id: int) -> OutgoingMail | None:
    with pipeline.sessions() as session:
        claimed = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == PENDING)
            .values(status=SENDING, attempts=Notification.attempts + 1, claimed_at=pipeline.clock())
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return None
        session.commit()
        row = session.get(Notification, notification_id)
        assert row is not None and row.recipient is not None
        # a stable key: a retry after a crash in `sending` carries the same Message-ID
        if row.invoice_id is not None:
            key = f"{row.invoice_id}.{row.id}"
        elif row.document_id is not None:
            key = f"d{row.document_id}.{row.id}"
        else:  # an account e-mail (registration, verification, password reset)
            key = f"a{row.id}"
        cc = tuple(c.strip() for c in (row.cc or "").split(",") if c.strip())
        return OutgoingMail(row.recipient, row.subject, row.body, key=key, cc=cc)


def _send(mailer: Mailer, mail: OutgoingMail) -> tuple[str, str | None]:
    try:
        mailer.send(mail)
    except (TransientError, ConfigurationError) as exc:
        log.warning("e-mail %s not sent, will retry: %s", mail.key, exc)
        return PENDING, str(exc)[:4000]
    except PermanentError as exc:
        log.error("e-mail %s refused: %s", mail.key, exc)
        return FAILED, str(exc)[:4000]
    return SENT, None


# --- formatting -------------------------------------------------------------------------------


def money(value: Decimal | None, currency: str | None) -> str:
    """``1.234,50 EUR`` (German grouping and decimal comma)."""
    if value is None:
        return "(Betrag unbekannt)"
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {currency or 'EUR'}"


def german_date(value: str | date | None) -> str:
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if value and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return value or "(ohne Datum)"
