"""Read models of the workflow: a department's queue, one invoice in detail, the supplier's view.

Nothing here changes anything. Deadline warnings are computed for ``today``
(the city's local date unless given): an invoice is ``soon`` when its next
deadline - the earliest Skonto deadline still open, else the due date - is at
most the configured number of days away, ``overdue`` when it has passed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from einvoice.domain.approval import FINAL_STATES, Status
from einvoice.domain.deadlines import DeadlineStatus, deadline_status
from einvoice.domain.invoice import CREDIT_NOTE_TYPE_CODES
from einvoice.domain.routing import RoutingConfig
from einvoice.services import holds, worklist
from einvoice.services.audit_trail import HistoryEntry, history
from einvoice.services.holds import HoldView, SupplierView
from einvoice.services.notifications import FINAL_HINT_DE, OPEN_STATUSES
from einvoice.services.notifications import STATUS_LABELS as NOTIFICATION_LABELS
from einvoice.services.payment_runs import run_label_de
from einvoice.services.payment_status import paid_in
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import (
    BadRequest,
    NotFound,
    aware,
    now_local,
    ports_of,
    status_label_de,
)
from einvoice.storage.tables import (
    Comment,
    DeadlineRow,
    Document,
    ExportRecord,
    FindingRow,
    Invoice,
    Message,
    Notification,
    RoutingDecisionRow,
    Workflow,
)

ALL_STATUSES = worklist.ALL_STATUSES


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What to show: statuses (default: the open ones), deadline stage, supplier, amounts."""

    statuses: tuple[str, ...] = OPEN_STATUSES
    deadline: str | None = None  # ok, soon, overdue, none
    supplier: str | None = None  # part of the seller name or of its VAT id / registration
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    search: str | None = None  # number, VAT id, IBAN, amount, Leitweg-ID, line texts
    waiting_for: str | None = None  # person id: only invoices this person can act on now
    step: str | None = None  # with waiting_for: only this step (worklist.STEPS)
    invoice_ids: tuple[int, ...] = ()  # only these (a selection); empty: no restriction
    held: bool | None = None  # True: only with an open payment hold ("mit Sperre"), False: without


@dataclass(frozen=True, slots=True)
class QueueItem:
    invoice_id: int
    number: str  # BT-1
    supplier: str  # BT-27
    amount: Decimal  # BT-115 from the buyer's side (credit notes negative)
    currency: str | None
    credit_note: bool
    status: str
    status_label_de: str
    department: str | None
    received_on: date
    due_date: date | None
    skonto_deadline: date | None  # the earliest Skonto deadline still open
    skonto_discount: Decimal | None
    next_deadline: date | None
    deadline_status: str  # ok, soon, overdue, none
    days_left: int | None  # to the next deadline; negative: overdue
    leitweg_id: str | None  # BT-10
    issue_date: date | None = None  # BT-2
    version: int = 1  # > 1: a corrected version (correction loop)
    holds: tuple[HoldView, ...] = ()  # open payment holds (issue 12)
    creditor: SupplierView | None = None  # the matched creditor, channel, sender

    @property
    def held(self) -> bool:
        return bool(self.holds)


@dataclass(frozen=True, slots=True)
class QueueView:
    department: str | None  # None: every department
    department_name: str
    today: date
    items: tuple[QueueItem, ...]  # the page shown (all of them without paging)
    counts: dict[str, int]  # per status, of the whole department (unfiltered)
    soon: int  # filtered invoices with a deadline near
    overdue: int  # filtered invoices past a deadline
    matched: int = 0  # filtered invoices (all pages)
    total_amount: Decimal = Decimal(0)  # of the filtered invoices (all pages)
    page: int = 1
    pages: int = 1

    @property
    def total(self) -> Decimal:
        return self.total_amount


SORT_KEYS = (
    "due",
    "deadline",
    "skonto",
    "amount",
    "supplier",
    "status",
    "received",
    "issued",
    "number",
    "held",
)
MAX_PAGE_SIZE = 500


def queue(
    pipeline: Pipeline,
    department: str | None,
    filters: QueueFilters | None = None,
    sort: str = "deadline",
    today: date | None = None,
    *,
    page: int = 1,
    page_size: int | None = None,
) -> QueueView:
    """The invoices of a department's queue (``None``: all departments), filtered and sorted.

    ``sort``: one of :data:`SORT_KEYS`, ``-`` in front for descending (``-amount``).
    Filtering, sorting and paging happen in the database (:mod:`worklist`);
    ``page_size=None`` returns every matching invoice.
    """
    ports = ports_of(pipeline)
    config = ports.routing()
    filters = filters or QueueFilters()
    if sort.lstrip("-") not in SORT_KEYS:
        raise BadRequest(f"Unbekannte Sortierung {sort!r}; möglich: {', '.join(SORT_KEYS)}.")
    unknown = [s for s in filters.statuses if s not in ALL_STATUSES]
    if unknown:
        raise BadRequest(f"Unbekannter Status {unknown[0]!r}; möglich: {', '.join(ALL_STATUSES)}.")
    if filters.deadline not in (None, "ok", "soon", "overdue", "none"):
        raise BadRequest(f"Unbekannter Fristfilter {filters.deadline!r}.")
    if page < 1 or (page_size is not None and not 1 <= page_size <= MAX_PAGE_SIZE):
        raise BadRequest("Seite und Seitengröße müssen positiv sein (höchstens 500 je Seite).")
    name = _department_name(config, department)
    today = today or now_local(pipeline).date()
    soon_days = ports.warning_days
    urgency = worklist.Deadlines.on(today)
    conditions = _conditions(config, department, filters, urgency, soon_days)
    with pipeline.sessions() as session:
        counted = select(Workflow.status, func.count()).group_by(Workflow.status)
        if department is not None:
            counted = counted.where(Workflow.department == department)
        counts = {status: int(n) for status, n in session.execute(counted)}
        # the page's rows and, beside each, the totals of every matching invoice (window
        # aggregates: one pass over the matching rows instead of a second query)
        soon = case((urgency.stage("soon", soon_days), 1), else_=0)
        overdue = case((urgency.stage("overdue", soon_days), 1), else_=0)
        query = (
            worklist.columns(urgency)
            .add_columns(
                func.count().over().label("total_matched"),
                func.sum(worklist.signed_amount()).over().label("total_amount"),
                func.sum(soon).over().label("total_soon"),
                func.sum(overdue).over().label("total_overdue"),
            )
            .where(*conditions)
            .order_by(
                *worklist.order_by(
                    worklist.Sorting(sort.lstrip("-"), sort.startswith("-")), urgency
                )
            )
        )
        chosen = _page_of(session, query, page, page_size)
        if not chosen and page > 1:  # beyond the last page: show the last one
            last = _pages(_count(session, urgency, conditions), page_size)
            page = min(page, last)
            chosen = _page_of(session, query, page, page_size)
        first = chosen[0] if chosen else None
        matched = int(first.total_matched) if first else 0
        summary = (
            matched,
            first.total_amount if first else 0,
            first.total_soon if first else 0,
            first.total_overdue if first else 0,
        )
        pages = _pages(matched, page_size)
        deadlines = _deadlines(session, [row.invoice_id for row in chosen])
        held = [row.invoice_id for row in chosen if row.holds]
        hold_views = holds.views_in(session, held, open_only=True)
        suppliers = holds.suppliers_in(session, [row.invoice_id for row in chosen])
    items = tuple(
        dataclasses.replace(
            _item(row, row, deadlines.get(row.invoice_id, []), today, soon_days),
            holds=hold_views.get(row.invoice_id, ()),
            creditor=suppliers.get(row.invoice_id),
        )
        for row in chosen
    )
    return QueueView(
        department=department,
        department_name=name,
        today=today,
        items=items,
        counts=counts,
        soon=int(summary[2]),
        overdue=int(summary[3]),
        matched=matched,
        total_amount=Decimal(summary[1]),
        page=page,
        pages=pages,
    )


def _pages(matched: int, page_size: int | None) -> int:
    return max(1, -(-matched // page_size)) if page_size else 1


def _count(session: Session, deadlines: worklist.Deadlines, conditions: list[Any]) -> int:
    return int(session.scalar(worklist.counted(deadlines).where(*conditions)) or 0)


def _page_of(session: Session, query: Any, page: int, page_size: int | None) -> list[Any]:
    if page_size:
        query = query.limit(page_size).offset((page - 1) * page_size)
    return list(session.execute(query))


def _conditions(
    config: RoutingConfig,
    department: str | None,
    filters: QueueFilters,
    deadlines: worklist.Deadlines,
    soon_days: int,
) -> list[Any]:
    today = deadlines.today
    found: list[Any] = [Workflow.status.in_(filters.statuses)]
    if department is not None:
        found.append(Workflow.department == department)
    if filters.deadline is not None:
        found.append(deadlines.stage(filters.deadline, soon_days))
    if filters.supplier:
        found.append(worklist.supplier_matches(filters.supplier))
    if filters.search:
        matches = worklist.search_matches(filters.search)
        if matches is not None:
            found.append(matches)
    if filters.min_amount is not None:
        found.append(worklist.signed_amount() >= filters.min_amount)
    if filters.max_amount is not None:
        found.append(worklist.signed_amount() <= filters.max_amount)
    if filters.waiting_for:
        found.append(worklist.waiting_for(config, filters.waiting_for, today, filters.step))
    if filters.invoice_ids:
        found.append(Workflow.invoice_id.in_(filters.invoice_ids))
    if filters.held is not None:
        found.append(Workflow.holds != "" if filters.held else Workflow.holds == "")
    return found


def _department_name(config: RoutingConfig, department: str | None) -> str:
    if department is None:
        return "alle Ämter"
    dept = config.department(department)
    if dept is None:
        known = ", ".join(d.key for d in config.departments)
        raise NotFound(f"Das Amt '{department}' ist nicht bekannt; bekannt: {known}.")
    return dept.name


def _deadlines(session: Session, invoice_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Deadline columns (kind, due_on, discount) per invoice, as plain rows."""
    found: dict[int, list[Any]] = {}
    for start in range(0, len(invoice_ids), 500):
        chunk = invoice_ids[start : start + 500]
        query = select(
            DeadlineRow.invoice_id, DeadlineRow.kind, DeadlineRow.due_on, DeadlineRow.discount
        ).where(DeadlineRow.invoice_id.in_(chunk))
        for row in session.execute(query):
            found.setdefault(row.invoice_id, []).append(row)
    return found


def _is_credit_note(invoice: Any) -> bool:
    return invoice.syntax == "ubl-creditnote" or (invoice.type_code or "") in CREDIT_NOTE_TYPE_CODES


def _item(flow: Any, invoice: Any, deadlines: list[Any], today: date, soon_days: int) -> QueueItem:
    """One queue row from ``flow`` (workflow columns) and ``invoice`` (header columns)."""
    credit = _is_credit_note(invoice)
    open_skonto = sorted(
        (d for d in deadlines if d.kind == "skonto" and d.due_on >= today), key=lambda d: d.due_on
    )
    due = next((d.due_on for d in deadlines if d.kind == "due"), None)
    upcoming = open_skonto[0].due_on if open_skonto else due
    final = Status(flow.status) in FINAL_STATES
    stage = DeadlineStatus.NONE if final else deadline_status(upcoming, today, soon_days)
    amount = Decimal(flow.amount)
    return QueueItem(
        invoice_id=flow.invoice_id,
        number=invoice.number,
        supplier=invoice.seller_name or "",
        amount=-amount if credit else amount,
        currency=flow.currency,
        credit_note=credit,
        status=flow.status,
        status_label_de=status_label_de(flow.status),
        department=flow.department,
        received_on=flow.received_on,
        due_date=due,
        skonto_deadline=open_skonto[0].due_on if open_skonto else None,
        skonto_discount=open_skonto[0].discount if open_skonto else None,
        next_deadline=upcoming,
        deadline_status=stage.value,
        days_left=(upcoming - today).days if upcoming is not None else None,
        leitweg_id=invoice.buyer_reference,
        issue_date=_iso_date(getattr(invoice, "issue_date", None)),
        version=getattr(invoice, "version", 1) or 1,
    )


def _iso_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


# --- one invoice ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeadlineView:
    kind: str  # due, skonto
    due_on: date
    source: str  # due_date, payment_terms, legal_default, skonto
    percent: Decimal | None
    base_amount: Decimal | None
    discount: Decimal | None
    amount_to_pay: Decimal | None
    nominal: date | None = None  # before § 193 BGB moved it past a weekend or holiday


@dataclass(frozen=True, slots=True)
class RoutingView:
    kind: str  # route, reassign
    department: str
    previous_department: str | None
    rule: str | None
    reason_de: str
    fallback: bool
    actor: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class CommentView:
    author: str
    action: str
    text: str
    written_at: datetime


@dataclass(frozen=True, slots=True)
class FindingView:
    rule: str
    severity: str
    layer: str
    message_de: str
    location: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NotificationView:
    kind: str
    key: str
    recipient: str | None
    subject: str
    status: str
    status_label_de: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    cc: str | None = None  # in copy (the invoice's address beside the uploader's)


@dataclass(frozen=True, slots=True)
class InvoiceDetail:
    invoice_id: int
    number: str  # BT-1
    issue_date: str | None  # BT-2 (ISO)
    type_code: str | None  # BT-3
    credit_note: bool
    supplier: str  # BT-27
    amount_due: Decimal | None  # BT-115 as written
    total_with_vat: Decimal | None  # BT-112
    currency: str | None
    leitweg_id: str | None  # BT-10
    order_reference: str | None  # BT-13
    syntax: str
    profile: str | None
    recommendation: str  # accept, reject
    status: str | None  # None: not in the workflow (yet)
    status_label_de: str
    department: str | None
    department_name: str | None
    sachlich_by: str | None
    rechnerisch_by: str | None
    ordered_by: str | None
    ordered_for: str | None
    received_at: datetime
    sender: str | None
    original_sha256: str
    original_filename: str
    exported_batch: str | None  # the batch id (files, HKR)
    exported_run_de: str | None  # "Zahllauf vom 02.12.2026, Nr. 3"
    deadlines: tuple[DeadlineView, ...] = ()
    routing: tuple[RoutingView, ...] = ()
    comments: tuple[CommentView, ...] = ()
    findings: tuple[FindingView, ...] = ()
    notifications: tuple[NotificationView, ...] = ()
    history: tuple[HistoryEntry, ...] = field(default=())
    version: int = 1  # the correction loop: 2 and up replace a returned/rejected version
    replaces_id: int | None = None
    replaced_by_id: int | None = None
    holds: tuple[HoldView, ...] = ()  # payment holds, open and cleared (issue 12)
    creditor: SupplierView | None = None  # matched creditor, how, channel, sender

    @property
    def open_holds(self) -> tuple[HoldView, ...]:
        return tuple(h for h in self.holds if h.open)


def invoice_detail(pipeline: Pipeline, invoice_id: int) -> InvoiceDetail:
    """Everything about one invoice: header, workflow, deadlines, findings, trail."""
    config = ports_of(pipeline).routing()
    zone = ports_of(pipeline).zone
    trail = history(pipeline, invoice_id)  # NotFound when the invoice does not exist
    with pipeline.sessions() as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        document = session.get(Document, invoice.document_id)
        assert document is not None
        message = session.get(Message, document.message_id)
        assert message is not None
        flow = session.get(Workflow, invoice_id)
        dept = config.department(flow.department) if flow and flow.department else None
        export = session.scalars(
            select(ExportRecord).where(ExportRecord.invoice_id == invoice_id)
        ).first()
        return InvoiceDetail(
            invoice_id=invoice.id,
            number=invoice.number,
            issue_date=invoice.issue_date,
            type_code=invoice.type_code,
            credit_note=_is_credit_note(invoice),
            supplier=invoice.seller_name or "",
            amount_due=invoice.amount_due,
            total_with_vat=invoice.total_with_vat,
            currency=invoice.currency,
            leitweg_id=invoice.buyer_reference,
            order_reference=invoice.order_reference,
            syntax=invoice.syntax,
            profile=invoice.profile,
            recommendation=invoice.recommendation,
            status=flow.status if flow else None,
            status_label_de=status_label_de(flow.status if flow else None),
            department=flow.department if flow else None,
            department_name=dept.name if dept else None,
            sachlich_by=flow.sachlich_by if flow else None,
            rechnerisch_by=flow.rechnerisch_by if flow else None,
            ordered_by=flow.ordered_by if flow else None,
            ordered_for=flow.ordered_for if flow else None,
            received_at=aware(message.received_at),
            sender=message.sender,
            original_sha256=document.sha256,
            original_filename=document.filename,
            exported_batch=export.batch_id if export else None,
            exported_run_de=run_label_de(session, export.batch_id, zone) if export else None,
            deadlines=_deadline_views(session, invoice_id),
            routing=_routing_views(session, invoice_id),
            comments=_comment_views(session, invoice_id),
            findings=_finding_views(session, document.id),
            notifications=_notification_views(session, invoice_id),
            history=trail,
            holds=tuple(holds.view(h) for h in holds.holds_in(session, invoice_id)),
            creditor=holds.supplier_in(session, invoice_id),
            version=invoice.version,
            replaces_id=invoice.replaces_id,
            replaced_by_id=session.scalar(
                select(Invoice.id).where(Invoice.replaces_id == invoice_id).limit(1)
            ),
        )


def _deadline_views(session: Session, invoice_id: int) -> tuple[DeadlineView, ...]:
    rows = session.scalars(
        select(DeadlineRow)
        .where(DeadlineRow.invoice_id == invoice_id)
        .order_by(DeadlineRow.due_on, DeadlineRow.kind)
    )
    return tuple(
        DeadlineView(
            r.kind,
            r.due_on,
            r.source,
            r.percent,
            r.base_amount,
            r.discount,
            r.amount_to_pay,
            r.nominal,
        )
        for r in rows
    )


def _routing_views(session: Session, invoice_id: int) -> tuple[RoutingView, ...]:
    rows = session.scalars(
        select(RoutingDecisionRow)
        .where(RoutingDecisionRow.invoice_id == invoice_id)
        .order_by(RoutingDecisionRow.id)
    )
    return tuple(
        RoutingView(
            r.kind,
            r.department,
            r.previous_department,
            r.rule,
            r.reason_de,
            r.fallback,
            r.actor,
            aware(r.decided_at),
        )
        for r in rows
    )


def _comment_views(session: Session, invoice_id: int) -> tuple[CommentView, ...]:
    rows = session.scalars(
        select(Comment).where(Comment.invoice_id == invoice_id).order_by(Comment.id)
    )
    return tuple(CommentView(r.author, r.action, r.text, aware(r.written_at)) for r in rows)


def _finding_views(session: Session, document_id: int) -> tuple[FindingView, ...]:
    rows = session.scalars(
        select(FindingRow).where(FindingRow.document_id == document_id).order_by(FindingRow.id)
    )
    return tuple(
        FindingView(r.rule, r.severity, r.layer, r.message_de, r.location, tuple(r.terms.split()))
        for r in rows
    )


def _notification_views(session: Session, invoice_id: int) -> tuple[NotificationView, ...]:
    rows = session.scalars(
        select(Notification).where(Notification.invoice_id == invoice_id).order_by(Notification.id)
    )
    return tuple(
        NotificationView(
            r.kind,
            r.key,
            r.recipient,
            r.subject,
            r.status,
            NOTIFICATION_LABELS.get(r.status, r.status),
            r.attempts,
            r.last_error,
            aware(r.sent_at) if r.sent_at else None,
            r.cc,
        )
        for r in rows
    )


# --- the supplier's view ----------------------------------------------------------------------

_SUPPLIER_LABELS = {
    Status.RECEIVED.value: "Eingegangen",
    Status.VALIDATED.value: "In Prüfung",
    Status.ROUTED.value: "In Prüfung",
    Status.SACHLICH_RICHTIG.value: "In Prüfung",
    Status.RECHNERISCH_RICHTIG.value: "In Prüfung",
    Status.ANGEORDNET.value: "Freigegeben – zur Zahlung angewiesen",
    Status.EXPORTED.value: "Bezahlung veranlasst – an die Stadtkasse übergeben",
    Status.REJECTED.value: "Abgelehnt",
    Status.RETURNED_TO_SUPPLIER.value: "Zurückgegeben – bitte korrigieren",
    Status.REPLACED.value: "Ersetzt durch die korrigierte Fassung",
}
CORRECTION_HINT_DE = (
    "Bitte senden Sie die korrigierte Rechnung unter derselben Rechnungsnummer erneut "
    "(E-Mail oder Hochladen); sie ersetzt dann diese Fassung."
)


def supplier_status(pipeline: Pipeline, invoice_id: int) -> tuple[str, str | None] | None:
    """What a supplier may see: a label and, for rejected/returned ones, the reason given.

    ``None`` when the invoice is not in the workflow (yet). Internal comments,
    names and departments are not shown.
    """
    with pipeline.sessions() as session:
        flow = session.get(Workflow, invoice_id)
        if flow is None:
            return None
        paid = paid_in(session, invoice_id)
        if paid is not None:  # the payment came back (issue 24)
            return paid.supplier_label_de, None
        label = _SUPPLIER_LABELS.get(flow.status, "In Prüfung")
        if flow.status == Status.ROUTED.value and flow.department:
            dept = ports_of(pipeline).routing().department(flow.department)
            if dept is not None:
                return label, f"Zugeordnet: {dept.name}"
        if flow.status in (Status.REJECTED.value, Status.RETURNED_TO_SUPPLIER.value):
            action = "reject" if flow.status == Status.REJECTED.value else "return_to_supplier"
            reason = session.scalars(
                select(Comment)
                .where(Comment.invoice_id == invoice_id, Comment.action == action)
                .order_by(Comment.id.desc())
            ).first()
            text = f"{reason.text} – " if reason else ""
            if flow.status == Status.REJECTED.value and reason is not None:  # by a person
                dept = ports_of(pipeline).routing().department(flow.department or "")
                return label, text + FINAL_HINT_DE.format(who=dept.name if dept else "uns")
            return label, text + CORRECTION_HINT_DE
        return label, None
