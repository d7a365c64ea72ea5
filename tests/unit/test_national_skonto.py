"""BR-DE-18: Skonto lines in BT-20 "Payment terms" - parser and rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from einvoice.domain.findings import Severity
from einvoice.formats.detect import detect_xml
from einvoice.formats.national.skonto import SkontoTerm, parse_payment_terms, skonto_terms
from tests.unit.test_national_rules import Make, check, cii_invoice, ids, only, ubl_invoice

VALID = "#SKONTO#TAGE=14#PROZENT=2.00#\n#SKONTO#TAGE=30#PROZENT=1.00#BASISBETRAG=119.00#\n"


def test_structured_terms_are_extracted() -> None:
    parsed = parse_payment_terms("Zahlbar innerhalb 60 Tagen.\n" + VALID)
    assert parsed.ok
    assert parsed.terms == (
        SkontoTerm(14, Decimal("2.00")),
        SkontoTerm(30, Decimal("1.00"), Decimal("119.00")),
    )


def test_free_text_only_is_fine() -> None:
    assert parse_payment_terms("Zahlbar sofort ohne Abzug.").ok
    assert parse_payment_terms("").ok
    assert parse_payment_terms(None).ok


@pytest.mark.parametrize(
    "text",
    [
        VALID,
        "  #SKONTO#TAGE=7#PROZENT=3.00#   \n   Text danach\n",  # indentation, trailing spaces
        "#SKONTO#TAGE=7#PROZENT=3.00#\r\n",  # CRLF
        "#SKONTO#TAGE=10#PROZENT=2.00#BASISBETRAG=-5.53#\n",  # negative base amount
        "#SKONTO#TAGE=7#PROZENT=2.00#\nText ohne Zeilenumbruch am Ende",
        "Text\n\n#SKONTO#TAGE=0#PROZENT=0.00#\n\n",
    ],
)
def test_valid_entries(text: str) -> None:
    parsed = parse_payment_terms(text)
    assert parsed.ok, parsed.problems


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("#SKONTO#Tage=7#PROZENT=2.00#\n", "Großbuchstaben"),
        ("#skonto#TAGE=7#PROZENT=2.00#\n", "Großbuchstaben"),
        ("#SKONTO#TAGE=7 #PROZENT=2.00#\n", "Leerzeichen"),
        ("#SKONTO#TAGE = 7#PROZENT=2.00#\n", "Leerzeichen"),
        ("#SKONTO#TAGE=7#PROZENT=2,00#\n", "Komma"),
        ("#SKONTO#TAGE=7#PROZENT=2.000#\n", "zwei Nachkommastellen"),
        ("#SKONTO#TAGE=7#PROZENT=2#\n", "zwei Nachkommastellen"),
        ("#SKONTO#TAGE=7#PROZENT=2.00#BASISBETRAG=23#\n", "zwei Nachkommastellen"),
        ("#SKONTO#TAGE=7#PROZENT=2.00#Text\n", "nichts folgen"),
        ("#SKONTO#TAGE=7#PROZENT=2.00##SKONTO#TAGE=14#PROZENT=1.00#\n", "eigene"),
        ("#VERZUG#TAGE=7#PROZENT=2.00#\n", "SKONTO"),
        ("#SKONTO#TAGE=7#PROZENT=2.00#", "Zeilenumbruch"),
        ("#SKONTO#TAGE=7#PROZENT=2.00#\n#SKONTO#TAGE=14#PROZENT=1.00#", "Zeilenumbruch"),
    ],
)
def test_invalid_entries(text: str, reason: str) -> None:
    parsed = parse_payment_terms(text)
    assert not parsed.ok
    assert any(reason in problem.reason_de for problem in parsed.problems), parsed.problems
    assert all(problem.reason_en for problem in parsed.problems)


def test_problems_name_the_line() -> None:
    parsed = parse_payment_terms("Text\n#SKONTO#TAGE=7#PROZENT=2,00#\n")
    assert [(p.line, p.text) for p in parsed.problems] == [(2, "#SKONTO#TAGE=7#PROZENT=2,00#")]


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_rule_accepts_correct_skonto(make: Make) -> None:
    assert "BR-DE-18" not in ids(check(make(payment_terms=VALID)))


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_rule_reports_malformed_skonto(make: Make) -> None:
    findings = check(make(payment_terms="#SKONTO#TAGE=14#PROZENT=2,00#\n"))
    finding = only(findings, "BR-DE-18")
    assert finding.severity is Severity.ERROR
    assert finding.terms == ("BT-20",)
    assert "BT-20" in finding.message_de and "BT-20" in finding.message_en
    assert "Zeile 1" in finding.message_de and "Line 1" in finding.message_en
    assert finding.location in ("/ubl:Invoice[1]", "/rsm:CrossIndustryInvoice[1]")


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_rule_requires_a_line_break_after_the_last_entry(make: Make) -> None:
    findings = check(make(payment_terms="#SKONTO#TAGE=14#PROZENT=2.00#"))
    assert "Zeilenumbruch" in only(findings, "BR-DE-18").message_de


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_terms_are_read_from_an_invoice(make: Make) -> None:
    doc = detect_xml(make(payment_terms="Skonto:\n" + VALID).encode()).doc
    assert doc is not None
    assert skonto_terms(doc) == (
        SkontoTerm(14, Decimal("2.00")),
        SkontoTerm(30, Decimal("1.00"), Decimal("119.00")),
    )
