"""UBL / CII -> Invoice model -> semantic form, on small documents written for these tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from einvoice.domain.findings import Syntax
from einvoice.domain.invoice import Identifier, Invoice, SkontoTerm
from einvoice.formats.extract import UnreadableInvoiceError, extract
from einvoice.formats.semantic import CSV_COLUMNS, csv_rows, to_semantic

UBL_HEAD = (
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
)

UBL = (
    UBL_HEAD
    + """
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>R-2024-0815</cbc:ID>
  <cbc:IssueDate>2024-03-01</cbc:IssueDate>
  <cbc:DueDate>2024-03-31</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:Note>#AAI#Vielen Dank für Ihren Auftrag.</cbc:Note>
  <cbc:Note>Ohne Code</cbc:Note>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:TaxCurrencyCode>GBP</cbc:TaxCurrencyCode>
  <cbc:AccountingCost>4711-Konto</cbc:AccountingCost>
  <cbc:BuyerReference>04011000-1234512345-06</cbc:BuyerReference>
  <cac:InvoicePeriod><cbc:StartDate>2024-02-01</cbc:StartDate>
    <cbc:EndDate>2024-02-29</cbc:EndDate></cac:InvoicePeriod>
  <cac:OrderReference><cbc:ID>PO-77</cbc:ID></cac:OrderReference>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>R-2024-0001</cbc:ID>
    <cbc:IssueDate>2024-01-15</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:ContractDocumentReference><cbc:ID>V-12</cbc:ID></cac:ContractDocumentReference>
  <cac:AdditionalDocumentReference><cbc:ID schemeID="AAA">OBJ-1</cbc:ID>
    <cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>
  <cac:AdditionalDocumentReference><cbc:ID>Stundenzettel</cbc:ID>
    <cbc:DocumentDescription>Nachweis</cbc:DocumentDescription>
    <cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv" filename="h.csv">
      aGVs
      bG8=
    </cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>
  <cac:AdditionalDocumentReference><cbc:ID>Extern</cbc:ID>
    <cac:Attachment><cac:ExternalReference><cbc:URI>https://example.org/x.pdf</cbc:URI>
    </cac:ExternalReference></cac:Attachment></cac:AdditionalDocumentReference>
  <cac:ProjectReference><cbc:ID>PRJ-9</cbc:ID></cac:ProjectReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="EM">rechnung@lieferant.example</cbc:EndpointID>
    <cac:PartyIdentification><cbc:ID schemeID="0088">4000001000005</cbc:ID>
    </cac:PartyIdentification>
    <cac:PartyIdentification><cbc:ID schemeID="SEPA">DE98ZZZ09999999999</cbc:ID>
    </cac:PartyIdentification>
    <cac:PartyName><cbc:Name>Lieferant</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cbc:StreetName>Hauptstr. 1</cbc:StreetName><cbc:CityName>Köln</cbc:CityName>
      <cbc:PostalZone>50667</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>DE123456789</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyTaxScheme><cbc:CompanyID>215/123/45678</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Lieferant GmbH</cbc:RegistrationName>
      <cbc:CompanyID>HRB 1234</cbc:CompanyID></cac:PartyLegalEntity>
    <cac:Contact><cbc:Name>Frau Muster</cbc:Name><cbc:Telephone>0221 1</cbc:Telephone>
      <cbc:ElectronicMail>m@lieferant.example</cbc:ElectronicMail></cac:Contact>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="0204">04011000-1234512345-06</cbc:EndpointID>
    <cac:PostalAddress><cbc:CityName>Musterstadt</cbc:CityName>
      <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>Stadt Musterstadt</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:Delivery><cbc:ActualDeliveryDate>2024-02-28</cbc:ActualDeliveryDate></cac:Delivery>
  <cac:PaymentMeans><cbc:PaymentMeansCode name="Überweisung">58</cbc:PaymentMeansCode>
    <cbc:PaymentID>R-2024-0815</cbc:PaymentID>
    <cac:PayeeFinancialAccount><cbc:ID>DE02 1203 0000 0000 2020 51</cbc:ID>
      <cac:FinancialInstitutionBranch><cbc:ID>BYLADEM1001</cbc:ID></cac:FinancialInstitutionBranch>
    </cac:PayeeFinancialAccount></cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>Zahlbar in 30 Tagen.
#SKONTO#TAGE=14#PROZENT=2.00#
</cbc:Note></cac:PaymentTerms>
  <cac:AllowanceCharge><cbc:ChargeIndicator>0</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>
    <cbc:AllowanceChargeReason>Rabatt</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="EUR">10.00</cbc:Amount>
    <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>
  <cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>Fracht</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="EUR">5.00</cbc:Amount>
    <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">18.05</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">95.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">18.05</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:TaxTotal><cbc:TaxAmount currencyID="GBP">15.40</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">95.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">113.05</cbc:TaxInclusiveAmount>
    <cbc:AllowanceTotalAmount currencyID="EUR">10.00</cbc:AllowanceTotalAmount>
    <cbc:ChargeTotalAmount currencyID="EUR">5.00</cbc:ChargeTotalAmount>
    <cbc:PayableAmount currencyID="EUR">113.05</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">8.000</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:OrderLineReference><cbc:LineID>3</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cbc:Name>Beratung</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>B-1</cbc:ID></cac:SellersItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
      <cac:AdditionalItemProperty><cbc:Name>Ort</cbc:Name><cbc:Value>vor Ort</cbc:Value>
      </cac:AdditionalItemProperty></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">12.5000</cbc:PriceAmount>
      <cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity></cac:Price>
    <cac:SubInvoiceLine>
      <cbc:ID>1.1</cbc:ID>
      <cbc:InvoicedQuantity unitCode="HUR">8</cbc:InvoicedQuantity>
      <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
      <cac:Item><cbc:Name>Vorbereitung</cbc:Name></cac:Item>
      <cac:Price><cbc:PriceAmount currencyID="EUR">12.50</cbc:PriceAmount></cac:Price>
    </cac:SubInvoiceLine>
  </cac:InvoiceLine>
</Invoice>"""
)

CII_HEAD = (
    "<rsm:CrossIndustryInvoice "
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100" '
    'xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100">'
)


def cii_line(line_id: str, amount: str, parent: str | None = None, status: str = "") -> str:
    parent_xml = f"<ram:ParentLineID>{parent}</ram:ParentLineID>" if parent else ""
    status_xml = f"<ram:LineStatusReasonCode>{status}</ram:LineStatusReasonCode>" if status else ""
    return f"""
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>{line_id}</ram:LineID>
        {parent_xml}{status_xml}</ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Artikel {line_id}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:GrossPriceProductTradePrice><ram:ChargeAmount>12.00</ram:ChargeAmount>
          <ram:AppliedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator>
          </ram:ChargeIndicator><ram:ActualAmount>2.00</ram:ActualAmount>
          </ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>10.00</ram:ChargeAmount>
          <ram:BasisQuantity unitCode="C62">1</ram:BasisQuantity></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>19.00</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>{amount}</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>"""


def cii(lines: str, extra_settlement: str = "", number: str = "<ram:ID>C-1</ram:ID>") -> bytes:
    return (
        CII_HEAD
        + f"""
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>{number}<ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240301</udt:DateTimeString>
    </ram:IssueDateTime>
    <ram:IncludedNote><ram:Content>Hinweis</ram:Content><ram:SubjectCode>AAI</ram:SubjectCode>
    </ram:IncludedNote>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>{lines}
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerReference>991-12345-67</ram:BuyerReference>
      <ram:SellerTradeParty><ram:ID>L-1</ram:ID>
        <ram:GlobalID schemeID="0088">4000001000005</ram:GlobalID>
        <ram:Name>Lieferant GmbH</ram:Name>
        <ram:DefinedTradeContact><ram:DepartmentName>Vertrieb</ram:DepartmentName></ram:DefinedTradeContact>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Stadt</ram:Name></ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-1</ram:IssuerAssignedID>
      </ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:CreditorReferenceID>DE98ZZZ09999999999</ram:CreditorReferenceID>
      <ram:TaxCurrencyCode>USD</ram:TaxCurrencyCode>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>59</ram:TypeCode>
        <ram:PayerPartyDebtorFinancialAccount><ram:IBANID>DE02120300000000202051</ram:IBANID>
        </ram:PayerPartyDebtorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax><ram:CalculatedAmount>6.27</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>33.00</ram:BasisAmount>
        <ram:CategoryCode>S</ram:CategoryCode><ram:DueDateTypeCode>5</ram:DueDateTypeCode>
        <ram:RateApplicablePercent>19.00</ram:RateApplicablePercent></ram:ApplicableTradeTax>
      {extra_settlement}
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>#SKONTO#TAGE=10#PROZENT=3.00#BASISBETRAG=30.00#
</ram:Description>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20240331</udt:DateTimeString>
        </ram:DueDateDateTime>
        <ram:DirectDebitMandateID>M-1</ram:DirectDebitMandateID>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>30.00</ram:LineTotalAmount>
        <ram:ChargeTotalAmount>3.00</ram:ChargeTotalAmount>
        <ram:TaxBasisTotalAmount>33.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">6.27</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="USD">6.80</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>39.27</ram:GrandTotalAmount>
        <ram:DuePayableAmount>39.27</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""
    ).encode()


LOGISTICS = """<ram:SpecifiedLogisticsServiceCharge><ram:Description>Transport</ram:Description>
  <ram:AppliedAmount>3.00</ram:AppliedAmount><ram:AppliedTradeTax><ram:TypeCode>VAT</ram:TypeCode>
  <ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19.00</ram:RateApplicablePercent>
  </ram:AppliedTradeTax></ram:SpecifiedLogisticsServiceCharge>"""


@pytest.fixture(scope="module")
def ubl_invoice() -> Invoice:
    return extract(UBL.encode(), "test.xml")


# ---- UBL -------------------------------------------------------------------


def test_ubl_header_terms(ubl_invoice: Invoice) -> None:
    inv = ubl_invoice
    assert inv.syntax is Syntax.UBL_INVOICE
    assert (inv.number, inv.issue_date, inv.type_code, inv.currency_code) == (
        "R-2024-0815",
        date(2024, 3, 1),
        "380",
        "EUR",
    )
    assert inv.due_date == date(2024, 3, 31)
    assert inv.leitweg_id == inv.buyer_reference == "04011000-1234512345-06"
    assert inv.project_reference == "PRJ-9"
    assert inv.contract_reference == "V-12"
    assert inv.purchase_order_reference == "PO-77"
    assert inv.buyer_accounting_reference == "4711-Konto"
    assert inv.invoiced_object_identifier == Identifier("OBJ-1", "AAA")
    assert inv.process.specification_identifier is not None
    assert inv.preceding_invoices[0].reference == "R-2024-0001"
    assert inv.preceding_invoices[0].issue_date == date(2024, 1, 15)
    assert inv.invoicing_period is not None
    assert inv.invoicing_period.end == date(2024, 2, 29)


def test_ubl_note_subject_code_convention(ubl_invoice: Invoice) -> None:
    first, second = ubl_invoice.notes
    assert (first.subject_code, first.text) == ("AAI", "Vielen Dank für Ihren Auftrag.")
    assert (second.subject_code, second.text) == (None, "Ohne Code")


def test_ubl_seller_identifiers_tax_ids_and_sepa_creditor(ubl_invoice: Invoice) -> None:
    seller = ubl_invoice.seller
    assert seller.name == "Lieferant GmbH"  # BT-27 is the registration name
    assert seller.trading_name == "Lieferant"
    assert seller.identifiers == (Identifier("4000001000005", "0088"),)  # SEPA id is BT-90
    assert seller.vat_identifier == "DE123456789"
    assert seller.tax_registration_identifier == "215/123/45678"
    assert seller.electronic_address == Identifier("rechnung@lieferant.example", "EM")
    assert seller.address is not None and seller.address.city == "Köln"
    assert seller.contact is not None and seller.contact.point == "Frau Muster"
    payment = ubl_invoice.payment_instructions
    assert payment is not None and payment.direct_debit is not None
    assert payment.direct_debit.creditor_identifier == "DE98ZZZ09999999999"


def test_ubl_payment_instructions_and_skonto(ubl_invoice: Invoice) -> None:
    payment = ubl_invoice.payment_instructions
    assert payment is not None
    assert (payment.means_code, payment.means_text, payment.remittance_information) == (
        "58",
        "Überweisung",
        "R-2024-0815",
    )
    (transfer,) = payment.credit_transfers
    assert transfer.account_identifier == "DE02 1203 0000 0000 2020 51"  # as written
    assert transfer.iban == "DE02120300000000202051"
    assert transfer.service_provider_identifier == "BYLADEM1001"
    assert ubl_invoice.skonto_terms == (SkontoTerm(14, Decimal("2.00")),)
    (offer,) = ubl_invoice.skonto_offers()
    assert offer.deadline == date(2024, 3, 15)
    assert offer.discount == Decimal("2.26")  # 2 % of 113.05 = 2.261


def test_ubl_allowances_charges_with_boolean_0_and_true(ubl_invoice: Invoice) -> None:
    (allowance,) = ubl_invoice.allowances
    (charge,) = ubl_invoice.charges
    assert (allowance.is_charge, allowance.amount, allowance.reason_code) == (
        False,
        Decimal("10.00"),
        "95",
    )
    assert (charge.is_charge, charge.amount, charge.vat_rate) == (True, Decimal("5.00"), 19)


def test_ubl_totals_vat_and_accounting_currency(ubl_invoice: Invoice) -> None:
    totals = ubl_invoice.totals
    assert totals.line_net_total == Decimal("100.00")
    assert str(totals.line_net_total) == "100.00"  # scale kept
    assert totals.vat_total == Decimal("18.05")
    assert totals.vat_total_accounting_currency == Decimal("15.40")
    assert totals.amount_due == Decimal("113.05")
    (vat,) = ubl_invoice.vat_breakdown
    assert (vat.category_code, vat.rate, vat.taxable_amount) == ("S", 19, Decimal("95.00"))


def test_ubl_attachments_kept_as_file_and_link(ubl_invoice: Invoice) -> None:
    embedded, external = ubl_invoice.supporting_documents
    assert embedded.attachment is not None
    assert embedded.attachment.content == b"hello"
    assert (embedded.attachment.filename, embedded.attachment.mime_code) == ("h.csv", "text/csv")
    assert embedded.attachment.size == 5
    assert external.external_location == "https://example.org/x.pdf"
    assert external.attachment is None


def test_ubl_line_with_sub_line(ubl_invoice: Invoice) -> None:
    (line,) = ubl_invoice.lines
    assert (line.line_id, line.quantity, line.unit_code, line.net_amount) == (
        "1",
        Decimal("8.000"),
        "HUR",
        Decimal("100.00"),
    )
    assert line.order_line_reference == "3"
    assert line.item_name == "Beratung"
    assert line.item is not None and line.item.attributes[0].value == "vor Ort"
    assert (line.vat_category_code, line.vat_rate) == ("S", Decimal("19"))
    assert line.price is not None and str(line.price.net_price) == "12.5000"
    (sub,) = line.sub_lines
    assert sub.line_id == "1.1" and sub.item_name == "Vorbereitung"
    assert [x.line_id for x in ubl_invoice.all_lines()] == ["1", "1.1"]


def test_semantic_form_of_ubl(ubl_invoice: Invoice) -> None:
    data = to_semantic(ubl_invoice)
    assert data["BT-1"] == "R-2024-0815"
    assert data["BT-2"] == "2024-03-01"
    assert data["BT-18"] == "OBJ-1" and data["BT-18-1"] == "AAA"
    assert data["BG-1"][0] == {"BT-21": "AAI", "BT-22": "Vielen Dank für Ihren Auftrag."}
    assert data["BG-4"]["BT-27"] == "Lieferant GmbH"
    assert data["BG-4"]["BT-29"] == [{"BT-29": "4000001000005", "BT-29-1": "0088"}]
    assert data["BG-4"]["BG-5"] == {
        "BT-35": "Hauptstr. 1",
        "BT-37": "Köln",
        "BT-38": "50667",
        "BT-40": "DE",
    }
    assert data["BG-7"]["BT-49-1"] == "0204"
    assert data["BG-13"]["BG-14"] == {"BT-73": "2024-02-01", "BT-74": "2024-02-29"}
    assert data["BG-16"]["BG-19"] == {"BT-90": "DE98ZZZ09999999999"}
    assert data["BG-20"] == [
        {"BT-92": "10.00", "BT-95": "S", "BT-96": "19", "BT-97": "Rabatt", "BT-98": "95"}
    ]
    assert data["BG-22"]["BT-106"] == "100.00"
    assert "BT-114" not in data["BG-22"]  # absent terms are omitted
    attachment = data["BG-24"][0]["BT-125"]
    assert attachment["BT-125-2"] == "h.csv" and attachment["size"] == "5"
    line = data["BG-25"][0]
    assert line["BT-129"] == "8.000" and line["BT-130"] == "HUR"
    assert line["BG-29"] == {"BT-146": "12.5000", "BT-149": "1", "BT-150": "HUR"}
    assert line["BG-30"] == {"BT-151": "S", "BT-152": "19"}
    assert line["BG-31"]["BG-32"] == [{"BT-160": "Ort", "BT-161": "vor Ort"}]
    assert line["BG-DEX-01"][0]["BT-126"] == "1.1"


def test_csv_rows_one_per_line_including_sub_lines(ubl_invoice: Invoice) -> None:
    rows = csv_rows(ubl_invoice, "test.xml")
    assert len(rows) == 2
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    column = {title: i for i, title in enumerate(CSV_COLUMNS)}
    assert rows[0][column["BT-10 Leitweg-ID"]] == "04011000-1234512345-06"
    assert rows[0][column["Skonto-Frist"]] == "2024-03-15"
    assert [r[column["Ebene"]] for r in rows] == ["1", "2"]
    assert rows[1][column["BT-126 Position"]] == "1.1"


# ---- UBL CreditNote ----------------------------------------------------------

CREDIT_NOTE = b"""<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>G-1</cbc:ID><cbc:IssueDate>2024-04-02</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AdditionalDocumentReference><cbc:ID>PRJ-2</cbc:ID>
    <cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <cbc:PaymentDueDate>2024-04-30</cbc:PaymentDueDate></cac:PaymentMeans>
  <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">50.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine><cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="C62">2</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">50.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Retoure</cbc:Name></cac:Item></cac:CreditNoteLine>
</CreditNote>"""


def test_credit_note_sign_convention_is_explicit() -> None:
    inv = extract(CREDIT_NOTE)
    assert inv.syntax is Syntax.UBL_CREDIT_NOTE
    assert inv.is_credit_note and inv.sign == -1
    assert inv.totals.amount_due == Decimal("50.00")  # as written
    assert inv.amount_due_signed == Decimal("-50.00")  # the buyer receives money
    assert inv.project_reference == "PRJ-2"  # BT-11 in a CreditNote
    assert inv.supporting_documents == ()
    assert inv.due_date == date(2024, 4, 30)  # BT-9 in a CreditNote
    (line,) = inv.lines
    assert (line.quantity, line.net_amount) == (Decimal("2"), Decimal("50.00"))


def test_invoice_with_negative_amounts_keeps_sign_plus_one(ubl_invoice: Invoice) -> None:
    assert not ubl_invoice.is_credit_note and ubl_invoice.sign == 1
    assert ubl_invoice.amount_due_signed == Decimal("113.05")


# ---- CII ---------------------------------------------------------------------


def test_cii_header_payment_and_totals() -> None:
    inv = extract(cii(cii_line("1", "30.00"), LOGISTICS))
    assert inv.syntax is Syntax.CII
    assert (inv.number, inv.issue_date, inv.due_date) == (
        "C-1",
        date(2024, 3, 1),
        date(2024, 3, 31),
    )
    assert inv.buyer_reference == "991-12345-67"
    assert inv.purchase_order_reference == "PO-1"
    assert inv.tax_point_date_code == "5"
    assert inv.notes[0].subject_code == "AAI"
    assert inv.seller.identifiers == (Identifier("L-1"), Identifier("4000001000005", "0088"))
    assert inv.seller.contact is not None and inv.seller.contact.point == "Vertrieb"
    assert inv.seller.vat_identifier == "DE123456789"
    payment = inv.payment_instructions
    assert payment is not None and payment.means_code == "59"
    assert payment.direct_debit is not None
    assert payment.direct_debit.mandate_reference == "M-1"
    assert payment.direct_debit.debited_account == "DE02120300000000202051"
    assert inv.totals.vat_total == Decimal("6.27")
    assert inv.totals.vat_total_accounting_currency == Decimal("6.80")
    assert inv.skonto_terms == (SkontoTerm(10, Decimal("3.00"), Decimal("30.00")),)
    # ZUGFeRD EXTENDED logistics charges are document-level charges (BG-21)
    (charge,) = inv.charges
    assert (charge.amount, charge.reason, charge.vat_category_code) == (
        Decimal("3.00"),
        "Transport",
        "S",
    )


def test_cii_line_price_details() -> None:
    (line,) = extract(cii(cii_line("1", "30.00"))).lines
    assert line.price is not None
    assert (line.price.net_price, line.price.gross_price, line.price.discount) == (
        Decimal("10.00"),
        Decimal("12.00"),
        Decimal("2.00"),
    )
    assert (line.price.base_quantity, line.price.base_quantity_unit) == (Decimal("1"), "C62")
    assert str(line.vat_rate) == "19.00"


def test_cii_flat_sub_lines_are_nested_even_before_their_parent() -> None:
    lines = (
        cii_line("0101", "10.00", parent="01", status="DETAIL")
        + cii_line("0102", "20.00", parent="01", status="DETAIL")
        + cii_line("01", "30.00", status="GROUP")
        + cii_line("02", "0.00", parent="missing")  # unknown parent: stays top level
    )
    inv = extract(cii(lines))
    assert [line.line_id for line in inv.lines] == ["01", "02"]
    group = inv.lines[0]
    assert group.status_code == "GROUP"
    assert [sub.line_id for sub in group.sub_lines] == ["0101", "0102"]
    assert sum(line.net_amount or 0 for line in inv.lines) == inv.totals.line_net_total


def test_cii_parent_cycle_keeps_every_line() -> None:
    lines = cii_line("A", "1.00", parent="B") + cii_line("B", "2.00", parent="A")
    inv = extract(cii(lines))
    assert sorted(line.line_id or "" for line in inv.all_lines()) == ["A", "B"]


# ---- unreadable input: German errors, never a traceback ----------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "leer"),
        (b"hello", "weder eine XML-Rechnung noch eine PDF-Datei"),
        (b"<a>", "kein wohlgeformtes XML"),
        (b"<order/>", "keine E-Rechnung"),
        (b"%PDF-1.7\nkaputt", "PDF"),
        (UBL.replace("<cbc:ID>R-2024-0815</cbc:ID>", "").encode(), "BT-1"),
        (
            UBL.replace(
                ">100.00</cbc:LineExtensionAmount>", ">100,00</cbc:LineExtensionAmount>", 1
            ).encode(),
            "BT-106",
        ),
        (UBL.replace("2024-03-31", "31.03.2024").encode(), "BT-9"),
        (cii(cii_line("1", "1.00"), number=""), "Rechnungsnummer"),
    ],
)
def test_unreadable_input_raises_german_error(data: bytes, expected: str) -> None:
    with pytest.raises(UnreadableInvoiceError) as caught:
        extract(data, "eingang.xml")
    assert expected in str(caught.value)


def test_broken_attachment_fails_only_when_content_is_needed() -> None:
    broken = UBL.replace("bG8=", "bG8").encode()
    inv = extract(broken)
    attachment = inv.supporting_documents[0].attachment
    assert attachment is not None
    with pytest.raises(Exception, match="Base64"):
        _ = attachment.content
