"""What a read invoice lacks: missing mandatory terms, unreadable values, derived terms.

A document is read as far as it goes (issue 27): a clerk looking at a rejected
invoice and the supplier's report need every term that is there, also when
the invoice number (BT-1) or the issue date (BT-2) is missing. The reader then
records what it could not take from the document instead of refusing it:

* ``Invoice.missing_terms``: the mandatory header terms BT-1, BT-2, BT-3, BT-5
  that are absent, empty or unreadable. Their fields hold the placeholders
  below and must not be used as data; :func:`missing_mandatory_terms` adds the
  mandatory terms of the groups (seller, buyer, totals, VAT breakdown, lines).
* ``Invoice.unreadable_values``: a value that is not of its term's data type
  (``1.234,56`` as an amount, ``2016-01-32`` as a date), kept as written.
* ``Invoice.derived_terms``: terms the document does not state and the reader
  derived (a UBL CreditNote without BT-3 is a credit note, 381).

Pure data, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from einvoice.domain.terms import term_label

if TYPE_CHECKING:
    from einvoice.domain.invoice import Invoice

#: Placeholders of the mandatory header fields when ``missing_terms`` names them.
NOT_STATED_TEXT = ""
NOT_STATED_DATE = date.min


@dataclass(frozen=True, slots=True)
class UnreadableValue:
    """A value the document states for ``term`` that is not of the term's data type."""

    term: str  # e.g. "BT-2"
    value: str  # as written (shortened)
    reason_de: str  # "kein gültiges Kalenderdatum"

    @property
    def text_de(self) -> str:
        return f"{term_label(self.term)}: '{self.value}' ist {self.reason_de}."


def missing_mandatory_terms(invoice: Invoice) -> tuple[str, ...]:
    """The mandatory EN 16931 terms (cardinality 1..1 / 1..n) the invoice lacks, in order.

    Header terms the reader could not take (``invoice.missing_terms``) come first,
    then the seller, buyer, totals, VAT breakdown and line terms.
    """
    # A derived term (BT-3 of a CreditNote) is still one the document does not state.
    found: list[str] = list(dict.fromkeys((*invoice.missing_terms, *invoice.derived_terms)))
    if invoice.process.specification_identifier is None:
        found.append("BT-24")
    seller, buyer = invoice.seller, invoice.buyer
    if seller.name is None:
        found.append("BT-27")
    if seller.address is None or seller.address.country_code is None:
        found.append("BT-40")
    if buyer.name is None:
        found.append("BT-44")
    if buyer.address is None or buyer.address.country_code is None:
        found.append("BT-55")
    totals = invoice.totals
    for term, amount in (
        ("BT-106", totals.line_net_total),
        ("BT-109", totals.total_without_vat),
        ("BT-112", totals.total_with_vat),
        ("BT-115", totals.amount_due),
    ):
        if amount is None:
            found.append(term)
    if not invoice.vat_breakdown:
        found.append("BG-23")
    if not invoice.lines:
        found.append("BG-25")
    for line in invoice.all_lines():
        for term, present in (
            ("BT-126", line.line_id is not None),
            ("BT-129", line.quantity is not None),
            ("BT-130", line.unit_code is not None),
            ("BT-131", line.net_amount is not None),
            ("BT-146", line.price is not None and line.price.net_price is not None),
            ("BT-153", line.item is not None and line.item.name is not None),
        ):
            if not present and term not in found:
                found.append(term)
    return tuple(found)


def describe_missing(terms: tuple[str, ...]) -> str:
    """``BT-1 Rechnungsnummer, BT-2 Rechnungsdatum`` for a German message."""
    return ", ".join(term_label(term) for term in terms)
