"""Arithmetic rules explained with figures: which amount was stated, which was expected."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from einvoice.domain.arithmetic import discrepancies, has_figures
from einvoice.domain.invoice import DocumentTotals, VatBreakdown
from einvoice.formats.extract import extract
from einvoice.formats.validation import validate
from tests.helpers import ROOT

SAMPLES = ROOT / "samples"
NBSP = "\u00a0"


def _invoice():  # type: ignore[no-untyped-def]
    return extract((SAMPLES / "xrechnung-ubl.xml").read_bytes())


def test_a_correct_invoice_has_no_discrepancy() -> None:
    inv = _invoice()
    for rule in ("BR-CO-10", "BR-CO-13", "BR-CO-14", "BR-CO-15", "BR-CO-16", "BR-S-08"):
        assert has_figures(rule)
        assert discrepancies(rule, inv) == [], rule
    assert not has_figures("BR-DE-15") and discrepancies("BR-DE-15", inv) == []


def test_br_co_15_says_stated_and_expected() -> None:
    inv = _invoice()
    t = inv.totals
    assert t.total_without_vat is not None and t.vat_total is not None
    wrong = dataclasses.replace(
        inv, totals=dataclasses.replace(t, total_with_vat=t.total_without_vat + t.vat_total - 1)
    )
    (found,) = discrepancies("BR-CO-15", wrong)
    assert found.term == "BT-112" and found.expected == t.total_without_vat + t.vat_total
    text = found.text_de("EUR")
    assert text.startswith("Gesamtbetrag mit Umsatzsteuer (BT-112) ist ")
    assert f"erwartet {_de(found.expected)}{NBSP}€ (BT-109 + BT-110 = " in text
    assert "expected" in found.text_en("EUR") and "EUR" in found.text_en("EUR")


def _de(value: Decimal) -> str:
    whole, fraction = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction


def test_document_level_sums() -> None:
    totals = DocumentTotals(
        line_net_total=Decimal("100.00"),
        allowance_total=Decimal("10.00"),
        charge_total=Decimal("5.00"),
        total_without_vat=Decimal("96.00"),
        vat_total=Decimal("18.05"),
        total_with_vat=Decimal("114.05"),
        paid_amount=Decimal("14.05"),
        amount_due=Decimal("99.00"),
    )
    inv = dataclasses.replace(_invoice(), totals=totals)
    (net,) = discrepancies("BR-CO-13", inv)
    assert (net.stated, net.expected) == (Decimal("96.00"), Decimal("95.00"))
    assert "BT-106 - BT-107 + BT-108 = 100,00" in net.text_de("EUR")
    (due,) = discrepancies("BR-CO-16", inv)
    assert (due.stated, due.expected) == (Decimal("99.00"), Decimal("100.00"))
    assert discrepancies("BR-CO-15", inv) == []  # 96.00 + 18.05 = 114.05


def test_missing_amount_and_vat_breakdown() -> None:
    inv = _invoice()
    missing = dataclasses.replace(inv, totals=dataclasses.replace(inv.totals, total_with_vat=None))
    (found,) = discrepancies("BR-CO-15", missing)
    assert "(BT-112) fehlt, erwartet" in found.text_de("EUR")
    breakdown = VatBreakdown(Decimal("100.00"), Decimal("20.00"), "S", Decimal("19"))
    taxed = dataclasses.replace(inv, vat_breakdown=(breakdown,))
    (tax,) = discrepancies("BR-S-09", taxed)
    assert (tax.stated, tax.expected) == (Decimal("20.00"), Decimal("19.00"))
    assert f"S 19{NBSP}%" in tax.text_de("EUR") and f"× 19{NBSP}%" in tax.text_de("EUR")


def test_validation_report_carries_the_figures_and_keeps_the_verdict() -> None:
    """Issue 14: BR-CO-15 did not say which amount was expected."""
    for name in ("ubl-summe-falsch.xml", "cii-summe-falsch.xml"):
        report = validate((SAMPLES / "invalid" / name).read_bytes(), name)
        (finding,) = [f for f in report.errors]
        assert finding.rule == "BR-CO-15" and not report.valid
        assert finding.message_de.startswith("Gesamtbetrag mit Umsatzsteuer (BT-112) ist ")
        assert ", erwartet " in finding.message_de and "(BT-109 + BT-110 = " in finding.message_de
        assert "falsch berechnet" in finding.message_de  # the explanation stays
