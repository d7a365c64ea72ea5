"""German formatting of the values an invoice shows: amounts, quantities, dates, IBANs.

``Decimal`` in, text out, never a float on the way: ``1234.5`` becomes
``1.234,50``; trailing zeros beyond the wanted minimum are dropped (a unit
price ``158.1250000000`` reads ``158,125``), nothing is rounded away.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

NBSP = "\u00a0"
CURRENCY_SYMBOLS = {"EUR": "€"}
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}")


def number(value: Decimal | int | None, min_places: int = 0) -> str:
    """``Decimal("1234.5")`` -> ``"1.234,5"``; at least ``min_places`` decimals."""
    if value is None:
        return ""
    value = Decimal(value)
    if not value.is_finite():
        return str(value)
    sign = "-" if value < 0 else ""
    whole, _, fraction = format(abs(value), "f").partition(".")
    fraction = fraction.rstrip("0").ljust(min_places, "0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def amount(value: Decimal | None) -> str:
    """An amount without currency, two decimals at least: ``1.234,56``."""
    return number(value, 2)


def money(value: Decimal | None, currency: str | None) -> str:
    """``1.234,56 €`` (other currencies by code: ``1.234,56 USD``)."""
    if value is None:
        return ""
    code = (currency or "").strip()
    unit = CURRENCY_SYMBOLS.get(code.upper(), code)
    return f"{amount(value)}{NBSP}{unit}" if unit else amount(value)


def percent(value: Decimal | None) -> str:
    """``Decimal("19.00")`` -> ``19 %``; ``2.5`` -> ``2,5 %``."""
    if value is None:
        return ""
    return f"{number(value)}{NBSP}%"


def german_date(value: date | None) -> str:
    """``DD.MM.YYYY``."""
    return "" if value is None else value.strftime("%d.%m.%Y")


def iban(value: str | None) -> str:
    """An IBAN in groups of four (``DE29 2905 ...``); other account ids as written."""
    if value is None:
        return ""
    compact = "".join(value.split()).upper()
    if not _IBAN.fullmatch(compact):
        return value
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def file_size(size: int | None) -> str:
    """``532 Bytes``, ``12,3 KB``, ``4,2 MB`` (1 KB = 1024 Bytes)."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size}{NBSP}Byte" if size == 1 else f"{size}{NBSP}Bytes"
    scaled = Decimal(size) / 1024
    unit = "KB"
    if scaled >= 1024:
        scaled /= 1024
        unit = "MB"
    return f"{number(scaled.quantize(Decimal('0.1')), 1)}{NBSP}{unit}"
