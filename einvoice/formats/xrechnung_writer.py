"""An entered invoice (Weberfassung) as XRechnung 3.0 UBL: Invoice for 380, CreditNote for 381.

Writes only what :class:`~einvoice.domain.invoice_entry.EnteredInvoice` holds and
in the element order of the UBL 2.1 schemas; amounts with two decimals, totals
from :func:`~einvoice.domain.invoice_entry.compute_totals`. Whether the
result is acceptable is decided by the validation engine as for any upload;
the form's rules (``invoice_entry_form``) make sure it is.
"""

from __future__ import annotations

import base64
from decimal import Decimal

from lxml import etree

from einvoice.domain.invoice_entry import (
    REVERSE_CHARGE_CODE,
    REVERSE_CHARGE_REASON,
    DocumentAllowanceCharge,
    EnteredInvoice,
    EntryLine,
    EntryParty,
    VatChoice,
    compute_totals,
)
from einvoice.formats.namespaces import CAC, CBC, UBL_CREDIT_NOTE, UBL_INVOICE

XRECHNUNG_3 = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
SEPA_CREDIT_TRANSFER = "58"  # UNTDID 4461
TAX_NUMBER_SCHEME = "FC"  # BT-32 in UBL: a tax scheme other than VAT


def write_ubl(invoice: EnteredInvoice) -> bytes:
    """The invoice as XRechnung 3.0 UBL 2.1 bytes (UTF-8 with declaration)."""
    root = _Writer(invoice).build()
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _number(value: Decimal) -> str:
    """A quantity, price or rate: no exponent, no needless trailing zeros."""
    text = f"{value.normalize():f}"
    return text


class _Writer:
    def __init__(self, invoice: EnteredInvoice) -> None:
        self.inv = invoice
        self.totals = compute_totals(invoice)
        self.credit = invoice.is_credit_note
        self.cur = invoice.currency

    # --- element helpers ----------------------------------------------------

    def cac(self, parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def cbc(
        self, parent: etree._Element, name: str, text: str, **attributes: str
    ) -> etree._Element:
        element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
        element.text = text
        return element

    def money(self, parent: etree._Element, name: str, value: Decimal) -> None:
        self.cbc(parent, name, _amount(value), currencyID=self.cur)

    def opt(self, parent: etree._Element, name: str, text: str) -> None:
        if text:
            self.cbc(parent, name, text)

    # --- the document -------------------------------------------------------

    def build(self) -> etree._Element:
        inv = self.inv
        ns = UBL_CREDIT_NOTE if self.credit else UBL_INVOICE
        tag = "CreditNote" if self.credit else "Invoice"
        root = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns, "cac": CAC, "cbc": CBC})
        self.cbc(root, "CustomizationID", XRECHNUNG_3)  # BT-24
        self.cbc(root, "ProfileID", PEPPOL_BILLING)  # BT-23
        self.cbc(root, "ID", inv.number)  # BT-1
        self.cbc(root, "IssueDate", inv.issue_date.isoformat())  # BT-2
        if inv.due_date is not None and not self.credit:
            self.cbc(root, "DueDate", inv.due_date.isoformat())  # BT-9
        self.cbc(root, "CreditNoteTypeCode" if self.credit else "InvoiceTypeCode", inv.type_code)
        self.opt(root, "Note", inv.note)  # BT-22
        self.cbc(root, "DocumentCurrencyCode", self.cur)  # BT-5
        self.cbc(root, "BuyerReference", inv.buyer_reference)  # BT-10
        if inv.period_start is not None or inv.period_end is not None:  # BG-14
            period = self.cac(root, "InvoicePeriod")
            if inv.period_start is not None:
                self.cbc(period, "StartDate", inv.period_start.isoformat())
            if inv.period_end is not None:
                self.cbc(period, "EndDate", inv.period_end.isoformat())
        if inv.order_reference:
            self.cbc(self.cac(root, "OrderReference"), "ID", inv.order_reference)  # BT-13
        if inv.preceding_number:  # BG-3
            ref = self.cac(self.cac(root, "BillingReference"), "InvoiceDocumentReference")
            self.cbc(ref, "ID", inv.preceding_number)  # BT-25
            if inv.preceding_date is not None:
                self.cbc(ref, "IssueDate", inv.preceding_date.isoformat())  # BT-26
        for number, attachment in enumerate(inv.attachments, start=1):  # BG-24
            ref = self.cac(root, "AdditionalDocumentReference")
            self.cbc(ref, "ID", f"Anlage {number}")  # BT-122
            self.opt(ref, "DocumentDescription", attachment.description)  # BT-123
            self.cbc(
                self.cac(ref, "Attachment"),
                "EmbeddedDocumentBinaryObject",
                base64.b64encode(attachment.content).decode("ascii"),
                mimeCode=attachment.mime_code,
                filename=attachment.filename,
            )  # BT-125
        self.party(self.cac(root, "AccountingSupplierParty"), inv.seller, seller=True)
        self.party(self.cac(root, "AccountingCustomerParty"), inv.buyer, seller=False)
        if inv.delivery_date is not None:
            self.cbc(
                self.cac(root, "Delivery"), "ActualDeliveryDate", inv.delivery_date.isoformat()
            )
        self.payment_means(root)
        terms = inv.payment_terms_text
        if terms:
            self.cbc(self.cac(root, "PaymentTerms"), "Note", terms)  # BT-20
        for item in (*inv.allowances, *inv.charges):  # BG-20, BG-21
            self.document_allowance_charge(root, item)
        self.tax_total(root)
        self.monetary_total(root)
        for number, (line, net) in enumerate(
            zip(inv.lines, self.totals.line_net, strict=True), start=1
        ):
            self.line(root, number, line, net)
        return root

    def payment_means(self, root: etree._Element) -> None:
        inv = self.inv
        means = self.cac(root, "PaymentMeans")  # BG-16
        self.cbc(means, "PaymentMeansCode", SEPA_CREDIT_TRANSFER)  # BT-81
        if inv.due_date is not None and self.credit:
            self.cbc(means, "PaymentDueDate", inv.due_date.isoformat())  # BT-9 (CreditNote)
        self.cbc(means, "PaymentID", inv.number)  # BT-83: the invoice number as reference
        account = self.cac(means, "PayeeFinancialAccount")  # BG-17
        self.cbc(account, "ID", inv.iban)  # BT-84
        self.opt(account, "Name", inv.account_name)  # BT-85
        if inv.bic:
            self.cbc(self.cac(account, "FinancialInstitutionBranch"), "ID", inv.bic)  # BT-86

    def party(self, wrapper: etree._Element, party: EntryParty, *, seller: bool) -> None:
        element = self.cac(wrapper, "Party")
        self.cbc(element, "EndpointID", party.electronic_address, schemeID="EM")  # BT-34/49
        if party.identifier:
            self.cbc(self.cac(element, "PartyIdentification"), "ID", party.identifier)  # BT-29
        address = self.cac(element, "PostalAddress")  # BG-5 / BG-8
        self.opt(address, "StreetName", party.street)
        self.opt(address, "AdditionalStreetName", party.additional_street)
        self.opt(address, "CityName", party.city)
        self.opt(address, "PostalZone", party.post_code)
        self.cbc(self.cac(address, "Country"), "IdentificationCode", party.country_code)
        if party.vat_id:  # BT-31 / BT-48
            scheme = self.cac(element, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", party.vat_id)
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "VAT")
        if seller and party.tax_number:  # BT-32
            scheme = self.cac(element, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", party.tax_number)
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", TAX_NUMBER_SCHEME)
        legal = self.cac(element, "PartyLegalEntity")
        self.cbc(legal, "RegistrationName", party.name)  # BT-27 / BT-44
        self.opt(legal, "CompanyID", party.legal_registration)  # BT-30 / BT-47
        if party.contact_name or party.contact_phone or party.contact_email:  # BG-6 / BG-9
            contact = self.cac(element, "Contact")
            self.opt(contact, "Name", party.contact_name)
            self.opt(contact, "Telephone", party.contact_phone)
            self.opt(contact, "ElectronicMail", party.contact_email)

    def tax_category(self, parent: etree._Element, name: str, vat: VatChoice) -> None:
        category = self.cac(parent, name)
        self.cbc(category, "ID", vat.category)
        self.cbc(category, "Percent", _number(vat.rate))
        self.cbc(self.cac(category, "TaxScheme"), "ID", "VAT")

    def document_allowance_charge(
        self, root: etree._Element, item: DocumentAllowanceCharge
    ) -> None:
        element = self.cac(root, "AllowanceCharge")
        self.cbc(element, "ChargeIndicator", "true" if item.is_charge else "false")
        self.cbc(element, "AllowanceChargeReason", item.reason)  # BT-97 / BT-104
        self.money(element, "Amount", item.amount)  # BT-92 / BT-99
        self.tax_category(element, "TaxCategory", item.vat)  # BT-95/96, BT-102/103

    def tax_total(self, root: etree._Element) -> None:
        total = self.cac(root, "TaxTotal")
        self.money(total, "TaxAmount", self.totals.vat_total)  # BT-110
        for group in self.totals.breakdown:  # BG-23
            subtotal = self.cac(total, "TaxSubtotal")
            self.money(subtotal, "TaxableAmount", group.basis)  # BT-116
            self.money(subtotal, "TaxAmount", group.vat)  # BT-117
            category = self.cac(subtotal, "TaxCategory")
            self.cbc(category, "ID", group.category)  # BT-118
            self.cbc(category, "Percent", _number(group.rate))  # BT-119
            if group.category == "AE":
                self.cbc(category, "TaxExemptionReasonCode", REVERSE_CHARGE_CODE)  # BT-121
                self.cbc(category, "TaxExemptionReason", REVERSE_CHARGE_REASON)  # BT-120
            elif group.category == "E":
                self.cbc(category, "TaxExemptionReason", self.inv.exemption_reason)  # BT-120
            self.cbc(self.cac(category, "TaxScheme"), "ID", "VAT")

    def monetary_total(self, root: etree._Element) -> None:
        t = self.totals
        total = self.cac(root, "LegalMonetaryTotal")  # BG-22
        self.money(total, "LineExtensionAmount", t.line_total)  # BT-106
        self.money(total, "TaxExclusiveAmount", t.tax_exclusive)  # BT-109
        self.money(total, "TaxInclusiveAmount", t.tax_inclusive)  # BT-112
        if self.inv.allowances:
            self.money(total, "AllowanceTotalAmount", t.allowances)  # BT-107
        if self.inv.charges:
            self.money(total, "ChargeTotalAmount", t.charges)  # BT-108
        self.money(total, "PayableAmount", t.payable)  # BT-115

    def line(self, root: etree._Element, number: int, line: EntryLine, net: Decimal) -> None:
        element = self.cac(root, "CreditNoteLine" if self.credit else "InvoiceLine")  # BG-25
        self.cbc(element, "ID", str(number))  # BT-126
        self.cbc(
            element,
            "CreditedQuantity" if self.credit else "InvoicedQuantity",
            _number(line.quantity),
            unitCode=line.unit_code,
        )  # BT-129, BT-130
        self.money(element, "LineExtensionAmount", net)  # BT-131
        if line.allowance is not None:  # BG-27
            allowance = self.cac(element, "AllowanceCharge")
            self.cbc(allowance, "ChargeIndicator", "false")
            self.cbc(allowance, "AllowanceChargeReason", line.allowance_reason)  # BT-139
            self.money(allowance, "Amount", line.allowance)  # BT-136
        item = self.cac(element, "Item")  # BG-31
        self.cbc(item, "Name", line.name)  # BT-153
        self.tax_category(item, "ClassifiedTaxCategory", line.vat)  # BG-30
        self.cbc(
            self.cac(element, "Price"),
            "PriceAmount",
            _number_price(line.net_price),
            currencyID=self.cur,
        )


def _number_price(value: Decimal) -> str:
    """BT-146 as entered, at least two decimals (``12.50``, ``0.125``)."""
    text = _number(value)
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"
