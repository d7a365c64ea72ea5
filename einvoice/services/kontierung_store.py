"""Reads shared by the Kontierung services: the chart of accounts, stored splits, Skonto."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from einvoice.domain import kontierung as k
from einvoice.domain.invoice import Invoice as InvoiceModel
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import NotFound, ports_of
from einvoice.storage.kontierung_tables import BuchungsstelleRow, KontierungSplitRow
from einvoice.storage.tables import DeadlineRow, Document, Invoice


def stelle_of(row: BuchungsstelleRow) -> k.Buchungsstelle:
    return k.Buchungsstelle(
        produkt=row.produkt,
        sachkonto=row.sachkonto,
        kostenstelle=row.kostenstelle,
        auftrag=row.auftrag or "",
        name=row.name or "",
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        departments=frozenset(d for d in (row.departments or "").split(",") if d),
        bga=bool(row.bga),
    )


def chart_required(session: Session) -> bool:
    """Does the city keep a chart of accounts (then every order needs a Kontierung)?"""
    return session.scalar(select(BuchungsstelleRow.id).limit(1)) is not None


def chart_of(session: Session, keys: Iterable[str]) -> dict[str, k.Buchungsstelle]:
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = session.scalars(select(BuchungsstelleRow).where(BuchungsstelleRow.key.in_(wanted)))
    return {row.key: stelle_of(row) for row in rows}


def usable_for(session: Session, department: str, year: int) -> list[k.Buchungsstelle]:
    """The Buchungsstellen an Amt may use in a year (for the form's list)."""
    rows = session.scalars(
        select(BuchungsstelleRow)
        .where(
            (BuchungsstelleRow.departments == "")
            | BuchungsstelleRow.departments.contains(department)
        )
        .order_by(BuchungsstelleRow.key)
        .limit(2000)
    )
    stellen = [stelle_of(r) for r in rows]
    return [b for b in stellen if b.allowed_for(department) and b.valid_in(year)]


def model_of(pipeline: Pipeline, session: Session, invoice_id: int) -> tuple[InvoiceModel, str]:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound(f"Rechnung {invoice_id} gibt es nicht.")
    document = session.get(Document, invoice.document_id)
    assert document is not None
    model = ports_of(pipeline).read_invoice(pipeline.blobs.get(document.sha256), document.filename)
    return model, document.sha256


def stored_splits(session: Session, invoice_id: int) -> tuple[k.Split, ...]:
    rows = session.scalars(
        select(KontierungSplitRow)
        .where(KontierungSplitRow.invoice_id == invoice_id)
        .order_by(KontierungSplitRow.position)
    )
    return tuple(k.Split(r.key, Decimal(r.amount), k.Basis(r.basis), r.value or "") for r in rows)


def open_skonto(
    session: Session, invoice_id: int, today: date
) -> tuple[date, Decimal | None, Decimal | None] | None:
    """The earliest Skonto offer still open on ``today``: (deadline, discount, amount to pay)."""
    offer = session.scalars(
        select(DeadlineRow)
        .where(
            DeadlineRow.invoice_id == invoice_id,
            DeadlineRow.kind == "skonto",
            DeadlineRow.due_on >= today,
        )
        .order_by(DeadlineRow.due_on)
    ).first()
    if offer is None:
        return None
    return offer.due_on, offer.discount, offer.amount_to_pay


__all__ = [
    "chart_of",
    "chart_required",
    "model_of",
    "open_skonto",
    "stelle_of",
    "stored_splits",
    "usable_for",
]
