"""German formatting of amounts, quantities, dates, IBANs and sizes for the rendering."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from einvoice.presentation.render import codes, german

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0,00"),
        ("5", "5,00"),
        ("493.45", "493,45"),
        ("1234.5", "1.234,50"),
        ("1234567.89", "1.234.567,89"),
        ("-1234.56", "-1.234,56"),
        ("125.00", "125,00"),
        ("158.1250000000", "158,125"),  # scale kept where it says something, never rounded
        ("0.001", "0,001"),
        ("100", "100,00"),
        ("1E+3", "1.000,00"),
    ],
)
def test_amounts_are_german_and_exact(value: str, expected: str) -> None:
    assert german.amount(Decimal(value)) == expected


def test_money_uses_the_euro_sign_and_other_currency_codes() -> None:
    assert german.money(Decimal("560.25"), "EUR") == f"560,25{NBSP}€"
    assert german.money(Decimal("2048.44"), "GBP") == f"2.048,44{NBSP}GBP"
    assert german.money(None, "EUR") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10", "10"), ("32.5", "32,5"), ("2000", "2.000"), ("1.000", "1"), ("-3", "-3")],
)
def test_quantities_drop_meaningless_zeros(value: str, expected: str) -> None:
    assert german.number(Decimal(value)) == expected


def test_percent_and_dates() -> None:
    assert german.percent(Decimal("19.00")) == f"19{NBSP}%"
    assert german.percent(Decimal("2.5")) == f"2,5{NBSP}%"
    assert german.german_date(date(2025, 3, 4)) == "04.03.2025"
    assert german.german_date(None) == ""


def test_iban_in_groups_of_four_other_accounts_as_written() -> None:
    assert german.iban("DE29290500000012345678") == "DE29 2905 0000 0012 3456 78"
    assert german.iban("de29 2905 0000 0012 3456 78") == "DE29 2905 0000 0012 3456 78"
    assert german.iban("123456789") == "123456789"
    assert german.iban("<b>DE29</b>") == "<b>DE29</b>"  # escaping is the template's job


def test_file_sizes() -> None:
    assert german.file_size(532) == f"532{NBSP}Bytes"
    assert german.file_size(150_118) == f"146,6{NBSP}KB"
    assert german.file_size(5 * 1024 * 1024) == f"5,0{NBSP}MB"


@pytest.mark.parametrize(
    ("code", "credit", "kind"),
    [
        ("380", False, "Rechnung"),
        ("381", True, "Gutschrift"),
        ("384", False, "Korrekturrechnung"),
        ("396", True, "Gutschrift"),  # a credit note type without its own name
        ("999", False, "Rechnung"),
    ],
)
def test_document_kind_by_bt3(code: str, credit: bool, kind: str) -> None:
    assert codes.document_kind(code, credit) == kind
