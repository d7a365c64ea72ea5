"""The semantic form of an invoice: EN 16931 ids as keys, nested as in the model.

``to_semantic(inv)`` is a pure function of the model. Rules of the form:

* keys are business term / group ids (``BT-1``, ``BG-4``); a group is an
  object, a repeated group (BG-1, BG-3, BG-17, BG-20, BG-21, BG-23, BG-24,
  BG-25, BG-27, BG-28, BG-32, sub-lines BG-DEX-01) an array of objects;
* values are strings in the canonical form of the semantic data type: dates
  ISO 8601 (``2024-03-31``), amounts, quantities and percentages as decimal
  strings as written (scale kept), codes and texts as written;
* an identifier's scheme (``BT-30-1``) is a sibling key of the identifier
  (``BT-30``); the repeated seller identifier BT-29 and the item
  classifications BT-158 are arrays of objects keyed the same way;
* an attached document BT-125 is an object with its MIME code ``BT-125-1``,
  file name ``BT-125-2``, ``size`` (bytes) and ``sha256`` - not the content;
* absent terms are omitted, never ``null`` or ``""``;
* ``reading`` (only when there is something to say) tells what the document
  lacks: ``missing`` (mandatory terms, e.g. ``["BT-1", "BT-2"]``),
  ``unreadable`` (``{"term", "value", "reason"}`` of malformed values) and
  ``derived`` (terms the reader derived, e.g. BT-3 of a CreditNote without
  it); it is not a business term.

``CSV_COLUMNS`` / :func:`csv_rows` give the flat accounts-payable view: one
row per invoice line (sub-lines included, marked by their level) with the
header terms a clerk needs.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from einvoice.domain.invoice import (
    Address,
    AllowanceCharge,
    Contact,
    Identifier,
    Invoice,
    InvoiceLine,
    Period,
)
from einvoice.domain.values import decimal_text

Json = dict[str, Any]

# Address and contact terms per group: line one, two, three, city, post code,
# country subdivision, country code / contact point, telephone, e-mail.
ADDRESS_TERMS = {
    "BG-5": ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40"),
    "BG-8": ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55"),
    "BG-12": ("BT-64", "BT-65", "BT-164", "BT-66", "BT-67", "BT-68", "BT-69"),
    "BG-15": ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80"),
}
CONTACT_TERMS = {"BG-6": ("BT-41", "BT-42", "BT-43"), "BG-9": ("BT-56", "BT-57", "BT-58")}
# amount, base amount, percentage, VAT category, VAT rate, reason, reason code
ALLOWANCE_CHARGE_TERMS = {
    "BG-20": ("BT-92", "BT-93", "BT-94", "BT-95", "BT-96", "BT-97", "BT-98"),
    "BG-21": ("BT-99", "BT-100", "BT-101", "BT-102", "BT-103", "BT-104", "BT-105"),
    "BG-27": ("BT-136", "BT-137", "BT-138", "", "", "BT-139", "BT-140"),
    "BG-28": ("BT-141", "BT-142", "BT-143", "", "", "BT-144", "BT-145"),
}


def _canonical(value: object) -> object:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _put(target: Json, key: str, value: object) -> None:
    """Set ``key`` unless the value is absent (None, empty string/list/object)."""
    if value is None or value == "" or value == [] or value == {}:
        return
    target[key] = _canonical(value)


def _put_id(target: Json, key: str, identifier: Identifier | None) -> None:
    if identifier is not None:
        _put(target, key, identifier.value)
        _put(target, key + "-1", identifier.scheme)


def _address(address: Address | None, group: str) -> Json:
    if address is None:
        return {}
    out: Json = {}
    values = (
        address.line_one,
        address.line_two,
        address.line_three,
        address.city,
        address.post_code,
        address.country_subdivision,
        address.country_code,
    )
    for term, value in zip(ADDRESS_TERMS[group], values, strict=True):
        _put(out, term, value)
    return out


def _contact(contact: Contact | None, group: str) -> Json:
    if contact is None:
        return {}
    out: Json = {}
    for term, value in zip(
        CONTACT_TERMS[group], (contact.point, contact.telephone, contact.email), strict=True
    ):
        _put(out, term, value)
    return out


def _period(period: Period | None, start: str, end: str) -> Json:
    out: Json = {}
    if period is not None:
        _put(out, start, period.start)
        _put(out, end, period.end)
    return out


def _allowance_charges(items: tuple[AllowanceCharge, ...], group: str) -> list[Json]:
    terms = ALLOWANCE_CHARGE_TERMS[group]
    found: list[Json] = []
    for ac in items:
        out: Json = {}
        values = (
            ac.amount,
            ac.base_amount,
            ac.percentage,
            ac.vat_category_code,
            ac.vat_rate,
            ac.reason,
            ac.reason_code,
        )
        for term, value in zip(terms, values, strict=True):
            if term:
                _put(out, term, value)
        found.append(out)
    return found


def to_semantic(inv: Invoice) -> Json:
    """The invoice as a JSON-ready dict in the EN 16931 semantic structure."""
    out: Json = {}
    for key, value in (
        ("BT-1", inv.number),
        ("BT-2", None if "BT-2" in inv.missing_terms else inv.issue_date),
        ("BT-3", inv.type_code),
        ("BT-5", inv.currency_code),
        ("BT-6", inv.vat_accounting_currency_code),
        ("BT-7", inv.tax_point_date),
        ("BT-8", inv.tax_point_date_code),
        ("BT-9", inv.due_date),
        ("BT-10", inv.buyer_reference),
        ("BT-11", inv.project_reference),
        ("BT-12", inv.contract_reference),
        ("BT-13", inv.purchase_order_reference),
        ("BT-14", inv.sales_order_reference),
        ("BT-15", inv.receiving_advice_reference),
        ("BT-16", inv.despatch_advice_reference),
        ("BT-17", inv.tender_or_lot_reference),
    ):
        _put(out, key, value)
    _put_id(out, "BT-18", inv.invoiced_object_identifier)
    _put(out, "BT-19", inv.buyer_accounting_reference)
    _put(out, "BT-20", inv.payment_terms)
    notes = []
    for note in inv.notes:
        entry: Json = {}
        _put(entry, "BT-21", note.subject_code)
        _put(entry, "BT-22", note.text)
        notes.append(entry)
    _put(out, "BG-1", notes)
    process: Json = {}
    _put(process, "BT-23", inv.process.business_process_type)
    _put(process, "BT-24", inv.process.specification_identifier)
    _put(out, "BG-2", process)
    preceding = []
    for ref in inv.preceding_invoices:
        entry = {}
        _put(entry, "BT-25", ref.reference)
        _put(entry, "BT-26", ref.issue_date)
        preceding.append(entry)
    _put(out, "BG-3", preceding)
    _put(out, "BG-4", _seller(inv))
    _put(out, "BG-7", _buyer(inv))
    _put(out, "BG-10", _payee(inv))
    _put(out, "BG-11", _tax_representative(inv))
    _put(out, "BG-13", _delivery(inv))
    _put(out, "BG-16", _payment(inv))
    _put(out, "BG-20", _allowance_charges(inv.allowances, "BG-20"))
    _put(out, "BG-21", _allowance_charges(inv.charges, "BG-21"))
    _put(out, "BG-22", _totals(inv))
    _put(out, "BG-23", _vat_breakdown(inv))
    _put(out, "BG-24", _supporting_documents(inv))
    _put(out, "BG-25", [_line(line) for line in inv.lines])
    third_party = []
    for payment in inv.third_party_payments:
        entry = {}
        _put(entry, "BT-DEX-001", payment.type)
        _put(entry, "BT-DEX-002", payment.amount)
        _put(entry, "BT-DEX-003", payment.description)
        third_party.append(entry)
    _put(out, "BG-DEX-09", third_party)
    _put(out, "reading", _reading(inv))
    return out


def _reading(inv: Invoice) -> Json:
    """What the document lacks (see the module docstring); empty for a complete invoice."""
    out: Json = {}
    _put(out, "missing", list(inv.missing_mandatory_terms))
    _put(
        out,
        "unreadable",
        [{"term": u.term, "value": u.value, "reason": u.reason_de} for u in inv.unreadable_values],
    )
    _put(out, "derived", list(inv.derived_terms))
    return out


def _seller(inv: Invoice) -> Json:
    s = inv.seller
    out: Json = {}
    _put(out, "BT-27", s.name)
    _put(out, "BT-28", s.trading_name)
    identifiers = []
    for identifier in s.identifiers:
        entry: Json = {}
        _put_id(entry, "BT-29", identifier)
        identifiers.append(entry)
    _put(out, "BT-29", identifiers)
    _put_id(out, "BT-30", s.legal_registration)
    _put(out, "BT-31", s.vat_identifier)
    _put(out, "BT-32", s.tax_registration_identifier)
    _put(out, "BT-33", s.additional_legal_information)
    _put_id(out, "BT-34", s.electronic_address)
    _put(out, "BG-5", _address(s.address, "BG-5"))
    _put(out, "BG-6", _contact(s.contact, "BG-6"))
    return out


def _buyer(inv: Invoice) -> Json:
    b = inv.buyer
    out: Json = {}
    _put(out, "BT-44", b.name)
    _put(out, "BT-45", b.trading_name)
    _put_id(out, "BT-46", b.identifier)
    _put_id(out, "BT-47", b.legal_registration)
    _put(out, "BT-48", b.vat_identifier)
    _put_id(out, "BT-49", b.electronic_address)
    _put(out, "BG-8", _address(b.address, "BG-8"))
    _put(out, "BG-9", _contact(b.contact, "BG-9"))
    return out


def _payee(inv: Invoice) -> Json:
    out: Json = {}
    if inv.payee is not None:
        _put(out, "BT-59", inv.payee.name)
        _put_id(out, "BT-60", inv.payee.identifier)
        _put_id(out, "BT-61", inv.payee.legal_registration)
    return out


def _tax_representative(inv: Invoice) -> Json:
    out: Json = {}
    if inv.tax_representative is not None:
        _put(out, "BT-62", inv.tax_representative.name)
        _put(out, "BT-63", inv.tax_representative.vat_identifier)
        _put(out, "BG-12", _address(inv.tax_representative.address, "BG-12"))
    return out


def _delivery(inv: Invoice) -> Json:
    out: Json = {}
    d = inv.delivery
    if d is not None:
        _put(out, "BT-70", d.party_name)
        _put_id(out, "BT-71", d.location_identifier)
        _put(out, "BT-72", d.actual_delivery_date)
    _put(out, "BG-14", _period(inv.invoicing_period, "BT-73", "BT-74"))
    if d is not None:
        _put(out, "BG-15", _address(d.address, "BG-15"))
    return out


def _payment(inv: Invoice) -> Json:
    out: Json = {}
    p = inv.payment_instructions
    if p is None:
        return out
    _put(out, "BT-81", p.means_code)
    _put(out, "BT-82", p.means_text)
    _put(out, "BT-83", p.remittance_information)
    transfers = []
    for t in p.credit_transfers:
        entry: Json = {}
        _put(entry, "BT-84", t.account_identifier)
        _put(entry, "BT-85", t.account_name)
        _put(entry, "BT-86", t.service_provider_identifier)
        transfers.append(entry)
    _put(out, "BG-17", transfers)
    if p.card is not None:
        card: Json = {}
        _put(card, "BT-87", p.card.primary_account_number)
        _put(card, "BT-88", p.card.holder_name)
        _put(out, "BG-18", card)
    if p.direct_debit is not None:
        debit: Json = {}
        _put(debit, "BT-89", p.direct_debit.mandate_reference)
        _put(debit, "BT-90", p.direct_debit.creditor_identifier)
        _put(debit, "BT-91", p.direct_debit.debited_account)
        _put(out, "BG-19", debit)
    return out


def _totals(inv: Invoice) -> Json:
    t = inv.totals
    out: Json = {}
    for key, value in (
        ("BT-106", t.line_net_total),
        ("BT-107", t.allowance_total),
        ("BT-108", t.charge_total),
        ("BT-109", t.total_without_vat),
        ("BT-110", t.vat_total),
        ("BT-111", t.vat_total_accounting_currency),
        ("BT-112", t.total_with_vat),
        ("BT-113", t.paid_amount),
        ("BT-114", t.rounding_amount),
        ("BT-115", t.amount_due),
    ):
        _put(out, key, value)
    return out


def _vat_breakdown(inv: Invoice) -> list[Json]:
    found = []
    for v in inv.vat_breakdown:
        out: Json = {}
        _put(out, "BT-116", v.taxable_amount)
        _put(out, "BT-117", v.tax_amount)
        _put(out, "BT-118", v.category_code)
        _put(out, "BT-119", v.rate)
        _put(out, "BT-120", v.exemption_reason)
        _put(out, "BT-121", v.exemption_reason_code)
        found.append(out)
    return found


def _supporting_documents(inv: Invoice) -> list[Json]:
    found = []
    for d in inv.supporting_documents:
        out: Json = {}
        _put(out, "BT-122", d.reference)
        _put(out, "BT-123", d.description)
        _put(out, "BT-124", d.external_location)
        if d.attachment is not None:
            attached: Json = {}
            _put(attached, "BT-125-1", d.attachment.mime_code)
            _put(attached, "BT-125-2", d.attachment.filename)
            content = d.attachment.content
            attached["size"] = str(len(content))
            attached["sha256"] = hashlib.sha256(content).hexdigest()
            out["BT-125"] = attached
        found.append(out)
    return found


def _line(line: InvoiceLine) -> Json:
    out: Json = {}
    _put(out, "BT-126", line.line_id)
    _put(out, "BT-127", line.note)
    _put_id(out, "BT-128", line.object_identifier)
    _put(out, "BT-129", line.quantity)
    _put(out, "BT-130", line.unit_code)
    _put(out, "BT-131", line.net_amount)
    _put(out, "BT-132", line.order_line_reference)
    _put(out, "BT-133", line.accounting_reference)
    _put(out, "BG-26", _period(line.period, "BT-134", "BT-135"))
    _put(out, "BG-27", _allowance_charges(line.allowances, "BG-27"))
    _put(out, "BG-28", _allowance_charges(line.charges, "BG-28"))
    if line.price is not None:
        price: Json = {}
        _put(price, "BT-146", line.price.net_price)
        _put(price, "BT-147", line.price.discount)
        _put(price, "BT-148", line.price.gross_price)
        _put(price, "BT-149", line.price.base_quantity)
        _put(price, "BT-150", line.price.base_quantity_unit)
        _put(out, "BG-29", price)
    if line.vat is not None:
        vat: Json = {}
        _put(vat, "BT-151", line.vat.category_code)
        _put(vat, "BT-152", line.vat.rate)
        _put(out, "BG-30", vat)
    if line.item is not None:
        _put(out, "BG-31", _item(line))
    _put(out, "BG-DEX-01", [_line(sub) for sub in line.sub_lines])
    return out


def _item(line: InvoiceLine) -> Json:
    item = line.item
    out: Json = {}
    if item is None:
        return out
    _put(out, "BT-153", item.name)
    _put(out, "BT-154", item.description)
    _put(out, "BT-155", item.sellers_identifier)
    _put(out, "BT-156", item.buyers_identifier)
    _put_id(out, "BT-157", item.standard_identifier)
    classifications = []
    for c in item.classifications:
        entry: Json = {}
        _put(entry, "BT-158", c.code)
        _put(entry, "BT-158-1", c.list_id)
        _put(entry, "BT-158-2", c.list_version)
        classifications.append(entry)
    _put(out, "BT-158", classifications)
    _put(out, "BT-159", item.origin_country)
    attributes = []
    for a in item.attributes:
        entry = {}
        _put(entry, "BT-160", a.name)
        _put(entry, "BT-161", a.value)
        attributes.append(entry)
    _put(out, "BG-32", attributes)
    return out


# --------------------------------------------------------------------------
# The accounts-payable CSV view
# --------------------------------------------------------------------------

#: (column title, what it holds). Header terms first, then the line's terms.
CSV_COLUMNS: tuple[str, ...] = (
    "Datei",
    "BT-1 Rechnungsnummer",
    "BT-2 Rechnungsdatum",
    "BT-3 Rechnungsart",
    "Gutschrift",
    "BT-5 Währung",
    "BT-9 Fälligkeitsdatum",
    "BT-10 Leitweg-ID",
    "BT-13 Bestellnummer",
    "BT-12 Vertragsnummer",
    "BT-19 Buchungsreferenz",
    "BT-27 Verkäufer",
    "BT-31 USt-IdNr. Verkäufer",
    "BT-44 Käufer",
    "BT-84 IBAN",
    "BT-109 Summe netto",
    "BT-110 Umsatzsteuer",
    "BT-112 Summe brutto",
    "BT-115 Zahlbetrag",
    "Skonto-Frist",
    "Skonto-Betrag",
    "Ebene",
    "BT-126 Position",
    "BT-153 Artikel",
    "BT-129 Menge",
    "BT-130 Einheit",
    "BT-146 Nettopreis",
    "BT-131 Nettobetrag",
    "BT-151 USt-Kategorie",
    "BT-152 USt-Satz",
    "BT-132 Bestellposition",
    "BT-133 Buchungsreferenz Position",
)


def _text(value: object) -> str:
    canonical = _canonical(value)
    return "" if canonical is None else str(canonical)


def csv_rows(inv: Invoice, name: str = "") -> list[list[str]]:
    """One row per invoice line (sub-lines too); one row without line data if none."""
    payment = inv.payment_instructions
    iban = (
        payment.credit_transfers[0].account_identifier
        if payment is not None and payment.credit_transfers
        else None
    )
    offers = inv.skonto_offers()
    header = [
        name,
        inv.number,
        "" if "BT-2" in inv.missing_terms else _text(inv.issue_date),
        inv.type_code,
        "ja" if inv.is_credit_note else "nein",
        inv.currency_code,
        _text(inv.due_date),
        _text(inv.buyer_reference),
        _text(inv.purchase_order_reference),
        _text(inv.contract_reference),
        _text(inv.buyer_accounting_reference),
        _text(inv.seller.name),
        _text(inv.seller.vat_identifier),
        _text(inv.buyer.name),
        _text(iban),
        _text(inv.totals.total_without_vat),
        _text(inv.totals.vat_total),
        _text(inv.totals.total_with_vat),
        _text(inv.totals.amount_due),
        _text(offers[0].deadline) if offers else "",
        _text(offers[0].discount) if offers else "",
    ]
    rows = []
    for level, line in _levels(inv.lines, 1):
        rows.append(
            [
                *header,
                str(level),
                _text(line.line_id),
                _text(line.item_name),
                _text(line.quantity),
                _text(line.unit_code),
                _text(line.price.net_price if line.price is not None else None),
                _text(line.net_amount),
                _text(line.vat_category_code),
                _text(line.vat_rate),
                _text(line.order_line_reference),
                _text(line.accounting_reference),
            ]
        )
    if not rows:
        rows.append([*header] + [""] * (len(CSV_COLUMNS) - len(header)))
    return rows


def _levels(lines: tuple[InvoiceLine, ...], level: int) -> list[tuple[int, InvoiceLine]]:
    found: list[tuple[int, InvoiceLine]] = []
    for line in lines:
        found.append((level, line))
        found.extend(_levels(line.sub_lines, level + 1))
    return found
