"""Export for payment: ordered invoices (angeordnet) as booking records for the HKR.

Exactly once, even when two exports run at the same moment:

1. one statement claims the invoices - ``UPDATE workflows ... WHERE status =
   'angeordnet' RETURNING invoice_id`` - so a concurrent export waits for the
   rows and then no longer finds them ``angeordnet`` (PostgreSQL re-checks the
   condition after the lock; SQLite runs one writer at a time);
2. each claimed invoice goes ``angeordnet -> exported`` through the domain's
   state machine with its audit event;
3. the batch file is archived in the blob store and recorded with one
   ``exports`` row per invoice (unique per invoice: the database refuses a
   second export even if everything above failed);

all in one transaction: either the whole batch is recorded, or nothing.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from einvoice.domain import approval
from einvoice.domain.approval import Action, ActionKind, Refusal, Status
from einvoice.domain.booking import BookingLine, BookingRecord, booking_record
from einvoice.domain.kontierung import split_key
from einvoice.domain.routing import RoutingConfig
from einvoice.services import payee_check
from einvoice.services.holds import ibans_of as payee_ibans
from einvoice.services.kontierung_store import open_skonto
from einvoice.services.payee_check import RefusedLine
from einvoice.services.payment_runs import run_label_de
from einvoice.services.ports import Pipeline, WorkflowPorts
from einvoice.services.workflow_base import (
    BadRequest,
    NotFound,
    Refused,
    aware,
    now_local,
    ports_of,
    state_of,
    store_transition,
)
from einvoice.storage.creditor_tables import CreditorRow, InvoiceSupplierRow
from einvoice.storage.kontierung_tables import PaymentOrderLineRow, PaymentOrderRow
from einvoice.storage.tables import (
    Blob,
    Document,
    ExportBatch,
    ExportRecord,
    Invoice,
    Workflow,
)

log = logging.getLogger(__name__)

FORMATS = ("csv", "json")
ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class ExportResult:
    """One export batch; empty (``batch_id`` None, nothing recorded) when nothing was due."""

    batch_id: str | None
    format: str
    created_at: datetime
    records: tuple[BookingRecord, ...]
    content: bytes  # the file handed to the HKR (empty when there is nothing to export)
    filename: str | None
    sha256: str | None  # the archived file in the blob store
    label_de: str | None = None  # "Zahllauf vom 02.12.2026, Nr. 3"
    #: ordered invoices not written: the payee is not a creditor's account checked by two
    #: people (services.payee_check); each is held again with the reason
    refused: tuple[RefusedLine, ...] = ()

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.records), Decimal(0))


def export(pipeline: Pipeline, fmt: str = "csv") -> ExportResult:
    """Export every ordered invoice not exported yet, as one batch (see module docstring)."""
    if fmt not in FORMATS:
        raise BadRequest(f"Unbekanntes Exportformat {fmt!r}; möglich: {', '.join(FORMATS)}.")
    ports = ports_of(pipeline)
    config = ports.routing()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _export(pipeline, ports, config, fmt)
        except (OperationalError, IntegrityError, StaleDataError) as exc:
            # SQLite: database busy; anywhere: a concurrent export got there first
            if attempt == ATTEMPTS:
                raise
            log.info("export: attempt %d collided with another export (%s)", attempt, exc)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def _export(
    pipeline: Pipeline, ports: WorkflowPorts, config: RoutingConfig, fmt: str
) -> ExportResult:
    at = now_local(pipeline)
    batch_id = str(uuid.uuid4())
    with pipeline.sessions() as session:
        claimed = sorted(
            session.scalars(
                update(Workflow)
                # an open payment hold keeps an invoice out of the export (issue 12)
                .where(Workflow.status == Status.ANGEORDNET.value, Workflow.holds == "")
                .values(version=Workflow.version + 1)
                .returning(Workflow.invoice_id)
                .execution_options(synchronize_session=False)
            )
        )
        if not claimed:
            session.rollback()
            return ExportResult(None, fmt, at, (), b"", None, None)
        refused: list[RefusedLine] = []
        written = (_export_one(session, pipeline, ports, config, i, at, refused) for i in claimed)
        records = [r for r in written if r is not None]
        claimed = [r.invoice_id for r in records]
        for line in refused:
            log.warning("export: invoice %s refused: %s", line.invoice_id, line.reason_de)
        if not records:  # every line refused: only the holds are recorded
            session.commit()
            return ExportResult(None, fmt, at, (), b"", None, None, refused=tuple(refused))
        content = ports.write_bookings(records, fmt, batch_id, at)
        sha = pipeline.blobs.put(content)
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=len(content), stored_at=at.astimezone(UTC)))
        filename = f"hkr-export-{at:%Y%m%d-%H%M%S}-{batch_id[:8]}.{fmt}"
        session.add(
            ExportBatch(
                id=batch_id,
                format=fmt,
                created_at=at.astimezone(UTC),
                count=len(records),
                total=sum((r.amount for r in records), Decimal(0)),
                filename=filename,
                sha256=sha,
            )
        )
        session.flush()
        session.add_all(
            ExportRecord(invoice_id=i, batch_id=batch_id, exported_at=at.astimezone(UTC))
            for i in claimed
        )
        session.commit()
        label = run_label_de(session, batch_id, ports.zone)
    log.info("export batch %s (%s): %d invoice(s)", batch_id, label, len(records))
    return ExportResult(
        batch_id, fmt, at, tuple(records), content, filename, sha, label, tuple(refused)
    )


def _export_one(
    session: Session,
    pipeline: Pipeline,
    ports: WorkflowPorts,
    config: RoutingConfig,
    invoice_id: int,
    at: datetime,
    refused: list[RefusedLine],
) -> BookingRecord | None:
    """The invoice's booking record, exported; None (and in ``refused``) when the payee
    check refuses its line (``payee_check``: checked at the moment the line is written)."""
    row = session.get(Workflow, invoice_id, populate_existing=True)
    assert row is not None
    invoice = session.get(Invoice, invoice_id)
    assert invoice is not None
    document = session.get(Document, invoice.document_id)
    assert document is not None
    model = ports.read_invoice(pipeline.blobs.get(document.sha256), document.filename)
    why = payee_check.refusal(session, invoice_id, payee_ibans(model))
    if why is not None:
        payee_check.hold_refused(session, row, why, at)
        refused.append(RefusedLine(invoice_id, why))
        return None
    outcome = approval.apply(state_of(row), Action(ActionKind.EXPORT), approval.SYSTEM, at, config)
    if isinstance(outcome, Refusal):
        raise Refused(outcome.code.value, outcome.reason_de)
    store_transition(session, row, outcome)
    dept = config.department(row.department or "")
    number, lines = _order(session, invoice_id)
    return booking_record(
        model,
        invoice_id=invoice_id,
        department=row.department or "",
        department_cost_centres=dept.cost_centres if dept else (),
        due_date=row.due_date,
        skonto=open_skonto(session, invoice_id, at.date()),
        original_sha256=document.sha256,
        ordered_by=row.ordered_by or "",
        creditor_number=_creditor_number(session, invoice_id),
        order_number=number,
        lines=lines,
    )


def _creditor_number(session: Session, invoice_id: int) -> str | None:
    """The Kreditorennummer of the invoice's matched creditor (master data)."""
    return session.scalar(
        select(CreditorRow.number)
        .join(InvoiceSupplierRow, InvoiceSupplierRow.creditor_id == CreditorRow.id)
        .where(InvoiceSupplierRow.invoice_id == invoice_id)
    )


def _order(session: Session, invoice_id: int) -> tuple[str | None, tuple[BookingLine, ...]]:
    """The payment order's number and its booking lines (issue 24), if one was written."""
    order = session.get(PaymentOrderRow, invoice_id)
    if order is None:
        return None, ()
    lines = session.scalars(
        select(PaymentOrderLineRow)
        .where(PaymentOrderLineRow.invoice_id == invoice_id)
        .order_by(PaymentOrderLineRow.position)
    )
    out: list[BookingLine] = []
    for line in lines:
        produkt, sachkonto, kostenstelle, auftrag = split_key(line.key)
        out.append(
            BookingLine(
                produkt=produkt,
                sachkonto=sachkonto,
                kostenstelle=kostenstelle,
                auftrag=auftrag,
                year=line.year,
                amount=Decimal(line.amount),
                net=Decimal(line.net),
                vat=Decimal(line.vat),
                apart=line.apart,
            )
        )
    return order.number, tuple(out)


def batch_file(pipeline: Pipeline, batch_id: str) -> tuple[str, bytes, datetime]:
    """The archived file of an earlier export batch: (file name, content, created at)."""
    with pipeline.sessions() as session:
        batch = session.get(ExportBatch, batch_id)
        if batch is None:
            raise NotFound(f"Den Export {batch_id} gibt es nicht.")
        return batch.filename, pipeline.blobs.get(batch.sha256), aware(batch.created_at)
