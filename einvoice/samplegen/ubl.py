"""Write a :class:`SampleInvoice` as an XRechnung 3.0 UBL 2.1 Invoice."""

from __future__ import annotations

from lxml import etree

from einvoice.formats.namespaces import CAC, CBC, UBL_INVOICE
from einvoice.samplegen._xml import PEPPOL_BILLING, XRECHNUNG_3, amount, number, serialise
from einvoice.samplegen._xml import sub as _sub
from einvoice.samplegen.spec import Party, SampleInvoice

NSMAP: dict[str | None, str] = {None: UBL_INVOICE, "cac": CAC, "cbc": CBC}


def _cac(name: str) -> str:
    return f"{{{CAC}}}{name}"


def _cbc(name: str) -> str:
    return f"{{{CBC}}}{name}"


def cac(parent: etree._Element, name: str) -> etree._Element:
    return _sub(parent, _cac(name))


def cbc(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    return _sub(parent, _cbc(name), text, **attributes)


def to_ubl(inv: SampleInvoice, specification_id: str = XRECHNUNG_3) -> bytes:
    """The invoice as UBL 2.1 XML bytes (UTF-8, with declaration)."""
    return serialise(build(inv, specification_id))


def build(inv: SampleInvoice, specification_id: str = XRECHNUNG_3) -> etree._Element:
    root = etree.Element(f"{{{UBL_INVOICE}}}Invoice", nsmap=NSMAP)
    cur = inv.currency
    cbc(root, "CustomizationID", specification_id)  # BT-24
    cbc(root, "ProfileID", PEPPOL_BILLING)  # BT-23
    cbc(root, "ID", inv.number)  # BT-1
    cbc(root, "IssueDate", inv.issue_date.isoformat())  # BT-2
    cbc(root, "DueDate", inv.due_date.isoformat())  # BT-9
    cbc(root, "InvoiceTypeCode", inv.type_code)  # BT-3
    if inv.note:
        cbc(root, "Note", inv.note)  # BT-22
    cbc(root, "DocumentCurrencyCode", cur)  # BT-5
    if inv.buyer_reference is not None:
        cbc(root, "BuyerReference", inv.buyer_reference)  # BT-10
    if inv.order_reference:
        cbc(cac(root, "OrderReference"), "ID", inv.order_reference)  # BT-13
    _party(cac(root, "AccountingSupplierParty"), inv.seller)  # BG-4
    _party(cac(root, "AccountingCustomerParty"), inv.buyer)  # BG-7
    if inv.delivery_date:
        cbc(cac(root, "Delivery"), "ActualDeliveryDate", inv.delivery_date.isoformat())  # BT-72
    means = cac(root, "PaymentMeans")  # BG-16
    cbc(means, "PaymentMeansCode", inv.payment_means_code)  # BT-81
    if inv.remittance:
        cbc(means, "PaymentID", inv.remittance)  # BT-83
    account = cac(means, "PayeeFinancialAccount")  # BG-17
    cbc(account, "ID", inv.iban)  # BT-84
    if inv.account_name:
        cbc(account, "Name", inv.account_name)  # BT-85
    if inv.bic:
        cbc(cac(account, "FinancialInstitutionBranch"), "ID", inv.bic)  # BT-86
    cbc(cac(root, "PaymentTerms"), "Note", inv.payment_terms_text)  # BT-20
    tax_total = cac(root, "TaxTotal")
    cbc(tax_total, "TaxAmount", amount(inv.tax_total), currencyID=cur)  # BT-110
    for group in inv.vat_breakdown():  # BG-23
        subtotal = cac(tax_total, "TaxSubtotal")
        cbc(subtotal, "TaxableAmount", amount(group.taxable_amount), currencyID=cur)  # BT-116
        cbc(subtotal, "TaxAmount", amount(group.tax_amount), currencyID=cur)  # BT-117
        _tax_category(cac(subtotal, "TaxCategory"), group.category, number(group.rate))
    totals = cac(root, "LegalMonetaryTotal")  # BG-22
    cbc(totals, "LineExtensionAmount", amount(inv.line_total), currencyID=cur)  # BT-106
    cbc(totals, "TaxExclusiveAmount", amount(inv.tax_exclusive_total), currencyID=cur)  # BT-109
    cbc(totals, "TaxInclusiveAmount", amount(inv.tax_inclusive_total), currencyID=cur)  # BT-112
    cbc(totals, "PayableAmount", amount(inv.payable_amount), currencyID=cur)  # BT-115
    for line in inv.lines:  # BG-25
        element = cac(root, "InvoiceLine")
        cbc(element, "ID", line.line_id)  # BT-126
        cbc(element, "InvoicedQuantity", number(line.quantity), unitCode=line.unit_code)
        cbc(element, "LineExtensionAmount", amount(line.net_amount), currencyID=cur)  # BT-131
        item = cac(element, "Item")
        if line.description:
            cbc(item, "Description", line.description)  # BT-154
        cbc(item, "Name", line.name)  # BT-153
        if line.seller_item_id:
            cbc(cac(item, "SellersItemIdentification"), "ID", line.seller_item_id)  # BT-155
        _tax_category(cac(item, "ClassifiedTaxCategory"), line.vat_category, number(line.vat_rate))
        price = cac(element, "Price")
        cbc(price, "PriceAmount", amount(line.net_price), currencyID=cur)  # BT-146
    return root


def _tax_category(element: etree._Element, category: str, rate: str) -> None:
    cbc(element, "ID", category)
    cbc(element, "Percent", rate)
    cbc(cac(element, "TaxScheme"), "ID", "VAT")


def _party(wrapper: etree._Element, party: Party) -> None:
    element = cac(wrapper, "Party")
    cbc(element, "EndpointID", party.electronic_address, schemeID="EM")  # BT-34 / BT-49
    if party.identifier:
        cbc(cac(element, "PartyIdentification"), "ID", party.identifier)  # BT-29 / BT-46
    address = cac(element, "PostalAddress")
    cbc(address, "StreetName", party.address.street)
    cbc(address, "CityName", party.address.city)
    cbc(address, "PostalZone", party.address.postcode)
    cbc(cac(address, "Country"), "IdentificationCode", party.address.country)
    if party.vat_id:
        tax = cac(element, "PartyTaxScheme")
        cbc(tax, "CompanyID", party.vat_id)  # BT-31 / BT-48
        cbc(cac(tax, "TaxScheme"), "ID", "VAT")
    legal = cac(element, "PartyLegalEntity")
    cbc(legal, "RegistrationName", party.name)  # BT-27 / BT-44
    if party.registration:
        cbc(legal, "CompanyID", party.registration)  # BT-30 / BT-47
    if party.contact:
        contact = cac(element, "Contact")  # BG-6 / BG-9
        cbc(contact, "Name", party.contact.name)
        cbc(contact, "Telephone", party.contact.phone)
        cbc(contact, "ElectronicMail", party.contact.email)
