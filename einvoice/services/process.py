"""Validate and extract one stored document; record the invoice once (idempotent)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from einvoice.domain.approval import STATUS_LABELS_DE, Status
from einvoice.domain.correction import REPLACEABLE, duplicate_advice_de
from einvoice.domain.findings import Report
from einvoice.services import outbox, states
from einvoice.services.columns import fit_amount, fit_text
from einvoice.services.ports import Pipeline
from einvoice.services.search import search_text
from einvoice.storage.tables import Document, DuplicateRecord, FindingRow, Invoice, Workflow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Outcome:
    document_id: int
    state: str
    invoice_id: int | None = None
    duplicate_of: int | None = None


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def seller_key(semantic: dict[str, Any]) -> str:
    """The seller's most stable identifier: VAT id, registration, id, else name."""
    seller = semantic.get("BG-4") or {}
    for term in ("BT-31", "BT-32", "BT-30", "BT-29"):
        value = seller.get(term)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("value") or value.get("id")
        if value:
            return f"{term}:{str(value).strip().upper()}"
    return "BT-27:" + str(seller.get("BT-27") or "").strip().upper()


def duplicate_key(semantic: dict[str, Any]) -> str:
    totals = semantic.get("BG-22") or {}
    amount = _decimal(totals.get("BT-112"))
    text = "|".join(
        [
            seller_key(semantic),
            str(semantic.get("BT-1") or "").strip().upper(),
            str(semantic.get("BT-3") or ""),
            str(amount.normalize()) if amount is not None else "",
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def process(pipeline: Pipeline, document_id: int) -> Outcome:
    with pipeline.sessions() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise LookupError(f"document {document_id} not found")
        if document.state != states.STORED:
            return _outcome(session, document)
        sha, filename = document.sha256, document.filename
        document.attempts += 1
        document.updated_at = pipeline.clock()
        session.commit()
    data = pipeline.blobs.get(sha)
    report = pipeline.validate(data, filename)
    semantic, reason = (
        pipeline.extract(data, filename) if report.syntax.value != "unknown" else (None, None)
    )
    try:
        return _record(pipeline, document_id, report, semantic, reason)
    except IntegrityError:
        # Another worker recorded the same document or the same invoice first.
        log.info("document %s: concurrent recording, re-reading", document_id)
        with pipeline.sessions() as session:
            document = session.get(Document, document_id)
            assert document is not None
            if document.state == states.STORED and semantic is not None:
                return _record(pipeline, document_id, report, semantic, reason)
            return _outcome(session, document)


def _outcome(session: Any, document: Document) -> Outcome:
    invoice = session.scalars(select(Invoice).where(Invoice.document_id == document.id)).first()
    duplicate = session.scalars(
        select(DuplicateRecord).where(DuplicateRecord.document_id == document.id)
    ).first()
    return Outcome(
        document.id,
        document.state,
        invoice.id if invoice else None,
        duplicate.original_invoice_id if duplicate else None,
    )


def _record(
    pipeline: Pipeline,
    document_id: int,
    report: Report,
    semantic: dict[str, Any] | None,
    reason: str | None,
) -> Outcome:
    now = pipeline.clock()
    with pipeline.sessions() as session:
        original: Invoice | None = None
        key = duplicate_key(semantic) if semantic is not None else None
        predecessor = _predecessor(session, semantic) if semantic is not None else None
        if predecessor is not None and predecessor.duplicate_key is not None:
            # the correction loop: the returned/rejected version gives up its key
            predecessor.duplicate_key = None
            session.flush()
        if key is not None:
            original = session.scalars(select(Invoice).where(Invoice.duplicate_key == key)).first()
        new_state = states.DUPLICATE if original is not None else states.PROCESSED
        if semantic is None:  # nothing to route or approve: its own, visible outcome
            new_state = states.UNREADABLE
            reason = unreadable_reason(report, reason)
        # Optimistic claim: only one transaction moves the document out of STORED.
        claimed = session.execute(
            update(Document)
            .where(Document.id == document_id, Document.state == states.STORED)
            .values(
                state=new_state,
                recommendation=report.recommendation.value,
                last_error=reason,
                updated_at=now,
            )
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            document = session.get(Document, document_id)
            assert document is not None
            return _outcome(session, document)
        for f in report.findings:
            session.add(
                FindingRow(
                    document_id=document_id,
                    rule=f.rule[:64],
                    severity=f.severity.value,
                    layer=f.layer.value,
                    message_de=f.message_de,
                    message_en=f.message_en,
                    location=f.location,
                    terms=" ".join(f.terms)[:250],
                )
            )
        invoice_id: int | None = None
        if new_state == states.UNREADABLE:
            document = session.get(Document, document_id)
            assert document is not None and reason is not None
            session.flush()  # the findings, for the answer to the sender
            outbox.queue_document_notice(session, document, document.message, reason, now)
        if original is not None:  # an accepted invoice with the same key exists
            session.add(
                DuplicateRecord(
                    kind="invoice",
                    document_id=document_id,
                    original_invoice_id=original.id,
                    detail=_duplicate_detail(session, original),
                    recorded_at=now,
                )
            )
        elif semantic is not None and key is not None:
            invoice = _invoice_row(document_id, key, report, semantic, now)
            if predecessor is not None:
                invoice.replaces_id = predecessor.id
                invoice.version = predecessor.version + 1
            session.add(invoice)
            session.flush()
            invoice_id = invoice.id
        session.commit()
        return Outcome(
            document_id, new_state, invoice_id, original.id if original is not None else None
        )


def unreadable_reason(report: Report, reason: str | None) -> str:
    """Why no invoice could be read (German): the extraction's reason, else the errors."""
    if reason:
        return f"Keine Rechnung lesbar: {reason}"[:4000]
    errors = [f"{f.rule}: {f.message_de}" for f in report.findings if f.severity.value == "error"]
    if not errors:
        return "Keine Rechnung lesbar: das Dokument ist keine bekannte E-Rechnung."
    return ("Keine Rechnung lesbar: " + "; ".join(errors[:3]))[:4000]


def _predecessor(session: Any, semantic: dict[str, Any]) -> Invoice | None:
    """The latest version of this invoice (same seller and BT-1) that may be replaced, if any."""
    number = str(semantic.get("BT-1") or "")[:250]
    if not number:
        return None
    latest = session.execute(
        select(Invoice, Workflow.status)
        .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
        .where(Invoice.seller_key == seller_key(semantic)[:250], Invoice.number == number)
        .order_by(Invoice.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    invoice, status = latest
    replaceable = status in {s.value for s in REPLACEABLE}
    return invoice if replaceable else None


def _duplicate_detail(session: Any, original: Invoice) -> str:
    status = session.scalar(select(Workflow.status).where(Workflow.invoice_id == original.id))
    label = STATUS_LABELS_DE.get(Status(status), status) if status else ""
    return duplicate_advice_de(original.number, status, label)


def _invoice_row(
    document_id: int, key: str, report: Report, semantic: dict[str, Any], now: Any
) -> Invoice:
    seller = semantic.get("BG-4") or {}
    totals = semantic.get("BG-22") or {}
    lines = semantic.get("BG-25") or []
    return Invoice(
        document_id=document_id,
        duplicate_key=key if report.valid else None,
        invoice_key=key,
        seller_key=seller_key(semantic)[:250],
        seller_name=(str(seller.get("BT-27") or "")[:500]) or None,
        number=str(semantic.get("BT-1") or "")[:250],
        # no value from a supplier makes the insert fail: what does not fit stays in `semantic`
        type_code=fit_text(semantic.get("BT-3"), 8),
        issue_date=fit_text(semantic.get("BT-2"), 10),
        due_date=fit_text(semantic.get("BT-9"), 10),
        currency=fit_text(semantic.get("BT-5"), 3),
        buyer_reference=(str(semantic["BT-10"])[:250] if semantic.get("BT-10") else None),
        order_reference=(str(semantic["BT-13"])[:250] if semantic.get("BT-13") else None),
        total_with_vat=fit_amount(_decimal(totals.get("BT-112"))),
        amount_due=fit_amount(_decimal(totals.get("BT-115"))),
        line_count=len(lines) if isinstance(lines, list) else 0,
        syntax=report.syntax.value,
        scenario=report.scenario.value,
        profile=report.profile,
        recommendation=report.recommendation.value,
        state=states.VALIDATED if report.valid else states.REJECTED,
        semantic=semantic,
        search_text=search_text(semantic),
        created_at=now,
    )


def mark_failed(pipeline: Pipeline, document_id: int, error: str) -> None:
    """Dead letter: the document ends in FAILED with the reason (never lost)."""
    with pipeline.sessions() as session:
        document = session.get(Document, document_id)
        if document is None or document.state != states.STORED:
            return
        document.state = states.FAILED
        document.last_error = error[:4000]
        document.updated_at = pipeline.clock()
        session.commit()


def retry(pipeline: Pipeline, document_id: int) -> bool:
    """Put a failed document back to STORED (attempts reset); True if it was failed."""
    with pipeline.sessions() as session:
        document = session.get(Document, document_id)
        if document is None or document.state != states.FAILED:
            return False
        document.state = states.STORED
        document.attempts = 0
        document.updated_at = pipeline.clock()
        session.commit()
        return True
