"""The canonical invoice: the EN 16931 semantic model as typed, immutable Python.

One model for every syntax (UBL Invoice, UBL CreditNote, CII). Amounts are
``Decimal`` exactly as written in the document (scale kept, no rounding, sign
as written); dates are ``date``. Field names say what a term is; the
EN 16931 id stands beside each field.

Sign convention: amounts keep the sign the document wrote. A credit note
(BT-3 in :data:`CREDIT_NOTE_TYPE_CODES`, e.g. 381, or a UBL ``CreditNote``)
states positive amounts that the *seller owes the buyer*; :attr:`Invoice.sign`
is -1 for it, so ``inv.sign * inv.totals.amount_due`` is what the buyer has to
pay (negative: money comes back). A corrected invoice (384) with negative
amounts keeps sign +1: its negative amounts already say so.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from einvoice.domain.completeness import UnreadableValue, missing_mandatory_terms
from einvoice.domain.findings import Syntax
from einvoice.domain.lines import (
    AllowanceCharge,
    InvoiceLine,
    Item,
    ItemAttribute,
    ItemClassification,
    LineVat,
    Period,
    PriceDetails,
)
from einvoice.domain.parties import (
    Address,
    Buyer,
    Contact,
    Identifier,
    Payee,
    Seller,
    TaxRepresentative,
)
from einvoice.domain.payment import (
    CreditTransfer,
    DirectDebit,
    PaymentCard,
    PaymentInstructions,
    ThirdPartyPayment,
)
from einvoice.domain.skonto import SkontoOffer, SkontoTerm, offer
from einvoice.domain.values import InvalidValueError

#: UNTDID 1001 document types that EN 16931 treats as credit notes.
CREDIT_NOTE_TYPE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)


@dataclass(frozen=True, slots=True)
class InvoiceNote:
    """BG-1 INVOICE NOTE."""

    text: str  # BT-22
    subject_code: str | None = None  # BT-21 (UNTDID 4451, e.g. AAI, REG, ABL)


@dataclass(frozen=True, slots=True)
class ProcessControl:
    """BG-2 PROCESS CONTROL."""

    business_process_type: str | None = None  # BT-23
    specification_identifier: str | None = None  # BT-24 (XRechnung, Factur-X profile)


@dataclass(frozen=True, slots=True)
class PrecedingInvoiceReference:
    """BG-3 PRECEDING INVOICE REFERENCE."""

    reference: str  # BT-25
    issue_date: date | None = None  # BT-26


@dataclass(frozen=True, slots=True)
class Delivery:
    """BG-13 DELIVERY INFORMATION (the invoicing period BG-14 sits on the invoice)."""

    party_name: str | None = None  # BT-70 deliver to party name
    location_identifier: Identifier | None = None  # BT-71, BT-71-1
    actual_delivery_date: date | None = None  # BT-72
    address: Address | None = None  # BG-15 deliver to address (BT-75..BT-80, BT-165)


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    """BG-22 DOCUMENT TOTALS."""

    line_net_total: Decimal | None = None  # BT-106 sum of invoice line net amounts
    allowance_total: Decimal | None = None  # BT-107 sum of allowances on document level
    charge_total: Decimal | None = None  # BT-108 sum of charges on document level
    total_without_vat: Decimal | None = None  # BT-109 invoice total amount without VAT
    vat_total: Decimal | None = None  # BT-110 invoice total VAT amount
    vat_total_accounting_currency: Decimal | None = None  # BT-111 (in BT-6)
    total_with_vat: Decimal | None = None  # BT-112 invoice total amount with VAT
    paid_amount: Decimal | None = None  # BT-113
    rounding_amount: Decimal | None = None  # BT-114
    amount_due: Decimal | None = None  # BT-115 amount due for payment


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """BG-23 VAT BREAKDOWN."""

    taxable_amount: Decimal | None = None  # BT-116
    tax_amount: Decimal | None = None  # BT-117
    category_code: str | None = None  # BT-118
    rate: Decimal | None = None  # BT-119
    exemption_reason: str | None = None  # BT-120
    exemption_reason_code: str | None = None  # BT-121 (VATEX)


@dataclass(frozen=True, slots=True)
class EmbeddedDocument:
    """BT-125 attached document: a file with name, MIME type and size.

    The content stays base64 as written and is decoded on demand, so reading
    an invoice with megabytes of attachments costs no decoding time.
    """

    encoded: str = field(repr=False)  # base64 text of BT-125 as written
    mime_code: str | None = None  # BT-125-1
    filename: str | None = None  # BT-125-2

    @property
    def content(self) -> bytes:
        """The decoded file (raises InvalidValueError for broken base64)."""
        try:
            return base64.b64decode(self.encoded)
        except (binascii.Error, ValueError) as exc:
            raise InvalidValueError("BT-125", self.encoded[:20], "kein gültiges Base64") from exc

    @property
    def size(self) -> int:
        """Size of the decoded file in bytes."""
        return len(self.content)


@dataclass(frozen=True, slots=True)
class SupportingDocument:
    """BG-24 ADDITIONAL SUPPORTING DOCUMENTS.

    An external location (BT-124) is kept as a link and never fetched.
    """

    reference: str | None = None  # BT-122
    description: str | None = None  # BT-123
    external_location: str | None = None  # BT-124 (URI, not fetched)
    attachment: EmbeddedDocument | None = None  # BT-125


@dataclass(frozen=True, slots=True)
class Invoice:
    """BG-0 INVOICE: every business term of EN 16931 plus the XRechnung extension groups."""

    number: str  # BT-1
    issue_date: date  # BT-2
    type_code: str  # BT-3 (UNTDID 1001: 380 invoice, 381 credit note, 384 corrected)
    currency_code: str  # BT-5
    syntax: Syntax  # the syntax the document came in (not a business term)
    seller: Seller  # BG-4
    buyer: Buyer  # BG-7
    vat_accounting_currency_code: str | None = None  # BT-6
    tax_point_date: date | None = None  # BT-7
    tax_point_date_code: str | None = None  # BT-8 (as written: UNTDID 2005 in UBL, 2475 in CII)
    due_date: date | None = None  # BT-9
    buyer_reference: str | None = None  # BT-10 (XRechnung: the Leitweg-ID)
    project_reference: str | None = None  # BT-11
    contract_reference: str | None = None  # BT-12
    purchase_order_reference: str | None = None  # BT-13
    sales_order_reference: str | None = None  # BT-14
    receiving_advice_reference: str | None = None  # BT-15
    despatch_advice_reference: str | None = None  # BT-16
    tender_or_lot_reference: str | None = None  # BT-17
    invoiced_object_identifier: Identifier | None = None  # BT-18, BT-18-1
    buyer_accounting_reference: str | None = None  # BT-19
    payment_terms: str | None = None  # BT-20
    skonto_terms: tuple[SkontoTerm, ...] = ()  # BR-DE-18 entries of BT-20, structured
    notes: tuple[InvoiceNote, ...] = ()  # BG-1
    process: ProcessControl = ProcessControl()  # BG-2
    preceding_invoices: tuple[PrecedingInvoiceReference, ...] = ()  # BG-3
    payee: Payee | None = None  # BG-10
    tax_representative: TaxRepresentative | None = None  # BG-11
    delivery: Delivery | None = None  # BG-13
    invoicing_period: Period | None = None  # BG-14 (inside BG-13 in the semantic model)
    payment_instructions: PaymentInstructions | None = None  # BG-16
    allowances: tuple[AllowanceCharge, ...] = ()  # BG-20
    charges: tuple[AllowanceCharge, ...] = ()  # BG-21
    totals: DocumentTotals = DocumentTotals()  # BG-22
    vat_breakdown: tuple[VatBreakdown, ...] = ()  # BG-23
    supporting_documents: tuple[SupportingDocument, ...] = ()  # BG-24
    lines: tuple[InvoiceLine, ...] = ()  # BG-25 (top-level lines; sub-lines nested)
    third_party_payments: tuple[ThirdPartyPayment, ...] = ()  # BG-DEX-09

    # --- how the document was read (not business terms; see domain.completeness) ---
    # Mandatory header terms (BT-1, BT-2, BT-3, BT-5) absent, empty or unreadable: their
    # fields above hold placeholders (NOT_STATED_TEXT, NOT_STATED_DATE), never data.
    missing_terms: tuple[str, ...] = ()
    # Values not of their term's data type, as written (the field holds None).
    unreadable_values: tuple[UnreadableValue, ...] = ()
    # Terms the document does not state and the reader derived (BT-3 = 381 of a CreditNote).
    derived_terms: tuple[str, ...] = ()

    # --- what routing, rendering and the workflow ask for ---------------------

    @property
    def leitweg_id(self) -> str | None:
        """The routing key of German public buyers: BT-10 buyer reference."""
        return self.buyer_reference

    @property
    def is_credit_note(self) -> bool:
        return self.syntax is Syntax.UBL_CREDIT_NOTE or self.type_code in CREDIT_NOTE_TYPE_CODES

    @property
    def sign(self) -> int:
        """-1 for a credit note (its positive amounts are owed to the buyer), else +1."""
        return -1 if self.is_credit_note else 1

    @property
    def amount_due_signed(self) -> Decimal | None:
        """BT-115 from the buyer's side: positive to pay, negative to receive."""
        due = self.totals.amount_due
        return None if due is None else self.sign * due

    @property
    def missing_mandatory_terms(self) -> tuple[str, ...]:
        """Mandatory EN 16931 terms the document lacks (header, parties, totals, lines)."""
        return missing_mandatory_terms(self)

    @property
    def is_complete(self) -> bool:
        """Every header term was read from the document: no placeholder, no unreadable value."""
        return not self.missing_terms and not self.unreadable_values

    def all_lines(self) -> Iterator[InvoiceLine]:
        """Every line including sub-lines, depth first in document order."""
        for line in self.lines:
            yield from line.walk()

    def skonto_offers(self) -> tuple[SkontoOffer, ...]:
        """Skonto terms resolved against this invoice: deadlines and amounts (none without
        an issue date, BT-2, to count the days from)."""
        if "BT-2" in self.missing_terms:
            return ()
        return tuple(
            offer(term, self.issue_date, self.totals.amount_due) for term in self.skonto_terms
        )


__all__ = [
    "CREDIT_NOTE_TYPE_CODES",
    "Address",
    "AllowanceCharge",
    "Buyer",
    "Contact",
    "CreditTransfer",
    "Delivery",
    "DirectDebit",
    "DocumentTotals",
    "EmbeddedDocument",
    "Identifier",
    "Invoice",
    "InvoiceLine",
    "InvoiceNote",
    "Item",
    "ItemAttribute",
    "ItemClassification",
    "LineVat",
    "Payee",
    "PaymentCard",
    "PaymentInstructions",
    "Period",
    "PrecedingInvoiceReference",
    "PriceDetails",
    "ProcessControl",
    "Seller",
    "SkontoOffer",
    "SkontoTerm",
    "SupportingDocument",
    "TaxRepresentative",
    "ThirdPartyPayment",
    "UnreadableValue",
    "VatBreakdown",
]
