"""The supplier portal's Weberfassung (issue 26): drafts of invoices typed into the portal.

A draft belongs to one portal account: every function here takes the account and finds
only its own drafts (another account's draft is :class:`NotFound`, like one that does not
exist). A draft keeps the form's raw values as typed, so a half-filled form survives
logging out; it is prefilled from what the city knows - the seller from the account's
bound creditor (with its verified bank accounts), the buyer from the routing
configuration (``[buyer]``), the offices' Leitweg-IDs by name - or, for a corrected
invoice, from the invoice the city returned. Checking, previewing and submitting are in
``invoice_entry_submit``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from einvoice.domain.approval import Status
from einvoice.domain.creditors import Creditor, grouped_iban, iban_valid, normal_iban
from einvoice.domain.entry_fields import (
    ALLOWANCE_LABELS_DE,
    LINE_LABELS_DE,
    MAX_ALLOWANCES,
    MAX_ATTACHMENTS,
    MAX_LINES,
)
from einvoice.domain.invoice_entry import EntryParty
from einvoice.domain.invoice_entry_form import FIELD_LABELS_DE, form_values
from einvoice.domain.routing import RoutingConfig
from einvoice.services import creditor_records
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import BadRequest, NotFound, now_local, ports_of
from einvoice.storage.accounts import Account
from einvoice.storage.creditor_tables import InvoiceSupplierRow
from einvoice.storage.entry_tables import InvoiceDraftAttachmentRow, InvoiceDraftRow
from einvoice.storage.tables import Comment, Document, Invoice, Message, Workflow

#: What a draft is: an invoice, a credit note, or the corrected version of a returned one.
KINDS_DE: dict[str, str] = {
    "380": "Rechnung",
    "381": "Gutschrift",
    "correction": "Korrigierte Rechnung",
}
#: Limits of one draft: characters of one value (rows and attachments: the form's rules,
#: ``domain.entry_fields``, one limit for the form, the drafts and the API).
MAX_VALUE = 1000
MAX_LONG_VALUE = 5000  # notes and payment terms
#: Drafts of one account not yet submitted (each may hold attachments of several MB).
MAX_OPEN_DRAFTS = 50
#: The payment terms (BT-20) a new invoice is prefilled with.
TERMS_DE = "Zahlbar innerhalb von 30 Tagen ohne Abzug."
#: Rows the form shows (UI state kept with the values; never read as an invoice field).
ROWS = {"zeile": "_zeilen", "abzug": "_abzuege", "zuschlag": "_zuschlaege"}
_LONG = frozenset({"hinweis", "zahlungsbedingungen", "befreiung"})
HEADER_FIELDS = frozenset(
    {
        "art", "nummer", "datum", "faellig", "leitweg_id", "bestellnummer", "vorherige_nummer",
        "vorherige_datum", "lieferdatum", "zeitraum_von", "zeitraum_bis", "hinweis",
        "zahlungsbedingungen", "skonto_tage", "skonto_prozent", "verkaeufer_name",
        "verkaeufer_strasse", "verkaeufer_plz", "verkaeufer_ort", "verkaeufer_land",
        "verkaeufer_ustid", "verkaeufer_steuernummer", "verkaeufer_kennung",
        "verkaeufer_register", "verkaeufer_email", "kontakt_name",
        "kontakt_telefon", "kontakt_email", "iban", "kontoinhaber", "bic", "befreiung",
    }
)  # fmt: skip
#: The most fields one post of the form has: every row of it, the buttons, the file.
MAX_FORM_FIELDS = (
    len(HEADER_FIELDS)
    + len(LINE_LABELS_DE) * MAX_LINES
    + 2 * len(ALLOWANCE_LABELS_DE) * MAX_ALLOWANCES
    + 16  # csrf_token, aktion, anlage, anlage_beschreibung and room
)
_ROW_FIELD = re.compile(
    r"(zeile)-([1-9][0-9]{0,2})-(beschreibung|menge|einheit|preis|ust|nachlass|nachlass_grund)"
    r"|(abzug|zuschlag)-([1-9][0-9]?)-(betrag|grund|ust)"
)


@dataclass(frozen=True, slots=True)
class Office:
    """An office the invoice can go to: its Leitweg-ID (BT-10) and its name."""

    leitweg_id: str
    name: str


@dataclass(frozen=True, slots=True)
class BankAccountChoice:
    """A bank account of the creditor the city has verified (paid to without a hold)."""

    iban: str  # normal form
    holder: str
    bic: str

    @property
    def shown(self) -> str:
        return grouped_iban(self.iban)


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: int
    filename: str
    mime_code: str
    size: int
    description: str


@dataclass(frozen=True, slots=True)
class Draft:
    """One draft of the own account, as the form shows it."""

    id: int
    kind: str  # 380, 381, correction
    values: dict[str, str]  # the form's fields as typed (without the row counts)
    rows: dict[str, int]  # rows the form shows: zeile, abzug, zuschlag
    attachments: tuple[AttachmentInfo, ...]
    creditor_id: int | None
    corrects_invoice_id: int | None
    message_id: int | None  # the submission, once submitted
    created_at: datetime
    updated_at: datetime

    @property
    def kind_de(self) -> str:
        return KINDS_DE.get(self.kind, self.kind)

    @property
    def submitted(self) -> bool:
        return self.message_id is not None

    @property
    def number(self) -> str:
        return self.values.get("nummer", "")


@dataclass(frozen=True, slots=True)
class ReturnedInvoice:
    """An invoice of the own account the city returned for correction."""

    invoice_id: int
    number: str
    issue_date: str | None
    amount: Any
    currency: str | None
    comment: str  # what the clerk wrote when returning it
    draft_id: int | None  # the correction begun already


def buyer_party(config: RoutingConfig) -> EntryParty | None:
    """The city as the buyer (BG-7) from the routing configuration; None when not set up."""
    buyer = config.buyer
    if buyer is None:
        return None
    return EntryParty(
        name=buyer.name,
        street=buyer.street,
        additional_street=buyer.additional_street,
        post_code=buyer.post_code,
        city=buyer.city,
        country_code=buyer.country_code,
        vat_id=buyer.vat_id,
        tax_number="",
        electronic_address=buyer.electronic_address,
        contact_name="",
        contact_phone="",
        contact_email="",
    )


def buyer(pipeline: Pipeline) -> EntryParty | None:
    return buyer_party(ports_of(pipeline).routing())


def offices(config: RoutingConfig) -> tuple[Office, ...]:
    """Every Leitweg-ID of the city's offices, by office name (several IDs: named each)."""
    found = [
        Office(lid.text, dept.name if len(dept.leitweg_ids) == 1 else f"{dept.name} ({lid.text})")
        for dept in config.departments
        for lid in dept.leitweg_ids
    ]
    return tuple(sorted(found, key=lambda o: o.name.casefold()))


def buyer_coarse(config: RoutingConfig) -> frozenset[str]:
    """The Grobadressierungen of the city's Leitweg-IDs (its offices' and the routing rules'
    prefixes): a Leitweg-ID of any other is another authority's."""
    found = {lid.coarse for dept in config.departments for lid in dept.leitweg_ids}
    for rule in config.rules:
        for written in (rule.leitweg_id, rule.leitweg_prefix):
            coarse = (written or "").strip().split("-", 1)[0]
            if coarse.isdigit() and len(coarse) >= 2:
                found.add(coarse)
    return frozenset(found)


def today(pipeline: Pipeline) -> date:
    """The city's day (the issue date a new invoice is prefilled with)."""
    return now_local(pipeline).date()


# --- reading and writing drafts -----------------------------------------------------------


def clean_values(raw: Mapping[str, str]) -> dict[str, str]:
    """The form fields of ``raw`` a draft keeps: known names only, each value bounded.

    Unknown names (a hand-made request) are dropped; a too long value is refused with a
    German message (never cut silently)."""
    kept: dict[str, str] = {}
    header = HEADER_FIELDS | set(FIELD_LABELS_DE)
    for name, value in raw.items():
        match = _ROW_FIELD.fullmatch(name)
        if name not in header and match is None:
            continue
        if match is not None:
            index = int(match.group(2) or match.group(5))
            if index > (MAX_LINES if match.group(1) else MAX_ALLOWANCES):
                raise BadRequest(
                    f"Eine Rechnung im Portal hat höchstens {MAX_LINES} Positionen und "
                    f"{MAX_ALLOWANCES} Nachlässe oder Zuschläge je Art."
                )
        text = str(value).replace("\r\n", "\n").strip()
        limit = MAX_LONG_VALUE if name in _LONG else MAX_VALUE
        if len(text) > limit:
            raise BadRequest(
                f"Die Angabe „{FIELD_LABELS_DE.get(name, name)}“ ist zu lang "
                f"(höchstens {limit} Zeichen)."
            )
        if text:
            kept[name] = text
    return kept


def highest(values: Mapping[str, str], prefix: str) -> int:
    """The highest row number of ``prefix`` (zeile, abzug, zuschlag) with any value."""
    numbers = [
        int(name.split("-")[1])
        for name, value in values.items()
        if name.startswith(prefix + "-") and value
    ]
    return max(numbers, default=0)


def _rows(stored: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, int]:
    rows = {}
    for prefix, key in ROWS.items():
        shown = stored.get(key)
        wanted = int(shown) if isinstance(shown, (int, str)) and str(shown).isdigit() else 0
        least = 1 if prefix == "zeile" else 0
        limit = MAX_LINES if prefix == "zeile" else MAX_ALLOWANCES
        rows[prefix] = min(max(wanted, highest(values, prefix), least), limit)
    return rows


def _draft(session: Session, row: InvoiceDraftRow) -> Draft:
    stored = dict(row.values or {})
    values = {k: str(v) for k, v in stored.items() if not k.startswith("_")}
    files = session.scalars(
        select(InvoiceDraftAttachmentRow)
        .where(InvoiceDraftAttachmentRow.draft_id == row.id)
        .order_by(InvoiceDraftAttachmentRow.id)
    )
    return Draft(
        id=row.id,
        kind=row.kind,
        values=values,
        rows=_rows(stored, values),
        attachments=tuple(
            AttachmentInfo(f.id, f.filename, f.mime_code, f.size, f.description) for f in files
        ),
        creditor_id=row.creditor_id,
        corrects_invoice_id=row.corrects_invoice_id,
        message_id=row.message_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def own_row(session: Session, account_id: int, draft_id: int) -> InvoiceDraftRow:
    """The account's draft ``draft_id``; NotFound when there is none or it is someone else's."""
    row = session.get(InvoiceDraftRow, draft_id)
    if row is None or row.account_id != account_id:
        raise NotFound("Diesen Entwurf gibt es nicht (oder er gehört nicht Ihnen).")
    return row


def draft(pipeline: Pipeline, account_id: int, draft_id: int) -> Draft:
    with pipeline.sessions() as session:
        return _draft(session, own_row(session, account_id, draft_id))


def drafts(pipeline: Pipeline, account_id: int) -> list[Draft]:
    """The account's drafts, the last changed first (submitted ones too, marked)."""
    with pipeline.sessions() as session:
        rows = session.scalars(
            select(InvoiceDraftRow)
            .where(InvoiceDraftRow.account_id == account_id)
            .order_by(InvoiceDraftRow.updated_at.desc(), InvoiceDraftRow.id.desc())
            .limit(200)
        )
        return [_draft(session, r) for r in rows]


def _open_row(session: Session, account_id: int, draft_id: int) -> InvoiceDraftRow:
    row = own_row(session, account_id, draft_id)
    if row.message_id is not None:
        raise BadRequest(
            "Dieser Entwurf ist bereits eingereicht und kann nicht mehr geändert werden."
        )
    return row


def save(
    pipeline: Pipeline,
    account_id: int,
    draft_id: int,
    raw: Mapping[str, str],
    add_row: str | None = None,
) -> Draft:
    """Keep the form's values as typed (errors and all); ``add_row`` (zeile, abzug,
    zuschlag) shows one more empty row of that kind."""
    values = clean_values(raw)
    with pipeline.sessions() as session:
        row = _open_row(session, account_id, draft_id)
        if row.corrects_invoice_id is not None:  # the corrected version replaces the
            values["nummer"] = str((row.values or {}).get("nummer", ""))  # returned one
        rows = _rows(dict(row.values or {}), values)
        if add_row in rows:
            limit = MAX_LINES if add_row == "zeile" else MAX_ALLOWANCES
            rows[add_row] = min(max(rows[add_row], highest(values, add_row)) + 1, limit)
        row.values = values | {ROWS[k]: str(n) for k, n in rows.items()}
        row.updated_at = pipeline.clock()
        session.commit()
        return _draft(session, row)


def delete(pipeline: Pipeline, account_id: int, draft_id: int) -> None:
    """Delete a draft not yet submitted, with its attachments."""
    with pipeline.sessions() as session:
        row = _open_row(session, account_id, draft_id)
        for found in session.scalars(
            select(InvoiceDraftAttachmentRow).where(InvoiceDraftAttachmentRow.draft_id == row.id)
        ):
            session.delete(found)
        session.flush()
        session.delete(row)
        session.commit()


def _insert(
    session: Session,
    pipeline: Pipeline,
    account_id: int,
    kind: str,
    values: dict[str, str],
    *,
    creditor_id: int | None = None,
    corrects: int | None = None,
) -> InvoiceDraftRow:
    open_drafts = session.scalar(
        select(func.count())
        .select_from(InvoiceDraftRow)
        .where(InvoiceDraftRow.account_id == account_id, InvoiceDraftRow.message_id.is_(None))
    )
    if (open_drafts or 0) >= MAX_OPEN_DRAFTS:
        raise BadRequest(
            f"Sie haben schon {MAX_OPEN_DRAFTS} offene Entwürfe. Bitte reichen Sie einen davon "
            "ein oder löschen Sie Entwürfe, die Sie nicht mehr brauchen; dann geht ein neuer."
        )
    now = pipeline.clock()
    row = InvoiceDraftRow(
        account_id=account_id,
        kind=kind,
        creditor_id=creditor_id,
        corrects_invoice_id=corrects,
        values=values,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


# --- prefill ------------------------------------------------------------------------------


def bound_creditors(pipeline: Pipeline, account_id: int) -> list[Creditor]:
    """The creditors the account is bound to (confirmed by creditor accounting), by name."""
    with pipeline.sessions() as session:
        ids = creditor_records.bound_creditors(session, account_id)
        found = [creditor_records.load(session, i) for i in ids]
    return sorted(found, key=lambda c: (c.name.casefold(), c.id))


def verified_accounts(creditor: Creditor | None) -> tuple[BankAccountChoice, ...]:
    """The creditor's bank accounts the city pays to without a hold (four eyes verified)."""
    if creditor is None:
        return ()
    return tuple(
        BankAccountChoice(a.iban, a.holder or creditor.name, a.bic or "")
        for a in creditor.accounts
        if creditor.payable_to(a.iban)
    )


def creditor_of(pipeline: Pipeline, account_id: int, draft: Draft) -> Creditor | None:
    """The bound creditor the draft was prefilled from (None when no longer bound)."""
    for creditor in bound_creditors(pipeline, account_id):
        if creditor.id == draft.creditor_id:
            return creditor
    return None


def new_iban(creditor: Creditor | None, iban: str) -> bool:
    """The IBAN typed is none the city has verified for the creditor: the invoice will be
    accepted, its payment held until the city has checked the bank account. A mistyped
    IBAN is no new one: the form names its error instead."""
    wanted = normal_iban(iban)
    return iban_valid(wanted) and all(a.iban != wanted for a in verified_accounts(creditor))


def seller_values(creditor: Creditor | None, account: Account) -> dict[str, str]:
    """The seller's fields from the creditor file and the account (contact)."""
    email = account.email or ""
    values = {
        "verkaeufer_email": email,
        "kontakt_name": account.display_name or "",
        "kontakt_email": email,
    }
    if creditor is None:
        values["verkaeufer_name"] = account.organisation or ""
        values["verkaeufer_land"] = "DE"
        return {k: v for k, v in values.items() if v}
    values |= {
        "verkaeufer_name": creditor.name,
        "verkaeufer_strasse": creditor.street or "",
        "verkaeufer_plz": creditor.post_code or "",
        "verkaeufer_ort": creditor.city or "",
        "verkaeufer_land": creditor.country or "DE",
        "verkaeufer_ustid": next(iter(creditor.vat_ids), ""),
        "verkaeufer_steuernummer": creditor.tax_number or "",
        "verkaeufer_register": creditor.registration or "",
        # BT-29, the seller's identifier known to the buyer: without a VAT id or a register
        # number (a Kleinunternehmer) it is what BR-CO-26 asks for, and the city knows it
        "verkaeufer_kennung": creditor.number,
    }
    accounts = verified_accounts(creditor)
    if accounts:
        first = accounts[0]
        values |= {"iban": first.iban, "kontoinhaber": first.holder, "bic": first.bic}
    return {k: v for k, v in values.items() if v}


def defaults(pipeline: Pipeline, account_id: int, creditor_id: int | None = None) -> dict[str, str]:
    """The values a new draft of the account starts with: today's date and the seller
    (name, address, tax ids, verified bank account, contact) from the bound creditor -
    ``creditor_id`` when given (one the account is bound to, else NotFound), else the
    first by name."""
    return _seller_start(pipeline, account_id, creditor_id)[0]


def _seller_start(
    pipeline: Pipeline, account_id: int, creditor_id: int | None
) -> tuple[dict[str, str], int | None]:
    """:func:`defaults` and the id of the creditor they come from."""
    bound = bound_creditors(pipeline, account_id)
    chosen = bound[0] if bound else None
    if creditor_id is not None:
        chosen = next((c for c in bound if c.id == creditor_id), None)
        if chosen is None:
            raise NotFound("Für diese Firma dürfen Sie keine Rechnungen erfassen.")
    with pipeline.sessions() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFound("Dieses Konto gibt es nicht.")
        values = {"datum": today(pipeline).isoformat()} | seller_values(chosen, account)
    return values, chosen.id if chosen is not None else None


def create(pipeline: Pipeline, account_id: int, kind: str, creditor_id: int | None = None) -> int:
    """A new invoice (380) or credit note (381), prefilled: its id.

    ``creditor_id``: which of the account's bound creditors issues it (the first one by
    name when not given; a creditor the account is not bound to is refused)."""
    if kind not in ("380", "381"):
        raise BadRequest("Bitte „Rechnung“ oder „Gutschrift“ wählen.")
    values, chosen = _seller_start(pipeline, account_id, creditor_id)
    values = {"art": kind, "zahlungsbedingungen": TERMS_DE} | values
    with pipeline.sessions() as session:
        row = _insert(session, pipeline, account_id, kind, values, creditor_id=chosen)
        session.commit()
        return row.id


# --- correction of a returned invoice ------------------------------------------------------


def _own_invoices(account_id: int) -> Any:
    return (
        select(Invoice, Workflow.status, Message.raw_sha256, Document.sha256, Document.filename)
        .join(Document, Document.id == Invoice.document_id)
        .join(Message, Message.id == Document.message_id)
        .join(Workflow, Workflow.invoice_id == Invoice.id)
        .where(Message.source.like(f"upload:{account_id}:%"))
    )


def _return_comment(session: Session, invoice_id: int) -> str:
    found = session.scalars(
        select(Comment.text)
        .where(Comment.invoice_id == invoice_id, Comment.action == "return_to_supplier")
        .order_by(Comment.id.desc())
    ).first()
    return found or ""


def returned_invoices(pipeline: Pipeline, account_id: int) -> list[ReturnedInvoice]:
    """The account's invoices the city returned for correction (newest first)."""
    with pipeline.sessions() as session:
        rows = session.execute(
            _own_invoices(account_id)
            .where(Workflow.status == Status.RETURNED_TO_SUPPLIER.value)
            .order_by(Invoice.id.desc())
            .limit(100)
        ).all()
        begun = {
            r.corrects_invoice_id: r.id
            for r in session.scalars(
                select(InvoiceDraftRow).where(
                    InvoiceDraftRow.account_id == account_id,
                    InvoiceDraftRow.corrects_invoice_id.is_not(None),
                )
            )
        }
        return [
            ReturnedInvoice(
                invoice.id,
                invoice.number,
                invoice.issue_date,
                invoice.total_with_vat,
                invoice.currency,
                _return_comment(session, invoice.id),
                begun.get(invoice.id),
            )
            for invoice, *_ in rows
        ]


def return_comment(pipeline: Pipeline, invoice_id: int | None) -> str:
    """What the clerk wrote when returning the invoice a correction replaces."""
    if invoice_id is None:
        return ""
    with pipeline.sessions() as session:
        return _return_comment(session, invoice_id)


def assigned_creditor(session: Session, account_id: int, invoice_id: int) -> int | None:
    """The creditor the invoice is assigned to (matched on arrival or named by creditor
    accounting, ``creditor_assignment``) when the account is bound to it, else None.

    The corrected invoice carries the same seller, so it will be matched to the same
    creditor: its verified bank accounts decide whether an IBAN is new. Never another
    creditor the account happens to be bound to (an account may issue for several)."""
    supplier = session.get(InvoiceSupplierRow, invoice_id)
    if supplier is None or supplier.creditor_id is None:
        return None
    if supplier.creditor_id not in creditor_records.bound_creditors(session, account_id):
        return None
    return supplier.creditor_id


def create_correction(pipeline: Pipeline, account_id: int, invoice_id: int) -> int:
    """A draft that corrects the returned invoice ``invoice_id`` of the account: prefilled
    from that invoice, with the same number (the corrected version replaces it). A
    correction begun already is returned, not a second one."""
    with pipeline.sessions() as session:
        found = session.execute(_own_invoices(account_id).where(Invoice.id == invoice_id)).first()
        if found is None:
            raise NotFound("Diese Rechnung gibt es nicht (oder sie gehört nicht Ihnen).")
        _invoice, status, _raw, sha, filename = found
        if status != Status.RETURNED_TO_SUPPLIER.value:
            raise BadRequest(
                "Korrigieren lässt sich hier nur eine Rechnung, die die Stadt zur Berichtigung "
                "zurückgegeben hat."
            )
        begun = session.scalars(
            select(InvoiceDraftRow.id).where(
                InvoiceDraftRow.account_id == account_id,
                InvoiceDraftRow.corrects_invoice_id == invoice_id,
            )
        ).first()
        if begun is not None:
            return begun
    parsed = ports_of(pipeline).read_invoice(pipeline.blobs.get(sha), filename)
    values = clean_values(form_values(parsed))
    with pipeline.sessions() as session:
        row = _insert(
            session,
            pipeline,
            account_id,
            "correction",
            values,
            creditor_id=assigned_creditor(session, account_id, invoice_id),
            corrects=invoice_id,
        )
        for document in parsed.supporting_documents[:MAX_ATTACHMENTS]:
            embedded = document.attachment
            if embedded is None:
                continue
            content = embedded.content
            session.add(
                InvoiceDraftAttachmentRow(
                    draft_id=row.id,
                    filename=(embedded.filename or "anlage")[:255],
                    mime_code=(embedded.mime_code or "application/octet-stream")[:128],
                    size=len(content),
                    description=(document.description or document.reference or "")[:255],
                    data=content,
                    added_at=pipeline.clock(),
                )
            )
        session.commit()
        return row.id
