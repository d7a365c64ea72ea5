"""Skonto terms (BR-DE-18) as structured data: parsing, deadline, discount amount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from einvoice.domain.skonto import SkontoTerm, offer, skonto_terms


def test_entries_are_parsed_in_order_with_optional_base_amount() -> None:
    text = (
        "Zahlbar innerhalb von 30 Tagen.\n"
        "#SKONTO#TAGE=14#PROZENT=2.00#\n"
        "#SKONTO#TAGE=7#PROZENT=3.00#BASISBETRAG=123.45#\n"
    )
    assert skonto_terms(text) == (
        SkontoTerm(14, Decimal("2.00")),
        SkontoTerm(7, Decimal("3.00"), Decimal("123.45")),
    )


def test_free_text_and_empty_terms_give_no_skonto() -> None:
    assert skonto_terms(None) == ()
    assert skonto_terms("") == ()
    assert skonto_terms("3 % Skonto bei Zahlung innerhalb 10 Tagen") == ()


def test_windows_line_breaks_and_negative_base_amount() -> None:
    terms = skonto_terms("#SKONTO#TAGE=10#PROZENT=1.50#BASISBETRAG=-50.00#\r\n")
    assert terms == (SkontoTerm(10, Decimal("1.50"), Decimal("-50.00")),)


def test_deadline_is_issue_date_plus_days() -> None:
    term = SkontoTerm(14, Decimal("2.00"))
    assert term.deadline(date(2024, 12, 20)) == date(2025, 1, 3)


def test_discount_uses_amount_due_without_base_amount_rounded_half_up() -> None:
    term = SkontoTerm(14, Decimal("2.00"))
    # 2 % of 100.25 = 2.005 -> 2.01 (half up, never banker's rounding)
    assert term.discount_amount(Decimal("100.25")) == Decimal("2.01")
    assert term.discount_amount(None) is None


def test_discount_uses_base_amount_when_given() -> None:
    term = SkontoTerm(7, Decimal("3.00"), Decimal("123.45"))
    assert term.discount_amount(Decimal("999.99")) == Decimal("3.70")  # 3.7035


def test_offer_resolves_deadline_discount_and_amount_to_pay() -> None:
    resolved = offer(SkontoTerm(10, Decimal("2.00")), date(2024, 3, 1), Decimal("1190.00"))
    assert resolved.deadline == date(2024, 3, 11)
    assert resolved.discount == Decimal("23.80")
    assert resolved.amount_to_pay == Decimal("1166.20")
