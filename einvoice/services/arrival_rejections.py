"""Invoices rejected on arrival: visible to the office that handles unassigned invoices.

An invoice the entry check rejects never reaches a department (no routing on wrong
data), so no department's queue shows it. The central office (the routing
configuration's ``fallback`` department, e.g. the Rechnungseingang) answers for these:
it sees them here with the German findings and what the supplier was told (the
rejection e-mail: to whom, its state). The operations page lists them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select

from einvoice.domain.approval import Status
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import Document as DocumentRow
from einvoice.storage.tables import FindingRow, Invoice, Message, Notification, Workflow

MAX_FINDINGS = 5  # per invoice in the list (the invoice page shows all)


@dataclass(frozen=True, slots=True)
class ArrivalRejection:
    invoice_id: int
    number: str
    seller_name: str | None
    total: Decimal | None
    currency: str | None
    received_at: datetime
    sender: str | None
    findings_de: tuple[str, ...]  # "BR-CO-15: ..." (errors only, the first MAX_FINDINGS)
    more_findings: int
    told_to: str | None  # the supplier's address the rejection went to (None: none known)
    told_subject: str | None
    told_status: str | None  # pending, sending, sent, failed, undeliverable; None: no e-mail


def fallback_department(pipeline: Pipeline) -> str | None:
    """The key of the office that handles unassigned invoices (None without a workflow)."""
    if pipeline.workflow is None:
        return None
    return pipeline.workflow.routing().fallback_department


def count(pipeline: Pipeline) -> int:
    with pipeline.sessions() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Workflow).where(*_rejected_on_arrival())
            )
            or 0
        )


def rejected_on_arrival(
    pipeline: Pipeline, limit: int = 200, offset: int = 0
) -> list[ArrivalRejection]:
    """The newest first, with their findings and the supplier's notice."""
    with pipeline.sessions() as session:
        rows = session.execute(
            select(Invoice, Message.sender, Message.received_at)
            .join(Workflow, Workflow.invoice_id == Invoice.id)
            .join(DocumentRow, DocumentRow.id == Invoice.document_id)
            .join(Message, Message.id == DocumentRow.message_id)
            .where(*_rejected_on_arrival())
            .order_by(Invoice.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        result = []
        for invoice, sender, received_at in rows:
            findings = list(
                session.scalars(
                    select(FindingRow)
                    .where(
                        FindingRow.document_id == invoice.document_id,
                        FindingRow.severity.in_(("error", "fatal")),
                    )
                    .order_by(FindingRow.id)
                )
            )
            notice = session.scalars(
                select(Notification).where(
                    Notification.invoice_id == invoice.id,
                    Notification.key == "supplier:reject",
                )
            ).first()
            result.append(
                ArrivalRejection(
                    invoice_id=invoice.id,
                    number=invoice.number,
                    seller_name=invoice.seller_name,
                    total=invoice.total_with_vat,
                    currency=invoice.currency,
                    received_at=received_at,
                    sender=sender,
                    findings_de=tuple(
                        f"{f.rule}: {f.message_de}" if f.rule else f.message_de
                        for f in findings[:MAX_FINDINGS]
                    ),
                    more_findings=max(0, len(findings) - MAX_FINDINGS),
                    told_to=notice.recipient if notice else None,
                    told_subject=notice.subject if notice else None,
                    told_status=notice.status if notice else None,
                )
            )
        return result


def _rejected_on_arrival() -> tuple[ColumnElement[bool], ...]:
    return (Workflow.status == Status.REJECTED.value, Workflow.department.is_(None))
