"""What a supplier sees of what they sent: status and validation findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from einvoice.domain.filenames import was_shortened
from einvoice.services import states
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import Document, DuplicateRecord, FindingRow, Invoice, Message

# Filled in by the workflow: invoice id -> (status label, reason) for approval states.
WorkflowStatus = Callable[[int], tuple[str, str | None] | None]


#: Findings that mean "this file is no e-invoice" (a plain PDF, an image, a Word file).
PLAIN_FILE_RULES = frozenset({"PDF-NO-XML"})


@dataclass(frozen=True, slots=True)
class FindingView:
    rule: str
    severity: str
    layer: str
    message: str
    location: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocumentView:
    document_id: int
    filename: str
    state: str
    recommendation: str | None
    status: str  # German label: Eingegangen, In Prüfung, Freigegeben, Bezahlt, Abgelehnt ...
    reason: str | None
    invoice_id: int | None
    number: str | None
    seller: str | None
    amount: Decimal | None
    currency: str | None
    findings: list[FindingView] = field(default_factory=list)

    @property
    def errors(self) -> list[FindingView]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[FindingView]:
        """Warnings and hints a supplier can act on: after a finding that makes the file no
        e-invoice at all (a PDF without embedded XML) the warnings about that PDF's e-invoice
        markers only repeat it; they stay in the technical report for the city's staff."""
        if self.without_einvoice:
            return []
        return [f for f in self.findings if f.severity != "error"]

    @property
    def without_einvoice(self) -> bool:
        """The file holds no e-invoice at all (a plain PDF): the supplier needs to know what an
        e-invoice is and where to get one, not a list of rules."""
        return any(f.rule in PLAIN_FILE_RULES for f in self.findings)


@dataclass(frozen=True, slots=True)
class SubmissionView:
    message_id: int
    received_at: datetime
    source: str
    deliveries: int
    state: str
    reason: str | None
    documents: list[DocumentView]

    @property
    def name_shortened(self) -> bool:
        """The file name sent was too long and is recorded shortened (the file is whole)."""
        return was_shortened(self.source) or any(was_shortened(d.filename) for d in self.documents)


def _status(
    document: Document, invoice: Invoice | None, workflow: WorkflowStatus | None
) -> tuple[str, str | None]:
    if document.state == states.STORED:
        return "Eingegangen", None
    if document.state == states.DUPLICATE:
        return "Duplikat", "Diese Rechnung wurde bereits eingereicht."  # detail: see _documents
    if document.state in (states.FAILED, states.TOO_LARGE):
        return "Nicht verarbeitet", document.last_error
    if document.recommendation == "reject":
        return "Abgelehnt", "Die Prüfung hat Fehler gefunden (siehe Prüfbericht)."
    if invoice is not None and workflow is not None:
        found = workflow(invoice.id)
        if found is not None:
            return found
    return "In Prüfung", None


def _invoices_of(session: Session, messages: list[Message]) -> dict[int, Invoice]:
    """The invoices of the messages' documents, by document id (one query)."""
    ids = [d.id for m in messages for d in m.documents]
    found: dict[int, Invoice] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for invoice in session.scalars(select(Invoice).where(Invoice.document_id.in_(chunk))):
            found[invoice.document_id] = invoice
    return found


def _documents(
    session: Session,
    message: Message,
    workflow: WorkflowStatus | None,
    with_findings: bool,
    invoices: dict[int, Invoice] | None = None,
) -> list[DocumentView]:
    if invoices is None:
        invoices = _invoices_of(session, [message])
    views = []
    for document in sorted(message.documents, key=lambda d: d.id):
        invoice = invoices.get(document.id)
        label, reason = _status(document, invoice, workflow)
        if document.state == states.DUPLICATE:
            reason = duplicate_reason(session, message, document) or reason
        findings = []
        if with_findings:
            rows = session.scalars(
                select(FindingRow)
                .where(FindingRow.document_id == document.id)
                .order_by(FindingRow.id)
            )
            findings = [
                FindingView(
                    r.rule,
                    r.severity,
                    r.layer,
                    r.message_de,
                    r.location,
                    tuple(t for t in r.terms.split() if t),
                )
                for r in rows
            ]
        views.append(
            DocumentView(
                document.id,
                document.filename,
                document.state,
                document.recommendation,
                label,
                reason,
                invoice.id if invoice else None,
                invoice.number if invoice else None,
                invoice.seller_name if invoice else None,
                invoice.total_with_vat if invoice else None,
                invoice.currency if invoice else None,
                findings,
            )
        )
    return views


def _owner(source: str) -> str:
    """Whose a message is: ``upload:<account>:`` for an upload, else the source itself."""
    if source.startswith("upload:"):
        return ":".join(source.split(":", 2)[:2]) + ":"
    return source


def foreign_duplicate_de(number: str | None) -> str:
    """What a supplier is told whose copy repeats an invoice someone else sent: that it is
    here, nothing of the other submission (its state, file, sender)."""
    named = f"Eine Rechnung mit der Nummer {number}" if number else "Diese Rechnung"
    return (
        f"{named} dieses Rechnungsstellers ist bei der Stadt bereits eingegangen; eine zweite "
        "Fassung wird nicht angenommen und nicht noch einmal bearbeitet. Sie müssen nichts "
        "weiter tun. Soll der Betrag geändert werden, senden Sie bitte eine Rechnungskorrektur "
        "(Rechnungsart 384) oder eine Gutschrift (381) mit eigener Nummer."
    )


def duplicate_reason(session: Session, message: Message, document: Document) -> str | None:
    """The duplicate's explanation; the original's state and advice only to the one who sent
    the original (same uploading account, or the same non-upload source)."""
    record = session.scalars(
        select(DuplicateRecord).where(DuplicateRecord.document_id == document.id)
    ).first()
    if record is None:
        return None
    if record.original_invoice_id is None:
        return record.detail
    found = session.execute(
        select(Invoice.number, Message.source)
        .join(Document, Document.id == Invoice.document_id)
        .join(Message, Message.id == Document.message_id)
        .where(Invoice.id == record.original_invoice_id)
    ).first()
    if found is None or _owner(found.source) != _owner(message.source):
        return foreign_duplicate_de(found.number if found is not None else None)
    return record.detail


def _view(
    session: Session,
    message: Message,
    workflow: WorkflowStatus | None,
    with_findings: bool,
    invoices: dict[int, Invoice] | None = None,
) -> SubmissionView:
    return SubmissionView(
        message.id,
        message.received_at,
        message.source.split(":", 2)[-1],
        message.deliveries,
        message.state,
        message.reason,
        _documents(session, message, workflow, with_findings, invoices),
    )


#: The most submissions one page holds (a larger page is refused, never cut short).
MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class SubmissionPage:
    """One page of an account's submissions, newest first, and how many there are in all."""

    total: int
    items: list[SubmissionView]


def list_submissions(
    pipeline: Pipeline,
    account_id: int,
    workflow: WorkflowStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> SubmissionPage:
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise ValueError(f"limit 1..{MAX_PAGE} and offset >= 0, not {limit}, {offset}")
    own = Message.source.like(f"upload:{account_id}:%")
    with pipeline.sessions() as session:
        total = int(session.scalar(select(func.count(Message.id)).where(own)) or 0)
        messages = list(
            session.scalars(
                select(Message)
                .options(selectinload(Message.documents))
                .where(own)
                .order_by(Message.id.desc())
                .limit(limit)
                .offset(offset)
            )
        )
        invoices = _invoices_of(session, messages)  # one query, not one per document
        return SubmissionPage(
            total, [_view(session, m, workflow, False, invoices) for m in messages]
        )


def submission(
    pipeline: Pipeline, message_id: int, workflow: WorkflowStatus | None = None
) -> SubmissionView | None:
    with pipeline.sessions() as session:
        message = session.get(Message, message_id)
        if message is None:
            return None
        return _view(session, message, workflow, True)
