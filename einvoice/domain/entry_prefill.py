"""A parsed invoice back to the Weberfassung's form values (prefill of a corrected invoice).

The reverse of :func:`einvoice.domain.invoice_entry_form.read_form` for what the
form can hold: an invoice written by the form comes back to the same values
(``read_form(form_values(parse(write_ubl(x)))) == x``). Of a foreign invoice
the form keeps what it can show; what it cannot (a second account, sub-lines,
price details) is left for the supplier to look at in the original.
"""

from __future__ import annotations

from decimal import Decimal

from einvoice.domain.entry_values import german_decimal, money_text
from einvoice.domain.invoice import Invoice, InvoiceLine
from einvoice.domain.invoice_entry import TYPE_CREDIT_NOTE, TYPE_INVOICE
from einvoice.domain.lines import AllowanceCharge


def form_values(invoice: Invoice) -> dict[str, str]:
    """The form's values for ``invoice`` (German decimal comma, ISO dates)."""
    inv = invoice
    values: dict[str, str] = {
        "art": TYPE_CREDIT_NOTE if inv.is_credit_note else TYPE_INVOICE,
        "nummer": inv.number,
        "datum": inv.issue_date.isoformat(),
        "faellig": inv.due_date.isoformat() if inv.due_date else "",
        "leitweg_id": inv.buyer_reference or "",
        "bestellnummer": inv.purchase_order_reference or "",
        "hinweis": "\n".join(note.text for note in inv.notes),
    }
    if inv.preceding_invoices:
        first = inv.preceding_invoices[0]
        values["vorherige_nummer"] = first.reference
        values["vorherige_datum"] = first.issue_date.isoformat() if first.issue_date else ""
    if inv.delivery is not None and inv.delivery.actual_delivery_date is not None:
        values["lieferdatum"] = inv.delivery.actual_delivery_date.isoformat()
    if inv.invoicing_period is not None:
        start, end = inv.invoicing_period.start, inv.invoicing_period.end
        values["zeitraum_von"] = start.isoformat() if start else ""
        values["zeitraum_bis"] = end.isoformat() if end else ""
    values["zahlungsbedingungen"] = "\n".join(
        line for line in (inv.payment_terms or "").splitlines() if not line.strip().startswith("#")
    ).strip()
    if inv.skonto_terms:
        values["skonto_tage"] = str(inv.skonto_terms[0].days)
        values["skonto_prozent"] = money_text(inv.skonto_terms[0].percent)
    values.update(_seller(inv))
    values.update(_payment(inv))
    values["befreiung"] = next(
        (b.exemption_reason or "" for b in inv.vat_breakdown if b.category_code == "E"), ""
    )
    for i, line in enumerate(inv.lines, start=1):
        values.update(_line(i, line))
    for kind, items in (("abzug", inv.allowances), ("zuschlag", inv.charges)):
        for i, item in enumerate(items, start=1):
            values.update(_allowance(kind, i, item))
    return values


def _seller(inv: Invoice) -> dict[str, str]:
    s = inv.seller
    address = s.address
    contact = s.contact
    return {
        "verkaeufer_name": s.name or "",
        "verkaeufer_strasse": (address.line_one or "") if address else "",
        "verkaeufer_plz": (address.post_code or "") if address else "",
        "verkaeufer_ort": (address.city or "") if address else "",
        "verkaeufer_land": (address.country_code or "") if address else "",
        "verkaeufer_ustid": s.vat_identifier or "",
        "verkaeufer_steuernummer": s.tax_registration_identifier or "",
        "verkaeufer_kennung": s.identifiers[0].value if s.identifiers else "",
        "verkaeufer_register": s.legal_registration.value if s.legal_registration else "",
        "verkaeufer_email": s.electronic_address.value if s.electronic_address else "",
        "kontakt_name": (contact.point or "") if contact else "",
        "kontakt_telefon": (contact.telephone or "") if contact else "",
        "kontakt_email": (contact.email or "") if contact else "",
    }


def _payment(inv: Invoice) -> dict[str, str]:
    payment = inv.payment_instructions
    if payment is None or not payment.credit_transfers:
        return {}
    account = payment.credit_transfers[0]
    return {
        "iban": account.iban or "",
        "kontoinhaber": account.account_name or "",
        "bic": account.service_provider_identifier or "",
    }


def _vat_value(category: str | None, rate: Decimal | None) -> str:
    if category is None:
        return ""
    return f"{category}:{(rate or Decimal(0)).normalize():f}"


def _line(i: int, line: InvoiceLine) -> dict[str, str]:
    p = f"zeile-{i}-"
    values = {
        p + "beschreibung": line.item_name or "",
        p + "menge": german_decimal(line.quantity) if line.quantity is not None else "",
        p + "einheit": line.unit_code or "",
        p + "preis": _price(line),
        p + "ust": _vat_value(line.vat_category_code, line.vat_rate),
    }
    if line.allowances:
        first = line.allowances[0]
        values[p + "nachlass"] = money_text(first.amount) if first.amount is not None else ""
        values[p + "nachlass_grund"] = first.reason or ""
    return values


def _price(line: InvoiceLine) -> str:
    if line.price is None or line.price.net_price is None:
        return ""
    price = line.price.net_price
    # a price in euro and cent as it was typed (48,50, not 48,5); a finer one as it is (0,125)
    return money_text(price) if price == price.quantize(Decimal("0.01")) else german_decimal(price)


def _allowance(kind: str, i: int, item: AllowanceCharge) -> dict[str, str]:
    p = f"{kind}-{i}-"
    return {
        p + "betrag": money_text(item.amount) if item.amount is not None else "",
        p + "grund": item.reason or "",
        p + "ust": _vat_value(item.vat_category_code, item.vat_rate),
    }
