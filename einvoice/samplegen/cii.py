"""Write a :class:`SampleInvoice` as UN/CEFACT CII D16B (XRechnung 3.0 or Factur-X EN16931)."""

from __future__ import annotations

from datetime import date

from lxml import etree

from einvoice.formats.namespaces import CII_QDT, CII_RAM, CII_RSM, CII_UDT
from einvoice.samplegen._xml import PEPPOL_BILLING, XRECHNUNG_3, amount, number, serialise
from einvoice.samplegen._xml import sub as _sub
from einvoice.samplegen.spec import Party, SampleInvoice

NSMAP: dict[str | None, str] = {"rsm": CII_RSM, "qdt": CII_QDT, "ram": CII_RAM, "udt": CII_UDT}


def rsm(parent: etree._Element, name: str) -> etree._Element:
    return _sub(parent, f"{{{CII_RSM}}}{name}")


def ram(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    return _sub(parent, f"{{{CII_RAM}}}{name}", text, **attributes)


def _date(parent: etree._Element, name: str, value: date) -> None:
    wrapper = ram(parent, name)
    _sub(wrapper, f"{{{CII_UDT}}}DateTimeString", value.strftime("%Y%m%d"), format="102")


def to_cii(inv: SampleInvoice, specification_id: str = XRECHNUNG_3) -> bytes:
    """The invoice as CII XML bytes (UTF-8, with declaration).

    ``specification_id`` is BT-24: XRechnung 3.0 by default; the Factur-X /
    ZUGFeRD EN16931 profile uses the plain ``urn:cen.eu:en16931:2017``.
    """
    return serialise(build(inv, specification_id))


def build(inv: SampleInvoice, specification_id: str = XRECHNUNG_3) -> etree._Element:
    root = etree.Element(f"{{{CII_RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = rsm(root, "ExchangedDocumentContext")
    ram(ram(context, "BusinessProcessSpecifiedDocumentContextParameter"), "ID", PEPPOL_BILLING)
    ram(ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", specification_id)
    document = rsm(root, "ExchangedDocument")
    ram(document, "ID", inv.number)  # BT-1
    ram(document, "TypeCode", inv.type_code)  # BT-3
    _date(document, "IssueDateTime", inv.issue_date)  # BT-2
    if inv.note:
        ram(ram(document, "IncludedNote"), "Content", inv.note)  # BT-22
    transaction = rsm(root, "SupplyChainTradeTransaction")
    for line in inv.lines:  # BG-25
        item = ram(transaction, "IncludedSupplyChainTradeLineItem")
        ram(ram(item, "AssociatedDocumentLineDocument"), "LineID", line.line_id)  # BT-126
        product = ram(item, "SpecifiedTradeProduct")
        if line.seller_item_id:
            ram(product, "SellerAssignedID", line.seller_item_id)  # BT-155
        ram(product, "Name", line.name)  # BT-153
        if line.description:
            ram(product, "Description", line.description)  # BT-154
        agreement = ram(item, "SpecifiedLineTradeAgreement")
        price = ram(agreement, "NetPriceProductTradePrice")
        ram(price, "ChargeAmount", amount(line.net_price))  # BT-146
        delivery = ram(item, "SpecifiedLineTradeDelivery")
        ram(delivery, "BilledQuantity", number(line.quantity), unitCode=line.unit_code)
        settlement = ram(item, "SpecifiedLineTradeSettlement")
        tax = ram(settlement, "ApplicableTradeTax")
        ram(tax, "TypeCode", "VAT")
        ram(tax, "CategoryCode", line.vat_category)  # BT-151
        ram(tax, "RateApplicablePercent", number(line.vat_rate))  # BT-152
        summation = ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
        ram(summation, "LineTotalAmount", amount(line.net_amount))  # BT-131
    agreement = ram(transaction, "ApplicableHeaderTradeAgreement")
    if inv.buyer_reference is not None:
        ram(agreement, "BuyerReference", inv.buyer_reference)  # BT-10
    _party(ram(agreement, "SellerTradeParty"), inv.seller)  # BG-4
    _party(ram(agreement, "BuyerTradeParty"), inv.buyer)  # BG-7
    if inv.order_reference:
        ram(ram(agreement, "BuyerOrderReferencedDocument"), "IssuerAssignedID", inv.order_reference)
    delivery = ram(transaction, "ApplicableHeaderTradeDelivery")
    if inv.delivery_date:
        _date(
            ram(delivery, "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime", inv.delivery_date
        )
    settlement = ram(transaction, "ApplicableHeaderTradeSettlement")
    if inv.remittance:
        ram(settlement, "PaymentReference", inv.remittance)  # BT-83
    ram(settlement, "InvoiceCurrencyCode", inv.currency)  # BT-5
    means = ram(settlement, "SpecifiedTradeSettlementPaymentMeans")  # BG-16
    ram(means, "TypeCode", inv.payment_means_code)  # BT-81
    account = ram(means, "PayeePartyCreditorFinancialAccount")  # BG-17
    ram(account, "IBANID", inv.iban)  # BT-84
    if inv.account_name:
        ram(account, "AccountName", inv.account_name)  # BT-85
    if inv.bic:
        ram(ram(means, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", inv.bic)  # BT-86
    for group in inv.vat_breakdown():  # BG-23
        tax = ram(settlement, "ApplicableTradeTax")
        ram(tax, "CalculatedAmount", amount(group.tax_amount))  # BT-117
        ram(tax, "TypeCode", "VAT")
        ram(tax, "BasisAmount", amount(group.taxable_amount))  # BT-116
        ram(tax, "CategoryCode", group.category)  # BT-118
        ram(tax, "RateApplicablePercent", number(group.rate))  # BT-119
    terms = ram(settlement, "SpecifiedTradePaymentTerms")
    ram(terms, "Description", inv.payment_terms_text)  # BT-20
    _date(terms, "DueDateDateTime", inv.due_date)  # BT-9
    totals = ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")  # BG-22
    ram(totals, "LineTotalAmount", amount(inv.line_total))  # BT-106
    ram(totals, "TaxBasisTotalAmount", amount(inv.tax_exclusive_total))  # BT-109
    ram(totals, "TaxTotalAmount", amount(inv.tax_total), currencyID=inv.currency)  # BT-110
    ram(totals, "GrandTotalAmount", amount(inv.tax_inclusive_total))  # BT-112
    ram(totals, "DuePayableAmount", amount(inv.payable_amount))  # BT-115
    return root


def _party(element: etree._Element, party: Party) -> None:
    if party.identifier:
        ram(element, "ID", party.identifier)  # BT-29 / BT-46
    ram(element, "Name", party.name)  # BT-27 / BT-44
    if party.registration:
        ram(ram(element, "SpecifiedLegalOrganization"), "ID", party.registration)  # BT-30
    if party.contact:
        contact = ram(element, "DefinedTradeContact")  # BG-6 / BG-9
        ram(contact, "PersonName", party.contact.name)
        ram(ram(contact, "TelephoneUniversalCommunication"), "CompleteNumber", party.contact.phone)
        ram(ram(contact, "EmailURIUniversalCommunication"), "URIID", party.contact.email)
    address = ram(element, "PostalTradeAddress")
    ram(address, "PostcodeCode", party.address.postcode)
    ram(address, "LineOne", party.address.street)
    ram(address, "CityName", party.address.city)
    ram(address, "CountryID", party.address.country)
    ram(ram(element, "URIUniversalCommunication"), "URIID", party.electronic_address, schemeID="EM")
    if party.vat_id:
        ram(ram(element, "SpecifiedTaxRegistration"), "ID", party.vat_id, schemeID="VA")
