"""Amounts for machine outputs: the currency's places, rounded half up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from einvoice.domain.values import amount_text, minor_units


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("123.4500", "EUR", "123.45"),
        ("0", "EUR", "0.00"),
        ("-5.005", "EUR", "-5.01"),
        ("10", None, "10.00"),
        ("1500.4", "JPY", "1500"),
        ("1.2345", "KWD", "1.235"),
        ("7.1", "eur", "7.10"),
    ],
)
def test_amount_text(amount: str, currency: str | None, text: str) -> None:
    assert amount_text(Decimal(amount), currency) == text


def test_minor_units_default_to_two() -> None:
    assert (minor_units("EUR"), minor_units("XXX"), minor_units(None)) == (2, 2, 2)
