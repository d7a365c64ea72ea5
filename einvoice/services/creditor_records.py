"""Reading creditor master data: the stored rows as the domain's :class:`Creditor`.

Shared by ``creditors`` (changes) and ``holds`` (matching, releasing holds, four eyes on
creditor proposals for an unknown supplier).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from einvoice.domain.creditors import (
    BankAccount,
    Creditor,
    MatchedBy,
    Verification,
    bic_valid,
    iban_valid,
)
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import NotFound, WorkflowError
from einvoice.storage.creditor_tables import (
    CreditorAccountRow,
    CreditorKeyRow,
    CreditorRow,
    PortalBindingRow,
)
from einvoice.storage.tables import AuditEventRow

EMAIL = "email"


class CreditorError(WorkflowError, ValueError):
    """Wrong master data (German message for the person at the form or the CSV line)."""


@dataclass(frozen=True, slots=True)
class AccountInput:
    iban: str
    bic: str | None = None
    holder: str | None = None


@dataclass(frozen=True, slots=True)
class CreditorInput:
    """A creditor as entered or imported (identifiers as written)."""

    number: str  # Kreditorennummer
    name: str
    street: str | None = None
    post_code: str | None = None
    city: str | None = None
    country: str | None = None
    vat_ids: tuple[str, ...] = ()
    tax_number: str | None = None
    registration: str | None = None
    seller_ids: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    accounts: tuple[AccountInput, ...] = field(default_factory=tuple)

    def checked(self) -> CreditorInput:
        """The input, or CreditorError saying what is wrong."""
        if not self.number.strip():
            raise CreditorError("Die Kreditorennummer fehlt.")
        if len(self.number.strip()) > 32:
            raise CreditorError("Die Kreditorennummer ist länger als 32 Zeichen.")
        if not self.name.strip():
            raise CreditorError("Der Name des Kreditors fehlt.")
        for account in self.accounts:
            if not iban_valid(account.iban):
                raise CreditorError(f"Die IBAN {account.iban!r} ist ungültig (Prüfziffer).")
            if account.bic and not bic_valid(account.bic):
                raise CreditorError(f"Die BIC {account.bic!r} ist ungültig.")
        for email in self.emails:
            if " " in email.strip() or not email.strip():
                raise CreditorError(f"Die E-Mail-Adresse oder Domain {email!r} ist ungültig.")
        return self


def key_rows(session: Session, creditor_id: int) -> Sequence[CreditorKeyRow]:
    return session.scalars(
        select(CreditorKeyRow)
        .where(CreditorKeyRow.creditor_id == creditor_id)
        .order_by(CreditorKeyRow.id)
    ).all()


def account_rows(session: Session, creditor_id: int) -> Sequence[CreditorAccountRow]:
    return session.scalars(
        select(CreditorAccountRow)
        .where(CreditorAccountRow.creditor_id == creditor_id)
        .order_by(CreditorAccountRow.id)
    ).all()


def input_of(session: Session, row: CreditorRow) -> CreditorInput:
    keys = key_rows(session, row.id)

    def written(kind: str) -> tuple[str, ...]:
        return tuple(k.written for k in keys if k.kind == kind)

    return CreditorInput(
        number=row.number,
        name=row.name,
        street=row.street,
        post_code=row.post_code,
        city=row.city,
        country=row.country,
        vat_ids=written(MatchedBy.VAT_ID.value),
        tax_number=next(iter(written(MatchedBy.TAX_NUMBER.value)), None),
        registration=next(iter(written(MatchedBy.REGISTRATION.value)), None),
        seller_ids=written(MatchedBy.SELLER_ID.value),
        emails=written(EMAIL),
        accounts=tuple(
            AccountInput(a.iban, a.bic, a.holder) for a in account_rows(session, row.id)
        ),
    )


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def load(session: Session, creditor_id: int) -> Creditor:
    """The creditor as the domain's value (NotFound if there is none)."""
    row = session.get(CreditorRow, creditor_id)
    if row is None:
        raise NotFound(f"Den Kreditor {creditor_id} gibt es nicht.")
    data = input_of(session, row)
    accounts = tuple(
        BankAccount(
            iban=a.iban,
            bic=a.bic,
            holder=a.holder,
            verification=Verification(a.verified_by, _aware(a.verified_at), a.verified_how or "")
            if a.verified_by and a.verified_at
            else None,
            entered_by=a.added_by,
        )
        for a in account_rows(session, row.id)
    )
    return Creditor(
        id=row.id,
        number=row.number,
        name=row.name,
        street=row.street,
        post_code=row.post_code,
        city=row.city,
        country=row.country,
        vat_ids=data.vat_ids,
        tax_number=data.tax_number,
        registration=data.registration,
        seller_ids=data.seller_ids,
        emails=data.emails,
        accounts=accounts,
    )


def find(pipeline: Pipeline, ref: str) -> Creditor:
    """A creditor by id or Kreditorennummer."""
    with pipeline.sessions() as session:
        row = session.scalars(select(CreditorRow).where(CreditorRow.number == ref.strip())).first()
        if row is None and ref.strip().isdigit() and len(ref.strip()) < 10:
            row = session.get(CreditorRow, int(ref))
        if row is None:
            raise NotFound(f"Einen Kreditor „{ref}“ gibt es nicht (Id oder Kreditorennummer).")
        return load(session, row.id)


@dataclass(frozen=True, slots=True)
class Released:
    """What a master data decision did to the holds of waiting invoices."""

    released: tuple[int, ...] = ()  # invoices whose hold was cleared
    kept: tuple[tuple[int, str], ...] = ()  # (invoice, German reason) left held


def bound_creditors(session: Session, account_id: int) -> frozenset[int]:
    return frozenset(
        c
        for c in session.scalars(
            select(PortalBindingRow.creditor_id).where(
                PortalBindingRow.account_id == account_id, PortalBindingRow.state == "confirmed"
            )
        )
        if c is not None
    )


#: The invoice event of a creditor proposed for an unknown supplier (services.creditor_assignment)
PROPOSE_CREDITOR = "propose_creditor"
#: ... and of the proposal confirmed by a second person
ASSIGN_CREDITOR = "assign_creditor"


@dataclass(frozen=True, slots=True)
class AssignmentProposal:
    """A creditor that ``proposed_by`` named for an invoice, waiting for a second person."""

    creditor_id: int
    proposed_by: str


def pending_assignment(session: Session, invoice_id: int) -> AssignmentProposal | None:
    """The open proposal of the invoice's creditor: the last assignment event, if a proposal."""
    last = session.scalars(
        select(AuditEventRow)
        .where(
            AuditEventRow.invoice_id == invoice_id,
            AuditEventRow.action.in_((PROPOSE_CREDITOR, ASSIGN_CREDITOR)),
        )
        .order_by(AuditEventRow.sequence.desc())
        .limit(1)
    ).first()
    if last is None or last.action != PROPOSE_CREDITOR:
        return None
    creditor_id = str((last.details or {}).get("creditor_id", ""))
    if not creditor_id.isdigit():
        return None
    return AssignmentProposal(int(creditor_id), last.actor)
