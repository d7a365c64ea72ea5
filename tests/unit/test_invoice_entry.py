"""Weberfassung: reading the form, totals, writing XRechnung UBL, prefill (issue 26)."""

from __future__ import annotations

from decimal import Decimal

from einvoice.domain.invoice_entry import compute_totals
from einvoice.domain.invoice_entry_form import form_values, label_de, read_form
from einvoice.domain.skonto import skonto_terms
from einvoice.formats.extract import extract
from einvoice.formats.validation import validate
from einvoice.formats.xrechnung_writer import write_ubl
from tests.invoice_entry_sample import ATTACHMENT, BUYER, TODAY, typical_values


def test_typical_invoice_reads_with_german_numbers_and_totals() -> None:
    result = read_form(typical_values(), BUYER, [ATTACHMENT], today=TODAY)
    assert result.errors == ()
    invoice = result.invoice
    assert invoice is not None
    assert len(invoice.lines) == 2  # the spare third row is ignored
    assert invoice.lines[0].quantity == Decimal("12.5")
    assert invoice.iban == "DE89370400440532013000"
    totals = compute_totals(invoice)
    # 12.5 h * 48.50 = 606.25; 3 l * 12.99 = 38.97 - 2.00 = 36.97
    assert totals.line_net == (Decimal("606.25"), Decimal("36.97"))
    assert totals.tax_exclusive == Decimal("643.22")
    assert totals.vat_total == Decimal("122.21")  # 643.22 * 19 % = 122.2118
    assert totals.payable == Decimal("765.43")
    category, rate, basis, vat = totals.breakdown[0]
    assert (category, rate, basis, vat) == ("S", Decimal(19), Decimal("643.22"), Decimal("122.21"))


def test_written_invoice_passes_the_projects_validation_and_reads_back() -> None:
    result = read_form(typical_values(), BUYER, [ATTACHMENT], today=TODAY)
    assert result.invoice is not None
    xml = write_ubl(result.invoice)
    report = validate(xml)
    assert report.valid, [(f.rule, f.message_de) for f in report.findings]
    assert report.findings == []
    parsed = extract(xml)
    assert parsed.totals.amount_due == Decimal("765.43")
    # BR-DE-18: the Skonto entry on a line of its own, ending in a line break
    assert b"ohne Abzug.\n#SKONTO#TAGE=14#PROZENT=2.00#\n</cbc:Note>" in xml
    assert skonto_terms(parsed.payment_terms)[0].percent == Decimal("2.00")
    assert parsed.supporting_documents[0].attachment is not None
    assert parsed.supporting_documents[0].attachment.content == ATTACHMENT.content
    again = read_form(form_values(parsed), BUYER, [ATTACHMENT], today=TODAY)
    assert again.invoice == result.invoice


def test_refused_form_names_field_and_rule_in_german() -> None:
    values = typical_values()
    values["leitweg_id"] = "05315000-KAEM-63"
    values["iban"] = "DE89 3704 0044 0532 0130 01"
    values["zeile-2-menge"] = "drei"
    del values["kontakt_telefon"]
    result = read_form(values, BUYER, [ATTACHMENT], today=TODAY)
    assert result.invoice is None
    found = {(e.field, e.rule) for e in result.errors}
    assert found == {
        ("leitweg_id", "BR-DE-15"),
        ("iban", "BR-DE-19"),
        ("zeile-2-menge", "EINGABE"),
        ("kontakt_telefon", "BR-DE-6"),
    }
    assert label_de("zeile-2-menge") == "Zeile 2: Menge"
    assert all(e.message_de for e in result.errors)
