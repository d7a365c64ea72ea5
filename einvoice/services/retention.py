"""Retention: list what is due, delete originals and personal data, leave audited tombstones.

A received message is the unit: its originals (the e-mail and every attachment)
are deleted together once the statutory period of every invoice in it has ended
(counted from the end of the year the invoice was closed, ``retention.closed_on``;
an open invoice has no period yet) and none of them has an open payment hold or
a legal hold. A message that repeats an invoice (a duplicate) waits for that
invoice too. The sender's personal data goes with the originals: the e-mail's
sender and subject, the seller's name, the invoice's content and search words,
the sender and bank accounts recorded for the payment holds, comments and
notifications. Only an administrator's account (Systemverwaltung) deletes;
administrators and creditor accounting place and release legal holds.
What stays: a tombstone (when, by whom, which hashes), the invoice's key figures
for the books, and one more event in each invoice's audit chain, so
``einvoice audit verify`` still holds.
The database commits first; the bytes are deleted afterwards (a crash in between
leaves bytes that the next ``retention apply`` removes, never a record without
its deletion being written down).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from einvoice.domain.audit import AuditEntry
from einvoice.domain.retention import (
    TOMBSTONE_ACTION,
    StateChange,
    closed_on,
    decide,
    first_year_kept,
)
from einvoice.errors import PermanentError
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import aware, last_event, now_local
from einvoice.storage.accounts import Account
from einvoice.storage.creditor_tables import HoldRow, InvoiceSupplierRow
from einvoice.storage.kontierung_tables import KontierungHistoryRow, PaymentOrderRow
from einvoice.storage.ops_tables import (
    DeletedBlob,
    LegalHold,
    RetentionTombstone,
    erased_digests_query,
)
from einvoice.storage.tables import (
    AuditEventRow,
    Comment,
    Document,
    DuplicateRecord,
    ExportBatch,
    FindingRow,
    Invoice,
    Message,
    Notification,
    Workflow,
)

ERASED = "(nach Ablauf der Aufbewahrungsfrist gelöscht)"


#: Who may delete (``apply``) and who may place or release a legal hold (account roles).
DELETE_ROLES = frozenset({"admin"})
HOLD_ROLES = frozenset({"admin", "creditor_accounting"})
_ROLE_NAMES_DE = {"admin": "Systemverwaltung", "creditor_accounting": "Kreditorenbuchhaltung"}


class RetentionError(PermanentError):
    pass


def check_actor(pipeline: Pipeline, actor: str, roles: frozenset[str]) -> None:
    """``actor`` must be an active account with one of ``roles`` (else RetentionError)."""
    names = " oder ".join(_ROLE_NAMES_DE[r] for r in sorted(roles))
    with pipeline.sessions() as session:
        account = session.scalars(
            select(Account).where(Account.username == actor.strip().lower())
        ).first()
        if account is None or not account.active:
            raise RetentionError(
                f"Ein aktives Konto „{actor}“ gibt es nicht. --as nennt den eigenen "
                f"Benutzernamen (Rolle {names}); anlegen mit einvoice accounts create."
            )
        if account.role not in roles:
            raise RetentionError(
                f"Das Konto „{actor}“ hat die Rolle {account.role}; das dürfen nur Konten "
                f"mit der Rolle {names}."
            )


@dataclass(frozen=True, slots=True)
class PlanItem:
    message_id: int
    received_on: date
    retained_until: date
    invoice_ids: tuple[int, ...]
    held: bool
    reason_de: str


@dataclass(frozen=True, slots=True)
class ApplyResult:
    deleted_messages: int
    deleted_blobs: int
    tombstone_events: int
    held: int
    kept_shared_blobs: int


def _local_date(pipeline: Pipeline, at: datetime) -> date:
    zone = now_local(pipeline).tzinfo
    return aware(at).astimezone(zone).date()


def _holds(session: Session, invoice_ids: tuple[int, ...]) -> tuple[str, ...]:
    """Open legal holds and open payment holds of the invoices (German, one each)."""
    if not invoice_ids:
        return ()
    legal = session.scalars(
        select(LegalHold).where(
            LegalHold.invoice_id.in_(invoice_ids), LegalHold.released_at.is_(None)
        )
    )
    payment = session.scalars(
        select(HoldRow).where(HoldRow.invoice_id.in_(invoice_ids), HoldRow.cleared_at.is_(None))
    )
    return tuple(f"Rechnung {h.invoice_id}: {h.reason}" for h in legal) + tuple(
        f"Rechnung {h.invoice_id}: Zahlungssperre {h.code} offen" for h in payment
    )


def _closed_on(session: Session, pipeline: Pipeline, invoice_id: int) -> date | None:
    """The day the invoice was closed, in the city's time (None: open or not in the workflow);
    a payment booked later than the export closes it on that day."""
    from einvoice.services.payment_status import paid_in

    flow = session.get(Workflow, invoice_id)
    if flow is None:
        return None
    trail = [
        StateChange(from_state, to_state, _local_date(pipeline, at))
        for from_state, to_state, at in session.execute(
            select(AuditEventRow.from_state, AuditEventRow.to_state, AuditEventRow.at)
            .where(AuditEventRow.invoice_id == invoice_id)
            .order_by(AuditEventRow.sequence)
        )
    ]
    paid = paid_in(session, invoice_id)
    return closed_on(flow.status, trail, paid.paid_on if paid is not None else None)


def _repeated_invoices(session: Session, message_id: int) -> tuple[int, ...]:
    """Invoices that documents of this message repeat (duplicates wait for the original)."""
    return tuple(
        i
        for i in session.scalars(
            select(DuplicateRecord.original_invoice_id)
            .join(Document, Document.id == DuplicateRecord.document_id)
            .where(Document.message_id == message_id)
        )
        if i is not None
    )


def _invoice_ids(session: Session, message: Message) -> tuple[int, ...]:
    return tuple(
        session.scalars(
            select(Invoice.id)
            .join(Document, Document.id == Invoice.document_id)
            .where(Document.message_id == message.id)
            .order_by(Invoice.id)
        )
    )


def _candidates(session: Session, pipeline: Pipeline, today: date, years: int) -> Iterator[Message]:
    zone = now_local(pipeline).tzinfo
    cutoff = datetime(first_year_kept(today, years), 1, 1, tzinfo=zone).astimezone(UTC)
    done = select(RetentionTombstone.message_id)
    yield from session.scalars(
        select(Message)
        .where(Message.received_at < cutoff, Message.id.not_in(done))
        .order_by(Message.id)
    )


def plan(pipeline: Pipeline, today: date, years: int) -> list[PlanItem]:
    """Every received message whose period has ended (held ones included, marked)."""
    items: list[PlanItem] = []
    with pipeline.sessions() as session:
        for message in _candidates(session, pipeline, today, years):
            received = _local_date(pipeline, message.received_at)
            invoices = _invoice_ids(session, message)
            concerned = tuple(sorted({*invoices, *_repeated_invoices(session, message.id)}))
            closed = tuple(_closed_on(session, pipeline, i) for i in concerned)
            decision = decide(received, today, _holds(session, concerned), years, closed=closed)
            if decision.due:
                items.append(
                    PlanItem(
                        message.id,
                        received,
                        decision.retained_until,
                        invoices,
                        decision.held,
                        decision.reason_de,
                    )
                )
    return items


def place_hold(pipeline: Pipeline, invoice_id: int, reason: str, actor: str) -> int:
    check_actor(pipeline, actor, HOLD_ROLES)
    if not reason.strip():
        raise RetentionError("Eine Sperre braucht einen Grund (z. B. Betriebsprüfung 2026).")
    with pipeline.sessions() as session, session.begin():
        if session.get(Invoice, invoice_id) is None:
            raise RetentionError(f"Rechnung {invoice_id} gibt es nicht.")
        hold = LegalHold(
            invoice_id=invoice_id,
            reason=reason.strip(),
            placed_by=actor,
            placed_at=datetime.now(UTC),
        )
        session.add(hold)
        session.flush()
        return hold.id


def release_hold(pipeline: Pipeline, invoice_id: int, actor: str) -> int:
    check_actor(pipeline, actor, HOLD_ROLES)
    with pipeline.sessions() as session, session.begin():
        holds = list(
            session.scalars(
                select(LegalHold).where(
                    LegalHold.invoice_id == invoice_id, LegalHold.released_at.is_(None)
                )
            )
        )
        for hold in holds:
            hold.released_by = actor
            hold.released_at = datetime.now(UTC)
        return len(holds)


def _shared(session: Session, digests: set[str], message_id: int) -> set[str]:
    """Digests another (not yet deleted) message, document, repeated delivery or export still
    refers to."""
    deleted = select(RetentionTombstone.message_id)
    still: set[str] = set()
    for digest, owner in (
        (Message.raw_sha256, Message.id),
        (Document.sha256, Document.message_id),
        (DuplicateRecord.raw_sha256, DuplicateRecord.message_id),
    ):
        still.update(
            d
            for d in session.scalars(
                select(digest).where(
                    digest.in_(digests), owner != message_id, owner.not_in(deleted)
                )
            )
            if d is not None
        )
    still.update(session.scalars(select(ExportBatch.sha256).where(ExportBatch.sha256.in_(digests))))
    return still


def _redelivered(session: Session, message_id: int) -> set[str]:
    """The bytes of the message's repeated deliveries, where they differed from the first."""
    return {
        digest
        for digest in session.scalars(
            select(DuplicateRecord.raw_sha256).where(DuplicateRecord.message_id == message_id)
        )
        if digest is not None
    }


def _erase_message(
    session: Session, pipeline: Pipeline, message: Message, until: date, actor: str
) -> tuple[list[str], int, int]:
    """The database part of one deletion; returns digests to delete, shared kept, events."""
    now = datetime.now(UTC)
    invoices = _invoice_ids(session, message)
    documents = list(session.scalars(select(Document).where(Document.message_id == message.id)))
    digests = {message.raw_sha256, *(d.sha256 for d in documents)}
    digests |= _redelivered(session, message.id)
    already = set(
        session.scalars(select(DeletedBlob.sha256).where(DeletedBlob.sha256.in_(digests)))
    )
    shared = _shared(session, digests, message.id)
    removable = sorted(digests - shared - already)
    tombstone = RetentionTombstone(
        message_id=message.id,
        retained_until=until,
        deleted_at=now,
        actor=actor,
        blobs=" ".join(removable),
        invoices=" ".join(str(i) for i in invoices),
    )
    session.add(tombstone)
    session.flush()
    for digest in removable:
        session.add(DeletedBlob(sha256=digest, tombstone_id=tombstone.id, deleted_at=now))
    message.sender = None
    message.subject = None
    for document in documents:
        session.execute(delete(FindingRow).where(FindingRow.document_id == document.id))
    events = 0
    for invoice_id in invoices:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        invoice.seller_name = None
        invoice.seller_key = ""
        invoice.search_text = invoice.number.lower()
        invoice.semantic = {"retention": "deleted", "retained_until": until.isoformat()}
        _erase_supplier(session, invoice_id)
        for comment in session.scalars(select(Comment).where(Comment.invoice_id == invoice_id)):
            comment.text = ERASED
        for note in session.scalars(
            select(Notification).where(Notification.invoice_id == invoice_id)
        ):
            note.recipient = note.cc = None
            note.subject = ERASED
            note.body = ERASED
        flow = session.get(Workflow, invoice_id)
        if flow is not None:
            _tombstone_event(session, flow, until, len(removable), actor, now)
            events += 1
    return removable, len(digests & shared), events


def _erase_supplier(session: Session, invoice_id: int) -> None:
    """Who sent it and the bank accounts it named (the creditor link stays: master data)."""
    supplier = session.get(InvoiceSupplierRow, invoice_id)
    if supplier is not None:
        supplier.sender = None
        supplier.ibans = ""
        supplier.portal_account_id = None
    for hold in session.scalars(select(HoldRow).where(HoldRow.invoice_id == invoice_id)):
        hold.message_de = ERASED  # names the seller and the bank account
        if hold.clear_reason:
            hold.clear_reason = ERASED
    order = session.get(PaymentOrderRow, invoice_id)  # the payment order (issue 24)
    if order is not None:
        order.payee_name = ERASED
        order.iban = order.bic = order.remittance = None
        order.iban_verified = ""
    history = session.get(KontierungHistoryRow, invoice_id)  # a seller's name as its key
    if history is not None and history.creditor.startswith("name:"):
        history.creditor = "name:"


def _tombstone_event(
    session: Session, flow: Workflow, until: date, blobs: int, actor: str, at: datetime
) -> None:
    from einvoice.services.workflow_base import append_event

    entry = AuditEntry(
        invoice_id=str(flow.invoice_id),
        action=TOMBSTONE_ACTION,
        actor=actor,
        at=at,
        from_state=flow.status,
        to_state=flow.status,
        reason=f"Aufbewahrungsfrist bis {until:%d.%m.%Y} abgelaufen: Originale und "
        "personenbezogene Daten gelöscht",
        department=flow.department,
        details=(("blobs_deleted", str(blobs)), ("retained_until", until.isoformat())),
    )
    append_event(session, flow, entry, last_event(session, flow))
    flow.updated_at = at


def apply(
    pipeline: Pipeline,
    today: date,
    years: int,
    actor: str,
    delete_blob: Callable[[str], bool],
) -> ApplyResult:
    """Delete what is due and not held; each message in its own transaction.

    ``delete_blob`` removes the bytes of one original from the blob store; ``actor``
    must be an administrator's account.
    """
    check_actor(pipeline, actor, DELETE_ROLES)
    deleted_messages = deleted_blobs = events = held = shared_total = 0
    due = plan(pipeline, today, years)
    for item in due:
        if item.held:
            held += 1
            continue
        with pipeline.sessions() as session, session.begin():
            message = session.get(Message, item.message_id)
            if message is None:
                continue
            if session.scalars(
                select(RetentionTombstone.id).where(RetentionTombstone.message_id == message.id)
            ).first():
                continue  # another run did it meanwhile
            concerned = (*_invoice_ids(session, message), *_repeated_invoices(session, message.id))
            if _holds(session, concerned):
                held += 1
                continue
            removable, shared, written = _erase_message(
                session, pipeline, message, item.retained_until, actor
            )
        events += written
        shared_total += shared
        deleted_messages += 1
        for digest in removable:
            deleted_blobs += int(delete_blob(digest))
    deleted_blobs += _sweep_leftovers(pipeline, delete_blob)
    return ApplyResult(deleted_messages, deleted_blobs, events, held, shared_total)


def _sweep_leftovers(pipeline: Pipeline, delete_blob: Callable[[str], bool]) -> int:
    """Bytes of blobs recorded as deleted that are still there (an earlier run crashed)."""
    with pipeline.sessions() as session:
        recorded = list(session.scalars(erased_digests_query()))
    removed = 0
    for digest in recorded:
        removed += int(delete_blob(digest))  # False when the bytes are already gone
    return removed
