"""Extraction edge cases (issue 16), term by term as the XRechnung visualization maps them."""

from __future__ import annotations

import io
from decimal import Decimal

from pypdf import PdfReader, PdfWriter

import einvoice
from einvoice.formats.extract import extract
from tests.helpers import require_conformance

STANDARD = "xrechnung-testsuite/business-cases/standard/"


def _read(name: str) -> str:
    return (require_conformance() / name).read_text(encoding="utf-8")


def test_bt147_is_the_sum_of_several_cii_price_allowances() -> None:
    xml = _read(STANDARD + "01.20a-INVOICE_uncefact.xml")
    allowance = (
        "<ram:AppliedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>{}"
        "</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>{}</ram:ActualAmount>"
        "</ram:AppliedTradeAllowanceCharge>"
    )
    extra = allowance.format("false", "2.50") + allowance.format("true", "7.00")
    xml = xml.replace(
        "</ram:AppliedTradeAllowanceCharge>", "</ram:AppliedTradeAllowanceCharge>" + extra, 1
    )
    price = extract(xml.encode()).lines[0].price
    assert price is not None
    # 10 + 2.50 - 7: the price charge (shown by the official visualization as a BT-147 of
    # 7) is read as a negative discount, so that BT-148 - BT-147 = BT-146 (issue 27).
    assert price.discount == Decimal("5.50")


def test_a_ubl_price_charge_is_not_a_discount() -> None:
    xml = _read(STANDARD + "01.01a-INVOICE_ubl.xml")
    priced = (
        '<cac:Price><cbc:PriceAmount currencyID="EUR">288.79</cbc:PriceAmount>'
        "<cac:AllowanceCharge><cbc:ChargeIndicator>{}</cbc:ChargeIndicator>"
        '<cbc:Amount currencyID="EUR">1.21</cbc:Amount>'
        '<cbc:BaseAmount currencyID="EUR">290.00</cbc:BaseAmount></cac:AllowanceCharge></cac:Price>'
    )
    old = (
        '<cac:Price>\n            <cbc:PriceAmount currencyID="EUR">288.79</cbc:PriceAmount>'
        "\n        </cac:Price>"
    )
    assert old in xml
    charge = extract(xml.replace(old, priced.format("true")).encode()).lines[0].price
    allowance = extract(xml.replace(old, priced.format("false")).encode()).lines[0].price
    assert charge is not None and allowance is not None
    # The official visualization shows neither BT-147 nor BT-148 for a UBL price charge
    # (both select [preceding-sibling::cbc:ChargeIndicator = 'false']; issue 27).
    assert charge.discount is None
    assert charge.gross_price is None
    assert allowance.discount == Decimal("1.21")
    assert allowance.gross_price == Decimal("290.00")


def test_bt111_when_the_tax_currency_is_the_invoice_currency() -> None:
    cii = _read(STANDARD + "02.01a-INVOICE_uncefact.xml")
    cii = cii.replace("<ram:TaxCurrencyCode>GBP<", "<ram:TaxCurrencyCode>EUR<")
    cii = cii.replace(
        'TaxTotalAmount currencyID="GBP">2048.44', 'TaxTotalAmount currencyID="EUR">2048.45'
    )
    invoice = extract(cii.encode())
    assert invoice.totals.vat_total == Decimal("2048.44")
    assert invoice.totals.vat_total_accounting_currency == Decimal("2048.45")
    ubl = _read(STANDARD + "02.01a-INVOICE_ubl.xml")
    ubl = ubl.replace("<cbc:TaxCurrencyCode>GBP<", "<cbc:TaxCurrencyCode>EUR<")
    ubl = ubl.replace(
        '<cbc:TaxAmount currencyID="GBP">2048.44', '<cbc:TaxAmount currencyID="EUR">2048.45'
    )
    invoice = extract(ubl.encode())
    assert invoice.totals.vat_total == Decimal("2048.44")
    assert invoice.totals.vat_total_accounting_currency == Decimal("2048.45")


def test_a_ubl_credit_note_without_bt3_is_read_and_reported() -> None:
    conformance = require_conformance()
    path = next(conformance.glob("cen-examples/ubl/examples/*reditnote*.xml"), None) or next(
        p for p in sorted(conformance.rglob("*.xml")) if b"<CreditNote" in p.read_bytes()[:2000]
    )
    xml = path.read_text(encoding="utf-8")
    start = xml.index("<cbc:CreditNoteTypeCode")
    end = xml.index("</cbc:CreditNoteTypeCode>") + len("</cbc:CreditNoteTypeCode>")
    data = (xml[:start] + xml[end:]).encode()
    invoice = extract(data)
    assert invoice.type_code == "381"
    # The document does not say 381: the model marks the term as derived (issue 27).
    assert invoice.derived_terms == ("BT-3",)
    assert "BT-3" in invoice.missing_mandatory_terms
    assert extract(xml.encode()).derived_terms == ()
    report = einvoice.validate(data)
    assert not report.valid
    assert "BR-04" in {f.rule for f in report.findings}


def test_a_cii_note_with_only_a_subject_code_is_kept() -> None:
    xml = _read(STANDARD + "01.01a-INVOICE_uncefact.xml")
    start = xml.index("<ram:Content>Es gelten")
    end = xml.index("</ram:Content>", start) + len("</ram:Content>")
    notes = extract((xml[:start] + xml[end:]).encode()).notes
    assert ("", "ADU") in {(n.text, n.subject_code) for n in notes}


def _pdf(attachments: dict[str, bytes]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for name, content in attachments.items():
        writer.add_attachment(name, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_with_zugferd_1_and_cii_reads_the_cii_invoice() -> None:
    conformance = require_conformance()
    old_pdf = conformance / "zugferd/ferd-1.0/Beispiele/ZUGFeRD_1p0_BASIC_Einfach.pdf"
    zugferd1 = next(iter(PdfReader(old_pdf).attachments.values()))[0]
    assert b"urn:ferd:CrossIndustryDocument" in zugferd1
    cii = (conformance / STANDARD / "01.01a-INVOICE_uncefact.xml").read_bytes()
    data = _pdf({"zugferd-invoice.xml": zugferd1, "factur-x.xml": cii})
    assert extract(data).number == extract(cii).number
    report = einvoice.validate(data)
    rules = {f.rule: f.severity.value for f in report.findings}
    assert rules.get("PDF-ZUGFERD1-IGNORED") == "warning"
    assert "PDF-SEVERAL-XML" not in rules
