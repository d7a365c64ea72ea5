"""The supplier's "Meine Rechnungen": search and paging in the database, own files only.

Every query here is bound to one uploading account (``upload:<account>:`` sources); what
another supplier sent is never found, counted or returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from einvoice.domain.approval import Status
from einvoice.domain.findings import Finding, Layer, Report, Scenario, Severity, Syntax
from einvoice.services import states
from einvoice.services.ports import Pipeline
from einvoice.services.submissions import WorkflowStatus, duplicate_reason, foreign_duplicate_de
from einvoice.storage.payment_tables import PaidInvoiceRow
from einvoice.storage.tables import (
    Document,
    DuplicateRecord,
    FindingRow,
    Invoice,
    Message,
    Workflow,
)

E = TypeVar("E")
BERLIN = ZoneInfo("Europe/Berlin")
PER_PAGE = 25
#: the accepted invoice a duplicate repeats: its number and amount are the duplicate's own
#: (same seller, number, type and total make a duplicate), so the row can show them
Original = aliased(Invoice, name="original")

#: The "Stand" filter: key -> label (what the supplier sees in the list).
STATE_FILTERS: dict[str, str] = {
    "offen": "Eingegangen oder in Prüfung",
    "abgelehnt": "Abgelehnt oder zurückgegeben",
    "freigegeben": "Freigegeben, noch nicht bezahlt",
    "bezahlt": "Bezahlt",
    "duplikat": "Duplikat",
    "nicht-verarbeitet": "Nicht verarbeitet",
}
_SUPPLIER_LABELS = {
    Status.ANGEORDNET.value: "Freigegeben – zur Zahlung angewiesen",
    Status.EXPORTED.value: "Bezahlung veranlasst – an die Stadtkasse übergeben",
    Status.REJECTED.value: "Abgelehnt",
    Status.RETURNED_TO_SUPPLIER.value: "Zurückgegeben – bitte korrigieren",
    Status.REPLACED.value: "Ersetzt durch die korrigierte Fassung",
}
_NOT_PROCESSED = (states.FAILED, states.TOO_LARGE)
#: No invoice could be read (e.g. not XML): the validation report says why, so the supplier
#: sees "Abgelehnt" here as on the upload result and the report page, not "Nicht verarbeitet".
_UNREADABLE = states.UNREADABLE


@dataclass(frozen=True, slots=True)
class SubmissionQuery:
    text: str = ""  # invoice number or file name, an amount ("119,00"), a date ("02.12.2026")
    state: str = ""  # a key of STATE_FILTERS, or "" for all
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    message_id: int
    received_at: datetime
    filename: str
    document_id: int | None
    number: str | None
    issue_date: date | None
    amount: Decimal | None
    currency: str | None
    status: str
    reason: str | None

    @property
    def tone(self) -> str:
        """The status badge's style (the label says it in words too)."""
        first = self.status.split(" ", 1)[0].lower()
        return _TONES.get(first, "")


_TONES = {
    "abgelehnt": "abgelehnt",
    "zurückgegeben": "abgelehnt",
    "duplikat": "duplikat",
    "nicht": "nicht-verarbeitet",
    "keine": "nicht-verarbeitet",
    "freigegeben": "freigegeben",
    "bezahlung": "freigegeben",
    "bezahlt": "bezahlt",
    "in": "in-prüfung",
    "eingegangen": "eingegangen",
}


@dataclass(frozen=True, slots=True)
class SubmissionPage:
    rows: list[SubmissionRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def owner_prefix(account_id: int) -> str:
    return f"upload:{account_id}:"


def parse_amount(text: str) -> Decimal | None:
    """``1.234,56`` / ``1234,56`` / ``1234.56`` / ``119 €`` -> Decimal, else None."""
    cleaned = text.replace("€", "").replace("EUR", "").replace("\u00a0", "").strip()
    if not re.fullmatch(r"-?[\d.]+(,\d{1,4})?|-?\d+(\.\d{1,4})?", cleaned):
        return None
    if "," in cleaned or cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_date(text: str) -> date | None:
    """``02.12.2026`` or ``2026-12-02`` -> a date, else None."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_filter(text: str) -> ColumnElement[bool] | None:
    text = text.strip()[:200]
    if not text:
        return None
    pattern = _like(text)
    found: list[ColumnElement[bool]] = [
        Invoice.number.ilike(pattern, escape="\\"),
        Original.number.ilike(pattern, escape="\\"),
        Document.filename.ilike(pattern, escape="\\"),
    ]
    amount = parse_amount(text)
    if amount is not None:
        found.append(or_(Invoice.total_with_vat == amount, Invoice.amount_due == amount))
        found.append(Original.total_with_vat == amount)
    day = parse_date(text)
    if day is not None:
        # the day in Berlin, as an instant in UTC: SQLite keeps the stored UTC wall time and
        # would compare Berlin's wall time with it (an hour off around midnight)
        start = datetime.combine(day, time(), BERLIN).astimezone(UTC)
        found.append(Invoice.issue_date == day.isoformat())
        found.append(
            and_(Message.received_at >= start, Message.received_at < start + timedelta(days=1))
        )
    return or_(*found)


def _state_filter(state: str) -> ColumnElement[bool] | None:
    rejected = (Status.REJECTED.value, Status.RETURNED_TO_SUPPLIER.value)
    approved = (Status.ANGEORDNET.value, Status.EXPORTED.value)
    not_open = (*rejected, *approved, Status.REPLACED.value)
    paid = exists().where(PaidInvoiceRow.invoice_id == Invoice.id)
    usable = and_(
        Document.state.not_in((states.DUPLICATE, _UNREADABLE, *_NOT_PROCESSED)),
        or_(Document.recommendation.is_(None), Document.recommendation != "reject"),
    )
    filters: dict[str, ColumnElement[bool]] = {
        "offen": and_(usable, or_(Workflow.status.is_(None), Workflow.status.not_in(not_open))),
        "abgelehnt": and_(
            Document.state.not_in((states.DUPLICATE, *_NOT_PROCESSED)),
            or_(
                Document.state == _UNREADABLE,
                Document.recommendation == "reject",
                Workflow.status.in_(rejected),
            ),
        ),
        "freigegeben": and_(usable, Workflow.status.in_(approved), ~paid),
        "bezahlt": and_(usable, paid),  # the payment came back (issue 24)
        "duplikat": Document.state == states.DUPLICATE,
        "nicht-verarbeitet": or_(Document.id.is_(None), Document.state.in_(_NOT_PROCESSED)),
    }
    if not state:
        return None
    return filters.get(state, false())


def _status(
    document_state: str | None,
    recommendation: str | None,
    last_error: str | None,
    workflow_state: str | None,
) -> tuple[str, str | None]:
    if document_state is None:
        return "Keine Rechnung", None
    if document_state == states.STORED:
        return "Eingegangen", None
    if document_state == states.DUPLICATE:
        return "Duplikat", None
    if document_state in _NOT_PROCESSED:
        return "Nicht verarbeitet", last_error
    if document_state == _UNREADABLE:
        return "Abgelehnt", last_error
    if recommendation == "reject":
        return "Abgelehnt", "Die Prüfung hat Fehler gefunden (siehe Prüfbericht)."
    if workflow_state in _SUPPLIER_LABELS:
        return _SUPPLIER_LABELS[workflow_state], None
    return ("Eingegangen" if workflow_state == Status.RECEIVED.value else "In Prüfung"), None


def search(
    pipeline: Pipeline,
    account_id: int,
    query: SubmissionQuery,
    workflow: WorkflowStatus | None = None,
) -> SubmissionPage:
    """One page of the account's submissions (newest first), filtered in the database.

    A row is one file of a submission (a submission without a readable file is a row too).
    Reasons given by the city (rejection, return) come from ``workflow``, for the rows shown.
    """
    conditions: list[ColumnElement[bool]] = [Message.source.like(owner_prefix(account_id) + "%")]
    for condition in (_text_filter(query.text), _state_filter(query.state)):
        if condition is not None:
            conditions.append(condition)
    base = (
        select(
            Message.id,
            Message.received_at,
            Message.source,
            Message.reason,
            Document.id.label("document_id"),
            Document.filename,
            Document.state,
            Document.recommendation,
            Document.last_error,
            Invoice.id.label("invoice_id"),
            func.coalesce(Invoice.number, Original.number).label("number"),
            Invoice.issue_date,
            func.coalesce(Invoice.total_with_vat, Original.total_with_vat).label("total_with_vat"),
            func.coalesce(Invoice.currency, Original.currency).label("currency"),
            Workflow.status.label("workflow_state"),
        )
        .outerjoin(Document, Document.message_id == Message.id)
        .outerjoin(Invoice, Invoice.document_id == Document.id)
        .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
        .outerjoin(
            DuplicateRecord,
            and_(DuplicateRecord.document_id == Document.id, DuplicateRecord.kind == "invoice"),
        )
        .outerjoin(Original, Original.id == DuplicateRecord.original_invoice_id)
        .where(*conditions)
    )
    per_page = max(1, min(query.per_page, 100))
    with pipeline.sessions() as session:
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(1, query.page), pages)
        found = session.execute(
            base.order_by(Message.id.desc(), Document.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        rows = [_row(session, r, workflow) for r in found]
    return SubmissionPage(rows, total, page, per_page)


def _row(session: Session, r: object, workflow: WorkflowStatus | None) -> SubmissionRow:
    from sqlalchemy.engine import Row

    assert isinstance(r, Row)
    label, reason = _status(r.state, r.recommendation, r.last_error, r.workflow_state)
    if r.invoice_id is not None and r.workflow_state is not None and workflow is not None:
        told = workflow(r.invoice_id)  # the city's reason for a rejection or return
        if told is not None:
            label, reason = told
    if r.state == states.DUPLICATE:
        reason = None  # the report says whose and why; the list only "Duplikat"
    if r.document_id is None:
        reason = r.reason
    issue = None
    if r.issue_date:
        try:
            issue = date.fromisoformat(r.issue_date)
        except ValueError:
            issue = None
    return SubmissionRow(
        r.id,
        r.received_at,
        r.filename or r.source.split(":", 2)[-1],
        r.document_id,
        r.number,
        issue,
        r.total_with_vat,
        r.currency,
        label,
        reason,
    )


# --- one file of one's own: the original and the report -------------------------------------


@dataclass(frozen=True, slots=True)
class OwnDocument:
    document_id: int
    message_id: int
    filename: str
    sha256: str
    number: str | None


def own_document(pipeline: Pipeline, account_id: int, document_id: int) -> OwnDocument | None:
    """The document if the account uploaded it, else None (whoever else's it is)."""
    with pipeline.sessions() as session:
        found = session.execute(
            select(Document, Message.source, Invoice.number)
            .join(Message, Message.id == Document.message_id)
            .outerjoin(Invoice, Invoice.document_id == Document.id)
            .where(Document.id == document_id)
        ).first()
        if found is None:
            return None
        document, source, number = found
        if not source.startswith(owner_prefix(account_id)):
            return None
        return OwnDocument(
            document.id, document.message_id, document.filename, document.sha256, number
        )


def stored_report(pipeline: Pipeline, document_id: int) -> Report:
    """The validation report as it was given when the file arrived (the stored findings)."""
    with pipeline.sessions() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise LookupError(f"document {document_id} not found")
        invoice = session.scalars(select(Invoice).where(Invoice.document_id == document_id)).first()
        received = document.message.received_at
        if received.tzinfo is None:  # SQLite hands back naive UTC
            received = received.replace(tzinfo=UTC)
        name = f"{document.filename}, eingegangen am {received.astimezone(BERLIN):%d.%m.%Y %H:%M}"
        if invoice is not None and invoice.number:
            name = f"Rechnung {invoice.number} ({name})"
        report = Report(name=name)
        if invoice is not None:
            report.syntax = _enum(Syntax, invoice.syntax, Syntax.UNKNOWN)
            report.scenario = _enum(Scenario, invoice.scenario, Scenario.NONE)
            report.profile = invoice.profile
        rows = session.scalars(
            select(FindingRow).where(FindingRow.document_id == document_id).order_by(FindingRow.id)
        )
        report.add(
            Finding(
                r.rule,
                _enum(Severity, r.severity, Severity.ERROR),
                _enum(Layer, r.layer, Layer.INPUT),
                r.message_de,
                r.message_en,
                r.location,
                tuple(t for t in r.terms.split() if t),
            )
            for r in rows
        )
        if document.state == states.DUPLICATE:
            told = duplicate_reason(session, document.message, document)
            report.add([_duplicate_finding(told or foreign_duplicate_de(None))])
        return report


def _duplicate_finding(text: str) -> Finding:
    return Finding(
        "DUPLIKAT", Severity.ERROR, Layer.INPUT, text, "This invoice has already been received."
    )


def _enum(kind: type[E], value: str | None, fallback: E) -> E:
    try:
        return kind(value)  # type: ignore[call-arg]
    except ValueError:
        return fallback
