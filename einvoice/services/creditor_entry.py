"""Creditor accounting in the web app (issue 25, finding 1): a new creditor drafted from a held
invoice, entered by one person, its bank account and its assignment to the invoice decided by a
second one; a creditor's master data edited.

Builds on ``creditors`` (master data chain, bank accounts unverified until a second person
verifies them) and ``creditor_assignment`` (the creator proposes the creditor of the held
invoice, a second person confirms and so lifts the hold ``unknown-supplier``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from einvoice.domain.creditors import normal_iban
from einvoice.services import creditors
from einvoice.services.creditor_assignment import Assignment, assign_creditor
from einvoice.services.creditor_records import (
    AccountInput,
    CreditorError,
    CreditorInput,
    input_of,
)
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import NotFound, Refused
from einvoice.storage.creditor_tables import CreditorRow
from einvoice.storage.tables import Invoice


def _text(value: Any) -> str | None:
    """The first written value of a term (a string, an identifier ``{"value": ...}``, a list)."""
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t), None)
    if isinstance(value, dict):
        for key in ("value", "BT-29", "BT-30", "BT-34", "id"):
            if key in value:
                return _text(value[key])
        return None
    text = str(value).strip() if value is not None else ""
    return text or None


def _texts(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(t for t in (_text(v) for v in items) if t))


def draft_from_invoice(pipeline: Pipeline, invoice_id: int) -> CreditorInput:
    """A creditor as the invoice describes its seller (BG-4): name BT-27, address BG-5,
    VAT id BT-31, tax number BT-32, register BT-30, identifiers BT-29, contact e-mail
    BT-43, the first IBAN BT-84 (entered unverified). The Kreditorennummer is left empty:
    the finance system gives it."""
    with pipeline.sessions() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None:
            raise NotFound(f"Die Rechnung {invoice_id} gibt es nicht.")
        semantic = invoice.semantic or {}
    seller = semantic.get("BG-4") or {}
    address = seller.get("BG-5") or {}
    contact = seller.get("BG-6") or {}
    payment = semantic.get("BG-16") or {}
    transfers = payment.get("BG-17") if isinstance(payment, dict) else None
    accounts: list[AccountInput] = []
    for transfer in transfers if isinstance(transfers, list) else []:
        iban = _text(transfer.get("BT-84")) if isinstance(transfer, dict) else None
        if iban:
            holder = _text(transfer.get("BT-85")) or _text(seller.get("BT-27"))
            bic = _text(transfer.get("BT-86"))
            accounts.append(AccountInput(normal_iban(iban), bic, holder))
            break
    street = " ".join(t for t in (_text(address.get("BT-35")), _text(address.get("BT-36"))) if t)
    email = _text(contact.get("BT-43"))
    return CreditorInput(
        number="",
        name=_text(seller.get("BT-27")) or "",
        street=street or None,
        post_code=_text(address.get("BT-38")),
        city=_text(address.get("BT-37")),
        country=_text(address.get("BT-40")) or "DE",
        vat_ids=_texts(seller.get("BT-31")),
        tax_number=_text(seller.get("BT-32")),
        registration=_text(seller.get("BT-30")),
        seller_ids=_texts(seller.get("BT-29")),
        emails=(email,) if email and "@" in email else (),
        accounts=tuple(accounts),
    )


@dataclass(frozen=True, slots=True)
class Created:
    """A new creditor and, when made from a held invoice, the proposal of it for the invoice."""

    creditor_id: int
    number: str
    proposal: Assignment | None
    refused_de: str | None = None  # why the proposal was refused (the creditor stands)


def create(
    pipeline: Pipeline,
    data: CreditorInput,
    actor: str,
    *,
    invoice_id: int | None = None,
    reason: str = "",
) -> Created:
    """Enter a new creditor (its bank account unverified, entered by ``actor``); from a held
    invoice also propose it as the invoice's creditor: a second person confirms (four eyes)."""
    if invoice_id is not None and not reason.strip():
        raise CreditorError(
            "Bitte angeben, wie geprüft wurde, dass die Rechnung von diesem Kreditor stammt."
        )
    creditor = creditors.add_creditor(pipeline, data, actor)
    if invoice_id is None:
        return Created(creditor.id, creditor.number, None)
    try:  # the creditor stands even when the invoice no longer waits or four eyes refuse
        proposal = assign_creditor(pipeline, invoice_id, creditor.number, actor, reason)
    except Refused as exc:
        return Created(creditor.id, creditor.number, None, exc.reason_de)
    return Created(creditor.id, creditor.number, proposal)


def update(pipeline: Pipeline, creditor_id: int, data: CreditorInput, actor: str) -> str:
    """Change a creditor's master data (name, address, identifiers, e-mails): changed or
    unchanged. The Kreditorennummer and the bank accounts stay as they are (bank accounts
    are entered and verified apart, by two people)."""
    at = pipeline.clock()
    with pipeline.sessions() as session:
        row = session.get(CreditorRow, creditor_id)
        if row is None:
            raise NotFound(f"Den Kreditor {creditor_id} gibt es nicht.")
        before = input_of(session, row)
        kept = replace(data, number=before.number, accounts=before.accounts)
        _, action = creditors.save_creditor(session, kept, actor, at, verified_how=None)
        session.commit()
        return action


__all__ = ["Created", "create", "draft_from_invoice", "update"]
