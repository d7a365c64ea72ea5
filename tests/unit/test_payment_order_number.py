from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from einvoice.domain.payment_order_number import find_order_numbers, invoice_id_of, order_number


def test_number_has_prefix_and_seven_digits() -> None:
    assert order_number(123) == "AO-0000123"


@given(st.integers(min_value=1, max_value=9_999_999))
def test_round_trip(invoice_id: int) -> None:
    assert invoice_id_of(order_number(invoice_id)) == invoice_id


def test_found_in_reflowed_remittance_text() -> None:
    assert find_order_numbers("RE 4711 AO 0000123 und ao-0000124, AO-0000123") == [123, 124]
    assert find_order_numbers("Rechnung 4711 vom 01.12.") == []


@pytest.mark.parametrize("bad", [0, -1, 10**7])
def test_out_of_range_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        order_number(bad)
