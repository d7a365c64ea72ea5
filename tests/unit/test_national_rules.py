"""XRechnung national rules: engine, catalogue, BR-DE-15 (Leitweg-ID) and BR-DE-21 (BT-24).

The small invoices below are written for these tests (UBL and CII); they are
complete enough that the national rules find nothing, so each test changes
one thing and looks at what fires.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import pytest
from lxml import etree

from einvoice.domain.findings import Finding, Layer, Scenario, Severity, Syntax
from einvoice.domain.terms import TERMS
from einvoice.formats import national
from einvoice.formats.detect import detect_xml
from einvoice.formats.national import engine
from einvoice.formats.national.model import Doc, Rule
from einvoice.formats.scenario import choose
from einvoice.formats.xmldoc import XmlDocument

XR = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
XR_EXTENSION = XR + "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"
XR_CVD = XR + "#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9"
LEITWEG_ID = "04011000-1234512345-06"
IBAN = "DE02120300000000202051"

#: A function building a sample invoice from keyword changes.
Make = Callable[..., str]

UBL = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"


def ubl_invoice(
    *,
    bt24: str = XR,
    buyer_reference: str | None = LEITWEG_ID,
    payment_code: str = "58",
    iban: str | None = IBAN,
    payment_terms: str = "Zahlbar innerhalb von 30 Tagen.",
    line_amount: str = "100.00",
) -> str:
    """A small XRechnung 3.0 UBL invoice (one line, SEPA credit transfer)."""
    buyer_ref = (
        f"<cbc:BuyerReference>{buyer_reference}</cbc:BuyerReference>"
        if buyer_reference is not None
        else ""
    )
    account = (
        f"<cac:PayeeFinancialAccount><cbc:ID>{iban}</cbc:ID></cac:PayeeFinancialAccount>"
        if iban is not None
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ubl:Invoice xmlns:ubl="{UBL}" xmlns:cac="{CAC}" xmlns:cbc="{CBC}">
  <cbc:CustomizationID>{bt24}</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>R-2026-0001</cbc:ID>
  <cbc:IssueDate>2026-03-02</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  {buyer_ref}
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="EM">rechnung@lieferant.example</cbc:EndpointID>
      <cac:PostalAddress>
        <cbc:StreetName>Hauptstraße 1</cbc:StreetName>
        <cbc:CityName>Musterstadt</cbc:CityName>
        <cbc:PostalZone>12345</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>DE123456789</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>Lieferant GmbH</cbc:RegistrationName>
      </cac:PartyLegalEntity>
      <cac:Contact>
        <cbc:Name>Buchhaltung</cbc:Name>
        <cbc:Telephone>+49 30 1234567</cbc:Telephone>
        <cbc:ElectronicMail>buchhaltung@lieferant.example</cbc:ElectronicMail>
      </cac:Contact>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0204">{LEITWEG_ID}</cbc:EndpointID>
      <cac:PostalAddress>
        <cbc:CityName>Amtsstadt</cbc:CityName>
        <cbc:PostalZone>54321</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>Stadt Amtsstadt</cbc:RegistrationName>
      </cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:Delivery><cbc:ActualDeliveryDate>2026-02-27</cbc:ActualDeliveryDate></cac:Delivery>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>{payment_code}</cbc:PaymentMeansCode>
    {account}
  </cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>{payment_terms}</cbc:Note></cac:PaymentTerms>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">19.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">19.00</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">119.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">119.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="H87">4</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">{line_amount}</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Aktenordner</cbc:Name>
      <cac:ClassifiedTaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>19</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">25.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</ubl:Invoice>
"""


def cii_invoice(
    *,
    bt24: str = XR,
    buyer_reference: str | None = LEITWEG_ID,
    payment_code: str = "58",
    iban: str | None = IBAN,
    payment_terms: str = "Zahlbar innerhalb von 30 Tagen.",
) -> str:
    """The same small invoice in CII."""
    buyer_ref = (
        f"<ram:BuyerReference>{buyer_reference}</ram:BuyerReference>"
        if buyer_reference is not None
        else ""
    )
    account = (
        "<ram:PayeePartyCreditorFinancialAccount>"
        f"<ram:IBANID>{iban}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>"
        if iban is not None
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="{RSM}"
    xmlns:ram="{RAM}" xmlns:udt="{UDT}">
  <rsm:ExchangedDocumentContext>
    <ram:BusinessProcessSpecifiedDocumentContextParameter>
      <ram:ID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</ram:ID>
    </ram:BusinessProcessSpecifiedDocumentContextParameter>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{bt24}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>R-2026-0001</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime>
      <udt:DateTimeString format="102">20260302</udt:DateTimeString>
    </ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Aktenordner</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>25.00</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="H87">4</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
        </ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>100.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      {buyer_ref}
      <ram:SellerTradeParty>
        <ram:Name>Lieferant GmbH</ram:Name>
        <ram:DefinedTradeContact>
          <ram:PersonName>Buchhaltung</ram:PersonName>
          <ram:TelephoneUniversalCommunication>
            <ram:CompleteNumber>+49 30 1234567</ram:CompleteNumber>
          </ram:TelephoneUniversalCommunication>
          <ram:EmailURIUniversalCommunication><ram:URIID>buchhaltung@lieferant.example</ram:URIID></ram:EmailURIUniversalCommunication>
        </ram:DefinedTradeContact>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>12345</ram:PostcodeCode><ram:CityName>Musterstadt</ram:CityName><ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication>
          <ram:URIID schemeID="EM">rechnung@lieferant.example</ram:URIID>
        </ram:URIUniversalCommunication>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="VA">DE123456789</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>Stadt Amtsstadt</ram:Name>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>54321</ram:PostcodeCode><ram:CityName>Amtsstadt</ram:CityName><ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication>
          <ram:URIID schemeID="0204">{LEITWEG_ID}</ram:URIID>
        </ram:URIUniversalCommunication>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery>
      <ram:ActualDeliverySupplyChainEvent>
        <ram:OccurrenceDateTime>
          <udt:DateTimeString format="102">20260227</udt:DateTimeString>
        </ram:OccurrenceDateTime>
      </ram:ActualDeliverySupplyChainEvent>
    </ram:ApplicableHeaderTradeDelivery>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>{payment_code}</ram:TypeCode>
        {account}
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>19.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>100.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms><ram:Description>{payment_terms}</ram:Description></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>100.00</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">19.00</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>119.00</ram:GrandTotalAmount>
        <ram:DuePayableAmount>119.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def document(xml: str) -> XmlDocument:
    detection = detect_xml(xml.encode("utf-8"))
    assert detection.doc is not None, detection.findings
    return detection.doc


def check(xml: str, scenario: Scenario | None = None) -> list[Finding]:
    """National findings under ``scenario`` (default: the one BT-24 selects)."""
    doc = document(xml)
    chosen = scenario if scenario is not None else choose(doc).national_scenario
    assert chosen is not None
    return national.check(doc, chosen)


def ids(findings: Iterable[Finding]) -> set[str]:
    return {f.rule for f in findings}


def only(findings: list[Finding], rule_id: str) -> Finding:
    matching = [f for f in findings if f.rule == rule_id]
    assert len(matching) == 1, findings
    return matching[0]


# --------------------------------------------------------------------------
# Baseline
# --------------------------------------------------------------------------


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_the_sample_invoices_are_clean(make: Make) -> None:
    assert check(make()) == []


# --------------------------------------------------------------------------
# BR-DE-15: BT-10 buyer reference (Leitweg-ID)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
@pytest.mark.parametrize("value", [None, "", "   ", "\n\t"], ids=["absent", "empty", "blank", "ws"])
def test_br_de_15_missing_or_blank_buyer_reference(make: Make, value: str | None) -> None:
    finding = only(check(make(buyer_reference=value)), "BR-DE-15")
    assert finding.severity is Severity.ERROR
    assert finding.layer is Layer.NATIONAL
    assert finding.terms == ("BT-10",)
    assert finding.location in ("/ubl:Invoice[1]", "/rsm:CrossIndustryInvoice[1]")
    for message in (finding.message_de, finding.message_en):
        assert "BT-10" in message and "Leitweg-ID" in message


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_br_de_15_any_non_blank_buyer_reference_passes(make: Make) -> None:
    # BR-DE-15 asks for presence only; the Leitweg-ID syntax is not an official rule.
    assert "BR-DE-15" not in ids(check(make(buyer_reference="Bestellung 4711")))


# --------------------------------------------------------------------------
# BR-DE-21: BT-24 specification identifier
# --------------------------------------------------------------------------


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
@pytest.mark.parametrize(
    "bt24",
    [
        "urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.3",
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.1",
        "urn:cen.eu:en16931:2017",
        XR + " ",
        "",
    ],
)
def test_br_de_21_other_identifiers_are_reported(make: Make, bt24: str) -> None:
    # Outdated or unknown ids have no scenario (NONE) and are checked as standard.
    finding = only(check(make(bt24=bt24), Scenario.NONE), "BR-DE-21")
    assert finding.severity is Severity.WARNING
    assert finding.terms == ("BT-24",)
    assert XR in finding.message_de and XR in finding.message_en
    assert "BT-24" in finding.message_de


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
@pytest.mark.parametrize("bt24", [XR, XR_EXTENSION, XR_CVD])
def test_br_de_21_accepts_the_xrechnung_3_identifiers(make: Make, bt24: str) -> None:
    assert "BR-DE-21" not in ids(check(make(bt24=bt24)))


def test_br_de_21_through_the_scenario_choice_of_an_outdated_invoice() -> None:
    doc = document(
        ubl_invoice(
            bt24="urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.2"
        )
    )
    choice = choose(doc)
    assert choice.scenario is Scenario.NONE
    assert choice.national_scenario is Scenario.XRECHNUNG
    assert ids(national.check(doc, Scenario.NONE)) == {"BR-DE-21"}


def test_br_de_21_missing_customization_id_is_reported() -> None:
    xml = ubl_invoice().replace(f"<cbc:CustomizationID>{XR}</cbc:CustomizationID>", "")
    finding = only(check(xml, Scenario.XRECHNUNG), "BR-DE-21")
    assert "fehlt" in finding.message_de


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------


def test_extension_and_cvd_rules_run_only_in_their_scenario() -> None:
    attachment = (
        "<cac:AdditionalDocumentReference><cbc:ID>A1</cbc:ID><cac:Attachment>"
        '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/zip" filename="a.zip">'
        "UEsDBA==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>"
        "</cac:AdditionalDocumentReference>"
    )
    xml = ubl_invoice().replace(
        "<cac:AccountingSupplierParty>", attachment + "<cac:AccountingSupplierParty>"
    )
    assert not any(
        f.rule.startswith(("BR-DEX", "BR-DE-CVD")) for f in check(xml, Scenario.XRECHNUNG)
    )
    assert "BR-DEX-01" in ids(check(xml, Scenario.XRECHNUNG_EXTENSION))
    cvd = ids(check(xml, Scenario.XRECHNUNG_CVD))
    assert {"BR-DE-CVD-01", "BR-DE-CVD-02", "BR-DE-CVD-03"} <= cvd
    assert "BR-DEX-01" not in cvd


def test_non_xrechnung_scenarios_run_the_standard_rules() -> None:
    xml = ubl_invoice(buyer_reference=None)
    assert ids(check(xml, Scenario.NONE)) == {"BR-DE-15"}
    assert engine.effective_scenario(Scenario.EN16931) is Scenario.XRECHNUNG


# --------------------------------------------------------------------------
# Engine behaviour
# --------------------------------------------------------------------------


def test_a_failing_check_is_reported_never_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(doc: Doc) -> list[etree._Element]:
        raise ZeroDivisionError("boom")

    rule = engine.rule_by_id("BR-DE-15")
    assert rule is not None
    key = (Scenario.XRECHNUNG, Syntax.UBL_INVOICE)
    monkeypatch.setitem(engine._BY_SCENARIO_AND_SYNTAX, key, ((rule, broken, Severity.ERROR),))
    findings = check(ubl_invoice(), Scenario.XRECHNUNG)
    assert len(findings) == 1
    failed = findings[0]
    assert failed.rule == engine.RULE_FAILED
    assert failed.severity is Severity.ERROR
    assert "BR-DE-15" in failed.message_de and "BR-DE-15" in failed.message_en


def test_rules_survive_a_schema_invalid_document() -> None:
    xml = (
        '<ubl:Invoice xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cac:InvoiceLine><cbc:LineExtensionAmount>abc</cbc:LineExtensionAmount>"
        "<cac:Price><cbc:PriceAmount>x</cbc:PriceAmount><cbc:BaseQuantity>0</cbc:BaseQuantity></cac:Price>"
        "<cac:AllowanceCharge><cbc:ChargeIndicator>maybe</cbc:ChargeIndicator>"
        "<cbc:MultiplierFactorNumeric>ten</cbc:MultiplierFactorNumeric><cbc:BaseAmount/></cac:AllowanceCharge>"
        "</cac:InvoiceLine><cac:PaymentMeans><cbc:PaymentMeansCode>59</cbc:PaymentMeansCode></cac:PaymentMeans>"
        "</ubl:Invoice>"
    )
    for scenario in (Scenario.XRECHNUNG, Scenario.XRECHNUNG_EXTENSION, Scenario.XRECHNUNG_CVD):
        found = ids(check(xml, scenario))
        assert engine.RULE_FAILED not in found
        assert {
            "BR-DE-15",
            "BR-DE-21",
            "BR-DE-25-a",
            "PEPPOL-EN16931-R120",
            "PEPPOL-EN16931-R121",
        } <= found


def test_locations_point_at_the_official_context_element() -> None:
    findings = check(ubl_invoice(line_amount="90.00"))
    assert only(findings, "PEPPOL-EN16931-R120").location == "/ubl:Invoice[1]/cac:InvoiceLine[1]"
    findings = check(ubl_invoice(iban="DE00 1234"))
    assert only(findings, "BR-DE-19").location == "/ubl:Invoice[1]/cac:PaymentMeans[1]"


# --------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------

REQUIRED_IDS = (
    [f"BR-DE-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20, 21, 22)]
    + ["BR-DE-23-a", "BR-DE-23-b", "BR-DE-24-a", "BR-DE-24-b", "BR-DE-25-a", "BR-DE-25-b"]
    + ["BR-DE-26", "BR-DE-27", "BR-DE-28", "BR-DE-30", "BR-DE-31", "BR-DE-TMP-32"]
    + [f"BR-DEX-{n:02d}" for n in range(1, 16)]
    + ["BR-DE-CVD-01", "BR-DE-CVD-02", "BR-DE-CVD-03", "BR-DE-CVD-04", "BR-DE-CVD-05"]
    + ["BR-DE-CVD-06-a", "BR-DE-CVD-06-b", "BR-TMP-CVD-01", "BR-TMP-2", "BR-TMP-3"]
    + [
        f"PEPPOL-EN16931-R{n:03d}"
        for n in (
            1,
            5,
            8,
            10,
            20,
            40,
            41,
            42,
            43,
            44,
            46,
            53,
            54,
            55,
            61,
            101,
            110,
            111,
            120,
            121,
            130,
        )
    ]
    + ["PEPPOL-EN16931-R043-1", "PEPPOL-EN16931-R043-2"]
)


def test_catalogue_lists_every_rule_once() -> None:
    catalogue = engine.catalogue()
    all_ids = [rule.id for rule in catalogue]
    assert len(all_ids) == len(set(all_ids))
    assert sorted(set(REQUIRED_IDS) - set(all_ids)) == []


@pytest.mark.parametrize("rule", engine.catalogue(), ids=lambda rule: rule.id)
def test_catalogue_entries_are_complete(rule: Rule) -> None:
    assert rule.syntaxes, "a rule needs a check for at least one syntax"
    assert rule.scenarios and rule.scenarios <= {
        Scenario.XRECHNUNG,
        Scenario.XRECHNUNG_EXTENSION,
        Scenario.XRECHNUNG_CVD,
    }
    assert rule.message_de.strip() and rule.message_en.strip()
    assert rule.message_de != rule.message_en
    assert not rule.message_de.startswith("[")  # own words, not the official "[BR-..]" texts
    for term in rule.terms:
        assert term in TERMS, f"{rule.id}: unknown business term {term}"
        assert term in rule.message_de or rule.id.startswith("PEPPOL"), f"{rule.id} omits {term}"


def test_official_severities() -> None:
    def severity(rule_id: str, syntax: Syntax = Syntax.UBL_INVOICE) -> Severity:
        rule = engine.rule_by_id(rule_id)
        assert rule is not None
        return rule.severity_for(syntax)

    assert severity("BR-DE-15") is Severity.ERROR
    assert severity("BR-DE-19") is Severity.WARNING
    assert severity("BR-DE-21") is Severity.WARNING
    assert severity("BR-DE-TMP-32") is Severity.INFO
    assert severity("BR-TMP-2") is Severity.WARNING
    assert severity("BR-TMP-3", Syntax.CII) is Severity.ERROR
    assert severity("PEPPOL-EN16931-R120") is Severity.WARNING  # official flag in UBL too
    assert severity("PEPPOL-EN16931-R120", Syntax.CII) is Severity.WARNING
    assert severity("PEPPOL-EN16931-R010", Syntax.CII) is Severity.ERROR


def test_credit_notes_use_the_ubl_checks() -> None:
    for rule in engine.catalogue():
        assert rule.check_for(Syntax.UBL_CREDIT_NOTE) is rule.check_for(Syntax.UBL_INVOICE)


def test_compiled_rules_are_shared_safely_by_threads() -> None:
    # The XPaths are compiled once at import; lxml serializes each evaluation.
    samples = [
        ubl_invoice(line_amount="90.00"),
        ubl_invoice(buyer_reference=None, iban="DE00"),
        cii_invoice(payment_terms="#SKONTO#TAGE=7#PROZENT=2#"),
        cii_invoice(payment_code="59"),
    ]
    expected = [sorted((f.rule, f.location) for f in check(xml)) for xml in samples]
    failures: list[str] = []

    def work() -> None:
        for _ in range(25):
            for xml, wanted in zip(samples, expected, strict=True):
                if sorted((f.rule, f.location) for f in check(xml)) != wanted:
                    failures.append(xml[:40])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
