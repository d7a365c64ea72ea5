"""UBL 2.1 Invoice and CreditNote -> :class:`~einvoice.domain.invoice.Invoice`.

Follows the EN 16931 UBL syntax binding (CEN/TS 16931-3-2) term by term,
plus the XRechnung extension (sub-lines ``cac:SubInvoiceLine``, third-party
payments ``cac:PrepaidPayment``). Walks the tree by direct child iteration
with Clark-notation tags: no XPath is compiled or evaluated per document.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeAlias, TypeVar

from lxml import etree

from einvoice.domain.completeness import NOT_STATED_DATE, NOT_STATED_TEXT, UnreadableValue
from einvoice.domain.findings import Syntax
from einvoice.domain.invoice import (
    Address,
    AllowanceCharge,
    Buyer,
    Contact,
    CreditTransfer,
    Delivery,
    DirectDebit,
    DocumentTotals,
    EmbeddedDocument,
    Identifier,
    Invoice,
    InvoiceLine,
    InvoiceNote,
    Item,
    ItemAttribute,
    ItemClassification,
    LineVat,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PrecedingInvoiceReference,
    PriceDetails,
    ProcessControl,
    Seller,
    SupportingDocument,
    TaxRepresentative,
    ThirdPartyPayment,
    VatBreakdown,
)
from einvoice.domain.skonto import skonto_terms
from einvoice.domain.values import InvalidValueError, parse_decimal, parse_iso_date
from einvoice.formats.namespaces import CAC, CBC
from einvoice.formats.xmldoc import XmlDocument

Element: TypeAlias = etree._Element
T = TypeVar("T")

A = f"{{{CAC}}}"
B = f"{{{CBC}}}"

# Document types of cac:AdditionalDocumentReference that are not BG-24.
INVOICED_OBJECT = "130"  # BT-18
PROJECT = "50"  # BT-11 in a CreditNote (no cac:ProjectReference there)


# --------------------------------------------------------------------------
# Tree helpers (direct children only), shared with the CII reader
# --------------------------------------------------------------------------


def child(el: Element | None, tag: str) -> Element | None:
    if el is None:
        return None
    for found in el.iterchildren(tag):
        return found
    return None


def kids(el: Element | None) -> dict[str, Element]:
    """The first child per tag, in one pass (cheaper than many lookups on one element)."""
    if el is None:
        return {}
    found: dict[str, Element] = {}
    for c in el:
        tag = c.tag
        if tag not in found:
            found[tag] = c
    return found


def children(el: Element | None, tag: str) -> Iterator[Element]:
    if el is None:
        return iter(())
    found: Iterator[Element] = el.iterchildren(tag)
    return found


def value(el: Element | None) -> str | None:
    """The element's text, outer whitespace removed; None when absent or empty."""
    if el is None:
        return None
    text = el.text if len(el) == 0 else "".join(el.itertext())
    if text is None:
        return None
    text = text.strip()
    return text or None


def text_of(el: Element | None, tag: str) -> str | None:
    return value(child(el, tag))


def path(el: Element | None, *tags: str) -> Element | None:
    for tag in tags:
        el = child(el, tag)
        if el is None:
            return None
    return el


@dataclass
class Reading:
    """What a tolerant read could not take from the document (see ``reading``)."""

    missing: list[str] = field(default_factory=list)
    unreadable: list[UnreadableValue] = field(default_factory=list)


#: The tolerant read in progress (None: strict, the first bad value raises).
_READING: ContextVar[Reading | None] = ContextVar("einvoice_reading", default=None)


def reading() -> ContextVar[Reading | None]:
    """The context variable a tolerant reader sets (formats.extract.read_invoice)."""
    return _READING


def unreadable(exc: InvalidValueError) -> None:
    """Record ``exc`` in a tolerant read, or raise it in a strict one."""
    current = _READING.get()
    if current is None:
        raise exc
    current.unreadable.append(UnreadableValue(exc.term, exc.value[:60], exc.expected))


def decimal_of(el: Element | None, term: str) -> Decimal | None:
    text = value(el)
    if text is None:
        return None
    try:
        return parse_decimal(text, term)
    except InvalidValueError as exc:
        unreadable(exc)
        return None


def date_of(el: Element | None, term: str) -> date | None:
    text = value(el)
    if text is None:
        return None
    try:
        return parse_iso_date(text, term)
    except InvalidValueError as exc:
        unreadable(exc)
        return None


def identifier_of(el: Element | None) -> Identifier | None:
    text = value(el)
    if text is None or el is None:
        return None
    return Identifier(text, el.get("schemeID"))


def joined(values: Iterator[str | None]) -> str | None:
    parts = [v for v in values if v]
    return "\n".join(parts) if parts else None


# --------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------


def parse_ubl(doc: XmlDocument) -> Invoice:
    """Map a UBL Invoice or CreditNote document onto the semantic model."""
    return _UblReader(doc.root, doc.syntax is Syntax.UBL_CREDIT_NOTE).invoice(doc.syntax)


class _UblReader:
    def __init__(self, root: Element, credit_note: bool) -> None:
        self.root = root
        self.credit_note = credit_note
        self.line_tag = A + ("CreditNoteLine" if credit_note else "InvoiceLine")
        self.sub_line_tag = A + ("SubCreditNoteLine" if credit_note else "SubInvoiceLine")
        self.quantity_tag = B + ("CreditedQuantity" if credit_note else "InvoicedQuantity")
        # One pass over the root's children, grouped by tag.
        self.top: dict[str, list[Element]] = {}
        for child in root:
            tag = child.tag
            if isinstance(tag, str):
                self.top.setdefault(tag, []).append(child)

    def all(self, tag: str) -> list[Element]:
        return self.top.get(tag, [])

    def one(self, tag: str) -> Element | None:
        found = self.top.get(tag)
        return found[0] if found else None

    def text(self, tag: str) -> str | None:
        return value(self.one(tag))

    # ---- header ------------------------------------------------------------

    def invoice(self, syntax: Syntax) -> Invoice:
        currency = self.text(B + "DocumentCurrencyCode")
        tax_currency = self.text(B + "TaxCurrencyCode")
        type_tag = B + ("CreditNoteTypeCode" if self.credit_note else "InvoiceTypeCode")
        period_el = self.one(A + "InvoicePeriod")
        means = self.all(A + "PaymentMeans")
        payment_terms = joined(text_of(terms, B + "Note") for terms in self.all(A + "PaymentTerms"))
        documents = self.all(A + "AdditionalDocumentReference")
        order = self.one(A + "OrderReference")
        totals, vat_breakdown = self.totals(currency, tax_currency)
        issue_date = date_of(self.one(B + "IssueDate"), "BT-2")
        allowances, charges = self.allowance_charges(self.all(A + "AllowanceCharge"), document=True)
        return Invoice(
            number=required(self.text(B + "ID"), "BT-1", "Rechnungsnummer", NOT_STATED_TEXT),
            issue_date=required(issue_date, "BT-2", "Rechnungsdatum", NOT_STATED_DATE),
            type_code=self.type_code(type_tag),
            currency_code=required(currency, "BT-5", "Rechnungswährung", NOT_STATED_TEXT),
            syntax=syntax,
            vat_accounting_currency_code=tax_currency,
            tax_point_date=date_of(self.one(B + "TaxPointDate"), "BT-7"),
            tax_point_date_code=text_of(period_el, B + "DescriptionCode"),
            due_date=self.due_date(means),
            buyer_reference=self.text(B + "BuyerReference"),
            project_reference=self.project_reference(documents),
            contract_reference=text_of(self.one(A + "ContractDocumentReference"), B + "ID"),
            purchase_order_reference=text_of(order, B + "ID"),
            sales_order_reference=text_of(order, B + "SalesOrderID"),
            receiving_advice_reference=text_of(self.one(A + "ReceiptDocumentReference"), B + "ID"),
            despatch_advice_reference=text_of(self.one(A + "DespatchDocumentReference"), B + "ID"),
            tender_or_lot_reference=text_of(self.one(A + "OriginatorDocumentReference"), B + "ID"),
            invoiced_object_identifier=self.invoiced_object(documents),
            buyer_accounting_reference=self.text(B + "AccountingCost"),
            payment_terms=payment_terms,
            skonto_terms=skonto_terms(payment_terms),
            notes=tuple(_note(n) for n in self.all(B + "Note") if value(n) is not None),
            process=ProcessControl(self.text(B + "ProfileID"), self.text(B + "CustomizationID")),
            preceding_invoices=self.preceding_invoices(),
            seller=self.seller(),
            buyer=self.buyer(),
            payee=self.payee(),
            tax_representative=self.tax_representative(),
            delivery=self.delivery(),
            invoicing_period=_period(period_el, "BT-73", "BT-74"),
            payment_instructions=self.payment_instructions(means),
            allowances=allowances,
            charges=charges,
            totals=totals,
            vat_breakdown=vat_breakdown,
            supporting_documents=self.supporting_documents(documents),
            lines=tuple(self.line(el) for el in self.all(self.line_tag)),
            third_party_payments=tuple(
                ThirdPartyPayment(
                    text_of(p, B + "ID"),
                    decimal_of(child(p, B + "PaidAmount"), "BT-DEX-002"),
                    text_of(p, B + "InstructionID"),
                )
                for p in self.all(A + "PrepaidPayment")
            ),
            derived_terms=self.derived_terms(type_tag),
        )

    def due_date(self, means: list[Element]) -> date | None:
        # Invoice: cbc:DueDate; CreditNote has none and uses cac:PaymentMeans/cbc:PaymentDueDate.
        due = date_of(self.one(B + "DueDate"), "BT-9")
        if due is None:
            for m in means:
                due = date_of(child(m, B + "PaymentDueDate"), "BT-9")
                if due is not None:
                    break
        return due

    def project_reference(self, documents: list[Element]) -> str | None:
        project = text_of(self.one(A + "ProjectReference"), B + "ID")
        if project is None and self.credit_note:
            for d in documents:
                if text_of(d, B + "DocumentTypeCode") == PROJECT:
                    return text_of(d, B + "ID")
        return project

    def invoiced_object(self, documents: list[Element]) -> Identifier | None:
        for d in documents:
            if text_of(d, B + "DocumentTypeCode") == INVOICED_OBJECT:
                return identifier_of(child(d, B + "ID"))
        return None

    def preceding_invoices(self) -> tuple[PrecedingInvoiceReference, ...]:
        found: list[PrecedingInvoiceReference] = []
        for ref in self.all(A + "BillingReference"):
            document = child(ref, A + "InvoiceDocumentReference")
            number = text_of(document, B + "ID")
            if number is not None:
                found.append(
                    PrecedingInvoiceReference(
                        number, date_of(child(document, B + "IssueDate"), "BT-26")
                    )
                )
        return tuple(found)

    # ---- parties -----------------------------------------------------------

    def seller(self) -> Seller:
        party = path(self.one(A + "AccountingSupplierParty"), A + "Party")
        if party is None:
            return Seller()
        legal = child(party, A + "PartyLegalEntity")
        vat, tax_registration = _tax_schemes(party)
        return Seller(
            name=text_of(legal, B + "RegistrationName"),
            trading_name=text_of(child(party, A + "PartyName"), B + "Name"),
            identifiers=tuple(i for i in (_party_ids(party)) if i.scheme != "SEPA"),
            legal_registration=identifier_of(child(legal, B + "CompanyID")),
            vat_identifier=vat,
            tax_registration_identifier=tax_registration,
            additional_legal_information=text_of(legal, B + "CompanyLegalForm"),
            electronic_address=identifier_of(child(party, B + "EndpointID")),
            address=_address(child(party, A + "PostalAddress")),
            contact=_contact(child(party, A + "Contact")),
        )

    def buyer(self) -> Buyer:
        party = path(self.one(A + "AccountingCustomerParty"), A + "Party")
        if party is None:
            return Buyer()
        legal = child(party, A + "PartyLegalEntity")
        vat, _ = _tax_schemes(party)
        ids = list(_party_ids(party))
        return Buyer(
            name=text_of(legal, B + "RegistrationName"),
            trading_name=text_of(child(party, A + "PartyName"), B + "Name"),
            identifier=ids[0] if ids else None,
            legal_registration=identifier_of(child(legal, B + "CompanyID")),
            vat_identifier=vat,
            electronic_address=identifier_of(child(party, B + "EndpointID")),
            address=_address(child(party, A + "PostalAddress")),
            contact=_contact(child(party, A + "Contact")),
        )

    def payee(self) -> Payee | None:
        party = self.one(A + "PayeeParty")
        if party is None:
            return None
        ids = [i for i in _party_ids(party) if i.scheme != "SEPA"]
        return Payee(
            name=text_of(child(party, A + "PartyName"), B + "Name"),
            identifier=ids[0] if ids else None,
            legal_registration=identifier_of(path(party, A + "PartyLegalEntity", B + "CompanyID")),
        )

    def tax_representative(self) -> TaxRepresentative | None:
        party = self.one(A + "TaxRepresentativeParty")
        if party is None:
            return None
        vat, _ = _tax_schemes(party)
        return TaxRepresentative(
            name=text_of(child(party, A + "PartyName"), B + "Name"),
            vat_identifier=vat,
            address=_address(child(party, A + "PostalAddress")),
        )

    def delivery(self) -> Delivery | None:
        delivery = self.one(A + "Delivery")
        if delivery is None:
            return None
        location = child(delivery, A + "DeliveryLocation")
        found = Delivery(
            party_name=text_of(path(delivery, A + "DeliveryParty", A + "PartyName"), B + "Name"),
            location_identifier=identifier_of(child(location, B + "ID")),
            actual_delivery_date=date_of(child(delivery, B + "ActualDeliveryDate"), "BT-72"),
            address=_address(child(location, A + "Address")),
        )
        return None if found == Delivery() else found

    # ---- payment -----------------------------------------------------------

    def payment_instructions(self, means: list[Element]) -> PaymentInstructions | None:
        creditor_id = self.creditor_identifier()
        if not means and creditor_id is None:
            return None
        code = text = remittance = None
        transfers: list[CreditTransfer] = []
        card: PaymentCard | None = None
        mandate_ref = debited = None
        for m in means:
            code_el = child(m, B + "PaymentMeansCode")
            code = code or value(code_el)
            if code_el is not None:
                text = text or clean(code_el.get("name"))
            remittance = remittance or text_of(m, B + "PaymentID")
            for account in children(m, A + "PayeeFinancialAccount"):
                transfers.append(
                    CreditTransfer(
                        text_of(account, B + "ID"),
                        text_of(account, B + "Name"),
                        text_of(child(account, A + "FinancialInstitutionBranch"), B + "ID"),
                    )
                )
            card_el = child(m, A + "CardAccount")
            if card_el is not None and card is None:
                card = PaymentCard(
                    text_of(card_el, B + "PrimaryAccountNumberID"),
                    text_of(card_el, B + "HolderName"),
                )
            mandate = child(m, A + "PaymentMandate")
            if mandate is not None:
                mandate_ref = mandate_ref or text_of(mandate, B + "ID")
                debited = debited or text_of(child(mandate, A + "PayerFinancialAccount"), B + "ID")
        direct_debit = None
        if mandate_ref or debited or creditor_id:
            direct_debit = DirectDebit(mandate_ref, creditor_id, debited)
        return PaymentInstructions(code, text, remittance, tuple(transfers), card, direct_debit)

    def creditor_identifier(self) -> str | None:
        """BT-90: a party identification with scheme SEPA (seller, else payee)."""
        for party in (
            path(self.one(A + "AccountingSupplierParty"), A + "Party"),
            self.one(A + "PayeeParty"),
        ):
            for identifier in _party_ids(party):
                if identifier.scheme == "SEPA":
                    return identifier.value
        return None

    # ---- amounts -----------------------------------------------------------

    def allowance_charges(
        self, elements: Iterator[Element] | list[Element], *, document: bool = False
    ) -> tuple[tuple[AllowanceCharge, ...], tuple[AllowanceCharge, ...]]:
        """(allowances, charges): BG-20/BG-21 on the document, BG-27/BG-28 on a line."""
        allowances: list[AllowanceCharge] = []
        charges: list[AllowanceCharge] = []
        for el in elements:
            k = kids(el)
            indicator = (value(k.get(B + "ChargeIndicator")) or "").lower()
            if indicator in ("true", "1"):  # xs:boolean
                is_charge, target = True, charges
                term = "BT-99" if document else "BT-141"
            elif indicator in ("false", "0"):
                is_charge, target = False, allowances
                term = "BT-92" if document else "BT-136"
            else:
                continue
            category = k.get(A + "TaxCategory")
            target.append(
                AllowanceCharge(
                    is_charge=is_charge,
                    amount=decimal_of(k.get(B + "Amount"), term),
                    base_amount=decimal_of(k.get(B + "BaseAmount"), term),
                    percentage=decimal_of(k.get(B + "MultiplierFactorNumeric"), term),
                    vat_category_code=text_of(category, B + "ID"),
                    vat_rate=decimal_of(child(category, B + "Percent"), term),
                    reason=value(k.get(B + "AllowanceChargeReason")),
                    reason_code=value(k.get(B + "AllowanceChargeReasonCode")),
                )
            )
        return tuple(allowances), tuple(charges)

    def type_code(self, tag: str) -> str:
        """BT-3. A UBL CreditNote without it is still a credit note (381); the
        validation reports the missing code (BR-04), the invoice stays readable and
        the model marks BT-3 as derived (``derived_terms``): the document does not say it."""
        code = self.text(tag)
        if code is None and self.credit_note:
            return CREDIT_NOTE_TYPE_CODE
        return required(code, "BT-3", "Rechnungsart", NOT_STATED_TEXT)

    def derived_terms(self, tag: str) -> tuple[str, ...]:
        return ("BT-3",) if self.credit_note and self.text(tag) is None else ()

    def totals(
        self, currency: str | None, tax_currency: str | None
    ) -> tuple[DocumentTotals, tuple[VatBreakdown, ...]]:
        vat_total = vat_total_accounting = None
        breakdown: list[VatBreakdown] = []
        with_breakdown = sum(
            1 for t in self.all(A + "TaxTotal") if child(t, A + "TaxSubtotal") is not None
        )
        for tax_total in self.all(A + "TaxTotal"):
            amount_el = child(tax_total, B + "TaxAmount")
            amount_currency = amount_el.get("currencyID") if amount_el is not None else None
            subtotals = list(children(tax_total, A + "TaxSubtotal"))
            # BT-111: the tax total without breakdown in the tax currency, also
            # when the tax currency equals the invoice currency (BR-53).
            is_accounting = (
                tax_currency is not None
                and amount_currency == tax_currency
                and not subtotals
                and (tax_currency != currency or with_breakdown > 0)
            )
            if is_accounting:
                vat_total_accounting = decimal_of(amount_el, "BT-111")
                continue
            if vat_total is None:
                vat_total = decimal_of(amount_el, "BT-110")
            breakdown.extend(_vat_breakdown(s) for s in subtotals)
        monetary = self.one(A + "LegalMonetaryTotal")

        def amount(tag: str, term: str) -> Decimal | None:
            return decimal_of(child(monetary, B + tag), term)

        return (
            DocumentTotals(
                line_net_total=amount("LineExtensionAmount", "BT-106"),
                allowance_total=amount("AllowanceTotalAmount", "BT-107"),
                charge_total=amount("ChargeTotalAmount", "BT-108"),
                total_without_vat=amount("TaxExclusiveAmount", "BT-109"),
                vat_total=vat_total,
                vat_total_accounting_currency=vat_total_accounting,
                total_with_vat=amount("TaxInclusiveAmount", "BT-112"),
                paid_amount=amount("PrepaidAmount", "BT-113"),
                rounding_amount=amount("PayableRoundingAmount", "BT-114"),
                amount_due=amount("PayableAmount", "BT-115"),
            ),
            tuple(breakdown),
        )

    def supporting_documents(self, documents: list[Element]) -> tuple[SupportingDocument, ...]:
        found: list[SupportingDocument] = []
        for d in documents:
            type_code = text_of(d, B + "DocumentTypeCode")
            if type_code == INVOICED_OBJECT or (self.credit_note and type_code == PROJECT):
                continue
            attachment = child(d, A + "Attachment")
            found.append(
                SupportingDocument(
                    reference=text_of(d, B + "ID"),
                    description=text_of(d, B + "DocumentDescription"),
                    external_location=text_of(
                        child(attachment, A + "ExternalReference"), B + "URI"
                    ),
                    attachment=embedded_of(child(attachment, B + "EmbeddedDocumentBinaryObject")),
                )
            )
        return tuple(found)

    # ---- lines -------------------------------------------------------------

    def line(self, el: Element) -> InvoiceLine:
        k = kids(el)
        quantity_el = k.get(self.quantity_tag)
        item = k.get(A + "Item")
        object_id = None
        if A + "DocumentReference" in k:
            for ref in el.iterchildren(A + "DocumentReference"):
                if text_of(ref, B + "DocumentTypeCode") == INVOICED_OBJECT:
                    object_id = identifier_of(child(ref, B + "ID"))
                    break
        allowances, charges = (
            self.allowance_charges(el.iterchildren(A + "AllowanceCharge"))
            if A + "AllowanceCharge" in k
            else ((), ())
        )
        note = k.get(B + "Note")
        item_kids = kids(item)
        return InvoiceLine(
            line_id=value(k.get(B + "ID")),
            note=None if note is None else joined(value(n) for n in el.iterchildren(B + "Note")),
            object_identifier=object_id,
            quantity=decimal_of(quantity_el, "BT-129"),
            unit_code=clean(quantity_el.get("unitCode")) if quantity_el is not None else None,
            net_amount=decimal_of(k.get(B + "LineExtensionAmount"), "BT-131"),
            order_line_reference=text_of(k.get(A + "OrderLineReference"), B + "LineID"),
            accounting_reference=value(k.get(B + "AccountingCost")),
            period=_period(k.get(A + "InvoicePeriod"), "BT-134", "BT-135"),
            allowances=allowances,
            charges=charges,
            price=_price(k.get(A + "Price")),
            vat=_line_vat(item, item_kids),
            item=_item(item, item_kids),
            sub_lines=(
                tuple(self.line(sub) for sub in el.iterchildren(self.sub_line_tag))
                if self.sub_line_tag in k
                else ()
            ),
        )


# --------------------------------------------------------------------------
# Group builders
# --------------------------------------------------------------------------


CREDIT_NOTE_TYPE_CODE = "381"


def required(value: T | None, term: str, label: str, placeholder: T) -> T:
    """A mandatory header term: raises when missing in a strict read; a tolerant read
    records the term as missing and returns ``placeholder`` (never used as data)."""
    if value is not None:
        return value
    current = _READING.get()
    if current is None:
        raise InvalidValueError(term, "", f"leer: die Pflichtangabe {label} fehlt")
    current.missing.append(term)
    return placeholder


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _note(el: Element) -> InvoiceNote:
    """BG-1 from cbc:Note; a leading ``#CODE#`` carries BT-21 (XRechnung/Peppol convention)."""
    text = value(el) or ""
    if text.startswith("#") and text.count("#") >= 2:
        code, _, rest = text[1:].partition("#")
        if code.isalpha() and code.isupper() and len(code) == 3:
            return InvoiceNote(rest.strip(), code)
    return InvoiceNote(text)


def _party_ids(party: Element | None) -> Iterator[Identifier]:
    for identification in children(party, A + "PartyIdentification"):
        identifier = identifier_of(child(identification, B + "ID"))
        if identifier is not None:
            yield identifier


def _tax_schemes(party: Element) -> tuple[str | None, str | None]:
    """(VAT identifier, other tax registration identifier) from cac:PartyTaxScheme."""
    vat = other = None
    for scheme in party.iterchildren(A + "PartyTaxScheme"):
        company_id = text_of(scheme, B + "CompanyID")
        if text_of(child(scheme, A + "TaxScheme"), B + "ID") == "VAT":
            vat = vat or company_id
        else:
            other = other or company_id
    return vat, other


def _address(el: Element | None) -> Address | None:
    if el is None:
        return None
    return Address(
        line_one=text_of(el, B + "StreetName"),
        line_two=text_of(el, B + "AdditionalStreetName"),
        line_three=text_of(child(el, A + "AddressLine"), B + "Line"),
        city=text_of(el, B + "CityName"),
        post_code=text_of(el, B + "PostalZone"),
        country_subdivision=text_of(el, B + "CountrySubentity"),
        country_code=text_of(child(el, A + "Country"), B + "IdentificationCode"),
    )


def _contact(el: Element | None) -> Contact | None:
    if el is None:
        return None
    return Contact(
        text_of(el, B + "Name"), text_of(el, B + "Telephone"), text_of(el, B + "ElectronicMail")
    )


def _period(el: Element | None, start: str, end: str) -> Period | None:
    if el is None:
        return None
    period = Period(
        date_of(child(el, B + "StartDate"), start), date_of(child(el, B + "EndDate"), end)
    )
    return None if period == Period() else period


def _vat_breakdown(el: Element) -> VatBreakdown:
    category = child(el, A + "TaxCategory")
    return VatBreakdown(
        taxable_amount=decimal_of(child(el, B + "TaxableAmount"), "BT-116"),
        tax_amount=decimal_of(child(el, B + "TaxAmount"), "BT-117"),
        category_code=text_of(category, B + "ID"),
        rate=decimal_of(child(category, B + "Percent"), "BT-119"),
        exemption_reason=text_of(category, B + "TaxExemptionReason"),
        exemption_reason_code=text_of(category, B + "TaxExemptionReasonCode"),
    )


def embedded_of(el: Element | None) -> EmbeddedDocument | None:
    """BT-125 with its MIME code and file name; base64 kept, decoded on demand."""
    if el is None:
        return None
    return EmbeddedDocument(el.text or "", clean(el.get("mimeCode")), clean(el.get("filename")))


def _price(el: Element | None) -> PriceDetails | None:
    if el is None:
        return None
    k = kids(el)
    base_quantity = k.get(B + "BaseQuantity")
    discount = gross = None
    if A + "AllowanceCharge" in k:
        # As the official XRechnung visualization (ubl-invoice-xr.xsl, BG-29): BT-147 is
        # cac:AllowanceCharge/cbc:Amount[preceding-sibling::cbc:ChargeIndicator = 'false'],
        # BT-148 the BaseAmount of the same allowances; a price *charge* yields neither
        # (UBL allows none, PEPPOL-EN16931-R044). Several allowances (schema-valid, not
        # EN 16931) are summed into the one BT-147, as the CII reader does; BT-148 is the
        # first allowance's base amount.
        for allowance in el.iterchildren(A + "AllowanceCharge"):
            ak = kids(allowance)
            if value(ak.get(B + "ChargeIndicator")) != "false":
                continue
            amount = decimal_of(ak.get(B + "Amount"), "BT-147")
            if amount is not None:
                discount = amount if discount is None else discount + amount
            if gross is None:
                gross = decimal_of(ak.get(B + "BaseAmount"), "BT-148")
    return PriceDetails(
        net_price=decimal_of(k.get(B + "PriceAmount"), "BT-146"),
        discount=discount,
        gross_price=gross,
        base_quantity=decimal_of(base_quantity, "BT-149"),
        base_quantity_unit=(
            clean(base_quantity.get("unitCode")) if base_quantity is not None else None
        ),
    )


def _line_vat(item: Element | None, k: dict[str, Element]) -> LineVat | None:
    """BG-30 from the item's VAT category: as the official visualization (BT-151 is
    ``cac:ClassifiedTaxCategory/cbc:ID[following-sibling::cac:TaxScheme/cbc:ID = 'VAT']``),
    a category of another tax scheme is not the line's VAT category."""
    el = k.get(A + "ClassifiedTaxCategory")
    if el is None or item is None:
        return None
    for category in item.iterchildren(A + "ClassifiedTaxCategory"):
        if text_of(child(category, A + "TaxScheme"), B + "ID") == "VAT":
            el = category
            break
    else:
        return LineVat(None, decimal_of(child(el, B + "Percent"), "BT-152"))
    return LineVat(text_of(el, B + "ID"), decimal_of(child(el, B + "Percent"), "BT-152"))


def _item(el: Element | None, k: dict[str, Element]) -> Item | None:
    if el is None:
        return None
    classifications: list[ItemClassification] = []
    if A + "CommodityClassification" in k:
        for c in el.iterchildren(A + "CommodityClassification"):
            code_el = child(c, B + "ItemClassificationCode")
            code = value(code_el)
            if code is not None and code_el is not None:
                classifications.append(
                    ItemClassification(
                        code, clean(code_el.get("listID")), clean(code_el.get("listVersionID"))
                    )
                )
    attributes: tuple[ItemAttribute, ...] = ()
    if A + "AdditionalItemProperty" in k:
        attributes = tuple(
            ItemAttribute(text_of(p, B + "Name"), text_of(p, B + "Value"))
            for p in el.iterchildren(A + "AdditionalItemProperty")
        )
    description = k.get(B + "Description")
    return Item(
        name=value(k.get(B + "Name")),
        description=(
            None
            if description is None
            else joined(value(d) for d in el.iterchildren(B + "Description"))
        ),
        sellers_identifier=text_of(k.get(A + "SellersItemIdentification"), B + "ID"),
        buyers_identifier=text_of(k.get(A + "BuyersItemIdentification"), B + "ID"),
        standard_identifier=identifier_of(child(k.get(A + "StandardItemIdentification"), B + "ID")),
        classifications=tuple(classifications),
        origin_country=text_of(k.get(A + "OriginCountry"), B + "IdentificationCode"),
        attributes=attributes,
    )
