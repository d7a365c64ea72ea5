"""Values from suppliers into fixed-width columns: what does not fit is left out of the
column (None), never cut or rounded into something else, and never makes an insert fail.
The supplier's value stays, as written, in the invoice's semantic JSON and its original."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

MONEY_INTEGER_DIGITS = 15  # Numeric(19, 4)


def fit_amount(value: Decimal | None) -> Decimal | None:
    """``value`` if it fits Numeric(19, 4) (at most 15 digits before the point), else None."""
    if value is None:
        return None
    try:
        if not value.is_finite() or abs(value) >= Decimal(10) ** MONEY_INTEGER_DIGITS:
            return None
        return value.quantize(Decimal("0.0001"))
    except InvalidOperation:
        return None


def fit_text(value: Any, width: int) -> str | None:
    """``value`` as text if it has at most ``width`` characters, else None."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= width else None
