"""Weberfassung: reading the form, totals, writing XRechnung UBL, prefill (issue 26)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from einvoice.domain.entry_fields import MAX_ATTACHMENT_BYTES
from einvoice.domain.invoice_entry import (
    SMALL_BUSINESS_REASON,
    UNITS,
    VAT_CHOICES,
    EntryAttachment,
    compute_totals,
    needs_exemption_reason,
)
from einvoice.domain.invoice_entry_form import (
    FIELD_LABELS_DE,
    MAX_LINES,
    FormResult,
    allowance_count,
    form_values,
    is_known_field,
    label_de,
    line_count,
    read_form,
)
from einvoice.domain.skonto import skonto_terms
from einvoice.formats.extract import extract
from einvoice.formats.namespaces import CAC, CBC
from einvoice.formats.validation import validate
from einvoice.formats.xrechnung_writer import write_ubl
from tests.helpers import ROOT
from tests.invoice_entry_sample import (
    ATTACHMENT,
    BUYER,
    BUYER_WITHOUT_VAT_ID,
    TODAY,
    typical_values,
)


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


def test_prefill_shows_a_price_in_euro_and_cent_as_typed() -> None:
    """The corrected invoice's form shows 48,50 as the supplier typed it, not 48,5; a finer
    price keeps its places (0,125), a quantity needs no zeros (12,5)."""
    result = _read({"zeile-2-preis": "0,125"}, drop=("zeile-2-nachlass", "zeile-2-nachlass_grund"))
    assert result.invoice is not None, result.errors
    values = form_values(extract(write_ubl(result.invoice)))
    assert (values["zeile-1-preis"], values["zeile-2-preis"]) == ("48,50", "0,125")
    assert values["zeile-1-menge"] == "12,5"
    assert read_form(values, BUYER, [ATTACHMENT], today=TODAY) == result


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


def _read(changes: dict[str, str], drop: tuple[str, ...] = (), **kwargs: Any) -> FormResult:
    values = typical_values() | changes
    for name in drop:
        del values[name]
    return read_form(
        values, kwargs.get("buyer", BUYER), kwargs.get("attachments", [ATTACHMENT]), today=TODAY
    )


def _refusals(result: FormResult) -> set[tuple[str, str]]:
    assert result.invoice is None
    return {(e.field, e.rule) for e in result.errors}


def test_credit_note_is_a_ubl_credit_note_with_its_preceding_invoice() -> None:
    result = _read({"art": "381", "vorherige_nummer": "R-2024-9", "vorherige_datum": "2024-12-01"})
    assert result.invoice is not None
    xml = write_ubl(result.invoice)
    root = etree.fromstring(xml)
    assert etree.QName(root).localname == "CreditNote"
    ns = {"cac": CAC, "cbc": CBC}
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=ns) == "381"
    ref = "cac:BillingReference/cac:InvoiceDocumentReference/"
    assert root.findtext(ref + "cbc:ID", namespaces=ns) == "R-2024-9"
    assert root.findtext(ref + "cbc:IssueDate", namespaces=ns) == "2024-12-01"
    # a CreditNote has no cbc:DueDate: BT-9 goes into the payment means
    assert root.find("cbc:DueDate", ns) is None
    assert root.findtext("cac:PaymentMeans/cbc:PaymentDueDate", namespaces=ns) == "2025-04-09"
    assert len(root.findall("cac:CreditNoteLine", ns)) == 2
    assert validate(xml).valid
    parsed = extract(xml)
    assert parsed.is_credit_note and parsed.sign == -1
    assert read_form(form_values(parsed), BUYER, [ATTACHMENT], today=TODAY) == result


def test_credit_note_needs_the_invoice_it_credits() -> None:
    assert ("vorherige_nummer", "EINGABE") in _refusals(_read({"art": "381"}))


def test_small_business_exemption_needs_a_reason_and_writes_it() -> None:
    changes = {
        "zeile-1-ust": "E:0",
        "zeile-2-ust": "E:0",
        "verkaeufer_steuernummer": "21/815/08150",
    }
    changes["verkaeufer_kennung"] = "K-70001"
    refused = _read(changes, drop=("verkaeufer_ustid",))
    assert _refusals(refused) == {("befreiung", "BR-E-10")}
    accepted = _read(changes | {"befreiung": SMALL_BUSINESS_REASON}, drop=("verkaeufer_ustid",))
    assert accepted.invoice is not None
    totals = compute_totals(accepted.invoice)
    assert totals.vat_total == Decimal("0.00")
    assert totals.payable == totals.tax_exclusive == Decimal("643.22")
    xml = write_ubl(accepted.invoice)
    assert SMALL_BUSINESS_REASON.encode() in xml
    assert b"<cbc:ID>K-70001</cbc:ID>" in xml  # BT-29: the seller is known (BR-CO-26)
    assert validate(xml).valid


def test_seller_without_vat_id_needs_another_identifier() -> None:
    changes = {"verkaeufer_steuernummer": "21/815/08150"}
    assert _refusals(_read(changes, drop=("verkaeufer_ustid",))) == {
        ("verkaeufer_ustid", "BR-CO-26")
    }
    assert _refusals(_read({}, drop=("verkaeufer_ustid",))) == {
        ("verkaeufer_ustid", "BR-CO-26"),
        ("verkaeufer_steuernummer", "BR-DE-16"),
    }


def test_reverse_charge_only_with_a_buyer_vat_id() -> None:
    refused = _read({"zeile-2-ust": "AE:0"}, buyer=BUYER_WITHOUT_VAT_ID)
    assert _refusals(refused) == {("zeile-2-ust", "BR-AE-02")}
    accepted = _read({"zeile-2-ust": "AE:0"})
    assert accepted.invoice is not None
    xml = write_ubl(accepted.invoice)
    assert b"<cbc:TaxExemptionReasonCode>VATEX-EU-AE</cbc:TaxExemptionReasonCode>" in xml
    assert validate(xml).valid


def test_document_allowances_and_charges_enter_the_vat_breakdown() -> None:
    result = _read(
        {
            "abzug-1-betrag": "43,22",
            "abzug-1-grund": "Rabatt",
            "abzug-1-ust": "S:19",
            "zuschlag-1-betrag": "10",
            "zuschlag-1-grund": "Fracht",
            "zuschlag-1-ust": "S:7",
        }
    )
    assert result.invoice is not None
    totals = compute_totals(result.invoice)
    assert (totals.allowances, totals.charges) == (Decimal("43.22"), Decimal("10"))
    assert totals.tax_exclusive == Decimal("610.00")
    assert [tuple(g) for g in totals.breakdown] == [
        ("S", Decimal(19), Decimal("600.00"), Decimal("114.00")),
        ("S", Decimal(7), Decimal("10"), Decimal("0.70")),
    ]
    assert totals.payable == Decimal("724.70")
    assert validate(write_ubl(result.invoice)).valid


def test_allowance_and_charge_need_reason_and_vat() -> None:
    found = _refusals(_read({"abzug-1-betrag": "5", "zuschlag-2-grund": "Fracht"}))
    assert found == {
        ("abzug-1-grund", "BR-33"),
        ("abzug-1-ust", "BR-32"),
        ("zuschlag-2-betrag", "BR-36"),
        ("zuschlag-2-ust", "BR-37"),
    }
    big = _read({"abzug-1-betrag": "5000", "abzug-1-grund": "Rabatt", "abzug-1-ust": "S:7"})
    assert ("abzuege", "EINGABE") in _refusals(big)


def test_skonto_fields_give_the_br_de_18_line() -> None:
    result = _read({"skonto_prozent": "3", "skonto_tage": "10"}, drop=("zahlungsbedingungen",))
    assert result.invoice is not None
    assert result.invoice.payment_terms_text == "#SKONTO#TAGE=10#PROZENT=3.00#\n"
    assert _refusals(_read({"skonto_prozent": "2,555"})) == {("skonto_prozent", "BR-DE-18")}
    assert _refusals(_read({"skonto_tage": ""})) == {("skonto_tage", "BR-DE-18")}
    assert _refusals(_read({"zahlungsbedingungen": "#SKONTO#TAGE=3#"})) == {
        ("zahlungsbedingungen", "BR-DE-18")
    }


def test_due_date_or_payment_terms_are_needed() -> None:
    drop = ("faellig", "zahlungsbedingungen", "skonto_tage", "skonto_prozent")
    assert _refusals(_read({}, drop=drop)) == {("faellig", "BR-CO-25")}
    assert _read({}, drop=drop[:2]).invoice is not None  # Skonto alone are payment terms


def test_delivery_date_or_period() -> None:
    assert _refusals(_read({}, drop=("lieferdatum",))) == {("lieferdatum", "BR-DE-TMP-32")}
    period = {"zeitraum_von": "2025-02-01", "zeitraum_bis": "2025-02-28"}
    result = _read(period, drop=("lieferdatum",))
    assert result.invoice is not None
    assert result.invoice.period_end == date(2025, 2, 28)
    assert _refusals(_read({"zeitraum_von": "2025-02-01"})) == {("zeitraum_bis", "BR-CO-19")}
    backwards = {"zeitraum_von": "2025-02-28", "zeitraum_bis": "01.02.2025"}
    assert _refusals(_read(backwards)) == {("zeitraum_bis", "BR-29")}


def test_german_and_point_decimals_and_the_ambiguous_thousands_group() -> None:
    result = _read({"zeile-1-menge": "1.234,5", "zeile-1-preis": "0.125"})
    assert result.invoice is not None
    assert result.invoice.lines[0].quantity == Decimal("1234.5")
    assert result.invoice.lines[0].net_price == Decimal("0.125")
    ambiguous = _read({"zeile-1-preis": "1.234"})
    (error,) = ambiguous.errors
    assert (error.field, error.rule) == ("zeile-1-preis", "EINGABE")
    assert "Komma" in error.message_de
    assert _refusals(_read({"zeile-2-nachlass": "1,005"})) == {("zeile-2-nachlass", "BR-DEC-24")}
    assert _refusals(_read({"zeile-1-menge": "0"})) == {("zeile-1-menge", "EINGABE")}
    assert _refusals(_read({"zeile-1-menge": "NaN"})) == {("zeile-1-menge", "EINGABE")}


def test_header_checks() -> None:
    found = _refusals(
        _read(
            {
                "datum": "2025-04-01",  # after TODAY
                "faellig": "2025-02-30",
                "verkaeufer_plz": "5066",
                "kontakt_telefon": "12",
                "kontakt_email": "anna@",
                "verkaeufer_ustid": "DE123456789",
                "iban": "DE89 3704 0044 0532 0130",
                "nummer": "x" * 51,
                "hinweis": "#AAI#Hinweis",
                "verkaeufer_name": "Firma\x00",
            }
        )
    )
    assert found == {
        ("datum", "EINGABE"),
        ("faellig", "EINGABE"),
        ("verkaeufer_plz", "EINGABE"),
        ("kontakt_telefon", "BR-DE-27"),
        ("kontakt_email", "BR-DE-28"),
        ("verkaeufer_ustid", "BR-CO-09"),
        ("iban", "BR-DE-19"),
        ("nummer", "EINGABE"),
        ("hinweis", "EINGABE"),
        ("verkaeufer_name", "EINGABE"),
    }


def test_attachments_are_checked() -> None:
    exe = EntryAttachment("rechnung.exe", "application/octet-stream", b"MZ..")
    fake = EntryAttachment("bild.png", "image/png", b"%PDF-1.4")
    found = _refusals(_read({}, attachments=[ATTACHMENT, ATTACHMENT, exe, fake]))
    assert found == {("anlage-2", "BR-DE-22"), ("anlage-3", "BR-CL-24"), ("anlage-4", "EINGABE")}
    big = EntryAttachment("gross.pdf", "application/pdf", b"%PDF-" + bytes(MAX_ATTACHMENT_BYTES))
    assert _refusals(_read({}, attachments=[big])) == {("anlage-1", "EINGABE")}


def test_line_rows_limits_and_labels() -> None:
    values = typical_values()
    assert line_count(values) == 3
    assert allowance_count(values, "abzug") == 0
    assert allowance_count({"zuschlag-4-betrag": "1"}, "zuschlag") == 4
    assert line_count({f"zeile-{MAX_LINES + 1}-menge": "1"}) == MAX_LINES
    too_many = _read({f"zeile-{MAX_LINES + 1}-beschreibung": "zu viel"})
    assert ("zeilen", "EINGABE") in _refusals(too_many)
    assert _refusals(_read({"zeile-1-ust": "S:16"})) == {("zeile-1-ust", "BR-CO-04")}
    assert label_de("abzug-1-betrag") == "Abzug 1: Betrag"
    assert label_de("zuschlag-12-ust") == "Zuschlag 12: Umsatzsteuer"
    assert label_de("anlage-2") == "Anlage 2"
    assert label_de("iban") == FIELD_LABELS_DE["iban"] == "IBAN"
    assert not is_known_field("zeile-1-unbekannt")
    assert label_de("csrf_token") == "csrf_token"  # not a field: shown as it is, never fails
    assert not is_known_field("csrf_token")


def test_choices_are_offered_by_german_name() -> None:
    assert ("H87", "Stück") in UNITS and ("LS", "Pauschale") in UNITS
    assert len({code for code, _ in UNITS}) == len(UNITS)
    assert [value for value, _ in VAT_CHOICES] == ["S:19", "S:7", "Z:0", "E:0", "AE:0"]
    assert [c for c in ("S", "Z", "E", "AE") if needs_exemption_reason(c)] == ["E"]


@pytest.mark.parametrize("name", ["xrechnung-ubl.xml", "xrechnung-cii.xml", "zugferd-en16931.pdf"])
def test_prefill_from_another_softwares_invoice_gives_a_form_that_reads(name: str) -> None:
    """A returned invoice of any syntax prefills the form for its correction: what the form
    holds comes back, and the form accepts it once the city's buyer data stand beside it."""
    parsed = extract((ROOT / "samples" / name).read_bytes())
    values = form_values(parsed)
    assert values["nummer"] == parsed.number
    assert values["leitweg_id"] == parsed.buyer_reference
    assert line_count(values) == len(parsed.lines)
    assert all(isinstance(v, str) for v in values.values())
    result = read_form(values | {"datum": TODAY.isoformat()}, BUYER, today=TODAY)
    assert result.errors == ()
